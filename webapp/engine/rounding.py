"""Numbers as the trace sends them: rounded to SIGNIFICANT_DIGITS, the precision the page shows.

`rounded` does whole arrays at once and gives exactly what `rnd` (Python's %.9g) gives each
element: an element is scaled by a power of ten, rounded to an integer m of at most 9 digits and
divided back, and m / 10^k is the double nearest the decimal m e-k, which is what parsing "%.9g"
gives too. The scaling itself may round, so elements too close to a tie, and those whose power of
ten is not exact in a double, are done one by one. Non-finite numbers stay as they are (the trace
turns them into null and says where).
"""
import math

import numpy as np

SIGNIFICANT_DIGITS = 9
_EXACT_POWERS = 22  # 10^k is exact in a double up to k = 22
_TIE = 1e-6  # how close to .5 the scaled value may come before an element is done one by one


def rnd(x: float) -> float:
    """One number rounded to SIGNIFICANT_DIGITS; non-finite numbers unchanged."""
    return float(f"{x:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(x) else float(x)


def rounded(a) -> np.ndarray:
    """An array with every element rounded as `rnd` rounds it."""
    x = np.asarray(a, dtype=float)
    with np.errstate(all="ignore"):
        ordinary = np.isfinite(x) & (x != 0)
        magnitude = np.floor(np.log10(np.abs(np.where(ordinary, x, 1.0))))
        k = (SIGNIFICANT_DIGITS - 1 - magnitude).astype(int)
        up = np.clip(k, 0, _EXACT_POWERS)
        down = np.clip(-k, 0, _EXACT_POWERS)
        scaled = x * 10.0 ** up / 10.0 ** down
        m = np.rint(scaled)
        out = np.where(ordinary, m / 10.0 ** up * 10.0 ** down, x)
        # |m| may reach 10^9 (9.9999999996 -> 10): still 10 significant digits of which the last are 0.
        doubtful = ordinary & ((np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) < _TIE) | (np.abs(k) > _EXACT_POWERS))
    if doubtful.any():
        out[doubtful] = [rnd(v) for v in x[doubtful].tolist()]
    return out


def rounded_list(a) -> list:
    """The rounded array as nested Python lists of floats."""
    return rounded(a).tolist()
