"""The worked solution as a complete LaTeX article that needs amsmath only: \\[...\\] display and
$...$ inline math, headings as unnumbered sectioning commands (the plan numbers its sections)."""
from .document import Display, Document, Heading, Math, Para

PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""
SECTIONING = {2: "section", 3: "subsection", 4: "subsubsection", 5: "paragraph", 6: "subparagraph"}
# Text is written by the plan, but step args (a loss's title, a note) could hold any of these.
SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
           "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def text(s: str) -> str:
    return "".join(SPECIAL.get(c, c) for c in s)


def inline(parts) -> str:
    return "".join(f"${p.latex}$" if isinstance(p, Math) else text(p) for p in parts)


def block(b) -> str:
    if isinstance(b, Heading):
        return rf"\{SECTIONING[min(b.level, 6)]}*{{{inline(b.parts)}}}"
    if isinstance(b, Para):
        return inline(b.parts)
    if isinstance(b, Display):
        return f"\\[ {b.latex} \\]"
    raise TypeError(f"not a block: {b!r}")


def render_latex(doc: Document) -> str:
    head = PREAMBLE + f"\\title{{{text(doc.title)}}}\n\\date{{}}\n\n\\begin{{document}}\n\\maketitle\n\n"
    return head + "\n\n".join(block(b) for b in doc.blocks) + "\n\n\\end{document}\n"
