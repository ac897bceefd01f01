"""What the worked solution writes for each kind of trace step, in the reference's words.

Every number comes from the step (its value, factors, terms, rows and args) and is written by
templates.fmt; every formula the page shows comes from templates.fill, so the document and the
page cannot disagree. A kind this table does not know is written as the page's formula."""
import re

from ..engine.notation import Notation, partial
from ..engine.templates import fill, graph_lookup
from .document import Display, Math, chain, num, para


class Context:
    """The trace's lookups, and the edge products the forward pass holds until their neuron's sum."""

    def __init__(self, trace: dict):
        self.trace = trace
        self.lookup = graph_lookup(trace["graph"])
        self.by_id = {step["id"]: step for step in trace["steps"]}
        self.per_output = {step["symbol"]: step["value"] for step in trace["steps"]
                           if step["kind"] == "per_output_grad" and "sample" not in step}
        self.pending: list = []
        self.softmax = any(step["kind"] == "softmax_jacobian" for step in trace["steps"])

    def formula(self, step: dict) -> str:
        """The page's formula of the step, without what an edge carries back (the fan-out sum shows it)."""
        args = {k: v for k, v in step.get("args", {}).items() if k != "c"}
        return fill({**step, "args": args}, self.lookup)[0]

    def symbol(self, element: str) -> str:
        return self.lookup.get(element, {}).get("symbol", "")

    def step(self, step: dict, suffix: str) -> dict:
        """The step `suffix` (e.g. "delta-n2-0") of the same sample as `step`."""
        prefix = f"s{step['sample']}-" if "sample" in step else ""
        return self.by_id.get(prefix + suffix, {})


def shown(ctx, step):
    return [Display(ctx.formula(step))]


def said(text_parts, ctx, step):
    return [para(*text_parts), Display(ctx.formula(step))]


# --- forward and loss -----------------------------------------------------------------------
def edge_product(ctx, step):
    ctx.pending.append(step["factors"])  # written with its neuron's sum
    return []


def node_sum(ctx, step):
    """a = w h + ... (+ b) = 0.2 · 3 + ... = 0.6 + ... = a's value: the reference's line, any fan-in."""
    factors, products = step["factors"], ctx.pending
    ctx.pending = []
    numbers = [rf"{num(w[1], True)} \cdot {num(x[1], True)}" for w, x in products]
    numbers += [num(f[1], True) for f in factors[len(products):]]  # the bias, or every product when grouped
    written = " + ".join(numbers) if products else ""
    return [Display(chain(step["symbol"], " + ".join(f[0] for f in factors), written,
                          " + ".join(num(f[1], True) for f in factors), num(step["value"])))]


def loss_total(ctx, step):
    note = step.get("args", {}).get("note", "")
    said_before = note.startswith("Loss:")  # the section opens with the loss's name
    return shown(ctx, step) + ([para(note)] if note and not said_before else [])


# --- backward: the output layer -----------------------------------------------------------
def loss_grad(ctx, step):
    args = step["args"]
    return said(["The loss slope: when ", Math(args["o"]), " moves, ", Math(args["e"]), " changes at the rate"],
                ctx, step)


def output_delta(ctx, step):
    return said(["The error signal of ", Math(step["args"]["o"]), " is the loss slope times the activation's slope "
                 "(the reference's gradient ", Math("o_{ji}"), "); every weight into the neuron uses it:"], ctx, step)


def factor_line(ctx, factor) -> str:
    """One factor of a chain with its value: parts (2 · 0.8 · (-1)), or what a sum's slope is (h_1, w_21)."""
    symbol, value = factor[0], factor[1]
    if len(factor) > 3:
        return chain(symbol, r" \cdot ".join(num(p[1], True) for p in factor[3]), num(value))
    if symbol.startswith(r"\frac{\partial a_"):  # the slope of a sum along one of its terms: the other factor
        return chain(symbol, ctx.symbol(factor[2]), num(value))
    return chain(symbol, num(value))


def chain_rule(ctx, top: str, factors) -> Display:
    return Display(f"{top} = " + r" \cdot ".join(f[0] for f in factors))


def output_weight_grad(ctx, step):
    """The reference's block for w_21: the chain written out, each factor's value, then together."""
    args = step["args"]
    blocks = [para("Weight ", Math(args["w"]), ", by the chain rule:"), chain_rule(ctx, args["d"], step["factors"]),
              para("Calculation:")]
    blocks += [Display(factor_line(ctx, f)) for f in step["factors"]]
    return blocks + [para("Together:"), Display(ctx.formula(step))]


# --- backward: hidden layers -----------------------------------------------------------------
def hidden_sum(ctx, step):
    args = step["args"]
    return said([Math(args["h"]), f" feeds {args['n']} neuron(s) of the layer above, so the loss reaches it along "
                 "each outgoing edge, and what comes back adds up (the fan-out sum):"], ctx, step)


def hidden_delta(ctx, step):
    return said(["Its error signal: what reached ", Math(step["args"]["h"]), " times the activation's slope:"],
                ctx, step)


