// The decision boundary of a 2-input network: a heat map of its output over the grid POST
// /api/boundary evaluated, with the dataset's points on it in the samples scatter's class colours
// (scatterlayout.js decides a sample's class; the colours are app.css's).
import { make } from "./graphsvg.js";
import { CLASS_COLOURS, colouring, colourOf } from "./scatterlayout.js";

const SIZE = 240;


/**
 * A grid cell's class and strength (0..1): one output is read as the probability of class 1
 * (clamped to [0, 1]: a tanh's -1 is as "class 0" as a sigmoid's 0); several outputs as the
 * largest one's class, stronger the more it leads.
 */
export function cellShade(values) {
  if (values.length === 1) {
    const p = Math.max(0, Math.min(1, values[0] ?? 0.5));
    return { cls: p >= 0.5 ? 1 : 0, strength: Math.abs(p - 0.5) * 2 };
  }
  const sorted = [...values].sort((a, b) => b - a);
  return { cls: values.indexOf(sorted[0]), strength: Math.min(1, Math.max(0, sorted[0] - sorted[1])) };
}

/** {element, draw(grid, samples)}: grid is /api/boundary's answer; samples are [{inputs, targets}]. */
export function createBoundary() {
  const svg = make("svg", { viewBox: `0 0 ${SIZE} ${SIZE}`, role: "img", class: "boundary-map", "data-testid": "decision-boundary" });

  function draw({ x, outputs }, samples, label) { // y is the same axis as x: the grid is square
    svg.replaceChildren();
    svg.setAttribute("aria-label", label);
    const n = x.length, cell = SIZE / n;
    const lo = x[0], span = x[n - 1] - x[0];
    // Grid point (col, row) is the centre of its cell; row 0 is the lowest y, drawn at the bottom.
    const cells = make("g", { class: "boundary-cells", "shape-rendering": "crispEdges" }, svg);
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        const { cls, strength } = cellShade(outputs.map((o) => o[row][col]));
        make("rect", { class: `boundary-cell class-${cls % CLASS_COLOURS}`, x: (col * cell).toFixed(2),
          y: ((n - 1 - row) * cell).toFixed(2), width: cell.toFixed(2), height: cell.toFixed(2),
          "fill-opacity": (0.12 + 0.6 * strength).toFixed(2) }, cells);
      }
    }
    // Points at their place on the same [-1.2, 1.2] square (the grid's cells are centred on x, y).
    const place = (v) => ((v - lo) / span) * (SIZE - cell) + cell / 2;
    const colour = colouring(samples);
    for (const s of samples) {
      const c = colourOf(s.targets, colour);
      make("circle", { class: `boundary-dot class-${(c.cls ?? 0) % CLASS_COLOURS}`, cx: place(s.inputs[0]).toFixed(1),
        cy: (SIZE - place(s.inputs[1])).toFixed(1), r: samples.length > 50 ? 3.5 : 6 }, svg);
    }
  }
  return { element: svg, draw };
}
