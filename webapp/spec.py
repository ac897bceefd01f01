"""Request body -> validated NetworkSpec. Every error names the field it is about."""
import json
import math

import numpy as np

from .engine.activations import ACTIVATIONS
from .engine.losses import LOSSES
from .engine.network import LayerActivation, NetworkSpec, compute_forward

MAX_LAYERS, MIN_LAYERS = 10, 2
MAX_NEURONS = 16
# Values past these are almost surely typos; they would only overflow the engine.
MAX_ABS_VALUE = 1e6
MAX_ABS_SLOPE = 1e3
KNOWN_FIELDS = {"layers", "weights", "biases", "activations", "activation", "loss", "inputs", "targets",
                "epsilon", "learning_rate", "seed", "granularity"}
GRANULARITIES = ("auto", "edge", "neuron")


class SpecError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _number(value, field, low=-MAX_ABS_VALUE, high=MAX_ABS_VALUE):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(field, f"{field} must be a number, got {_kind(value)}")
    if not math.isfinite(value):
        raise SpecError(field, f"{field} must be a finite number")
    if not low <= value <= high:
        raise SpecError(field, f"{field} must lie between {low:g} and {high:g}, got {value:g}")
    return float(value)


def _kind(value):
    return {type(None): "null", bool: "true/false", str: "text", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


def _vector(value, field, length, **bounds):
    if not isinstance(value, list):
        raise SpecError(field, f"{field} must be a list of {length} numbers, got {_kind(value)}")
    if len(value) != length:
        raise SpecError(field, f"{field} must have {length} value(s), one per neuron, got {len(value)}")
    return np.array([_number(v, f"{field}[{i}]", **bounds) for i, v in enumerate(value)], dtype=float)


def _layers(value):
    field = "layers"
    if not isinstance(value, list):
        raise SpecError(field, f"layers must be a list of layer sizes such as [1, 1, 2], got {_kind(value)}")
    if not MIN_LAYERS <= len(value) <= MAX_LAYERS:
        raise SpecError(field, f"layers must have {MIN_LAYERS} to {MAX_LAYERS} entries, got {len(value)}")
    for i, n in enumerate(value):
        if isinstance(n, bool) or not isinstance(n, int):
            raise SpecError(f"layers[{i}]", f"layers[{i}] must be a whole number, got {_kind(n)}")
        if not 1 <= n <= MAX_NEURONS:
            raise SpecError(f"layers[{i}]", f"layers[{i}] must be between 1 and {MAX_NEURONS} neurons, got {n}")
    return tuple(value)


def _matrices(value, field, layers):
    if not isinstance(value, list) or len(value) != len(layers) - 1:
        raise SpecError(field, f"{field} must be a list of {len(layers) - 1} weight matrices, one per layer after "
                        "the input")
    out = []
    for l, matrix in enumerate(value):
        rows, cols = layers[l + 1], layers[l]
        name = f"{field}[{l}]"
        if not isinstance(matrix, list) or len(matrix) != rows:
            raise SpecError(name, f"{name} must have {rows} row(s), one per neuron of layer {l + 1}")
        out.append(np.array([_vector(row, f"{name}[{j}]", cols) for j, row in enumerate(matrix)]).reshape(rows, cols))
    return tuple(out)


def _activation(value, field):
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, dict):
        raise SpecError(field, f"{field} must be an object such as {{\"name\": \"sigmoid\"}}, got {_kind(value)}")
    name = value.get("name")
    # isinstance first: an unhashable name (a list, an object) would make `in` raise.
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise SpecError(f"{field}.name", f"{field}.name must be one of {', '.join(ACTIVATIONS)}, got {name!r}")
    unknown = set(value) - {"name", "slope"}
    if unknown:
        raise SpecError(f"{field}.{sorted(unknown)[0]}", f"{field} has an unknown key {sorted(unknown)[0]!r}")
    slope = value.get("slope")
    if slope is not None:
        if ACTIVATIONS[name].default_slope is None:
            raise SpecError(f"{field}.slope", f"{field}.slope only applies to linear and leaky_relu")
        slope = _number(slope, f"{field}.slope", -MAX_ABS_SLOPE, MAX_ABS_SLOPE)
    return LayerActivation(name, slope)


