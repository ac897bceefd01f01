// The editor's Data group: one sample (an input per input neuron, a target per output neuron) or a
// mini-batch (a table of samples, how the batch loss combines them, a dataset to fill it from and,
// for two inputs, a scatter plot). As in the rest of the editor the inputs hold the values, so
// typed text is never lost; samples.js reshapes the rows.
//
// Rows past the first are kept while one sample is shown, so switching back to the mini-batch
// brings them back; the columns a smaller layer drops are remembered the same way.
import { parseValue } from "./specform.js";
import { emptyRow, requestData, resizeRows, specRows } from "./samples.js";
import { el, field, select, symbolNode, valueInput, writeValue } from "./formparts.js";
import { createScatter } from "./scatter.js";
import { createDatasetForm } from "./datasetform.js";

// Column headers: the document's x_{ni} (sample n, input i) and t_k; a comma once i has two digits.
const inputSymbol = (i) => (i < 9 ? `x_{n${i + 1}}` : `x_{n,${i + 1}}`);
const targetSymbol = (k) => `t_{${k + 1}}`;

/**
 * {element, read(), load(spec, fresh), resize(inputs, outputs), relabel(), showSample(n), placeError(box, message)}
 * meta: GET /api/meta; symbolOf(id): the last trace's symbol of a graph element, if any;
 * busy(box): whether the user is at a box (its value is then not overwritten);
 * onEdit(): the data changed, send it; onShape(inputs, outputs): a dataset needs these layer sizes.
 */
