// The editor's form pieces, shared by editor.js and its Data group (datagroup.js): elements,
// typeset labels, value inputs and how a value arriving from the server is written into one.
import { htmlNodes } from "./notation.js";
import { show } from "./specform.js";

/** A new element; attributes that are null, undefined or false are left out. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

// "w_{21}" -> w<sub>21</sub>: cheap enough for thousands of labels, unlike MathML. Only for the
// eye: each input is named by its aria-label ("Weight w₂₁"), which a label's text would not improve.
export function symbolNode(latex) {
  return el("span", { class: "sym", "aria-hidden": "true" }, ...htmlNodes(latex, { speak: false }));
}

/** A value field: typing into it is debounced by the editor (data-value), its text shown as a person types it. */
export function valueInput(testid, value, { label, mode = "decimal", type = "text", ...attrs } = {}) {
  const box = el("input", { type, inputmode: mode, "data-testid": testid, "aria-label": label, autocomplete: "off", spellcheck: "false", ...attrs });
  box.value = show(value);
  box.dataset.value = "1";
  return box;
}

export function select(testid, options, value, label) {
  const s = el("select", { "data-testid": testid, "aria-label": label });
  for (const [v, text] of options) s.append(el("option", { value: v }, text));
  s.value = value;
  return s;
}

export function field(labelContent, control, cls = "") {
  return el("label", { class: `field ${cls}`.trim() }, el("span", { class: "field-label" }, labelContent), control);
}

/**
 * Write a value from the server into a box, unless `busy(box)` (the user is at it) or the box
 * already says that number in the user's own spelling (1e-6 vs 0.000001).
 */
export function writeValue(box, value, busy) {
  if (!box || value === undefined || busy(box)) return;
  if (box.value.trim() !== "" && Number(box.value) === value) return;
  box.value = show(value);
}
