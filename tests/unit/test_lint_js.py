"""The front end's JavaScript is lint-clean: ESLint (eslint.config.js) over static/js and tests/js.

ESLint is a devDependency in package.json, installed by `npm ci` (which .ci/setup runs).
"""
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESLINT = ROOT / "node_modules" / "eslint" / "bin" / "eslint.js"


def test_eslint_finds_nothing():
    node = shutil.which("node")
    assert node, "node is not installed: run `bash .ci/setup` (or install Node.js, then `npm ci`)"
    assert ESLINT.is_file(), f"{ESLINT.relative_to(ROOT)} is missing: run `npm ci` at the repository root"
    result = subprocess.run([node, str(ESLINT), "static/js", "tests/js"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, "ESLint found problems (`npm run lint` shows them):\n" + result.stdout[-6000:] + result.stderr[-2000:]
