// The Train panel's form: dataset (and the parameters it takes), optimizer and its settings, batch
// size, iterations, shuffle. body(network) is the POST /api/train request it describes; showError
// marks the field a 400 names. Its controls are not the editor's: nothing here edits the network.
import { el } from "./formparts.js";

// The settings each optimizer reads (engine/training.py's OPTIMIZER_DEFAULTS); others are hidden.
const OPTIMIZERS = {
  sgd: { title: "SGD", settings: ["learning_rate"] },
  momentum: { title: "Momentum", settings: ["learning_rate", "momentum"] },
  adam: { title: "Adam", settings: ["learning_rate", "beta1", "beta2"] },
};
/** How an optimizer's name reads in a sentence ("SGD", "Adam"). */
export const optimizerTitle = (name) => OPTIMIZERS[name]?.title ?? name;
const SETTINGS = {
  learning_rate: { label: "learning rate η", value: 0.5, step: "any" },
  momentum: { label: "momentum μ", value: 0.9, step: 0.05 },
  beta1: { label: "β₁", value: 0.9, step: 0.01 },
  beta2: { label: "β₂", value: 0.999, step: 0.001 },
};
// A dataset's parameters as the panel offers them (GET /api/datasets lists which each one takes).
const DATASET_PARAMETERS = { n: "n", noise: "noise", seed: "seed", one_hot: "one-hot targets" };
const RUN = { batch_size: { label: "batch size", value: 4 }, iterations: { label: "iterations", value: 300 } };

function numberField(name, label, value, step = 1) {
  const box = el("input", { type: "number", step, value, "data-testid": `train-${name.replace("_", "-")}`, name });
  return { box, label: el("label", { class: "train-field" }, el("span", {}, label), box) };
}

/** {element, setDatasets(list), body(network), showError({error, field}), clearError(), setBusy(busy)}. */
export function createTrainForm({ onSubmit }) {
  const dataset = el("select", { "data-testid": "train-dataset", name: "dataset" });
  const optimizer = el("select", { "data-testid": "train-optimizer", name: "optimizer" },
    ...Object.entries(OPTIMIZERS).map(([id, o]) => el("option", { value: id }, o.title)));
  const params = {}, settings = {}, run = {};
  for (const [name, label] of Object.entries(DATASET_PARAMETERS)) {
    if (name === "one_hot") {
      const box = el("input", { type: "checkbox", "data-testid": "train-one-hot", name });
      params[name] = { box, label: el("label", { class: "train-field train-check" }, box, el("span", {}, label)) };
    } else params[name] = numberField(name, label, "", name === "noise" ? 0.05 : 1);
  }
  for (const [name, s] of Object.entries(SETTINGS)) settings[name] = numberField(name, s.label, s.value, s.step);
  for (const [name, s] of Object.entries(RUN)) run[name] = numberField(name, s.label, s.value);
  const shuffle = el("input", { type: "checkbox", "data-testid": "train-shuffle", name: "shuffle" });
  const button = el("button", { type: "submit", class: "btn primary", "data-testid": "train-run" }, "Train");
  const error = el("p", { class: "train-error", "data-testid": "train-error", role: "alert" });
  let datasets = [];

  const element = el("form", { class: "train-form", "aria-label": "Training settings" },
    el("div", { class: "train-row" }, el("label", { class: "train-field" }, el("span", {}, "dataset"), dataset),
      ...Object.values(params).map((p) => p.label)),
    el("div", { class: "train-row" }, el("label", { class: "train-field" }, el("span", {}, "optimizer"), optimizer),
      ...Object.values(settings).map((s) => s.label)),
    el("div", { class: "train-row" }, ...Object.values(run).map((r) => r.label),
      el("label", { class: "train-field train-check" }, shuffle, el("span", {}, "shuffle")), button),
    error);

  // Only the fields the chosen dataset and optimizer read are shown (and sent).
  function showFields() {
    const takes = datasets.find((d) => d.id === dataset.value)?.parameters ?? {};
    for (const [name, p] of Object.entries(params)) {
      p.label.hidden = !(name in takes);
      if (name in takes && p.box.type === "number" && p.box.value === "") p.box.value = takes[name].default;
    }
    const reads = OPTIMIZERS[optimizer.value].settings;
    for (const [name, s] of Object.entries(settings)) s.label.hidden = !reads.includes(name);
  }
  dataset.addEventListener("change", showFields);
  optimizer.addEventListener("change", showFields);
  element.addEventListener("submit", (event) => { event.preventDefault(); onSubmit(); });

  const visible = (entries) => Object.entries(entries).filter(([, f]) => !f.label.hidden);
  return {
    element,
    setDatasets(list) {
      datasets = list;
      dataset.replaceChildren(...list.map((d) => el("option", { value: d.id }, `${d.title} (${d.inputs} in, ${d.outputs} out)`)));
      dataset.value = list.some((d) => d.id === "xor") ? "xor" : list[0]?.id ?? "";
      showFields();
    },
    /** The request for `network` (a trace request's network fields) as the form says. */
    body(network) {
      const data = { name: dataset.value };
      for (const [name, p] of visible(params)) data[name] = p.box.type === "checkbox" ? p.box.checked : Number(p.box.value);
      const opt = { name: optimizer.value };
      for (const [name, s] of visible(settings)) opt[name] = Number(s.box.value);
      return { network, dataset: data, optimizer: opt, batch_size: Number(run.batch_size.box.value),
        iterations: Number(run.iterations.box.value), shuffle: shuffle.checked };
    },
    showError({ error: message, field }) {
      error.textContent = field && field !== "request" ? `${field}: ${message}` : message;
      const name = field?.split(/[.[]/)[field.startsWith("optimizer.") || field.startsWith("dataset.") ? 1 : 0];
      for (const box of element.querySelectorAll("input, select")) box.removeAttribute("aria-invalid");
      const box = element.querySelector(`[name="${name === "name" ? "dataset" : name}"]`);
      if (box) box.setAttribute("aria-invalid", "true");
    },
    clearError() {
      error.textContent = "";
      for (const box of element.querySelectorAll("[aria-invalid]")) box.removeAttribute("aria-invalid");
    },
    setBusy(busy) {
      button.disabled = busy;
      button.textContent = busy ? "Training…" : "Train";
      element.setAttribute("aria-busy", String(busy));
    },
  };
}
