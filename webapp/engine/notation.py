"""Symbol names in the worked example's notation, for any network.

The scheme (also in the README):
- inputs x_{1i} (sample 1, input i), as the document's x_11;
- layer l's sum a_{lj}, its activation h_{lj} and error signal delta_{lj}, except that
  layer 1 drops its layer number (a_1, h_1) as the document does; the output layer's
  activations are o_j;
- the weight into neuron j of layer l from neuron i is w_{lji}; i is dropped when layer
  l-1 has a single neuron, giving the document's w_11, w_21, w_22; biases b_{lj};
- loss terms e_k, their total e_{total}, targets t_k; in a mini-batch, sample n's
  inputs x_{ni} and loss E_n, and the batch's loss E.
Indices are 1-based and written together (w_{211}) unless the network has a layer of
more than 9 neurons or more than 9 layers, when they are separated by commas
(w_{3,12,5}) so that no name is ambiguous.
Element ids are 0-based: nodes n{l}-{j}, weights w{l}-{j}-{i}, biases b{l}-{j},
loss terms e-{k}, the total E.
"""
import json
import re
from functools import lru_cache

from ..paths import STATIC


def _sub(*indices: int, commas: bool = False) -> str:
    return ("," if commas else "").join(str(i) for i in indices)


class Notation:
    """Symbols of one network; with `sample` (0-based), those of that sample of a mini-batch: its
    inputs x_{ni} (the document's first index is the sample) and its loss E_n instead of e_total."""

    BATCH_TOTAL = "E"  # the loss of a whole mini-batch

    def __init__(self, layers, sample: int | None = None):
        self.layers = list(layers)
        self.last = len(self.layers) - 1
        commas = max(self.layers) > 9 or len(self.layers) > 9
        self._sub = lambda *ix: _sub(*ix, commas=commas)
        self.sample = 0 if sample is None else sample
        self.TOTAL = "e_{total}" if sample is None else f"E_{{{sample + 1}}}"
        self._tables = {}

    # Element ids (0-based) and symbols (LaTeX; 0-based arguments, 1-based in the output). Each is
    # formatted once per Notation (see layer_table) and looked up after that.
    def node_id(self, l, j):
        return self.layer_table("ids", l)[j]

    def weight_id(self, l, j, i):
        return self.layer_table("weight_ids", l)[j][i]

    def bias_id(self, l, j):
        return self.layer_table("bias_ids", l)[j]

    @staticmethod
    def loss_id(k):
        return f"e-{k}"

    TOTAL_ID = "E"

    def act(self, l, j):
        return self.layer_table("act", l)[j]

    def pre(self, l, j):
        return self.layer_table("pre", l)[j]

    def delta(self, l, j):
        return self.layer_table("delta", l)[j]

    def weight(self, l, j, i):
        return self.layer_table("weights", l)[j][i]

    def bias(self, l, j):
        return self.layer_table("bias", l)[j]

    # The formatting itself.
    def _layer_sub(self, l, j):
        return self._sub(j + 1) if l == 1 else self._sub(l, j + 1)

    def _act(self, l, j):
        if l == 0:
            if self.sample >= 9:  # x_{12,1}: sample 12, input 1 (x_{121} would be ambiguous)
                return f"x_{{{_sub(self.sample + 1, j + 1, commas=True)}}}"
            return f"x_{{{self._sub(self.sample + 1, j + 1)}}}"
        if l == self.last:
            return f"o_{{{self._sub(j + 1)}}}"
        return f"h_{{{self._layer_sub(l, j)}}}"

    def _weight(self, l, j, i):
        if self.layers[l - 1] == 1:
            return f"w_{{{self._sub(l, j + 1)}}}"
        return f"w_{{{self._sub(l, j + 1, i + 1)}}}"

    @staticmethod
    def loss(k):
        return f"e_{{{k + 1}}}"

    @staticmethod
    def target(k):
        return f"t_{{{k + 1}}}"

    # Whole layers at once, made once per Notation: the step builders and the graph index these
    # instead of formatting a name per edge per use.
    def layer_table(self, name: str, l: int) -> list:
        """[j] (nodes: "ids", "act", "pre", "delta", "bias", "bias_ids") or [j][i] (edges into layer l:
        "weight_ids", "weights") of layer l."""
        key = (name, l)
        if key not in self._tables:
            self._tables[key] = self._make_table(name, l)
        return self._tables[key]

    def _make_table(self, name, l):
        n = range(self.layers[l])
        if name == "weight_ids":
            return [[f"w{l}-{j}-{i}" for i in range(self.layers[l - 1])] for j in n]
        if name == "weights":
            return [[self._weight(l, j, i) for i in range(self.layers[l - 1])] for j in n]
        one = {"ids": lambda j: f"n{l}-{j}", "bias_ids": lambda j: f"b{l}-{j}", "act": lambda j: self._act(l, j),
               "pre": lambda j: f"a_{{{self._layer_sub(l, j)}}}",
               "delta": lambda j: rf"\delta_{{{self._layer_sub(l, j)}}}",
               "bias": lambda j: f"b_{{{self._layer_sub(l, j)}}}"}[name]
        return [one(j) for j in n]


