"""POST /api/train's request: its JSON Schema, built from the trace request's network fields, the
datasets' parameters and the optimizers' table, and the parser that turns a body into a TrainSpec.

Errors name the field as the body spells it: network.weights[0][1][0], dataset.samples[3].inputs,
optimizer.learning_rate. The network's own rules are the trace request's (spec.py), run on the
network with the dataset's first sample; the dataset's samples are then checked against it.
"""
import jsonschema_rs
import numpy as np

from .contract import (
    DEFAULTS,
    LEARNING_RATE_RANGE,
    REDUCTIONS,
    SAMPLE,
    SEED_RANGE,
    list_of,
    number_range,
    trace_request_schema,
)
from .dataset_contract import PARAMETERS
from .engine.datasets import DATASETS, generate
from .engine.datasets import MAX_SAMPLES as MAX_DATASET_SAMPLES
from .engine.training import MAX_ITERATIONS, OPTIMIZER_DEFAULTS, Optimizer, TrainSpec, iteration_spec, iteration_update
from .spec import SpecError, check_schema, check_targets, parse_spec, vector

# The trace request's fields a training run takes from its dataset instead (or does not use).
NOT_NETWORK = ("inputs", "targets", "samples", "reduction", "granularity")
UNIT = number_range(0.0, 1.0, exclusiveMaximum=1.0)


def optimizer_schema() -> dict:
    return {
        "type": "object", "required": ["name"], "additionalProperties": False,
        "description": "sgd, momentum or adam and their settings; defaults: "
                       + "; ".join(f"{name} {settings}" for name, settings in OPTIMIZER_DEFAULTS.items()),
        "properties": {
            "name": {"enum": list(OPTIMIZER_DEFAULTS)},
            "learning_rate": number_range(*LEARNING_RATE_RANGE),
            "momentum": UNIT, "beta1": UNIT, "beta2": UNIT,
            "epsilon": number_range(1e-12, 1.0),
        },
    }


def dataset_schema() -> dict:
    params = {name: {k: v for k, v in schema.items() if k != "description"} for name, schema in PARAMETERS.items()}
    return {
        "type": "object", "additionalProperties": False,
        "description": "a built-in dataset by name (with its parameters) or samples given",
        "properties": {"name": {"enum": list(DATASETS)}, **params,
                       "samples": list_of(SAMPLE, 1, MAX_DATASET_SAMPLES)},
        "if": {"required": ["samples"]}, "then": {"not": {"required": ["name"]}, "title": "dataset",
                                                  "description": "give a dataset's name or its samples, not both"},
        "else": {"required": ["name"]},
    }


def train_request_schema() -> dict:
    trace = trace_request_schema()
    network = {**trace, "description": "the network as a trace request gives it, without inputs or targets",
               "properties": {k: v for k, v in trace["properties"].items() if k not in NOT_NETWORK},
               "required": ["layers"], "allOf": trace["allOf"][:1]}
    return {
        "type": "object", "required": ["network", "dataset"], "additionalProperties": False,
        "properties": {
            "network": network,
            "dataset": dataset_schema(),
            "optimizer": optimizer_schema(),
            "batch_size": {"type": "integer", "minimum": 1, "maximum": MAX_DATASET_SAMPLES, "default": 1},
            "iterations": {"type": "integer", "minimum": 1, "maximum": MAX_ITERATIONS, "default": 100},
            "shuffle": {"type": "boolean", "default": False},
            "seed": {"type": "integer", "minimum": SEED_RANGE[0], "maximum": SEED_RANGE[1], "default": 0,
                     "description": "the shuffling's seed (and the network's, when its weights are null)"},
            "reduction": {"enum": list(REDUCTIONS), "default": DEFAULTS["reduction"]},
        },
    }


TRAIN_SCHEMA = train_request_schema()
BOUNDARY_SIZE = (8, 100)  # grid points a side
BOUNDARY_SCHEMA = {
    "type": "object", "required": ["network"], "additionalProperties": False,
    "properties": {"network": TRAIN_SCHEMA["properties"]["network"],
                   "size": {"type": "integer", "minimum": BOUNDARY_SIZE[0], "maximum": BOUNDARY_SIZE[1],
                            "default": 40}},
}


class SchemaContract:
    """What check_schema reads: a schema and its compiled validator."""

    def __init__(self, schema: dict):
        self.request, self.validator = schema, jsonschema_rs.Draft202012Validator(schema)


TRAIN_CONTRACT, BOUNDARY_CONTRACT = SchemaContract(TRAIN_SCHEMA), SchemaContract(BOUNDARY_SCHEMA)


