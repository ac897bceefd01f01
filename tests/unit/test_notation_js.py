"""The two LaTeX -> text converters, static/js/notation.js (the reference, run in Node) and its
Python port webapp.engine.notation, read one symbol table (static/js/symbols.json). Here both run
over the same inputs: a hand-written table of (LaTeX, expected text), every command of the shared
table, and every symbol, formula and narration the presets' traces hold; they must agree on all of
them, and on the hand-written ones with the table.

Also: the quiz's masked fill (formula.js fillLatex with hidden) puts "?" where the value was.
Skipped when node is missing.
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from webapp.engine import build_trace
from webapp.engine.expand import expand_trace
from webapp.engine.notation import latex_runs, latex_to_text
from webapp.engine.templates import fill, graph_lookup
from webapp.presets import PRESETS, WORKED_EXAMPLE
from webapp.spec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
NOTATION_JS = ROOT / "static" / "js" / "notation.js"
SYMBOLS_JSON = ROOT / "static" / "js" / "symbols.json"
FORMULA_JS = ROOT / "static" / "js" / "formula.js"
NODE = shutil.which("node")

# (LaTeX as the engine writes it, the plain Unicode text a person copies and a screen reader reads).
TEXT_CASES = [
    ("x_{11}", "x₁₁"),
    ("w_{211}", "w₂₁₁"),
    ("w_{3,12,5}", "w₃,₁₂,₅"),  # Unicode has no subscript comma: it stays on the line
    (r"\delta_{21}", "δ₂₁"),
    (r"\frac{\partial e_{1}}{\partial o_{1}}", "∂e₁/∂o₁"),
    (r"\frac{\partial e_{1}}{\partial w_{211}}", "∂e₁/∂w₂₁₁"),
    ("e_{total}", "eₜₒₜₐₗ"),
    (r"\frac{\partial e_{total}}{\partial h_{21}}", "∂eₜₒₜₐₗ/∂h₂₁"),
    (r"\varepsilon = 1e-06", "ε = 1e-06"),
    (r"\eta \cdot \frac{\partial e_{total}}{\partial w_{21}}", "η · ∂eₜₒₜₐₗ/∂w₂₁"),
    (r"w_{21}' = w_{21} - \eta \cdot (-9.6)", "w₂₁′ = w₂₁ - η · (-9.6)"),
    ("the edge's input, p' = p", "the edge's input, p′ = p"),  # an apostrophe before a letter, else a prime
    (r"(t_{1} - o_{1})^2", "(t₁ - o₁)²"),
    (r"\frac{1}{1 + e^{-a}}", "1/(1 + e⁻ᵃ)"),
    (r"\frac{1}{1 + e^{-0.3775}}", "1/(1 + e^(-0.3775))"),  # no superscript point: the exponent in ^( )
    (r"\frac{2}{3}", "2/3"),
    (r"\frac{0.7999904 - 0.8}{1e-06} = -9.599964", "(0.7999904 - 0.8)/1e-06 = -9.599964"),
    (r"\sigma(a)\,(1 - \sigma(a))", "σ(a) (1 - σ(a))"),
    (r"1 - \tanh^2(a)", "1 - tanh²(a)"),
    (r"-\left(t_{1} \ln o_{1} + (1 - t_{1}) \ln(1 - o_{1})\right)", "-(t₁ ln o₁ + (1 - t₁) ln(1 - o₁))"),
    (r"1 \text{ if } a > 0 \text{ else } 0.01", "1 if a > 0 else 0.01"),
    (r"\text{fwd } e_{1}", "fwd e₁"),
    (r"\max(0, a)", "max(0, a)"),
    (r"w_{21} \delta_{21} = -0.64", "w₂₁ δ₂₁ = -0.64"),
    (r"\partial \cdot x", "∂ · x"),  # a symbol keeps its space before an operator...
    (r"\partial \delta", "∂δ"),  # ...and loses it before another symbol, as TeX does
    (r"\toString x", "toString x"),  # an unknown command shows its name, whatever it is called
    (r"a \qquad b", "a \u2003\u2003 b"),  # a wide gap (two em spaces) between two formulas
    (r"\begin{array}{lr} & \text{backprop} \\ \hline w_{21} & -9.6 \end{array}", "| backprop \n w₂₁ | -9.6"),
    (r"\begin{aligned} a &= b \\ &= c \end{aligned}", "a = b \n = c"),
    ("The input x_{11} = 3 travels along the edge and is multiplied by its weight w_{11} = 0.5: "
     r"the edge carries 0.5 \cdot 3 = 1.5.",
     "The input x₁₁ = 3 travels along the edge and is multiplied by its weight w₁₁ = 0.5: the edge carries 0.5 · 3 = 1.5."),
]

# Runs for the SVG and HTML renderers: [text, shift].
RUN_CASES = [
    (r"\frac{\partial e_{total}}{\partial w_{21}}", [["∂e", None], ["total", "sub"], ["/∂w", None], ["21", "sub"]]),
    (r"\delta_{1} \cdot x_{11}", [["δ", None], ["1", "sub"], [" · x", None], ["11", "sub"]]),
    ("w_{21}'", [["w", None], ["21", "sub"], ["′", None]]),
    (r"e^{-a}", [["e", None], ["-a", "sup"]]),
]

LINE_CASES = [
    (r"\begin{array}{l} w_{21}' = 1.16 \\ w_{22}' = 0.58 \end{array}",
     [[["w", None], ["21", "sub"], ["′ = 1.16", None]], [["w", None], ["22", "sub"], ["′ = 0.58", None]]]),
]

NODE_SCRIPT = """
const notation = await import(process.argv[1]);
const formula = await import(process.argv[2]);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input);
const runs = (rs) => rs.map((r) => [r.text, r.shift]);
process.stdout.write(JSON.stringify({
  text: job.inputs.map(notation.toText),
  runs: job.inputs.map((s) => runs(notation.toRuns(s))),
  lines: job.lines.map((s) => notation.toLines(s).map(runs)),
  hidden: job.hidden.map((id) => {
    const step = job.trace.steps.find((s) => s.id === id);
    const r = formula.fillLatex(job.trace, step, { hidden: true });
    return [r.formula, notation.toText(r.narrationLatex)];
  }),
}));
"""

# Hidden (quiz) fills of worked-example steps: "?" where the value and the contribution sent back were.
HIDDEN_CASES = [
    ("grad-w2-0-0",
     r"\frac{\partial e_{total}}{\partial w_{21}} = \frac{\partial e_{1}}{\partial w_{21}} = "
     r"\frac{\partial e_{1}}{\partial o_{1}} \cdot \frac{\partial o_{1}}{\partial a_{21}} \cdot "
     r"\frac{\partial a_{21}}{\partial w_{21}} = \delta_{21} \cdot h_{1} = 2 \cdot 0.8 \cdot (-1) \cdot 2 \cdot 3 = ?"
     r" \qquad w_{21} \delta_{21} = ?",
     "Chain rule along w₂₁: ∂e₁/∂w₂₁ = ∂e₁/∂o₁ · ∂o₁/∂a₂₁ · ∂a₂₁/∂w₂₁ = 2 · 0.8 · (-1) · 2 · 3 = ?. "
     "The general rule: the error signal times the edge's input, δ₂₁ · h₁. "
     "On its way back the error signal brings w₂₁ δ₂₁ = ? to h₁."),
    ("dedo-n2-1",
     r"\frac{\partial e_{2}}{\partial o_{2}} = 2 \cdot (t_{2} - o_{2}) \cdot (-1) = 2 \cdot 0.4 \cdot (-1) = ?",
     "The backward pass starts at the loss: when o₂ moves, e₂ changes at the rate ∂e₂/∂o₂ = 2 · 0.4 · (-1) = ?."),
]



def table_inputs():
    """Every command of the shared table before a letter, a space and an operator, and with a script."""
    commands = json.loads(SYMBOLS_JSON.read_text(encoding="utf-8"))["commands"]
    return [f"\\{name}{after}" for name in commands for after in ("x", " x", r" \cdot x", "_{1}", " {y}")]


def trace_inputs():
    """Every symbol, formula and narration (LaTeX) of the presets' traces, as the engine writes them."""
    out = []
    for preset in PRESETS:
        for granularity in ("edge", "neuron"):
            spec, _ = parse_spec(dict(preset["spec"], granularity=granularity))
            trace = expand_trace(build_trace(spec, granularity))
            for part in ("nodes", "edges", "biases"):
                out += [el[key] for el in trace["graph"][part] or []
                        for key in ("symbol", "pre_symbol", "delta_symbol") if el.get(key)]
            lookup = graph_lookup(trace["graph"])
            for step in trace["steps"]:
                out += fill(step, lookup)
    return list(dict.fromkeys(out))


