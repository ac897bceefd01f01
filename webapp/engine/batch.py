"""The walkthrough of one training step on a mini-batch: each sample's forward, loss and backward
steps (a StepBuilder per sample, phase by phase), the batch loss, the accumulation of each
parameter's batch gradient from the samples' gradients, then the check and the update of the batch.

Phases in order: forward (sample 0, 1, ...), loss (each sample's, then the batch's E), backward
(each sample's), accumulate, check, update. The batch loss E is the mean (or the sum) of the
samples' losses E_n, and so is its gradient; the check compares it with finite differences of E.
"""
from .network import NetworkSpec, compute_batch
from .notation import Notation, notation_of, partial
from .optimizer_steps import optimizer_update_steps
from .tables import ParamTables
from .trace import (
    StepBuilder,
    check_and_update_steps,
    has_per_output_steps,
    neuron_order,
    neuron_params,
    resolve_granularity,
)


class BatchSteps:
    """`steps` of a mini-batch in order; `res` the BatchResult, `nt` the batch's notation."""

    def __init__(self, spec: NetworkSpec, granularity: str = "auto", update: dict | None = None):
        self.spec = spec
        self.res = compute_batch(spec)
        count = len(spec.samples)
        self.granularity = resolve_granularity(spec, granularity, copies=count)
        self.per_output_steps = has_per_output_steps(spec, copies=count)
        self.nt = notation_of(tuple(spec.layers))
        self.samples = [StepBuilder(spec.sample(n), self.granularity, res=self.res.samples[n], sample=n,
                                    per_output_steps=self.per_output_steps) for n in range(count)]
        self.steps: list[dict] = []
        for phase in (StepBuilder.forward, StepBuilder.loss_steps, StepBuilder.backward):
            for builder in self.samples:
                builder.steps = []
                phase(builder)
                self.steps += builder.steps
            if phase is StepBuilder.loss_steps:
                self.steps.append(self.batch_loss_step())
        self.steps += self.accumulate_steps()
        checked = check_and_update_steps(spec, self.nt, self.res, ParamTables(spec, self.res), per_output_terms=False,
                                         extra_args={"tot": Notation.BATCH_TOTAL})
        if update is not None:  # a training iteration with momentum or Adam: its own update phase
            checked = [s for s in checked if s["kind"] != "update"] + optimizer_update_steps(spec, self.nt, update)
            self.res.updated_w = update["new"][:len(spec.weights)]
            self.res.updated_b = update["new"][len(spec.weights):] or None
        self.steps += checked

    @property
    def reduction_args(self) -> dict:
        """How the batch combines its samples, as the templates write it: {scale}(... + ...)."""
        count = len(self.spec.samples)
        scale = rf"\frac{{1}}{{{count}}}" if self.spec.reduction == "mean" else ""
        return {"scale": scale, "N": str(count), "reduction": self.spec.reduction}

    def batch_loss_step(self) -> dict:
        E = Notation.BATCH_TOTAL
        losses = [[b.nt.TOTAL, b.res.loss_total, E] for b in self.samples]
        return {"id": "loss-batch", "kind": "batch_loss", "elements": [E], "symbol": E,
                "value": self.res.loss_total, "factors": losses, "samples": list(range(len(self.samples))),
                "args": self.reduction_args}

    def accumulate_steps(self) -> list[dict]:
        """Each parameter's batch gradient from the samples' (edge by edge), or each neuron's at once."""
        steps = []
        for l, j in neuron_order(self.spec):
            params = neuron_params(self.spec, self.nt, l, j)
            if self.granularity == "edge":
                steps += [self.parameter_step(param, self.nt.node_id(l, j)) for param in params]
            else:
                steps.append(self.neuron_step(params, l, j))
        return steps

    def gradient(self, res, kind, layer, idx):
        return (res.grad_w if kind == "weights" else res.grad_b)[layer][idx]

    def parameter_step(self, param, node) -> dict:
        kind, element, symbol, (layer, *idx) = param
        idx = tuple(idx)
        terms = [[partial(b.nt.TOTAL, symbol), self.gradient(b.res, kind, layer, idx), element] for b in self.samples]
        return {"id": f"acc-{element}", "kind": "accumulate", "elements": [element, node],
                "symbol": partial(Notation.BATCH_TOTAL, symbol), "value": self.gradient(self.res, kind, layer, idx),
                "factors": terms, "samples": list(range(len(self.samples))),
                "args": {"p": symbol, **self.reduction_args}}

    def neuron_step(self, params, l, j) -> dict:
        rows = [[element, self.gradient(self.res, kind, layer, tuple(idx))]
                for kind, element, _, (layer, *idx) in params]
        node = self.nt.node_id(l, j)
        biggest = max(abs(row[1]) for row in rows)
        return {"id": f"acc-{node}", "kind": "accumulate_rows",
                "elements": [row[0] for row in rows] + [node], "symbol": self.nt.act(l, j), "value": biggest,
                "factors": [], "rows": rows, "args": {"n": str(len(rows)), **self.reduction_args}}
