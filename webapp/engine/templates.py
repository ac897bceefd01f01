r"""Formula and narration templates, one per step kind, and the function that fills them.

The trace ships each template once (trace["templates"]) and each step only its symbol,
value, factors and a few args, which keeps the largest network's trace small. The front
end fills them with the same rules as `fill` below (static/js/formula.js); the README's
schema section defines the placeholders:

  {s} the step's symbol      {v} its value            {fN}/{vN} factor N's symbol/value
  {F}/{V} all factors' symbols/values joined by the template's operator (a factor with
          parts shows its parts' values: 2 \cdot 0.8 \cdot (-1))
  {T}/{TV} the step's terms' symbols/values joined by " + "
  {TL} the terms listed as "symbol = value", separated by wide spaces
  {rows} the step's rows, each filled with the template's "row" (fields: "row_fields");
         in a row, {p} is the symbol of the row's element and {xs} that of the
         element's source node, both looked up in the trace's graph
  {name} any key of the step's args (a number is formatted, a string used as is)

Values in {vN}, {V} and {TV} are wrapped in parentheses when negative. Numbers are shown
with at most 9 significant digits, trailing zeros dropped (`fmt`). A step whose args
hold "c" (an edge that also carries an error signal back) gets the "back" template's
formula and narration appended. Finally " = X = X" repeats are collapsed to " = X".
"""
import math
import re

PRODUCT = r" \cdot "
SUM = " + "

