"""The API as an OpenAPI 3.1 document, written from the README's "API" and "Trace schema" sections.

A Python dict rather than a JSON file so that it ships in the wheel with the package and
its limits come from spec.py, the code that enforces them. The request schema may be
looser than the server (it cannot say "weights match layers"), never stricter: anything
it rejects the server must reject too.
"""
from .engine.activations import ACTIVATIONS
from .engine.losses import LOSSES
from .spec import GRANULARITIES, MAX_ABS_SLOPE, MAX_ABS_VALUE, MAX_LAYERS, MAX_NEURONS, MIN_LAYERS


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(schema, **limits):
    return {"type": "array", "items": schema, **limits}


_VALUE = {"type": "number", "minimum": -MAX_ABS_VALUE, "maximum": MAX_ABS_VALUE}
_VECTOR = _list_of(_VALUE, minItems=1, maxItems=MAX_NEURONS)
# Numbers in a trace: null where a value was not finite (listed in `nonfinite`).
_NUM = {"type": ["number", "null"]}
_NAMED_STEP_PHASES = ["forward", "loss", "backward", "check", "update"]

_ACTIVATION = {
    "oneOf": [
        {"type": "string", "enum": list(ACTIVATIONS)},
        {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string", "enum": list(ACTIVATIONS)},
                # Only linear and leaky_relu take a slope; the server says so with a 400.
                "slope": {"type": ["number", "null"], "minimum": -MAX_ABS_SLOPE, "maximum": MAX_ABS_SLOPE},
            },
        },
    ],
}

TRACE_REQUEST = {
    "type": "object",
    "description": "A network and one training sample. Shapes must agree with `layers`; "
                   "the server checks that and answers 400 naming the field.",
    "required": ["layers", "inputs", "targets"],
    "additionalProperties": False,
    # Either one activation for every layer or one per layer, not both.
    "not": {"required": ["activation", "activations"]},
    "properties": {
        "layers": _list_of({"type": "integer", "minimum": 1, "maximum": MAX_NEURONS},
                           minItems=MIN_LAYERS, maxItems=MAX_LAYERS),
        "weights": {
            "description": "weights[l][j][i]: from neuron i of layer l to neuron j of layer l+1; null with a seed "
                           "draws Xavier-uniform weights",
            "type": ["array", "null"],
            "items": _list_of(_VECTOR, minItems=1, maxItems=MAX_NEURONS),
            "minItems": MIN_LAYERS - 1, "maxItems": MAX_LAYERS - 1,
        },
        "biases": {
            "description": "biases[l][j], or null/false for none; true means zeros (random ones with a seed)",
            "type": ["array", "boolean", "null"],
            "items": _VECTOR,
            "minItems": MIN_LAYERS - 1, "maxItems": MAX_LAYERS - 1,
        },
        "activations": _list_of(_ACTIVATION, minItems=MIN_LAYERS - 1, maxItems=MAX_LAYERS - 1),
        "activation": _ACTIVATION,
        "loss": {"type": "string", "enum": list(LOSSES), "default": "sse"},
        "inputs": _VECTOR,
        "targets": _VECTOR,
        "epsilon": {"type": "number", "minimum": 1e-12, "maximum": 0.1, "default": 1e-6},
        "learning_rate": {"type": "number", "minimum": 0, "maximum": 100, "default": 0.1},
        "seed": {"type": ["integer", "null"], "minimum": 0, "maximum": 2**32 - 1},
        "granularity": {"type": "string", "enum": list(GRANULARITIES), "default": "auto"},
    },
}

STEP = {
    "type": "object",
    "required": ["id", "phase", "kind", "elements", "symbol", "value", "factors"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "phase": {"type": "string", "enum": _NAMED_STEP_PHASES},
        "kind": {"type": "string", "minLength": 1},
        "elements": _list_of({"type": "string"}, minItems=1),
        "symbol": {"type": "string"},
        "value": _NUM,
        "factors": {"type": "array", "description": "[symbol, value, element id] and optionally [[symbol, value], ...]",
                    "items": {"type": "array", "minItems": 3, "maxItems": 4}},
        "args": {"type": "object"},
        "terms": {"type": "array"},
        "rows": _list_of({"type": "array"}),
        "nonfinite": {"const": True},
    },
}

