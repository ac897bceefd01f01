"""Ordered step records built from the engine's arrays (trace_json.py turns them into JSON).

Step order: forward (for each neuron: the product on each incoming edge, its sum, its
activation), loss (each e_k, the total), backward (each output's loss slope and error
signal, then the gradient on each incoming edge, which also carries the error signal
back to the edge's source; then each hidden layer from the top down: the sum of what
came back, the error signal, the incoming edges' gradients), check (finite differences
of every parameter, neuron by neuron) and update (neuron by neuron).

A softmax output layer adds, after the loss slopes, its Jacobian written out and each error
signal by the general route (delta_k = sum_j de/do_j do_j/da_k), and with cross-entropy the
shortcut delta_k = o_k - t_k beside it. A mini-batch (batch.py) runs the phases forward,
loss and backward once per sample, then accumulates the batch gradient before the check and
the update.
"""


from .activations import ACTIVATIONS, resolve_slope
from .losses import LOSSES
from .network import NetworkSpec, compute, output_jacobian
from .notation import Notation, partial

SCHEMA_VERSION = 1
# Per-output gradient steps for hidden weights (the document's de_1/dw_11 and de_2/dw_11)
# are listed when (hidden parameters x outputs) stays under this, so a 10x16 network's
# walkthrough does not drown in 30,000 of them; the arrays always hold every value.
PER_OUTPUT_STEP_LIMIT = 512
# Up to this many weights the walkthrough goes edge by edge; past it, neuron by neuron
# (one step shows every edge into a neuron at once). Stepping through the 2,304 edges
# of a 10x16 network one at a time teaches nothing, and its trace would pass 2 MB.
EDGE_STEP_LIMIT = 300


def _factor(symbol, value, element, parts=None):
    """[symbol, value, element] and, when the value is itself a product, [[symbol, value], ...]."""
    return [symbol, value, element, parts] if parts else [symbol, value, element]


def build_steps(spec: NetworkSpec, granularity: str = "auto") -> "StepBuilder":
    """The walkthrough of one training step on one sample: a StepBuilder whose `steps` are in order."""
    builder = StepBuilder(spec, granularity)
    builder.forward()
    builder.loss_steps()
    builder.backward()
    builder.steps += check_and_update_steps(spec, builder.nt, builder.res, per_output_terms=True)
    return builder


def resolve_granularity(spec: NetworkSpec, granularity: str, copies: int = 1) -> str:
    """"edge" or "neuron": "auto" steps edge by edge while the walkthrough's edges (times the
    samples of a batch, each walked through) stay under EDGE_STEP_LIMIT."""
    if granularity != "auto":
        return granularity
    return "edge" if sum(w.size for w in spec.weights) * copies <= EDGE_STEP_LIMIT else "neuron"


def has_per_output_steps(spec: NetworkSpec, copies: int = 1) -> bool:
    n_out = spec.layers[-1]
    hidden_params = sum(w.size for w in spec.weights[:-1])
    if spec.biases is not None:
        hidden_params += sum(b.size for b in spec.biases[:-1])
    return n_out > 1 and hidden_params * n_out * copies <= PER_OUTPUT_STEP_LIMIT


def neuron_order(spec: NetworkSpec) -> list[tuple[int, int]]:
    """(layer, index) in the order the backward pass reaches them: the outputs, then each hidden
    layer from the top down. The check and the update go neuron by neuron in this order."""
    last = len(spec.layers) - 1
    return [(l, j) for l in range(last, 0, -1) for j in range(spec.layers[l])]


