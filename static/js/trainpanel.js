// The Train panel: trains the editor's network on a dataset (POST /api/train) and shows the run:
// the loss curve, the gradient norms per layer, the decision boundary of a chosen snapshot (POST
// /api/boundary, for 2 inputs) and a way to open any iteration's walkthrough in the main graph.
// The page computes nothing: every number drawn is the server's.
import { fetchDatasetSamples, fetchDatasets, postJson } from "./api.js";
import { lossSummary, short } from "./chartscale.js";
import { createLineChart } from "./linechart.js";
import { createBoundary } from "./boundary.js";
import { createTrainForm, optimizerTitle } from "./trainform.js";
import { datasetQuery } from "./samples.js";
import { createScatter } from "./scatter.js";
import { el } from "./formparts.js";

// A trace request's fields a training takes from its dataset instead (train_contract.NOT_NETWORK).
const NOT_NETWORK = ["inputs", "targets", "samples", "reduction", "granularity"];
const SERIES = 4; // colours for the gradient norms' layers (series-0 ... series-3, then again)

/** The network part of a train request: the trace's resolved spec without its data. */
function networkOf(spec) {
  return Object.fromEntries(Object.entries(spec).filter(([k]) => !NOT_NETWORK.includes(k)));
}

export function setupTrainPanel(app) {
  const box = app.$("train-body");
  const urls = { train: box.dataset.trainUrl, boundary: box.dataset.boundaryUrl, datasets: box.dataset.datasetsUrl };
  let run = null; // {body, result, samples}
  let boundaryRequest = 0;

  const form = createTrainForm({ onSubmit: train });
  const summary = el("p", { class: "train-summary", "data-testid": "train-summary", role: "status" });
  const scale = el("button", { type: "button", class: "btn small", "data-testid": "loss-scale", "aria-pressed": "false" }, "Log scale");
  const lossKey = el("p", { class: "chart-legend", "aria-hidden": "true" },
    el("span", { class: "chart-key" }, el("span", { class: "chart-swatch loss-batch" }), "batch loss"),
    el("span", { class: "chart-key" }, el("span", { class: "chart-swatch loss-full" }), "whole-set loss"));
  const readout = el("output", { class: "train-readout", "data-testid": "loss-readout", "aria-live": "polite" });
  const loss = createLineChart({ testid: "loss-curve", yLabel: "loss", onCursor: showReadout, onPick: openIteration });
  const norms = createLineChart({ testid: "grad-norms", yLabel: "‖∇W‖", onCursor: showReadout, onPick: openIteration });
  const normsKey = el("p", { class: "chart-legend", "aria-hidden": "true" });
  const slider = el("input", { type: "range", min: "0", max: "0", value: "0", "data-testid": "snapshot-slider", "aria-label": "Snapshot" });
  const sliderText = el("span", { class: "snapshot-text", "data-testid": "snapshot-text" });
  const boundary = createBoundary();
  const iteration = el("input", { type: "number", min: "0", value: "0", "data-testid": "open-iteration-number" });
  const open = el("button", { type: "button", class: "btn small", "data-testid": "open-iteration" }, "Open");
  const note = el("p", { class: "train-note", "data-testid": "open-iteration-note", role: "status" });
  const boundaryFigure = el("figure", { class: "train-figure boundary-figure" },
    el("figcaption", {}, "Decision boundary", el("span", { class: "train-hint" }, "x₁ across, x₂ up, −1.2 to 1.2")), boundary.element,
    el("label", { class: "train-field snapshot-field" }, el("span", {}, "snapshot"), slider, sliderText));
  const results = el("div", { class: "train-results", hidden: "" },
    summary,
    el("figure", { class: "train-figure" }, el("figcaption", {}, "Loss", scale), loss.element, lossKey, readout),
    el("figure", { class: "train-figure" }, el("figcaption", {}, "Gradient norm per layer (log scale)"), norms.element, normsKey),
    boundaryFigure,
    el("div", { class: "train-open" }, el("label", { class: "train-field" }, el("span", {}, "open iteration"), iteration), open,
      el("span", { class: "train-hint" }, "or click the curve"), note));
  // The dataset's points before any training (2-D sets): what the network is about to learn from.
  const preview = createScatter();
  preview.element.querySelector("svg").dataset.testid = "train-scatter";
  preview.element.hidden = true;
  box.append(form.element, preview.element, results);

  fetchDatasets(urls.datasets).then((answer) => {
    if (answer.ok) { form.setDatasets(answer.datasets); previewDataset(); }
    else form.showError({ error: answer.error, field: "request" });
  });
  let previewRequest = 0;
  async function previewDataset() {
    const { dataset } = form.body(null);
    if (!dataset.name) return;
    const mine = ++previewRequest;
    const samples = await datasetSamples(dataset);
    if (mine !== previewRequest) return; // a later choice is on its way
    preview.element.hidden = !(samples.length && samples[0].inputs.length === 2);
    if (!preview.element.hidden) preview.draw(samples.map((s) => ({ inputs: s.inputs, targets: s.targets })));
  }
  form.element.addEventListener("change", previewDataset);
  scale.addEventListener("click", () => {
    scale.setAttribute("aria-pressed", String(scale.getAttribute("aria-pressed") !== "true"));
    drawLoss();
  });
  slider.addEventListener("input", () => drawBoundary());
  open.addEventListener("click", () => openIteration(Number(iteration.value)));

  async function train() {
    if (!app.state.trace) return;
    const body = form.body(networkOf(app.state.trace.spec));
    form.clearError();
    form.setBusy(true);
    box.setAttribute("aria-busy", "true");
    const result = await postJson(urls.train, body);
    form.setBusy(false);
    box.removeAttribute("aria-busy");
    if (!result.ok) { form.showError(result); return; }
    run = { body, result, samples: await datasetSamples(body.dataset) };
    note.textContent = "";
    show();
  }

  // The dataset's points, for the boundary: the same request as the samples editor's form.
  async function datasetSamples({ name, ...values }) {
    const answer = await fetchDatasetSamples(urls.datasets, name, datasetQuery(values, values));
    return answer.ok ? answer.samples : [];
  }

  function show() {
    const { result, body } = run;
    const h = result.history;
    const first = h.loss[0], last = h.loss.at(-1);
    summary.textContent = `${result.iterations} iterations of ${optimizerTitle(body.optimizer.name)} on ${result.samples} samples, `
      + `batches of ${result.batch_size}: batch loss ${short(first)} → ${short(last)}`
      + (result.diverged_at === null ? "." : `; diverged at iteration ${result.diverged_at}.`);
    results.hidden = false;
    iteration.max = String(result.iterations - 1);
    drawLoss();
    // Like the whole-set loss, the norms are recorded at the iterations history.at lists.
    const layers = h.grad_norm.map((values, l) => ({ name: `layer ${l + 1}`, cls: `series-${l % SERIES}`, at: h.at, values }));
    norms.draw({ lines: layers, count: result.iterations, kind: "log",
      label: `Gradient norms of ${layers.length} layers over ${result.iterations} iterations, log scale: `
        + layers.map((l) => `${l.name} from ${short(l.values[0])} to ${short(l.values.at(-1))}`).join(", ") + "." });
    normsKey.replaceChildren(...layers.map((l) => el("span", { class: "chart-key" }, el("span", { class: `chart-swatch ${l.cls}` }), l.name)));
    slider.max = String(result.snapshots.length - 1);
    slider.value = slider.max;
    boundaryFigure.hidden = body.network.layers[0] !== 2;
    if (!boundaryFigure.hidden) drawBoundary();
    showReadout(h.loss.length - 1); // the last iteration run: a diverged run stops early
    results.dataset.iterations = String(result.iterations); // tests wait for this
  }

  function drawLoss() {
    if (!run) return;
    const { history: h, iterations, diverged_at: divergedAt } = run.result;
    const kind = scale.getAttribute("aria-pressed") === "true" ? "log" : "linear";
    loss.draw({ count: iterations, kind, divergedAt, label: `${lossSummary(h.loss, divergedAt)} ${kind === "log" ? "Log" : "Linear"} scale.`,
      lines: [{ name: "batch", cls: "loss-batch", at: h.loss.map((_, i) => i), values: h.loss },
        { name: "whole set", cls: "loss-full", at: h.at, values: h.full_loss }] });
  }

  function showReadout(i) {
    const h = run.result.history;
    const j = h.at.findLastIndex((k) => k <= i);
    readout.dataset.iteration = String(i);
    readout.dataset.loss = String(h.loss[i]);
    // The whole-set values are those recorded last at or before i (every iteration on short runs).
    readout.textContent = `iteration ${i}: batch loss ${short(h.loss[i])}`
      + (j < 0 ? "" : ` · whole set ${short(h.full_loss[j])}`
        + (h.accuracy.length ? ` · accuracy ${short(h.accuracy[j])}` : "")
        + ` · ‖∇W‖ ${h.grad_norm.map((g) => short(g[j])).join(", ")}`);
    iteration.value = String(i);
  }

  async function drawBoundary() {
    const mine = ++boundaryRequest;
    const snap = run.result.snapshots[Number(slider.value)];
    sliderText.textContent = `after ${snap.iteration} update${snap.iteration === 1 ? "" : "s"}`;
    const network = { ...run.body.network, weights: snap.weights, biases: snap.biases ?? false };
    const answer = await postJson(urls.boundary, { network, size: 40 });
    if (mine !== boundaryRequest) return;
    if (!answer.ok) { sliderText.textContent = answer.error; return; }
    boundary.draw(answer, run.samples, `Decision boundary after ${snap.iteration} updates: the network's output over `
      + `the inputs from -1.2 to 1.2, with the ${run.samples.length} samples of the dataset.`);
    boundary.element.dataset.iteration = String(snap.iteration);
  }

  async function openIteration(k) {
    if (!run) return;
    note.textContent = `Opening iteration ${k}…`;
    // The refusal is about the run, not the network: this note says it, not the editor.
    const result = await app.loadSpec({ train: run.body, iteration: k }, { index: 0, presetId: "custom", showErrors: false });
    note.textContent = result.ok ? `The graph shows iteration ${k}'s walkthrough.`
      : `Iteration ${k} cannot be shown step by step: ${result.error}`;
    note.classList.toggle("is-error", !result.ok);
  }
}
