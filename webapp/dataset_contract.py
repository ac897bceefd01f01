"""The datasets' contract, written once: the parameters GET /api/datasets/<id> takes (a JSON Schema
each, with its default and limits), how a query string is read and checked, and the listing of
GET /api/datasets. The limits and defaults are the engine's (engine/datasets.py); the seed's range
is the trace request's (contract.py). The API, its OpenAPI document and the command line read
this module, so they cannot disagree.
"""
import re
from collections.abc import Iterable

from .contract import SEED_RANGE
from .engine.datasets import DATASETS, DEFAULT_NOISE, DEFAULT_SAMPLES, DEFAULT_SEED, MAX_SAMPLES, NOISE_RANGE
from .spec import SpecError, shown

PARAMETERS: dict[str, dict] = {
    "n": {"type": "integer", "minimum": 1, "maximum": MAX_SAMPLES, "default": DEFAULT_SAMPLES,
          "description": "how many samples"},
    "seed": {"type": "integer", "minimum": SEED_RANGE[0], "maximum": SEED_RANGE[1], "default": DEFAULT_SEED,
             "description": "seeds the random draws: the same parameters give the same samples"},
    "noise": {"type": "number", "minimum": NOISE_RANGE[0], "maximum": NOISE_RANGE[1], "default": DEFAULT_NOISE,
              "description": "0 for none; 1 is the most (TensorFlow Playground's 50 %)"},
    "one_hot": {"type": "boolean", "default": False,
                "description": "targets [1, 0] for class 0 and [0, 1] for class 1: two outputs instead of one"},
}

# Values as JSON would write them: no spaces, underscores, "nan" or "inf", which Python's int()
# and float() would accept. Twelve digits are past every limit and short enough that int() never
# meets a number too long to convert (float() has no such limit).
INTEGER = re.compile(r"[0-9]{1,12}")
NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
BOOLEANS = {"true": True, "false": False}


def allowed(schema: dict) -> str:
    """What a parameter may be, in words: "a whole number from 1 to 500", "true or false"."""
    if schema["type"] == "boolean":
        return "true or false"
    if schema["type"] == "integer":
        return f"a whole number from {schema['minimum']} to {schema['maximum']}"
    return f"a number from {schema['minimum']:g} to {schema['maximum']:g}"


def read(name: str, text: str):
    """One query parameter's value, or SpecError naming it."""
    schema = PARAMETERS[name]
    if schema["type"] == "boolean":
        value = BOOLEANS.get(text)
    elif re.fullmatch(INTEGER if schema["type"] == "integer" else NUMBER, text):
        # + 0.0: "-0" is the number 0, and must not come back as -0.0.
        value = int(text) if schema["type"] == "integer" else float(text) + 0.0
        value = value if schema["minimum"] <= value <= schema["maximum"] else None
    else:
        value = None
    if value is None:
        raise SpecError(name, f"{name} must be {allowed(schema)}, not {shown(text)}")
    return value


def parse_query(dataset_id: str, pairs: Iterable[tuple[str, str]]) -> dict:
    """A request's dataset and query (its (name, value) pairs, a name repeated as often as given) as
    generate()'s keyword arguments, defaults filled in, or SpecError for the first problem: the id,
    an unknown or repeated parameter, then each value in PARAMETERS' order. A dataset's unused
    parameters are checked too: a bad value is a mistake whichever dataset it is sent to."""
    if dataset_id not in DATASETS:
        raise SpecError("id", f"no dataset {shown(dataset_id)}; the datasets are {', '.join(DATASETS)}")
    query = {}
    for name, text in pairs:
        if name not in PARAMETERS:
            raise SpecError(name or "query", f"unknown parameter {shown(name)}; a dataset takes "
                            f"{', '.join(PARAMETERS)}")
        if name in query:
            raise SpecError(name, f"{name} is given more than once")
        query[name] = text
    return {name: read(name, query[name]) if name in query else schema["default"]
            for name, schema in PARAMETERS.items()}


def used(dataset_id: str, values: dict) -> dict:
    """The parameters a dataset takes, with the values it was generated with."""
    return {name: values[name] for name in DATASETS[dataset_id].parameters}


def listing() -> list[dict]:
    """GET /api/datasets's entries, in the table's order."""
    return [{"id": dataset_id, "title": d.title, "kind": d.kind, "inputs": d.inputs, "outputs": d.outputs,
             "description": d.description, "parameters": {name: PARAMETERS[name] for name in d.parameters}}
            for dataset_id, d in DATASETS.items()]
