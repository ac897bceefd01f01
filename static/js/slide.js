// One step as a standalone, slide-ready SVG (1600x900): the graph redrawn at slide size with
// its computed styles written onto each element (so it renders without app.css), the formula
// as MathML in a foreignObject (with a text fallback) and the narration as SVG text, both with
// real subscripts (<tspan>s); the <title> holds the narration as plain Unicode text.
import { createGraph } from "./graph.js";
import { fillLatex } from "./formula.js";
import { fitMath } from "./fitmath.js";
import { runsText, toLines, toRuns } from "./notation.js";
import { tspans } from "./svgsym.js";

export const SLIDE = { width: 1600, height: 900 };
const SVG = "http://www.w3.org/2000/svg";
const XHTML = "http://www.w3.org/1999/xhtml";
const PAD = 48;
const HEADER = 64;
const GAP = 16;
// The graph is laid out this much smaller than its place on the slide, then scaled up:
// labels and nodes read from the back of a room instead of staying at screen size.
const GRAPH_ZOOM = 1.45;
const FORMULA_PX = 34; // the formula's size when it fits; fitMath shrinks it down to FORMULA_FLOOR
const FORMULA_FLOOR = 16;
const SCRIPT = 0.72; // sub- and superscripts, relative to their text

// The CSS properties the graph's look depends on, and their initial values (not written out).
const STYLE_PROPS = {
  display: "inline", fill: "rgb(0, 0, 0)", "fill-opacity": "1", stroke: "none", "stroke-width": "1px",
  "stroke-opacity": "1", "stroke-dasharray": "none", "stroke-dashoffset": "0px", "stroke-linecap": "butt",
  "stroke-linejoin": "miter", opacity: "1", "font-family": "", "font-size": "", "font-style": "normal",
  "font-weight": "400", "text-anchor": "start", "dominant-baseline": "auto", "paint-order": "normal",
  "marker-start": "none", "marker-end": "none", "text-decoration-line": "none", "text-decoration-thickness": "auto",
  "text-underline-offset": "auto", "baseline-shift": "0px", visibility: "visible",
};