class StepBuilder:
    """Appends the steps of each phase to `steps`; `res` holds the arrays, `nt` the notation.
    For sample n of a mini-batch (`sample`), every step id starts "s{n}-" and the step says
    `sample`; `res` is then that sample's computation."""

    def __init__(self, spec: NetworkSpec, granularity: str = "auto", res=None, sample: int | None = None,
                 per_output_steps: bool | None = None):
        self.spec = spec
        self.granularity = resolve_granularity(spec, granularity)
        self.by_edge = self.granularity == "edge"
        self.res = compute(spec) if res is None else res
        self.sample = sample
        self.nt = Notation(spec.layers, sample)
        self.loss = LOSSES[spec.loss]
        self.steps: list[dict] = []
        self.last = len(spec.layers) - 1
        self.jacobian = output_jacobian(spec, self.res.pre_activations[-1])
        self.per_output_steps = has_per_output_steps(spec) if per_output_steps is None else per_output_steps

    def add(self, id_, phase, kind, elements, symbol, value, factors=(), **extra):
        if self.sample is not None:
            id_, extra["sample"] = f"s{self.sample}-{id_}", self.sample
        step = {"id": id_, "phase": phase, "kind": kind, "elements": list(elements),
                "symbol": symbol, "value": value, "factors": list(factors)}
        step.update({k: v for k, v in extra.items() if v is not None})
        self.steps.append(step)
        return step

    # --- forward and loss -------------------------------------------------
    def forward(self):
        nt, spec, r = self.nt, self.spec, self.res
        for l in range(1, self.last + 1):
            la = spec.activations[l - 1]
            act, slope = ACTIVATIONS[la.name], resolve_slope(la.name, la.slope)
            for j in range(spec.layers[l]):
                node = nt.node_id(l, j)
                products = []
                for i in range(spec.layers[l - 1]):
                    w, x = spec.weights[l - 1][j, i], r.activations[l - 1][i]
                    edge, src = nt.weight_id(l, j, i), nt.node_id(l - 1, i)
                    sym = f"{nt.weight(l, j, i)} {nt.act(l - 1, i)}"
                    if self.by_edge:
                        self.add(f"fwd-{edge}", "forward", "edge_product", [edge, src, node], sym, w * x,
                                 [_factor(nt.weight(l, j, i), w, edge), _factor(nt.act(l - 1, i), x, src)])
                    products.append(_factor(sym, w * x, edge))
                if spec.biases is not None:
                    products.append(_factor(nt.bias(l, j), spec.biases[l - 1][j], nt.bias_id(l, j)))
                a = r.pre_activations[l - 1][j]
                fan_in = [] if self.by_edge else [p[2] for p in products]
                self.add(f"sum-{node}", "forward", "node_sum", [node] + fan_in, nt.pre(l, j), a, products)
                slope_txt = fmt_plain(slope) if slope is not None else ""
                fx = act.latex.replace("{s}", slope_txt).replace("{a}", _paren(a))
                act_txt = "f(a) = " + act.latex.replace("{s}", slope_txt).replace("{a}", "a")
                if act.jacobian is not None:
                    fx, act_txt = self._softmax_texts(l, j)
                self.add(f"act-{node}", "forward", "node_activation", [node], nt.act(l, j),
                         r.activations[l][j], [_factor(nt.pre(l, j), a, node)],
                         args={"fx": fx, "act": act_txt})

    def _softmax_texts(self, l, j):
        """(the activation with its numbers, the rule in words) of neuron j of a softmax layer."""
        sums = self.res.pre_activations[l - 1]
        powers = " + ".join(f"e^{{{fmt_plain(a)}}}" for a in sums)
        own = f"e^{{{fmt_plain(sums[j])}}}"
        return rf"\frac{{{own}}}{{{powers}}}", r"softmax, o_k = \frac{e^{a_k}}{\sum_m e^{a_m}},"

    def loss_steps(self):
        nt, spec, r = self.nt, self.spec, self.res
        n_out = spec.layers[-1]
        terms = []
        for k in range(n_out):
            o, t = r.activations[-1][k], spec.targets[k]
            node = nt.node_id(self.last, k)
            lat = self.loss.latex.replace("{n}", str(n_out))
            self.add(f"loss-{nt.loss_id(k)}", "loss", "loss_term", [nt.loss_id(k), node], nt.loss(k),
                     r.loss_terms[k], [_factor(nt.act(self.last, k), o, node)],
                     args={"ex": lat.replace("{t}", nt.target(k)).replace("{o}", nt.act(self.last, k)),
                           "exv": lat.replace("{t}", fmt_plain(t)).replace("{o}", fmt_plain(o)),
                           "t": nt.target(k), "tv": t})
            terms.append(_factor(nt.loss(k), r.loss_terms[k], nt.loss_id(k)))
        note = {"sse": "This is the worked example's loss: it calls it mean squared error but sums the "
                "squared errors without dividing by n."}.get(spec.loss, f"Loss: {self.loss.title}.")
        if self.sample is not None:
            note = f"This is the loss of sample {self.sample + 1}; the batch's comes after the last sample."
        self.add("loss-total", "loss", "loss_total", [nt.TOTAL_ID] + [nt.loss_id(k) for k in range(n_out)],
                 nt.TOTAL, r.loss_total, terms, args={"note": note})

    # --- backward -----------------------------------------------------------
    def _dedo_factor(self, k):
        """de_k/do_k as a factor whose parts are the loss's own pieces (2 * 0.8 * (-1))."""
        nt, r = self.nt, self.res
        o, t = r.activations[-1][k], self.spec.targets[k]
        pieces = self.loss.factors(o, t, self.spec.layers[-1], nt.target(k), nt.act(self.last, k))
        return _factor(partial(nt.loss(k), nt.act(self.last, k)), r.loss_grad[k], nt.loss_id(k),
                       [[sym, val] for sym, val in pieces])

    def _slope_factor(self, l, j):
        nt = self.nt
        return _factor(partial(nt.act(l, j), nt.pre(l, j)), self.res.derivatives[l - 1][j], nt.node_id(l, j))

    def _contribution(self, l, j, i):
        """What the error signal of neuron j (layer l) brings back along w_lji to neuron i, or None."""
        if l - 1 < 1:
            return None
        nt = self.nt
        value = self.spec.weights[l - 1][j, i] * self.res.deltas[l - 1][j]
        return {"cs": f"{nt.weight(l, j, i)} {nt.delta(l, j)}", "c": value, "h": nt.act(l - 1, i)}

    def backward(self):
        self.output_layer()
        self.hidden_layers()

    def _loss_grad_step(self, k):
        nt, L = self.nt, self.last
        node, lossnode = nt.node_id(L, k), nt.loss_id(k)
        dedo = self._dedo_factor(k)
        self.add(f"dedo-{node}", "backward", "loss_grad", [lossnode, node], dedo[0], dedo[1],
                 [_factor(sym, val, node if n == 1 else lossnode) for n, (sym, val) in enumerate(dedo[3])],
                 args={"o": nt.act(L, k), "e": nt.loss(k)})
        return dedo

    def output_layer(self):
        nt, spec, r, L = self.nt, self.spec, self.res, self.last
        n_out = spec.layers[-1]
        if self.jacobian is not None:
            # Every delta needs every loss slope: all of them first, then the Jacobian.
            dedos = [self._loss_grad_step(k) for k in range(n_out)]
            self._jacobian_step()
        for k in range(n_out):
            node, lossnode = nt.node_id(L, k), nt.loss_id(k)
            if self.jacobian is None:
                dedo = self._loss_grad_step(k)
                self.add(f"delta-{node}", "backward", "output_delta", [node, lossnode], nt.delta(L, k),
                         r.deltas[-1][k], [dedo, self._slope_factor(L, k)], args={"o": nt.act(L, k)})
                head = [dedo, self._slope_factor(L, k)]
            else:
                self._softmax_delta_steps(k, dedos)
                head = [_factor(nt.delta(L, k), r.deltas[-1][k], node)]
            rows = []
            for i in range(spec.layers[L - 1]):
                edge, src = nt.weight_id(L, k, i), nt.node_id(L - 1, i)
                wsym = nt.weight(L, k, i)
                if not self.by_edge:
                    rows.append(self._grad_row(L, k, i))
                    continue
                chain = head + [_factor(partial(nt.pre(L, k), wsym), r.activations[L - 1][i], src)]
                # Through softmax every e_j reaches w: the chain starts at the whole loss.
                top = nt.loss(k) if self.jacobian is None else nt.TOTAL
                args = {"d": partial(top, wsym), "w": wsym,
                        "rule": f"{nt.delta(L, k)} \\cdot {nt.act(L - 1, i)}"}
                args.update(self._contribution(L, k, i) or {})
                self.add(f"grad-{edge}", "backward", "output_weight_grad", [edge, node, src], partial(nt.TOTAL, wsym),
                         r.grad_w[-1][k, i], chain, args=args)
            self._grouped_grads(L, k, rows)
            self._bias_grad(L, k)

    def _jacobian_step(self):
        """The softmax layer's Jacobian do_j/da_k = o_j (1[j=k] - o_k), every entry's value."""
        nt, L, n_out = self.nt, self.last, self.spec.layers[-1]
        cells = []
        for j in range(n_out):
            row = []
            for k in range(n_out):
                # Values only: the rule heads the formula, and a 3 x 3 matrix of rules would outgrow a projector.
                row.append(fmt_plain(self.jacobian[j, k]))
            cells.append(" & ".join(row))
        heads = " & ".join(nt.pre(L, k) for k in range(n_out))
        matrix = (rf"\begin{{array}}{{r|{'r' * n_out}}} & {heads} \\ \hline "
                  + r" \\ ".join(f"{nt.act(L, j)} & {cells[j]}" for j in range(n_out)) + r" \end{array}")
        diagonal = [_factor(partial(nt.act(L, k), nt.pre(L, k)), self.jacobian[k, k], nt.node_id(L, k))
                    for k in range(n_out)]
        self.add("jacobian-softmax", "backward", "softmax_jacobian", [nt.node_id(L, k) for k in range(n_out)],
                 r"\frac{\partial o_j}{\partial a_k}", float(abs(self.jacobian).max()), diagonal,
                 args={"matrix": matrix, "n": str(n_out)})

    def _softmax_delta_steps(self, k, dedos):
        """delta_k by the general route, then (cross-entropy) the shortcut o_k - t_k, checked against it."""
        nt, L, r, n_out = self.nt, self.last, self.res, self.spec.layers[-1]
        node = nt.node_id(L, k)
        terms, factors, numbers = [], [], []
        for j in range(n_out):
            slope = partial(nt.act(L, j), nt.pre(L, k))
            terms.append(_factor(f"{dedos[j][0]} {slope}", dedos[j][1] * self.jacobian[j, k], nt.node_id(L, j)))
            factors += [_factor(dedos[j][0], dedos[j][1], nt.loss_id(j)),
                        _factor(slope, self.jacobian[j, k], nt.node_id(L, j))]
            numbers.append(f"{_paren(dedos[j][1])} \\cdot {_paren(self.jacobian[j, k])}")
        route = sum(term[1] for term in terms)  # the route itself, whatever delta the engine used
        self.add(f"delta-{node}", "backward", "softmax_delta", [node] + [nt.loss_id(j) for j in range(n_out)],
                 nt.delta(L, k), route, factors, terms=terms,
                 args={"a": nt.pre(L, k), "d": partial(nt.TOTAL, nt.pre(L, k)), "route": " + ".join(numbers),
                       "n": str(n_out)})
        if self.loss.delta_shortcut is None or self.loss.needs_activation != self.spec.activations[-1].name:
            return
        o, t = r.activations[-1][k], self.spec.targets[k]
        short = float(self.loss.delta_shortcut(o, t))
        rule = self.loss.delta_shortcut_latex
        self.add(f"shortcut-{node}", "backward", "delta_shortcut", [node, nt.loss_id(k)], nt.delta(L, k), short,
                 [_factor(nt.act(L, k), o, node), _factor(nt.target(k), t, nt.loss_id(k))],
                 args={"rule": rule.replace("{o}", nt.act(L, k)).replace("{t}", nt.target(k)),
                       "numbers": rule.replace("{o}", fmt_plain(o)).replace("{t}", _paren(t)),
                       "route": route, "diff": relative_error(short, route), "loss": self.loss.title,
                       "n": str(n_out)})

    def _grad_row(self, l, j, i):
        """[edge, input, gradient(, contribution)] for grouped steps; symbols come from the graph."""
        nt, r = self.nt, self.res
        row = [nt.weight_id(l, j, i), r.activations[l - 1][i], r.grad_w[l - 1][j, i]]
        back = self._contribution(l, j, i)
        return row + [back["c"]] if back else row

    def _grouped_grads(self, l, j, rows):
        """Neuron-by-neuron mode: the gradients of every edge into neuron j in one step."""
        if not rows:
            return
        nt, node = self.nt, self.nt.node_id(l, j)
        args = {"h": nt.act(l, j), "n": str(len(rows))}
        if self.sample is not None:
            args["tot"] = nt.TOTAL  # the sample's loss E_n (batch templates write {tot})
        self.add(f"grads-{node}", "backward", "weight_grads", [r[0] for r in rows] + [node], nt.delta(l, j),
                 self.res.deltas[l - 1][j], [_factor(nt.delta(l, j), self.res.deltas[l - 1][j], node)], rows=rows,
                 args=args)

    def _bias_grad(self, l, j):
        if self.spec.biases is None:
            return
        nt = self.nt
        bid = nt.bias_id(l, j)
        self.add(f"grad-{bid}", "backward", "bias_grad", [bid, nt.node_id(l, j)], partial(nt.TOTAL, nt.bias(l, j)),
                 self.res.grad_b[l - 1][j],
                 [_factor(nt.delta(l, j), self.res.deltas[l - 1][j], nt.node_id(l, j)),
                  _factor(partial(nt.pre(l, j), nt.bias(l, j)), 1.0, bid)])

    def hidden_layers(self):
        nt, spec, r = self.nt, self.spec, self.res
        for l in range(self.last - 1, 0, -1):
            for i in range(spec.layers[l]):
                node = nt.node_id(l, i)
                contributions = [
                    _factor(f"{nt.weight(l + 1, j, i)} {nt.delta(l + 1, j)}",
                            spec.weights[l][j, i] * r.deltas[l][j], nt.weight_id(l + 1, j, i))
                    for j in range(spec.layers[l + 1])]
                dEdh = partial(nt.TOTAL, nt.act(l, i))
                self.add(f"dedh-{node}", "backward", "hidden_sum", [node] + [c[2] for c in contributions], dEdh,
                         r.upstream[l - 1][i], contributions, args={"h": nt.act(l, i), "n": str(spec.layers[l + 1])})
                self.add(f"delta-{node}", "backward", "hidden_delta", [node], nt.delta(l, i), r.deltas[l - 1][i],
                         [_factor(dEdh, r.upstream[l - 1][i], node), self._slope_factor(l, i)],
                         args={"h": nt.act(l, i)})
                if self.by_edge:
                    for s in range(spec.layers[l - 1]):
                        self._hidden_weight_grad(l, i, s)
                else:
                    self._grouped_grads(l, i, [self._grad_row(l, i, s) for s in range(spec.layers[l - 1])])
                self._bias_grad(l, i)

    def _unique_path(self, l):
        """True when every layer between l and the output has one neuron and the output is
        elementwise (one path to each e_k; softmax joins every output to every sum)."""
        return self.jacobian is None and all(n == 1 for n in self.spec.layers[l + 1:self.last])

    def _per_output_chain(self, l, j, k):
        """Factors of de_k/da_j for neuron j of layer l: the full chain when the path is unique."""
        nt, spec, r = self.nt, self.spec, self.res
        if not self._unique_path(l):
            return [_factor(partial(nt.loss(k), nt.pre(l, j)), r.per_output_deltas[l - 1][k, j], nt.node_id(l, j))]
        chain = [self._dedo_factor(k), self._slope_factor(self.last, k)]
        # Walk down from the output: the edge into the neuron above, then this neuron's slope.
        above = (self.last, k)
        for m, n in [(m, 0) for m in range(self.last - 1, l, -1)] + [(l, j)]:
            chain.append(_factor(partial(nt.pre(*above), nt.act(m, n)), spec.weights[above[0] - 1][above[1], n],
                                 nt.weight_id(above[0], above[1], n)))
            chain.append(self._slope_factor(m, n))
            above = (m, n)
        return chain

    def _hidden_weight_grad(self, l, j, i):
        nt, spec, r = self.nt, self.spec, self.res
        edge, node, src = nt.weight_id(l, j, i), nt.node_id(l, j), nt.node_id(l - 1, i)
        wsym = nt.weight(l, j, i)
        x = r.activations[l - 1][i]
        terms = None
        if self.per_output_steps:
            terms = []
            input_factor = _factor(partial(nt.pre(l, j), wsym), x, src)
            for k in range(spec.layers[-1]):
                sym = partial(nt.loss(k), wsym)
                value = r.per_output_w[l - 1][k, j, i]
                chain = self._per_output_chain(l, j, k)
                reuse = ""
                if len(chain) > 1:
                    # As the document points out: the output layer already computed these two.
                    reuse = (f" The first factors, {chain[0][0]} and {chain[1][0]}, were already computed in the "
                             "output layer.")
                self.add(f"gradk{k}-{edge}", "backward", "per_output_grad", [edge, node, src, nt.loss_id(k)],
                         sym, value, chain + [input_factor], args={"w": wsym, "e": nt.loss(k), "reuse": reuse})
                terms.append(_factor(sym, value, nt.loss_id(k)))
        args = {"w": wsym}
        args.update(self._contribution(l, j, i) or {})
        kind = "hidden_weight_grad_sum" if terms else "hidden_weight_grad"
        self.add(f"grad-{edge}", "backward", kind, [edge, node, src], partial(nt.TOTAL, wsym), r.grad_w[l - 1][j, i],
                 [_factor(nt.delta(l, j), r.deltas[l - 1][j], node), _factor(nt.act(l - 1, i), x, src)],
                 terms=terms, args=args)

