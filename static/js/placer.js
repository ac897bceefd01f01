// Pure label placer: puts boxes of text into candidate slots around their node, along their
// edge or beside their tag, so that no two boxes meet, no box touches a node circle and none
// leaves the picture. Greedy over groups in priority order, first free slot wins, so the same
// input always gives the same picture. No DOM: tests/js/placer.test.mjs runs it in Node.
//
// A slot further from its element than its first ring gets a leader line back to it, and a
// leader may cross neither a placed box nor another node. A group marked `atomic` is placed
// whole or not at all (a layer's weights all show, or none do, rather than a random few).

const SQRT1_2 = Math.SQRT1_2;
// Slots around a node, as unit directions from its centre, in the order they are tried.
export const NODE_DIRS = {
  below: [0, 1], above: [0, -1], right: [1, 0], left: [-1, 0],
  "below-right": [SQRT1_2, SQRT1_2], "below-left": [-SQRT1_2, SQRT1_2],
  "above-right": [SQRT1_2, -SQRT1_2], "above-left": [-SQRT1_2, -SQRT1_2],
};
const DEFAULT_NODE_ORDER = ["below", "above", "right", "left", "below-right", "above-right", "below-left", "above-left"];
const DEFAULT_TS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];

/** Box of width w and height h whose side faces the point (x, y) from direction (dx, dy) at distance d. */
function boxFrom(x, y, dx, dy, d, w, h) {
  // The box's centre sits so that its nearest side (or corner) is d away along the direction.
  const cx = x + dx * d + Math.sign(Math.round(dx * 1e6)) * w / 2;
  const cy = y + dy * d + Math.sign(Math.round(dy * 1e6)) * h / 2;
  return { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 };
}

function nearestPoint(box, x, y) {
  return { x: Math.max(box.x0, Math.min(x, box.x1)), y: Math.max(box.y0, Math.min(y, box.y1)) };
}

function boxesMeet(a, b, m) {
  return a.x0 < b.x1 + m && b.x0 < a.x1 + m && a.y0 < b.y1 + m && b.y0 < a.y1 + m;
}

function boxMeetsCircle(box, c, m) {
  const p = nearestPoint(box, c.x, c.y);
  return (p.x - c.x) ** 2 + (p.y - c.y) ** 2 < (c.r + m) ** 2;
}

// Liang–Barsky: does the segment p-q pass through the box?
function segmentMeetsBox(p, q, box) {
  let t0 = 0, t1 = 1;
  const dx = q.x - p.x, dy = q.y - p.y;
  const clip = (num, den) => {
    if (den === 0) return num >= 0;
    const t = num / den;
    if (den > 0) { if (t < t0) return false; if (t < t1) t1 = t; } else { if (t > t1) return false; if (t > t0) t0 = t; }
    return true;
  };
  return clip(p.x - box.x0, -dx) && clip(box.x1 - p.x, dx) && clip(p.y - box.y0, -dy) && clip(box.y1 - p.y, dy) && t0 <= t1;
}

function segmentMeetsCircle(p, q, c, m) {
  const dx = q.x - p.x, dy = q.y - p.y;
  const len2 = dx * dx + dy * dy || 1;
  const t = Math.max(0, Math.min(1, ((c.x - p.x) * dx + (c.y - p.y) * dy) / len2));
  return (p.x + t * dx - c.x) ** 2 + (p.y + t * dy - c.y) ** 2 < (c.r + m) ** 2;
}

/**
 * Offers the candidate boxes of one block to `visit(box, from)`, best first, until it returns
 * true; `from` is the point on the element a leader line starts at (null when the box sits right
 * by its element). Visitors rather than generators: this is the placer's hot loop.
 *
 * block.anchor is one of
 *   {type: "node", x, y, r, order?: [dir names]}        slots around a circle
 *   {type: "edge", a: {x, y}, b: {x, y}, ts?: [t...]}    slots beside (then on) a segment
 *   {type: "box", x0, y0, x1, y1, order?: [dir names]}   slots around a small box (a bias tag)
 *   {type: "region", x0, y0, x1, y1, prefer?: x}           anywhere inside a reserved region
 */
