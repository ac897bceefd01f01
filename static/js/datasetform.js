// "Fill from a dataset": the samples editor's small form over the built-in datasets (GET
// /api/datasets) and their parameters, whose button fetches the chosen one's samples (GET
// /api/datasets/<id>) and hands them to `onFill`. Its controls are not part of the network: their
// events stop here, so the editor does not take them for edits.
//
// The editor asks api.js itself rather than through main.js: the datasets feed this form, not the
// page's state. The list is fetched when the form is first shown.
import { fetchDatasetSamples, fetchDatasets } from "./api.js";
import { datasetQuery } from "./samples.js";
import { el } from "./formparts.js";

// The parameters, in the order shown; each dataset shows those it takes. n's limit is the
// smaller of the dataset's and the mini-batch's.
const PARAMETERS = {
  n: { label: "n", title: "How many samples" },
  seed: { label: "seed", title: "The same seed gives the same samples" },
  noise: { label: "noise", title: "0 for none, 1 for the most", step: 0.05 },
  one_hot: { label: "one-hot targets", title: "Targets [1, 0] and [0, 1]: two outputs instead of one" },
};

/**
 * {element, open()}. `limit`: the most samples a mini-batch may hold (GET /api/meta).
 * `onFill(samples, dataset)` puts them in the table and returns a sentence for the note (or "").
 */
export function createDatasetForm({ url, limit, onFill }) {
  const choice = el("select", { "data-testid": "dataset-select", "aria-label": "Dataset", disabled: "" },
    el("option", { value: "" }, "Loading…"));
  const boxes = {};
  const fields = {};
  for (const [name, p] of Object.entries(PARAMETERS)) {
    const box = name === "one_hot"
      ? el("input", { type: "checkbox", "data-testid": "dataset-one-hot" })
      : el("input", { type: "number", inputmode: name === "noise" ? "decimal" : "numeric", step: p.step ?? 1,
        "data-testid": `dataset-${name}`, "aria-label": `Dataset ${p.label}` });
    boxes[name] = box;
    fields[name] = el("label", { class: `dataset-field dataset-${name.replace("_", "-")}`, title: p.title },
      el("span", {}, p.label), box);
  }
  const fill = el("button", { type: "submit", "data-testid": "dataset-fill", disabled: "" }, "Fill the table");
  const note = el("span", { class: "dataset-note", "data-testid": "dataset-note", role: "status" });
  const error = el("p", { class: "dataset-error", "data-testid": "dataset-error", role: "alert" });
  const about = el("p", { class: "dataset-about" });
  const element = el("form", { class: "dataset-form", "aria-label": "Fill the table from a dataset", novalidate: "" },
    el("div", { class: "dataset-head" }, el("span", { class: "dataset-title" }, "Fill from a dataset"), choice),
    about,
    el("div", { class: "dataset-params" }, ...Object.values(fields)),
    el("div", { class: "dataset-actions" }, fill, note),
    error);
  for (const type of ["change", "input"]) element.addEventListener(type, (event) => event.stopPropagation());

  let datasets = [];
  let asked = false;

  function chosen() {
    return datasets.find((d) => d.id === choice.value);
  }

  // The chosen dataset's parameters only, with their limits; values typed so far are kept.
  function showParameters() {
    const dataset = chosen();
    about.textContent = dataset ? dataset.description : "";
    for (const [name, field] of Object.entries(fields)) {
      const schema = dataset?.parameters[name];
      field.hidden = !schema;
      if (!schema || name === "one_hot") continue;
      const max = name === "n" ? Math.min(schema.maximum, limit) : schema.maximum;
      boxes[name].min = schema.minimum;
      boxes[name].max = max;
      if (boxes[name].value === "") boxes[name].value = String(name === "n" ? Math.min(schema.default, max) : schema.default);
    }
  }

  function say(message = "", field = null) {
    error.textContent = message;
    for (const box of Object.values(boxes).concat(choice)) box.removeAttribute("aria-invalid");
    const box = field === "id" ? choice : boxes[field];
    if (message && box) box.setAttribute("aria-invalid", "true");
  }

  async function open() {
    if (asked) return;
    asked = true;
    const answer = await fetchDatasets(url);
    if (!answer.ok) {
      asked = false; // try again when the form is shown next
      choice.replaceChildren(el("option", { value: "" }, "Unavailable"));
      say(answer.error);
      return;
    }
    datasets = answer.datasets;
    choice.replaceChildren(...datasets.map((d) => el("option", { value: d.id }, `${d.title} (${d.inputs} → ${d.outputs})`)));
    choice.disabled = false;
    fill.disabled = false;
    showParameters();
  }

  async function submit() {
    const dataset = chosen();
    if (!dataset) return;
    note.textContent = "";
    const values = Object.fromEntries(Object.entries(boxes).map(([name, box]) => [name, box.type === "checkbox" ? box.checked : box.value]));
    if (dataset.parameters.n && Number(values.n) > limit) {
      say(`n must be at most ${limit}: a mini-batch holds at most ${limit} samples`, "n");
      return;
    }
    fill.disabled = true;
    const answer = await fetchDatasetSamples(url, dataset.id, datasetQuery(dataset.parameters, values));
    fill.disabled = false;
    if (!answer.ok) {
      say(answer.error, answer.field);
      return;
    }
    say();
    const count = `${answer.samples.length} sample${answer.samples.length === 1 ? "" : "s"}`;
    note.textContent = [`Filled with ${count} of ${dataset.title}.`, onFill(answer.samples, dataset)].filter(Boolean).join(" ");
  }

  choice.addEventListener("change", () => { say(); note.textContent = ""; showParameters(); });
  element.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  return { element, open };
}
