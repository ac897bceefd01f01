"""The worked solution (webapp/solution): its sections in the reference's order, the reference's
figures in the reference's order, every parameter checked and updated, batches, softmax, dense
networks, a complete amsmath-only LaTeX article, and every math span parsed by the page's temml.

Expected figures come from the reference (tests/data/worked_example.json) and from the spec's own
sizes, never from the code under test."""
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from webapp.engine import build_trace
from webapp.engine.expand import expand_trace
from webapp.presets import PRESETS
from webapp.solution import render_solution
from webapp.spec import parse_decoded

ROOT = Path(__file__).resolve().parents[2]
FIGURES = json.loads((ROOT / "tests" / "data" / "worked_example.json").read_text())["figures"]
PRESET = {p["id"]: p["spec"] for p in PRESETS}
NODE = shutil.which("node")
# Math spans in document order: display first in each alternation, as the writers emit them.
SPANS = {"markdown": re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$"), "latex": re.compile(r"\\\[(.+?)\\\]|(?<!\\)\$(.+?)\$")}
SECTIONS = ["The network and its notation", "The forward pass", "The loss", "The backward pass",
            "The finite-difference check of every parameter", "The update", "The general rule"]


def document(body, format_="markdown"):
    return render_solution(build_trace(*parse_decoded(body)), format_)


def spans(text, format_):
    return [m.group(1) or m.group(2) for m in SPANS[format_].finditer(text)]


def sections(markdown):
    return [re.sub(r"^\d+\. ", "", line[3:]) for line in markdown.splitlines() if line.startswith("## ")]


def random_body(seed, samples=0):
    """A small network of random shape, activations and loss that the API accepts."""
    rng = random.Random(seed)
    layers = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    hidden = [{"name": rng.choice(["sigmoid", "tanh", "relu", "leaky_relu", "linear"])} for _ in layers[2:]]
    out, loss = rng.choice([("linear", "sse"), ("tanh", "mse"), ("sigmoid", "half_sse"), ("sigmoid", "bce"),
                            ("softmax", "cce")])
    if out == "softmax":
        layers[-1] = max(layers[-1], 2)

    def targets():
        if out == "softmax":
            hot = rng.randrange(layers[-1])
            return [1.0 if k == hot else 0.0 for k in range(layers[-1])]
        return [round(rng.uniform(0.1, 0.9), 2) for _ in range(layers[-1])]

    def inputs():
        return [round(rng.uniform(-1, 1), 2) for _ in range(layers[0])]

    body = {"layers": layers, "weights": None, "seed": seed, "biases": rng.random() < 0.5,
            "activations": hidden + [{"name": out}], "loss": loss}
    if samples:
        return {**body, "samples": [{"inputs": inputs(), "targets": targets()} for _ in range(samples)]}
    return {**body, "inputs": inputs(), "targets": targets()}


def parameter_count(body):
    layers = body["layers"]
    biases = sum(layers[1:]) if body.get("biases") else 0
    return sum(a * b for a, b in zip(layers, layers[1:])) + biases


RANDOM = [random_body(seed) for seed in range(6)] + [random_body(10, samples=3)]


def holds(span, symbol, number):
    """The symbol (if any) in the span, and the number after it."""
    start = span.find(symbol) if symbol else 0
    return start >= 0 and number.search(span, start + len(symbol)) is not None


@pytest.mark.parametrize("format_", ["markdown", "latex"])
def test_worked_example_figures_appear_in_the_references_order(format_):
    """Each figure's symbol and then its number in a math span, each span at or after the previous figure's."""
    found, at = spans(document(PRESET["worked-example"], format_), format_), 0
    for figure in FIGURES:
        number = re.compile(r"(?<![\d.])" + re.escape(figure["value"]) + r"(?![\d])")
        symbol = figure.get("symbol", "")

        hits = [k for k in range(at, len(found)) if holds(found[k], symbol, number)]
        assert hits, f"{figure['step']} {symbol} = {figure['value']} missing after span {at}"
        at = hits[0]


def test_sections_follow_the_reference():
    assert sections(document(PRESET["worked-example"])) == SECTIONS
    batch = sections(document(PRESET["xor-batch"]))
    assert batch == SECTIONS[:4] + ["The batch gradient"] + SECTIONS[4:]


def test_the_backward_pass_is_written_out_as_the_reference_does():
    text = document(PRESET["worked-example"])
    # Hand computed: w_21 delta_21 = 0.2 * (-3.2), w_22 delta_22 = 0.1 * (-1.6): the fan-out sum at h_1.
    fan_out = r"\frac{\partial e_{total}}{\partial h_{1}} = w_{21} \delta_{21} + w_{22} \delta_{22} = (-0.64) + (-0.16) = -0.8"
    assert f"$${fan_out}$$" in text
    # The factors reused from the output layer are pointed out once per loss term, before the rest.
    reused = text.split("Already calculated in the output layer:")
    assert len(reused) == 3
    assert reused[1].lstrip().startswith(r"$$\frac{\partial e_{1}}{\partial o_{1}} \cdot \frac{\partial o_{1}}{\partial a_{21}}$$")
    assert r"$$\frac{\partial a_{21}}{\partial h_{1}} = w_{21} = 0.2$$" in reused[1]
    # The chain for w_21 written out, then each factor with its value (the reference's 2.0 * 0.8 * (-1), 2.0, h_1 = 3.0).
    assert (r"$$\frac{\partial e_{1}}{\partial w_{21}} = \frac{\partial e_{1}}{\partial o_{1}} \cdot "
            r"\frac{\partial o_{1}}{\partial a_{21}} \cdot \frac{\partial a_{21}}{\partial w_{21}}$$") in text
    for line in [r"\frac{\partial e_{1}}{\partial o_{1}} = 2 \cdot 0.8 \cdot (-1) = -1.6",
                 r"\frac{\partial o_{1}}{\partial a_{21}} = 2", r"\frac{\partial a_{21}}{\partial w_{21}} = h_{1} = 3"]:
        assert f"$${line}$$" in text
    rule = text.split("## 7. The general rule")[1]
    assert r"\delta_{lj} \cdot h_{l-1,i}" in rule and r"\delta_{21} \cdot h_{1} = (-3.2) \cdot 3 = -9.6" in rule


@pytest.mark.parametrize("body", RANDOM, ids=[f"random{n}" for n in range(len(RANDOM))])
def test_every_parameter_is_checked_and_updated(body):
    text = document(body)
    check = text.split("The finite-difference check")[1].split("## ")[1:]
    update = text.split("The update")[1]
    total = "E" if "samples" in body else "e_{total}"
    checked = re.findall(r"\\frac\{" + re.escape(total) + r"\((\S+) \+ \\varepsilon\)", "".join(check))
    updated = re.findall(r"(\S+)' = \1 - \\eta", update)
    assert len(checked) == len(set(checked)) == parameter_count(body)
    assert set(updated) == set(checked) and len(updated) == len(checked)


def test_a_batch_goes_sample_by_sample_then_accumulates():
    text = document(PRESET["xor-batch"])
    per_sample = re.findall(r"^### Sample (\d)$", text, re.M)
    assert per_sample == ["1", "2", "3", "4"] * 3  # forward, loss, backward
    assert re.search(r"^\$\$E = \\frac\{1\}\{4\}\\left\(E_\{1\} \+ E_\{2\} \+ E_\{3\} \+ E_\{4\}\\right\)", text, re.M)
    batch = text.split("## 5. The batch gradient")[1].split("## 6.")[0]
    assert batch.count(r"\frac{\partial E}{\partial ") >= parameter_count(PRESET["xor-batch"])
    assert r"\frac{\partial E}{\partial w} = \frac{1}{N} \sum_{n=1}^{N}" in text


def test_softmax_writes_the_jacobian_and_the_shortcut():
    text = document(PRESET["softmax-2-3-3"])
    assert "#### The loss slopes and the softmax Jacobian" in text
    assert r"\begin{array}{r|rrr} & a_{21} & a_{22} & a_{23}" in text
    assert len(re.findall(r"\\delta_\{2(\d)\} = o_\{\1\} - t_\{\1\}", text)) == 3
    assert r"\delta_{k} = \sum_{j}" in text


def test_a_dense_network_is_grouped_neuron_by_neuron():
    body = {"layers": [16, 16, 16, 2], "weights": None, "seed": 1, "biases": True, "inputs": [0.5] * 16,
            "targets": [0.2, 0.8]}
    text = document(body)
    assert "more than 300 weights (counting every sample's), so the edges into each neuron are grouped" in text
    backward = text.split("## 4. The backward pass")[1].split("## 5.")[0]
    assert len(re.findall(r"^#### Neuron ", backward, re.M)) == 16 + 16 + 2
    assert text.count(r"\frac{e_{total}(") == parameter_count(body)


def test_grouping_asked_for_is_said_so():
    text = document({**PRESET["sigmoid-2-2-2"], "granularity": "neuron"})
    assert "As the request asked (granularity neuron), the edges into each neuron are grouped" in text
    assert "As the request asked" not in document(PRESET["sigmoid-2-2-2"])


@pytest.mark.parametrize("preset", list(PRESET))
def test_latex_is_a_complete_article_needing_amsmath_only(preset):
    text = document(PRESET[preset], "latex")
    assert text.startswith("\\documentclass{article}\n")
    assert re.findall(r"\\usepackage(?:\[[^]]*\])?\{([^}]*)\}", text) == ["amsmath"]
    assert text.rstrip().endswith(r"\end{document}") and text.count(r"\begin{document}") == 1
    stack = []
    for kind, name in re.findall(r"\\(begin|end)\{([^}]*)\}", text):
        if kind == "begin":
            stack.append(name)
        else:
            assert stack and stack.pop() == name
    assert stack == []
    depth = 0
    for c in re.sub(r"\\[{}$\\]", "", text):
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    assert text.count(r"\[") == text.count(r"\]")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("preset", ["worked-example", "softmax-2-3-3"])
def test_latex_compiles(preset, tmp_path):
    (tmp_path / "solution.tex").write_text(document(PRESET[preset], "latex"), encoding="utf-8")
    result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "solution.tex"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:]
    assert (tmp_path / "solution.pdf").stat().st_size > 10_000


