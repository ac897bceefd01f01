// The text panels beside the graph: narration, formula with factor chips, the values table and
// the gradient-check table, all drawn from (trace, index, view) alone so seeking gives the same
// picture. view.hidden (quiz mode: the step's value is the question) shows "?" for the value in
// the narration, the formula and the newest row of the values table.
//
// `index` is the 0-based position of the current step in trace.steps (the page's step k is
// index + 1). Rows of the two tables are built once per trace (value rows when first shown) and
// only shown, hidden or moved per step: a 10-layer network has thousands of steps and
// re-rendering MathML on every tick would stutter.
import { fillLatex, fmt, graphLookup, HIDDEN, loadMath, mathLoaded, mathString } from "./formula.js";
import { fitMath, fitText } from "./fitmath.js";
import { nextFrame } from "./frame.js";
import { htmlNodes, toText } from "./notation.js";
import { el } from "./dom.js";

const OK_BELOW = 1e-6; // relative error under which backprop and finite differences agree
const DASH = "—";

// Symbols repeat across rows and steps; temml is the slow part, so each LaTeX string is rendered
// once (the plain text that stands in until temml arrives is not kept).
const mathCache = new Map();
function math(latex) {
  if (!mathLoaded()) return mathString(latex);
  if (!mathCache.has(latex)) mathCache.set(latex, mathString(latex));
  return mathCache.get(latex);
}

function mathCell(tag, latex, attrs) {
  const cell = el(tag, attrs);
  cell.innerHTML = math(latex);
  return cell;
}

// What an element id names, for colouring chips and rows the way the graph colours them.
function elementKind(id, lookup) {
  if (!id) return "none";
  if (id === "E" || id.startsWith("e-")) return "loss";
  if (id.startsWith("w")) return "weight";
  if (id.startsWith("b")) return "bias";
  return (lookup.get(id) || {}).role || "node";
}

const grad = (p, total = "e_{total}") => `\\frac{\\partial ${total}}{\\partial ${p}}`;

// One values-table entry per quantity a step computes; check steps live in the check table.
function valueEntries(trace, lookup) {
  const entries = [];
  trace.steps.forEach((step, i) => {
    // A mini-batch's sample steps say whose value it is: the table lists every sample's.
    const phase = step.sample === undefined ? step.phase : `${step.phase}, sample ${step.sample + 1}`;
    const base = { index: i, stepId: step.id, phase, element: step.elements[0], phaseClass: step.phase };
    if (step.kind === "grad_check") return;
    if (step.phase === "update") {
      for (const row of step.rows || []) {
        const id = row[0];
        entries.push({ ...base, element: id, symbol: `${(lookup.get(id) || {}).symbol || id}'`, value: row.at(-1) });
      }
      return;
    }
    entries.push({ ...base, symbol: step.symbol, value: step.value });
    if (step.kind === "weight_grads") {
      for (const [id, , g] of step.rows || []) {
        entries.push({ ...base, element: id, symbol: grad((lookup.get(id) || {}).symbol || id, step.args?.tot), value: g });
      }
    }
  });
  return entries;
}

// The values table shows the newest VALUE_ROWS values reached, newest first: a 10x16 network
// computes thousands, and a table of thousands of rows costs a full re-layout on every step.
const VALUE_ROWS = 60;

function buildValues(container, trace, lookup) {
  container.replaceChildren();
  // The card's summary already titles the table; the label keeps it named for screen readers.
  const table = el("table", { class: "values-table", "aria-label": "Values computed so far, newest first" });
  const head = el("tr");
  for (const h of ["Step", "Quantity", "Value", "Phase"]) head.append(el("th", { scope: "col" }, h));
  table.append(el("thead"));
  table.tHead.append(head);
  const body = el("tbody");
  table.append(body);
  container.append(table);
  const entries = valueEntries(trace, lookup);
  const rows = new Map(); // entry position -> its <tr>, made when first shown
  const rowOf = (n) => {
    if (!rows.has(n)) {
      const e = entries[n];
      const tr = el("tr", { "data-step-id": e.stepId, "data-element": e.element, "data-phase": e.phaseClass, class: `phase-${e.phaseClass}` });
      tr.valueCell = el("td", { class: "num" }, fmt(e.value));
      tr.append(el("td", { class: "num" }, String(e.index + 1)), mathCell("td", e.symbol), tr.valueCell, el("td", {}, e.phase));
      rows.set(n, tr);
    }
    return rows.get(n);
  };
  // The rows for step index i: the newest values with step <= i (entries are in step order);
  // with hidden, step i's own values read "?".
  return function show(i, hidden) {
    let end = 0, lo = 0, hi = entries.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (entries[mid].index <= i) lo = mid + 1; else hi = mid; }
    end = lo;
    const wanted = [];
    for (let n = end - 1; n >= 0 && wanted.length < VALUE_ROWS; n--) {
      const tr = rowOf(n);
      const current = entries[n].index === i;
      tr.classList.toggle("is-current", current);
      const text = current && hidden ? HIDDEN : fmt(entries[n].value);
      if (tr.valueCell.textContent !== text) tr.valueCell.textContent = text;
      wanted.push(tr);
    }
    let at = body.firstChild;
    for (const tr of wanted) {
      if (tr === at) at = at.nextSibling;
      else body.insertBefore(tr, at);
    }
    while (at) { const next = at.nextSibling; at.remove(); at = next; }
  };
}

