"""The pure JavaScript modules' own unit tests (tests/js/*.test.mjs), run by Node's test runner.

The label placer, the visibility rules and the sizing of a step's labels are pure modules; their
tests need no browser. Skipped when node is missing.
"""
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("suite", sorted(p.name for p in (ROOT / "tests" / "js").glob("*.test.mjs")))
def test_js_suite(suite):
    result = subprocess.run([NODE, "--test", str(ROOT / "tests" / "js" / suite)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
