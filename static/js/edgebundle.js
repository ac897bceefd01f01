// Pure geometry of a dense graph's resting edges: one path per look (the classes that decide how
// a resting edge is drawn), made of one "M x1 y1 L x2 y2" segment per edge, and the edge nearest
// a point, which stands in for the per-edge hit areas the combined paths do not have.

// The classes that change how a resting edge looks (app.css): the rest are the same for all.
export const RESTING_LOOKS = ["carried", "has-grad", "updated"];

// A segment's path data, at the precision the picture can show (a tenth of a layout unit).
export const segmentPath = ([x1, y1, x2, y2]) => `M${x1.toFixed(1)} ${y1.toFixed(1)}L${x2.toFixed(1)} ${y2.toFixed(1)}`;

/** An edge's look: the RESTING_LOOKS it has, in that order, joined by spaces ("" for none). */
export function lookOf(has) {
  return RESTING_LOOKS.filter((cls) => has(cls)).join(" ");
}

/**
 * edges: [{id, line: "M..L..", back: "M..L.."}] in drawing order; touched(id): drawn on its own;
 * look(id): lookOf its classes. -> {paths: Map(look -> {line, back, count}), hit, count}: every
 * edge that is not touched, in order, in the path of its look, and all of them in `hit`.
 */
export function restingPaths(edges, touched, look) {
  const parts = new Map();
  const hit = [];
  for (const e of edges) {
    if (touched(e.id)) continue;
    const key = look(e.id);
    if (!parts.has(key)) parts.set(key, { line: [], back: [] });
    const p = parts.get(key);
    p.line.push(e.line);
    p.back.push(e.back);
    hit.push(e.line);
  }
  const paths = new Map();
  for (const [key, p] of parts) paths.set(key, { line: p.line.join(""), back: p.back.join(""), count: p.line.length });
  return { paths, hit: hit.join(""), count: hit.length };
}

/** The id of the segment ([x1, y1, x2, y2] in `seg`) nearest (x, y), closer than `within`, else null; the first of equals. */
export function nearestEdge(x, y, edges, within) {
  let best = null;
  let bestD = within * within;
  for (const e of edges) {
    const [x1, y1, x2, y2] = e.seg;
    const dx = x2 - x1, dy = y2 - y1;
    const len2 = dx * dx + dy * dy || 1;
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / len2));
    const ex = x1 + t * dx - x, ey = y1 + t * dy - y;
    const d = ex * ex + ey * ey;
    if (d < bestD) { bestD = d; best = e.id; }
  }
  return best;
}
