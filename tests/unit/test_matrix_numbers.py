"""The matrix view's numbers (static/js/matrixmodel.js, run in Node on the API's trace) equal the
layer equations computed here with numpy from the spec alone: a = W h + b, h = f(a),
delta_L = dE/do * f'(a_L) (softmax: J^T dE/do), delta_l = (W_{l+1}^T delta_{l+1}) * f'(a_l),
dE/dW_l = delta_l h_{l-1}^T and W' = W - eta dE/dW. Skipped when node is missing."""
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from webapp import create_app
from webapp.presets import PRESETS

ROOT = Path(__file__).resolve().parents[2]
MODEL_JS = ROOT / "static" / "js" / "matrixmodel.js"
NODE = shutil.which("node")

# Every step's blocks, as {step id: {block name: values}} (the first block of each name).
NODE_SCRIPT = """
const { matrixModel } = await import(process.argv[1]);
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((trace) => Object.fromEntries(trace.steps.map((step, k) => {
  const blocks = {};
  for (const item of matrixModel(trace, k).lines.flat()) {
    if (item.type === "block" && !(item.name in blocks)) blocks[item.name] = item.rows.map((r) => r.map((c) => c.value));
  }
  return [step.id, blocks];
})));
process.stdout.write(JSON.stringify(out));
"""

# f and f' from their textbook definitions (README "Notation"), not from the engine.
ACTIVATIONS = {
    "linear": (lambda a, s: s * a, lambda a, s: np.full_like(a, s)),
    "sigmoid": (lambda a, s: 1 / (1 + np.exp(-a)), lambda a, s: np.exp(-a) / (1 + np.exp(-a)) ** 2),
    "tanh": (lambda a, s: np.tanh(a), lambda a, s: 1 / np.cosh(a) ** 2),
    "relu": (lambda a, s: np.maximum(a, 0), lambda a, s: (a > 0).astype(float)),
}
# de_k/do_k of each loss term.
LOSS_SLOPES = {
    "sse": lambda o, t: 2 * (o - t),
    "half_sse": lambda o, t: o - t,
    "mse": lambda o, t: 2 * (o - t) / len(o),
    "bce": lambda o, t: (o - t) / (o * (1 - o)),
    "cce": lambda o, t: -t / o,
}


def reference(spec):
    """Each layer's quantities, computed with numpy from the spec."""
    W = [np.array(w, float) for w in spec["weights"]]
    b = [np.array(v, float) for v in spec["biases"]] if spec.get("biases") else [np.zeros(len(w)) for w in W]
    acts = spec["activations"]
    hs, as_, ds = [np.array(spec["inputs"], float)], [], []
    for l, w in enumerate(W):
        a = w @ hs[-1] + b[l]
        name, slope = acts[l]["name"], acts[l].get("slope", 1.0)
        if name == "softmax":
            h = np.exp(a - a.max()) / np.exp(a - a.max()).sum()
            d = None
        else:
            f, df = ACTIVATIONS[name]
            h, d = f(a, slope), df(a, slope)
        as_.append(a)
        hs.append(h)
        ds.append(d)
    o, t = hs[-1], np.array(spec["targets"], float)
    dedo = LOSS_SLOPES[spec["loss"]](o, t)
    if ds[-1] is None:
        jacobian = np.diag(o) - np.outer(o, o)  # do_j/da_k
        deltas = [jacobian.T @ dedo]
    else:
        deltas = [dedo * ds[-1]]
    upstream = [dedo]
    for l in range(len(W) - 1, 0, -1):
        upstream.insert(0, W[l].T @ deltas[0])
        deltas.insert(0, upstream[0] * ds[l - 1])
    grads = [np.outer(deltas[l], hs[l]) for l in range(len(W))]
    eta = spec["learning_rate"]
    return {"W": W, "b": b, "a": as_, "h": hs, "fprime": ds, "dEdo": dedo, "deltas": deltas,
            "upstream": upstream, "grads": grads, "updated": [W[l] - eta * grads[l] for l in range(len(W))]}


