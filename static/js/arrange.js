// Pure: a step's label blocks (labels.js) -> where each line of each block is drawn. Measures the
// blocks with the given measurer, places them with placer.js and decides the type size:
//   1. the current step's blocks at the active size, shrinking step by step to the floor;
//   2. if they still do not fit, one callout card holding all of them, in columns if need be;
//   3. the resting labels at the resting size, a group at a time (a layer's weights, a layer's
//      neurons ...), each group shown whole or not at all; what does not fit is left to hover.
// Dense graphs put the current edges' values in the callout band the layout keeps free.
import { placeLabels } from "./placer.js";

const SHRINK = 0.92; // each retry of the current step's blocks is this much smaller
/** px from a line's "=" point to its caption's end and to its value's start (graph.js draws at ±EQ_GAP). */
export const EQ_GAP = 3;

/** Sizes of one line of text at px: {ascent, descent, lead, pad}. */
function metrics(measure, px) {
  const { ascent, descent } = measure.line(px);
  return { ascent, descent, lead: px * 0.14, pad: Math.max(3, px * 0.22) };
}

/** Width of the caption and value columns of some lines at px. */
function columns(lines, texts, measure, px, inCallout = false) {
  let cap = 0, val = 0;
  for (const line of lines) {
    const t = texts(line, inCallout);
    cap = Math.max(cap, t.caption === null ? 0 : measure.caption(t.caption, px));
    val = Math.max(val, measure.value(t.value, px));
  }
  return { cap, val };
}

/** A single-column block of lines: its size and, once placed at (x0, y0), each line's origin. */
function stackBlock(id, lines, texts, measure, px) {
  const m = metrics(measure, px);
  const { cap, val } = columns(lines, texts, measure, px);
  const n = lines.length;
  const w = 2 * m.pad + cap + val + 2 * EQ_GAP;
  const h = 2 * m.pad + n * (m.ascent + m.descent) + (n - 1) * m.lead;
  const origins = (x0, y0) => lines.map((line, i) => ({
    ...line, x: x0 + m.pad + cap + EQ_GAP, y: y0 + m.pad + m.ascent + i * (m.ascent + m.descent + m.lead),
  }));
  return { id, w, h, px, origins };
}

export const moreText = (n) => `+ ${n} more`;

/**
 * A callout: lines in columns, filled row by row down to the height allowed (maxH), or in
 * `wantCols` columns; at most maxW wide, and lines that do not fit are counted in a last
 * "+ n more" line (`more`).
 */
function calloutBlock(id, lines, texts, measure, px, maxW, maxH, wantCols = 0) {
  const m = metrics(measure, px);
  const { cap, val } = columns(lines, texts, measure, px, true);
  // The "+ n more" line must fit a column too (n has at most as many digits as the line count).
  const colW = Math.max(cap + val + 2 * EQ_GAP, measure.value(moreText(lines.length), px));
  const colGap = px * 1.2;
  const adv = m.ascent + m.descent + m.lead;
  // As many rows as fit (rows first), or as few as `wantCols` columns need.
  const fitRows = Math.max(1, Math.floor((maxH - 2 * m.pad + m.lead) / adv));
  const rows = wantCols ? Math.min(fitRows, Math.ceil(lines.length / wantCols)) : fitRows;
  const maxCols = Math.max(1, Math.floor((maxW - 2 * m.pad + colGap) / (colW + colGap)));
  let shown = lines.length, more = 0;
  if (Math.ceil(lines.length / rows) > maxCols) {
    shown = rows * maxCols - 1;
    more = lines.length - shown;
  }
  const cells = shown + (more ? 1 : 0);
  const rowsUsed = Math.min(rows, cells);
  const cols = Math.ceil(cells / rowsUsed);
  const w = 2 * m.pad + cols * colW + (cols - 1) * colGap;
  const h = 2 * m.pad + rowsUsed * (m.ascent + m.descent) + (rowsUsed - 1) * m.lead;
  const at = (x0, y0, i) => ({
    x: x0 + m.pad + Math.floor(i / rowsUsed) * (colW + colGap) + cap + EQ_GAP,
    y: y0 + m.pad + m.ascent + (i % rowsUsed) * adv,
  });
  const origins = (x0, y0) => lines.slice(0, shown).map((line, i) => ({ ...line, ...at(x0, y0, i) }));
  // The "more" line starts at its column's left edge rather than at the "=" line.
  const moreAt = more ? (x0, y0) => { const p = at(x0, y0, shown); return { text: moreText(more), count: more, x: p.x - cap - EQ_GAP, y: p.y }; } : null;
  return { id, w, h, px, origins, moreAt, shown };
}

/**
 * plan: labelBlocks(...) output; texts(line) -> {caption (LaTeX or null), value (text)};
 * measure: measure.js measurer; fonts: {rest, active, floor};
 * scene: {bounds, circles, obstacles, anchors: Map(anchor id -> placer anchor), groupOf(anchor id)
 *         -> {id, rank}, band: region | null, home: placer anchor of the step's main element}
 * -> {blocks: [{id, active, px, box, leader, lines: [{...line, x, y}], more}], dropped: [anchor ids]}
 * where (x, y) is a line's "=" point on its baseline.
 */
