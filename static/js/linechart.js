// An SVG line chart over training iterations: axes, ticks, one polyline per series, a cursor that
// follows the pointer (or the arrow keys when focused) and a mark where the run diverged. Where
// things go is chartscale.js's; this only draws it and reports the iteration pointed at.
import { CHART, chartLayout, nearestIteration, short } from "./chartscale.js";
import { make } from "./graphsvg.js";

/**
 * {element, draw({lines, count, kind, divergedAt, label}), cursor(i)}. `lines`: [{name, cls, at,
 * values}]. onCursor(i) when the pointer or a key moves the cursor; onPick(i) on a click or Enter.
 */
export function createLineChart({ testid, yLabel, onCursor = () => {}, onPick = () => {} }) {
  const svg = make("svg", { viewBox: `0 0 ${CHART.width} ${CHART.height}`, role: "img", tabindex: "0",
    class: "line-chart", "data-testid": testid });
  let count = 0, at = null, layout = null;
  const cursorLine = make("line", { class: "chart-cursor" });

  function cursor(i) {
    if (!layout || i === null) { cursorLine.remove(); at = null; return; }
    at = Math.max(0, Math.min(count - 1, i));
    const x = layout.x(at);
    for (const [k, v] of Object.entries({ x1: x, x2: x, y1: CHART.top, y2: CHART.height - CHART.bottom })) cursorLine.setAttribute(k, v);
    svg.append(cursorLine);
    svg.dataset.cursor = String(at);
    onCursor(at);
  }
  const pointed = (event) => {
    const box = svg.getBoundingClientRect();
    return nearestIteration(((event.clientX - box.left) / box.width) * CHART.width, count);
  };
  svg.addEventListener("pointermove", (event) => { if (count) cursor(pointed(event)); });
  svg.addEventListener("click", (event) => { if (count) onPick(pointed(event)); });
  svg.addEventListener("keydown", (event) => {
    if (!count) return;
    const step = event.shiftKey ? Math.max(1, Math.round(count / 20)) : 1;
    const moves = { ArrowLeft: -step, ArrowRight: step, Home: -count, End: count };
    if (event.key in moves) cursor((at ?? 0) + moves[event.key]);
    else if (event.key === "Enter" && at !== null) onPick(at);
    else return;
    event.preventDefault();
    event.stopPropagation(); // the player's own arrow keys must not step the walkthrough too
  });

  function draw({ lines, count: n, kind = "linear", divergedAt = null, label }) {
    count = n;
    layout = chartLayout(lines, n, kind);
    svg.replaceChildren();
    svg.setAttribute("aria-label", label);
    const base = CHART.height - CHART.bottom, right = CHART.width - CHART.right;
    make("rect", { class: "chart-frame", x: CHART.left, y: CHART.top, width: right - CHART.left, height: base - CHART.top }, svg);
    for (const { value, at: y } of layout.ticks.y) {
      make("line", { class: "chart-grid", x1: CHART.left, x2: right, y1: y, y2: y }, svg);
      make("text", { class: "chart-tick", x: CHART.left - 4, y: y + 3, "text-anchor": "end" }, svg).textContent = short(value);
    }
    for (const { value, at: x } of layout.ticks.x) {
      make("line", { class: "chart-grid", x1: x, x2: x, y1: base, y2: base + 3 }, svg);
      make("text", { class: "chart-tick", x, y: base + 13, "text-anchor": "middle" }, svg).textContent = value;
    }
    make("text", { class: "chart-axis", x: (CHART.left + right) / 2, y: CHART.height - 2, "text-anchor": "middle" }, svg).textContent = "iteration";
    make("text", { class: "chart-axis", "text-anchor": "middle", transform: `translate(9 ${(CHART.top + base) / 2}) rotate(-90)` }, svg).textContent = yLabel;
    if (divergedAt !== null) {
      const x = layout.x(divergedAt);
      make("line", { class: "chart-diverged", x1: x, x2: x, y1: CHART.top, y2: base, "data-testid": `${testid}-diverged` }, svg);
      make("text", { class: "chart-diverged-label", x: x - 3, y: CHART.top + 10, "text-anchor": "end" }, svg).textContent = "diverged";
    }
    for (const line of layout.lines) {
      for (const points of line.runs) make("polyline", { class: `chart-line ${line.cls ?? ""}`, points, "data-series": line.name }, svg);
    }
    if (at !== null && at < n) cursor(at); else { at = null; delete svg.dataset.cursor; }
  }
  return { element: svg, draw, cursor };
}