export function candidates(block, scene, visit) {
  const { w, h } = block;
  const a = block.anchor;
  const gap = scene.gap;
  const rings = scene.rings;
  const step = Math.max(h, 12);
  if (a.type === "node" || a.type === "box") {
    const order = a.order || DEFAULT_NODE_ORDER;
    const cx = a.type === "node" ? a.x : (a.x0 + a.x1) / 2;
    const cy = a.type === "node" ? a.y : (a.y0 + a.y1) / 2;
    // How far the element reaches from its centre in a direction (a circle, or a box's half sizes).
    const reach = (dx, dy) => (a.type === "node" ? a.r : Math.abs(dx) * (a.x1 - a.x0) / 2 + Math.abs(dy) * (a.y1 - a.y0) / 2);
    for (let k = 0; k <= rings; k++) {
      for (const name of order) {
        const [dx, dy] = NODE_DIRS[name];
        const d = reach(dx, dy) + gap + k * step;
        const box = boxFrom(cx, cy, dx, dy, d, w, h);
        if (visit(box, k === 0 ? null : { x: cx + dx * reach(dx, dy), y: cy + dy * reach(dx, dy) })) return true;
      }
    }
  } else if (a.type === "edge") {
    const len = Math.hypot(a.b.x - a.a.x, a.b.y - a.a.y) || 1;
    const ux = (a.b.x - a.a.x) / len, uy = (a.b.y - a.a.y) / len;
    // The upper side first (screen y grows downwards); a vertical edge: the right side first.
    let nx = -uy, ny = ux;
    if (ny > 1e-9 || (Math.abs(ny) <= 1e-9 && nx < 0)) { nx = -nx; ny = -ny; }
    const ts = a.ts || DEFAULT_TS;
    for (let k = 0; k <= rings; k++) {
      for (const t of ts) {
        const p = { x: a.a.x + (a.b.x - a.a.x) * t, y: a.a.y + (a.b.y - a.a.y) * t };
        for (const s of [1, -1]) {
          const dx = s * nx, dy = s * ny;
          const d = gap + k * step + Math.abs(dx) * w / 2 + Math.abs(dy) * h / 2;
          const cx = p.x + dx * d, cy = p.y + dy * d;
          const box = { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 };
          if (visit(box, k === 0 ? null : p)) return true;
        }
        // Right on the edge, covering it: the block's card reads as the edge's own label.
        if (k === 0 && a.onLine && visit({ x0: p.x - w / 2, y0: p.y - h / 2, x1: p.x + w / 2, y1: p.y + h / 2 }, null)) return true;
      }
    }
  } else if (a.type === "region") {
    // Top to bottom in the region, on a grid a few pixels fine; in a row, closest first to the
    // x the block would like to be centred on (under its neuron), else left to right.
    const sx = Math.max(4, Math.min(w, 24)), sy = Math.max(4, Math.min(h, 12));
    const xs = [];
    for (let x = a.x0 + scene.margin; x + w <= a.x1 - scene.margin + 1e-6; x += sx) xs.push(x);
    const right = a.x1 - scene.margin - w;
    if (right >= a.x0 + scene.margin && !xs.includes(right)) xs.push(right);
    if (a.prefer !== undefined) xs.sort((p, q) => Math.abs(p + w / 2 - a.prefer) - Math.abs(q + w / 2 - a.prefer) || p - q);
    for (let y = a.y0 + scene.margin; y + h <= a.y1 - scene.margin + 1e-6; y += sy) {
      for (const x of xs) if (visit({ x0: x, y0: y, x1: x + w, y1: y + h }, null)) return true;
    }
  }
  return false;
}

// Every point a leader line may start from, and where on the picture the block would like to be.
function home(block) {
  const a = block.anchor;
  if (a.type === "node") return { x: a.x, y: a.y, r: a.r };
  if (a.type === "box") return { x: (a.x0 + a.x1) / 2, y: (a.y0 + a.y1) / 2, r: 0 };
  if (a.type === "edge") {
    const t = (a.ts || DEFAULT_TS)[0];
    return { x: a.a.x + (a.b.x - a.a.x) * t, y: a.a.y + (a.b.y - a.a.y) * t, r: 0 };
  }
  return null;
}