# --- check and update, neuron by neuron -------------------------------------------------
def neuron_params(spec: NetworkSpec, nt: Notation, l: int, j: int):
    """(kind, element id, symbol, (array layer, *index)) of the weights and bias into neuron j of layer l."""
    params = [("weights", nt.weight_id(l, j, i), nt.weight(l, j, i), (l - 1, j, i)) for i in range(spec.layers[l - 1])]
    if spec.biases is not None:
        params.append(("biases", nt.bias_id(l, j), nt.bias(l, j), (l - 1, j)))
    return params


def check_and_update_steps(spec: NetworkSpec, nt: Notation, res, per_output_terms: bool, extra_args=None):
    """One check and one update step per neuron, covering its incoming weights and bias. `res` is a
    Result or a BatchResult (its gradient, finite differences of its loss, its update); the per-output
    quotients are listed when `per_output_terms` and the walkthrough shows per-output parts."""
    num = res.numeric
    last = len(spec.layers) - 1
    every_layer = per_output_terms and has_per_output_steps(spec)  # else the output layer's only
    checks, updates = [], []
    for l, j in neuron_order(spec):
        node = nt.node_id(l, j)
        params = neuron_params(spec, nt, l, j)
        check_rows, update_rows, terms = [], [], []
        for kind, element, psym, (layer, *idx) in params:
            idx = tuple(idx)
            bp = (res.grad_w if kind == "weights" else res.grad_b)[layer][idx]
            cd = num["central"][kind][layer][idx]
            check_rows.append([element, bp, num["forward"][kind][layer][idx], cd,
                               relative_error(bp, cd), num["loss_plus"][kind][layer][idx]])
            old = (spec.weights if kind == "weights" else spec.biases)[layer][idx]
            new = (res.updated_w if kind == "weights" else res.updated_b)[layer][idx]
            update_rows.append([element, old, bp, new])
            if every_layer or (per_output_terms and l == last):
                terms += _quotient_terms(spec, nt, num, kind, element, psym, layer, idx, l, j)
        elements = [p[1] for p in params]
        worst = max((row[4] for row in check_rows), default=0.0)
        checks.append(_step(id=f"check-{node}", phase="check", kind="grad_check", elements=elements + [node],
                            symbol=nt.act(l, j), value=worst, factors=[], rows=check_rows, terms=terms or None,
                            args={"E": res.loss_total, "eps": spec.epsilon, **(extra_args or {})}))
        biggest = max((abs(row[3] - row[1]) for row in update_rows), default=0.0)
        updates.append(_step(id=f"update-{node}", phase="update", kind="update", elements=elements + [node],
                             symbol=nt.act(l, j), value=biggest, factors=[], rows=update_rows,
                             args={"lr": spec.learning_rate, **(extra_args or {})}))
    return checks + updates


def _quotient_terms(spec, nt, num, kind, element, psym, layer, idx, l, j):
    """The forward quotients of the loss terms e_k a parameter moves: every output's for a hidden
    parameter or a softmax layer (which joins every output), its own output's otherwise."""
    last = len(spec.layers) - 1
    per = num["forward"]["per_output_" + kind][layer]
    joined = l < last or ACTIVATIONS[spec.activations[-1].name].jacobian is not None
    ks = range(spec.layers[-1]) if joined else [j]
    quotient = r"\frac{{{e}({w} + \varepsilon) - {e}({w})}}{{\varepsilon}}"
    return [_factor(quotient.format(e=nt.loss(k), w=psym), per[(k,) + idx], element) for k in ks]


def _step(**step):
    return {k: v for k, v in step.items() if v is not None}


def relative_error(a, b):
    """|a - b| / max(|a|, |b|), 0 when both are 0 (CS231n's gradient-check measure)."""
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def fmt_plain(x) -> str:
    from .templates import fmt
    return fmt(float(x))


def _paren(x) -> str:
    s = fmt_plain(x)
    return f"({s})" if s.startswith("-") else s