TEMPLATES: dict[str, dict] = {
    "edge_product": {
        "op": PRODUCT,
        "formula": "{s} = {V} = {v}",
        "narration": "The input {f1} = {v1} travels along the edge and is multiplied by its weight "
        "{f0} = {v0}: the edge carries {V} = {v}.",
    },
    "node_sum": {
        "op": SUM,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "Neuron {s} adds up what arrives on its edges: {s} = {V} = {v}.",
    },
    "node_activation": {
        "op": PRODUCT,
        "formula": "{s} = f({f0}) = {fx} = {v}",
        "narration": "The activation {act} turns the sum {f0} = {v0} into {s} = {v}.",
    },
    "loss_term": {
        "op": PRODUCT,
        "formula": "{s} = {ex} = {exv} = {v}",
        "narration": "The output {f0} = {v0} is compared with its target {t} = {tv}: {s} = {v}.",
    },
    "loss_total": {
        "op": SUM,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "The total loss adds up the per-output terms: {s} = {V} = {v}. {note}",
    },
    "loss_grad": {
        "op": PRODUCT,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "The backward pass starts at the loss: when {o} moves, {e} changes at the rate "
        "{s} = {V} = {v}.",
    },
    "output_delta": {
        "op": PRODUCT,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "The error signal of {o} is the loss slope times the activation's slope, "
        "{s} = {V} = {v} (the document's gradient o_{ji}). Every weight into {o} gets its gradient from it.",
    },
    "output_weight_grad": {
        "op": PRODUCT,
        "formula": "{s} = {d} = {F} = {rule} = {V} = {v}",
        "narration": "Chain rule along {w}: {d} = {F} = {V} = {v}. The general rule: "
        "the error signal times the edge's input, {rule}.",
    },
    "hidden_sum": {
        "op": SUM,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "{h} feeds {n} neuron(s), so the loss reaches it along each outgoing edge; "
        "what came back adds up: {s} = {V} = {v}.",
    },
    "hidden_delta": {
        "op": PRODUCT,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "The error signal of {h}: what reached it times the activation's slope, "
        "{s} = {F} = {V} = {v}.",
    },
    "per_output_grad": {
        "op": PRODUCT,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "The part of the gradient of {w} that comes from {e} alone, by the chain rule: "
        "{s} = {V} = {v}.{reuse}",
    },
    "hidden_weight_grad": {
        "op": PRODUCT,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "Gradient of {w}: the error signal of the neuron it feeds times the edge's input, "
        "{s} = {F} = {V} = {v}.",
    },
    "hidden_weight_grad_sum": {
        "op": PRODUCT,
        "formula": "{s} = {T} = {TV} = {F} = {V} = {v}",
        "narration": "{w} reaches every output, so its gradient is the sum of the per-output parts, "
        "{TV} = {v}, the same as the error signal times the input, {F} = {V}.",
    },
    "weight_grads": {
        "op": PRODUCT,
        "row_fields": ["element", "x", "g", "c"],
        "row": r"\frac{\partial e_{total}}{\partial {p}} = {s} \cdot {xs} = {v0} \cdot {x} = {g}",
        "formula": r"\begin{array}{l} {rows} \end{array}",
        "narration": "The error signal {s} = {v} of {h} meets each of its {n} incoming edges: every edge's "
        "gradient is {s} times the edge's input, and the signal travels on back along the edges.",
    },
    "bias_grad": {
        "op": PRODUCT,
        "formula": "{s} = {F} = {V} = {v}",
        "narration": "A bias is a weight on a constant input 1, so its gradient is the error signal: "
        "{s} = {v}.",
    },
    "softmax_jacobian": {
        "op": PRODUCT,
        "formula": r"\frac{\partial o_j}{\partial a_k} = o_j (1[j{=}k] - o_k) \qquad {matrix}",
        "narration": "Softmax joins every output to every sum of its layer: o_j moves with each a_k at the rate "
        r"\frac{\partial o_j}{\partial a_k} = o_j (1[j{=}k] - o_k): o_j (1 - o_j) on the diagonal, -o_j o_k off it. "
        "The {n} x {n} Jacobian with this sample's outputs.",
    },
    "softmax_delta": {
        "op": PRODUCT,
        "formula": r"{s} = {d} = {T} = {route} = {v}",
        "narration": "Through softmax the loss reaches the sum {a} along every output, so the chain rule adds "
        "one term per output ({n} of them): {s} = {v}.",
    },
    "delta_shortcut": {
        "op": PRODUCT,
        "formula": r"{s} = {rule} = {numbers} = {v} \qquad \text{the route above: } {route}",
        "narration": "For softmax with {loss} the {n} terms collapse to {s} = {rule} = {v}, the same as the "
        "chain rule's {route} (relative difference {diff}).",
    },
    "batch_loss": {
        "op": SUM,
        "formula": r"{s} = {scale}\left({F}\right) = {scale}\left({V}\right) = {v}",
        "narration": "The loss of the batch is the {reduction} of its {N} samples' losses: {s} = {v}.",
    },
    "accumulate": {
        "op": SUM,
        "formula": r"{s} = {scale}\left({F}\right) = {scale}\left({V}\right) = {v}",
        "narration": "The batch gradient of {p} is the {reduction} of the gradients the {N} samples asked "
        "for: {s} = {v}. This is what the update uses.",
    },
    "accumulate_rows": {
        "op": SUM,
        "row_fields": ["element", "g"],
        "row": r"\frac{\partial E}{\partial {p}} = {scale}\sum_{n=1}^{{N}} \frac{\partial E_n}{\partial {p}} = {g}",
        "formula": r"\begin{array}{l} {rows} \end{array}",
        "narration": "The batch gradients of the {n} parameters into {s}: each the {reduction} of the {N} "
        "samples' gradients.",
    },
    "update_momentum": {
        "op": PRODUCT,
        "row_fields": ["element", "old", "g", "vp", "vn", "new"],
        # One line a quantity: the velocity, then the parameter.
        "row": r"v_{{p}}' = {mu} \cdot ({vp}) + ({g}) = {vn} \\ {p}' = {old} - {lr} \cdot ({vn}) = {new}",
        "formula": r"\begin{array}{l} {rows} \end{array}",
        "narration": r"Momentum with learning rate {lr} and \mu = {mu}: each parameter into {s} keeps a velocity, "
        r"v' = \mu v + g, and moves against it, p' = p - {lr} v' (largest change {v}).",
    },
    "update_adam": {
        "op": PRODUCT,
        "row_fields": ["element", "old", "g", "mp", "vp", "mn", "vn", "mh", "vh", "new"],
        "row": r"m_{{p}}' = {beta1} \cdot ({mp}) + (1 - {beta1}) \cdot ({g}) = {mn} \\ "
        r"v_{{p}}' = {beta2} \cdot {vp} + (1 - {beta2}) \cdot ({g})^2 = {vn} \\ "
        r"\hat m_{{p}} = {mh}, \quad \hat v_{{p}} = {vh} \\ "
        r"{p}' = {old} - {lr} \cdot \frac{{mh}}{\sqrt{{vh}} + {eps}} = {new}",
        "formula": r"\begin{array}{l} {rows} \end{array}",
        "narration": "Adam, step t = {t}, with learning rate {lr}: m' = \\beta_1 m + (1 - \\beta_1) g and "
        "v' = \\beta_2 v + (1 - \\beta_2) g^2 (\\beta_1 = {beta1}, \\beta_2 = {beta2}), divided by 1 - \\beta^t "
        "into m\u0302 and v\u0302; each parameter into {s} moves by {lr} m\u0302 over the square root of v\u0302 "
        "plus \\varepsilon (largest change {v}).",
    },
    "back": {
        "op": PRODUCT,
        "formula": r" \qquad {cs} = {c}",
        "narration": " On its way back the error signal brings {cs} = {c} to {h}.",
    },
    "grad_check": {
        "op": PRODUCT,
        "row_fields": ["element", "bp", "fd", "cd", "re", "Ep"],
        "row": r"{p} & {bp} & \frac{{Ep} - {E}}{{eps}} = {fd} & {cd} & {re}",
        "formula": r"\begin{array}{lrrrr} & \text{backprop} & \text{forward } \frac{e_{total}(p + \varepsilon)"
        r" - e_{total}(p)}{\varepsilon} & \text{central } \frac{e_{total}(p + \varepsilon) - e_{total}(p - "
        r"\varepsilon)}{2\varepsilon} & \text{rel. error} \\ \hline {rows} \end{array} \qquad {TL}",
        "narration": "Finite-difference check of the parameters into {s}: each is nudged by \\varepsilon = {eps} "
        "and the loss recomputed; the worst relative error against backpropagation is {v}.",
    },
    "update": {
        "op": PRODUCT,
        "row_fields": ["element", "old", "g", "new"],
        "row": r"{p}' = {p} - \eta \cdot \frac{\partial e_{total}}{\partial {p}} = {old} - {lr} \cdot ({g}) = {new}",
        "formula": r"\begin{array}{l} {rows} \end{array}",
        "narration": "Gradient descent with learning rate {lr}: every parameter into {s} moves against its "
        r"gradient, p' = p - {lr} \cdot \frac{\partial e_{total}}{\partial p} (largest change {v}).",
    },
}