TRACE = {
    "type": "object",
    "required": ["schema_version", "spec", "graph", "forward", "loss", "gradients", "numeric_gradients", "updated",
                 "granularity", "per_output_steps", "templates", "steps", "nonfinite", "has_nonfinite"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": 1},
        "spec": {**_ref("TraceRequest"), "description": "the validated network, weights filled in from a seed"},
        "graph": {
            "type": "object",
            "required": ["layers", "nodes", "edges", "loss_edges", "biases"],
            "properties": {
                "layers": _list_of({"type": "object", "required": ["index", "size", "role"]}),
                "nodes": _list_of({"type": "object", "required": ["id", "layer", "index", "role", "symbol", "label"],
                                   "properties": {"role": {"enum": ["input", "hidden", "output", "loss", "total"]}}}),
                "edges": _list_of({"type": "object", "required": ["id", "from", "to", "symbol"]}),
                "loss_edges": _list_of({"type": "object", "required": ["id", "from", "to"]}),
                "biases": _list_of({"type": "object", "required": ["id", "layer", "node", "symbol", "bias"]}),
            },
        },
        "forward": {"type": "object", "required": ["pre_activations", "activations", "derivatives"],
                    "additionalProperties": _ref("Numbers")},
        "loss": {"type": "object", "required": ["name", "title", "per_output", "total", "output_grad"],
                 "properties": {"name": {"enum": list(LOSSES)}, "title": {"type": "string"},
                                "per_output": _ref("Numbers"), "total": _NUM, "output_grad": _ref("Numbers")}},
        "gradients": {"type": "object", "required": ["weights", "biases", "deltas", "per_output"]},
        "numeric_gradients": {"type": "object", "required": ["epsilon", "forward", "central"]},
        "updated": {"type": "object", "required": ["learning_rate", "weights", "biases"]},
        "granularity": {"enum": ["edge", "neuron"]},
        "per_output_steps": {"type": "boolean"},
        "templates": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["op", "formula", "narration"]}},
        "steps": _list_of(_ref("Step"), minItems=1),
        "nonfinite": _list_of({"type": "string"}, maxItems=100),
        "has_nonfinite": {"type": "boolean"},
    },
}

ERROR = {
    "type": "object",
    "required": ["error", "field"],
    "additionalProperties": False,
    "properties": {
        "error": {"type": "string", "minLength": 1, "description": "what is wrong, in words"},
        "field": {"type": "string", "minLength": 1,
                  "description": "the offending field's path, e.g. weights[1][0][0]; body or request otherwise"},
    },
}

PRESETS = {
    "type": "object",
    "required": ["default", "presets"],
    "properties": {
        "default": {"type": "string"},
        "presets": _list_of({
            "type": "object",
            "required": ["id", "title", "description", "spec"],
            "properties": {"id": {"type": "string"}, "title": {"type": "string"},
                           "description": {"type": "string"}, "spec": _ref("TraceRequest")},
        }, minItems=1),
    },
}


def _json(schema_name, description):
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {"title": "Backprop explainer API", "version": "1",
             "description": "One training step of a small neural network, traced edge by edge."},
    "paths": {
        "/api/trace": {"post": {
            "summary": "Trace one training step of a network",
            "operationId": "trace",
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TraceRequest")}}},
            "responses": {
                "200": _json("Trace", "The trace (schema_version 1)"),
                "400": _json("Error", "Bad input (also a body over 256 KiB), naming the field"),
            },
        }},
        "/api/presets": {"get": {
            "summary": "Named networks as full request bodies",
            "operationId": "presets",
            "responses": {"200": _json("Presets", "The presets; `default` is the id of the one to show first")},
        }},
        "/api/openapi.json": {"get": {
            "summary": "This document",
            "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1 document",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
    },
    "components": {"schemas": {
        "TraceRequest": TRACE_REQUEST,
        "Trace": TRACE,
        "Step": STEP,
        # Numbers, or nested lists of them, indexed like `weights`; null where not finite.
        "Numbers": {"type": ["number", "null", "array"], "items": _ref("Numbers")},
        "Error": ERROR,
        "Presets": PRESETS,
    }},
}