def dataset_samples(dataset: dict) -> list[dict]:
    if "samples" in dataset:
        return dataset["samples"]
    # The schema lets 2.0 through as a whole number: the generator wants an int.
    kinds = {"integer": int, "number": float, "boolean": bool}
    args = {k: kinds[p["type"]](dataset.get(k, p["default"])) for k, p in PARAMETERS.items()}
    return generate(dataset["name"], **args)


def parse_network(network: dict, inputs, targets, seed: int = 0, dataset_field: str = "dataset"):
    """A network body's spec (with one sample), checked by the trace request's rules; errors renamed
    into network.* (and a sample that does not fit into `dataset_field`)."""
    net_body = {k: v for k, v in network.items() if k not in NOT_NETWORK} | {"inputs": inputs, "targets": targets}
    if net_body.get("weights") is None and "seed" not in net_body:
        net_body["seed"] = seed
    try:
        spec, _ = parse_spec(net_body)
    except SpecError as exc:
        if exc.field in ("inputs", "targets") or exc.field.startswith(("inputs[", "targets[")):
            where = dataset_field if dataset_field.endswith(".name") else f"{dataset_field}.{exc.field}"
            raise SpecError(where, f"the dataset does not fit the network: {exc.message}") from None
        field = f"network.{exc.field}"
        raise SpecError(field, exc.message.replace(exc.field, field, 1)) from None
    return spec


def _network(body: dict, first: dict):
    where = "dataset.name" if "name" in body["dataset"] else "dataset.samples[0]"
    return parse_network(body["network"], first["inputs"], first["targets"], int(body.get("seed", 0)), where)


def parse_train(body) -> TrainSpec:
    """A TrainSpec from a decoded body, or SpecError naming the field."""
    check_schema(body, TRAIN_CONTRACT)
    samples = dataset_samples(body["dataset"])
    spec = _network(body, samples[0])
    layers = spec.layers
    inputs = np.array([vector(s["inputs"], f"dataset.samples[{n}].inputs", layers[0], "input neuron")
                       for n, s in enumerate(samples)])
    targets = np.array([vector(s["targets"], f"dataset.samples[{n}].targets", layers[-1], "output neuron")
                        for n, s in enumerate(samples)])
    for n, t in enumerate(targets):
        check_targets(spec.loss, t, f"dataset.samples[{n}].targets")
    given = body.get("optimizer", {"name": "sgd"})
    optimizer = Optimizer(**{**OPTIMIZER_DEFAULTS[given["name"]], **given})
    kind = DATASETS[body["dataset"]["name"]].kind if "name" in body["dataset"] else None
    classification = kind in ("logic", "classification")
    return TrainSpec(network=spec.__class__(**{**spec.__dict__, "reduction": body.get("reduction", "mean")}),
                     inputs=inputs, targets=targets, optimizer=optimizer,
                     batch_size=min(int(body.get("batch_size", 1)), len(samples)),
                     iterations=int(body.get("iterations", 100)), shuffle=body.get("shuffle", False),
                     seed=int(body.get("seed", 0)), classification=classification)


# The walkthrough of one iteration is a mini-batch trace: its batch must be one a trace can hold.
MAX_WALKTHROUGH_BATCH = 32


def parse_iteration(body: dict):
    """(spec, granularity, optimizer update) of {"train": <a POST /api/train body>, "iteration": k}:
    the batch of iteration k with the weights before it, replayed, and (momentum, Adam) the
    optimizer's step. Errors name train.* and iteration."""
    unknown = sorted(set(body) - {"train", "iteration", "granularity"})
    if unknown:  # an empty key cannot name itself: blame the body
        raise SpecError(unknown[0] or "body", f"unknown field {unknown[0]!r}; an iteration's walkthrough takes "
                        "train, iteration and granularity")
    if not isinstance(body["train"], dict):
        raise SpecError("train", "train must be an object: a POST /api/train body")
    try:
        spec = parse_train(body["train"])
    except SpecError as exc:
        raise SpecError(f"train.{exc.field}", exc.message) from None
    k = body.get("iteration")
    if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < spec.iterations:
        raise SpecError("iteration", f"iteration must be a whole number from 0 to {spec.iterations - 1}")
    if spec.batch_size > MAX_WALKTHROUGH_BATCH:
        raise SpecError("train.batch_size", f"an iteration's walkthrough shows batches of up to "
                        f"{MAX_WALKTHROUGH_BATCH} samples, this run's are {spec.batch_size}")
    return iteration_spec(spec, k), body.get("granularity", "auto"), iteration_update(spec, k)
