// The neuron graph: mount() builds the SVG once per trace, render(trace, index) only restyles it,
// so the picture at step index depends on (trace, index) alone and seeking never drifts.
import { computeLayout, along } from "./layout.js";
import { stepAnnotations, activeIds, stepEdges, indexGraph } from "./annotations.js";
import { setSymbol, symbolText } from "./svgsym.js";
import { fmt } from "./formula.js";
import { placeStacks, stackWidths } from "./placement.js";

const SVG = "http://www.w3.org/2000/svg";
const PULSE_MS = 750;
// Above this many weights, an inactive edge's weight value shows only on hover.
const MANY_WEIGHTS = 12;
const HEADLINE = ["new", "fd", "grad", "contribution", "product"];

function make(name, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.append(el);
  return el;
}
const show = (x) => fmt(x);

export function createGraph(container, { onHover = () => {}, onEdgeClick = () => {} } = {}) {
  let v = null; // everything built for the current trace
  let reduced = false;
  let hovered = null;
  let options = {}; // layout options, e.g. {lecture: true}; kept across remounts

  function mount(trace, size) {
    const layout = computeLayout(trace.graph, size, options);
    const byId = indexGraph(trace.graph);
    const svg = make("svg", { viewBox: `0 0 ${layout.width} ${layout.height}`, role: "img",
      "aria-label": "Network graph: inputs on the left, the loss on the right", class: [layout.dense && "dense", layout.lecture && "lecture"].filter(Boolean).join(" ") });
    svg.style.setProperty("--node-font", `${layout.font}px`);
    svg.style.setProperty("--ann-font", `${layout.annFont}px`);
    // The current step's labels never go below a comfortably legible size, however dense the graph.
    const activeFont = Math.max(layout.activeFloor, layout.annFont * 1.12);
    svg.style.setProperty("--ann-active-font", `${activeFont}px`);
    const defs = make("defs", {}, svg);
    for (const [id, cls] of [["arrow-fwd", "arrow-fwd"], ["arrow-back", "arrow-back"]]) {
      const size = layout.lecture ? "20" : "9"; // thick projector edges need bigger heads
      const m = make("marker", { id, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: size, markerHeight: size, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, defs);
      make("path", { d: "M0,1 L9,5 L0,9 z", class: cls }, m);
    }
    const layers = {};
    for (const name of ["edges", "biases", "nodes", "plates", "labels", "anns", "top", "pulses"]) layers[name] = make("g", { class: name }, svg);
    const elements = new Map();
    const pos = (id) => layout.nodes[id] || layout.biases[id];
    // Points along an edge its stack of labels may sit at, best first (placement.js picks one).
    const ts = layout.dense ? [0.25, 0.35, 0.18, 0.45, 0.6] : [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
    const anchors = new Map(); // element id -> {x, y, side} where its stack of labels starts

    const edgeList = [...trace.graph.edges.map((e) => ({ ...e, loss: false })), ...trace.graph.loss_edges.map((e) => ({ ...e, loss: true }))];
    for (const e of edgeList) {
      const a = pos(e.from), b = pos(e.to);
      const g = make("g", { class: e.loss ? "edge loss-edge" : "edge", "data-edge-id": e.id }, layers.edges);
      // Stop short of the circles so the arrowheads stay visible.
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const ux = (b.x - a.x) / len, uy = (b.y - a.y) / len, r = layout.r + 2;
      const x1 = a.x + ux * r, y1 = a.y + uy * r, x2 = b.x - ux * r, y2 = b.y - uy * r;
      make("line", { x1, y1, x2, y2, class: "edge-hit" }, g);
      make("line", { x1, y1, x2, y2, class: "edge-line", "marker-end": "url(#arrow-fwd)" }, g);
      // The backward signal gets its own dashed line beside the forward one: direction and
      // kind read from the dash and arrow, not only from the colour.
      const off = 3.5;
      make("line", { x1: x1 - uy * off, y1: y1 + ux * off, x2: x2 - uy * off, y2: y2 + ux * off, class: "edge-back", "marker-start": "url(#arrow-back)" }, g);
      const p = along(a, b, e.loss ? 0.5 : ts[0]);
      const dy = b.y - a.y;
      const up = dy < -1 || (Math.abs(dy) <= 1 && p.y <= layout.cy + 1);
      anchors.set(e.id, { x: p.x, y: p.y, side: up ? "up" : "down", gap: 7, edge: { a, b, ts: e.loss ? [0.5] : ts } });
      elements.set(e.id, g);
      g.addEventListener("pointerenter", () => onHover(e.id));
      g.addEventListener("pointerleave", () => onHover(null));
      if (!e.loss) g.addEventListener("click", () => onEdgeClick(e.id));
      make("title", {}, g).textContent = e.loss ? `${e.from} → ${e.to}` : symbolText(e.symbol);
    }
    // A bias is a small "+b" tag sitting on its neuron: it reads as part of the neuron's sum
    // without a box and a dotted line of its own competing with the weighted edges.
    const obstacles = [];
    for (const b of trace.graph.biases || []) {
      const p = layout.biases[b.id];
      const g = make("g", { class: "bias", "data-bias-id": b.id }, layers.biases);
      make("rect", { x: p.x - p.w / 2, y: p.y - p.h / 2, width: p.w, height: p.h, rx: p.h / 2, class: "bias-box" }, g);
      const t = make("text", { x: p.x, y: p.y, class: "node-sym bias-sym" }, g);
      setSymbol(t, `+${b.symbol}`);
      make("title", {}, g).textContent = `bias ${symbolText(b.symbol)}`;
      anchors.set(b.id, { x: p.x, y: p.y - p.h / 2, side: "up", gap: 3, fixed: true });
      obstacles.push({ x0: p.x - p.w / 2, x1: p.x + p.w / 2, y0: p.y - p.h / 2, y1: p.y + p.h / 2, weight: 2 });
      elements.set(b.id, g);
      g.addEventListener("pointerenter", () => onHover(b.id));
      g.addEventListener("pointerleave", () => onHover(null));
    }
    for (const n of trace.graph.nodes) {
      const p = layout.nodes[n.id];
      const g = make("g", { class: `node role-${n.role}`, "data-node-id": n.id, transform: `translate(${p.x} ${p.y})` }, layers.nodes);
      make("circle", { r: n.role === "total" ? layout.r * 1.1 : layout.r, class: "node-circle" }, g);
      const t = make("text", { class: "node-sym" }, g);
      setSymbol(t, n.role === "total" ? "E" : n.symbol);
      make("title", {}, g).textContent = symbolText(n.symbol);
      anchors.set(n.id, { x: p.x, y: p.y + layout.r, side: "down", gap: 6, fixed: true });
      // Covering a neuron hides what the picture is about: it costs more than covering a label.
      obstacles.push({ x0: p.x - layout.r, x1: p.x + layout.r, y0: p.y - layout.r, y1: p.y + layout.r, weight: 3 });
      elements.set(n.id, g);
      g.addEventListener("pointerenter", () => onHover(n.id));
      g.addEventListener("pointerleave", () => onHover(null));
    }

    // Given values, always on: each weight and bias, the inputs and the targets.
    const given = [];
    const spec = trace.spec;
    for (const e of trace.graph.edges) {
      const to = byId.get(e.to), from = byId.get(e.from);
      given.push({ anchor: e.id, caption: e.symbol, value: spec.weights[to.layer - 1][to.index][from.index], cls: "weight" });
    }
    for (const b of trace.graph.biases || []) given.push({ anchor: b.id, caption: b.symbol, value: b.bias, cls: "weight" });
    for (const n of trace.graph.nodes) {
      if (n.role === "input") given.push({ anchor: n.id, caption: n.symbol, value: spec.inputs[n.index], cls: "input" });
      if (n.role === "loss") given.push({ anchor: n.id, caption: `t_{${n.index + 1}}`, value: spec.targets[n.index], cls: "target" });
    }
    const givenEls = given.map((item) => ({ ...item, g: labelGroup(layers.labels, item.caption, show(item.value), `given ${item.cls}`) }));

    container.replaceChildren(svg);
    v = { trace, layout, byId, svg, layers, elements, anchors, givenEls, anns: new Map(), lastIndex: null,
      small: trace.graph.edges.length <= 6, many: trace.graph.edges.length > MANY_WEIGHTS, activeFont, obstacles,
      ...indexTrace(trace, byId, givenEls), shown: null };
  }

  // Fixed per trace: each step's annotations, and every stack's place in the order a full render
  // meets the stacks (given labels first, then by an anchor's first annotation), so an update of
  // a few stacks visits them in the same order as a render of them all.
  function indexTrace(trace, byId, givenEls) {
    const stepAnns = trace.steps.map((_, i) => stepAnnotations(trace, i, byId));
    const givenOf = new Map();
    for (const item of givenEls) {
      if (!givenOf.has(item.anchor)) givenOf.set(item.anchor, []);
      givenOf.get(item.anchor).push(item);
    }
    const anchorOrder = [...givenOf.keys()];
    const seen = new Set(anchorOrder);
    const keysOf = new Map(); // anchor -> every key it ever carries, in first-insertion order
    const keyOrder = new Map();
    for (const list of stepAnns) {
      for (const a of list) {
        if (!keyOrder.has(a.key)) keyOrder.set(a.key, keyOrder.size);
        if (!keysOf.has(a.anchor)) keysOf.set(a.anchor, []);
        const keys = keysOf.get(a.anchor);
        if (!keys.includes(a.key)) keys.push(a.key);
        if (!seen.has(a.anchor)) { seen.add(a.anchor); anchorOrder.push(a.anchor); }
      }
    }
    for (const keys of keysOf.values()) keys.sort((p, q) => keyOrder.get(p) - keyOrder.get(q));
    // Elements whose state reads a node's values: its incoming edges, its bias, the loss edge into it.
    const readers = new Map();
    for (const [id, item] of byId) {
      const src = item.type === "bias" ? item.node : item.type === "node" ? null : item.to;
      if (!src) continue;
      if (!readers.has(src)) readers.set(src, []);
      readers.get(src).push(id);
    }
    return { stepAnns, givenOf, anchorOrder, keysOf, readers };
  }

  function labelGroup(parent, caption, value, cls, dataAttrs = null) {
    const g = make("g", { class: `stack-line ${cls}` }, parent);
    // Captions right-aligned and values left-aligned on either side of x = 0 line up the "=" signs.
    const cap = make("text", { class: "cap", x: -3 }, g);
    setSymbol(cap, caption, " =");
    const val = make("text", { class: "val", x: 3 }, g);
    if (dataAttrs) for (const [k, x] of Object.entries(dataAttrs)) val.setAttribute(k, x);
    val.textContent = value;
    return g;
  }

  function place(g, anchor, row, lh) {
    const y = anchor.side === "up" ? anchor.y - anchor.gap - row * lh - lh * 0.3 : anchor.y + anchor.gap + lh * 0.85 + row * lh;
    setAttr(g, "transform", `translate(${anchor.x.toFixed(1)} ${y.toFixed(1)})`);
  }

  // A backing card behind a stack, so its labels read over edges and neighbouring labels.
  function plate(box, parent) {
    return make("rect", { x: (box.x0 - 3).toFixed(1), y: box.y0.toFixed(1), width: (box.x1 - box.x0 + 6).toFixed(1),
      height: (box.y1 - box.y0).toFixed(1), rx: 6, class: "plate" }, parent);
  }

  // The annotations at `index` and the keys whose record differs from the last render's.
  function annotationsAt(trace, index) {
    const prev = v.shown;
    if (prev && index === prev.index + 1) {
      const changed = new Set();
      for (const a of v.stepAnns[index]) { prev.anns.set(a.key, a); changed.add(a.key); }
      return { anns: prev.anns, changed };
    }
    if (prev && index === prev.index) return { anns: prev.anns, changed: new Set() };
    // The same fold as collectAnnotations, over the records kept per step (so unchanged ones compare equal).
    const anns = new Map();
    for (let i = 0; i <= index; i++) for (const a of v.stepAnns[i]) anns.set(a.key, a);
    if (!prev) return { anns, changed: null };
    const changed = new Set();
    for (const [key, a] of prev.anns) if (anns.get(key) !== a) changed.add(key);
    for (const key of anns.keys()) if (!prev.anns.has(key)) changed.add(key);
    return { anns, changed };
  }

  // Keep a layer's children in `desired` order, moving only what is out of place. Whatever the
  // layer held before, it comes out exactly as `desired` (callers have removed everything else).
  function syncLayer(parent, desired) {
    let at = parent.firstChild;
    for (const el of desired) {
      if (el === at) at = at.nextSibling;
      else parent.insertBefore(el, at);
    }
    while (at) { const next = at.nextSibling; at.remove(); at = next; }
  }

  const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };

  // render(trace, index) draws step index as a function of (trace, index) alone. It visits only
  // what can differ from the last rendered step (elements, stacks and labels touched by the two
  // steps' annotations or highlights) when the rest provably stays as it was; otherwise (first
  // render, small or non-dense graphs, where every stack shows and placement is global) it visits
  // everything. Both paths run the same code over a different set, so they give the same DOM.
  function render(trace, index) {
    if (!v || v.trace !== trace) return;
    const step = trace.steps[index];
    const active = activeIds(trace, step, v.byId);
    const prev = v.shown;
    const { anns, changed } = annotationsAt(trace, index);
    // Only dense, non-small graphs show no label off the current step, so only there an
    // untouched stack is known to be unchanged.
    const partial = changed !== null && v.layout.dense && !v.small;

    let dirty = null; // anchors and elements to visit; null = all
    if (partial) {
      dirty = new Set([...active, ...prev.active]);
      for (const key of changed) {
        const a = anns.get(key) || prev.anns.get(key);
        dirty.add(a.anchor).add(a.for);
        for (const r of v.readers.get(a.for) || []) dirty.add(r);
      }
    }
    const visit = (id) => dirty === null || dirty.has(id);

    // Reconcile the annotation elements with the wanted set (keyed, so stepping only adds/removes a few).
    const fresh = [];
    const touched = changed === null ? anns.keys() : changed;
    for (const key of touched) {
      const a = anns.get(key);
      let g = v.anns.get(key);
      if (!a) { if (g) { g.remove(); v.anns.delete(key); } continue; }
      if (!g) {
        g = labelGroup(v.layers.anns, a.caption, "", `ann kind-${a.kind}`, { "data-for": a.for, "data-kind": a.kind, "data-quantity": a.quantity });
        g.caption = a.caption;
        v.anns.set(key, g);
        fresh.push(g);
      }
      if (g.caption !== a.caption) { setSymbol(g.firstChild, a.caption, " ="); g.caption = a.caption; }
      const text = show(a.value);
      if (g.lastChild.textContent !== text) g.lastChild.textContent = text;
    }
    if (changed === null) for (const [key, g] of v.anns) if (!anns.has(key)) { g.remove(); v.anns.delete(key); }

    // Stack every element's labels: given value first, then computed ones in a fixed order.
    const lh = v.layout.lineHeight;
    v.layers.plates.replaceChildren();
    const isEdge = (id) => v.byId.get(id)?.type !== "node";
    // A dense step over many edges (a whole neuron's weights) gets one line per edge: its headline value.
    const crowded = v.layout.dense && [...active].filter(isEdge).length > 2;
    const headline = (list) => HEADLINE.map((q) => list.find((e) => e.a && e.a.step === index && e.a.quantity === q)).find(Boolean);
    const records = [];
    for (const anchorId of v.anchorOrder) {
      if (!visit(anchorId)) continue;
      const list = (v.givenOf.get(anchorId) || []).map((item) => ({ g: item.g, order: -1 }));
      for (const key of v.keysOf.get(anchorId) || []) {
        const a = anns.get(key);
        if (!a || a.anchor !== anchorId) continue;
        const g = v.anns.get(key);
        g.classList.toggle("active", active.has(a.anchor) && a.step === index);
        g.classList.toggle("current", active.has(a.anchor));
        list.push({ g, order: a.order, a });
      }
      const anchor = v.anchors.get(anchorId);
      if (!anchor || !list.length) continue;
      list.sort((p, q) => p.order - q.order);
      const on = active.has(anchorId);
      // Density rules: small graphs keep every label; larger ones show inactive edges' values
      // only as the weight (and with many weights not even that, until hovered); dense ones
      // show only the current step's elements.
      const rowHeight = on ? Math.max(lh, v.activeFont * 1.3) : lh;
      const shown = [];
      const peeks = [];
      const lead = crowded && isEdge(anchorId) ? headline(list) : null;
      for (const entry of list) {
        // Check results of other steps live in the check table; on the graph they would crowd the edges.
        // Once checking or updating, an edge keeps only what that compares against: its weight and gradient.
        const late = (step.phase === "check" || step.phase === "update") && isEdge(anchorId)
          && entry.a && entry.a.kind !== step.phase && entry.a.quantity !== "grad";
        const quiet = (entry.a?.kind === "check" && step.phase !== "check") || late;
        const given = entry.order < 0;
        const visible = (on && !quiet && (!crowded || entry === lead || (!isEdge(anchorId) && entry.a?.step === index)))
          || (v.small && !quiet)
          || (!v.layout.dense && !quiet && (!isEdge(anchorId) || (given && !v.many)));
        const peek = !visible && given && isEdge(anchorId);
        entry.g.classList.toggle("hidden", !visible && !peek);
        entry.g.classList.toggle("peek", peek);
        // A hidden label keeps no position, so how the step was reached leaves no trace in the SVG.
        if (!visible && !peek) entry.g.removeAttribute("transform");
        if (visible) shown.push(entry); else if (peek) peeks.push(entry);
      }
      for (const entry of peeks) place(entry.g, anchor, 0, rowHeight);
      if (!shown.length) continue;
      const font = on ? v.activeFont : v.layout.annFont;
      const { capW, valW } = stackWidths(shown.map((e) => ({ cap: e.g.firstChild.textContent.length, val: e.g.lastChild.textContent.length })), font);
      records.push({
        id: anchorId, rows: shown.length, rowHeight, capW, valW, active: on, shown,
        priority: anchor.fixed ? 0 : on ? 1 : 2,
        fixed: anchor.fixed ? anchor : null,
        edge: anchor.edge ? { ...anchor.edge, side: anchor.side, gap: anchor.gap, far: v.layout.lecture } : null,
      });
    }
    const spots = placeStacks(records, v.obstacles, { x0: 0, x1: v.layout.width, y0: 0, y1: v.layout.height });
    // Home layers hold the resting labels; the current step's stacks, each on its card, go on top.
    const top = [];
    const raised = new Set();
    for (const rec of records) {
      const spot = spots.get(rec.id);
      rec.shown.forEach((entry, row) => place(entry.g, spot, row, rec.rowHeight));
      if (rec.active) {
        top.push(plate(spot.box, v.layers.top));
        for (const entry of rec.shown) { top.push(entry.g); raised.add(entry.g); }
      }
    }
    syncLayer(v.layers.top, top);
    const resting = [];
    for (const item of v.givenEls) if (!raised.has(item.g)) resting.push(item.g);
    syncLayer(v.layers.labels, resting);
    resting.length = 0;
    for (const key of anns.keys()) { const g = v.anns.get(key); if (!raised.has(g)) resting.push(g); }
    syncLayer(v.layers.anns, resting);

    // Element state: what has been computed on it so far, and whether it is the step's subject.
    const has = (id, q) => anns.has(`${id}|${q}`);
    const gradientOn = (id) => (v.keysOf.get(id) || []).some((key) => { const a = anns.get(key); return a && a.anchor === id && a.kind === "gradient"; });
    for (const [id, g] of v.elements) {
      if (!visit(id)) continue;
      const item = v.byId.get(id);
      g.classList.toggle("active", active.has(id));
      if (item.type === "node") {
        g.classList.toggle("computed", has(id, "h") || has(id, "e") || has(id, "E") || item.role === "input");
        // A dedo annotation is keyed by the output it is for.
        g.classList.toggle("has-delta", has(id, "delta") || has(id, "dEdh") || (item.role === "loss" && has(id, "dedo")));
      } else {
        const back = has(id, "grad") || has(id, "contribution") || gradientOn(id);
        const fwd = item.type === "edge" ? has(id, "product") || has(item.to, "a")
          : item.type === "bias" ? has(item.node, "a") : has(item.to, item.to === "E" ? "E" : "e");
        g.classList.toggle("carried", fwd);
        g.classList.toggle("has-grad", back);
        g.classList.toggle("updated", has(id, "new"));
      }
    }
    for (const item of v.givenEls) {
      if (!visit(item.anchor)) continue;
      item.g.classList.toggle("superseded", has(item.anchor, "new"));
      item.g.classList.toggle("current", active.has(item.anchor));
    }
    v.svg.classList.toggle("has-active", active.size > 0);
    setAttr(v.svg, "data-phase", step.phase);
    setAttr(container, "data-step-id", step.id);
    setAttr(container, "data-step-index", String(index + 1));
    setAttr(container, "data-phase", step.phase);

    if (!reduced && v.lastIndex !== null && v.lastIndex !== index) pulse(trace, step);
    v.lastIndex = index;
    v.shown = { index, anns, active };
    if (hovered !== null) for (const g of fresh) g.classList.toggle("hover", g.lastChild.getAttribute("data-for") === hovered);
  }

  // A dot travels along each of the step's edges: forward from source to target, backward the
  // other way as a hollow ring. Purely decorative; the picture after it is the same without it.
  function pulse(trace, step) {
    v.layers.pulses.replaceChildren();
    const edges = stepEdges(trace, step, v.byId).slice(0, 32);
    for (const e of edges) {
      const a = v.layout.nodes[e.from], b = v.layout.nodes[e.to];
      if (!a || !b) continue;
      const [p, q] = e.backward ? [b, a] : [a, b];
      const dot = make("circle", { r: Math.max(4, v.layout.r * 0.3), class: e.backward ? "pulse back" : "pulse" }, v.layers.pulses);
      const anim = dot.animate([{ transform: `translate(${p.x}px, ${p.y}px)`, opacity: 0.2 },
        { transform: `translate(${(p.x + q.x) / 2}px, ${(p.y + q.y) / 2}px)`, opacity: 1, offset: 0.3 },
        { transform: `translate(${q.x}px, ${q.y}px)`, opacity: 0.9 }], { duration: PULSE_MS, easing: "ease-in-out", fill: "forwards" });
      anim.onfinish = () => dot.remove();
    }
  }

  function applyHover() {
    if (!v) return;
    for (const [id, g] of v.elements) g.classList.toggle("hover", id === hovered);
    for (const g of v.anns.values()) g.classList.toggle("hover", g.lastChild.getAttribute("data-for") === hovered);
    for (const item of v.givenEls) item.g.classList.toggle("hover", item.anchor === hovered);
  }

  function highlight(id) {
    hovered = id;
    applyHover();
  }

  function setReducedMotion(on) {
    reduced = !!on;
    if (reduced && v) v.layers.pulses.replaceChildren();
  }

  // Takes effect at the next mount (the caller remounts: sizes are decided by the layout).
  function setOptions(next) {
    options = { ...options, ...next };
  }

  return { mount, render, highlight, setReducedMotion, setOptions };
}
