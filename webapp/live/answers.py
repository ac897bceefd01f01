"""A follower's answer to a poll: read it, judge it, and the class's answers as a histogram and a CSV.

Pure functions of plain values; nothing here knows about requests or stores.
"""
import csv
import io
import math
import re

from .errors import LiveError

MINUS = "\u2212"  # what a phone's keyboard or a copied formula may give for "-"
SIGNS = {"+": 1, "-": -1, MINUS: -1}
NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")  # ASCII digits only

# The right-answer rule, one place: a number is right within 5 % of the correct value, plus a
# thousandth so that an answer to a correct value of 0 (or 1e-12) can be right at all.
RELATIVE_TOLERANCE = 0.05
ABSOLUTE_TOLERANCE = 0.001

MAX_BINS = 9
NICE_STEPS = (1, 2, 2.5, 5)
EDGE_NUDGE = 1e-9  # in bin widths


def parse(text, max_chars: int) -> dict:
    """{"answer": the text as sent (trimmed), "value": its number or None for a sign, "sign": -1, 0 or 1}.

    A number (ASCII or U+2212 minus, a decimal point or comma, an exponent) or a sign alone: "+", "-",
    "\u2212". Anything else is a 400 naming "answer", so no other text is ever kept or shown.
    """
    if not isinstance(text, str):
        raise LiveError("answer", "the answer must be text: a number such as -9.6, or a sign, + or -")
    text = text.strip()
    if not text:
        raise LiveError("answer", "the answer is empty: give a number such as -9.6, or a sign, + or -")
    if len(text) > max_chars:
        raise LiveError("answer", f"the answer is longer than {max_chars} characters: give a number or a sign")
    if text in SIGNS:
        return {"answer": text, "value": None, "sign": SIGNS[text]}
    ascii_text = text.replace(MINUS, "-", 1) if text.startswith(MINUS) else text
    if not NUMBER.fullmatch(ascii_text):
        raise LiveError("answer", "the answer is not a number: give one such as -9.6 or 1.5e-3, or a sign, + or -")
    value = float(ascii_text.replace(",", "."))
    if not math.isfinite(value):
        raise LiveError("answer", "the answer is too large a number to hold")
    value = value + 0.0  # -0 is 0
    return {"answer": text, "value": value, "sign": sign_of(value)}


def sign_of(value: float) -> int:
    return (value > 0) - (value < 0)


def is_right(answer: dict, correct: float) -> bool:
    """A number within the tolerance of `correct`; a sign equal to the correct value's. A correct
    value of exactly 0 has no sign, so no sign answer to it is right (a number near 0 is)."""
    if answer["value"] is None:
        return correct != 0 and answer["sign"] == sign_of(correct)
    return abs(answer["value"] - correct) <= RELATIVE_TOLERANCE * abs(correct) + ABSOLUTE_TOLERANCE


# ---- the histogram -----------------------------------------------------------------------------

def nice_width(span: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least span / MAX_BINS."""
    target = span / MAX_BINS
    power = 10.0 ** math.floor(math.log10(target))
    for factor in (*NICE_STEPS, 10):
        if factor * power >= target * (1 - 1e-12):
            return factor * power
    return 10 * power  # not reached: 10 * power >= target by the choice of power


def bin_index(value: float, start: float, width: float) -> int:
    # The nudge keeps a value on a bin's edge (0.2 = 0.1 + 4 x 0.025, computed as 3.9999...) in the
    # bin it starts: bins are [lo, hi).
    return math.floor((value - start) / width + EDGE_NUDGE)


def numeric_bins(values: list[float], correct: float) -> tuple[float, float, int]:
    """(start, width, count) of at most MAX_BINS equal bins of a nice width spanning values and correct."""
    low, high = min([*values, correct]), max([*values, correct])
    size = max(abs(low), abs(high), 1.0)
    span = high - low
    if span < size * 1e-9:  # one value (or as good as): bins as wide as for a span of its size
        span = size
    width = nice_width(span)
    while True:
        start = math.floor(low / width + EDGE_NUDGE) * width
        count = bin_index(high, start, width) + 1
        if count <= MAX_BINS:
            return start, width, count
        width = nice_width(width * MAX_BINS * 1.0001)  # the next nice width up


def shown(value: float) -> str:
    return f"{value:.6g}".replace("-", MINUS)


def histogram(answers: list[dict], correct: float) -> list[dict]:
    """[{"label", "lo", "hi", "count", "correct"}]: the numeric answers in equal bins [lo, hi), then
    the sign-only answers in two bins "\u2212" and "+" (lo and hi null); `correct` marks the bin holding
    the correct value, and the sign bin of its sign."""
    numbers = [answer["value"] for answer in answers if answer["value"] is not None]
    start, width, count = numeric_bins(numbers, correct)

    def index(value: float) -> int:
        return min(max(bin_index(value, start, width), 0), count - 1)

    bins = []
    for k in range(count):
        lo, hi = round(start + k * width, 12), round(start + (k + 1) * width, 12)
        bins.append({"label": f"{shown(lo)} to {shown(hi)}", "lo": lo, "hi": hi, "count": 0,
                     "correct": k == index(correct)})
    for value in numbers:
        bins[index(value)]["count"] += 1
    for label, sign in ((MINUS, -1), ("+", 1)):
        tally = sum(1 for answer in answers if answer["value"] is None and answer["sign"] == sign)
        bins.append({"label": label, "lo": None, "hi": None, "count": tally, "correct": sign_of(correct) == sign})
    return bins


def csv_text(answers: list[dict], correct: float) -> str:
    """One row per answer in the order they came: no client ids, nothing personal."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["answer_number", "answer", "value", "right"])
    for number, answer in enumerate(answers, start=1):
        value = "" if answer["value"] is None else repr(answer["value"])
        writer.writerow([number, answer["answer"], value, str(is_right(answer, correct)).lower()])
    return out.getvalue()