def random_weights(layers, seed, biases: bool):
    """Xavier-uniform weights (and small biases) from a seed: the same seed, the same network."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise SpecError("seed", "seed must be a whole number from 0 to 4294967295")
    rng = np.random.default_rng(seed)
    weights, bs = [], []
    for n_in, n_out in zip(layers[:-1], layers[1:]):
        bound = math.sqrt(6.0 / (n_in + n_out))
        weights.append(np.round(rng.uniform(-bound, bound, size=(n_out, n_in)), 2))
        bs.append(np.round(rng.uniform(-0.1, 0.1, size=n_out), 2))
    return tuple(weights), (tuple(bs) if biases else None)


def parse_spec(body) -> tuple[NetworkSpec, str]:
    """(spec, granularity) from a decoded JSON body, or SpecError."""
    if not isinstance(body, dict):
        raise SpecError("body", f"the body must be a JSON object, got {_kind(body)}")
    unknown = sorted(set(body) - KNOWN_FIELDS)
    if unknown:
        # An empty key cannot name itself: blame the body instead of giving field "".
        raise SpecError(unknown[0] or "body",
                        f"unknown field {unknown[0]!r}; known fields: {', '.join(sorted(KNOWN_FIELDS))}")
    if "layers" not in body:
        raise SpecError("layers", "layers is required, for example [1, 1, 2]")
    layers = _layers(body["layers"])

    seed = body.get("seed")
    raw_biases = body.get("biases")
    # Identity checks: `in (None, False)` would take 0 for false, and a string or an
    # object would pass as "yes, biases" when the weights come from a seed.
    if not (raw_biases is None or isinstance(raw_biases, (bool, list))):
        raise SpecError("biases", f"biases must be null, true, false or a list of lists, got {_kind(raw_biases)}")
    if body.get("weights") is None:
        if seed is None:
            raise SpecError("weights", "weights are required (or give a seed to draw random ones)")
        weights, biases = random_weights(layers, seed, raw_biases is not None and raw_biases is not False)
        if isinstance(raw_biases, list):
            biases = _matrices_1d(raw_biases, layers)
    else:
        if seed is not None:
            random_weights(layers, seed, False)  # still validate it
        weights = _matrices(body["weights"], "weights", layers)
        if raw_biases is True:
            biases = tuple(np.zeros(n) for n in layers[1:])
        elif raw_biases is None or raw_biases is False:
            biases = None
        else:
            biases = _matrices_1d(raw_biases, layers)

    if "activations" in body and "activation" in body:
        raise SpecError("activation", "give either activation (for every layer) or activations (one per layer)")
    if "activations" in body:
        acts = body["activations"]
        if not isinstance(acts, list) or len(acts) != len(layers) - 1:
            raise SpecError("activations", f"activations must be a list of {len(layers) - 1} objects, one per layer "
                            "after the input")
        activations = tuple(_activation(a, f"activations[{i}]") for i, a in enumerate(acts))
    else:
        activations = (_activation(body.get("activation", {"name": "sigmoid"}), "activation"),) * (len(layers) - 1)

    loss = body.get("loss", "sse")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise SpecError("loss", f"loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    if "inputs" not in body:
        raise SpecError("inputs", f"inputs is required: {layers[0]} number(s)")
    inputs = _vector(body["inputs"], "inputs", layers[0])
    if "targets" not in body:
        raise SpecError("targets", f"targets is required: {layers[-1]} number(s)")
    targets = _vector(body["targets"], "targets", layers[-1])
    if loss == "bce":
        for k, t in enumerate(targets):
            if not 0.0 <= t <= 1.0:
                raise SpecError(f"targets[{k}]", f"targets[{k}] must lie between 0 and 1 for binary cross-entropy")
    epsilon = _number(body.get("epsilon", 1e-6), "epsilon", 1e-12, 0.1)
    if epsilon <= 0:
        raise SpecError("epsilon", "epsilon must be greater than 0")
    learning_rate = _number(body.get("learning_rate", 0.1), "learning_rate", 0.0, 100.0)
    granularity = body.get("granularity", "auto")
    if not isinstance(granularity, str) or granularity not in GRANULARITIES:
        raise SpecError("granularity", f"granularity must be one of {', '.join(GRANULARITIES)}")
    spec = NetworkSpec(layers=layers, weights=weights, biases=biases, activations=activations, loss=loss,
                       inputs=inputs, targets=targets, epsilon=epsilon, learning_rate=learning_rate)
    return spec, granularity


def _matrices_1d(value, layers):
    field = "biases"
    if not isinstance(value, list) or len(value) != len(layers) - 1:
        raise SpecError(field, f"biases must be null or a list of {len(layers) - 1} lists, one per layer after the "
                        "input")
    return tuple(_vector(b, f"biases[{l}]", layers[l + 1]) for l, b in enumerate(value))


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def decode_body(raw: bytes):
    """The decoded JSON of a request body, or SpecError naming the body."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpecError("body", f"the body is not valid JSON: {exc}") from None
    except RecursionError:
        # A few kilobytes of "[[[[..." nest deeper than the decoder can recurse.
        raise SpecError("body", "the body is nested too deeply to be a network") from None


def parse_body(raw: bytes) -> tuple[NetworkSpec, str]:
    """(spec, granularity) from the raw bytes of a request body (the API's and the CLI's), or SpecError."""
    spec, granularity = parse_spec(decode_body(raw))
    check_outputs(spec)
    return spec, granularity


def check_outputs(spec: NetworkSpec) -> None:
    """Binary cross-entropy is only defined for outputs strictly between 0 and 1."""
    if spec.loss != "bce":
        return  # no forward pass spent on the other losses
    for k, o in enumerate(compute_forward(spec)):
        if not (0.0 < o < 1.0):
            raise SpecError("loss", f"binary cross-entropy needs every output strictly between 0 and 1, but "
                            f"output o_{k + 1} is {o:.9g}; use a sigmoid output layer or another loss")
