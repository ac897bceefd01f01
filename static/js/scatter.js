// The samples' scatter plot: one dot per sample at its two inputs, coloured by its class (or, for
// a numeric target, along a ramp), with a few ticks and a legend; the sample the walkthrough
// shows is ringed. Where things go is scatterlayout.js's; this only draws it. Clicking a dot asks
// for that sample ("samplechosen", bubbling, detail = its row, 0-based).
import { make } from "./graphsvg.js";
import { CLASS_COLOURS, PLOT, classLabel, scatterLayout, scatterSummary } from "./scatterlayout.js";
import { setSymbol } from "./svgsym.js";
import { toText } from "./notation.js";



const vector = (values) => (values.length === 1 ? String(values[0]) : `(${values.join(", ")})`);

function axes(svg, { ticks }) {
  const { size, left, bottom, top } = PLOT;
  const base = size - bottom;
  make("rect", { class: "scatter-frame", x: left, y: top, width: size - left - PLOT.right, height: base - top }, svg);
  for (const { value, at } of ticks) {
    make("line", { class: "scatter-grid", x1: left + at, x2: left + at, y1: top, y2: base }, svg);
    make("line", { class: "scatter-grid", x1: left, x2: size - PLOT.right, y1: base - at, y2: base - at }, svg);
    make("text", { class: "scatter-tick", x: left + at, y: base + 12, "text-anchor": "middle" }, svg).textContent = value;
    make("text", { class: "scatter-tick", x: left - 4, y: base - at + 3, "text-anchor": "end" }, svg).textContent = value;
  }
  setSymbol(make("text", { class: "scatter-axis", x: left + (size - left - PLOT.right) / 2, y: size - 6, "text-anchor": "middle" }, svg), "x_{n1}");
  const middle = top + (base - top) / 2;
  setSymbol(make("text", { class: "scatter-axis", x: 0, y: 0, "text-anchor": "middle",
    transform: `translate(9 ${middle}) rotate(-90)` }, svg), "x_{n2}");
}

function dot(svg, d, rows, shown) {
  const cls = d.cls !== undefined ? `class-${d.cls % CLASS_COLOURS}` : d.ramp !== undefined ? "ramp" : "unknown";
  const circle = make("circle", { class: `scatter-dot ${cls}${d.n === shown ? " is-shown" : ""}`,
    cx: d.cx, cy: d.cy, r: d.n === shown ? 6.5 : 5, "data-sample": d.n }, svg);
  if (d.ramp !== undefined) circle.style.setProperty("--ramp", `${Math.round(d.ramp * 100)}%`);
  make("title", {}, circle).textContent = `Sample ${d.n + 1}: x = ${vector(rows[d.n].inputs)}, t = ${vector(rows[d.n].targets)}`;
}

function legend(box, colour) {
  const item = (cls, text) => {
    const entry = document.createElement("span");
    entry.className = "scatter-key";
    const swatch = document.createElement("span");
    swatch.className = `scatter-swatch ${cls}`;
    entry.append(swatch, text);
    return entry;
  };
  if (colour.kind === "class") {
    box.replaceChildren(...Array.from({ length: colour.classes }, (_, c) => item(`class-${c % CLASS_COLOURS}`, classLabel(c, colour))));
  } else {
    const round = (v) => String(Number(v.toPrecision(3)));
    box.replaceChildren(item("ramp-low", `${toText("t_{1}")} = ${round(colour.lo)}`), item("ramp-bar", ""),
      item("ramp-high", round(colour.hi)));
  }
}

/** {element, draw(rows, shown)}: rows of two inputs each; `shown` is the row to ring, or null. */
export function createScatter() {
  const element = document.createElement("figure");
  element.className = "samples-scatter";
  const svg = make("svg", { viewBox: `0 0 ${PLOT.size} ${PLOT.size}`, role: "img", "data-testid": "samples-scatter" });
  const key = document.createElement("figcaption");
  key.className = "scatter-legend";
  key.setAttribute("aria-hidden", "true"); // the svg's aria-label says it in words
  element.append(svg, key);
  svg.addEventListener("click", (event) => {
    const n = event.target.closest?.("[data-sample]")?.dataset.sample;
    if (n !== undefined) svg.dispatchEvent(new CustomEvent("samplechosen", { bubbles: true, detail: Number(n) }));
  });

  function draw(rows, shown = null) {
    const layout = scatterLayout(rows);
    svg.replaceChildren();
    svg.setAttribute("aria-label", scatterSummary(layout));
    axes(svg, layout);
    // The shown sample last, so no other dot covers its ring.
    const order = [...layout.dots.filter((d) => d.n !== shown), ...layout.dots.filter((d) => d.n === shown)];
    for (const d of order) dot(svg, d, rows, shown);
    legend(key, layout.colour);
  }
  return { element, draw };
}
