"""The request contract, written once: limits, the JSON Schema of POST /api/trace and /api/meta.

Names, titles and default slopes come from the engine's tables (activations.py, losses.py),
so a new activation or loss is one engine entry: the schema below, the validation (spec.py,
which validates with this very schema), the OpenAPI document and the editor (which reads
/api/meta) all follow. build_contract() reads the tables when it is called; the app calls it
when its API is registered, so an app made after a table changed serves the change. Rules
that relate one field to another (shapes against `layers`, a loss's domain, which activations
take a slope) are not expressible here; spec.py states them.
"""
from dataclasses import dataclass

import jsonschema_rs

from .engine.activations import ACTIVATIONS
from .engine.losses import LOSSES

MIN_LAYERS, MAX_LAYERS = 2, 10
MIN_NEURONS, MAX_NEURONS = 1, 16
# Values past these are almost surely typos; they would only overflow the engine.
MAX_ABS_VALUE = 1e6
MAX_ABS_SLOPE = 1e3
EPSILON_RANGE = (1e-12, 0.1)
LEARNING_RATE_RANGE = (0.0, 100.0)
SEED_RANGE = (0, 2**32 - 1)
GRANULARITIES = ("auto", "edge", "neuron")
MAX_SAMPLES = 32  # a mini-batch walked through sample by sample; more would not be read
REDUCTIONS = ("mean", "sum")  # how a batch's loss combines its samples' losses
DEFAULTS = {"activation": "sigmoid", "loss": "sse", "epsilon": 1e-6, "learning_rate": 0.1, "granularity": "auto",
            "reduction": "mean"}
# The request's fields, in the order the validation reports problems (spec.py).
FIELDS = ("layers", "weights", "biases", "activations", "activation", "loss", "inputs", "targets", "samples",
          "reduction", "epsilon", "learning_rate", "seed", "granularity")
BOTH_ACTIVATIONS = "give either activation (for every layer) or activations (one per layer), not both"
ONE_SAMPLE_OR_BATCH = "give either inputs and targets (one sample) or samples (a mini-batch), not both"


@dataclass(frozen=True, eq=False)
class Contract:
    """One build of the contract: the request schema, what /api/meta answers, and the compiled validator."""
    request: dict
    meta: dict
    validator: jsonschema_rs.Draft202012Validator


def build_contract() -> Contract:
    """The contract as the engine's tables say now."""
    request = trace_request_schema()
    return Contract(request=request, meta=meta(), validator=jsonschema_rs.Draft202012Validator(request))


def sloped() -> list[str]:
    """The activations that take a slope (those with a default one)."""
    return [name for name, a in ACTIVATIONS.items() if a.default_slope is not None]


def number_range(low, high, **more):
    return {"type": "number", "minimum": low, "maximum": high, **more}


def list_of(schema, low, high, **more):
    return {"type": "array", "items": schema, "minItems": low, "maxItems": high, **more}


VALUE = number_range(-MAX_ABS_VALUE, MAX_ABS_VALUE)
VECTOR = list_of(VALUE, MIN_NEURONS, MAX_NEURONS)
SAMPLE = {"type": "object", "required": ["inputs", "targets"], "additionalProperties": False,
          "properties": {"inputs": {**VECTOR, "description": "one number per input neuron"},
                         "targets": {**VECTOR, "description": "one number per output neuron"}}}
PER_LAYER = (MIN_LAYERS - 1, MAX_LAYERS - 1)  # one entry per layer after the input


def activation_schema() -> dict:
    """A bare name, or {"name", "slope"?}. if/then/else rather than oneOf: a failing value is
    then judged by one branch, so the error names the exact key (activations[0].name)."""
    names = list(ACTIVATIONS)
    return {
        "description": "An activation function: its name, or {name, slope?}; only "
                       + " and ".join(sloped()) + " take a slope.",
        "type": ["string", "object"],
        "examples": [{"name": "sigmoid"}],
        "if": {"type": "string"},
        "then": {"enum": names},
        "else": {
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"enum": names},
                "slope": {**number_range(-MAX_ABS_SLOPE, MAX_ABS_SLOPE), "type": ["number", "null"]},
            },
        },
    }


