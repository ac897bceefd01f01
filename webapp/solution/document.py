"""The worked solution's document model: headings, paragraphs of text and inline math, and display
math. The plan (plan.py) builds one; markdown.py and latex.py each write it out."""
from dataclasses import dataclass, field

from ..engine.templates import fmt


@dataclass(frozen=True)
class Math:
    """Inline math: LaTeX that the renderer wraps ($...$)."""
    latex: str


@dataclass(frozen=True)
class Heading:
    level: int  # 1 the title, 2 a section, 3 and below its parts
    parts: tuple


@dataclass(frozen=True)
class Para:
    parts: tuple  # str (plain text) and Math


@dataclass(frozen=True)
class Display:
    latex: str


@dataclass
class Document:
    title: str
    blocks: list = field(default_factory=list)


def para(*parts) -> Para:
    return Para(tuple(parts))


def heading(level: int, *parts) -> Heading:
    return Heading(level, tuple(parts))


def num(x, paren: bool = False) -> str:
    """A number as the page shows it (templates.fmt); negative ones in parentheses inside a product."""
    s = fmt(x)
    return f"({s})" if paren and s.startswith("-") else s


def chain(*parts: str) -> str:
    """parts joined by " = ", a part equal to the one before it left out (a = 0.6 = 0.6 -> a = 0.6)."""
    out = []
    for part in parts:
        if part and (not out or part != out[-1]):
            out.append(part)
    return " = ".join(out)
