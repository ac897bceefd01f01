// The samples' scatter plot, pure: one scale for both axes, a few round ticks, each sample's
// place and colour class. scatter.js draws what this returns. No DOM here.
import { toText } from "./notation.js";

/** The plot's geometry in SVG units: square, so the two axes share one scale and a circle stays round. */
export const PLOT = { size: 240, left: 34, right: 8, top: 8, bottom: 34 };
// Colours are app.css's (class-0 ... class-3, then again): four hues tell classes apart in both
// themes; the scatter and the decision boundary both colour by class-(c % CLASS_COLOURS).
export const CLASS_COLOURS = 4;
// Room for the dots at the edges, as a share of the data's extent.
const PAD = 0.1;

/**
 * Round tick values (1, 2 or 5 times a power of ten apart) inside [lo, hi], about `count` of
 * them: the step is the first such number not below (hi - lo) / count.
 */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9));
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    // Snap to the step's own decimals: 0.30000000000000004 is 0.3; -0 is 0.
    ticks.push(Number(v.toFixed(Math.max(0, -Math.floor(Math.log10(step))))) + 0);
  }
  return ticks;
}

const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

const isOneHot = (targets) => targets.every((t) => t === 0 || t === 1) && targets.filter((t) => t === 1).length === 1;

/**
 * How samples are coloured: {kind: "class", classes, by} when every target is a class label, by
 * "value" (one output of 0s and 1s), "one-hot" or "largest" (several outputs: the largest one's
 * index); else {kind: "value", lo, hi}: one output, a ramp from its smallest to its largest value.
 */
export function colouring(rows) {
  const outputs = rows[0]?.targets.length ?? 0;
  if (outputs > 1) {
    const numeric = rows.map((r) => r.targets).filter((t) => t.every(isNumber));
    return { kind: "class", classes: outputs, by: numeric.every(isOneHot) ? "one-hot" : "largest" };
  }
  const values = rows.map((r) => r.targets[0]).filter(isNumber);
  if (values.every((t) => t === 0 || t === 1)) return { kind: "class", classes: 2, by: "value" };
  return { kind: "value", lo: Math.min(...values), hi: Math.max(...values) };
}

/** A sample's colour under `colouring`: {cls} (its class), {ramp} (0 to 1) or {} when its targets are not numbers. */
export function colourOf(targets, colour) {
  if (!targets.every(isNumber)) return {};
  if (colour.kind === "class") {
    if (targets.length === 1) return { cls: targets[0] };
    return { cls: targets.indexOf(Math.max(...targets)) };
  }
  return { ramp: colour.hi > colour.lo ? (targets[0] - colour.lo) / (colour.hi - colour.lo) : 0.5 };
}

/** [lo, hi] holding every value with a margin; a single value gets a unit-wide window. */
function domainOf(values) {
  if (!values.length) return [0, 1];
  let lo = Math.min(...values), hi = Math.max(...values);
  if (hi === lo) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * PAD;
  return [lo - pad, hi + pad];
}

/**
 * Where everything goes for rows of two inputs each: {dots, ticks, domain, colour, skipped}.
 * A dot is {n (the row, 0-based), x1, x2, cx, cy, cls | ramp}; rows whose inputs are not both
 * numbers are left out and counted in `skipped`. Both axes use one domain and one scale.
 */
export function scatterLayout(rows, plot = PLOT) {
  const plotted = rows.map((row, n) => ({ row, n })).filter(({ row }) => row.inputs.length === 2 && row.inputs.every(isNumber));
  const domain = domainOf(plotted.flatMap(({ row }) => row.inputs));
  const span = plot.size - plot.left - plot.right; // equal to the height: the plot is square
  const scale = (v) => ((v - domain[0]) / (domain[1] - domain[0])) * span;
  const colour = colouring(rows);
  const dots = plotted.map(({ row, n }) => ({
    n, x1: row.inputs[0], x2: row.inputs[1],
    cx: plot.left + scale(row.inputs[0]), cy: plot.size - plot.bottom - scale(row.inputs[1]),
    ...colourOf(row.targets, colour),
  }));
  const ticks = niceTicks(domain[0], domain[1]).map((value) => ({ value, at: scale(value) }));
  return { dots, ticks, domain, colour, skipped: rows.length - plotted.length };
}

const round = (v) => Number(v.toPrecision(3));

/** A class in the targets' own terms: "t₁ = 0" for one output, "t₂ = 1" (or "t₂ largest") for several. */
export function classLabel(c, colour) {
  if (colour.by === "value") return `${toText("t_{1}")} = ${c}`;
  return `${toText(`t_{${c + 1}}`)} ${colour.by === "one-hot" ? "= 1" : "largest"}`;
}

/** The plot in words, for its aria-label: how many samples, by class or by target range. */
export function scatterSummary({ dots, colour, skipped }) {
  const count = `${dots.length} sample${dots.length === 1 ? "" : "s"}`;
  let by = "";
  if (colour.kind === "class" && dots.length) {
    const sizes = Array.from({ length: colour.classes }, (_, c) => dots.filter((d) => d.cls === c).length);
    by = `: ${sizes.map((k, c) => `${k} with ${classLabel(c, colour)}`).join(", ")}`;
  } else if (colour.kind === "value" && dots.length) {
    by = `, coloured by target from ${round(colour.lo)} to ${round(colour.hi)}`;
  }
  const left = skipped ? `; ${skipped} not shown (inputs that are not numbers)` : "";
  return `Scatter plot of ${count}, first input across, second input up${by}${left}.`;
}