@lru_cache(maxsize=256)
def notation_of(layers: tuple, sample: int | None = None) -> Notation:
    """The Notation of a shape, made once: its symbol tables serve every trace of that shape
    (a lecture hall's requests share a handful of shapes)."""
    return Notation(layers, sample)


@lru_cache(maxsize=16384)  # the same few thousand fractions on every trace of a shape
def partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


# ---- LaTeX -> plain Unicode text: a port of static/js/notation.js (toText), which is the reference.
# Both read one table, static/js/symbols.json (in the wheel, webapp/static/js/symbols.json);
# tests/unit/test_notation_js.py runs both over the same inputs against a hand-written table.
# Used by the CLI and for the trace's plain-text labels.

_TABLE = json.loads((STATIC / "js" / "symbols.json").read_text(encoding="utf-8"))
# Commands -> (text, kind): "ord", "op" or "bin" (symbols.json says what each kind does to spaces).
SYMBOLS = {name: tuple(entry) for name, entry in _TABLE["commands"].items()}
_SHORT = _TABLE["short"]
_TEXT = frozenset(_TABLE["text"])
_TABLES = frozenset(_TABLE["tables"])
_SUB = _TABLE["subscripts"]
_SUP = _TABLE["superscripts"]
_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[+-]\d+)?")


def script_text(text: str, shift: str) -> str:
    """A sub- or superscript in Unicode; see static/js/notation.js scriptText."""
    if shift == "sub":
        return "".join(_SUB.get(c, c) for c in text)
    if all(c in _SUP for c in text):
        return "".join(_SUP[c] for c in text)
    return f"^{text}" if len(text) == 1 else f"^({text})"


def _push(runs: list, text: str, shift):
    last = runs[-1] if runs else None
    if not shift and text:
        text = re.sub(r" {2,}", " ", text)
        if last and not last[1] and last[0].endswith(" ") and text.startswith(" "):
            text = text[1:]
    if not text:
        return
    if last and last[1] == shift:
        last[0] += text
    else:
        runs.append([text, shift])


def _plain(runs) -> str:
    return "".join(r[0] for r in runs)


def _is_atom(text: str) -> bool:
    return re.fullmatch(r"[^\s+\-·/]*", text) is not None or _NUMBER.fullmatch(text) is not None