def trace_request_schema() -> dict:
    """The JSON Schema of POST /api/trace's body (served in /api/openapi.json as TraceRequest)."""
    activation = activation_schema()
    properties = {
        "layers": list_of({"type": "integer", "minimum": MIN_NEURONS, "maximum": MAX_NEURONS, "title": "neurons"},
                          MIN_LAYERS, MAX_LAYERS, examples=[[1, 1, 2]],
                          description=f"{MIN_LAYERS} to {MAX_LAYERS} layer sizes, {MIN_NEURONS} to {MAX_NEURONS} "
                                      "neurons each"),
        "weights": {
            **list_of(list_of(VECTOR, MIN_NEURONS, MAX_NEURONS), *PER_LAYER), "type": ["array", "null"],
            "description": "weights[l][j][i]: from neuron i of layer l to neuron j of layer l+1; null with a seed "
                           "draws Xavier-uniform weights (rounded to 2 decimals)",
        },
        "biases": {
            **list_of(VECTOR, *PER_LAYER), "type": ["array", "boolean", "null"],
            "description": "biases[l][j], or null/false for none; true means zeros (random ones with a seed)",
        },
        "activations": list_of(activation, *PER_LAYER, description="one activation per layer after the input"),
        "activation": {**activation, "description": "one activation for every layer after the input",
                       "default": DEFAULTS["activation"]},
        "loss": {"enum": list(LOSSES), "default": DEFAULTS["loss"]},
        "inputs": {**VECTOR, "description": "one number per input neuron"},
        "targets": {**VECTOR, "description": "one number per output neuron"},
        "samples": list_of(SAMPLE, 1, MAX_SAMPLES, description=f"a mini-batch of 1 to {MAX_SAMPLES} samples, "
                           "instead of inputs and targets", examples=[[{"inputs": [0, 1], "targets": [1]}]]),
        "reduction": {"enum": list(REDUCTIONS), "default": DEFAULTS["reduction"],
                      "description": "the batch loss: the mean or the sum of the samples' losses"},
        "epsilon": number_range(*EPSILON_RANGE, default=DEFAULTS["epsilon"], description="finite-difference step"),
        "learning_rate": number_range(*LEARNING_RATE_RANGE, default=DEFAULTS["learning_rate"]),
        "seed": {"type": ["integer", "null"], "minimum": SEED_RANGE[0], "maximum": SEED_RANGE[1],
                 "description": "draws the weights when `weights` is null"},
        "granularity": {"enum": list(GRANULARITIES), "default": DEFAULTS["granularity"]},
    }
    return {
        "type": "object",
        "description": "A network and one training sample (inputs, targets) or a mini-batch (samples). Shapes "
                       "must agree with `layers`; the server checks that and answers 400 naming the field.",
        "required": ["layers"],
        "additionalProperties": False,
        # Only for objects: `required` holds for anything else, so `not` would fail there too. Each
        # `not` says in its title and description the field and the sentence a 400 gives (spec.py).
        "allOf": [
            {"if": {"type": "object"}, "then": {"not": {"required": ["activation", "activations"]},
                                                "title": "activation", "description": BOTH_ACTIVATIONS}},
            {"if": {"type": "object", "required": ["samples"]},
             "then": {"not": {"anyOf": [{"required": ["inputs"]}, {"required": ["targets"]}]},
                      "title": "samples", "description": ONE_SAMPLE_OR_BATCH},
             "else": {"required": ["inputs", "targets"]}},
        ],
        "properties": properties,
    }