export function arrangeStep({ plan, texts, measure, fonts, scene }) {
  const base = { bounds: scene.bounds, circles: scene.circles, margin: scene.margin ?? 3, gap: scene.gap ?? 4 };
  const out = [];
  const placedBoxes = [...scene.obstacles];
  const placedLeaders = [];
  const keep = (result, built, active) => {
    for (const b of built) {
      const spot = result.spots.get(b.id);
      if (!spot) continue;
      placedBoxes.push({ x0: spot.x0, y0: spot.y0, x1: spot.x1, y1: spot.y1 });
      if (spot.leader) placedLeaders.push(spot.leader);
      out.push({ id: b.id, active, px: b.px, box: spot, leader: spot.leader, lines: b.origins(spot.x0, spot.y0),
        more: b.moreAt ? b.moreAt(spot.x0, spot.y0) : null });
    }
  };

  // 1 + 2: the current step. Its blocks go first, so resting labels never push them away.
  const sizes = [];
  for (let px = fonts.active; ; px *= SHRINK) {
    sizes.push(Math.max(px, fonts.floor));
    if (px <= fonts.floor) break;
  }
  const build = (blocks, px) => blocks.map((b) => ({ ...stackBlock(b.anchor, b.lines, texts, measure, px), anchor: scene.anchors.get(b.anchor), ownerCircle: b.anchor }));
  const tryPlace = (built, id, scanFallback = true) => placeLabels({ ...base, obstacles: placedBoxes, segments: placedLeaders,
    groups: [{ id, blocks: built }], scanFallback });
  // Lean blocks: the step's own lines only, without the element's earlier value.
  const lean = plan.active.map((b) => ({ ...b, lines: b.lines.filter((l) => l.current) })).filter((b) => b.lines.length);
  const leanDiffers = lean.length !== plan.active.length || lean.some((b, i) => b.lines.length !== plan.active[i].lines.length);
  const calloutLines = plan.callout ? [...plan.callout.lines] : [];
  let done = !plan.active.length;
  // The candidate slots (by the element, then a ring or three out with a leader) at each size,
  // shrinking only when none is free; then, at the floor, a search of the picture around it.
  const attempts = sizes.flatMap((px) => (leanDiffers ? [plan.active, lean] : [plan.active]).map((blocks) => [blocks, px, false]));
  attempts.push([lean, fonts.floor, true]);
  for (const [blocks, px, scan] of attempts) {
    if (done) break;
    const built = build(blocks, px);
    const result = tryPlace(built, "active", scan);
    if (!result.failed.length) { keep(result, built, true); done = true; }
  }
  if (!done) {
    // At the floor, the step's own values stay by their elements where they fit, and the rest
    // (terms first moved out, then what did not fit) is gathered in a callout, its own values
    // first; the band stays free for that callout.
    const core = lean.map((b) => ({ ...b, lines: b.lines.filter((l) => !l.term) })).filter((b) => b.lines.length);
    const built = build(core, fonts.floor);
    const result = placeLabels({ ...base, obstacles: scene.band ? [...placedBoxes, scene.band] : placedBoxes, segments: placedLeaders,
      groups: [{ id: "active", blocks: built }] });
    keep(result, built, true);
    const failed = new Set(result.failed);
    const moved = [...core.filter((b) => failed.has(b.anchor)).flatMap((b) => b.lines), ...lean.flatMap((b) => b.lines.filter((l) => l.term))];
    calloutLines.unshift(...moved);
  }
  if (calloutLines.length) {
    // Where the callout may go, in order: (not in a dense graph) by the step's neuron, whole, in
    // one column, then two ...; then the band the layout keeps free at the bottom, its
    // rows filled first, at each size down to the floor, with "+ n more" for what still does not fit.
    const margin = base.margin;
    const { bounds, band } = scene;
    const shape = (px, cols, region, anchor) => ({ ...calloutBlock("callout", calloutLines, texts, measure, px,
      region.x1 - region.x0 - 2 * margin, region.y1 - region.y0 - 2 * margin, cols), anchor, ownerCircle: scene.homeCircle });
    const shapes = [];
    if (!scene.dense) for (const cols of [1, 2, 3, 4]) shapes.push(shape(fonts.floor, cols, bounds, scene.home));
    // In the band, the size that shows the most lines (the larger one of equals) goes first.
    if (band) {
      const inBand = sizes.map((px) => shape(px, 0, band, { type: "region", ...band, prefer: scene.home.x }));
      shapes.push(...inBand.map((b, i) => ({ b, i })).sort((p, q) => p.b.shown - q.b.shown ? q.b.shown - p.b.shown : p.i - q.i).map((x) => x.b));
    }
    // Near the neuron in the candidate slots only: a callout far from its neuron is the band's job.
    for (const built of shapes) {
      const result = tryPlace([built], "callout", built.anchor.type === "region");
      if (!result.failed.length) { keep(result, [built], true); break; }
    }
  }

  // 3: the resting labels, a group at a time, in the order of their groups' ranks.
  const groups = new Map();
  for (const b of plan.resting) {
    const g = scene.groupOf(b.anchor);
    if (!groups.has(g.id)) groups.set(g.id, { id: g.id, rank: g.rank, atomic: true, blocks: [] });
    groups.get(g.id).blocks.push({ ...stackBlock(b.anchor, b.lines, texts, measure, fonts.rest), anchor: scene.anchors.get(b.anchor), ownerCircle: b.anchor });
  }
  const ordered = [...groups.values()].sort((p, q) => p.rank - q.rank);
  const result = placeLabels({ ...base, obstacles: placedBoxes, segments: placedLeaders, groups: ordered, scanFallback: false });
  for (const g of ordered) keep(result, g.blocks, false);
  const dropped = ordered.filter((g) => result.dropped.includes(g.id)).flatMap((g) => g.blocks.map((b) => b.id));
  return { blocks: out, dropped };
}