class _Reader:
    def __init__(self, src: str):
        self.src, self.i, self.envs = src, 0, []

    def sequence(self, in_group=False) -> list:
        runs, src = [], self.src
        while self.i < len(src):
            c = src[self.i]
            if c == "}":
                self.i += 1
                if in_group:
                    return runs
                continue
            if c == "{":
                self.i += 1
                for r in self.sequence(True):
                    _push(runs, *r)
            elif c == "\\":
                for r in self.command():
                    _push(runs, *r)
            elif c in "_^" and self.i + 1 < len(src):
                self.i += 1
                _push(runs, _plain(self.argument()), "sub" if c == "_" else "sup")
            elif c == "'":
                self.i += 1
                nxt = src[self.i] if self.i < len(src) else ""
                _push(runs, "'" if re.match(r"[A-Za-z]", nxt) else "′", None)
            elif c in "&~":
                self.i += 1
                _push(runs, " | " if c == "&" and self.envs and self.envs[-1] in _TABLES else " ", None)
            else:
                self.i += 1
                _push(runs, c, None)
        return runs

    def argument(self) -> list:
        src = self.src
        while self.i < len(src) and src[self.i] == " ":
            self.i += 1
        if self.i < len(src) and src[self.i] == "{":
            self.i += 1
            return self.sequence(True)
        if self.i < len(src) and src[self.i] == "\\":
            return self.command()
        c = src[self.i] if self.i < len(src) else ""
        self.i += len(c)
        return [[c, None]] if c else []

    def raw_group(self) -> str:
        src = self.src
        if self.i >= len(src) or src[self.i] != "{":
            return ""
        depth, start = 0, self.i + 1
        while self.i < len(src):
            if src[self.i] == "{":
                depth += 1
            elif src[self.i] == "}":
                depth -= 1
                if depth == 0:
                    break
            self.i += 1
        self.i += 1
        return src[start:self.i - 1]

    def command(self) -> list:
        src = self.src
        self.i += 1
        m = re.match(r"[a-zA-Z]+", src[self.i:self.i + 40])
        if not m:
            c = src[self.i] if self.i < len(src) else ""
            self.i += len(c)
            return [[_SHORT.get(c, c), None]]
        name = m.group(0)
        self.i += len(name)
        if name == "frac":
            return self.fraction()
        if name in _TEXT:
            return [[self.raw_group(), None]]
        if name in ("begin", "end"):
            env = self.raw_group()
            if name == "end":
                if self.envs:
                    self.envs.pop()
            else:
                self.envs.append(env)
                if env in _TABLES:
                    self.raw_group()
            return []
        text, kind = SYMBOLS.get(name, (name, "op"))
        if kind == "ord":
            j = self.i
            while j < len(src) and src[j] == " ":
                j += 1
            after = re.match(r"\\([a-zA-Z]*)", src[j:j + 41])
            binary = after is not None and SYMBOLS.get(after.group(1), ("", ""))[1] == "bin"
            if j > self.i and j < len(src) and re.match(r"[A-Za-z0-9{\\]", src[j]) and not binary:
                self.i = j
        return [[text, None]] if text else []

    def fraction(self) -> list:
        num, den = self.argument(), self.argument()
        runs = []
        partial = _plain(num).startswith("∂") and _plain(den).startswith("∂")
        for n, part in enumerate((num, den)):
            if n == 1:
                _push(runs, "/", None)
            wrap = not partial and not _is_atom(_plain(part))
            if wrap:
                _push(runs, "(", None)
            for r in part:
                _push(runs, *r)
            if wrap:
                _push(runs, ")", None)
        return runs


def latex_runs(latex: str) -> list:
    """[[text, shift]] runs of the LaTeX, shift "sub", "sup" or None (static/js/notation.js toRuns)."""
    return _Reader(str(latex)).sequence()


@lru_cache(maxsize=16384)  # a symbol's text is asked for on every trace that shows it
def latex_to_text(latex: str) -> str:
    """Plain Unicode text of the LaTeX this engine writes: \\frac{\\partial e_{1}}{\\partial w_{211}} -> ∂e₁/∂w₂₁₁."""
    return "".join(script_text(t, s) if s else t for t, s in latex_runs(latex)).strip()