@pytest.fixture(scope="module")
def inputs():
    return [c[0] for c in TEXT_CASES] + [c[0] for c in RUN_CASES] + table_inputs() + trace_inputs()


@pytest.fixture(scope="module")
def js(inputs):
    if NODE is None:
        pytest.skip("node is not installed")
    spec, _ = parse_spec(WORKED_EXAMPLE)
    job = {"inputs": inputs, "lines": [c[0] for c in LINE_CASES], "hidden": [c[0] for c in HIDDEN_CASES],
           "trace": expand_trace(build_trace(spec, "auto"))}
    proc = subprocess.run(
        [NODE, "--input-type=module", "-e", NODE_SCRIPT, NOTATION_JS.as_uri(), FORMULA_JS.as_uri()],
        input=json.dumps(job), capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    out["text"] = dict(zip(inputs, out["text"]))
    out["runs"] = dict(zip(inputs, out["runs"]))
    return out


def test_both_converters_agree(js, inputs):
    """The parity test: the JavaScript converter and its Python port on the same inputs."""
    assert len(inputs) > 500
    text = [(latex, js["text"][latex], latex_to_text(latex)) for latex in inputs]
    assert [t for t in text if t[1] != t[2]] == []
    runs = [(latex, js["runs"][latex], latex_runs(latex)) for latex in inputs]
    assert [r for r in runs if r[1] != r[2]] == []


@pytest.mark.parametrize("latex, text", TEXT_CASES, ids=[c[0][:40] for c in TEXT_CASES])
def test_text(js, latex, text):
    assert {"javascript": js["text"][latex], "python": latex_to_text(latex)} == {"javascript": text, "python": text}


@pytest.mark.parametrize("latex, runs", RUN_CASES, ids=[c[0][:40] for c in RUN_CASES])
def test_runs(js, latex, runs):
    assert {"javascript": js["runs"][latex], "python": latex_runs(latex)} == {"javascript": runs, "python": runs}


def test_lines(js):
    assert js["lines"] == [c[1] for c in LINE_CASES]


@pytest.mark.parametrize("n", range(len(HIDDEN_CASES)), ids=[c[0] for c in HIDDEN_CASES])
def test_hidden_fill_shows_a_question_mark(js, n):
    _, formula, narration = HIDDEN_CASES[n]
    assert js["hidden"][n] == [formula, narration]
