// Line charts over training iterations, pure: scales (linear or log), round ticks, each series as
// SVG points, and the iteration nearest a pointer. linechart.js draws what this returns. No DOM here.
import { niceTicks } from "./scatterlayout.js";

/** The charts' geometry in SVG units (the plot is stretched by CSS only in width). */
export const CHART = { width: 360, height: 170, left: 50, right: 10, top: 10, bottom: 28 };

const finite = (v) => typeof v === "number" && Number.isFinite(v);

/** Powers of ten inside [lo, hi] (lo > 0), thinned to at most `count` of them. */
export function logTicks(lo, hi, count = 5) {
  const first = Math.ceil(Math.log10(lo) - 1e-9), last = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((last - first + 1) / count));
  const ticks = [];
  for (let p = first; p <= last; p += every) ticks.push(Number(`1e${p}`));
  return ticks;
}

/**
 * The value axis for every finite value of `series` ([[v, ...], ...]): {kind, lo, hi, ticks,
 * map(v) -> 0..1 or null}. A log axis keeps only positive values (a loss of exactly 0 has no
 * place on it) and spans whole decades so its ticks are at its ends.
 */
export function valueAxis(series, kind = "linear") {
  const values = series.flat().filter((v) => finite(v) && (kind === "linear" || v > 0));
  if (!values.length) return { kind, lo: 0, hi: 1, ticks: [], map: () => null };
  let lo = Math.min(...values), hi = Math.max(...values);
  if (kind === "log") {
    lo = Number(`1e${Math.floor(Math.log10(lo))}`); // not 10 ** p: 10 ** -4 is 0.00009999...
    hi = Number(`1e${Math.ceil(Math.log10(hi))}`);
    if (hi === lo) hi = lo * 10;
    const span = Math.log10(hi) - Math.log10(lo);
    return { kind, lo, hi, ticks: logTicks(lo, hi),
      map: (v) => (finite(v) && v > 0 ? (Math.log10(v) - Math.log10(lo)) / span : null) };
  }
  lo = Math.min(lo, 0); // a loss is never below 0: the axis starts there, so a drop reads as its size
  if (hi === lo) hi = lo + 1;
  return { kind, lo, hi, ticks: niceTicks(lo, hi, 5), map: (v) => (finite(v) ? (v - lo) / (hi - lo) : null) };
}

/** Iteration ticks for iterations 0 .. count-1 (whole numbers only). */
export function iterationTicks(count) {
  return niceTicks(0, Math.max(1, count - 1), 5).filter((t) => Number.isInteger(t));
}

/**
 * Where everything goes: {x(i), y(v), ticks: {x: [{value, at}], y: [{value, at}]}, lines:
 * [{...the line's other fields, runs: ["x,y ..."]}]}. `lines` is [{name, at: [iteration...], values: [...]}]; a value
 * that has no place on the axis (null, non-finite, 0 on a log axis) breaks its line there.
 */
export function chartLayout(lines, count, kind = "linear", plot = CHART) {
  const axis = valueAxis(lines.map((l) => l.values), kind);
  const w = plot.width - plot.left - plot.right, h = plot.height - plot.top - plot.bottom;
  const x = (i) => plot.left + (count > 1 ? (i / (count - 1)) * w : w / 2);
  const y = (v) => { const m = axis.map(v); return m === null ? null : plot.top + (1 - m) * h; };
  const round = (v) => Math.round(v * 10) / 10;
  const drawn = lines.map(({ at, values, ...rest }) => {
    const runs = [[]];
    values.forEach((v, j) => {
      const py = y(v);
      if (py === null) { if (runs.at(-1).length) runs.push([]); return; }
      runs.at(-1).push(`${round(x(at[j]))},${round(py)}`);
    });
    return { ...rest, runs: runs.filter((r) => r.length).map((r) => r.join(" ")) };
  });
  return {
    x, y, axis, plot,
    ticks: { x: iterationTicks(count).map((value) => ({ value, at: x(value) })),
      y: axis.ticks.map((value) => ({ value, at: y(value) })) },
    lines: drawn,
  };
}

/** The iteration (0 .. count-1) whose x is nearest `px`, in the chart's SVG units. */
export function nearestIteration(px, count, plot = CHART) {
  const w = plot.width - plot.left - plot.right;
  if (count <= 1) return 0;
  return Math.max(0, Math.min(count - 1, Math.round(((px - plot.left) / w) * (count - 1))));
}

/** A number short enough for a tick or a readout: 3 significant digits, exponent when tiny or huge. */
export function short(v) {
  if (!finite(v)) return "—";
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(1).replace(".0e", "e");
  return String(Number(v.toPrecision(3)));
}

/** The loss curve in words, for its aria-label. */
export function lossSummary(loss, divergedAt = null) {
  const values = loss.filter(finite);
  if (!values.length) return "Loss curve: no finite loss.";
  const end = divergedAt === null ? "" : `; diverged at iteration ${divergedAt}`;
  return `Loss curve: batch loss from ${short(values[0])} to ${short(values.at(-1))} over ${loss.length} iterations${end}.`;
}
