"""`pip install .` (not only editable) must ship the templates and static files."""
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
    assert "webapp/engine/network.py" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "backprop-explainer = webapp.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