# The kinds whose templates write the loss as e_total; a batch's trace has {tot} there, filled from
# the step's args (E for the batch, E_n for sample n).
TOTAL_KINDS = ("weight_grads", "grad_check", "update")


def batch_templates() -> dict:
    """The templates of a mini-batch's trace."""
    out = dict(TEMPLATES)
    for kind in TOTAL_KINDS:
        out[kind] = {key: value.replace("e_{total}", "{tot}") if isinstance(value, str) else value
                     for key, value in TEMPLATES[kind].items()}
    return out


def fmt(x) -> str:
    """At most 9 significant digits, trailing zeros dropped (like C's %.9g)."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "non-finite"
    s = format(x, ".9g")
    return "0" if s == "-0" else s


def _num(x, paren) -> str:
    s = fmt(x)
    return f"({s})" if paren and s.startswith("-") else s


def _sub(template: str, fields: dict) -> str:
    # A LaTeX group such as {total} or {2} is left alone: only known names are replaced.
    return re.sub(r"\{(\w+)\}", lambda m: fields.get(m.group(1), m.group(0)), template)


def _collapse(formula: str) -> str:
    parts = formula.split(" = ")
    out = [parts[0]]
    for p in parts[1:]:
        if p != out[-1]:
            out.append(p)
    return " = ".join(out)


def graph_lookup(graph: dict) -> dict:
    """Element id -> its graph record (nodes, edges, biases), for filling rows."""
    return {el["id"]: el for part in ("nodes", "edges", "biases") for el in graph[part]}


def fill(templates: dict, step: dict, lookup: dict) -> tuple[str, str]:
    """(formula LaTeX, narration with LaTeX symbols) of one step; see the module doc."""
    t = templates[step["kind"]]
    op = t["op"]
    factors = step.get("factors", [])
    terms = step.get("terms", [])
    args = step.get("args", {})

    def value_of(f):
        if len(f) > 3:
            return op.join(_num(p[1], True) for p in f[3])
        return _num(f[1], True)

    fields = {
        "s": step["symbol"], "v": fmt(step["value"]),
        "F": op.join(f[0] for f in factors),
        "V": op.join(value_of(f) for f in factors),
        "T": SUM.join(f[0] for f in terms),
        "TV": SUM.join(_num(f[1], True) for f in terms),
        "TL": r" \qquad ".join(f"{f[0]} = {fmt(f[1])}" for f in terms),
    }
    for n, f in enumerate(factors):
        fields[f"f{n}"] = f[0]
        fields[f"v{n}"] = _num(f[1], True)
    for key, val in args.items():
        fields[key] = val if isinstance(val, str) else fmt(val)
    if "row" in t:
        rows = []
        for row in step.get("rows", []):
            row_fields = dict(fields)
            row_fields.update({k: (v if isinstance(v, str) else fmt(v)) for k, v in zip(t["row_fields"], row)})
            element = lookup.get(row[0], {})
            row_fields["p"] = element.get("symbol", "")
            row_fields["xs"] = lookup.get(element.get("from"), {}).get("symbol", "")
            rows.append(_sub(t["row"], row_fields))
        fields["rows"] = r" \\ ".join(rows)
    formula, narration = _sub(t["formula"], fields), _sub(t["narration"], fields)
    if "c" in args:
        formula += _sub(templates["back"]["formula"], fields)
        narration += _sub(templates["back"]["narration"], fields)
    return _collapse(formula), narration