function buildCheck(container, trace, lookup) {
  container.replaceChildren();
  const table = el("table", { class: "check-table", "aria-label": "Gradient check: backpropagation against finite differences" });
  const head = el("tr");
  for (const h of ["Param.", "", "backprop", "forward diff.", "central diff.", "rel. error"]) {
    // The verdict column needs no visible title, but a header cell must have a name.
    head.append(h ? el("th", { scope: "col" }, h) : el("th", { scope: "col" }, undefined));
    if (!h) head.lastChild.append(el("span", { class: "sr-only" }, "verdict"));
  }
  table.append(el("thead"));
  table.tHead.append(head);
  const body = el("tbody");
  const rows = [];
  trace.steps.forEach((step, i) => {
    if (step.kind !== "grad_check") return;
    for (const [id, bp, fd, cd, re] of step.rows || []) {
      const tr = el("tr", { "data-step-id": step.id, "data-element": id });
      // nowrap: "5.62624021e-12" must not break at its hyphen; the card scrolls sideways instead.
      // The verdict sits next to the name so it stays in view when the numbers are wide.
      const cells = [bp, fd, cd, re].map(() => el("td", { class: "num", nowrap: "" }, DASH));
      const verdict = el("td", { class: "verdict" });
      const symbol = (lookup.get(id) || {}).symbol || id;
      // Screen readers (and axe) get the parameter's name as text; the MathML is for the eye.
      const name = mathCell("th", symbol, { scope: "row" });
      name.firstChild?.setAttribute?.("aria-hidden", "true");
      name.append(el("span", { class: "sr-only" }, toText(symbol)));
      tr.append(name, verdict, ...cells);
      body.append(tr);
      rows.push({ tr, cells, verdict, values: [bp, fd, cd, re], index: i });
    }
  });
  table.append(body);
  container.append(table);
  return rows;
}

function showCheckRow(row, reached) {
  // Rewriting thousands of unchanged cells every step would re-lay out the whole table.
  if (row.reached === reached) return;
  row.reached = reached;
  row.tr.classList.toggle("is-reached", reached);
  row.values.forEach((v, n) => { row.cells[n].textContent = reached ? fmt(v) : DASH; });
  const re = row.values[3];
  const ok = reached && re !== null && Number.isFinite(re) && Math.abs(re) < OK_BELOW;
  row.verdict.textContent = !reached ? "" : ok ? "OK" : "check";
  row.verdict.className = `verdict ${!reached ? "" : ok ? "is-ok" : "is-bad"}`;
  row.tr.dataset.verdict = !reached ? "pending" : ok ? "ok" : "bad";
}