/**
 * Fallback when no slot near the element is free: the nearest free spot of a grid around the
 * element, visited ring by ring outwards (so the search stops at the first free spot instead of
 * sorting the whole grid), joined to the element by a leader line.
 */
function scan(block, scene, visit) {
  const at = home(block);
  if (!at) return false;
  const { w, h } = block;
  const { bounds, margin } = scene;
  // A grid a quarter of the block wide and half of it high: finer finds nothing a block could use,
  // and the whole picture is at most a few thousand spots.
  const sx = Math.max(8, w / 4), sy = Math.max(8, h / 2);
  const minX = bounds.x0 + margin, maxX = bounds.x1 - margin - w;
  const minY = bounds.y0 + margin, maxY = bounds.y1 - margin - h;
  if (maxX < minX || maxY < minY) return false; // larger than the picture
  // Within a third of the picture's larger side: a label further away than that, at the end of a
  // long leader line, reads worse than the callout the caller falls back to.
  const reach = Math.max(bounds.x1 - bounds.x0, bounds.y1 - bounds.y0) / 3;
  const rings = Math.ceil(Math.max(reach / sx, reach / sy));
  for (let i = 1; i <= rings; i++) {
    for (const [dx, dy] of ringOffsets(i)) {
      // Spots past the picture's edge are pulled back inside it (the grid need not line up with
      // the edges), but only from one step beyond it, so no spot is tried twice over.
      let x0 = at.x + dx * sx - w / 2, y0 = at.y + dy * sy - h / 2;
      if (x0 < minX - sx || x0 > maxX + sx || y0 < minY - sy || y0 > maxY + sy) continue;
      x0 = Math.min(Math.max(x0, minX), maxX);
      y0 = Math.min(Math.max(y0, minY), maxY);
      const box = { x0, y0, x1: x0 + w, y1: y0 + h };
      const p = nearestPoint(box, at.x, at.y);
      const len = Math.hypot(p.x - at.x, p.y - at.y) || 1;
      if (visit(box, { x: at.x + (p.x - at.x) / len * at.r, y: at.y + (p.y - at.y) / len * at.r })) return true;
    }
  }
  return false;
}

// The grid cells at Chebyshev distance i from the centre, nearest first (then top to bottom,
// left to right): the same for every scan, so worked out once.
const RINGS = [];
function ringOffsets(i) {
  if (!RINGS[i]) {
    const ring = [];
    for (let dy = -i; dy <= i; dy++) {
      const step = Math.abs(dy) === i ? 1 : 2 * i; // whole top and bottom rows, the two ends of the others
      for (let dx = -i; dx <= i; dx += step) ring.push([dx, dy]);
    }
    ring.sort((p, q) => p[0] ** 2 + p[1] ** 2 - q[0] ** 2 - q[1] ** 2 || p[1] - q[1] || p[0] - q[0]);
    RINGS[i] = ring;
  }
  return RINGS[i];
}

/**
 * A scene: what is already on the picture (circles, boxes, leader lines), and whether a box or a
 * leader line fits in it. Everything is kept in a grid of buckets, so a test looks only at what
 * is near the box or line it tests: a scan tries thousands of boxes.
 */
