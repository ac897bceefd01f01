// The graph's static SVG, built once per trace and size: arrow markers, the layers everything is
// drawn in, one group per edge, bias tag and neuron carrying the engine's ids verbatim, and the
// geometry the label placer works with (node circles, obstacles, an anchor per element). A dense
// graph's weight edges are built but left out of the document: restingedges.js draws them.
import { setSymbol } from "./svgsym.js";
import { toText } from "./notation.js";

export const SVG = "http://www.w3.org/2000/svg";

export function make(name, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.append(el);
  return el;
}

// Keep a layer's children in `desired` order, moving only what is out of place (a moved element
// restarts its transitions and animations).
export function syncLayer(parent, desired) {
  let at = parent.firstChild;
  for (const el of desired) {
    if (el === at) at = at.nextSibling;
    else parent.insertBefore(el, at);
  }
  while (at) { const next = at.nextSibling; at.remove(); at = next; }
}

// Drawing order, bottom to top: labels never cover a node (the placer sees to that), so their
// cards may sit above the nodes, and the pulses travel over everything.
const LAYERS = ["edges", "biases", "nodes", "leaders", "plates", "labels", "anns", "pulses"];
// Points along an edge its labels may sit at, best first; a dense graph keeps them near the source,
// where its fan of edges is widest apart.
const EDGE_TS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
// Slots tried around a node, best first, by its role: the loss and total columns sit at the right
// of the picture, where a label below them has the most room.
const NODE_ORDER = {
  input: ["below", "above", "left", "below-left", "above-left", "right"],
  total: ["below", "above", "right", "below-right", "above-right", "left"],
};

/**
 * trace, layout -> {svg, layers, elements: Map(id -> <g>), geometry, edgeShapes}; edgeShapes:
 * [{id, seg, back}] ([x1, y1, x2, y2] of the forward and the backward line) of a dense graph's
 * weight edges, whose groups are not in the document.
 * handlers: {onHover(id | null), onEdgeClick(id)}
 * measureTag(latex, px): width of a bias tag's text, so the tag is an honest obstacle.
 */
