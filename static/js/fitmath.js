// The one place a formula is typeset into a box: the formula panel, the presenter's notes, the
// handout and the slide export all call fitMath. It measures each layout of mathlayout.js once at
// the box's own font size, takes the one that fits at the largest size (MathML scales with the
// font), shrinking down to the floor and never below it, and checks the result. Measuring is
// fine here: the formula is HTML that flows, unlike the graph, whose layout stays pure.
import { loadMath, mathLoaded, renderMath } from "./formula.js";
import { layouts, splitTop } from "./mathlayout.js";
import { toText } from "./notation.js";

const DEFAULT_FLOOR = 16; // px
// A layout within this share of the largest fitting size is preferred if it comes first
// (one line over a broken chain, the table over stacked blocks).
const PREFER = 0.97;
const STEP = 0.97; // shrink factor while the measured fit is off by a pixel
const SURELY_TOO_WIDE = 1.4; // an estimate this far over the width is not worth laying out

// Rows of a layout's blocks (a table's or aligned block's rows split at "\\"), as plain text.
function rowTexts(option) {
  return option.blocks.flatMap((b) => splitTop(b.replace(/^\\begin\{\w+\}(\{[^}]*\})?|\\end\{\w+\}$/g, ""), " \\\\ ")).map((r) => toText(r));
}

// One block of a formula, typeset now (plain text while temml is on its way, formula.js).
function newBlock(latex, lineClass) {
  const node = document.createElement("div");
  node.className = lineClass;
  node.dataset.latex = latex; // copying a formula gives its plain text (notation.js fragmentText)
  renderMath(latex, node);
  return node;
}

// Typeset blocks are kept per LaTeX string and cloned: temml is the slow part of a step.
const cache = new Map();
function block(latex, lineClass) {
  const key = `${lineClass}\u0000${latex}`;
  if (!cache.has(key)) {
    if (cache.size > 600) cache.clear(); // bounded: a 10x16 trace has thousands of formulas
    cache.set(key, newBlock(latex, lineClass));
  }
  return cache.get(key).cloneNode(true);
}

function px(style, name) {
  const v = parseFloat(style.getPropertyValue(name));
  return Number.isFinite(v) ? v : null;
}

function overflows(box, fitHeight) {
  return box.scrollWidth > box.clientWidth + 1 || (fitHeight && box.scrollHeight > box.clientHeight + 1);
}

const untypeset = new WeakMap(); // box -> the LaTeX it shows as plain text until temml arrives

/**
 * Typeset `latex` (a step of kind `kind`) into `box`, replacing its content.
 * Options: floor (px; default the box's --fit-floor, else 16), fitHeight (whether the box's
 * height limits the formula; default the box's --fit-height: 1), lineClass (class of each block).
 * Returns {layout, fontPx, fits}; fits is null when the box is not laid out (hidden): typeset at
 * full size, to be fitted again once it shows.
 */
export function fitMath(box, latex, options = {}) {
  if (mathLoaded()) {
    untypeset.delete(box);
    return fitTypeset(box, latex, options);
  }
  // Plain text in the first layout for now, not measured (that is the slow part, and would be
  // thrown away); fitted, typeset, when temml arrives, if the box still shows this formula.
  untypeset.set(box, latex);
  loadMath().then((arrived) => { if (arrived && untypeset.get(box) === latex) fitMath(box, latex, options); });
  const first = layouts(latex, options.kind)[0];
  box.style.fontSize = "";
  box.replaceChildren(...first.blocks.map((latex) => newBlock(latex, options.lineClass ?? "formula-line")));
  return { layout: first.name, fontPx: parseFloat(getComputedStyle(box).fontSize), fits: null };
}

