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
from .notation import Notation, notation_of, partial
from .rounding import rnd, rounded_list
from .tables import ParamTables, Tables

SCHEMA_VERSION = 2
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
    builder.params = ParamTables(spec, builder.res)
    builder.steps += check_and_update_steps(spec, builder.nt, builder.res, builder.params, per_output_terms=True)
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
    """Appends the steps of each phase to `steps`; `res` holds the arrays, `tb` the same rounded
    (every number a step carries comes from there or from `rnd`), `nt` the notation. For sample n
    of a mini-batch (`sample`), every step id starts "s{n}-" and the step says `sample`; `res` is
    then that sample's computation."""

    def __init__(self, spec: NetworkSpec, granularity: str = "auto", res=None, sample: int | None = None,
                 per_output_steps: bool | None = None):
        self.spec = spec
        self.granularity = resolve_granularity(spec, granularity)
        self.by_edge = self.granularity == "edge"
        self.res = compute(spec) if res is None else res
        self.tb = Tables(spec, self.res)
        self.sample = sample
        self.nt = notation_of(tuple(spec.layers), sample)
        self.loss = LOSSES[spec.loss]
        self.steps: list[dict] = []
        self.last = len(spec.layers) - 1
        self.jacobian = output_jacobian(spec, self.res.pre_activations[-1])
        self.per_output_steps = has_per_output_steps(spec) if per_output_steps is None else per_output_steps

    def add(self, id_, kind, elements, symbol, value, factors=(), **extra):
        if self.sample is not None:
            id_, extra["sample"] = f"s{self.sample}-{id_}", self.sample
        step = {"id": id_, "kind": kind, "elements": list(elements), "symbol": symbol, "value": value}
        if factors:
            step["factors"] = list(factors)
        for key, v in extra.items():
            if v is not None:
                step[key] = v
        self.steps.append(step)
        return step

    # --- forward and loss -------------------------------------------------
    def forward(self):
        nt, spec, tb = self.nt, self.spec, self.tb
        for l in range(1, self.last + 1):
            la = spec.activations[l - 1]
            act, slope = ACTIVATIONS[la.name], resolve_slope(la.name, la.slope)
            slope_txt = fmt_plain(slope) if slope is not None else ""
            rule = act.latex.replace("{s}", slope_txt)
            nodes, pres, acts = nt.layer_table("ids", l), nt.layer_table("pre", l), nt.layer_table("act", l)
            for j, node in enumerate(nodes):
                a = tb.a[l - 1][j]
                if self.by_edge:
                    self._edge_products(l, j, node)
                else:
                    # The factors are the graph's edges into the node, then its bias (expand.py).
                    values = tb.prod[l - 1][j] + ([tb.b[l - 1][j]] if spec.biases is not None else [])
                    self.add(f"sum-{node}", "node_sum", [node], pres[j], a, values=values)
                fx, act_txt = rule.replace("{a}", _paren(a)), "f(a) = " + rule.replace("{a}", "a")
                if act.jacobian is not None:
                    fx, act_txt = self._softmax_texts(l, j)
                self.add(f"act-{node}", "node_activation", [node], acts[j], tb.h[l][j],
                         [[pres[j], a, node]], args={"fx": fx, "act": act_txt})

    def _edge_products(self, l, j, node):
        """Edge by edge: the product on each edge into the node, then the node's sum of them."""
        nt, tb = self.nt, self.tb
        eids, wsyms = nt.layer_table("weight_ids", l)[j], nt.layer_table("weights", l)[j]
        srcs, xsyms = nt.layer_table("ids", l - 1), nt.layer_table("act", l - 1)
        products = []
        for i, (edge, src) in enumerate(zip(eids, srcs)):
            sym, value = f"{wsyms[i]} {xsyms[i]}", tb.prod[l - 1][j][i]
            self.add(f"fwd-{edge}", "edge_product", [edge, src, node], sym, value,
                     [[wsyms[i], tb.w[l - 1][j][i], edge], [xsyms[i], tb.h[l - 1][i], src]])
            products.append([sym, value, edge])
        if self.spec.biases is not None:
            products.append([nt.bias(l, j), tb.b[l - 1][j], nt.bias_id(l, j)])
        self.add(f"sum-{node}", "node_sum", [node], nt.pre(l, j), tb.a[l - 1][j], products)

    def _softmax_texts(self, l, j):
        """(the activation with its numbers, the rule in words) of neuron j of a softmax layer."""
        sums = self.tb.a[l - 1]
        powers = " + ".join(f"e^{{{fmt_plain(a)}}}" for a in sums)
        own = f"e^{{{fmt_plain(sums[j])}}}"
        return rf"\frac{{{own}}}{{{powers}}}", r"softmax, o_k = \frac{e^{a_k}}{\sum_m e^{a_m}},"

    def loss_steps(self):
        nt, spec, tb = self.nt, self.spec, self.tb
        n_out = spec.layers[-1]
        terms = []
        lat = self.loss.latex.replace("{n}", str(n_out))
        for k in range(n_out):
            o, t = tb.h[-1][k], tb.t[k]
            node = nt.node_id(self.last, k)
            self.add(f"loss-{nt.loss_id(k)}", "loss_term", [nt.loss_id(k), node], nt.loss(k),
                     tb.e[k], [_factor(nt.act(self.last, k), o, node)],
                     args={"ex": lat.replace("{t}", nt.target(k)).replace("{o}", nt.act(self.last, k)),
                           "exv": lat.replace("{t}", fmt_plain(t)).replace("{o}", fmt_plain(o)),
                           "t": nt.target(k), "tv": t})
            terms.append(_factor(nt.loss(k), tb.e[k], nt.loss_id(k)))
        note = {"sse": "This is the worked example's loss: it calls it mean squared error but sums the "
                "squared errors without dividing by n."}.get(spec.loss, f"Loss: {self.loss.title}.")
        if self.sample is not None:
            note = f"This is the loss of sample {self.sample + 1}; the batch's comes after the last sample."
        self.add("loss-total", "loss_total", [nt.TOTAL_ID] + [nt.loss_id(k) for k in range(n_out)],
                 nt.TOTAL, rnd(self.res.loss_total), terms, args={"note": note})

    # --- backward -----------------------------------------------------------
    def _dedo_factor(self, k):
        """de_k/do_k as a factor whose parts are the loss's own pieces (2 * 0.8 * (-1))."""
        nt, r = self.nt, self.res
        o, t = r.activations[-1][k], self.spec.targets[k]
        pieces = self.loss.factors(o, t, self.spec.layers[-1], nt.target(k), nt.act(self.last, k))
        return _factor(partial(nt.loss(k), nt.act(self.last, k)), self.tb.dedo[k], nt.loss_id(k),
                       [[sym, rnd(val)] for sym, val in pieces])

    def _slope_factor(self, l, j):
        nt = self.nt
        return _factor(partial(nt.act(l, j), nt.pre(l, j)), self.tb.d[l - 1][j], nt.node_id(l, j))

    def _contribution(self, l, j, i):
        """What the error signal of neuron j (layer l) brings back along w_lji to neuron i, or None."""
        if l - 1 < 1:
            return None
        nt = self.nt
        return {"cs": f"{nt.weight(l, j, i)} {nt.delta(l, j)}", "c": self.tb.back[l - 1][j][i], "h": nt.act(l - 1, i)}

    def backward(self):
        self.output_layer()
        self.hidden_layers()

    def _loss_grad_step(self, k):
        nt, L = self.nt, self.last
        node, lossnode = nt.node_id(L, k), nt.loss_id(k)
        dedo = self._dedo_factor(k)
        self.add(f"dedo-{node}", "loss_grad", [lossnode, node], dedo[0], dedo[1],
                 [_factor(sym, val, node if n == 1 else lossnode) for n, (sym, val) in enumerate(dedo[3])],
                 args={"o": nt.act(L, k), "e": nt.loss(k)})
        return dedo

    def output_layer(self):
        nt, spec, tb, L = self.nt, self.spec, self.tb, self.last
        n_out = spec.layers[-1]
        if self.jacobian is not None:
            # Every delta needs every loss slope: all of them first, then the Jacobian.
            dedos = [self._loss_grad_step(k) for k in range(n_out)]
            self._jacobian_step()
        for k in range(n_out):
            node, lossnode = nt.node_id(L, k), nt.loss_id(k)
            if self.jacobian is None:
                dedo = self._loss_grad_step(k)
                self.add(f"delta-{node}", "output_delta", [node, lossnode], nt.delta(L, k),
                         tb.delta[-1][k], [dedo, self._slope_factor(L, k)], args={"o": nt.act(L, k)})
                head = [dedo, self._slope_factor(L, k)]
            else:
                self._softmax_delta_steps(k, dedos)
                head = [_factor(nt.delta(L, k), tb.delta[-1][k], node)]
            if not self.by_edge:
                self._grouped_grads(L, k)
                self._bias_grad(L, k)
                continue
            for i in range(spec.layers[L - 1]):
                edge, src = nt.weight_id(L, k, i), nt.node_id(L - 1, i)
                wsym = nt.weight(L, k, i)
                chain = head + [_factor(partial(nt.pre(L, k), wsym), tb.h[L - 1][i], src)]
                # Through softmax every e_j reaches w: the chain starts at the whole loss.
                top = nt.loss(k) if self.jacobian is None else nt.TOTAL
                args = {"d": partial(top, wsym), "w": wsym,
                        "rule": f"{nt.delta(L, k)} \\cdot {nt.act(L - 1, i)}"}
                args.update(self._contribution(L, k, i) or {})
                self.add(f"grad-{edge}", "output_weight_grad", [edge, node, src], partial(nt.TOTAL, wsym),
                         tb.gw[-1][k][i], chain, args=args)
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
        diagonal = [_factor(partial(nt.act(L, k), nt.pre(L, k)), rnd(self.jacobian[k, k]), nt.node_id(L, k))
                    for k in range(n_out)]
        self.add("jacobian-softmax", "softmax_jacobian", [nt.node_id(L, k) for k in range(n_out)],
                 r"\frac{\partial o_j}{\partial a_k}", rnd(abs(self.jacobian).max()), diagonal,
                 args={"matrix": matrix, "n": str(n_out)})

    def _softmax_delta_steps(self, k, dedos):
        """delta_k by the general route, then (cross-entropy) the shortcut o_k - t_k, checked against it."""
        nt, L, r, n_out = self.nt, self.last, self.res, self.spec.layers[-1]
        node = nt.node_id(L, k)
        terms, factors, numbers, exact = [], [], [], []
        for j in range(n_out):
            slope = partial(nt.act(L, j), nt.pre(L, k))
            exact.append(r.loss_grad[j] * self.jacobian[j, k])
            terms.append(_factor(f"{dedos[j][0]} {slope}", rnd(exact[-1]), nt.node_id(L, j)))
            factors += [_factor(dedos[j][0], dedos[j][1], nt.loss_id(j)),
                        _factor(slope, rnd(self.jacobian[j, k]), nt.node_id(L, j))]
            numbers.append(f"{_paren(dedos[j][1])} \\cdot {_paren(self.jacobian[j, k])}")
        route = sum(exact)  # the route itself, whatever delta the engine used
        self.add(f"delta-{node}", "softmax_delta", [node] + [nt.loss_id(j) for j in range(n_out)],
                 nt.delta(L, k), rnd(route), factors, terms=terms,
                 args={"a": nt.pre(L, k), "d": partial(nt.TOTAL, nt.pre(L, k)), "route": " + ".join(numbers),
                       "n": str(n_out)})
        if self.loss.delta_shortcut is None or self.loss.needs_activation != self.spec.activations[-1].name:
            return
        o, t = r.activations[-1][k], self.spec.targets[k]
        short = float(self.loss.delta_shortcut(o, t))
        rule = self.loss.delta_shortcut_latex
        self.add(f"shortcut-{node}", "delta_shortcut", [node, nt.loss_id(k)], nt.delta(L, k), rnd(short),
                 [_factor(nt.act(L, k), self.tb.h[-1][k], node), _factor(nt.target(k), self.tb.t[k], nt.loss_id(k))],
                 args={"rule": rule.replace("{o}", nt.act(L, k)).replace("{t}", nt.target(k)),
                       "numbers": rule.replace("{o}", fmt_plain(o)).replace("{t}", _paren(t)),
                       "route": rnd(route), "diff": rnd(relative_error(short, route)), "loss": self.loss.title,
                       "n": str(n_out)})

    def _grouped_grads(self, l, j):
        """Neuron-by-neuron mode: the gradients of every edge into neuron j in one step. Its rows are the
        graph's edges into the node with their inputs and gradients (expand.py); `values` holds what
        each edge carries back (edges from the inputs carry nothing back)."""
        nt, node = self.nt, self.nt.node_id(l, j)
        args = {"h": nt.act(l, j), "n": str(self.spec.layers[l - 1])}
        if self.sample is not None:
            args["tot"] = nt.TOTAL  # the sample's loss E_n (the templates write {tot})
        delta = self.tb.delta[l - 1][j]
        self.add(f"grads-{node}", "weight_grads", [node], nt.delta(l, j), delta, [[nt.delta(l, j), delta, node]],
                 values=self.tb.back[l - 1][j] if l > 1 else None, args=args)

    def _bias_grad(self, l, j):
        if self.spec.biases is None:
            return
        nt = self.nt
        bid = nt.bias_id(l, j)
        self.add(f"grad-{bid}", "bias_grad", [bid, nt.node_id(l, j)], partial(nt.TOTAL, nt.bias(l, j)),
                 self.tb.gb[l - 1][j],
                 [_factor(nt.delta(l, j), self.tb.delta[l - 1][j], nt.node_id(l, j)),
                  _factor(partial(nt.pre(l, j), nt.bias(l, j)), 1.0, bid)])

    def hidden_layers(self):
        nt, spec, tb = self.nt, self.spec, self.tb
        for l in range(self.last - 1, 0, -1):
            # What each edge out of a neuron brings back, w_(l+1)ji delta_(l+1)j, by neuron i.
            backs, n_above = [list(column) for column in zip(*tb.back[l])], spec.layers[l + 1]
            for i, node in enumerate(nt.layer_table("ids", l)):
                dEdh = partial(nt.TOTAL, nt.act(l, i))
                # The factors are the graph's edges out of the node (expand.py).
                self.add(f"dedh-{node}", "hidden_sum", [node], dEdh, tb.up[l - 1][i],
                         values=backs[i], args={"h": nt.act(l, i), "n": str(n_above)})
                self.add(f"delta-{node}", "hidden_delta", [node], nt.delta(l, i), tb.delta[l - 1][i],
                         [_factor(dEdh, tb.up[l - 1][i], node), self._slope_factor(l, i)],
                         args={"h": nt.act(l, i)})
                if self.by_edge:
                    for s in range(spec.layers[l - 1]):
                        self._hidden_weight_grad(l, i, s)
                else:
                    self._grouped_grads(l, i)
                self._bias_grad(l, i)

    def _unique_path(self, l):
        """True when every layer between l and the output has one neuron and the output is
        elementwise (one path to each e_k; softmax joins every output to every sum)."""
        return self.jacobian is None and all(n == 1 for n in self.spec.layers[l + 1:self.last])

    def _per_output_chain(self, l, j, k):
        """Factors of de_k/da_j for neuron j of layer l: the full chain when the path is unique."""
        nt, r, tb = self.nt, self.res, self.tb
        if not self._unique_path(l):
            return [_factor(partial(nt.loss(k), nt.pre(l, j)), rnd(r.per_output_deltas[l - 1][k, j]), nt.node_id(l, j))]
        chain = [self._dedo_factor(k), self._slope_factor(self.last, k)]
        # Walk down from the output: the edge into the neuron above, then this neuron's slope.
        above = (self.last, k)
        for m, n in [(m, 0) for m in range(self.last - 1, l, -1)] + [(l, j)]:
            chain.append(_factor(partial(nt.pre(*above), nt.act(m, n)), tb.w[above[0] - 1][above[1]][n],
                                 nt.weight_id(above[0], above[1], n)))
            chain.append(self._slope_factor(m, n))
            above = (m, n)
        return chain

    def _hidden_weight_grad(self, l, j, i):
        nt, spec, r, tb = self.nt, self.spec, self.res, self.tb
        edge, node, src = nt.weight_id(l, j, i), nt.node_id(l, j), nt.node_id(l - 1, i)
        wsym = nt.weight(l, j, i)
        x = tb.h[l - 1][i]
        terms = None
        if self.per_output_steps:
            terms = []
            input_factor = _factor(partial(nt.pre(l, j), wsym), x, src)
            for k in range(spec.layers[-1]):
                sym = partial(nt.loss(k), wsym)
                value = rnd(r.per_output_w[l - 1][k, j, i])
                # A full chain (more than two factors) reuses the output layer's first two: the template's
                # "chain" sentence says so, as the document does.
                chain = self._per_output_chain(l, j, k)
                self.add(f"gradk{k}-{edge}", "per_output_grad", [edge, node, src, nt.loss_id(k)],
                         sym, value, chain + [input_factor], args={"w": wsym, "e": nt.loss(k)})
                terms.append(_factor(sym, value, nt.loss_id(k)))
        args = {"w": wsym}
        args.update(self._contribution(l, j, i) or {})
        kind = "hidden_weight_grad_sum" if terms else "hidden_weight_grad"
        self.add(f"grad-{edge}", kind, [edge, node, src], partial(nt.TOTAL, wsym), tb.gw[l - 1][j][i],
                 [_factor(nt.delta(l, j), tb.delta[l - 1][j], node), _factor(nt.act(l - 1, i), x, src)],
                 terms=terms, args=args)

