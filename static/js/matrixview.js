// The matrix view: the `matrix-view` toggle opens, under the graph, the current step written for
// its whole layer in vector and matrix form (matrixmodel.js), each entry an HTML table cell.
// Pointing at or focusing an entry lights its edge or node in the graph, and pointing at the
// graph lights the entry (app.highlight and its "highlight" event). Each matrix is a grid with
// one tab stop; the arrow keys, Home and End move inside it.
import { matrixModel } from "./matrixmodel.js";
import { fmt, HIDDEN, renderMath } from "./formula.js";
import { htmlNodes, toText } from "./notation.js";
import { el } from "./dom.js";

// More columns than this and the numbers are packed closer (matrix.css .is-wide).
const WIDE_COLUMNS = 8;
const MOVES = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

export function setupMatrixView(app) {
  const toggle = app.$("matrix-view");
  const graphCard = app.$("graph").closest(".graph-card");
  const card = el("section", { class: "card matrix-card", id: "matrix-card", "data-testid": "matrix-panel",
    "aria-labelledby": "matrix-title", hidden: "" });
  const title = el("h2", { id: "matrix-title", "data-testid": "matrix-title" });
  const equation = el("div", { class: "matrix-equation", "data-testid": "matrix-equation" });
  const note = el("p", { class: "matrix-note", "data-testid": "matrix-note" });
  const lines = el("div", { class: "matrix-lines" });
  card.append(title, equation, note, lines);
  // Right after the graph: the notice and the status, later in the card, stay on top of it.
  app.$("graph").after(card);
  toggle.setAttribute("aria-controls", card.id);
  toggle.setAttribute("aria-expanded", "false");

  let shown = null; // {trace, signature, cells: [td]}: the grids on screen
  let lit = null;

  function render() {
    const trace = app.state.trace;
    if (card.hidden || !trace) return;
    const model = matrixModel(trace, app.state.index, { ...app.view(), isHidden: app.isHidden });
    const secrets = model.lines.flat().flatMap((item) => item.rows?.flat().map((c) => (c.secret ? 1 : 0)) ?? []).join("");
    const signature = `${model.equation}|${model.layer}|${model.sample}|${secrets}`;
    if (!shown || shown.trace !== trace || shown.signature !== signature) build(trace, model, signature);
    markCurrent(new Set(model.current));
    card.dataset.stepId = model.stepId;
    card.dataset.phase = model.phase;
  }

  function build(trace, model, signature) {
    // Keyboard focus inside the view stays on the same place of the rebuilt grid.
    const focused = card.contains(document.activeElement) ? document.activeElement.dataset.place : null;
    title.textContent = model.title;
    renderMath(model.latex, equation);
    note.textContent = model.note;
    note.hidden = !model.note;
    const cells = [];
    lines.replaceChildren(...model.lines.map((line, n) => {
      const row = el("div", { class: "matrix-line" });
      line.forEach((item, b) => row.append(item.type === "op"
        ? el("span", { class: "matrix-op", "aria-hidden": "true" }, item.text)
        : grid(item, `${n}-${b}`, cells)));
      return row;
    }));
    shown = { trace, signature, cells };
    card.classList.toggle("is-wide", model.lines.flat().some((item) => item.shape?.[1] > WIDE_COLUMNS));
    card.dataset.equation = model.equation;
    card.dataset.layer = model.layer ?? "";
    const again = focused && cells.find((td) => td.dataset.place === focused);
    if (again) focusCell(again);
    applyLit();
  }

  // One matrix or vector: its caption, then a table with role grid (arrow keys move inside).
  function grid(item, key, cells) {
    const wrap = el("div", { class: `matrix-block${item.result ? " is-result" : ""}`, "data-name": item.name });
    // The grid's name says the caption (and its shape) to assistive technology.
    const caption = el("div", { class: "matrix-caption", "aria-hidden": "true" });
    caption.append(...htmlNodes(item.caption, { speak: false }));
    const table = el("table", { class: "matrix-grid", role: "grid",
      "aria-label": `${toText(item.caption)}, ${item.shape[0]} by ${item.shape[1]}` });
    const body = el("tbody");
    item.rows.forEach((cellsOfRow, r) => {
      const tr = el("tr");
      cellsOfRow.forEach((c, col) => {
        const value = c.secret ? HIDDEN : fmt(c.value);
        const td = el("td", { class: "num", tabindex: r === 0 && col === 0 ? "0" : "-1", "data-for": c.id,
          "data-place": `${key}-${r}-${col}`, "data-row": r, "data-col": col, "aria-label": `${toText(c.symbol)} = ${value}` }, value);
        tr.append(td);
        cells.push(td);
      });
      body.append(tr);
    });
    table.append(body);
    table.addEventListener("keydown", (event) => move(event, table));
    wrap.append(caption, table);
    return wrap;
  }

  function move(event, table) {
    const td = event.target.closest("td");
    if (!td) return;
    const r = Number(td.dataset.row), c = Number(td.dataset.col), last = table.rows[r].cells.length - 1;
    const step = MOVES[event.key] ?? { Home: [0, -c], End: [0, last - c] }[event.key];
    if (!step) return;
    // These keys move inside the matrix here (as in any grid), not through the walkthrough.
    event.preventDefault();
    event.stopPropagation();
    const next = table.rows[r + step[0]]?.cells[c + step[1]];
    if (next) focusCell(next);
  }

  function focusCell(td) {
    for (const other of td.closest("table").querySelectorAll("td[tabindex='0']")) other.tabIndex = -1;
    td.tabIndex = 0;
    td.focus();
  }

  function markCurrent(current) {
    let first = null;
    for (const td of shown.cells) {
      const on = current.has(td.dataset.for);
      td.classList.toggle("is-current", on);
      first ??= on ? td : null;
    }
    if (first) keepInView(first);
  }

  // The step's first entry stays visible inside the matrices' own scroll box, never scrolling the page.
  function keepInView(td) {
    const box = lines.getBoundingClientRect(), r = td.getBoundingClientRect();
    if (r.bottom > box.bottom) lines.scrollTop += r.bottom - box.bottom;
    if (r.top < box.top) lines.scrollTop -= box.top - r.top;
    if (r.right > box.right) lines.scrollLeft += r.right - box.right;
    if (r.left < box.left) lines.scrollLeft -= box.left - r.left;
  }

  function applyLit() {
    if (!shown) return;
    for (const td of shown.cells) td.classList.toggle("is-lit", !!lit && td.dataset.for === lit);
  }

  const light = (event) => {
    const id = event.target.closest?.("td")?.dataset.for;
    if (id) app.highlight(id);
  };
  // Only the entry's own light goes out: what the pointer reached next may have lit its own already.
  const unlight = (event) => {
    const id = event.target.closest?.("td")?.dataset.for;
    if (id && id === lit) app.highlight(null);
  };
  // Pointer events, as the graph's: the old element's "out" comes before the new one's "over".
  lines.addEventListener("pointerover", light);
  lines.addEventListener("pointerout", unlight);
  lines.addEventListener("focusin", light);
  lines.addEventListener("focusout", unlight);

  function setOpen(open) {
    card.hidden = !open;
    graphCard.classList.toggle("matrix-open", open);
    toggle.setAttribute("aria-expanded", String(open));
    render();
  }

  toggle.addEventListener("click", () => setOpen(card.hidden));
  app.on("draw", render);
  app.on("highlight", (id) => {
    lit = id;
    applyLit();
  });
  return { setOpen };
}
