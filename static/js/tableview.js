// The walkthrough as a plain table, for screen readers and for reading it all at once: one row
// per step (k, phase, quantity, value, narration), the current step marked aria-current="step".
import { fillLatex, fmt, HIDDEN } from "./formula.js";
import { htmlNodes, setHtml } from "./notation.js";
import { el } from "./dom.js";

export function setupTableView(app, { hidden = () => false, onChange = () => {} } = {}) {
  const toggle = app.$("table-view-toggle");
  // Not a landmark of its own: the scrolling region inside carries the name.
  const card = el("div", { class: "card trace-table-card", id: "trace-table-card", hidden: "" });
  card.append(el("h2", { id: "trace-table-title" }, "Walkthrough as a table"));
  // The scrolling box is focusable so keyboard users can scroll it.
  const scroller = el("div", { class: "trace-table-scroll", tabindex: "0", role: "region", "aria-labelledby": "trace-table-title" });
  card.append(scroller);
  // A view in place of the picture (the graph stays mounted underneath, so nothing re-lays out).
  app.$("graph").after(card);
  toggle.setAttribute("aria-controls", card.id);

  let built = null; // {trace, rows: [{tr, value, step}]}
  let currentRow = null;

  function build(trace) {
    const table = el("table", { class: "trace-table", "data-testid": "trace-table" });
    const caption = el("caption", {}, `Every step of the walkthrough (${trace.steps.length} steps); the current step is marked.`);
    const head = el("tr");
    for (const h of ["Step", "Phase", "Quantity", "Value", "What happens"]) {
      head.append(el("th", h === "Value" ? { scope: "col", class: "num" } : { scope: "col" }, h));
    }
    const thead = el("thead");
    thead.append(head);
    const tbody = el("tbody");
    const rows = trace.steps.map((step, i) => {
      const tr = el("tr", { "data-step-id": step.id, class: `phase-${step.phase}` });
      const value = el("td", { class: "num" });
      // Symbols with real subscripts; a screen reader reads their plain text (notation.js).
      tr.append(el("th", { scope: "row", class: "num" }, String(i + 1)), el("td", {}, step.phase),
        setHtml(el("td", { class: "sym" }), step.symbol), value, el("td", { class: "say" }));
      tbody.append(tr);
      return { tr, value, step, say: tr.lastChild, secret: null };
    });
    table.append(caption, thead, tbody);
    scroller.replaceChildren(table);
    built = { trace, rows };
    currentRow = null;
  }

  function refresh() {
    const trace = app.state.trace;
    if (card.hidden || !trace) return;
    if (!built || built.trace !== trace) build(trace);
    for (const row of built.rows) {
      const secret = hidden(row.step);
      if (row.secret === secret && row.value.textContent) continue;
      row.secret = secret;
      row.value.textContent = secret ? HIDDEN : fmt(row.step.value);
      row.value.classList.toggle("is-hidden", secret);
      // The narration says the number too.
      if (secret) row.say.textContent = "Hidden until you answer (quiz mode).";
      else row.say.replaceChildren(...htmlNodes(fillLatex(built.trace, row.step).narrationLatex));
    }
    markCurrent();
  }

  function markCurrent() {
    if (card.hidden || !built) return;
    const row = built.rows[app.state.index];
    if (currentRow && currentRow !== row) currentRow.tr.removeAttribute("aria-current");
    if (!row) return;
    row.tr.setAttribute("aria-current", "step");
    currentRow = row;
    // Keep the current row in view inside the table's own scroll box, never scrolling the page.
    const box = scroller.getBoundingClientRect(), r = row.tr.getBoundingClientRect();
    const head = scroller.querySelector("thead")?.getBoundingClientRect().height ?? 0;
    if (r.top < box.top + head) scroller.scrollTop -= box.top + head - r.top;
    else if (r.bottom > box.bottom) scroller.scrollTop += r.bottom - box.bottom;
  }

  function setOpen(open) {
    card.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    refresh();
  }

  toggle.setAttribute("aria-expanded", "false");
  toggle.addEventListener("click", () => setOpen(card.hidden));
  app.on("step", markCurrent);
  app.on("trace", refresh);
  app.on("mode", refresh);
  onChange(refresh);
  return { setOpen };
}
