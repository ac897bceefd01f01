"""The ES modules a page's entry module imports, so the page can ask for all of them at once.

Without a hint the browser discovers the module graph one level per round trip (main.js, then
its imports, then theirs): on a lecture hall's Wi-Fi that is a visible wait. The template lists
every static import as <link rel="modulepreload">, read from the import statements themselves,
so the list never needs updating by hand. Dynamic imports (`import("...")`: formula.js fetching
the LaTeX renderer when a formula first needs it, main.js the feature modules the first graph
does not need) are left out on purpose: preloading them would put them back in front of it.
"""
import posixpath
import re
from functools import cache

from .paths import STATIC

# `import x from "./a.js"`, `export { y } from "./b.js"`, `import "./c.js"`: static imports only.
# JSON modules are left out: modulepreload fetches scripts only.
_IMPORT = re.compile(r"""(?:\bfrom|^\s*import)\s*["'](\.{1,2}/[^"']+\.m?js)["']""", re.MULTILINE)


@cache
def module_graph(entry: str) -> tuple[str, ...]:
    """Paths under static/ of `entry` (e.g. "js/main.js") and every module it imports, transitively,
    in the order they are first met."""
    seen, queue = [], [entry]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        source = (STATIC / path).read_text(encoding="utf-8")
        folder = posixpath.dirname(path)
        queue += [posixpath.normpath(posixpath.join(folder, target)) for target in _IMPORT.findall(source)]
    return tuple(seen)

