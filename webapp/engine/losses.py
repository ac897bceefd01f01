"""Loss functions as sums of per-output terms e_k, each with de_k/do_k beside it.

`factors` splits de_k/do_k into the pieces the worked example writes out, for sse
"2.0 * 0.8 * (-1)": a list of (LaTeX symbol, value) whose product is the derivative.
A loss defined only on part of the line says so in `targets` and `outputs`, one that needs a
particular output activation in `needs_activation`, one whose targets form a probability
distribution in `distribution`; the request validation (spec.py) and /api/meta read them from
here. `delta_shortcut` is the simplified error signal of the output layer when the loss meets
its activation (cross-entropy after softmax: delta_k = o_k - t_k), shown beside the chain rule.
"""
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Loss:
    term: Callable[[np.ndarray, np.ndarray], np.ndarray]  # e_k(o, t), shape like o
    dterm: Callable[[np.ndarray, np.ndarray], np.ndarray]  # de_k/do_k
    factors: Callable[[float, float, int, str, str], list[tuple[str, float]]]
    latex: str  # e_k in symbols, "{t}" and "{o}" for target and output, "{n}" outputs
    title: str
    targets: tuple[float, float] | None = None  # the closed range targets must lie in
    outputs: tuple[float, float] | None = None  # the open range outputs must lie in
    needs_activation: str | None = None  # the output activation the loss is defined with
    distribution: bool = False  # targets non-negative and summing to 1
    # (o, t) -> dE/da of the output layer, with its LaTeX, when paired with needs_activation.
    delta_shortcut: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None
    delta_shortcut_latex: str = ""
    # e_k from the layer's sums when paired with needs_activation: finite where an output underflows to 0.
    term_from_sums: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None


def _sse_factors(o, t, n, ts, os):
    return [("2", 2.0), (f"({ts} - {os})", t - o), ("(-1)", -1.0)]


def _mse_factors(o, t, n, ts, os):
    return [(rf"\frac{{2}}{{{n}}}", 2.0 / n), (f"({ts} - {os})", t - o), ("(-1)", -1.0)]


def _half_factors(o, t, n, ts, os):
    return [(f"({ts} - {os})", t - o), ("(-1)", -1.0)]


def _bce_factors(o, t, n, ts, os):
    return [(f"({os} - {ts})", o - t), (rf"\frac{{1}}{{{os}(1 - {os})}}", 1.0 / (o * (1.0 - o)))]


def _bce_term(o, t):
    # xlogy-style: a zero target weight makes its log term exactly 0, not nan.
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.where(t > 0, t * np.log(o), 0.0)
        neg = np.where(t < 1, (1.0 - t) * np.log1p(-o), 0.0)
    return -(pos + neg)


def _cce_factors(o, t, n, ts, os):
    return [(rf"-\frac{{{ts}}}{{{os}}}", -t / o)]


def _cce_term(o, t):
    # A zero target contributes exactly 0, even where its output underflowed to 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, -t * np.log(o), 0.0)


def _cce_dterm(o, t):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, -t / o, 0.0)


def _cce_from_sums(a, t):
    """-t_k ln softmax(a)_k = -t_k (a_k - log sum_m e^{a_m}), the log-sum-exp shifted by the largest sum."""
    top = np.max(a, axis=-1, keepdims=True)
    log_sum = top + np.log(np.sum(np.exp(a - top), axis=-1, keepdims=True))
    return np.where(t > 0, -t * (a - log_sum), 0.0)


# Targets that sum to 1 within this are a distribution (decimal fractions rarely add up exactly).
DISTRIBUTION_TOLERANCE = 1e-9

LOSSES: dict[str, Loss] = {
    "sse": Loss(
        term=lambda o, t: (t - o) ** 2,
        dterm=lambda o, t: -2.0 * (t - o),
        factors=_sse_factors,
        latex=r"({t} - {o})^2",
        title="sum of squared errors",
    ),
    "mse": Loss(
        term=lambda o, t: (t - o) ** 2 / o.shape[-1],
        dterm=lambda o, t: -2.0 * (t - o) / o.shape[-1],
        factors=_mse_factors,
        latex=r"\frac{1}{{n}} ({t} - {o})^2",
        title="mean squared error",
    ),
    "half_sse": Loss(
        term=lambda o, t: 0.5 * (t - o) ** 2,
        dterm=lambda o, t: -(t - o),
        factors=_half_factors,
        latex=r"\frac{1}{2} ({t} - {o})^2",
        title="half the sum of squared errors",
    ),
    "bce": Loss(
        term=_bce_term,
        dterm=lambda o, t: (o - t) / (o * (1.0 - o)),
        factors=_bce_factors,
        latex=r"-\left({t} \ln {o} + (1 - {t}) \ln(1 - {o})\right)",
        title="binary cross-entropy",
        # log(o) and log(1 - o): the outputs must stay strictly inside (0, 1).
        targets=(0.0, 1.0),
        outputs=(0.0, 1.0),
    ),
    "cce": Loss(
        term=_cce_term,
        dterm=_cce_dterm,
        factors=_cce_factors,
        latex=r"-{t} \ln {o}",
        title="categorical cross-entropy",
        targets=(0.0, 1.0),
        needs_activation="softmax",
        distribution=True,
        delta_shortcut=lambda o, t: o - t,
        delta_shortcut_latex="{o} - {t}",
        term_from_sums=_cce_from_sums,
    ),
}