export function buildSvg(trace, layout, { onHover, onEdgeClick, measureTag }) {
  const svg = make("svg", { viewBox: `0 0 ${layout.width} ${layout.height}`, role: "img",
    "aria-label": "Network graph: inputs on the left, the loss on the right",
    class: [layout.dense && "dense", layout.lecture && "lecture"].filter(Boolean).join(" ") });
  svg.style.setProperty("--node-font", `${layout.font}px`);
  const defs = make("defs", {}, svg);
  for (const [id, cls] of [["arrow-fwd", "arrow-fwd"], ["arrow-back", "arrow-back"]]) {
    const size = layout.lecture ? "20" : "9"; // thick projector edges need bigger heads
    const m = make("marker", { id, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: size, markerHeight: size, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, defs);
    make("path", { d: "M0,1 L9,5 L0,9 z", class: cls }, m);
  }
  const layers = {};
  for (const name of LAYERS) layers[name] = make("g", { class: name }, svg);
  const elements = new Map();
  const anchors = new Map(); // element id -> placer anchor
  const groups = new Map(); // element id -> {id, rank}: which resting group its labels join
  const circles = [];
  const obstacles = [];
  const lastLayer = trace.graph.layers.length - 1;
  const hover = (g, id) => {
    g.addEventListener("pointerenter", () => onHover(id));
    g.addEventListener("pointerleave", () => onHover(null));
  };
  const pos = (id) => layout.nodes[id];

  const ts = EDGE_TS;
  const edgeList = [...trace.graph.edges.map((e) => ({ ...e, loss: false })), ...trace.graph.loss_edges.map((e) => ({ ...e, loss: true }))];
  const layerOf = new Map(trace.graph.nodes.map((n) => [n.id, n.layer]));
  const edgeShapes = [];
  for (const e of edgeList) {
    const a = pos(e.from), b = pos(e.to);
    const apart = layout.dense && !e.loss;
    const g = make("g", { class: e.loss ? "edge loss-edge" : "edge", "data-edge-id": e.id }, apart ? null : layers.edges);
    // Stop short of the circles so the arrowheads stay visible.
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const ux = (b.x - a.x) / len, uy = (b.y - a.y) / len, r = layout.r + 2;
    const x1 = a.x + ux * r, y1 = a.y + uy * r, x2 = b.x - ux * r, y2 = b.y - uy * r;
    make("line", { x1, y1, x2, y2, class: "edge-hit" }, g);
    make("line", { x1, y1, x2, y2, class: "edge-line", "marker-end": "url(#arrow-fwd)" }, g);
    // The backward signal gets its own dashed line beside the forward one: direction and
    // kind read from the dash and arrow, not only from the colour.
    const off = 3.5;
    const back = [x1 - uy * off, y1 + ux * off, x2 - uy * off, y2 + ux * off];
    make("line", { x1: back[0], y1: back[1], x2: back[2], y2: back[3], class: "edge-back", "marker-start": "url(#arrow-back)" }, g);
    if (apart) edgeShapes.push({ id: e.id, seg: [x1, y1, x2, y2], back });
    anchors.set(e.id, { type: "edge", a, b, ts: e.loss ? [0.5, 0.35, 0.65] : ts, onLine: true });
    const layer = layerOf.get(e.to);
    groups.set(e.id, e.loss ? { id: "loss-edges", rank: 3 } : { id: `edges-${layer}`, rank: 10 + layer });
    elements.set(e.id, g);
    hover(g, e.id);
    if (!e.loss) g.addEventListener("click", () => onEdgeClick(e.id));
    make("title", {}, g).textContent = e.loss ? `${e.from} → ${e.to}` : toText(e.symbol);
  }
  // A bias is a small "+b" tag sitting on its neuron: it reads as part of the neuron's sum
  // without a box and a dotted line of its own competing with the weighted edges.
  for (const b of trace.graph.biases || []) {
    const p = layout.biases[b.id];
    const g = make("g", { class: "bias", "data-bias-id": b.id }, layers.biases);
    const w = p.tagged ? Math.max(p.w, measureTag(`+${b.symbol}`, layout.font * 0.8) + 8) : p.w;
    make("rect", { x: p.x - w / 2, y: p.y - p.h / 2, width: w, height: p.h, rx: p.h / 2, class: "bias-box" }, g);
    if (p.tagged) setSymbol(make("text", { x: p.x, y: p.y, class: "node-sym bias-sym" }, g), `+${b.symbol}`);
    make("title", {}, g).textContent = `bias ${toText(b.symbol)}`;
    const box = { x0: p.x - w / 2, x1: p.x + w / 2, y0: p.y - p.h / 2, y1: p.y + p.h / 2 };
    anchors.set(b.id, { type: "box", ...box, order: ["above", "above-right", "above-left", "right", "left"] });
    groups.set(b.id, { id: `biases-${layerOf.get(b.node)}`, rank: 30 + layerOf.get(b.node) });
    obstacles.push(box);
    elements.set(b.id, g);
    hover(g, b.id);
  }
  for (const n of trace.graph.nodes) {
    const p = layout.nodes[n.id];
    const g = make("g", { class: `node role-${n.role}`, "data-node-id": n.id, transform: `translate(${p.x} ${p.y})` }, layers.nodes);
    const r = n.role === "total" ? layout.r * 1.1 : layout.r;
    make("circle", { r, class: "node-circle" }, g);
    const t = make("text", { class: "node-sym" }, g);
    setSymbol(t, n.role === "total" ? "E" : n.symbol);
    make("title", {}, g).textContent = toText(n.symbol);
    circles.push({ id: n.id, x: p.x, y: p.y, r });
    anchors.set(n.id, { type: "node", x: p.x, y: p.y, r, order: NODE_ORDER[n.role] });
    // The loss and the total first: their labels are the point of the forward pass.
    const rank = n.role === "total" ? 0 : n.role === "loss" ? 1 : n.layer === lastLayer ? 2 : 4 + n.layer;
    groups.set(n.id, { id: n.role === "total" || n.role === "loss" ? n.role : `nodes-${n.layer}`, rank });
    elements.set(n.id, g);
    hover(g, n.id);
  }
  const bounds = { x0: 0, y0: 0, x1: layout.width, y1: layout.height };
  if (trace.graph.layers[lastLayer]?.activation === "softmax") {
    obstacles.push(softmaxGroup(trace, layout, layers.edges, measureTag, bounds));
  }
  return { svg, layers, elements, geometry: { bounds, circles, obstacles, anchors, groups }, edgeShapes };
}

// Softmax joins its outputs: one frame around them, captioned with what it guarantees (the
// outputs sum to 1), below the bottom neuron or, where that would leave the picture, above the
// top one. Returns the caption's box, an obstacle for the labels.
const SOFTMAX_CAPTION = "\\text{softmax: } \\sum_k o_k = 1";
function softmaxGroup(trace, layout, parent, measureTag, bounds) {
  const outputs = trace.graph.nodes.filter((n) => n.role === "output").map((n) => layout.nodes[n.id]);
  const px = layout.font * 0.8;
  const width = measureTag(SOFTMAX_CAPTION, px) + 12;
  const x = outputs[0].x, pad = layout.r * 0.45;
  const top = Math.min(...outputs.map((p) => p.y)) - layout.r - pad;
  const bottom = Math.max(...outputs.map((p) => p.y)) + layout.r + pad;
  const h = px * 1.5;
  const below = bottom + h <= bounds.y1 - 2;
  const caption = below ? { y0: bottom, y1: bottom + h } : { y0: top - h, y1: top };
  const half = Math.max(layout.r + pad, width / 2);
  const g = make("g", { class: "softmax-group", "data-testid": "softmax-group" }, parent);
  make("rect", { x: x - half, y: Math.min(top, caption.y0), width: 2 * half, height: Math.max(bottom, caption.y1) - Math.min(top, caption.y0),
    rx: layout.r * 0.6, class: "softmax-frame" }, g);
  setSymbol(make("text", { x, y: (caption.y0 + caption.y1) / 2, class: "softmax-caption", style: `font-size: ${px.toFixed(2)}px` }, g), SOFTMAX_CAPTION);
  make("title", {}, g).textContent = "softmax: the outputs are positive and sum to 1";
  return { x0: x - width / 2, x1: x + width / 2, ...caption };
}
