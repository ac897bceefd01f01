"""Property-based tests of POST /api/trace: any body gets a 200 trace or a 400 naming the field, never a 500."""
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp import create_app
from webapp.engine.trace import SCHEMA_VERSION

FIELDS = ["layers", "weights", "biases", "activations", "activation", "loss", "inputs", "targets",
          "epsilon", "learning_rate", "seed", "granularity"]
ACTIVATION_NAMES = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
LOSSES = ["sse", "mse", "half_sse", "bce"]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One app for the module: hypothesis reruns the test body, and function-scoped fixtures would not reset.
CLIENT = create_app({"TESTING": True}).test_client()


def _no_constants(name):
    raise AssertionError(f"the response contains {name}, which is not JSON")


def post(body: bytes):
    """POST raw bytes; check the invariants every response must keep; return (status, decoded body)."""
    r = CLIENT.post("/api/trace", data=body, content_type="application/json")
    assert r.status_code in (200, 400), r.data[:300]
    assert r.mimetype == "application/json"
    data = json.loads(r.data, parse_constant=_no_constants)
    if r.status_code == 400:
        assert set(data) == {"error", "field"}
        assert isinstance(data["field"], str) and data["field"]
        assert isinstance(data["error"], str) and data["error"]
    else:
        assert data["schema_version"] == SCHEMA_VERSION
        assert data["has_nonfinite"] == bool(data["nonfinite"])
    return r.status_code, data


# --- any JSON value at all -------------------------------------------------------
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=20)
# Objects keyed mostly by the real field names, so validation gets past "unknown field".
near_bodies = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), json_values, max_size=8)
# The worked example with one field replaced by anything: reaches the checks after `layers`.
WORKED = {"layers": [1, 1, 2], "weights": [[[0.5]], [[0.2], [0.1]]], "activation": "linear",
          "inputs": [3.0], "targets": [2.0, 1.0]}
one_field_off = st.builds(lambda key, value: {**WORKED, key: value}, st.sampled_from(FIELDS), json_values)


@SETTINGS
@given(json_values | near_bodies | one_field_off)
def test_any_json_value(body):
    post(json.dumps(body).encode())


@SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes(raw):
    post(raw)


# --- mostly-valid networks -------------------------------------------------------
# Numbers from all over the range, the bounds (±1e6) included and the tiniest floats too.
numbers = st.one_of(st.floats(-1e6, 1e6), st.sampled_from([0.0, -0.0, 1e6, -1e6, 5e-324, -1e-300, 1e-12]),
                    st.integers(-10**6, 10**6))
wrong_types = st.sampled_from(["1", None, True, [], {}, [1.0]])
out_of_range = st.sampled_from([1e6 * (1 + 1e-9), -2e6, 1e200, -1e308, 10**7])


@st.composite
def networks(draw):
    """(body, expected): a valid body, or one with exactly one defect and the field it must be named by."""
    layers = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    weights = [[[draw(numbers) for _ in range(a)] for _ in range(b)] for a, b in zip(layers, layers[1:])]
    body = {"layers": layers, "weights": weights, "inputs": [draw(numbers) for _ in range(layers[0])],
            "targets": [draw(numbers) for _ in range(layers[-1])],
            "activation": draw(st.sampled_from(["linear", "tanh", "relu", "leaky_relu"])),
            "loss": draw(st.sampled_from(["sse", "mse", "half_sse"]))}
    if draw(st.booleans()):
        body["biases"] = [[draw(numbers) for _ in range(n)] for n in layers[1:]]
    # The places a single defect can go, each with the field path the 400 must name.
    places = [("inputs", i) for i in range(layers[0])] + [("targets", k) for k in range(layers[-1])]
    places += [("weights", l, j, i) for l, m in enumerate(weights) for j, row in enumerate(m) for i in range(len(row))]
    places += [("biases", l, j) for l, b in enumerate(body.get("biases", [])) for j in range(len(b))]
    defect = draw(st.sampled_from(["none", "type", "range"]))
    if defect == "none":
        return body, None
    where = draw(st.sampled_from(places))
    container = body[where[0]]
    for index in where[1:-1]:
        container = container[index]
    container[where[-1]] = draw(wrong_types if defect == "type" else out_of_range)
    return body, where[0] + "".join(f"[{i}]" for i in where[1:])


@SETTINGS
@given(networks())
def test_mostly_valid_networks(case):
    body, bad_field = case
    status, data = post(json.dumps(body).encode())
    if bad_field is None:
        assert status == 200, data
        # Invariants of the input, not of the code: one edge per (source, target) pair.
        sizes = body["layers"]
        assert len(data["graph"]["edges"]) == sum(a * b for a, b in zip(sizes, sizes[1:]))
        assert data["spec"]["layers"] == sizes
    else:
        assert (status, data["field"]) == (400, bad_field), data


@st.composite
def layer_lists(draw):
    """Layer sizes from just inside to just outside the limits (2-10 layers of 1-16)."""
    return draw(st.lists(st.integers(0, 17), min_size=1, max_size=11))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer_lists(), st.integers(0, 2**32 - 1), st.sampled_from(ACTIVATION_NAMES), st.sampled_from(LOSSES))
def test_layer_limits_with_seeded_weights(layers, seed, activation, loss):
    body = {"layers": layers, "weights": None, "seed": seed, "biases": True, "activation": activation,
            "loss": loss, "inputs": [0.5] * (layers[0] if layers else 0),
            "targets": [0.25] * (layers[-1] if layers else 0)}
    status, data = post(json.dumps(body).encode())
    within = 2 <= len(layers) <= 10 and all(1 <= n <= 16 for n in layers)
    if not within:
        assert status == 400 and data["field"].startswith("layers"), data
    elif loss == "bce" and activation != "sigmoid":
        # bce needs outputs strictly inside (0, 1); other activations may or may not give them.
        assert status == 200 or data["field"] == "loss", data
    else:
        assert status == 200, data
        assert math.isfinite(data["loss"]["total"])


@pytest.mark.parametrize("body, field", [
    # Inputs that used to raise TypeError (a 500): unhashable names looked up in a dict.
    ({"loss": []}, "loss"),
    ({"loss": {}}, "loss"),
    ({"activation": {"name": []}}, "activation.name"),
    ({"granularity": {}}, "granularity"),
    # An empty key used to be named as field "".
    ({"": 1}, "body"),
    # Used to be accepted: 0 taken for "no biases", text for "yes" with seeded weights.
    ({"biases": 0}, "biases"),
    ({"weights": None, "seed": 1, "biases": "yes"}, "biases"),
])
def test_found_by_fuzzing(body, field):
    base = {"layers": [1, 1], "weights": [[[0.5]]], "inputs": [1.0], "targets": [0.0]}
    status, data = post(json.dumps({**base, **body}).encode())
    assert (status, data["field"]) == (400, field)