@pytest.mark.parametrize("preset", list(PRESET))
def test_numbers_have_at_most_nine_significant_digits(preset):
    for number in re.findall(r"\d+\.\d+|\d{10,}", document(PRESET[preset])):
        assert len(number.replace(".", "").lstrip("0")) <= 9, number


def run_temml(docs, tmp_path):
    path = tmp_path / "docs.json"
    path.write_text(json.dumps(docs))
    result = subprocess.run([NODE, str(ROOT / "tests" / "js" / "solution_math.mjs"), str(path)],
                            capture_output=True, text=True, timeout=300)
    return result.returncode, json.loads(result.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_every_math_span_parses_in_temml(tmp_path):
    bodies = {**PRESET, **{f"random{n}": body for n, body in enumerate(RANDOM)}}
    docs = {f"{name}.{fmt}": {"format": fmt, "text": document(body, fmt)}
            for name, body in bodies.items() for fmt in ("markdown", "latex")}
    code, report = run_temml(docs, tmp_path)
    assert code == 0 and report["failed"] == 0, report["failures"]
    expected = sum(len(spans(doc["text"], doc["format"])) for doc in docs.values())
    assert report["spans"] == expected > 3000


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_temml_check_can_fail(tmp_path):
    docs = {"bad": {"format": "markdown", "text": "# t\n\n$$\\frac{1}{$$\n\n$a_{1$\n"},
            "none": {"format": "latex", "text": "no math"}}
    code, report = run_temml(docs, tmp_path)
    assert code == 1 and report["failed"] == 3


def test_a_long_latex_chain_breaks_only_at_its_top_level_equals():
    from webapp.solution.latex import display, top_level_parts

    chain = r"a = \begin{array}{l} x = 1 \\ y = 2 \end{array} = \left( b = c \right) = \frac{1}{2} = \{ d"
    assert top_level_parts(chain) == ["a", r"\begin{array}{l} x = 1 \\ y = 2 \end{array}", r"\left( b = c \right)",
                                      r"\frac{1}{2}", r"\{ d"]
    assert display("a = b = c") == r"\[ a = b = c \]"  # short: one line
    long = " = ".join(["x" * 40] * 3)
    assert display(long) == r"\[ \begin{aligned} " + "x" * 40 + r" &= " + "x" * 40 + r" \\ &= " + "x" * 40 + \
        r" \end{aligned} \]"


def test_a_non_finite_number_is_written_as_the_page_writes_it():
    trace = expand_trace(build_trace(*parse_decoded(PRESET["worked-example"])))  # every step's rows
    for step in trace["steps"]:
        if step["id"] in ("sum-n2-0", "grad-w2-0-0", "check-n2-0"):
            step["value"] = None  # as trace_json writes an overflow
            for row in step.get("rows", []):
                row[2] = None
    text = render_solution(trace, "markdown")
    assert text.count("non-finite") >= 3
    assert render_solution(trace, "latex").count("non-finite") >= 3
