// The code view: one training step in plain NumPy (GET /api/code, a real file of the package that a
// test checks against the engine), beside the graph, with the lines that compute the current step
// marked aria-current="true" and kept in view. Which lines are marked at step k depends only on
// (trace, k) and the file's own line map (codelines.js).
import { fetchCode } from "./api.js";
import { lineRanges, pythonTokens, stepLines } from "./codelines.js";
import { el } from "./dom.js";

function buildLines(text) {
  const code = el("code");
  const rows = pythonTokens(text.replace(/\n$/, "")).map((tokens, i) => {
    const row = el("span", { class: "code-line", "data-line": String(i + 1) });
    for (const [part, cls] of tokens) row.append(cls ? el("span", { class: cls }, part) : part);
    // The line break is text, so copying the code gives its lines; each row is also a block.
    row.append("\n");
    code.append(row);
    return row;
  });
  return { code, rows };
}

function describe(step, found, lineMap, path) {
  const file = path.split("/").pop();
  if (found.by === "kind") return `Step \u201c${step.kind}\u201d (${step.phase}): ${file}, line${found.lines.length > 1 ? "s" : ""} ${lineRanges(found.lines)}.`;
  if (found.by === "phase") {
    // A momentum or Adam update: the reference updates by plain gradient descent.
    const why = step.phase === "update" ? " (the code updates by plain gradient descent)" : "";
    return `Step \u201c${step.kind}\u201d has no line of its own here${why}: its phase, `
      + `${step.phase}(), lines ${lineRanges(found.lines)}.`;
  }
  return lineMap ? `Step \u201c${step?.kind}\u201d is not in this code.` : "";
}

export function setupCodeView(app) {
  const toggle = app.$("code-view-toggle");
  const card = el("section", { class: "card code-card", id: "code-card", "data-testid": "code-view",
    "aria-labelledby": "code-title", hidden: "" });
  const title = el("h2", { id: "code-title" }, "The code: one training step in NumPy");
  const note = el("p", { class: "code-note", "data-testid": "code-note" });
  // The scrolling box is focusable so keyboard users can scroll it (arrows left/right still step).
  const scroller = el("div", { class: "code-scroll", tabindex: "0", role: "region", "aria-label": "Reference code" });
  const pre = el("pre", { class: "code" });
  scroller.append(pre);
  card.append(title, note, scroller);
  app.$("graph").after(card);
  toggle.setAttribute("aria-controls", card.id);

  let source = null; // {path, text, lines} once fetched
  let rows = [];
  let marked = [];
  let loading = null;

  async function load() {
    loading ??= fetchCode(toggle.dataset.codeUrl);
    const answer = await loading;
    if (!answer.ok) {
      loading = null; // the next opening asks again
      note.textContent = `The code could not be loaded: ${answer.error}.`;
      return;
    }
    if (source) return;
    source = answer;
    title.textContent = `${answer.path.split("/").pop()}: one training step in NumPy`;
    const built = buildLines(answer.text);
    rows = built.rows;
    pre.replaceChildren(built.code);
    render();
  }

  function render() {
    const trace = app.state.trace;
    if (card.hidden || !source || !trace) return;
    const step = trace.steps[app.state.index];
    const found = stepLines(source.lines, step);
    const phaseLines = new Set(source.lines.phases[step?.phase] ?? []);
    for (const row of marked) row.removeAttribute("aria-current");
    marked = found.lines.map((n) => rows[n - 1]).filter(Boolean);
    for (const row of marked) row.setAttribute("aria-current", "true");
    rows.forEach((row, i) => row.classList.toggle("in-phase", phaseLines.has(i + 1)));
    card.dataset.phase = step?.phase ?? "";
    card.dataset.by = found.by;
    note.textContent = describe(step, found, source.lines, source.path);
    keepInView();
  }

  // The marked lines in view inside the code's own scroll box, never scrolling the page.
  function keepInView() {
    if (!marked.length) return;
    const top = marked[0].offsetTop;
    const bottom = marked[marked.length - 1].offsetTop + marked[marked.length - 1].offsetHeight;
    const view = scroller.clientHeight;
    if (top >= scroller.scrollTop && bottom <= scroller.scrollTop + view) return;
    // Centred when it fits; a block taller than the box starts at its top.
    scroller.scrollTop = bottom - top < view ? top - (view - (bottom - top)) / 2 : top;
  }

  function setOpen(open) {
    card.hidden = !open;
    card.parentElement.classList.toggle("with-code", open);
    toggle.setAttribute("aria-expanded", String(open));
    if (open && !source) load();
    else render();
  }

  toggle.setAttribute("aria-expanded", "false");
  toggle.addEventListener("click", () => setOpen(card.hidden));
  app.on("step", render);
  app.on("trace", render);
  app.on("mode", render);
  return { setOpen };
}
