"""The update phase of a training iteration's walkthrough when the optimizer is momentum or Adam:
per neuron, each incoming parameter's optimizer state before and after, with the numbers.

  momentum  v' = mu v + g;  p' = p - lr v'
  adam      m' = b1 m + (1 - b1) g;  v' = b2 v + (1 - b2) g^2;  m^ = m' / (1 - b1^t);
            v^ = v' / (1 - b2^t);  p' = p - lr m^ / (sqrt(v^) + eps)

`update` is training.iteration_update's record: the parameters before, the gradient, the state
before and after, the parameters after, each a list of arrays in the order weights then biases.
"""
from .notation import Notation
from .trace import neuron_order, neuron_params

ROW_FIELDS = {
    "momentum": ["element", "old", "g", "vp", "vn", "new"],
    "adam": ["element", "old", "g", "mp", "vp", "mn", "vn", "mh", "vh", "new"],
}


def _value(update, key, kind, layer, idx, n_weights):
    arrays = update[key]
    return arrays[layer if kind == "weights" else n_weights + layer][idx]


def optimizer_update_steps(spec, nt: Notation, update: dict) -> list[dict]:
    """One update step per neuron (kind update_momentum or update_adam), rows per ROW_FIELDS."""
    name, n_weights = update["name"], len(spec.weights)
    keys = {"momentum": ["old", "g", "first_prev", "first", "new"],
            "adam": ["old", "g", "first_prev", "second_prev", "first", "second", "m_hat", "v_hat", "new"]}[name]
    steps = []
    for l, j in neuron_order(spec):
        rows = []
        for kind, element, _, (layer, *idx) in neuron_params(spec, nt, l, j):
            rows.append([element] + [_value(update, key, kind, layer, tuple(idx), n_weights) for key in keys])
        biggest = max(abs(row[-1] - row[1]) for row in rows)
        node = nt.node_id(l, j)
        steps.append({"id": f"update-{node}", "kind": f"update_{name}",
                      "elements": [row[0] for row in rows] + [node], "symbol": nt.act(l, j), "value": biggest,
                      "factors": [], "rows": rows, "args": {**update["settings"], "t": str(update["t"])}})
    return steps
