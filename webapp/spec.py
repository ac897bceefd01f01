"""Request body -> validated NetworkSpec. Every error names the field it is about.

Three stages: decode_body (bytes -> JSON), check_schema (the contract's JSON Schema from
contract.py, its first error turned into the field's path and a sentence), then the rules that
relate one field to another, written out below: shapes against `layers`, which activations take
a slope, and a loss's domain (read from the loss's entry in losses.py).
"""
import json
import math

import numpy as np

from .contract import CONTRACT, DEFAULTS, Contract, sloped
from .engine.activations import ACTIVATIONS, resolve_slope
from .engine.losses import DISTRIBUTION_TOLERANCE, LOSSES
from .engine.network import LayerActivation, NetworkSpec, compute_forward


class SpecError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# ---- the schema's errors, as the API words them ------------------------------------------

TYPE_WORDS = {"number": "a number", "integer": "a whole number", "array": "a list", "object": "an object",
              "string": "a name", "boolean": "true/false", "null": "null"}


def kind(value) -> str:
    """What a JSON value is, in words."""
    if isinstance(value, float) and not math.isfinite(value):
        return "a number too large to hold"  # 1e400 decodes to infinity
    return {type(None): "null", bool: "true/false", str: "text", list: "a list", dict: "an object",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def shown(value) -> str:
    """A value quoted in a message, cut short: the message is for a person, not an echo of the body."""
    text = f"{value:g}" if isinstance(value, float) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def field_name(path) -> str:
    """An instance path as the API names fields: ["weights", 1, 0, 0] -> "weights[1][0][0]",
    ["activations", 0, "name"] -> "activations[0].name"; the empty path is the body."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name or "body"


def walk(document, path):
    for part in path:
        document = document[part]
    return document


def rank(error, schema) -> tuple[int, int]:
    """Problems are reported in the order the schema lists its fields (FIELDS for a trace request,
    so layers first), a whole field before its items; a body that is not an object, then an unknown
    field, come before any of them."""
    order = list(schema["properties"])
    path = list(error.instance_path)
    keyword = error.schema_path[-1]
    if path:
        return order.index(path[0]), len(path)
    if keyword == "required":
        return order.index(error.kind.as_dict()["property"]), 0
    if keyword == "not":
        return order.index(walk(schema, error.schema_path[:-1])["title"]), 0
    return (-2 if keyword == "type" else -1), 0


def check_schema(body, contract: Contract = CONTRACT) -> None:
    """SpecError for the first way `body` breaks the contract's JSON Schema, if it does."""
    try:
        errors = list(contract.validator.iter_errors(body))
    except UnicodeEncodeError:
        raise SpecError("body", "the body holds text that is not valid Unicode (a lone surrogate "
                        "such as \\ud800)") from None
    except ValueError:
        # The validator gives up on very deep nesting ("Recursion limit reached").
        raise SpecError("body", "the body is nested too deeply to be a network") from None
    if errors:
        raise explain(min(errors, key=lambda e: rank(e, contract.request)), body, contract.request)


def explain(error, body, schema) -> SpecError:
    """One schema error as a SpecError: the field's path, what is wrong and what is allowed."""
    path = list(error.instance_path)
    keyword = error.schema_path[-1]
    node = walk(schema, error.schema_path[:-1])
    value = walk(body, path)
    field = field_name(path)
    if keyword == "required":
        missing = error.kind.as_dict()["property"]
        # A rule between fields (an if/then/else) names the field; the object it is in defines it.
        properties = node.get("properties") or schema_at(schema, path).get("properties", {})
        return required(field_name([*path, missing]), properties.get(missing, {}))
    if keyword == "additionalProperties":
        key = sorted(set(value) - set(node["properties"]))[0]
        if not path:  # an empty key cannot name itself: blame the body instead of giving field ""
            known = ", ".join(sorted(node["properties"]))
            return SpecError(key or "body", f"unknown field {key!r}; known fields: {known}")
        return SpecError(f"{field}.{key}", f"{field} has an unknown key {key!r}; it takes "
                         f"{', '.join(node['properties'])}")
    if keyword == "not":
        return SpecError(node["title"], node["description"])
    return SpecError(field, MESSAGES.get(keyword, lambda *_: error.message)(field, node, value))


def schema_at(schema, path):
    """The schema of the value at an instance path (object keys and list indices)."""
    for part in path:
        schema = schema["items"] if isinstance(part, int) else schema.get("properties", {}).get(part, {})
    return schema


def required(field, node) -> SpecError:
    hint = f", for example {json.dumps(node['examples'][0])}" if "examples" in node else ""
    hint += f": {node['description']}" if "description" in node and not hint else ""
    return SpecError(field, f"{field} is required{hint}")


def type_message(field, node, value) -> str:
    types = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if isinstance(value, float) and not math.isfinite(value) and "number" in types:
        return f"{field} must be a finite number"
    words = [TYPE_WORDS[t] for t in types]
    allowed = " or ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " or " + words[-1]
    example = f" such as {json.dumps(node['examples'][0])}" if "examples" in node else ""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    subject = "the body" if field == "body" else field
    return f"{subject} must be {allowed}{example}, got {shown(value) if number else kind(value)}"


def range_message(field, node, value) -> str:
    unit = f" {node['title']}" if "title" in node else ""
    low, high = (shown(node[k]) if isinstance(node[k], float) else node[k] for k in ("minimum", "maximum"))
    return f"{field} must lie between {low} and {high}{unit}, got {shown(value)}"


def length_message(field, node, value) -> str:
    return f"{field} must have {node['minItems']} to {node['maxItems']} entries, got {len(value)}"


def enum_message(field, node, value) -> str:
    return f"{field} must be one of {', '.join(node['enum'])}, got {shown(value)}"


MESSAGES = {"type": type_message, "minimum": range_message, "maximum": range_message,
            "minItems": length_message, "maxItems": length_message, "enum": enum_message}


# ---- the rules between fields ------------------------------------------------------------

def vector(value, field, length, what="neuron") -> np.ndarray:
    if len(value) != length:
        raise SpecError(field, f"{field} must have {length} value(s), one per {what}, got {len(value)}")
    return np.array(value, dtype=float)


def weight_matrices(value, layers) -> tuple[np.ndarray, ...]:
    if len(value) != len(layers) - 1:
        raise SpecError("weights", f"weights must be a list of {len(layers) - 1} weight matrices, one per layer "
                        "after the input")
    out = []
    for l, matrix in enumerate(value):
        rows, cols = layers[l + 1], layers[l]
        name = f"weights[{l}]"
        if len(matrix) != rows:
            raise SpecError(name, f"{name} must have {rows} row(s), one per neuron of layer {l + 1}")
        out.append(np.array([vector(row, f"{name}[{j}]", cols, f"neuron of layer {l}")
                             for j, row in enumerate(matrix)]).reshape(rows, cols))
    return tuple(out)


def bias_vectors(value, layers) -> tuple[np.ndarray, ...]:
    if len(value) != len(layers) - 1:
        raise SpecError("biases", f"biases must be null or a list of {len(layers) - 1} lists, one per layer after "
                        "the input")
    return tuple(vector(b, f"biases[{l}]", layers[l + 1]) for l, b in enumerate(value))


def random_weights(layers, seed: int, biases: bool):
    """Xavier-uniform weights (and small biases) from a seed: the same seed, the same network."""
    rng = np.random.default_rng(seed)
    weights, bs = [], []
    for n_in, n_out in zip(layers[:-1], layers[1:]):
        bound = math.sqrt(6.0 / (n_in + n_out))
        weights.append(np.round(rng.uniform(-bound, bound, size=(n_out, n_in)), 2))
        bs.append(np.round(rng.uniform(-0.1, 0.1, size=n_out), 2))
    return tuple(weights), (tuple(bs) if biases else None)


def parameters(body, layers):
    """(weights, biases): as given, or drawn from the seed when weights is null."""
    raw_biases = body.get("biases")
    if body.get("weights") is None:
        if body.get("seed") is None:
            raise SpecError("weights", "weights are required (or give a seed to draw random ones)")
        # Identity checks: `in (None, False)` would take 0 for false.
        weights, biases = random_weights(layers, int(body["seed"]), raw_biases is True or isinstance(raw_biases, list))
    else:
        weights = weight_matrices(body["weights"], layers)
        biases = tuple(np.zeros(n) for n in layers[1:]) if raw_biases is True else None
    if isinstance(raw_biases, list):
        biases = bias_vectors(raw_biases, layers)
    return weights, biases


def layer_activation(value, field) -> LayerActivation:
    if isinstance(value, str):
        value = {"name": value}
    name, slope = value["name"], value.get("slope")
    # resolve_slope gives None for an activation that takes no slope: then none may be given.
    if slope is not None and resolve_slope(name, slope) is None:
        raise SpecError(f"{field}.slope", f"{field}.slope only applies to {' and '.join(sloped())}; {name} "
                        "takes none")
    return LayerActivation(name, None if slope is None else float(slope))


def activations(body, layers) -> tuple[LayerActivation, ...]:
    count = len(layers) - 1
    if "activations" not in body:
        return (layer_activation(body.get("activation", DEFAULTS["activation"]), "activation"),) * count
    given = body["activations"]
    if len(given) != count:
        raise SpecError("activations", f"activations must be a list of {count} activations, one per layer after "
                        "the input")
    return tuple(layer_activation(a, f"activations[{i}]") for i, a in enumerate(given))


def check_placement(acts: tuple[LayerActivation, ...], layers, body) -> None:
    """An activation that is not elementwise (softmax) goes on the output layer only, and that
    layer needs the neurons the activation's entry asks for."""
    for i, la in enumerate(acts):
        entry = ACTIVATIONS[la.name]
        field = f"activations[{i}]" if "activations" in body else "activation"
        if entry.jacobian is not None and i < len(acts) - 1:
            raise SpecError(field, f"{la.name} belongs on the output layer only (it turns the outputs into "
                            f"probabilities); layer {i + 1} is hidden, so give it another activation")
        if i == len(acts) - 1 and layers[-1] < entry.min_outputs:
            raise SpecError(field, f"{la.name} needs an output layer of {entry.min_outputs} or more neurons, "
                            f"got {layers[-1]}")


def check_loss_activation(loss: str, acts: tuple[LayerActivation, ...]) -> None:
    """A loss defined with one output activation (cce: softmax) gets it."""
    entry = LOSSES[loss]
    if entry.needs_activation and acts[-1].name != entry.needs_activation:
        raise SpecError("loss", f"{entry.title} needs a {entry.needs_activation} output layer (its outputs must "
                        f"be probabilities), got {acts[-1].name}; make the last activation "
                        f"{entry.needs_activation} or choose another loss")


def check_targets(loss: str, targets: np.ndarray, field: str = "targets") -> None:
    """A loss defined for part of the line only (bce: targets in [0, 1]), or for distributions
    (cce: targets summing to 1), says so in its entry."""
    entry = LOSSES[loss]
    if entry.targets is not None:
        low, high = entry.targets
        for k, t in enumerate(targets):
            if not low <= t <= high:
                raise SpecError(f"{field}[{k}]", f"{field}[{k}] must lie between {low:g} and {high:g} for "
                                f"{entry.title}, got {t:g}")
    if entry.distribution and abs(float(np.sum(targets)) - 1.0) > DISTRIBUTION_TOLERANCE:
        raise SpecError(field, f"{field} must sum to 1 for {entry.title} (a distribution over the classes, "
                        f"such as [0, 1, 0]), got {float(np.sum(targets)):g}")


def batch_samples(body, layers):
    """The mini-batch as (inputs, targets) arrays per sample, or None for a one-sample request."""
    if "samples" not in body:
        return None
    return tuple((vector(s["inputs"], f"samples[{n}].inputs", layers[0], "input neuron"),
                  vector(s["targets"], f"samples[{n}].targets", layers[-1], "output neuron"))
                 for n, s in enumerate(body["samples"]))


def parse_spec(body, contract: Contract = CONTRACT) -> tuple[NetworkSpec, str]:
    """(spec, granularity) from a decoded JSON body, or SpecError."""
    check_schema(body, contract)
    layers = tuple(int(n) for n in body["layers"])  # the schema lets 2.0 through as a whole number
    weights, biases = parameters(body, layers)
    loss = body.get("loss", DEFAULTS["loss"])
    acts = activations(body, layers)
    check_placement(acts, layers, body)
    check_loss_activation(loss, acts)
    batch = batch_samples(body, layers)
    if batch is None:
        inputs = vector(body["inputs"], "inputs", layers[0], "input neuron")
        targets = vector(body["targets"], "targets", layers[-1], "output neuron")
        check_targets(loss, targets)
    else:
        inputs, targets = batch[0]
        for n, (_, sample_targets) in enumerate(batch):
            check_targets(loss, sample_targets, f"samples[{n}].targets")
    spec = NetworkSpec(layers=layers, weights=weights, biases=biases, activations=acts, loss=loss, inputs=inputs,
                       targets=targets, epsilon=float(body.get("epsilon", DEFAULTS["epsilon"])),
                       learning_rate=float(body.get("learning_rate", DEFAULTS["learning_rate"])),
                       samples=batch, reduction=body.get("reduction", DEFAULTS["reduction"]))
    return spec, body.get("granularity", DEFAULTS["granularity"])


def reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def decode_body(raw: bytes):
    """The decoded JSON of a request body, or SpecError naming the body."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SpecError("body", f"the body is not valid JSON: {exc}") from None
    except RecursionError:
        # A few kilobytes of "[[[[..." nest deeper than the decoder can recurse.
        raise SpecError("body", "the body is nested too deeply to be a network") from None


def parse_body(raw: bytes, contract: Contract = CONTRACT) -> tuple[NetworkSpec, str]:
    """(spec, granularity) from the raw bytes of a request body (the API's and the CLI's), or SpecError."""
    return parse_decoded(decode_body(raw), contract)


def parse_decoded(body, contract: Contract = CONTRACT) -> tuple[NetworkSpec, str]:
    """(spec, granularity) from a decoded body: the schema, the rules between fields, the outputs' domain."""
    spec, granularity = parse_spec(body, contract)
    check_outputs(spec)
    return spec, granularity


def check_outputs(spec: NetworkSpec) -> None:
    """A loss defined only for outputs in an open range (bce: strictly between 0 and 1) gets a forward pass."""
    entry = LOSSES[spec.loss]
    if entry.outputs is None:
        return  # no forward pass spent on the other losses
    low, high = entry.outputs
    for n in range(len(spec.samples or [None])):
        one = spec if spec.samples is None else spec.sample(n)
        where = "" if spec.samples is None else f" for samples[{n}]"
        for k, o in enumerate(compute_forward(one)):
            if not low < o < high:
                raise SpecError("loss", f"{entry.title} needs every output strictly between {low:g} and {high:g}, "
                                f"but output o_{k + 1} is {o:.9g}{where}; use an output activation that stays there "
                                "(sigmoid does for 0 to 1) or another loss")