function fitTypeset(box, latex, { kind, floor, fitHeight, lineClass = "formula-line" }) {
  const options = layouts(latex, kind);
  box.style.fontSize = "";
  const style = getComputedStyle(box);
  floor = floor ?? px(style, "--fit-floor") ?? DEFAULT_FLOOR;
  // A box whose own type is smaller than the floor still gets the floor.
  const base = Math.max(floor, parseFloat(style.fontSize));
  fitHeight = fitHeight ?? style.getPropertyValue("--fit-height").trim() === "1";
  const nodes = (option) => option.blocks.map((latex) => block(latex, lineClass));
  box.style.fontSize = `${base}px`;
  if (box.clientWidth === 0) {
    box.replaceChildren(...nodes(options[0]));
    return { layout: options[0].name, fontPx: base, fits: null };
  }
  const padX = px(style, "padding-left") + px(style, "padding-right");
  const padY = px(style, "padding-top") + px(style, "padding-bottom");

  // Each layout at the base size, in the box: its overflow says how much smaller it would have
  // to be. The first that fits at full size ends the search, as no later one can be preferred
  // to it (typesetting and, above all, laying out MathML are the slow part of a step).
  // The one-line layout measured, the others' widths are first estimated in proportion to the
  // length of their longest row's text: MathML layout is slow (milliseconds for a long sum),
  // and a 16-term sum need not be laid out on one, two or three lines to know it will not fit.
  const measured = [];
  let perChar = null; // px per character of plain text, from the one-line layout
  for (const [n, option] of options.entries()) {
    if (perChar && !fitHeight && n < options.length - 1) {
      const longest = Math.max(...rowTexts(option).map((t) => t.length));
      if (longest * perChar > (box.clientWidth - padX) * SURELY_TOO_WIDE) continue;
    }
    const kids = nodes(option);
    box.replaceChildren(...kids);
    const scale = Math.min(1, (box.clientWidth - padX) / (box.scrollWidth - padX),
      fitHeight ? (box.clientHeight - padY) / (box.scrollHeight - padY) : Infinity);
    measured.push({ option, kids, scale });
    if (scale >= 1 && !overflows(box, fitHeight)) break;
    if (n === 0 && option.blocks.length === 1) perChar = (box.scrollWidth - padX) / Math.max(1, toText(option.blocks[0]).length);
  }
  const best = Math.max(...measured.map((m) => m.scale));
  const floorScale = floor / base;
  // Largest first; among the near-largest, the earlier layout.
  const order = [...measured].sort((a, b) => {
    const near = (m) => m.scale >= best * PREFER;
    if (near(a) !== near(b)) return near(a) ? -1 : 1;
    return near(a) ? measured.indexOf(a) - measured.indexOf(b) : b.scale - a.scale;
  });

  // Sizes scale with the type only roughly (rounding, fixed gaps): shrink a little until it fits.
  for (const m of order) {
    if (m.kids[0].parentNode !== box) box.replaceChildren(...m.kids);
    let scale = Math.max(floorScale, m.scale);
    for (;;) {
      const size = `${Math.max(floor, Math.floor(base * scale * 10) / 10)}px`;
      if (box.style.fontSize !== size) box.style.fontSize = size;
      if (!overflows(box, fitHeight)) return done(box, m.option.name, true);
      if (scale <= floorScale) break;
      scale = Math.max(floorScale, scale * STEP);
    }
  }
  // Nothing fits at the floor (a very large network or a tiny window): the roomiest layout at
  // the floor, and the box scrolls, so it must be reachable by keyboard.
  box.replaceChildren(...order[0].kids);
  box.style.fontSize = `${floor}px`;
  return done(box, order[0].option.name, false);
}

/**
 * Shrink the text of `box` until it fits the height its CSS gives it (--fit-height: 1; lecture
 * mode's strip), never below the floor (--fit-floor, else 16 px). Returns the size in px.
 */
export function fitText(box, { floor } = {}) {
  box.style.fontSize = "";
  const style = getComputedStyle(box);
  const base = parseFloat(style.fontSize);
  if (style.getPropertyValue("--fit-height").trim() !== "1" || box.clientHeight === 0) return base;
  floor = Math.min(base, floor ?? px(style, "--fit-floor") ?? DEFAULT_FLOOR);
  const fits = () => box.scrollHeight <= box.clientHeight + 1;
  if (fits()) return base;
  // The largest size that fits, to a tenth of a pixel: text height steps with its lines.
  let lo = floor, hi = base;
  box.style.fontSize = `${lo}px`;
  if (!fits()) return lo;
  while (hi - lo > 0.1) {
    const mid = (lo + hi) / 2;
    box.style.fontSize = `${mid}px`;
    if (fits()) lo = mid; else hi = mid;
  }
  box.style.fontSize = `${Math.floor(lo * 10) / 10}px`;
  return lo;
}

function done(box, layout, fits) {
  box.dataset.layout = layout;
  if (fits) {
    if (box.dataset.scrolls) { box.removeAttribute("tabindex"); box.removeAttribute("role"); box.removeAttribute("aria-label"); }
    delete box.dataset.scrolls;
  } else {
    box.dataset.scrolls = "true";
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Formula (scrolls)");
  }
  return { layout, fontPx: parseFloat(box.style.fontSize) || parseFloat(getComputedStyle(box).fontSize), fits };
}