def per_output_grad(ctx, step):
    """The part from e_k alone, the factors the output layer already computed pointed out (the reference's way)."""
    args, factors = step["args"], step["factors"]
    edge = step["elements"][0]
    blocks = []
    total = ctx.step(step, f"grad-{edge}")
    k = int(re.search(r"gradk(\d+)-", step["id"]).group(1))
    if k == 0 and total.get("terms"):
        terms = " + ".join(t[0] for t in total["terms"])
        blocks.append(para("Weight ", Math(args["w"]), " reaches every output: ", Math(f"{total['symbol']} = {terms}")))
    first = "first" if k == 0 else "then"
    blocks += [para(f"Calculate {first} ", Math(step["symbol"]), ":"), chain_rule(ctx, step["symbol"], factors)]
    rest = factors
    if len(factors) > 2:  # a full chain: its first two factors are the output layer's (the template's "chain")
        reused, rest = factors[:2], factors[2:]
        blocks += [para("Already calculated in the output layer:"), Display(r" \cdot ".join(f[0] for f in reused))]
        blocks += [Display(factor_line(ctx, f)) for f in reused]
        blocks.append(para("So only the other factors remain to be calculated:"))
    blocks += [Display(factor_line(ctx, f)) for f in rest]
    return blocks + [para("Altogether:"), Display(ctx.formula(step))]


def hidden_weight_grad_sum(ctx, step):
    return said(["The gradient of ", Math(step["args"]["w"]), " is the sum of its per-output parts, the same as "
                 "the error signal times the edge's input:"], ctx, step)


def hidden_weight_grad(ctx, step):
    delta = step["factors"][0][0]
    return said(["Weight ", Math(step["args"]["w"]), ": the error signal ", Math(delta), ", computed above from "
                 "the output layer's error signals (reused, not computed again), times the edge's input:"], ctx, step)


def weight_grads(ctx, step):
    args = step["args"]
    return said([f"The {args['n']} edges into ", Math(args["h"]), " are grouped in one step: each edge's gradient is "
                 "the error signal ", Math(step["symbol"]), " times the edge's input:"], ctx, step)


def bias_grad(ctx, step):
    return said(["The bias is a weight on a constant input 1: its gradient is the error signal."], ctx, step)


def softmax_jacobian(ctx, step):
    return said(["Softmax joins every output to every sum of its layer: its Jacobian, rows ", Math("o_j"),
                 ", columns ", Math("a_k"), ":"], ctx, step)


def softmax_delta(ctx, step):
    return said(["The error signal of ", Math(step["args"]["a"]), " by the chain rule through every output "
                 f"({step['args']['n']} terms, the loss slopes reused):"], ctx, step)


def delta_shortcut(ctx, step):
    return said([f"With softmax and {step['args']['loss']} the terms collapse to a shortcut:"], ctx, step)


# --- the check --------------------------------------------------------------------------------
TERM = re.compile(r"\\frac\{(e_\{[^}]*\})\((.+?) \+ \\varepsilon\)")


def grad_check(ctx, step):
    """Per parameter the reference's quotient (loss nudged by epsilon) beside the backprop gradient, then
    the per-output quotients the reference computes for a hidden weight."""
    args, blocks = step["args"], [para("The parameters into ", Math(step["symbol"]), ":")]
    tot, eps = ctx.symbol(Notation.TOTAL_ID), num(args["eps"])  # e_total, or a batch's E
    for element, bp, fd, cd, rel, loss_plus in step["rows"]:
        p = ctx.symbol(element)
        quotient = rf"\frac{{{tot}({p} + \varepsilon) - {tot}({p})}}{{\varepsilon}}"
        blocks.append(Display(
            rf"{quotient} = \frac{{{num(loss_plus)} - {num(args['E'])}}}{{{eps}}} = {num(fd)} \approx {num(bp)}"
            rf" \qquad \text{{central: }} {num(cd)}, \quad \text{{relative error }} {num(rel)}"))
        terms = [t for t in step.get("terms", []) if t[2] == element]
        for term in terms:
            match = TERM.match(term[0])
            part = ctx.per_output.get(partial(*match.groups())) if match else None
            if part is None and len(terms) == 1:
                part = bp
            tail = "" if part is None else rf" \approx {num(part)}"
            blocks.append(Display(f"{term[0]} = {num(term[1])}{tail}"))
    return blocks


WRITERS = {
    "edge_product": edge_product, "node_sum": node_sum, "loss_total": loss_total, "loss_grad": loss_grad,
    "output_delta": output_delta, "output_weight_grad": output_weight_grad, "hidden_sum": hidden_sum,
    "hidden_delta": hidden_delta, "per_output_grad": per_output_grad, "hidden_weight_grad_sum": hidden_weight_grad_sum,
    "hidden_weight_grad": hidden_weight_grad, "weight_grads": weight_grads, "bias_grad": bias_grad,
    "softmax_jacobian": softmax_jacobian, "softmax_delta": softmax_delta, "delta_shortcut": delta_shortcut,
    "grad_check": grad_check,
}


def write_step(ctx: Context, step: dict) -> list:
    return WRITERS.get(step["kind"], shown)(ctx, step)
