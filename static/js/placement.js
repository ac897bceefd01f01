// Pure label placement: where each stack of value labels goes so stacks do not cover each other.
// Boxes are estimated from font size and character counts (no DOM measuring), so the picture at
// step k is a function of (trace, k) alone. Greedy and deterministic: fixed stacks (under nodes,
// above bias tags) first, then the current step's edge stacks, then the rest; each edge stack tries
// a few points along its edge, on either side, and keeps the first free spot (or the least covered).

const CAP_EM = 0.44; // average caption glyph width (italic math, subscripts shrink it)
const VAL_EM = 0.62; // average digit width in the value font
const PAD = 4;

/** Width of a stack's caption and value columns, either side of its "=" line. */
export function stackWidths(lines, font) {
  const capW = Math.max(0, ...lines.map((l) => l.cap)) * font * CAP_EM + 10;
  const valW = Math.max(0, ...lines.map((l) => l.val)) * font * VAL_EM + 8;
  return { capW, valW };
}

/** The box a stack of `rows` rows covers when its "=" line starts at (x, y) growing `side`. */
export function stackBox(x, y, side, gap, rows, rowHeight, capW, valW) {
  const h = rows * rowHeight + rowHeight * 0.3;
  const top = side === "up" ? y - gap - h : y + gap;
  return { x0: x - capW, x1: x + valW, y0: top, y1: top + h };
}

function overlap(a, b) {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

function cost(box, placed, bounds) {
  let c = 0;
  for (const p of placed) c += overlap(box, p) * (p.weight ?? 1);
  // Leaving the picture is as bad as covering a label of the same size.
  const inside = overlap(box, bounds);
  c += (box.x1 - box.x0) * (box.y1 - box.y0) - inside;
  return c;
}

/**
 * stacks: [{id, rows, rowHeight, capW, valW, priority, fixed?: {x, y, side, gap},
 *           edge?: {a, b, ts: [t...], side, gap, far?}}]
 * obstacles: [{x0, x1, y0, y1, weight?}] (node circles, bias tags)
 * bounds: {x0, x1, y0, y1}
 * -> Map id -> {x, y, side, gap, box}
 */
export function placeStacks(stacks, obstacles, bounds) {
  const placed = obstacles.map((o) => ({ weight: 1, ...o }));
  const out = new Map();
  const order = [...stacks].sort((p, q) => p.priority - q.priority);
  for (const s of order) {
    const cands = [];
    if (s.fixed) {
      cands.push({ ...s.fixed });
    } else {
      const { a, b, ts, side, gap, far } = s.edge;
      const other = side === "up" ? "down" : "up";
      // With large type (lecture mode) a stack may also stand off its edge, into free space.
      for (const extra of far ? [0, 1.5, 3] : [0]) {
        const g = gap + extra * s.rowHeight;
        for (const t of ts) {
          const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
          cands.push({ ...p, side, gap: g }, { ...p, side: other, gap: g });
        }
      }
    }
    let best = null;
    for (const c of cands) {
      const box = stackBox(c.x, c.y, c.side, c.gap, s.rows, s.rowHeight, s.capW, s.valW);
      const k = cost(box, placed, bounds);
      if (!best || k < best.k - 1) best = { ...c, box, k };
      if (k <= 1) break;
    }
    const grown = { x0: best.box.x0 - PAD, x1: best.box.x1 + PAD, y0: best.box.y0, y1: best.box.y1, weight: s.active ? 4 : 1 };
    placed.push(grown);
    out.set(s.id, best);
  }
  return out;
}
