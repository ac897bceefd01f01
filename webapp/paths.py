"""Where the templates and static files are, for the app and for the engine's symbol table.

They live at the top of the repository; an installed wheel carries them inside the package
(see pyproject.toml), so look there first. Standard library only: the engine imports this.
"""
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE if (_HERE / "templates").is_dir() else _HERE.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
