"""The worked solution's last section: the general rule the reference ends with (a weight's gradient
is the error signal of the neuron it feeds times the edge's input) and its instances in this network."""
from ..engine.notation import Notation
from .document import Display, Math, chain, num, para

RULE_KINDS = ("output_weight_grad", "hidden_weight_grad", "hidden_weight_grad_sum")
OUTPUT_DELTA = r"\delta_{j} = \frac{\partial e_{j}}{\partial o_{j}} \cdot \frac{\partial o_{j}}{\partial a_{j}}"
SOFTMAX_DELTA = (r"\delta_{k} = \sum_{j} \frac{\partial e_{j}}{\partial o_{j}} \cdot "
                 r"\frac{\partial o_{j}}{\partial a_{k}}")


def instance(ctx, step: dict) -> str:
    """grad = delta · input = numbers = value, for the first weight of a layer."""
    delta, given = step["factors"][0], step["factors"][-1]
    if step["kind"] == "output_weight_grad":  # its factors are the chain; the rule and delta are beside them
        rule = step["args"]["rule"]
        delta = [rule, ctx.step(step, f"delta-{step['elements'][1]}").get("value")]
        given = [None, given[1]]
    else:
        rule = rf"{delta[0]} \cdot {given[0]}"
    return chain(step["symbol"], rule, rf"{num(delta[1], True)} \cdot {num(given[1], True)}", num(step["value"]))


def instances(ctx) -> list:
    seen, out = set(), []
    for step in ctx.trace["steps"]:
        if step["kind"] not in RULE_KINDS or step.get("sample", 0) != 0:
            continue
        layer = ctx.lookup[step["elements"][1]]["layer"]
        if layer not in seen:
            seen.add(layer)
            out.append(Display(instance(ctx, step)))
    return out


def rule_blocks(ctx) -> list:
    trace = ctx.trace
    batch = "samples" in trace["spec"]
    loss = "E_n" if batch else ctx.symbol(Notation.TOTAL_ID)  # a sample's loss in a batch
    blocks = [para("As one can see, the error signal of the output layer is propagated in the direction of the input "
                   "layer. Thus a general backpropagation rule can be formulated: the gradient of a weight is the "
                   "error signal of the neuron it feeds times the edge's input,"),
              Display(rf"\frac{{\partial {loss}}}{{\partial w_{{lji}}}} = \delta_{{lj}} \cdot h_{{l-1,i}}"),
              para("where an output neuron's error signal is the reference's gradient ", Math("o_{ji}"), ","),
              Display(SOFTMAX_DELTA if ctx.softmax else OUTPUT_DELTA)]
    if len(trace["spec"]["layers"]) > 2:
        blocks += [para("and a hidden neuron's gathers the error signals of the neurons it feeds (the fan-out sum):"),
                   Display(r"\delta_{lj} = \left(\sum_{k} w_{l+1,kj} \, \delta_{l+1,k}\right) \cdot f'(a_{lj})")]
    if batch:
        scale = r"\frac{1}{N} " if trace["spec"]["reduction"] == "mean" else ""
        blocks += [para("For the mini-batch, each weight's gradient is the "
                        f"{trace['spec']['reduction']} of the samples' gradients:"),
                   Display(rf"\frac{{\partial E}}{{\partial w}} = {scale}\sum_{{n=1}}^{{N}} "
                           r"\frac{\partial E_n}{\partial w}")]
    found = instances(ctx)
    if found:
        blocks += [para("In this network" + (" (sample 1)" if batch else "") + ":")] + found
    return blocks
