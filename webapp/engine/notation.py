"""Symbol names in the worked example's notation, for any network.

The scheme (also in the README):
- inputs x_{1i} (sample 1, input i), as the document's x_11;
- layer l's sum a_{lj}, its activation h_{lj} and error signal delta_{lj}, except that
  layer 1 drops its layer number (a_1, h_1) as the document does; the output layer's
  activations are o_j;
- the weight into neuron j of layer l from neuron i is w_{lji}; i is dropped when layer
  l-1 has a single neuron, giving the document's w_11, w_21, w_22; biases b_{lj};
- loss terms e_k, their total e_{total}, targets t_k.
Indices are 1-based and written together (w_{211}) unless the network has a layer of
more than 9 neurons or more than 9 layers, when they are separated by commas
(w_{3,12,5}) so that no name is ambiguous.
Element ids are 0-based: nodes n{l}-{j}, weights w{l}-{j}-{i}, biases b{l}-{j},
loss terms e-{k}, the total E.
"""


def _sub(*indices: int, commas: bool = False) -> str:
    return ("," if commas else "").join(str(i) for i in indices)


class Notation:
    def __init__(self, layers):
        self.layers = list(layers)
        self.last = len(self.layers) - 1
        commas = max(self.layers) > 9 or len(self.layers) > 9
        self._sub = lambda *ix: _sub(*ix, commas=commas)

    # element ids (0-based)
    @staticmethod
    def node_id(l, j):
        return f"n{l}-{j}"

    @staticmethod
    def weight_id(l, j, i):
        return f"w{l}-{j}-{i}"

    @staticmethod
    def bias_id(l, j):
        return f"b{l}-{j}"

    @staticmethod
    def loss_id(k):
        return f"e-{k}"

    TOTAL_ID = "E"

    # symbols (LaTeX), 0-based arguments, 1-based in the output
    def _layer_sub(self, l, j):
        return self._sub(j + 1) if l == 1 else self._sub(l, j + 1)

    def act(self, l, j):
        if l == 0:
            return f"x_{{{self._sub(1, j + 1)}}}"
        if l == self.last:
            return f"o_{{{self._sub(j + 1)}}}"
        return f"h_{{{self._layer_sub(l, j)}}}"

    def pre(self, l, j):
        return f"a_{{{self._layer_sub(l, j)}}}"

    def delta(self, l, j):
        return rf"\delta_{{{self._layer_sub(l, j)}}}"

    def weight(self, l, j, i):
        if self.layers[l - 1] == 1:
            return f"w_{{{self._sub(l, j + 1)}}}"
        return f"w_{{{self._sub(l, j + 1, i + 1)}}}"

    def bias(self, l, j):
        return f"b_{{{self._layer_sub(l, j)}}}"

    @staticmethod
    def loss(k):
        return f"e_{{{k + 1}}}"

    @staticmethod
    def target(k):
        return f"t_{{{k + 1}}}"

    TOTAL = "e_{total}"


def partial(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


def latex_to_text(latex: str) -> str:
    """Plain-text form of the LaTeX this engine writes: \\frac{\\partial e_1}{\\partial o_1} -> de_1/do_1."""
    import re

    s = re.sub(r"\\frac\{\\partial ([^{}]*(?:\{[^{}]*\})?)\}\{\\partial ([^{}]*(?:\{[^{}]*\})?)\}", r"∂\1/∂\2", latex)
    s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", s)
    for src, dst in ((r"\delta", "δ"), (r"\eta", "η"), (r"\varepsilon", "ε"), (r"\cdot", "·"),
                     (r"\sigma", "σ"), (r"\tanh", "tanh"), (r"\max", "max"), (r"\ln", "ln"),
                     (r"\left", ""), (r"\right", ""), (r"\,", " "), (r"\text", "")):
        s = s.replace(src, dst)
    return s.replace("{", "").replace("}", "")
