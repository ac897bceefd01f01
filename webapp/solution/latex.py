"""The worked solution as a complete LaTeX article that needs amsmath only: \\[...\\] display and
$...$ inline math, headings as unnumbered sectioning commands (the plan numbers its sections)."""
import re

from .document import Display, Document, Heading, Math, Para

PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""
LINE = 90  # characters of a display past which its chain breaks at its top-level "=" signs (a printed page)
SECTIONING = {2: "section", 3: "subsection", 4: "subsubsection", 5: "paragraph", 6: "subparagraph"}
# Text is written by the plan, but step args (a loss's title, a note) could hold any of these.
SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
           "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def text(s: str) -> str:
    return "".join(SPECIAL.get(c, c) for c in s)


def inline(parts) -> str:
    return "".join(f"${p.latex}$" if isinstance(p, Math) else text(p) for p in parts)


# What opens or closes a group, or separates a chain's parts; an escaped brace is neither.
TOKENS = re.compile(r"\\[{}]|\\begin\{|\\end\{|\\left|\\right|[{}]| = ")
# "\begin{" and "\end{" hold the brace their name's "}" closes: an environment counts one level.
DEPTH = {"\\begin{": 2, "\\end{": 0, "\\left": 1, "\\right": -1, "{": 1, "}": -1}


def top_level_parts(latex: str) -> list:
    """The display split at each " = " outside braces, environments and \\left...\\right."""
    parts, depth, start = [], 0, 0
    for token in TOKENS.finditer(latex):
        if token.group() == " = " and depth == 0:
            parts.append(latex[start:token.start()])
            start = token.end()
        depth += DEPTH.get(token.group(), 0)
    return parts + [latex[start:]]


def display(latex: str) -> str:
    """\\[ ... \\], a long chain one "=" a line (amsmath's aligned) so that it stays on the page."""
    parts = [] if len(latex) <= LINE else top_level_parts(latex)
    if len(parts) < 3:
        return f"\\[ {latex} \\]"
    lines = [f"{parts[0]} &= {parts[1]}"] + [f"&= {part}" for part in parts[2:]]
    return "\\[ \\begin{aligned} " + " \\\\ ".join(lines) + " \\end{aligned} \\]"


def block(b) -> str:
    if isinstance(b, Heading):
        return rf"\{SECTIONING[min(b.level, 6)]}*{{{inline(b.parts)}}}"
    if isinstance(b, Para):
        return inline(b.parts)
    if isinstance(b, Display):
        return display(b.latex)
    raise TypeError(f"not a block: {b!r}")


def render_latex(doc: Document) -> str:
    head = PREAMBLE + f"\\title{{{text(doc.title)}}}\n\\date{{}}\n\n\\begin{{document}}\n\\maketitle\n\n"
    return head + "\n\n".join(block(b) for b in doc.blocks) + "\n\n\\end{document}\n"
