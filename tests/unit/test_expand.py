"""The full view of a trace: webapp/engine/expand.py and static/js/expand.js give the same, and it
holds every number where the arrays say it is.

Node expands the very JSON the API sends; the two full views must be equal, field for field. The
rows a check or an update step gets back are then checked against the arrays by hand, and the
edges a neuron step refers to against the graph. Skipped (the Python half runs) when node is missing.
"""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from webapp.engine import build_trace, encode
from webapp.engine.expand import expand_trace
from webapp.presets import WORKED_EXAMPLE
from webapp.spec import parse_spec

ROOT = Path(__file__).resolve().parents[2]
EXPAND_JS = ROOT / "static" / "js" / "expand.js"
NODE = shutil.which("node")

BODIES = {
    "worked example": WORKED_EXAMPLE,
    "4-5-3 neuron by neuron": {"layers": [4, 5, 3], "weights": None, "seed": 2, "biases": True, "activation": "tanh",
                               "inputs": [0.1, -0.2, 0.3, 0.4], "targets": [0.1, 0.5, 0.9], "granularity": "neuron"},
    "softmax, cross-entropy": {"layers": [2, 3, 3], "weights": None, "seed": 4, "biases": True,
                               "activations": ["tanh", "softmax"], "loss": "cce", "inputs": [0.5, -0.3],
                               "targets": [0, 1, 0]},
    "batch of 3, neuron by neuron": {"layers": [2, 3, 2], "weights": None, "seed": 5, "biases": True,
                                     "activation": "sigmoid", "granularity": "neuron", "reduction": "sum",
                                     "samples": [{"inputs": [0.1 * n, -0.2], "targets": [0.2, 0.8]} for n in range(3)]},
    "10x16": {"layers": [16] * 10, "weights": None, "seed": 1, "biases": True, "activation": "tanh",
              "inputs": [0.1] * 16, "targets": [0.2] * 16},
}

NODE_SCRIPT = """
const { expandTrace } = await import(process.argv[1]);
let input = "";
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(JSON.stringify(JSON.parse(input).map(expandTrace)));
"""


@pytest.fixture(scope="module")
def wires():
    return {name: json.loads(encode(build_trace(*parse_spec(body)))) for name, body in BODIES.items()}


def test_python_and_javascript_expand_alike(wires):
    if NODE is None:
        pytest.skip("node is not installed")
    names = list(wires)
    proc = subprocess.run([NODE, "--input-type=module", "-e", NODE_SCRIPT, EXPAND_JS.as_uri()],
                          input=json.dumps([wires[n] for n in names]), capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    for name, js in zip(names, json.loads(proc.stdout)):
        assert js == expand_trace(wires[name]), name


@pytest.mark.parametrize("name", list(BODIES))
def test_rows_come_back_from_the_arrays(wires, name):
    full = expand_trace(wires[name])
    grads, numeric, spec, updated = full["gradients"], full["numeric_gradients"], full["spec"], full["updated"]
    nodes = {n["id"]: n for n in full["graph"]["nodes"]}
    edges = {e["id"]: e for e in full["graph"]["edges"]}
    biases = {b["id"]: b for b in full["graph"]["biases"]}
    check = next(s for s in full["steps"] if s["kind"] == "grad_check")
    element, g, fd, cd, _, _ = check["rows"][0]
    to, source = nodes[edges[element]["to"]], nodes[edges[element]["from"]]
    layer, j, i = to["layer"], to["index"], source["index"]
    assert (g, fd, cd) == (grads["weights"][layer - 1][j][i], numeric["forward"]["weights"][layer - 1][j][i],
                           numeric["central"]["weights"][layer - 1][j][i])
    update = next(s for s in full["steps"] if s["kind"] == "update")
    element, old, g, new = update["rows"][-1]
    if spec["biases"] is not None:  # the last row is the bias
        layer, j = biases[element]["layer"], nodes[biases[element]["node"]]["index"]
        assert (old, g, new) == (spec["biases"][layer - 1][j], grads["biases"][layer - 1][j],
                                 updated["biases"][layer - 1][j])
    assert all(s["phase"] in ("forward", "loss", "backward", "accumulate", "check", "update") for s in full["steps"])


def test_a_neuron_sum_lists_the_edges_into_its_node(wires):
    full = expand_trace(wires["4-5-3 neuron by neuron"])
    step = next(s for s in full["steps"] if s["id"] == "sum-n2-1")
    assert step["elements"] == ["n2-1", "w2-1-0", "w2-1-1", "w2-1-2", "w2-1-3", "w2-1-4", "b2-1"]
    assert step["factors"][0][0] == "w_{221} h_{1}"  # into neuron 2 of layer 2, from h_1
    assert step["factors"][-1][0] == "b_{22}"
    back = next(s for s in full["steps"] if s["id"] == "dedh-n1-0")
    assert [f[2] for f in back["factors"]] == ["w2-0-0", "w2-1-0", "w2-2-0"]
    assert back["factors"][1][0] == r"w_{221} \delta_{22}"