export function createDataGroup({ meta, datasetsUrl, symbolOf, busy, onEdit, onShape }) {
  const limit = meta.limits.samples;
  let batch = false;
  let widths = { inputs: 0, outputs: 0 };
  let parked = []; // rows 2.. while one sample is shown
  let remembered = []; // per row, every value seen (samples.js resizeRows)
  let shown = null; // the row the walkthrough shows, or null

  const modes = el("div", { class: "sample-mode", role: "radiogroup", "aria-label": "Train on" },
    ...[["one", "One sample"], ["batch", "Mini-batch"]].map(([value, text]) => el("label", {},
      el("input", { type: "radio", name: "sample-mode", value, "data-testid": `sample-mode-${value}` }), text)));
  const single = el("div", { class: "field-grid" });
  const body = el("tbody");
  const head = el("tr");
  const table = el("table", { class: "samples-table", "data-testid": "samples-table" },
    el("caption", { class: "sr-only" }, "The samples of the mini-batch, one per row"), el("thead", {}, head), body);
  const add = el("button", { type: "button", "data-testid": "add-sample" }, "+ sample");
  const count = el("span", { class: "samples-count" });
  const reduction = select("reduction", meta.reductions.map((r) => [r, r]), meta.defaults.reduction, "Batch loss");
  const scatter = createScatter();
  const datasets = createDatasetForm({ url: datasetsUrl, limit: limit.max, onFill: fill });
  const batchBox = el("div", { class: "samples-batch" },
    el("div", { class: "samples-scroll" }, table),
    el("div", { class: "samples-actions" }, add, count,
      el("label", { class: "reduction-field", title: "The batch loss E: the mean or the sum of the samples' losses E_n" },
        el("span", {}, "batch loss"), reduction)),
    scatter.element, datasets.element);
  const element = el("fieldset", { class: "editor-group group-data" }, el("legend", {}, "Data"), modes, single, batchBox);

  const box = (testid) => element.querySelector(`[data-testid="${testid}"]`);
  const cell = (n, part, i) => box(`sample-${n}-${part}-${i}`);
  const sampleRows = () => body.querySelectorAll("tr.sample-row"); // not the error rows between them
  const readRow = (n) => ({
    inputs: Array.from({ length: widths.inputs }, (_, i) => parseValue(cell(n, "input", i).value)),
    targets: Array.from({ length: widths.outputs }, (_, k) => parseValue(cell(n, "target", k).value)),
  });
  const readSingle = () => ({
    inputs: Array.from({ length: widths.inputs }, (_, i) => parseValue(box(`input-${i}`).value)),
    targets: Array.from({ length: widths.outputs }, (_, k) => parseValue(box(`target-${k}`).value)),
  });

  /** Every row, the hidden ones included. */
  function rows() {
    return batch ? Array.from(sampleRows(), (_, n) => readRow(n)) : [readSingle(), ...parked];
  }

  function singleFields(row) {
    single.replaceChildren();
    for (let i = 0; i < widths.inputs; i++) {
      single.append(field(symbolNode(symbolOf(`n0-${i}`) ?? "x"), valueInput(`input-${i}`, row.inputs[i], { label: `Input ${i + 1}` })));
    }
    for (let k = 0; k < widths.outputs; k++) {
      single.append(field(symbolNode(targetSymbol(k)), valueInput(`target-${k}`, row.targets[k], { label: `Target ${k + 1}` })));
    }
  }

  function header() {
    const th = (latex, said, cls) => el("th", { scope: "col", class: cls }, symbolNode(latex), el("span", { class: "sr-only" }, said));
    head.replaceChildren(el("th", { scope: "col", class: "sample-n" }, el("span", { "aria-hidden": "true" }, "n"), el("span", { class: "sr-only" }, "Sample")),
      ...Array.from({ length: widths.inputs }, (_, i) => th(inputSymbol(i), `input ${i + 1}`, i === 0 ? "first-input" : null)),
      ...Array.from({ length: widths.outputs }, (_, k) => th(targetSymbol(k), `target ${k + 1}`, k === 0 ? "first-target" : null)),
      el("th", { scope: "col" }, el("span", { class: "sr-only" }, "Remove")));
  }

  function tableRows(all) {
    body.replaceChildren(...all.map((row, n) => el("tr", { class: `sample-row${n === shown ? " is-shown" : ""}` },
      el("th", { scope: "row", class: "sample-n" }, String(n + 1)),
      ...row.inputs.map((x, i) => el("td", { class: i === 0 ? "first-input" : null },
        valueInput(`sample-${n}-input-${i}`, x, { label: `Sample ${n + 1}, input ${i + 1}` }))),
      ...row.targets.map((t, k) => el("td", { class: k === 0 ? "first-target" : null },
        valueInput(`sample-${n}-target-${k}`, t, { label: `Sample ${n + 1}, target ${k + 1}` }))),
      el("td", {}, el("button", { type: "button", class: "remove-sample", "data-testid": `remove-sample-${n}`,
        "aria-label": `Remove sample ${n + 1}`, title: `Remove sample ${n + 1}`, disabled: all.length <= limit.min }, "✕")))));
    add.disabled = all.length >= limit.max;
    count.textContent = `${all.length} of at most ${limit.max}`;
  }

  function drawScatter() {
    scatter.element.hidden = !batch || widths.inputs !== 2;
    if (!scatter.element.hidden) scatter.draw(rows(), shown);
  }

  /** Show `all` rows: the table in a mini-batch, else the first row's fields (the others are parked). */
  function render(all) {
    for (const radio of modes.querySelectorAll("input")) radio.checked = radio.value === (batch ? "batch" : "one");
    single.hidden = batch;
    batchBox.hidden = !batch;
    parked = batch ? [] : all.slice(1);
    if (batch) {
      single.replaceChildren();
      header();
      tableRows(all);
      datasets.open();
    } else {
      singleFields(all[0]);
      body.replaceChildren();
    }
    drawScatter();
  }

  function fill(samples) {
    const was = widths;
    widths = { inputs: samples[0].inputs.length, outputs: samples[0].targets.length };
    batch = true;
    remembered = [];
    render(samples);
    const changed = [["input", was.inputs, widths.inputs], ["output", was.outputs, widths.outputs]].filter(([, a, b]) => a !== b);
    if (!changed.length) {
      onEdit();
      return "";
    }
    onShape(widths.inputs, widths.outputs);
    return changed.map(([layer, , now]) => `The ${layer} layer now has ${now} neuron${now === 1 ? "" : "s"} to match.`).join(" ");
  }

  // ---- the user's structural edits: mode, rows ----
  element.addEventListener("change", (event) => {
    if (event.target.name !== "sample-mode") return;
    const all = rows();
    batch = event.target.value === "batch";
    render(all);
    onEdit();
  });
  element.addEventListener("click", (event) => {
    const testid = event.target.closest("button")?.dataset.testid ?? "";
    if (testid !== "add-sample" && !testid.startsWith("remove-sample-")) return;
    const all = rows();
    if (testid === "add-sample" && all.length < limit.max) {
      render([...all, emptyRow(widths.inputs, widths.outputs)]);
      cell(all.length, "input", 0).focus();
      onEdit();
    } else if (testid.startsWith("remove-sample-") && all.length > limit.min) {
      const n = Number(testid.slice("remove-sample-".length));
      all.splice(n, 1);
      remembered.splice(n, 1);
      render(all);
      (box(`remove-sample-${Math.min(n, all.length - 1)}`) ?? add).focus();
      onEdit();
    }
  });
  element.addEventListener("input", (event) => {
    if (event.target.closest(".samples-table")) drawScatter();
  });

  return {
    element,
    /** The request's data: {inputs, targets} or {samples, reduction}. */
    read: () => requestData({ batch, rows: batch ? rows() : [readSingle()], reduction: reduction.value }),

    /** Show a spec's data: rebuilt when it differs in shape (or `fresh`), else written in place. */
    load(spec, fresh = false) {
      const given = specRows(spec);
      const layers = { inputs: spec.layers[0], outputs: spec.layers.at(-1) };
      const same = !fresh && given.batch === batch && layers.inputs === widths.inputs && layers.outputs === widths.outputs
        && (!batch || given.rows.length === sampleRows().length);
      if (given.reduction && reduction !== document.activeElement) reduction.value = given.reduction;
      if (!same) {
        batch = given.batch;
        widths = layers;
        remembered = [];
        render(resizeRows(given.rows, layers.inputs, layers.outputs).rows);
        return;
      }
      given.rows.forEach((row, n) => {
        row.inputs.forEach((x, i) => writeValue(batch ? cell(n, "input", i) : box(`input-${i}`), x, busy));
        row.targets.forEach((t, k) => writeValue(batch ? cell(n, "target", k) : box(`target-${k}`), t, busy));
      });
      drawScatter();
    },

    /** Layer sizes changed: every row gets `inputs` inputs and `outputs` targets. */
    resize(inputs, outputs) {
      const resized = resizeRows(rows(), inputs, outputs, remembered);
      remembered = resized.remembered;
      widths = { inputs, outputs };
      render(resized.rows);
    },

    /** The input fields' labels follow the trace's notation (x_{11}) once it arrives. */
    relabel() {
      for (let i = 0; i < widths.inputs && !batch; i++) {
        const sym = symbolOf(`n0-${i}`);
        if (sym) box(`input-${i}`).previousSibling.replaceChildren(symbolNode(sym));
      }
    },

    /** Ring sample n (0-based; null for none) in the table and the scatter plot. */
    showSample(n) {
      if (n === shown) return; // every step of a walkthrough says so; most change nothing
      shown = n;
      for (const [row, tr] of [...sampleRows()].entries()) tr.classList.toggle("is-shown", row === n);
      drawScatter();
    },

    /** Put an error message under a table cell's row; false when the box is not in the table. */
    placeError(cellBox, message) {
      const tr = cellBox.closest(".samples-table tr");
      if (!tr) return false;
      tr.after(el("tr", { class: "sample-error-row" }, el("td", { colspan: tr.cells.length }, message)));
      return true;
    },
  };
}
