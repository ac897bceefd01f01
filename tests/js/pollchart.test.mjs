// The poll's histogram, measured from the SVG it builds: bar heights in proportion to the counts,
// the correct bin (and only it) marked by a class and a text marker, labels written as text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { POLL_CHART, pollChart } from "../../static/js/pollchart.js";

// A DOM just large enough for the chart, which refuses markup: setting innerHTML throws.
class FakeElement {
  constructor(tag) { this.tag = tag; this.attributes = {}; this.children = []; this.text = ""; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  append(...nodes) { this.children.push(...nodes); }
  set textContent(value) { this.text = String(value); }
  get textContent() { return this.text + this.children.map((c) => c.textContent).join(""); }
  set innerHTML(_) { throw new Error("innerHTML used"); }
  set outerHTML(_) { throw new Error("outerHTML used"); }
  insertAdjacentHTML() { throw new Error("insertAdjacentHTML used"); }
  all(predicate) { return [this, ...this.children.flatMap((c) => c.all(predicate))].filter(predicate); }
}
const doc = { createElementNS: (_, tag) => new FakeElement(tag) };
const byClass = (svg, cls) => svg.all((n) => (n.attributes.class ?? "").split(" ").includes(cls));

// The worked example's ∂e_total/∂w_21 = -9.6 (tests/data/worked_example.json), answered by a class.
const RESULTS = {
  count: 14, correct: -9.6, right: 5,
  histogram: [
    { label: "−12 to −10", lo: -12, hi: -10, count: 2, correct: false },
    { label: "−10 to −8", lo: -10, hi: -8, count: 5, correct: true },
    { label: "−8 to −6", lo: -8, hi: -6, count: 1, correct: false },
    { label: "−6 to −4", lo: -6, hi: -4, count: 0, correct: false },
    { label: "−", lo: null, hi: null, count: 4, correct: true },
    { label: "+", lo: null, hi: null, count: 2, correct: false },
  ],
};

test("bar heights are in proportion to the counts, the tallest filling the plot", () => {
  const svg = pollChart(RESULTS, { doc });
  const bars = byClass(svg, "poll-bar");
  assert.equal(bars.length, RESULTS.histogram.length);
  const heights = bars.map((b) => Number(b.attributes.height));
  const plot = POLL_CHART.height - POLL_CHART.bottom - POLL_CHART.top;
  assert.equal(Math.max(...heights), plot);
  // count 5 is the tallest: every bar is count / 5 of it, an empty bin has no height.
  RESULTS.histogram.forEach((bin, i) => assert.ok(Math.abs(heights[i] - (plot * bin.count) / 5) < 1e-9, `bin ${i}`));
  // Bars stand on one baseline.
  const bottoms = bars.map((b) => Number(b.attributes.y) + Number(b.attributes.height));
  assert.ok(bottoms.every((y) => Math.abs(y - bottoms[0]) < 1e-9));
  // Each bar's count is written above it; an empty bin has none.
  assert.deepEqual(byClass(svg, "poll-bar-count").map((t) => t.textContent), ["2", "5", "1", "4", "2"]);
});

test("the bins holding the correct value are marked by class and by text, no other", () => {
  const svg = pollChart(RESULTS, { doc });
  const bins = byClass(svg, "poll-bin");
  const marked = bins.filter((g) => g.attributes["data-correct"] === "true");
  // The numeric bin holding -9.6, and the sign bin "−".
  assert.deepEqual(marked.map((g) => g.attributes["data-label"]), ["−10 to −8", "−"]);
  assert.deepEqual(marked.map((g) => [g.attributes["data-lo"], g.attributes["data-hi"]]), [["-10", "-8"], ["", ""]]);
  assert.ok(marked.every((g) => g.attributes.class.includes("is-correct")));
  assert.ok(marked.every((g) => byClass(g, "poll-bar-mark")[0]?.textContent === "✓ correct"));
  assert.equal(byClass(svg, "poll-bar-mark").length, 2);
  // The marker sits above its own bar.
  for (const g of marked) {
    const [bar] = byClass(g, "poll-bar");
    const [mark] = byClass(g, "poll-bar-mark");
    assert.ok(Number(mark.attributes.y) < Number(bar.attributes.y));
    const middle = Number(bar.attributes.x) + Number(bar.attributes.width) / 2;
    assert.ok(Math.abs(Number(mark.attributes.x) - middle) < 1e-9);
  }
  assert.match(svg.attributes["aria-label"], /−10 to −8: 5 \(correct\)/);
});

test("with the answer still hidden from the room, no bin is marked", () => {
  const svg = pollChart(RESULTS, { doc, markCorrect: false });
  assert.equal(byClass(svg, "poll-bar-mark").length, 0);
  assert.ok(byClass(svg, "poll-bin").every((g) => g.attributes["data-correct"] === "false" && !g.attributes.class.includes("is-correct")));
  assert.doesNotMatch(svg.attributes["aria-label"], /correct/);
});

test("labels are written as text, markup and all; the chart never parses markup", () => {
  const hostile = '<img src=x onerror="alert(1)">';
  const svg = pollChart({ count: 2, histogram: [{ label: hostile, lo: 0, hi: 1, count: 1, correct: true },
    { label: hostile, lo: null, hi: null, count: 1, correct: false }] }, { doc });
  assert.equal(byClass(svg, "poll-bar-label")[0].textContent, hostile);
  assert.equal(svg.all((n) => n.tag === "title")[0].textContent, `${hostile}: 1`);
  assert.equal(svg.all((n) => n.tag === "img").length, 0);
  const source = readFileSync(new URL("../../static/js/pollchart.js", import.meta.url), "utf8");
  assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|DOMParser|createContextualFragment/);
});

