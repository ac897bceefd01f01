"""The API as an OpenAPI 3.1 document, written from the README's "API" and "Trace schema" sections.

A Python dict rather than a JSON file so that it ships in the wheel with the package. The
request schema is contract.py's, the very one the server validates with; the server is
stricter only where one field must agree with another ("weights match layers").
"""
from . import MAX_BODY_BYTES, tracequery
from .contract import META_SCHEMA, Contract
from .dataset_contract import PARAMETERS
from .engine.datasets import DATASETS, KINDS, MAX_SAMPLES
from .engine.templates import PHASES
from .engine.trace import SCHEMA_VERSION
from .httpcache import IMMUTABLE
from .live.openapi import SECURITY_SCHEMES, live_paths
from .solution import FORMATS
from .train_contract import BOUNDARY_SCHEMA, TRAIN_SCHEMA


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(schema, **limits):
    return {"type": "array", "items": schema, **limits}


# Numbers in a trace: null where a value was not finite (listed in `nonfinite`).
_NUM = {"type": ["number", "null"]}
STEP = {
    "type": "object",
    "description": "its phase is its kind's (static/js/templates.json); what the graph and the arrays hold is "
                   "not repeated (README, Trace schema: node_sum and hidden_sum with values, weight_grads, "
                   "grad_check, update)",
    "required": ["id", "kind", "elements", "symbol", "value"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "kind": {"enum": list(PHASES)},
        "elements": _list_of({"type": "string"}, minItems=1),
        "symbol": {"type": "string"},
        "value": _NUM,
        "factors": {"type": "array", "description": "[symbol, value, element id] and optionally [[symbol, value], ...]",
                    "items": {"type": "array", "minItems": 3, "maxItems": 4}},
        "values": _list_of(_NUM, description="node_sum (edges into the node, then its bias), hidden_sum (edges out "
                                             "of it), weight_grads (what each edge into it carries back)"),
        "args": {"type": "object"},
        "terms": {"type": "array"},
        "rows": _list_of({"type": "array"}),
        "nonfinite": {"const": True},
        "sample": {"type": "integer", "minimum": 0,
                   "description": "in a mini-batch: the sample (0-based) this forward, loss or backward step is about"},
        "samples": _list_of({"type": "integer", "minimum": 0},
                            description="in a mini-batch: the sample each factor comes from (batch loss, accumulate)"),
    },
}

SAMPLE_RECORD = {
    "type": "object",
    "description": "One sample of a mini-batch: its forward pass, its loss E_n and its own gradient dE_n/dw",
    "required": ["forward", "loss", "gradients"],
    "properties": {
        "forward": {"type": "object", "required": ["pre_activations", "activations", "derivatives"]},
        "loss": {"type": "object", "required": ["per_output", "total", "output_grad"]},
        "gradients": {"type": "object", "required": ["weights", "biases", "deltas", "upstream"]},
    },
}

