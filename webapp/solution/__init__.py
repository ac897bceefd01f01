"""The worked solution of one training step as a document (Markdown or LaTeX), written from a trace:
one plan (plan.py), two writers. The CLI, the API and the page's export buttons read FORMATS."""
from ..engine.expand import expand_trace
from .latex import render_latex
from .markdown import render_markdown
from .plan import plan

# format -> (writer, media type)
FORMATS = {
    "markdown": (render_markdown, "text/markdown; charset=utf-8"),
    "latex": (render_latex, "application/x-latex; charset=utf-8"),
}


def render_solution(trace: dict, format_: str) -> str:
    """The worked solution of `trace` (as the API sends it) in `format_` (a key of FORMATS)."""
    return FORMATS[format_][0](plan(expand_trace(trace)))
