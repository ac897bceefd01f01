"""The reference code as the page shows it: its text, and which lines compute which step.

The file says it itself: a comment "# step: <kind> ..." names the walkthrough step kinds its
statement computes (a trailing comment: the statement it is on; a comment on a line of its own:
the statement below it, the comment included), and each phase is the function of that name.
No line number is written down anywhere else, so editing the file cannot leave the map behind.
"""
import ast
import io
import tokenize
from functools import cache
from pathlib import Path

from . import train_step

PATH = Path(train_step.__file__)
MARKER = "# step:"
# The walkthrough's phases, each computed by the reference's function of the same name.
PHASES = ("forward", "loss", "backward", "accumulate", "check", "update")


def _statements(tree):
    return [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]


def _marked_statement(statements, line: int, own_line: bool):
    """The innermost statement starting on `line`, or (own_line) the first one starting below it."""
    if own_line:
        later = [s for s in statements if s.lineno > line]
        start = min(s.lineno for s in later)
    else:
        start = line
    on_line = [s for s in statements if s.lineno == start]
    return min(on_line, key=lambda s: s.end_lineno - s.lineno)


def _markers(text: str):
    """(line, own_line, kinds) of every "# step:" comment."""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT and token.string.startswith(MARKER):
            own_line = not token.line[:token.start[1]].strip()
            yield token.start[0], own_line, token.string[len(MARKER):].split()


def line_map(text: str) -> dict:
    """{"kinds": {kind: [line, ...]}, "phases": {phase: [line, ...]}}, lines 1-based and sorted."""
    tree = ast.parse(text)
    statements = _statements(tree)
    marked = [(line, names, _marked_statement(statements, line, own_line))
              for line, own_line, names in _markers(text)]
    kinds: dict[str, set[int]] = {}
    for _, names, node in marked:
        # The statement, and every marker comment naming it (those above it included).
        lines = set(range(node.lineno, node.end_lineno + 1)) | {line for line, _, n in marked if n is node}
        for name in names:
            kinds.setdefault(name, set()).update(lines)
    phases = {node.name: list(range(node.lineno, node.end_lineno + 1))
              for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in PHASES}
    return {"kinds": {k: sorted(v) for k, v in sorted(kinds.items())}, "phases": phases}


@cache
def reference() -> dict:
    """What GET /api/code answers: the file's name, its text and its line map."""
    text = PATH.read_text(encoding="utf-8")
    return {"path": f"webapp/reference/{PATH.name}", "text": text, "lines": line_map(text)}