TRACE = {
    "type": "object",
    "required": ["schema_version", "spec", "graph", "forward", "loss", "gradients", "numeric_gradients", "updated",
                 "granularity", "per_output_steps", "steps", "nonfinite", "has_nonfinite"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
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
                 "properties": {"name": _ref("TraceRequest/properties/loss"), "title": {"type": "string"},
                                "per_output": _ref("Numbers"), "total": _NUM, "output_grad": _ref("Numbers"),
                                "reduction": {"enum": ["mean", "sum"], "description": "a mini-batch's"}}},
        "gradients": {"type": "object", "required": ["weights", "biases", "deltas", "upstream", "per_output"],
                      "properties": {
            "upstream": {"type": "array",
                         "description": "dE/dh per layer: W_{l+1}^T delta_{l+1} (the output layer's: dE/do)"},
            "per_output": _list_of({"type": "object", "required": ["deltas"], "additionalProperties": False,
                                    "properties": {"deltas": _list_of(_ref("Numbers"))}},
                                   description="per output k, de_k/da of every layer; de_k/dw_lji = "
                                               "deltas[l-1][j] * forward.activations[l-1][i], de_k/db_lj = "
                                               "deltas[l-1][j]")}},
        "numeric_gradients": {"type": "object", "required": ["epsilon", "forward", "central"]},
        "updated": {"type": "object", "required": ["learning_rate", "weights", "biases"]},
        "granularity": {"enum": ["edge", "neuron"]},
        "per_output_steps": {"type": "boolean"},
        "steps": _list_of(_ref("Step"), minItems=1),
        "nonfinite": _list_of({"type": "string"}, maxItems=100),
        "has_nonfinite": {"type": "boolean"},
        "per_sample": {**_list_of(_ref("SampleRecord"), minItems=1),
                       "description": "a mini-batch's samples (absent for one sample); the top-level forward pass "
                                      "and loss terms are sample 0's, the loss, gradients and update the batch's"},
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


TRAIN_RESULT = {
    "type": "object",
    "required": ["history", "final", "snapshots", "diverged_at", "iterations", "batch_size", "samples", "optimizer"],
    "properties": {
        "history": {"type": "object", "required": ["loss", "full_loss", "at", "accuracy", "grad_norm"],
                    "description": "loss[k]: iteration k's batch loss before its update; full_loss, accuracy "
                                   "(classification sets) and grad_norm[l] (each layer's weight gradient) at the "
                                   "iterations in `at`"},
        "final": {"type": "object", "required": ["weights", "biases"]},
        "snapshots": _list_of({"type": "object", "required": ["iteration", "weights", "biases"]}, maxItems=200),
        "diverged_at": {"type": ["integer", "null"],
                        "description": "the first iteration whose loss or gradient was not finite; the run stopped"},
        "iterations": {"type": "integer"}, "batch_size": {"type": "integer"}, "samples": {"type": "integer"},
        "optimizer": {"type": "object"},
    },
}


def _json(schema_name, description):
    return {"description": description, "content": {"application/json": {"schema": _ref(schema_name)}}}


# A heavy trace turned away because this process already computes and queues as many as it may
# (webapp/admission.py); field is "body". Small and cached traces are never turned away.
BUSY = {**_json("Error", "Busy with large networks: try again after Retry-After seconds"),
        "headers": {"Retry-After": {"required": True, "description": "whole seconds to wait before trying again",
                                    "schema": {"type": "integer", "minimum": 1}}}}


def dataset_paths() -> dict:
    """GET /api/datasets and /api/datasets/{id}, their schemas written inline so that the datasets'
    part of the document is this one function. The parameters are dataset_contract.py's own schemas."""
    numbers = _list_of({"type": "number"}, minItems=1)
    entry = {"type": "object", "additionalProperties": False,
             "required": ["id", "title", "kind", "inputs", "outputs", "description", "parameters"],
             "properties": {"id": {"enum": list(DATASETS)}, "title": {"type": "string"},
                            "kind": {"enum": list(KINDS)},
                            "inputs": {"type": "integer", "minimum": 1},
                            "outputs": {"type": "integer", "minimum": 1, "description": "2 with one_hot"},
                            "description": {"type": "string"},
                            "parameters": {"type": "object", "propertyNames": {"enum": list(PARAMETERS)},
                                           "description": "those it takes: a JSON Schema each, default and limits"}}}
    samples = {"type": "object", "additionalProperties": False, "required": ["id", "parameters", "samples"],
               "properties": {
                   "id": {"enum": list(DATASETS)},
                   "parameters": {"type": "object", "properties": PARAMETERS, "additionalProperties": False,
                                  "description": "the values used, of the parameters the dataset takes"},
                   "samples": _list_of({"type": "object", "additionalProperties": False,
                                        "required": ["inputs", "targets"],
                                        "properties": {"inputs": numbers, "targets": numbers}},
                                       minItems=1, maxItems=MAX_SAMPLES)}}
    query = [{"name": name, "in": "query", "required": False, "schema": schema, "description": schema["description"]}
             for name, schema in PARAMETERS.items()]
    return {
        "/api/datasets": {"get": {
            "summary": "The built-in datasets: sizes, kind, and the parameters each takes",
            "operationId": "datasets",
            "responses": {"200": {"description": "The datasets, in a fixed order", "content": {"application/json": {
                "schema": {"type": "object", "required": ["datasets"], "additionalProperties": False,
                           "properties": {"datasets": _list_of(entry, minItems=1)}}}}}},
        }},
        "/api/datasets/{id}": {"get": {
            "summary": "A dataset's samples; the same parameters give the same bytes",
            "operationId": "dataset",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"enum": list(DATASETS)}},
                           *query],
            "responses": {
                "200": {"description": "The samples", "content": {"application/json": {"schema": samples}}},
                "400": _json("Error", "Bad input (an unknown dataset or parameter, a value out of range), naming it"),
                "404": _json("Error", "No such route: the id is empty or begins with a slash"),
            },
        }},
    }


