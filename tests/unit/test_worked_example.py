"""Every figure of the worked example (tests/data/worked_example.json, copied from the reference
document), at its step, in its notation.

Expected numbers are the reference's, displayed as the page displays them (at most 9 significant
digits, trailing zeros dropped).
"""
import json
from pathlib import Path

import pytest

from webapp.engine import build_trace
from webapp.engine.expand import expand_trace
from webapp.engine.templates import fill, fmt, graph_lookup
from webapp.presets import WORKED_EXAMPLE
from webapp.spec import parse_spec

FIGURES = json.loads((Path(__file__).parents[1] / "data" / "worked_example.json").read_text())["figures"]


@pytest.fixture(scope="module")
def trace():
    spec, granularity = parse_spec(WORKED_EXAMPLE)
    return expand_trace(build_trace(spec, granularity))  # every step in full, as the page reads it


@pytest.fixture(scope="module")
def steps(trace):
    return {s["id"]: s for s in trace["steps"]}


@pytest.mark.parametrize("step_id, symbol, expected",
                         [(f["step"], f["symbol"], f["value"]) for f in FIGURES if "symbol" in f])
def test_document_figure_at_its_step(steps, step_id, symbol, expected):
    step = steps[step_id]
    assert step["symbol"] == symbol
    assert fmt(step["value"]) == expected


def test_factors_of_de1_dw21_are_the_documents(steps):
    # 2.0 * 0.8 * (-1), then 2.0, then h_1 = 3.0
    dedo, slope, dadw = steps["grad-w2-0-0"]["factors"]
    assert [fmt(v) for _, v in dedo[3]] == ["2", "0.8", "-1"]
    assert fmt(dedo[1]) == "-1.6"
    assert (slope[0], fmt(slope[1])) == (r"\frac{\partial o_{1}}{\partial a_{21}}", "2")
    assert (dadw[0], fmt(dadw[1]), dadw[2]) == (r"\frac{\partial a_{21}}{\partial w_{21}}", "3", "n1-0")


def test_de1_dw11_has_five_factors_reusing_the_output_layer(steps):
    factors = steps["gradk0-w1-0-0"]["factors"]
    assert [f[0] for f in factors] == [
        r"\frac{\partial e_{1}}{\partial o_{1}}", r"\frac{\partial o_{1}}{\partial a_{21}}",
        r"\frac{\partial a_{21}}{\partial h_{1}}", r"\frac{\partial h_{1}}{\partial a_{1}}",
        r"\frac{\partial a_{1}}{\partial w_{11}}"]
    assert [fmt(f[1]) for f in factors] == ["-1.6", "2", "0.2", "2", "3"]
    # The first two are the very factors of the output layer's step for w_21.
    assert factors[:2] == steps["grad-w2-0-0"]["factors"][:2]


def test_total_gradient_of_w11_sums_the_per_output_parts(steps):
    step = steps["grad-w1-0-0"]
    assert [fmt(t[1]) for t in step["terms"]] == ["-3.84", "-0.96"]


@pytest.mark.parametrize("check_id, element, forward_difference",
                         [(f["step"], f["on"][0], f["value"]) for f in FIGURES if f["on"][1:] == ["check", None]])
def test_forward_difference_checks(steps, check_id, element, forward_difference):
    row = steps[check_id]["rows"][0]
    assert row[0] == element
    assert fmt(row[2]) == forward_difference


def test_per_output_forward_differences_of_w11(steps):
    terms = steps["check-n1-0"]["terms"]
    assert [fmt(t[1]) for t in terms] == ["-3.83999424", "-0.95999856"]


def test_arrays_hold_the_documents_numbers(trace):
    assert trace["forward"]["pre_activations"] == [[1.5], [0.6, 0.3]]
    assert trace["forward"]["activations"] == [[3.0], [3.0], [1.2, 0.6]]
    assert [fmt(v) for v in trace["loss"]["per_output"]] == ["0.64", "0.16"]
    assert trace["gradients"]["weights"] == [[[-4.8]], [[-9.6], [-4.8]]]
    # de_k/dw_11 = de_k/da_1 * x_11 (the trace sends de_k/da_1).
    x = trace["forward"]["activations"][0][0]
    assert [k["deltas"][0][0] * x for k in trace["gradients"]["per_output"]] == [pytest.approx(-3.84), pytest.approx(-0.96)]
    fd = trace["numeric_gradients"]["forward"]["weights"]
    assert [fmt(fd[1][0][0]), fmt(fd[1][1][0])] == ["-9.599964", "-4.799964"]


def test_notation_follows_the_document(trace):
    symbols = {n["id"]: n["symbol"] for n in trace["graph"]["nodes"]}
    assert symbols == {"n0-0": "x_{11}", "n1-0": "h_{1}", "n2-0": "o_{1}", "n2-1": "o_{2}",
                       "e-0": "e_{1}", "e-1": "e_{2}", "E": "e_{total}"}
    assert [e["symbol"] for e in trace["graph"]["edges"]] == ["w_{11}", "w_{21}", "w_{22}"]


def test_formulas_put_the_numbers_in(trace, steps):
    lookup = graph_lookup(trace["graph"])
    formula, _ = fill(steps["grad-w2-0-0"], lookup)
    assert r"2 \cdot 0.8 \cdot (-1) \cdot 2 \cdot 3 = -9.6" in formula
    formula, narration = fill(steps["loss-total"], lookup)
    assert "0.64 + 0.16 = 0.8" in formula
    assert "does not divide" in narration or "without dividing by n" in narration


def test_every_neuron_gets_an_error_signal_step(steps):
    # The document's closing rule: error signal times the edge's input, for every neuron.
    assert {"delta-n2-0", "delta-n2-1", "delta-n1-0"} <= set(steps)


def test_phases_come_in_order(trace):
    order = ["forward", "loss", "backward", "check", "update"]
    phases = [s["phase"] for s in trace["steps"]]
    assert phases == sorted(phases, key=order.index)
    assert len({s["id"] for s in trace["steps"]}) == len(phases)


def test_update_moves_each_weight_against_its_gradient(steps):
    # w - 0.1 * dE/dw by hand: 0.2 + 0.96, 0.1 + 0.48, 0.5 + 0.48
    assert [fmt(steps[f"update-{n}"]["rows"][0][3]) for n in ("n2-0", "n2-1", "n1-0")] == ["1.16", "0.58", "0.98"]
