"""The worked solution's plan: one document from a trace, in the reference's order. The network and
its notation, then the trace's phases in order (forward, loss, backward, and for a mini-batch the
accumulation; the check, the update), each step written by steps.py under headings for its sample,
layer and neuron, and at the end the general rule."""
from ..engine.trace import EDGE_STEP_LIMIT, PER_OUTPUT_STEP_LIMIT
from .document import Document, Math, heading, num, para
from .frame import network_blocks
from .rule import rule_blocks
from .steps import Context, write_step

PHASE_TITLES = {"forward": "The forward pass", "loss": "The loss", "backward": "The backward pass",
                "accumulate": "The batch gradient", "check": "The finite-difference check of every parameter",
                "update": "The update"}
PER_SAMPLE = ("forward", "loss", "backward")  # the phases a mini-batch goes through sample by sample


def title(trace: dict) -> str:
    spec = trace["spec"]
    text = f"Worked solution: one training step of a {'-'.join(str(n) for n in spec['layers'])} network"
    return text + (f" on a mini-batch of {len(spec['samples'])} samples" if "samples" in spec else "")


def phases(steps: list) -> list:
    """[(phase, its steps)] in the trace's order."""
    out = []
    for step in steps:
        if not out or out[-1][0] != step["phase"]:
            out.append((step["phase"], []))
        out[-1][1].append(step)
    return out


OPTIMIZERS = {"update_momentum": "momentum: each parameter keeps a velocity and moves against it",
              "update_adam": "Adam: each parameter moves by its averaged gradient over the root of its averaged "
                             "square"}


def grouping_note(trace: dict) -> str:
    """What is grouped in a walkthrough that goes neuron by neuron, and why."""
    if trace["granularity"] != "neuron":
        return ""
    spec = trace["spec"]
    weights = sum(len(row) for matrix in spec["weights"] for row in matrix) * len(spec.get("samples") or [0])
    why = (f"The walkthrough has more than {EDGE_STEP_LIMIT} weights (counting every sample's), so"
           if weights > EDGE_STEP_LIMIT else "As the request asked (granularity neuron),")
    return f"{why} the edges into each neuron are grouped: one line per neuron instead of one per edge."


def intro(trace: dict, phase: str, steps: list) -> list:
    spec = trace["spec"]
    note = grouping_note(trace)
    if phase == "forward":
        return [para("Each neuron adds up its inputs times their weights (", Math("a"), "), then applies its "
                     "activation (", Math("h"), ", ", Math("o"), " at the output)." + (" " + note if note else ""))]
    if phase == "loss":
        return [para(f"Loss function: {trace['loss']['title']}. Each output is compared with its target:")]
    if phase == "backward":
        text = "The chain rule, from the loss back to every weight, layer by layer from the output." + (
            " " + note if note else "")
        if not trace["per_output_steps"] and len(spec["layers"]) > 2 and spec["layers"][-1] > 1:
            text += (f" The per-output parts of the hidden weights' gradients are left out (more than "
                     f"{PER_OUTPUT_STEP_LIMIT} of them): each gradient comes from the error signal directly.")
        return [para(text)]
    if phase == "accumulate":
        reduction, count = spec["reduction"], len(spec["samples"])
        return [para(f"Each parameter's batch gradient is the {reduction} of the gradients its {count} samples asked "
                     "for (the backward passes above); the update uses it.")]
    if phase == "check":
        return [para("Each parameter is nudged by ", Math(rf"\varepsilon = {num(spec['epsilon'])}"), " and the loss "
                     "computed again: the difference quotient is close to the gradient backpropagation found. The "
                     "central difference and the relative error are beside it.")]
    if phase == "update" and steps[0]["kind"] in OPTIMIZERS:
        return [para("This training iteration's optimizer step, with learning rate ",
                     Math(rf"\eta = {num(steps[0]['args']['lr'])}"), f", {OPTIMIZERS[steps[0]['kind']]}:")]
    if phase == "update":
        return [para("Gradient descent with learning rate ", Math(rf"\eta = {num(spec['learning_rate'])}"),
                     ": every parameter moves against its gradient.")]
    return []


def node_of(ctx: Context, step: dict):
    """The neuron a step is about (its layer's and its own heading), or None."""
    if step["kind"] == "edge_product":
        return ctx.lookup[step["elements"][2]]
    return next((ctx.lookup[e] for e in step["elements"]
                 if ctx.lookup.get(e, {}).get("role") in ("hidden", "output")), None)


def layer_title(node: dict) -> tuple:
    return ("The output layer",) if node["role"] == "output" else (f"Hidden layer {node['layer']}",)


def headings(ctx: Context, phase: str, step: dict) -> list:
    """[(level, key, parts)] of the headings a step sits under."""
    out, level = [], 3
    if "sample" in step and phase in PER_SAMPLE:
        out.append((level, step["sample"], (f"Sample {step['sample'] + 1}",)))
        level += 1
    node = node_of(ctx, step)
    if node is None or phase == "loss":
        return out
    out.append((level, node["layer"], layer_title(node)))
    if phase == "backward":
        if ctx.softmax and step["kind"] in ("loss_grad", "softmax_jacobian"):
            out.append((level + 1, "softmax", ("The loss slopes and the softmax Jacobian",)))
        else:
            out.append((level + 1, node["id"], ("Neuron ", Math(node["symbol"]))))
    return out


def walk(ctx: Context, phase: str, steps: list) -> list:
    blocks, shown = [], {}
    for step in steps:
        for level, key, parts in headings(ctx, phase, step):
            if shown.get(level) != key:
                blocks.append(heading(level, *parts))
                shown = {lv: k for lv, k in shown.items() if lv < level}
                shown[level] = key
        blocks += write_step(ctx, step)
    return blocks


def plan(trace: dict) -> Document:
    """The document of one trace: sections numbered in the reference's order."""
    ctx = Context(trace)
    sections = [("The network and its notation", network_blocks(trace))]
    sections += [(PHASE_TITLES.get(phase, phase), intro(trace, phase, steps) + walk(ctx, phase, steps))
                 for phase, steps in phases(trace["steps"])]
    sections.append(("The general rule", rule_blocks(ctx)))
    doc = Document(title(trace))
    for n, (name, blocks) in enumerate(sections, start=1):
        doc.blocks += [heading(2, f"{n}. {name}")] + blocks
    return doc