export function createPanels({ narration, formula, values, checkTable }, { onHover = () => {} } = {}) {
  narration.setAttribute("aria-live", "polite");
  // Badge and sentence change together: read them as one announcement per step.
  narration.setAttribute("aria-atomic", "true");
  const badge = el("span", { class: "phase-badge" });
  const sentence = el("span", { class: "narration-text" });
  narration.replaceChildren(badge, " ", sentence);

  const formulaMath = el("div", { class: "formula-math" });
  const chips = el("div", { class: "factor-chips", role: "list", "aria-label": "Factors" });
  formula.replaceChildren(formulaMath, chips);

  // The formula in the layout and size that fit its box (fitmath.js); again when the box changes
  // size (a resize, lecture mode, or the box showing after it was hidden).
  let shownFormula = null; // {latex, kind}
  let fitted = "";
  // Only the width counts, and the height where it limits the formula (lecture mode's strip).
  const boxSize = () => {
    const tall = getComputedStyle(formulaMath).getPropertyValue("--fit-height").trim() === "1";
    return `${formulaMath.clientWidth}x${tall ? formulaMath.clientHeight : "auto"}`;
  };
  function fitFormula() {
    if (!shownFormula) return;
    fitMath(formulaMath, shownFormula.latex, { kind: shownFormula.kind });
    fitted = boxSize();
  }
  new ResizeObserver(() => { if (boxSize() !== fitted) fitFormula(); }).observe(formula);
  // In lecture mode the narration has a fixed share of the strip: its text shrinks to fit (fitText).
  let narrationFitted = "";
  const narrationSize = () => `${narration.clientWidth}x${narration.clientHeight}`;
  function fitNarration() {
    fitText(narration);
    narrationFitted = narrationSize();
  }
  new ResizeObserver(() => { if (narrationSize() !== narrationFitted) fitNarration(); }).observe(narration);

  // Typesetting and fitting are the slow part of a step, so they wait for the next frame
  // (frame.js). data-step-id on the formula says which step's formula is in the box.
  function scheduleFit() {
    nextFrame(formula, () => {
      fitNarration();
      fitFormula();
      formula.dataset.stepId = shownFormula.id;
    });
  }

  let built = null; // {trace, lookup, showValues, checkRows, typeset}
  let highlighted = null;
  let shown = null; // the arguments of the last render, to draw again once temml arrives

  function ensureBuilt(trace) {
    if (built && built.trace === trace && built.typeset === mathLoaded()) return built;
    const lookup = graphLookup(trace.graph);
    built = {
      trace, lookup,
      showValues: values ? buildValues(values, trace, lookup) : () => {},
      checkRows: checkTable ? buildCheck(checkTable, trace, lookup) : [],
      typeset: mathLoaded(),
    };
    // Symbols in plain text for now: the tables and chips are built again, typeset, when temml arrives.
    if (!built.typeset) loadMath().then((arrived) => { if (arrived && shown) render(...shown); });
    return built;
  }

  function renderChips(step, lookup) {
    chips.replaceChildren();
    for (const [symbol, value, id] of step.factors || []) {
      const chip = el("span", {
        class: `factor-chip kind-${elementKind(id, lookup)} phase-${step.phase}`,
        role: "listitem", tabindex: id ? "0" : null, "data-factor-for": id || null,
      });
      const sym = el("span", { class: "chip-symbol" });
      sym.innerHTML = math(symbol);
      chip.append(sym, el("span", { class: "chip-eq" }, " = "), el("span", { class: "chip-value" }, fmt(value)));
      if (id) {
        // Pointer and keyboard both reach the chip, so both light up its element in the graph.
        chip.addEventListener("mouseenter", () => onHover(id));
        chip.addEventListener("mouseleave", () => onHover(null));
        chip.addEventListener("focus", () => onHover(id));
        chip.addEventListener("blur", () => onHover(null));
      }
      chips.append(chip);
    }
    applyHighlight();
  }

  function applyHighlight() {
    for (const chip of chips.querySelectorAll("[data-factor-for]")) {
      chip.classList.toggle("is-highlighted", chip.dataset.factorFor === highlighted);
    }
  }

  function render(trace, index, view = {}) {
    shown = [trace, index, view];
    const { lookup, showValues, checkRows } = ensureBuilt(trace);
    const i = Math.max(0, Math.min(index, trace.steps.length - 1));
    const step = trace.steps[i];
    const hidden = !!view.hidden;
    const { formula: latex, narrationLatex } = fillLatex(trace, step, { hidden });

    badge.textContent = step.phase;
    badge.dataset.phase = step.phase;
    badge.className = `phase-badge phase-${step.phase}`;
    // Words and symbols with real subscripts; a screen reader gets each symbol's plain text.
    sentence.replaceChildren(...htmlNodes(narrationLatex), ...(hidden ? [" (Predict the value below.)"] : []));
    narration.dataset.stepId = step.id;
    narration.dataset.hidden = String(hidden);

    if (view.brisk) {
      // Playing faster than real time: the formula as plain text, no chips, the values table as it
      // was. Typesetting, fitting and the growing table are most of a step's work, and a
      // formula shown for a quarter of a second is not read; pausing draws them in full.
      shownFormula = null;
      formulaMath.style.fontSize = "";
      formulaMath.replaceChildren(toText(latex));
      chips.replaceChildren();
      formula.dataset.stepId = step.id;
      nextFrame(formula, fitNarration); // lecture mode's strip still holds the whole sentence
    } else {
      shownFormula = { latex, kind: step.kind, id: step.id };
      scheduleFit();
      renderChips(step, lookup);
      showValues(i, hidden);
    }
    // Only rows whose state changes are written: each write dirties the table's layout.
    for (const row of checkRows) {
      showCheckRow(row, row.index <= i);
      row.tr.classList.toggle("is-current", row.index === i);
    }
  }

  function highlight(elementId) {
    highlighted = elementId || null;
    applyHighlight();
  }

  return { render, highlight };
}
