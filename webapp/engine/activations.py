"""Activation functions, each derivative beside its function (micrograd style).

Every entry maps a name to its forward rule f(a), its derivative f'(a), the LaTeX used in
formulas and the title the editor shows. `slope` is the only parameter: an entry with a
default slope takes one (linear, leaky_relu), the others ignore it. Softmax is the one entry
that is not elementwise: each output depends on every sum of its layer, so it carries its
Jacobian, and `df` is that Jacobian's diagonal; such an entry is allowed only on an output
layer of at least `min_outputs` neurons (spec.py reads both from here). Adding an activation is
one entry here; the request schema, /api/meta and the editor's list follow from this table.
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Activation:
    f: Callable[[np.ndarray, float], np.ndarray]
    df: Callable[[np.ndarray, float], np.ndarray]
    default_slope: float | None
    # LaTeX of f(a) and f'(a) with "{a}" for the argument and "{s}" for the slope.
    latex: str
    latex_df: str
    title: str
    # Not elementwise: a -> the Jacobian do_j/da_k of a layer's sums (softmax); output layer only.
    jacobian: Callable[[np.ndarray], np.ndarray] | None = None
    min_outputs: int = 1


def _sigmoid(a, _s):
    # exp(-|a|) never overflows: 1 / (1 + e^-a) for a >= 0, e^a / (1 + e^a) below (the same numbers as
    # splitting the array by sign, without indexing it).
    ez = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + ez), ez / (1.0 + ez))


def _dsigmoid(a, s):
    y = _sigmoid(a, s)
    return y * (1.0 - y)


def _softmax(a, _s=None):
    # Shifted by the largest sum: exp() then never overflows, and the ratios are unchanged.
    e = np.exp(a - np.max(a, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _softmax_jacobian(a):
    """do_j/da_k = o_j (1[j = k] - o_k), for one vector of sums."""
    o = _softmax(a)
    return np.diag(o) - np.outer(o, o)


ACTIVATIONS: dict[str, Activation] = {
    "linear": Activation(
        f=lambda a, s: s * a,
        df=lambda a, s: np.full_like(a, s),
        default_slope=1.0,
        latex=r"{s} \cdot {a}",
        latex_df=r"{s}",
        title="linear",
    ),
    "sigmoid": Activation(
        f=_sigmoid,
        df=_dsigmoid,
        default_slope=None,
        latex=r"\frac{1}{1 + e^{-{a}}}",
        latex_df=r"\sigma({a})\,(1 - \sigma({a}))",
        title="sigmoid",
    ),
    "tanh": Activation(
        f=lambda a, s: np.tanh(a),
        df=lambda a, s: 1.0 - np.tanh(a) ** 2,
        default_slope=None,
        latex=r"\tanh({a})",
        latex_df=r"1 - \tanh^2({a})",
        title="tanh",
    ),
    "relu": Activation(
        f=lambda a, s: np.maximum(a, 0.0),
        # The derivative at exactly 0 is taken as 0, the usual convention.
        df=lambda a, s: (a > 0).astype(float),
        default_slope=None,
        latex=r"\max(0, {a})",
        latex_df=r"[{a} > 0]",
        title="ReLU",
    ),
    "leaky_relu": Activation(
        f=lambda a, s: np.where(a > 0, a, s * a),
        df=lambda a, s: np.where(a > 0, 1.0, s),
        default_slope=0.01,
        latex=r"\max({s} \cdot {a}, {a})",
        latex_df=r"1 \text{ if } {a} > 0 \text{ else } {s}",
        title="leaky ReLU",
    ),
    "softmax": Activation(
        f=_softmax,
        df=lambda a, s: _softmax(a) * (1.0 - _softmax(a)),
        default_slope=None,
        latex=r"\frac{e^{{a}}}{\sum_m e^{a_m}}",
        latex_df=r"o_j (1[j{=}k] - o_k)",
        title="softmax (output layer)",
        jacobian=_softmax_jacobian,
        min_outputs=2,
    ),
}


def resolve_slope(name: str, slope: float | None) -> float | None:
    """The slope an activation computes with: the one given, else its default; None when it takes none."""
    default = ACTIVATIONS[name].default_slope
    if default is None:
        return None
    return default if slope is None else slope
