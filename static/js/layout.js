// Pure layout: the trace's graph + a viewport size -> coordinates and sizes. No DOM.
// Columns are the network's layers left to right, then the loss terms e_k, then the total.
// Sizes shrink with density so a 10x16 network fits, but type never goes below its floor.

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

// How wide the gap before each kind of column is, relative to a gap between layers:
// the loss columns hold one node each per output, so they need less room.
const GAP = { network: 1, loss: 0.75, total: 0.6 };

// Type of the value labels, in px. Normally 16 px at rest and 18 px for the current step, never
// below 16. Lecture mode sizes the type for a 1920x1080 projector, where the graph gets about
// 1870x650 px: 30 px for the current step, 28 at rest, never below 24; a smaller window scales
// all three down with the graph, to no less than 16 px.
export const TYPE = {
  normal: { rest: 16, active: 18, floor: 16 },
  lectureFull: { rest: 28, active: 30, floor: 24 },
  lectureMin: 16,
};

// The smallest picture laid out; a smaller box shows it scaled down. 320 px wide: a phone held
// upright (a live session's follower, 390 px) gets a layout of its own width, so its type keeps
// the 16 px floor instead of being scaled to 12 (tests/e2e/test_live_follow.py measures it).
export const MIN_SIZE = { width: 320, height: 320 };

export function labelFonts(viewport, { lecture = false } = {}) {
  if (!lecture) return { ...TYPE.normal };
  const { rest, active, floor } = TYPE.lectureFull;
  const scale = clamp(Math.min(viewport.width / 1870, viewport.height / 650), 0, 1);
  const at = (px) => Math.max(TYPE.lectureMin, px * scale);
  return { rest: at(rest), active: at(active), floor: at(floor) };
}

/** Whether only the current step is labelled: a graph walked neuron by neuron, or too big to label. */
export function isDense(graph, granularity) {
  const rows = Math.max(...graph.layers.map((l) => l.size));
  return granularity === "neuron" || rows > 6 || graph.layers.length > 6;
}

/**
 * graph: the trace's graph; viewport: {width, height} of the picture;
 * options: {lecture, dense, reserve: {left, right}, band: px of height kept free at the bottom
 * for the current neuron's callout (dense graphs)}.
 */
export function computeLayout(graph, viewport, options = {}) {
  const lecture = !!options.lecture;
  const width = Math.max(MIN_SIZE.width, viewport.width);
  const height = Math.max(MIN_SIZE.height, viewport.height);
  const columns = [];
  for (const node of graph.nodes) {
    (columns[node.layer] ||= []).push(node);
  }
  const maxRows = Math.max(...columns.map((c) => c.length));
  const dense = options.dense ?? (maxRows > 6 || graph.layers.length > 6);
  const reserve = options.reserve || {};
  const band = options.band || 0;
  // Room on the sides for the first and last columns' labels (the inputs', the total's).
  const marginLeft = Math.max(clamp(width * 0.04, 24, 80), reserve.left || 0);
  const marginRight = Math.max(clamp(width * 0.04, 24, 80), reserve.right || 0);
  const marginY = clamp(height * 0.08, 30, 80);

  const gaps = columns.map((col, l) => (l === 0 ? 0 : GAP[col[0].role === "loss" ? "loss" : col[0].role === "total" ? "total" : "network"]));
  const gapSum = gaps.reduce((a, b) => a + b, 0);
  const unit = (width - marginLeft - marginRight) / Math.max(gapSum, 1);
  const colGap = unit; // the gap between two network layers
  const xs = [];
  let x = marginLeft;
  columns.forEach((_, l) => { x += gaps[l] * unit; xs.push(x); });

  // One vertical pitch for every column so equal-sized layers line up, capped so a
  // two-neuron layer is not pushed to the very edges of a tall viewport.
  const top = marginY;
  // The band is the bottom margin when it is the larger: the bottom row's labels may use it too.
  const bottom = height - Math.max(band, marginY);
  const usable = Math.max(bottom - top, 40);
  const pitch = Math.min(usable / Math.max(maxRows, 1), height * 0.42);
  const r = clamp(Math.min(pitch * 0.28, colGap * 0.15), 7, lecture ? 44 : 26);
  const font = clamp(r * 0.72, 9, lecture ? 32 : 19);
  const cy = (top + bottom) / 2;

  const nodes = {};
  columns.forEach((col, l) => {
    col.forEach((node, k) => {
      nodes[node.id] = { x: xs[l], y: cy + (k - (col.length - 1) / 2) * pitch };
    });
  });
  // A bias is a small "+b" tag just above its neuron; its width follows the symbol's length.
  // Where rows are too close for a tag between two neurons, it shrinks to a dot without text
  // (named in its title and the hover tip), so it never covers the neuron above.
  const biases = {};
  const tagFont = font * 0.8;
  const tagH = tagFont * 1.45;
  const tagged = pitch >= 2 * r + tagH + 6;
  for (const b of graph.biases || []) {
    const n = nodes[b.node];
    const chars = 1 + String(b.symbol).replace(/[_{}\\,]/g, "").length;
    const w = tagged ? chars * tagFont * 0.55 + 8 : Math.max(4, r * 0.5), h = tagged ? tagH : w;
    biases[b.id] = tagged ? { x: n.x, y: n.y - r - h / 2 - 1, w, h, tagged }
      : { x: n.x - r * 0.85, y: n.y - r * 0.85, w, h, tagged };
  }
  const bandBox = band ? { x0: 0, y0: height - band, x1: width, y1: height } : null;
  return { width, height, nodes, biases, r, font, pitch, colGap, dense, cy, lecture, band: bandBox };
}
