"""Poll answers read, judged, binned and exported (webapp/live/answers.py). Every expected value is
worked out by hand below from the rule |a - c| <= 0.05 |c| + 0.001 and the bins' definition."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.live.answers import csv_text, histogram, is_right, parse
from webapp.live.errors import LiveError

MINUS = "\u2212"


@pytest.mark.parametrize("text, answer, value, sign", [
    ("-9.6", "-9.6", -9.6, -1),
    (MINUS + "9.6", MINUS + "9.6", -9.6, -1),   # a phone's or a formula's minus sign
    ("-9,6", "-9,6", -9.6, -1),                 # a decimal comma
    ("  3 ", "3", 3.0, 1),                      # trimmed
    ("1.5e-3", "1.5e-3", 0.0015, 1),
    (".5", ".5", 0.5, 1),
    ("+2", "+2", 2.0, 1),
    ("0", "0", 0.0, 0),
    ("-0", "-0", 0.0, 0),
    ("+", "+", None, 1),
    ("-", "-", None, -1),
    (MINUS, MINUS, None, -1),
])
def test_answers_are_read(text, answer, value, sign):
    assert parse(text, 32) == {"answer": answer, "value": value, "sign": sign}


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "<img src=x onerror=alert(1)>", "1e400", "9" * 33, "--1", "1-", "NaN", "inf",
    "0x10", "1 2", "\u0663", "1..2", "e5", "+-", MINUS + MINUS + "1", 5, None, ["-9.6"],
])
def test_anything_but_a_number_or_a_sign_is_refused(text):
    with pytest.raises(LiveError) as caught:
        parse(text, 32)
    assert caught.value.field == "answer" and caught.value.status == 400


def test_the_length_limit_is_the_given_one():
    assert parse("1" * 32, 32)["value"] == float("1" * 32)
    with pytest.raises(LiveError):
        parse("1" * 5, 4)


# Against the worked example's dE/dw21 = -9.6 the tolerance is 0.05 * 9.6 + 0.001 = 0.481.
@pytest.mark.parametrize("text, right", [
    ("-9.6", True), ("-9.5", True), ("-10", True), ("-10.08", True), ("-9.12", True),
    ("-10.09", False), ("-9.11", False), ("3", False), ("9.6", False), ("+", False), ("-", True), (MINUS, True),
])
def test_right_answers_to_minus_9_6(text, right):
    assert is_right(parse(text, 32), -9.6) is right


# A correct value of 0: the tolerance is the absolute 0.001 alone, and no sign is right.
@pytest.mark.parametrize("text, right", [("0", True), ("0.001", True), ("-0.001", True), ("0.0011", False),
                                         ("+", False), ("-", False)])
def test_right_answers_to_zero(text, right):
    assert is_right(parse(text, 32), 0.0) is right


def answers_of(*texts):
    return [parse(text, 32) for text in texts]


def test_histogram_of_a_class_answering_minus_9_6():
    # Values -10 .. 3 span 13; 13 / 9 = 1.44, so the nice width is 2 from floor(-10 / 2) * 2 = -10:
    # 7 bins, -10 to 4. -9.6, -9.5 and -10 fall in [-10, -8) (the correct one), 3 in [2, 4).
    bins = histogram(answers_of("-9.6", "-9.5", "-10", "3", "+", "-"), -9.6)
    numeric = [(b["lo"], b["hi"], b["count"], b["correct"]) for b in bins[:-2]]
    assert numeric == [(-10, -8, 3, True), (-8, -6, 0, False), (-6, -4, 0, False), (-4, -2, 0, False),
                       (-2, 0, 0, False), (0, 2, 0, False), (2, 4, 1, False)]
    assert bins[0]["label"] == f"{MINUS}10 to {MINUS}8" and bins[5]["label"] == "0 to 2"
    assert bins[-2:] == [{"label": MINUS, "lo": None, "hi": None, "count": 1, "correct": True},
                         {"label": "+", "lo": None, "hi": None, "count": 1, "correct": False}]


def test_histogram_before_any_answer_shows_the_correct_bin():
    # One value, -9.6: bins as for a span of 9.6, 9.6 / 9 = 1.07 -> width 2 from -10.
    bins = histogram([], -9.6)
    assert [(b["lo"], b["hi"], b["count"], b["correct"]) for b in bins] == [
        (-10, -8, 0, True), (None, None, 0, True), (None, None, 0, False)]


def test_a_value_on_a_bin_edge_is_in_the_bin_it_starts():
    # 0.1 .. 0.3 spans 0.2; 0.2 / 9 = 0.022 -> width 0.025 from 0.1; 0.2 starts the fifth bin.
    bins = histogram(answers_of("0.1", "0.3"), 0.2)[:-2]
    assert len(bins) == 9
    assert (bins[4]["lo"], bins[4]["hi"], bins[4]["correct"]) == (0.2, 0.225, True)
    assert [b["count"] for b in bins] == [1, 0, 0, 0, 0, 0, 0, 0, 1]


@given(st.lists(st.floats(-1e6, 1e6), max_size=40), st.floats(-1e6, 1e6))
def test_histogram_bins_hold_every_answer_once(values, correct):
    bins = histogram([{"answer": "", "value": v + 0.0, "sign": 0} for v in values], correct)[:-2]
    assert 1 <= len(bins) <= 9
    assert sum(b["count"] for b in bins) == len(values)
    width = bins[0]["hi"] - bins[0]["lo"]
    assert all(math.isclose(b["hi"] - b["lo"], width, rel_tol=1e-6) for b in bins)
    # Bins are [lo, hi), a value within a billionth of a width below an edge counted above it.
    slack = width * 1e-9
    assert bins[0]["lo"] - slack <= min([*values, correct]) and max([*values, correct]) < bins[-1]["hi"] + slack
    assert sum(b["correct"] for b in bins) == 1


def test_csv_has_one_row_per_answer_and_no_client_ids():
    text = csv_text(answers_of("-9.6", "3", "-", MINUS + "9,6"), -9.6)
    assert text == ("answer_number,answer,value,right\r\n"
                    "1,-9.6,-9.6,true\r\n"
                    "2,3,3.0,false\r\n"
                    "3,-,,true\r\n"
                    f'4,"{MINUS}9,6",-9.6,true\r\n')