def col(v):
    return np.asarray(v, float).reshape(-1, 1)


def close(shown, expected):
    np.testing.assert_allclose(np.array(shown, float), np.asarray(expected, float), rtol=1e-7, atol=1e-9)


CHECKS = {
    # step id prefix -> (block name, the reference value of layer l (1-based))
    "sum-n": [("a", lambda r, l: col(r["a"][l - 1])), ("W", lambda r, l: r["W"][l - 1]),
              ("h_in", lambda r, l: col(r["h"][l - 1]))],
    "act-n": [("h", lambda r, l: col(r["h"][l])), ("a", lambda r, l: col(r["a"][l - 1]))],
    "delta-n": [("delta", lambda r, l: col(r["deltas"][l - 1]))],
    "dedh-n": [("upstream", lambda r, l: col(r["upstream"][l - 1])), ("W_next_T", lambda r, l: r["W"][l].T),
               ("delta_next", lambda r, l: col(r["deltas"][l])), ("fprime", lambda r, l: col(r["fprime"][l - 1]))],
    "grad-w": [("grad_W", lambda r, l: r["grads"][l - 1]), ("h_in_T", lambda r, l: r["h"][l - 1][None, :])],
    "update-n": [("W_new", lambda r, l: r["updated"][l - 1]), ("W", lambda r, l: r["W"][l - 1])],
}

CASES = ["worked-example", "sigmoid-2-2-2", "tanh-2-2-1", "relu-3-4-2", "softmax-2-3-3"]


@pytest.fixture(scope="module")
def shown():
    if not NODE:
        pytest.skip("node is not installed")
    client = create_app({"TESTING": True}).test_client()
    specs = {p["id"]: p["spec"] for p in PRESETS}
    traces = [client.post("/api/trace", json=specs[name]).get_json() for name in CASES]
    run = subprocess.run([NODE, "--input-type=module", "-e", NODE_SCRIPT, MODEL_JS.as_uri()],
                         input=json.dumps(traces), capture_output=True, text=True, check=True, timeout=60)
    return dict(zip(CASES, json.loads(run.stdout))), specs


def _layer(step_id):
    # "sum-n1-0" -> 1, "grad-w2-0-1" -> 2: the ids README "Steps" lists.
    return int(step_id.split("-")[1][1:])


@pytest.mark.parametrize("name", CASES)
def test_matrix_numbers_equal_numpy(shown, name):
    blocks_by_step, specs = shown
    ref = reference(specs[name])
    checked = 0
    for step_id, blocks in blocks_by_step[name].items():
        for prefix, checks in CHECKS.items():
            if not step_id.startswith(prefix):
                continue
            l = _layer(step_id)
            for block, expected in checks:
                close(blocks[block], expected(ref, l))
                checked += 1
    assert checked >= 20  # every kind of step above was met


def test_output_delta_reads_de_do_and_the_slope(shown):
    """delta_L = dE/do (.) f'(a_L) for the worked example (f(x) = 2x): the document's -1.6 and -3.2."""
    blocks_by_step, specs = shown
    blocks = blocks_by_step["worked-example"]["delta-n2-0"]
    ref = reference(specs["worked-example"])
    close(blocks["dEdo"], col(ref["dEdo"]))
    close(blocks["fprime"], col(ref["fprime"][-1]))
    close(blocks["delta"], [[-3.2], [-1.6]])


def test_softmax_delta_is_the_jacobians_transpose_times_de_do(shown):
    blocks_by_step, specs = shown
    blocks = blocks_by_step["softmax-2-3-3"]["jacobian-softmax"]
    ref = reference(specs["softmax-2-3-3"])
    o = ref["h"][-1]
    close(blocks["J_T"], (np.diag(o) - np.outer(o, o)).T)
    close(blocks["delta"], col(ref["deltas"][-1]))
