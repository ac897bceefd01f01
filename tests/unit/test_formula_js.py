"""static/js/formula.js fills formulas and narrations exactly as the engine's `fill` does.

For every preset and every granularity, Python's (formula, latex_to_text(narration)) of every
step is compared with what Node computes from the same trace JSON, each side expanding the trace
with its own expander (expand.py, expand.js); `fmt` is compared on a table of awkward numbers
(exponents, ties, rounding carries). Skipped when node is missing.
"""
import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest

from webapp.engine import build_trace
from webapp.engine.expand import expand_trace
from webapp.engine.notation import latex_to_text
from webapp.engine.templates import fill, fmt, graph_lookup
from webapp.presets import PRESETS
from webapp.spec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
FORMULA_JS = ROOT / "static" / "js" / "formula.js"
EXPAND_JS = ROOT / "static" / "js" / "expand.js"
NODE = shutil.which("node")

FMT_CASES = [
    0.0, -0.0, 1.0, 3, -9.6, 1.5, 0.1, 1e-6, 1e-5, 1e-4, 0.0001234, 0.00001234, 5.62624021e-12,
    -3.83999424, -4.7999928, 123456789.0, 1234567890.0, 999999999.4, 999999999.5, 9999999995.0,
    1234567885.0, 1234567895.0, 0.125, 2.5, 1 / 3, -2 / 3, 1e300, -1e-300, 5e-324, 1.7976931348623157e308,
    0.30000000000000004, 100.0, 1e9, 1e8, 12345.6789012, math.pi * 1e-5, math.e * 1e12, None,
]

# Reads a JSON job on stdin, writes the JS results on stdout.
NODE_SCRIPT = """
const { fmt, fillStep } = await import(process.argv[1]);
const { expandTrace } = await import(process.argv[2]);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input);
const out = {
  fmt: job.fmt.map(fmt),
  traces: job.traces.map(expandTrace).map((t) => t.steps.map((s) => { const r = fillStep(t, s); return [r.formula, r.narration]; })),
};
process.stdout.write(JSON.stringify(out));
"""


def traces():
    for preset in PRESETS:
        for granularity in ("edge", "neuron"):
            spec, _ = parse_spec(dict(preset["spec"], granularity=granularity))
            yield f"{preset['id']}/{granularity}", build_trace(spec, granularity)


def python_fill(trace):
    trace = expand_trace(trace)
    lookup = graph_lookup(trace["graph"])
    out = []
    for step in trace["steps"]:
        formula, narration = fill(step, lookup)
        out.append([formula, latex_to_text(narration)])
    return out


@pytest.fixture(scope="module")
def js_results():
    if NODE is None:
        pytest.skip("node is not installed")
    named = list(traces())
    job = {"fmt": FMT_CASES, "traces": [t for _, t in named]}
    # The repository's package.json ("type": "module") makes Node load static/js/*.js as ES modules.
    proc = subprocess.run(
        [NODE, "--input-type=module", "-e", NODE_SCRIPT, FORMULA_JS.as_uri(), EXPAND_JS.as_uri()],
        input=json.dumps(job), capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    return named, result


def test_fmt_matches_python(js_results):
    _, result = js_results
    expected = [fmt(x) for x in FMT_CASES]
    assert list(zip(FMT_CASES, result["fmt"])) == list(zip(FMT_CASES, expected))


def test_fill_matches_python_for_every_step(js_results):
    named, result = js_results
    mismatches = []
    for (name, trace), js in zip(named, result["traces"]):
        for step, want, got in zip(trace["steps"], python_fill(trace), js):
            if want != got:
                mismatches.append((name, step["id"], want, got))
        assert len(js) == len(trace["steps"])
    assert not mismatches, mismatches[:3]
