"""Blueprint "train": POST /api/train runs a training and returns its history; POST /api/boundary
evaluates a 2-input network on a grid (errors as the API's)."""

import numpy as np
from flask import Blueprint, Response, request

from .api import error_response, json_response
from .engine.trace_json import plain
from .engine.training import forward, train
from .spec import SpecError, check_schema, decode_body
from .train_contract import BOUNDARY_CONTRACT, parse_network, parse_train

bp = Blueprint("train", __name__, url_prefix="/api")


def run_training(body) -> dict:
    """The response of POST /api/train for a decoded body (SpecError for bad input)."""
    spec = parse_train(body)
    run = train(spec)
    return plain({**run, "iterations": spec.iterations, "batch_size": spec.batch_size,
                  "samples": len(spec.inputs), "optimizer": spec.optimizer.__dict__})


def respond(handler) -> Response:
    """The request body decoded and handed to `handler`: its answer as JSON, or the API's 400."""
    try:
        return json_response(handler(decode_body(request.get_data(cache=False))))
    except SpecError as exc:
        return error_response(exc.message, exc.field)


@bp.post("/train")
def train_route():
    return respond(run_training)


BOUNDARY_EXTENT = 1.2  # the built-in 2-D sets lie in [-1, 1]; a margin shows the boundary beyond them


@bp.post("/boundary")
def boundary_route():
    """A 2-input network's outputs on a grid, for the decision boundary the page draws (it computes nothing)."""
    return respond(lambda body: plain(boundary(body)))


def boundary(body) -> dict:
    """{"network": <layers, weights, biases, activations, loss as a trace request>, "size": n} ->
    {"x": [...], "y": [...], "outputs": [k][row][column]}: output k at (x[column], y[row])."""
    check_schema(body, BOUNDARY_CONTRACT)
    layers = body["network"]["layers"]
    if layers[0] != 2:
        raise SpecError("network.layers", "a decision boundary needs a network of 2 inputs")
    spec = parse_network(body["network"], [0.0, 0.0], [0.0] * int(layers[-1]))
    size = int(body.get("size", 40))
    axis = np.linspace(-BOUNDARY_EXTENT, BOUNDARY_EXTENT, size)
    grid = np.array([[x, y] for y in axis for x in axis])
    with np.errstate(all="ignore"):
        outputs = forward(spec, spec.weights, spec.biases, grid)[1][-1]
    return {"x": axis, "y": axis, "outputs": [outputs[:, k].reshape(size, size) for k in range(outputs.shape[1])]}
