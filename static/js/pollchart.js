// A live poll's answers as an SVG histogram: one bar per bin of the server's results, the count
// above each bar, the numeric bins' edges below (a sign-only bin's "−" or "+" under it), the bin
// holding the correct value marked by colour AND a "✓ correct" label (never colour alone). Everything written into the chart is text nodes: a
// label the server made from what students typed is never read as markup.
import { niceTicks } from "./scatterlayout.js";

/** The chart's geometry in SVG units (CSS stretches it to the card's width). */
export const POLL_CHART = { width: 480, height: 250, left: 40, right: 10, top: 34, bottom: 46, barFill: 0.72 };
const SVG = "http://www.w3.org/2000/svg";
// A little room between the numeric bins and the two sign-only bins (+, −): they are another kind of answer.
const SIGN_GAP = 0.5;

// At most this many numbers under the numeric bins' edges: more would run into each other.
const MAX_EDGE_LABELS = 7;

const isSignBin = (bin) => bin.lo === null || bin.lo === undefined;
// A bin edge as text: the server's edges are round numbers; a typographic minus.
const edgeText = (x) => String(Number(x.toPrecision(9))).replace(/^-/, "\u2212");

/**
 * Where everything goes, pure: {bars: [{x, y, width, height, count, label, correct}], ticks:
 * [{value, y}], edges: [{x, text}], base, max}. Heights are proportional to counts, the tallest reaching the top.
 */
export function pollChartLayout(histogram) {
  const { width, height, left, right, top, bottom, barFill } = POLL_CHART;
  const base = height - bottom;
  const max = Math.max(0, ...histogram.map((bin) => bin.count));
  const gapAt = histogram.findIndex(isSignBin);
  const gap = gapAt > 0 ? SIGN_GAP : 0;
  const slot = (width - left - right) / Math.max(1, histogram.length + gap);
  const scale = max > 0 ? (base - top) / max : 0;
  const bars = histogram.map((bin, i) => {
    const h = bin.count * scale;
    const x = left + slot * (i + (gapAt > 0 && i >= gapAt ? gap : 0)) + (slot * (1 - barFill)) / 2;
    return { x, y: base - h, width: slot * barFill, height: h, count: bin.count, label: String(bin.label), correct: !!bin.correct };
  });
  const ticks = max > 0 ? niceTicks(0, max, Math.min(4, max)).map((value) => ({ value, y: base - value * scale })) : [];
  return { bars, ticks, base, max, edges: edgeLabels(histogram, bars) };
}

/** The numeric bins' edges under the axis, [{x, text}], thinned to MAX_EDGE_LABELS (first and last kept). */
function edgeLabels(histogram, bars) {
  const numeric = histogram.map((bin, i) => [bin, bars[i]]).filter(([bin]) => !isSignBin(bin));
  if (!numeric.length) return [];
  const spacing = bars.length > 1 ? bars[1].x - bars[0].x : bars[0].width;
  const gapHalf = (spacing - bars[0].width) / 2;
  const edges = numeric.map(([bin, bar]) => ({ x: bar.x - gapHalf, text: edgeText(bin.lo) }));
  const [lastBin, lastBar] = numeric.at(-1);
  edges.push({ x: lastBar.x + lastBar.width + gapHalf, text: edgeText(lastBin.hi) });
  const every = Math.ceil(edges.length / MAX_EDGE_LABELS);
  const kept = edges.filter((_, i) => i % every === 0);
  const last = edges.at(-1);
  if (kept.at(-1) !== last) {
    // The last edge closes the range: it is shown, in place of a kept one too close to it.
    if (last.x - kept.at(-1).x < spacing * every * 0.75) kept.pop();
    kept.push(last);
  }
  return kept;
}

/** A sentence for assistive technology: what the bars show. */
export function pollChartSummary(results, { markCorrect = true } = {}) {
  const count = results.count ?? 0;
  if (!count) return "No answers yet.";
  const bins = results.histogram.filter((bin) => bin.count > 0)
    .map((bin) => `${bin.label}: ${bin.count}${markCorrect && bin.correct ? " (correct)" : ""}`);
  return `${count} answer${count === 1 ? "" : "s"}. ${bins.join("; ")}.`;
}

function make(doc, name, attrs, parent, text) {
  const node = doc.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  parent?.append(node);
  return node;
}

/**
 * The histogram of `results` (GET /api/sessions/<id>/polls/<poll_id>: {count, histogram}) as an
 * <svg>. markCorrect false leaves the correct bin unmarked (the page is projected and the poll
 * is still open: the room must not see the answer early).
 */
export function pollChart(results, { markCorrect = true, doc = document } = {}) {
  const { width, height, left, right, top } = POLL_CHART;
  const layout = pollChartLayout(results.histogram ?? []);
  const svg = make(doc, "svg", { viewBox: `0 0 ${width} ${height}`, class: "poll-chart", role: "img",
    "aria-label": pollChartSummary(results, { markCorrect }) });
  for (const { value, y } of layout.ticks) {
    make(doc, "line", { class: "poll-grid", x1: left, x2: width - right, y1: y, y2: y }, svg);
    make(doc, "text", { class: "poll-tick", x: left - 6, y: y + 4, "text-anchor": "end" }, svg, String(value));
  }
  (results.histogram ?? []).forEach((bin, i) => {
    const bar = layout.bars[i];
    const marked = markCorrect && bar.correct;
    const group = make(doc, "g", { class: `poll-bin${marked ? " is-correct" : ""}`, "data-count": bar.count,
      "data-correct": String(marked), "data-lo": bin.lo ?? "", "data-hi": bin.hi ?? "", "data-label": bar.label }, svg);
    make(doc, "title", {}, group, `${bar.label}: ${bar.count}`);
    const middle = bar.x + bar.width / 2;
    make(doc, "rect", { class: "poll-bar", x: bar.x, y: bar.y, width: bar.width, height: bar.height }, group);
    if (bar.count) make(doc, "text", { class: "poll-bar-count", x: middle, y: bar.y - 5, "text-anchor": "middle" }, group, String(bar.count));
    if (marked) make(doc, "text", { class: "poll-bar-mark", x: middle, y: bar.y - (bar.count ? 21 : 5), "text-anchor": "middle" }, group, "✓ correct");
    // A sign bin is named under its bar; the numeric bins by their edges (below).
    if (isSignBin(bin)) make(doc, "text", { class: "poll-bar-label", x: middle, y: layout.base + 17, "text-anchor": "middle" }, group, bar.label);
  });
  for (const edge of layout.edges) {
    make(doc, "line", { class: "poll-edge-tick", x1: edge.x, x2: edge.x, y1: layout.base, y2: layout.base + 4 }, svg);
    make(doc, "text", { class: "poll-edge", x: edge.x, y: layout.base + 17, "text-anchor": "middle" }, svg, edge.text);
  }
  make(doc, "line", { class: "poll-axis-line", x1: left, x2: width - right, y1: layout.base, y2: layout.base }, svg);
  const signs = layout.bars.length > 0 && (results.histogram ?? []).some(isSignBin);
  make(doc, "text", { class: "poll-axis", x: (left + width - right) / 2, y: height - 6, "text-anchor": "middle" }, svg,
    signs ? "answer (− and +: the sign alone)" : "answer");
  make(doc, "text", { class: "poll-axis", "text-anchor": "middle", transform: `translate(12 ${(top + layout.base) / 2}) rotate(-90)` },
    svg, "students");
  return svg;
}
