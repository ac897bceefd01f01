"""The worked solution as Markdown: $...$ inline and $$...$$ display math (one line each)."""
from .document import Display, Document, Heading, Math, Para


def inline(parts) -> str:
    return "".join(f"${p.latex}$" if isinstance(p, Math) else p for p in parts)


def block(b) -> str:
    if isinstance(b, Heading):
        return "#" * b.level + " " + inline(b.parts)
    if isinstance(b, Para):
        return inline(b.parts)
    if isinstance(b, Display):
        return f"$${b.latex}$$"
    raise TypeError(f"not a block: {b!r}")


def render_markdown(doc: Document) -> str:
    return "\n\n".join([f"# {doc.title}"] + [block(b) for b in doc.blocks]) + "\n"