def training_paths() -> dict:
    """POST /api/train and POST /api/boundary (the training run and its decision boundary)."""
    return {
        "/api/boundary": {"post": {
            "summary": "A 2-input network's outputs on a grid over [-1.2, 1.2]², for a decision boundary",
            "operationId": "boundary",
            "requestBody": {"required": True, "content": {"application/json": {"schema": BOUNDARY_SCHEMA}}},
            "responses": {
                "200": {"description": "outputs[k][row][column]: output k at (x[column], y[row])",
                        "content": {"application/json": {"schema": {
                            "type": "object", "required": ["x", "y", "outputs"]}}}},
                "400": _json("Error", "Bad input, naming the field"),
            },
        }},
        "/api/train": {"post": {
            "summary": "Train a network on a dataset: the loss curve, gradient norms, snapshots",
            "operationId": "train",
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TrainRequest")}}},
            "responses": {
                "200": _json("TrainResult", "The run's history, final parameters and snapshots"),
                "400": _json("Error", "Bad input, naming the field (network.weights[0][1][0], dataset.name ...)"),
            },
        }},
    }


def trace_by_url() -> dict:
    """GET /api/trace?spec=: the POST's answer for HTTP caches (tracequery.py decodes the parameter)."""
    cached = {"ETag": {"description": "a strong tag: a hash of the trace's bytes", "schema": {"type": "string"}},
              "Cache-Control": {"schema": {"const": IMMUTABLE}}}
    return {
        "summary": "The trace of the body in `spec`, cacheable by any HTTP cache",
        "description": "The same bytes as POST /api/trace with that body. Errors are 400s (`field` is spec when "
                       "the parameter itself is wrong, else the field as the POST names it) and not cached.",
        "operationId": "traceByUrl",
        "parameters": [
            {"name": "spec", "in": "query", "required": True,
             "description": "the POST's JSON body, base64url-encoded (RFC 4648 section 5), padding optional",
             "schema": {"type": "string", "minLength": 1, "maxLength": tracequery.max_chars(MAX_BODY_BYTES),
                        "pattern": tracequery.PATTERN}},
            {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
             "description": "entity tags (weak comparison): a 304 when one is the trace's"},
        ],
        "responses": {
            "200": {**_json("Trace", "The trace, as POST /api/trace answers"), "headers": cached},
            "304": {"description": "Not modified: If-None-Match named this trace", "headers": cached},
            "400": _json("Error", "Bad input, naming the field (spec: missing, not base64url, not JSON, over "
                                  f"{MAX_BODY_BYTES // 1024} KiB decoded)"),
        },
    }


def code_paths() -> dict:
    """GET /api/code: the reference implementation the page's code view shows, and its line map."""
    lines = {"type": "object", "additionalProperties": _list_of({"type": "integer", "minimum": 1}, minItems=1)}
    body = {"type": "object", "additionalProperties": False, "required": ["path", "text", "lines"],
            "properties": {
                "path": {"type": "string", "description": "where the file lives in the package"},
                "text": {"type": "string", "description": "the file, exactly"},
                "lines": {"type": "object", "additionalProperties": False, "required": ["kinds", "phases"],
                          "description": "1-based line numbers computing each step kind and each phase, "
                                         "read from the file's own \"# step:\" comments and function names",
                          "properties": {"kinds": lines, "phases": lines}}}}
    return {"/api/code": {"get": {
        "summary": "One training step in plain NumPy, and which lines compute each step of a trace",
        "operationId": "code",
        "responses": {"200": {"description": "The reference code and its line map",
                              "content": {"application/json": {"schema": body}}}},
    }}}