def loss_domain(loss) -> str | None:
    """A loss's domain in words, from its table entry; None when it takes any targets and outputs."""
    parts = []
    if loss.distribution:
        parts.append("targets a distribution (non-negative, summing to 1)")
    elif loss.targets:
        parts.append(f"targets in [{loss.targets[0]:g}, {loss.targets[1]:g}]")
    if loss.outputs:
        parts.append(f"outputs strictly between {loss.outputs[0]:g} and {loss.outputs[1]:g}")
    if loss.needs_activation:
        parts.append(f"a {loss.needs_activation} output layer")
    return ", ".join(parts) or None


def limit(low, high):
    return {"min": low, "max": high}


LIMITS = {
    "layers": limit(MIN_LAYERS, MAX_LAYERS), "neurons": limit(MIN_NEURONS, MAX_NEURONS),
    "value": limit(-MAX_ABS_VALUE, MAX_ABS_VALUE), "slope": limit(-MAX_ABS_SLOPE, MAX_ABS_SLOPE),
    "epsilon": limit(*EPSILON_RANGE), "learning_rate": limit(*LEARNING_RATE_RANGE), "seed": limit(*SEED_RANGE),
    "samples": limit(1, MAX_SAMPLES),
}


def meta() -> dict:
    """GET /api/meta: what the editor offers and enforces, so that it keeps no copy of its own."""
    return {
        "activations": [{"name": name, "title": a.title, "default_slope": a.default_slope,
                         "output_only": a.jacobian is not None, "min_outputs": a.min_outputs}
                        for name, a in ACTIVATIONS.items()],
        "losses": [{"name": name, "title": loss.title, "domain": loss_domain(loss),
                    "needs_activation": loss.needs_activation, "distribution": loss.distribution}
                   for name, loss in LOSSES.items()],
        "granularities": list(GRANULARITIES),
        "reductions": list(REDUCTIONS),
        "limits": LIMITS,
        "defaults": DEFAULTS,
    }


META_SCHEMA = {
    "type": "object",
    "description": "What the editor offers (activations, losses) and enforces (limits), and the defaults "
                   "of the fields a request may leave out.",
    "required": ["activations", "losses", "granularities", "reductions", "limits", "defaults"],
    "additionalProperties": False,
    "properties": {
        "activations": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "title", "default_slope", "output_only", "min_outputs"],
            "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "title": {"type": "string"},
                           "default_slope": {"type": ["number", "null"],
                                             "description": "null: the activation takes no slope"},
                           "output_only": {"type": "boolean", "description": "allowed on the output layer only"},
                           "min_outputs": {"type": "integer",
                                           "description": "the fewest neurons its layer may have"}}}},
        "losses": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "title", "domain", "needs_activation", "distribution"],
            "additionalProperties": False,
            "properties": {"name": {"type": "string"}, "title": {"type": "string"},
                           "domain": {"type": ["string", "null"], "description": "null: any targets and outputs"},
                           "needs_activation": {"type": ["string", "null"],
                                                "description": "the output activation the loss requires"},
                           "distribution": {"type": "boolean",
                                            "description": "targets must be non-negative and sum to 1"}}}},
        "granularities": {"type": "array", "items": {"type": "string"}},
        "reductions": {"type": "array", "items": {"type": "string"}},
        "limits": {"type": "object", "required": list(LIMITS), "additionalProperties": {
            "type": "object", "required": ["min", "max"], "additionalProperties": False,
            "properties": {"min": {"type": "number"}, "max": {"type": "number"}}}},
        "defaults": {"type": "object", "required": list(DEFAULTS), "additionalProperties": False,
                     "properties": {"activation": {"type": "string"}, "loss": {"type": "string"},
                                    "epsilon": {"type": "number"}, "learning_rate": {"type": "number"},
                                    "granularity": {"type": "string"}, "reduction": {"type": "string"}}},
    },
}

# The contract as the tables stand at import: for the CLI and the published document's module.
CONTRACT = build_contract()
