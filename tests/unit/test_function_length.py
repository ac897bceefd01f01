"""The Python package reads in small pieces: no function over 60 lines, and no module reaches for
another module's private (underscore) names. Both checked on the syntax tree (ast) of webapp/."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "webapp").rglob("*.py"))
MAX_LINES = 60
# Functions that only return a data table (a literal dict), where length is content, not logic.
TABLES: dict[str, set[str]] = {}  # none needed so far


def tree(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def rel(path):
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_no_function_is_longer_than_60_lines(path):
    allowed = TABLES.get(rel(path), set())
    long = [f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(tree(path))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name not in allowed
            and node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert long == []


def test_the_allowed_tables_are_only_data():
    for name, functions in TABLES.items():
        for node in ast.walk(tree(ROOT / name)):
            if isinstance(node, ast.FunctionDef) and node.name in functions:
                *docstring, last = node.body
                assert all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) for s in docstring), node.name
                assert isinstance(last, ast.Return) and isinstance(last.value, ast.Dict), node.name


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_no_private_name_is_imported_from_another_module(path):
    private = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom):
            private += [f"from {'.' * node.level}{node.module or ''} import {a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")]
            if any(part.startswith("_") and not part.startswith("__") for part in (node.module or "").split(".")):
                private.append(f"from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            # module._name: a private attribute of something imported (self._x is the module's own business).
            if isinstance(node.value, ast.Name) and node.value.id not in {"self", "cls"}:
                private.append(f"{node.value.id}.{node.attr}")
    assert private == []
