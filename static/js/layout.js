// Pure layout: the trace's graph + a viewport size -> coordinates and sizes. No DOM.
// Columns are the network's layers left to right, then the loss terms e_k, then the total.
// Sizes shrink with density so a 10x16 network fits, but never below a legible floor.

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

// How wide the gap before each kind of column is, relative to a gap between layers:
// the loss columns hold one node each per output, so they need less room.
const GAP = { network: 1, loss: 0.75, total: 0.6 };

// options.lecture: projector sizes (lecture mode): bigger neurons and type. The values' type is
// sized for a 1920x1080 projector, where the graph gets about 1880x650 px and values are 30 px
// (the current step's never smaller); on a smaller screen it shrinks with the graph.
const lectureFont = (width, height) => clamp(Math.min(width / 62, height / 21), 16, 30);

export function computeLayout(graph, viewport, options = {}) {
  const lecture = !!options.lecture;
  const width = Math.max(480, viewport.width);
  const height = Math.max(320, viewport.height);
  const columns = [];
  for (const node of graph.nodes) {
    (columns[node.layer] ||= []).push(node);
  }
  const maxRows = Math.max(...columns.map((c) => c.length));
  const nNet = graph.layers.length;
  const dense = maxRows > 6 || nNet > 6;
  // Room on the sides for node annotations and the first/last labels.
  const marginX = clamp(width * 0.07, 48, 120);
  const marginY = clamp(height * 0.08, 36, 80);

  const gaps = columns.map((col, l) => (l === 0 ? 0 : GAP[col[0].role === "loss" ? "loss" : col[0].role === "total" ? "total" : "network"]));
  const gapSum = gaps.reduce((a, b) => a + b, 0);
  const unit = (width - 2 * marginX) / Math.max(gapSum, 1);
  const colGap = unit; // the gap between two network layers
  const xs = [];
  let x = marginX;
  columns.forEach((_, l) => { x += gaps[l] * unit; xs.push(x); });

  // One vertical pitch for every column so equal-sized layers line up, capped so a
  // two-neuron layer is not pushed to the very edges of a tall viewport.
  const usable = height - 2 * marginY;
  const pitch = Math.min(usable / Math.max(maxRows, 1), height * 0.42);
  const r = clamp(Math.min(pitch * 0.3, colGap * 0.16), 7, lecture ? 44 : 26);
  const font = clamp(r * 0.72, 9, lecture ? 32 : 19);
  // Annotation text: large for the worked example, small (but legible) when dense.
  const big = lectureFont(width, height);
  // In lecture mode the type follows the room between rows, so a four-neuron layer stays readable.
  const annFont = lecture
    ? clamp(Math.min(pitch * 0.11, colGap * 0.07), dense ? 13 : 16, big)
    : clamp(Math.min(pitch * 0.26, colGap * 0.1), 10.5, 15);
  // The current step's labels never go below this, however dense the graph.
  const activeFloor = lecture ? clamp(pitch * 0.16, 16, big) : 13;
  const cy = height / 2;

  const nodes = {};
  columns.forEach((col, l) => {
    col.forEach((node, k) => {
      nodes[node.id] = { x: xs[l], y: cy + (k - (col.length - 1) / 2) * pitch };
    });
  });
  // A bias is a small "+b" tag just above its neuron; its width follows the symbol's length.
  const biases = {};
  const tagFont = font * 0.8;
  for (const b of graph.biases || []) {
    const n = nodes[b.node];
    const chars = 1 + String(b.symbol).replace(/[_{}\\]/g, "").length;
    const w = chars * tagFont * 0.55 + 8, h = tagFont * 1.45;
    biases[b.id] = { x: n.x, y: n.y - r - h / 2 - 1, w, h };
  }
  return { width, height, nodes, biases, r, font, annFont, activeFloor, lineHeight: annFont * 1.3, pitch, colGap, dense, cy, lecture };
}

// A point at fraction t along the edge from a to b.
export function along(a, b, t) {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}