test("no answers: no bars, no ticks, an empty summary", () => {
  const svg = pollChart({ count: 0, histogram: [] }, { doc });
  assert.equal(byClass(svg, "poll-bar").length, 0);
  assert.equal(byClass(svg, "poll-tick").length, 0);
  assert.equal(svg.attributes["aria-label"], "No answers yet.");
});

test("the y axis ticks are whole numbers of students, at their heights", () => {
  const svg = pollChart(RESULTS, { doc });
  const ticks = byClass(svg, "poll-tick");
  assert.deepEqual(ticks.map((t) => t.textContent), ["0", "2", "4"]);
  const base = POLL_CHART.height - POLL_CHART.bottom;
  const perStudent = (base - POLL_CHART.top) / 5;
  const lines = byClass(svg, "poll-grid").map((l) => Number(l.attributes.y1));
  assert.deepEqual(lines.map((y) => Math.round((base - y) / perStudent * 1e9) / 1e9), [0, 2, 4]);
});

test("the numeric bins are named by their edges under the axis, thinned to fit, first and last kept", () => {
  const svg = pollChart(RESULTS, { doc });
  assert.deepEqual(byClass(svg, "poll-edge").map((t) => t.textContent), ["−12", "−10", "−8", "−6", "−4"]);
  // Each edge sits between two bars: after the end of one, before the start of the next.
  const bars = byClass(svg, "poll-bar").map((b) => [Number(b.attributes.x), Number(b.attributes.x) + Number(b.attributes.width)]);
  const xs = byClass(svg, "poll-edge").map((t) => Number(t.attributes.x));
  for (let i = 1; i < 4; i += 1) assert.ok(bars[i - 1][1] < xs[i] && xs[i] < bars[i][0], `edge ${i}`);
  // The sign bins keep their own labels.
  assert.deepEqual(byClass(svg, "poll-bar-label").map((t) => t.textContent), ["−", "+"]);
  const many = Array.from({ length: 9 }, (_, i) => ({ label: `${i}`, lo: i * 0.5, hi: (i + 1) * 0.5, count: 1, correct: false }));
  const edges = byClass(pollChart({ count: 9, histogram: many }, { doc }), "poll-edge").map((t) => t.textContent);
  assert.ok(edges.length <= 7, edges.join(" "));
  assert.equal(edges[0], "0");
  assert.equal(edges.at(-1), "4.5");
});
