"""The reference code as the page shows it: its text, and which lines compute which step.

The file says it itself: a comment "# step: <kind> ..." names the walkthrough step kinds its
statement computes. At the end of a line it is about the statement on that line (a loop or an if
with its body); on a line of its own, about the statements right below it, up to a blank line,
another comment or a statement with a marker of its own (the comment lines are included). Each
phase is the function of that name. No line number is written down anywhere else, so editing the
file cannot leave the map behind.
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


def _markers(text: str):
    """(line, own_line, kinds) of every "# step:" comment."""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT and token.string.startswith(MARKER):
            own_line = not token.line[:token.start[1]].strip()
            yield token.start[0], own_line, token.string[len(MARKER):].split()


def _bodies(tree):
    """Every list of statements (a function's body, a loop's, an if's and its else)."""
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                yield body


def _innermost(bodies, line: int):
    """(body, index) of the innermost statement starting on `line`, or the first starting below it."""
    found = [(body, i) for body in bodies for i, s in enumerate(body) if s.lineno >= line]
    start = min(body[i].lineno for body, i in found)
    return min(((body, i) for body, i in found if body[i].lineno == start),
               key=lambda bi: bi[0][bi[1]].end_lineno - bi[0][bi[1]].lineno)


def _paragraph(body, i, first_line: int, trailing: set[int]) -> set[int]:
    """Lines from a comment at `first_line` through statement body[i] and the siblings that follow it
    without a gap (no blank line, no comment) and carry no marker of their own."""
    lines = set(range(first_line, body[i].end_lineno + 1))
    for after in body[i + 1:]:
        if after.lineno != max(lines) + 1 or after.lineno in trailing:
            break
        lines |= set(range(after.lineno, after.end_lineno + 1))
    return lines


def line_map(text: str) -> dict:
    """{"kinds": {kind: [line, ...]}, "phases": {phase: [line, ...]}}, lines 1-based and sorted."""
    tree = ast.parse(text)
    bodies = list(_bodies(tree))
    markers = list(_markers(text))
    trailing = {line for line, own_line, _ in markers if not own_line}
    # Markers stacked on lines of their own above one statement share it, comment block and all.
    targets = [(line, own_line, names, _innermost(bodies, line)) for line, own_line, names in markers]
    first = {}
    for line, own_line, _, (body, i) in targets:
        if own_line:
            first[id(body[i])] = min(line, first.get(id(body[i]), line))
    kinds: dict[str, set[int]] = {}
    for _, own_line, names, (body, i) in targets:
        statement = body[i]
        lines = (_paragraph(body, i, first[id(statement)], trailing) if own_line
                 else set(range(statement.lineno, statement.end_lineno + 1)))
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