def solution_paths() -> dict:
    """GET and POST /api/solution: the worked solution as a Markdown or LaTeX document."""
    format_ = {"name": "format", "in": "query", "required": True, "schema": {"enum": list(FORMATS)},
               "description": "markdown ($...$ and $$...$$ math) or latex (an article needing amsmath only)"}
    spec = {"name": "spec", "in": "query", "required": True,
            "schema": {"type": "string", "minLength": 1, "maxLength": tracequery.max_chars(MAX_BODY_BYTES),
                       "pattern": tracequery.PATTERN},
            "description": "base64url of a TraceRequest's JSON (as the page's spec= links carry it)"}
    documents = {FORMATS[name][1].split(";")[0]: {"schema": {"type": "string"}} for name in FORMATS}
    responses = {"200": {"description": "The worked solution, in the reference's order", "content": documents},
                 "400": _json("Error", "Bad input (format, spec, or a field of the network), naming it")}
    summary = "The worked solution of one training step, as a document"
    return {"/api/solution": {
        "get": {"summary": summary, "operationId": "solution", "parameters": [format_, spec], "responses": responses},
        "post": {"summary": summary, "operationId": "solutionOfBody", "parameters": [format_],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TraceRequest")}}},
                 "responses": responses},
    }}


def document(contract: Contract) -> dict:
    """The OpenAPI document of an app serving `contract`."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Backprop explainer API", "version": "1",
                 "description": "One training step of a small neural network, traced edge by edge."},
        "paths": {
            "/api/trace": {"post": {
                "summary": "Trace one training step of a network",
                "description": "The body is a TraceRequest, or {\"train\": <a TrainRequest>, \"iteration\": k} for "
                               "the walkthrough of iteration k of that run (replayed: its batch and the weights "
                               "before it; sgd runs with batches of up to 32 samples).",
                "operationId": "trace",
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TraceRequest")}}},
                "responses": {
                    "200": _json("Trace", "The trace (schema_version 1)"),
                    "400": _json("Error", "Bad input (also a body over 256 KiB), naming the field"),
                    "503": BUSY,
                },
            }, "get": trace_by_url()},
            "/api/presets": {"get": {
                "summary": "Named networks as full request bodies",
                "operationId": "presets",
                "responses": {"200": _json("Presets", "The presets; `default` is the id of the one to show first")},
            }},
            "/api/meta": {"get": {
                "summary": "What a request may hold: activations, losses, limits and defaults (the editor reads it)",
                "operationId": "meta",
                "responses": {"200": _json("Meta", "Names, titles, default slopes, loss domains, limits, defaults")},
            }},
            "/api/openapi.json": {"get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3.1 document",
                                      "content": {"application/json": {"schema": {"type": "object"}}}}},
            }},
            **dataset_paths(),
            **training_paths(),
            **code_paths(),
            **solution_paths(),
            **live_paths(),
        },
        "components": {"securitySchemes": SECURITY_SCHEMES, "schemas": {
            "TraceRequest": contract.request,
            "Trace": TRACE,
            "Step": STEP,
            "SampleRecord": SAMPLE_RECORD,
            # Numbers, or nested lists of them, indexed like `weights`; null where not finite.
            "Numbers": {"type": ["number", "null", "array"], "items": _ref("Numbers")},
            "Error": ERROR,
            "Presets": PRESETS,
            "Meta": META_SCHEMA,
            "TrainRequest": TRAIN_SCHEMA,
            "TrainResult": TRAIN_RESULT,
        }},
    }