function createScene({ bounds, circles, obstacles = [], segments = [], margin = 3, gap = 4, rings = 3 }) {
  const CELL = 48;
  const buckets = new Map();
  const added = []; // in order, so a group's additions can be rolled back
  let stamp = 0;
  const cellOf = (v) => Math.floor(v / CELL);
  function each(x0, y0, x1, y1, fn) {
    for (let cx = cellOf(x0); cx <= cellOf(x1); cx++) {
      for (let cy = cellOf(y0); cy <= cellOf(y1); cy++) fn(cx * 65536 + cy);
    }
  }
  function add(item, x0, y0, x1, y1) {
    each(x0, y0, x1, y1, (key) => {
      if (!buckets.has(key)) buckets.set(key, []);
      buckets.get(key).push(item);
    });
    added.push(item);
  }
  // Whether any live item near the region passes `test` (each item tested once).
  function any(x0, y0, x1, y1, test) {
    stamp += 1;
    let hit = false;
    each(x0, y0, x1, y1, (key) => {
      if (hit) return;
      for (const item of buckets.get(key) || []) {
        if (item.dead || item.stamp === stamp) continue;
        item.stamp = stamp;
        if (test(item)) { hit = true; return; }
      }
    });
    return hit;
  }
  const addCircle = (c) => add({ c }, c.x - c.r, c.y - c.r, c.x + c.r, c.y + c.r);
  const addBox = (b) => add({ b }, b.x0, b.y0, b.x1, b.y1);
  const addLeader = (p, q) => add({ p, q }, Math.min(p.x, q.x), Math.min(p.y, q.y), Math.max(p.x, q.x), Math.max(p.y, q.y));
  circles.forEach(addCircle);
  obstacles.forEach(addBox);
  segments.forEach((s) => addLeader({ x: s.x1, y: s.y1 }, { x: s.x2, y: s.y2 }));
  const fixed = added.length;
  return {
    bounds, margin, gap, rings, addBox, addLeader,
    /** A mark to roll back to: what was added after it is forgotten. */
    mark: () => added.length,
    rollback(to) {
      for (const item of added.splice(Math.max(to, fixed))) item.dead = true;
    },
    fits(box) {
      const m = margin;
      if (box.x0 < bounds.x0 + m || box.y0 < bounds.y0 + m || box.x1 > bounds.x1 - m || box.y1 > bounds.y1 - m) return false;
      return !any(box.x0 - m, box.y0 - m, box.x1 + m, box.y1 + m, (it) => (it.c ? boxMeetsCircle(box, it.c, m)
        : it.b ? boxesMeet(box, it.b, m) : segmentMeetsBox(it.p, it.q, box)));
    },
    leaderFits(p, q, box, ownerCircle) {
      return !any(Math.min(p.x, q.x) - 2, Math.min(p.y, q.y) - 2, Math.max(p.x, q.x) + 2, Math.max(p.y, q.y) + 2,
        (it) => (it.b ? segmentMeetsBox(p, q, it.b) : it.c ? it.c !== ownerCircle && segmentMeetsCircle(p, q, it.c, 1) : false));
    },
  };
}

/**
 * groups: [{id, atomic?, blocks: [{id, w, h, anchor, ownerCircle?: circle id}]}], best first;
 * obstacles: boxes already on the picture; segments: leader lines already drawn ({x1, y1, x2, y2}).
 * -> {spots: Map(block id -> {x0, y0, x1, y1, leader: null | {x1, y1, x2, y2}}),
 *     dropped: [group ids placed not at all], failed: [block ids without a spot]}
 */
export function placeLabels({ bounds, circles, obstacles, segments, groups, margin, gap, rings, scanFallback = true }) {
  const scene = createScene({ bounds, circles, obstacles, segments, margin, gap, rings });
  const circleById = new Map(circles.map((c) => [c.id, c]));
  const spots = new Map();
  const dropped = [];
  const failed = [];
  for (const group of groups) {
    const mark = { scene: scene.mark(), ids: [] };
    let ok = true;
    for (const block of group.blocks) {
      const spot = placeOne(block, scene, circleById.get(block.ownerCircle), scanFallback && !group.atomic);
      if (spot) {
        spots.set(block.id, spot);
        mark.ids.push(block.id);
      } else {
        failed.push(block.id);
        ok = false;
        if (group.atomic) break;
      }
    }
    if (!ok && group.atomic) {
      scene.rollback(mark.scene);
      for (const id of mark.ids) spots.delete(id);
      dropped.push(group.id);
    }
  }
  return { spots, dropped, failed };
}

function placeOne(block, scene, ownerCircle, withScan) {
  let spot = null;
  const visit = (box, from) => {
    if (!scene.fits(box)) return false;
    let leader = null;
    if (from) {
      const q = nearestPoint(box, from.x, from.y);
      if (!scene.leaderFits(from, q, box, ownerCircle)) return false;
      leader = { x1: from.x, y1: from.y, x2: q.x, y2: q.y };
      scene.addLeader(from, q);
    }
    scene.addBox(box);
    spot = { ...box, leader };
    return true;
  };
  if (!candidates(block, scene, visit) && withScan) scan(block, scene, visit);
  return spot;
}