# --- check and update, neuron by neuron -------------------------------------------------
def neuron_params(spec: NetworkSpec, nt: Notation, l: int, j: int):
    """(kind, element id, symbol, (array layer, *index)) of the weights and bias into neuron j of layer l."""
    params = [("weights", nt.weight_id(l, j, i), nt.weight(l, j, i), (l - 1, j, i)) for i in range(spec.layers[l - 1])]
    if spec.biases is not None:
        params.append(("biases", nt.bias_id(l, j), nt.bias(l, j), (l - 1, j)))
    return params


def _neuron_columns(spec, params: ParamTables, l, j, fields):
    """One list per field over the parameters into neuron j of layer l, weights then bias."""
    columns = params.rows("weights", l, j, fields)
    if spec.biases is not None:
        columns = [c + b for c, b in zip(columns, params.rows("biases", l, j, fields))]
    return columns


def check_and_update_steps(spec: NetworkSpec, nt: Notation, res, params: ParamTables, per_output_terms: bool,
                           extra_args=None):
    """One check and one update step per neuron, covering its incoming weights and bias. `res` is a
    Result or a BatchResult (its loss and finite differences), `params` its ParamTables; the per-output
    quotients are listed when `per_output_terms` and the walkthrough shows per-output parts."""
    last = len(spec.layers) - 1
    every_layer = per_output_terms and has_per_output_steps(spec)  # else the output layer's only
    # E, eps and lr are the trace's loss.total, numeric_gradients.epsilon and updated.learning_rate (expand.py).
    check_args = update_args = extra_args or None
    quotients = _QuotientTables(res.numeric)
    checks, updates = [], []
    for l, j in neuron_order(spec):
        node = nt.node_id(l, j)
        # The rows' parameters, gradients, differences and updates are the graph's and the arrays'
        # (expand.py): a check step carries each parameter's relative error and E(p + eps).
        re, ep = _neuron_columns(spec, params, l, j, ("re", "Ep"))
        check_rows = [[r, e] for r, e in zip(re, ep)]
        terms = None
        if every_layer or (per_output_terms and l == last):
            terms = _quotient_terms(spec, nt, quotients, l, j)
        checks.append(_step(id=f"check-{node}", kind="grad_check", elements=[node], symbol=nt.act(l, j),
                            value=max(re), rows=check_rows, terms=terms, args=check_args and dict(check_args)))
        updates.append(_step(id=f"update-{node}", kind="update", elements=[node], symbol=nt.act(l, j),
                             value=params.change[l - 1][j], args=update_args and dict(update_args)))
    return checks + updates


