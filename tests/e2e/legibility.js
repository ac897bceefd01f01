// Walks the page from its current step to the last with the keyboard handler and measures every
// step view (or every `every`-th) with the definitions of the legibility issue
// (tests/e2e/test_legibility.py):
// - a text is visible when it and its ancestors are displayed, not visibility: hidden, and of
//   opacity (multiplied up the tree) at least 0.15;
// - two texts collide when their client rectangles, each shrunk by 1 px, intersect by more than
//   1 px in both directions;
// - a text covers a node when its rectangle comes within the circle's radius minus 2 px of the
//   centre, unless the text belongs to that node;
// - a text is cut off when it reaches past the graph's box, a formula when its box would scroll;
// - raw notation is "_", "{", "}" or "\" in what a person reads (graph, narration, chips, tables);
// - every value of the current step shows (data-step is the step a label's value comes from).
// Returns one record per step with a problem, and the smallest value type seen.
// `formulas`: measure the formula box at every step (1), every n-th visited step (n), or never (0).
async ([steps, every = 1, formulas = 1]) => {
  const graphBox = document.querySelector('[data-testid="graph"]');
  const readable = ['[data-testid="narration"]', ".factor-chips", '[data-testid="values"]', '[data-testid="check-table"]'];
  const RAW = /[_{}\\]/;

  // Displayed and the opacity multiplied down from the root, worked out once per element per
  // measure (texts share their ancestors).
  let seen = new Map();
  function shown(e) {
    if (!e || e === document.documentElement) return { displayed: true, opacity: 1 };
    let s = seen.get(e);
    if (!s) {
      const cs = getComputedStyle(e);
      const up = shown(e.parentElement);
      s = { displayed: up.displayed && cs.display !== "none", opacity: up.opacity * parseFloat(cs.opacity) };
      seen.set(e, s);
    }
    return s;
  }
  function visible(el) {
    if (getComputedStyle(el).visibility === "hidden") return false;
    const s = shown(el);
    return s.displayed && s.opacity >= 0.15;
  }
  // The element a text belongs to: its node, bias tag or edge, or what its label is for.
  function owner(t) {
    const holder = t.closest("[data-node-id], [data-bias-id], [data-edge-id]");
    if (holder) return holder.dataset.nodeId || holder.dataset.biasId || holder.dataset.edgeId;
    const label = t.closest(".stack-line");
    return label?.querySelector("[data-for]")?.dataset.for ?? null;
  }

  const readSeen = new WeakMap(); // element -> the textContent last read as a person sees it
  function measure(formulas) {
    seen = new Map();
    const box = graphBox.getBoundingClientRect();
    const svg = graphBox.querySelector("svg");
    const scale = svg.getScreenCTM().a;
    // A label not placed this step is display: none (.stack-line.hidden); the selector skips the
    // hundreds of those before any style is computed (visible() would say the same, slowly).
    const candidates = svg.querySelectorAll(":not(.stack-line.hidden) > text");
    const texts = [...candidates].filter((t) => t.textContent.trim() && visible(t)).map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent.trim(), owner: owner(t), x0: r.left, x1: r.right, y0: r.top, y1: r.bottom,
        px: t.closest(".stack-line") ? parseFloat(getComputedStyle(t).fontSize) * scale : null };
    });
    const nodes = [...svg.querySelectorAll("[data-node-id] .node-circle")].map((c) => {
      const r = c.getBoundingClientRect();
      return { id: c.closest("[data-node-id]").dataset.nodeId, x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, r: r.width / 2 };
    });
    const problems = [];
    const notes = [];
    texts.forEach((a, i) => {
      if (a.x0 < box.left - 0.5 || a.x1 > box.right + 0.5 || a.y0 < box.top - 0.5 || a.y1 > box.bottom + 0.5) problems.push(`cut off: ${a.text}`);
      for (const b of texts.slice(i + 1)) {
        const w = Math.min(a.x1, b.x1) - 1 - (Math.max(a.x0, b.x0) + 1);
        const h = Math.min(a.y1, b.y1) - 1 - (Math.max(a.y0, b.y0) + 1);
        if (w > 1 && h > 1) problems.push(`overlap: ${a.text} / ${b.text}`);
      }
      for (const n of nodes) {
        if (n.id === a.owner) continue;
        const px = Math.max(a.x0, Math.min(n.x, a.x1)), py = Math.max(a.y0, Math.min(n.y, a.y1));
        if (Math.hypot(px - n.x, py - n.y) < n.r - 2) problems.push(`covers ${n.id}: ${a.text}`);
      }
      if (RAW.test(a.text)) problems.push(`raw notation on the graph: ${a.text}`);
    });
    // The formula fits its box, and the lecture strip does not scroll (test_formula_fit.py
    // measures this at more states and checks the formula's type size).
    const boxes = formulas ? [...document.querySelectorAll(".formula-math")] : [];
    if (formulas && document.body.dataset.mode === "lecture") boxes.push(document.querySelector(".explain"));
    for (const b of boxes.filter((b) => b && b.getClientRects().length)) {
      const over = [b.scrollWidth - b.clientWidth, b.scrollHeight - b.clientHeight];
      if (over[0] > 1 || over[1] > 1) problems.push(`${b.className} overflows by ${over}`);
    }
    for (const sel of readable) {
      for (const el of document.querySelectorAll(sel)) {
        if (!visible(el)) continue;
        // innerText lays the whole table out: read it again only when the content changed.
        const content = el.textContent;
        if (readSeen.get(el) === content) continue;
        readSeen.set(el, content);
        const text = el.innerText || "";
        if (RAW.test(text)) problems.push(`raw notation in ${sel}: ${text.slice(0, 120)}`);
      }
    }
    // The current step's values all show, or a callout says how many it leaves to the tables
    // ("+ n more"); a dense graph shows one line per edge, so only a non-dense one is counted.
    const index = Number(graphBox.dataset.stepIndex) - 1;
    const unseen = [...svg.querySelectorAll(`.stack-line.ann[data-step="${index}"]`)].filter((g) => !visible(g));
    const more = [...svg.querySelectorAll(".callout-more")].filter(visible).reduce((n, t) => n + Number(t.dataset.more), 0);
    if (unseen.length > more && !svg.classList.contains("dense")) {
      problems.push(`current values not shown: ${unseen.map((g) => g.textContent).join(" | ").slice(0, 160)}`);
    }
    if (more) notes.push(`${more} current values left to the tables`);
    const sizes = texts.map((t) => t.px).filter((px) => px !== null);
    return { problems, notes, minPx: sizes.length ? Math.min(...sizes) : null };
  }

  // The page's own frame.js (its hashed URL, beside the entry module), not a second instance.
  const { settle } = await import(new URL("frame.js", document.querySelector("script[type=module][src]").src));
  const out = { bad: [], minPx: Infinity, steps: 0, truncated: [] };
  // One step at a time with the arrow key; a stride seeks with the scrubber (one render per view).
  const scrubber = document.querySelector('[data-testid="scrubber"]');
  const go = (k) => {
    if (every === 1) {
      document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    } else {
      scrubber.value = String(k);
      scrubber.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };
  for (let k = 1; k <= steps; k += every) {
    if (k > 1) go(k);
    // The formula is typeset in the frame after the step (frame.js); the graph at once.
    const formulaHere = formulas > 0 && out.steps % formulas === 0;
    if (formulaHere) settle();
    const index = Number(graphBox.dataset.stepIndex);
    const r = measure(formulaHere);
    out.steps += 1;
    if (r.minPx !== null) out.minPx = Math.min(out.minPx, r.minPx);
    if (index !== k) r.problems.push(`expected step ${k}, the graph shows ${index}`);
    if (r.problems.length) out.bad.push({ step: k, problems: r.problems.slice(0, 6) });
    if (r.notes.length) out.truncated.push(k);
  }
  return out;
}