function make(name, attrs = {}, parent = null, ns = SVG) {
  const el = document.createElementNS(ns, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.append(el);
  return el;
}

function themeColours() {
  const cs = getComputedStyle(document.body);
  const get = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return {
    background: get("--surface", "#ffffff"), fg: get("--fg", "#1c2229"), muted: get("--muted", "#5d6670"),
    font: get("--font", "sans-serif"), math: get("--math-font", "serif"),
    phase: (p) => get(`--${p}-ink`, "") || get(`--${p}`, "") || get("--fg", "#000"),
  };
}

// An off-screen box the same way the page lays things out (attached, so styles compute).
function offscreen(width, height) {
  const host = document.createElement("div");
  host.setAttribute("aria-hidden", "true");
  host.style.cssText = `position: fixed; left: -30000px; top: 0; width: ${width}px; height: ${height}px; overflow: hidden; pointer-events: none;`;
  document.body.append(host);
  return host;
}

/** Copy computed styles of `orig` (and descendants) onto the parallel `copy`; hidden elements are dropped. */
function inlineStyles(orig, copy) {
  const cs = getComputedStyle(orig);
  if (cs.display === "none") return false;
  const decls = [];
  for (const [prop, initial] of Object.entries(STYLE_PROPS)) {
    const value = cs.getPropertyValue(prop);
    if (value && value !== initial) decls.push(`${prop}: ${value.replace(/url\("(#[^"]+)"\)/g, "url($1)")}`);
  }
  copy.removeAttribute("style");
  if (decls.length) copy.setAttribute("style", decls.join("; "));
  const origKids = [...orig.children], copyKids = [...copy.children];
  origKids.forEach((kid, n) => { if (!inlineStyles(kid, copyKids[n])) copyKids[n].remove(); });
  return true;
}

/** The graph of `trace` at step `index` (with `view`, e.g. {hidden}), drawn at width x height, as a self-contained <svg>. */
export function graphSvg(trace, index, width, height, view = {}) {
  const host = offscreen(width, height);
  host.className = "graph";
  try {
    const graph = createGraph(host);
    graph.setReducedMotion(true);
    graph.mount(trace, { width, height });
    graph.render(trace, index, view);
    const live = host.querySelector("svg");
    const copy = live.cloneNode(true);
    inlineStyles(live, copy);
    copy.querySelector("g.pulses")?.replaceChildren();
    for (const el of copy.querySelectorAll("title")) el.remove(); // tooltips mean nothing on a slide
    return copy;
  } finally {
    host.remove();
  }
}

// SVG runs of text: scripts shifted and smaller, styled inline (no app.css in a slide).
function runSpans(runs) {
  return tspans(runs).map((t) => {
    if (t.getAttribute("class") === "script") { t.removeAttribute("class"); t.setAttribute("font-size", `${SCRIPT * 100}%`); }
    return t;
  });
}

// The formula's typeset blocks as SVG text lines with real subscripts, for renderers without
// HTML in SVG (notation.js toLines: one line per row of a table or aligned block).
function formulaText(parent, blocks, { x, y, size, fill, family }) {
  const t = make("text", { x, y, fill, "font-size": size, "font-family": family }, parent);
  blocks.flatMap(toLines).forEach((runs, n) => {
    make("tspan", { x, dy: n === 0 ? 0 : size * 1.35 }, t).append(...runSpans(runs));
  });
  return t;
}

// temml's aligned columns rely on classes of its (unvendored) stylesheet: say it inline.
// Chromium aligns a table cell's math only with the -webkit- value; the plain one is for others.
function alignColumns(root) {
  for (const side of ["right", "left"]) {
    for (const el of root.querySelectorAll(`.tml-${side}`)) {
      el.setAttribute("style", `${el.getAttribute("style") ?? ""} text-align: ${side}; text-align: -webkit-${side};`.trim());
    }
  }
}

/** The formula typeset at the largest size that fits maxW x maxH (fitmath.js): {box, blocks, height, fontSize}. */
function fitFormula(latex, kind, maxW, maxH, colours) {
  // The type is the host's: fitMath starts from the size the box inherits.
  const host = offscreen(maxW, maxH);
  host.style.cssText += `font-family: ${colours.math}; font-size: ${FORMULA_PX}px; color: ${colours.fg}; line-height: 1.3;`;
  const box = document.createElement("div");
  box.setAttribute("style", `width: ${maxW}px; height: ${maxH}px; overflow: hidden; padding-bottom: 0.4em; box-sizing: border-box;`);
  host.append(box);
  try {
    const fitted = fitMath(box, latex, { kind, floor: FORMULA_FLOOR, fitHeight: true });
    const lines = [...box.children];
    const top = lines[0].getBoundingClientRect().top;
    const height = Math.min(maxH, Math.ceil(lines.at(-1).getBoundingClientRect().bottom - top) + 8);
    // What app.css says about the lines, written inline: the slide has no stylesheet.
    lines.forEach((line, n) => {
      line.removeAttribute("class");
      line.setAttribute("style", `margin: ${n ? getComputedStyle(line).marginTop : "0"} 0 0; white-space: nowrap;`);
    });
    alignColumns(box);
    box.setAttribute("style", `font-family: ${colours.math}; font-size: ${fitted.fontPx}px; color: ${colours.fg}; line-height: 1.3;`);
    box.removeAttribute("data-layout");
    return { box, blocks: lines.map((line) => line.dataset.latex), height, fontSize: fitted.fontPx };
  } finally {
    host.remove();
  }
}

// Words of runs (split at spaces), for wrapping.
function words(runs) {
  const out = [[]];
  for (const run of runs) {
    if (run.shift) { out[out.length - 1].push(run); continue; }
    run.text.split(/\s+/).forEach((part, n) => {
      if (n > 0) out.push([]);
      if (part) out[out.length - 1].push({ text: part, shift: null });
    });
  }
  return out.filter((w) => w.length);
}

// Greedy word wrap of runs measured with the real font; the size shrinks until it fits `maxLines`.
function wrapRuns(runs, maxW, colours, maxLines = 4) {
  const ctx = document.createElement("canvas").getContext("2d");
  const list = words(runs);
  let lines = [];
  for (const size of [30, 27, 24, 21, 18]) {
    const width = (word) => word.reduce((sum, r) => {
      ctx.font = `${r.shift ? size * SCRIPT : size}px ${colours.font}`;
      return sum + ctx.measureText(r.text).width;
    }, 0);
    ctx.font = `${size}px ${colours.font}`;
    const space = ctx.measureText(" ").width;
    lines = [];
    let line = null, used = 0;
    for (const word of list) {
      const w = width(word);
      if (line && used + space + w > maxW) { lines.push(line); line = null; }
      if (!line) { line = [...word]; used = w; } else { line.push({ text: " ", shift: null }, ...word); used += space + w; }
    }
    if (line) lines.push(line);
    if (lines.length <= maxLines || size === 18) return { lines: lines.slice(0, maxLines + 2), size };
  }
  return { lines, size: 18 };
}

// Lines of runs as one SVG <text>, a <tspan> per line.
function runLines(parent, lines, { x, y, size, fill, family, lineHeight = 1.3 }) {
  const t = make("text", { x, y, fill, "font-size": size, "font-family": family }, parent);
  lines.forEach((runs, n) => make("tspan", { x, dy: n === 0 ? 0 : size * lineHeight }, t).append(...runSpans(runs)));
  return t;
}

function textLines(parent, lines, { x, y, size, fill, family, weight = "400", lineHeight = 1.3 }) {
  const t = make("text", { x, y, fill, "font-size": size, "font-family": family, "font-weight": weight }, parent);
  lines.forEach((line, n) => {
    const span = make("tspan", { x, dy: n === 0 ? 0 : size * lineHeight }, t);
    span.textContent = line;
  });
  return t;
}

/**
 * The slide for step `index` of `trace` as an <svg> element. With mathAsText the formula is
 * only SVG text (a canvas stays untainted by foreignObject content when rasterised).
 */
export function buildSlide(trace, index, { mathAsText = false, view = {} } = {}) {
  const { width: W, height: H } = SLIDE;
  const colours = themeColours();
  const step = trace.steps[index];
  // What the page shows is what the slide shows: a value the quiz hides stays hidden.
  const { formula, narrationLatex } = fillLatex(trace, step, { hidden: !!view.hidden });
  const narrationRuns = toRuns(narrationLatex);
  const narration = runsText(narrationRuns).trim();
  const inner = W - 2 * PAD;

  const svg = make("svg", { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: "img" });
  make("title", {}, svg).textContent = `Backpropagation, step ${index + 1} of ${trace.steps.length}: ${narration}`;
  make("rect", { x: 0, y: 0, width: W, height: H, fill: colours.background }, svg);

  // Header: step number and phase, coloured like the phase.
  const head = textLines(svg, [`Step ${index + 1} / ${trace.steps.length}`], { x: PAD, y: 46, size: 26, fill: colours.muted, family: colours.font, weight: "600" });
  head.setAttribute("data-role", "step");
  const phase = make("tspan", { dx: 18, fill: colours.phase(step.phase), "font-weight": "700" }, head);
  phase.textContent = step.phase.toUpperCase();

  // Bottom up: narration, then the formula above it, the graph takes what is left.
  const text = wrapRuns(narrationRuns, inner, colours);
  const narrationH = text.lines.length * text.size * 1.3;
  const fitted = fitFormula(formula, step.kind, inner, 240, colours);
  const formulaTop = H - PAD - narrationH - GAP - fitted.height;
  const graphH = Math.max(240, formulaTop - GAP - HEADER);

  // Never lay out below the layout's minimum height (320): a short band just zooms less.
  const zoom = Math.max(1, Math.min(GRAPH_ZOOM, graphH / 320));
  const graph = graphSvg(trace, index, Math.round(inner / zoom), Math.round(graphH / zoom), view);
  for (const [k, v] of Object.entries({ x: PAD, y: HEADER, width: inner, height: graphH, preserveAspectRatio: "xMidYMid meet", overflow: "visible" })) graph.setAttribute(k, v);
  graph.removeAttribute("role");
  svg.append(graph);

  const formulaG = make("g", { "data-role": "formula" }, svg);
  const rows = fitted.blocks.flatMap(toLines).length;
  const plainSize = Math.max(14, Math.min(28, fitted.fontSize * 0.85, (fitted.height - 4) / (rows * 1.35)));
  const fallback = () => formulaText(formulaG, fitted.blocks, { x: PAD, y: formulaTop + plainSize, size: plainSize, fill: colours.fg, family: colours.math });
  if (mathAsText) {
    fallback();
  } else {
    // Renderers without HTML in SVG (most slide tools) show the plain-text formula instead.
    const choose = make("switch", {}, formulaG);
    const fo = make("foreignObject", { x: PAD, y: formulaTop, width: inner, height: fitted.height, requiredExtensions: XHTML }, choose);
    fo.append(fitted.box);
    choose.append(fallback());
  }

  const n = runLines(svg, text.lines, { x: PAD, y: H - PAD - narrationH + text.size, size: text.size, fill: colours.fg, family: colours.font });
  n.setAttribute("data-role", "narration");
  return svg;
}

/** The slide as the text of an .svg file. */
export function slideSvgText(trace, index, options) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(buildSlide(trace, index, options))}\n`;
}