class _QuotientTables(dict):
    """(kind, layer) -> the forward quotients (e_k(p + eps) - e_k(p)) / eps of that array, rounded, [k][j](i)."""

    def __init__(self, numeric):
        super().__init__()
        self.numeric = numeric

    def __missing__(self, key):
        kind, layer = key
        self[key] = rounded_list(self.numeric["forward"]["per_output_" + kind][layer])
        return self[key]


_QUOTIENT = r"\frac{{{e}({w} + \varepsilon) - {e}({w})}}{{\varepsilon}}"


def _quotient_terms(spec, nt, quotients, l, j):
    """The forward quotients of the loss terms e_k each parameter into neuron j of layer l moves: every
    output's for a hidden parameter or a softmax layer (which joins every output), its own output's
    otherwise."""
    joined = l < len(spec.layers) - 1 or ACTIVATIONS[spec.activations[-1].name].jacobian is not None
    ks = range(spec.layers[-1]) if joined else [j]
    weights, terms = quotients["weights", l - 1], []
    for i, (element, psym) in enumerate(zip(nt.layer_table("weight_ids", l)[j], nt.layer_table("weights", l)[j])):
        terms += [[_QUOTIENT.format(e=nt.loss(k), w=psym), weights[k][j][i], element] for k in ks]
    if spec.biases is not None:
        biases, element, psym = quotients["biases", l - 1], nt.bias_id(l, j), nt.bias(l, j)
        terms += [[_QUOTIENT.format(e=nt.loss(k), w=psym), biases[k][j], element] for k in ks]
    return terms


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
