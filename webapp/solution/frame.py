"""The worked solution's first and last sections: the network with its notation and values, and the
general rule (error signal times the edge's input) with this network's instances of it."""
from ..engine.activations import ACTIVATIONS
from ..engine.notation import Notation
from ..engine.trace import EDGE_STEP_LIMIT
from .document import Display, Math, num, para

PER_LINE = 6  # values listed side by side in one display line


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def describe(trace: dict) -> list:
    spec = trace["spec"]
    layers = spec["layers"]
    hidden = [_plural(n, "neuron") for n in layers[1:-1]]
    text = (f"A {'-'.join(str(n) for n in layers)} network: {_plural(layers[0], 'input')}, "
            + (f"{_plural(len(hidden), 'hidden layer')} ({', '.join(hidden)}), " if hidden else "")
            + f"{_plural(layers[-1], 'output')}, {'with' if spec.get('biases') else 'without'} biases. "
            + f"Loss: {trace['loss']['title']}")
    if "samples" in spec:
        text += (f", over a mini-batch of {_plural(len(spec['samples']), 'sample')}: the batch's loss is the "
                 f"{spec['reduction']} of the samples' losses")
    return [para(text + ". Learning rate ", Math(rf"\eta = {num(spec['learning_rate'])}"),
                 ", finite-difference step ", Math(rf"\varepsilon = {num(spec['epsilon'])}"), ".")]


def notation(trace: dict) -> list:
    graph = trace["graph"]
    first = {role: next(n for n in graph["nodes"] if n["role"] == role) for role in ("input", "output")}
    edge = graph["edges"][-1]["symbol"]
    total = next(n for n in graph["nodes"] if n["role"] == "total")["symbol"]
    parts = ["Notation (the reference's): ", Math(first["input"]["symbol"]), " is an input (the first index is the "
             "sample); the weight into neuron j of layer l from neuron i of the layer below is ", Math("w_{lji}"),
             ", i left out when that layer has one neuron (here e.g. ", Math(edge), "); ", Math("a"),
             " is a neuron's weighted sum, ", Math("h"), " its activation (", Math(first["output"]["symbol"]),
             " at the output) and ", Math(r"\delta"), " its error signal, the slope of the loss along its sum; ",
             Math("e_{k}"), " is output k's loss term against its target ", Math("t_{k}"), " and ", Math(total),
             " the loss."]
    if graph["biases"]:
        parts += [" A bias such as ", Math(graph["biases"][0]["symbol"]), " is a weight on a constant input 1."]
    return [para(*parts)]


def filled(latex: str, slope, argument: str) -> str:
    """An activation's LaTeX with its slope and argument written in."""
    return latex.replace("{s}", "" if slope is None else num(slope)).replace("{a}", argument)


def activation_blocks(trace: dict) -> list:
    """Each layer's activation and its derivative, as the reference opens: f(x) = 2.0 * x, derivative 2.0."""
    blocks, layers = [], trace["graph"]["layers"][1:]
    for n, layer in enumerate(layers):
        entry, slope = ACTIVATIONS[layer["activation"]], layer.get("slope")
        if entry.jacobian is not None:
            rule = rf"o_k = {filled(entry.latex, slope, 'a_k')}"
            slope_rule = rf"\frac{{\partial o_j}}{{\partial a_k}} = {filled(entry.latex_df, slope, 'a')}"
        else:
            rule = f"f(a) = {filled(entry.latex, slope, 'a')}"
            slope_rule = f"f'(a) = {filled(entry.latex_df, slope, 'a')}"
        role = "output" if n == len(layers) - 1 else "hidden"
        blocks += [para(f"Activation function of layer {layer['index']} ({role}, {entry.title}):"), Display(rule),
                   para("derivative:"), Display(slope_rule)]
    return blocks


def listed(pairs) -> list:
    """symbol = value pairs, PER_LINE to a display line."""
    lines = [pairs[i:i + PER_LINE] for i in range(0, len(pairs), PER_LINE)]
    return [Display(r", \quad ".join(f"{s} = {num(v)}" for s, v in line)) for line in lines]


def value_blocks(trace: dict) -> list:
    spec, graph = trace["spec"], trace["graph"]
    inputs = [n for n in graph["nodes"] if n["role"] == "input"]
    targets = [f"t_{{{k + 1}}}" for k in range(spec["layers"][-1])]
    blocks = []
    for n, sample in enumerate(spec.get("samples") or [spec]):
        symbols = [node.get("sample_symbols", [node["symbol"]] * (n + 1))[n] for node in inputs]
        blocks.append(para(f"Sample {n + 1}: inputs and targets:" if "samples" in spec else "Inputs and targets:"))
        blocks += listed(list(zip(symbols, sample["inputs"])) + list(zip(targets, sample["targets"])))
    count = sum(len(row) for matrix in spec["weights"] for row in matrix)
    if count > EDGE_STEP_LIMIT:
        return blocks + [para(f"The {count} weights are listed with their updates in the last section.")]
    edges, nt = {e["id"]: e["symbol"] for e in graph["edges"]}, Notation(spec["layers"])
    weights = [(edges[nt.weight_id(l + 1, j, i)], w)
               for l, matrix in enumerate(spec["weights"]) for j, row in enumerate(matrix) for i, w in enumerate(row)]
    blocks += [para("Weights:")] + listed(weights)
    if graph["biases"]:
        blocks += [para("Biases:")] + listed([(b["symbol"], b["bias"]) for b in graph["biases"]])
    return blocks


def network_blocks(trace: dict) -> list:
    return describe(trace) + notation(trace) + activation_blocks(trace) + value_blocks(trace)
