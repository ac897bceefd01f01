"""`pip install .` (not only editable) must ship the templates and static files."""
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return next(out.glob("*.whl"))


def test_wheel_carries_templates_static_and_console_script(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "webapp/templates/index.html" in names
    assert "webapp/static/vendor/temml/temml.mjs" in names
    assert "webapp/static/js/symbols.json" in names
    assert "webapp/engine/network.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "backprop-explainer = webapp.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_engine_reads_the_symbol_table_inside_the_package(wheel, tmp_path):
    # The LaTeX -> text converter reads static/js/symbols.json, which the wheel carries inside
    # the package (webapp/static/js/symbols.json), not beside a repository that is not there.
    site = tmp_path / "site"
    install = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    script = ("from webapp.paths import STATIC; from webapp.engine.notation import latex_to_text; "
              r"print(STATIC); print(latex_to_text(r'\frac{\partial e_{1}}{\partial w_{21}}'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(site), "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [str(site / "webapp" / "static"), "∂e₁/∂w₂₁"]
