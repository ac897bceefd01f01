// The neuron graph: mount() builds the SVG once per trace and size, render(trace, index, view)
// restyles it, so the picture at step index depends on (trace, index, view) alone and seeking
// never drifts. A render runs four pure-ish parts in turn:
//   reconcile  the label elements with the annotations reached so far (annotationsAt, syncLabels)
//   visibility which labels show: labels.js (the step's in full, the latest value of the rest)
//   placement  where they go: arrange.js + placer.js, measured with measure.js
//   classes    what each edge, neuron and bias has been through (styleElements)
import { computeLayout, labelFonts, isDense } from "./layout.js";
import { stepAnnotations, activeIds, stepEdges, indexGraph } from "./annotations.js";
import { labelBlocks, linesByAnchor } from "./labels.js";
import { arrangeStep, EQ_GAP } from "./arrange.js";
import { createMeasurer } from "./measure.js";
import { buildSvg, make, syncLayer } from "./graphsvg.js";
import { createRestingEdges } from "./restingedges.js";
import { setSymbol } from "./svgsym.js";
import { fmt } from "./formula.js";
import { createTip } from "./graphtip.js";

const PULSE_MS = 750;
const PLACE_MEASURE = "place-labels"; // the performance.measure() name of a step's placement

let sharedMeasurer = null;
function measurer() {
  if (!sharedMeasurer) {
    const cs = getComputedStyle(document.body);
    sharedMeasurer = createMeasurer({ math: cs.getPropertyValue("--math-font").trim() || "serif", text: cs.getPropertyValue("--font").trim() || "sans-serif" });
  }
  return sharedMeasurer;
}

export function createGraph(container, { onHover = () => {}, onEdgeClick = () => {} } = {}) {
  let v = null; // everything built for the current trace
  let reduced = false;
  let hovered = null;
  let options = {}; // layout options, e.g. {lecture: true}; kept across remounts
  const tip = createTip(container);

  function mount(trace, size) {
    const byId = indexGraph(trace.graph);
    const measure = measurer();
    const fonts = labelFonts(size, options);
    const dense = isDense(trace.graph, trace.granularity);
    const given = givenItems(trace, byId);
    const layout = computeLayout(trace.graph, size, { ...options, dense, ...reservations(trace, given, fonts, measure, dense, size) });
    const built = buildSvg(trace, layout, { onHover, onEdgeClick, measureTag: measure.symbol });
    // Dense graphs only: there resting edges carry no markers and fade by stroke opacity
    // (app.css), so one combined path draws them as their own lines would.
    const resting = dense ? createRestingEdges(built.layers.edges, built.edgeShapes, built.elements, { onHover, onEdgeClick }) : null;
    const givenEls = new Map();
    for (const item of given) givenEls.set(`given:${item.anchor}`, { ...item, g: labelGroup(built.layers.labels, item.caption, fmt(item.value), `given ${item.cls}`) });
    // A label's size is set when it is placed; this is the size of one that is not (yet) shown.
    built.svg.style.setProperty("--ann-font", `${fonts.rest}px`);
    container.replaceChildren(built.svg);
    tip.attach(container);
    const stepAnns = trace.steps.map((_, i) => stepAnnotations(trace, i, byId));
    v = { trace, layout, byId, fonts, measure, dense, ...built, resting, givenEls, stepAnns, anns: new Map(),
      lines: linesByAnchor(given.map((item) => item.anchor), stepAnns), readers: readersOf(byId),
      lastIndex: null, shown: null, drawn: new Set() };
  }

  function labelGroup(parent, caption, value, cls, dataAttrs = null) {
    const g = make("g", { class: `stack-line ${cls} hidden` }, parent);
    // Captions right-aligned and values left-aligned on either side of x = 0 line up the "=" signs.
    const cap = make("text", { class: "cap", x: -EQ_GAP }, g);
    setSymbol(cap, caption, " =");
    g.caption = caption;
    const val = make("text", { class: "val", x: EQ_GAP }, g);
    if (dataAttrs) for (const [k, x] of Object.entries(dataAttrs)) val.setAttribute(k, x);
    val.textContent = value;
    return g;
  }

  // The annotations at `index` with `sample` shown and the keys whose record differs from the last
  // render's. A mini-batch's steps of other samples add nothing: the graph shows one sample's values.
  function annotationsAt(index, sample) {
    const prev = v.shown;
    const counts = (i) => v.trace.steps[i].sample === undefined || v.trace.steps[i].sample === sample;
    if (prev && prev.sample === sample && index === prev.index + 1) {
      const changed = new Set();
      if (counts(index)) for (const a of v.stepAnns[index]) { prev.anns.set(a.key, a); changed.add(a.key); }
      return { anns: prev.anns, changed };
    }
    if (prev && prev.sample === sample && index === prev.index) return { anns: prev.anns, changed: new Set() };
    // Every step's records folded in order (the records are kept per step, so unchanged ones compare equal).
    const anns = new Map();
    for (let i = 0; i <= index; i++) if (counts(i)) for (const a of v.stepAnns[i]) anns.set(a.key, a);
    if (!prev) return { anns, changed: null };
    const changed = new Set();
    for (const [key, a] of prev.anns) if (anns.get(key) !== a) changed.add(key);
    for (const key of anns.keys()) if (!prev.anns.has(key)) changed.add(key);
    return { anns, changed };
  }

  // Reconcile: one label element per annotation reached, kept in first-reached order, each
  // holding its latest value (hidden until the placement shows it).
  function syncLabels(anns, changed) {
    const keys = changed === null ? anns.keys() : changed;
    for (const key of keys) {
      const a = anns.get(key);
      let g = v.anns.get(key);
      if (!a) { if (g) { g.remove(); v.anns.delete(key); v.drawn.delete(key); } continue; }
      if (!g) {
        g = labelGroup(v.layers.anns, a.caption, "", `ann kind-${a.kind}`, { "data-for": a.for, "data-kind": a.kind, "data-quantity": a.quantity });
        v.anns.set(key, g);
      }
      const text = fmt(a.value);
      if (g.lastChild.textContent !== text) g.lastChild.textContent = text;
      // Another sample's record of the same quantity names its own inputs (w x_21, not w x_11).
      if (g.caption !== a.caption) { setSymbol(g.firstChild, a.caption, " ="); g.caption = a.caption; }
      // The (0-based) step whose value the label holds: tests check the current step's all show.
      setAttr(g, "data-step", String(a.step));
    }
    if (changed === null) for (const [key, g] of v.anns) if (!anns.has(key)) { g.remove(); v.anns.delete(key); v.drawn.delete(key); }
    syncLayer(v.layers.anns, [...anns.keys()].map((key) => v.anns.get(key)));
  }

  const groupOf = (ref) => (ref.startsWith("given:") ? v.givenEls.get(ref).g : v.anns.get(ref));

  // What a line reads: its caption (the longer, self-explaining one inside a callout) and value.
  function textsOf(anns) {
    return (line, inCallout = false) => {
      if (line.ref.startsWith("given:")) {
        const item = v.givenEls.get(line.ref);
        return { caption: item.caption, value: fmt(item.value) };
      }
      const a = anns.get(line.ref);
      return { caption: inCallout && a.longCaption ? a.longCaption : a.caption, value: line.masked ? "?" : fmt(a.value) };
    };
  }

  function render(trace, index, view = {}) {
    if (!v || v.trace !== trace) return;
    const step = trace.steps[index];
    const active = activeIds(trace, step, v.byId);
    const sample = step.sample ?? view.sample ?? 0;
    showSample(sample);
    const { anns, changed } = annotationsAt(index, sample);
    syncLabels(anns, changed);

    const plan = labelBlocks({ anns, lines: v.lines, active, byId: v.byId, index, dense: v.dense, hidden: !!view.hidden, stepAnns: v.stepAnns[index] });
    const texts = textsOf(anns);
    const home = step.elements.find((id) => v.geometry.anchors.get(id)?.type === "node");
    // User Timing (not the DOM): the browser benchmark reads how long placing a step's labels takes.
    const started = performance.now();
    const arranged = arrangeStep({
      plan, texts, measure: v.measure, fonts: v.fonts,
      scene: { ...v.geometry, groupOf: (id) => v.geometry.groups.get(id), band: v.layout.band,
        home: v.geometry.anchors.get(home) || { type: "region", ...v.geometry.bounds }, homeCircle: home,
        gap: v.layout.lecture ? 6 : 4, dense: v.dense },
    });
    performance.measure(PLACE_MEASURE, { start: started, end: performance.now() });
    drawLabels(arranged, texts, anns);
    styleElements(trace, step, index, active, anns, changed);

    setAttr(v.svg, "data-phase", step.phase);
    setAttr(container, "data-step-id", step.id);
    setAttr(container, "data-step-index", String(index + 1));
    setAttr(container, "data-phase", step.phase);
    if (!reduced && v.lastIndex !== null && v.lastIndex !== index) pulse(trace, step);
    v.lastIndex = index;
    v.shown = { index, anns, active, hidden: !!view.hidden, sample };
    if (hovered !== null) applyHover();
    else syncEdges();
  }

  // A dense graph's edges the step touches, and the one hovered or focused, on their own.
  function syncEdges() {
    if (!v.resting || !v.shown) return;
    const own = new Set([...v.shown.active].filter((id) => v.byId.get(id)?.type === "edge"));
    if (hovered !== null && v.byId.get(hovered)?.type === "edge") own.add(hovered);
    v.resting.sync(own);
  }

  // A mini-batch's inputs and targets are the shown sample's: the given labels follow it.
  function showSample(sample) {
    if (!v.trace.spec.samples || v.givenSample === sample) return;
    v.givenSample = sample;
    for (const n of v.trace.graph.nodes) {
      if (n.sample_symbols) setSymbol(v.elements.get(n.id).querySelector(".node-sym"), n.sample_symbols[sample]);
    }
    for (const item of v.givenEls.values()) {
      if (!item.perSample) continue;
      Object.assign(item, item.perSample[sample]);
      item.g.lastChild.textContent = fmt(item.value);
      if (item.g.classList.contains("hidden") && item.g.caption !== item.caption) {
        setSymbol(item.g.firstChild, item.caption, " =");
        item.g.caption = item.caption;
      }
    }
  }

  // Placement -> DOM: each shown line at its spot and size, cards under the current step's
  // blocks, leader lines to labels set apart from their element; every other label hidden.
  function drawLabels(arranged, texts, anns) {
    const drawn = new Set();
    const plates = [];
    const leaders = [];
    for (const block of arranged.blocks) {
      const inCallout = block.id === "callout";
      for (const line of block.lines) {
        const g = groupOf(line.ref);
        const t = texts(line, inCallout);
        if (g.caption !== t.caption) { setSymbol(g.firstChild, t.caption, " ="); g.caption = t.caption; }
        g.classList.remove("hidden");
        g.classList.toggle("current", block.active);
        g.classList.toggle("active", !!line.current);
        setAttr(g, "transform", `translate(${line.x.toFixed(1)} ${line.y.toFixed(1)})`);
        setAttr(g, "style", `font-size: ${block.px.toFixed(2)}px`);
        // After the position: attributes then come in one order however the step was reached.
        setMask(g, !!line.masked);
        drawn.add(line.ref);
      }
      // A card under the current step's blocks; a plain backdrop under the others.
      const { x0, y0, x1, y1 } = block.box;
      plates.push(make("rect", { x: x0.toFixed(1), y: y0.toFixed(1), width: (x1 - x0).toFixed(1), height: (y1 - y0).toFixed(1),
        rx: 6, class: !block.active ? "plate rest" : inCallout ? "plate callout" : "plate" }));
      if (block.more) {
        const more = make("text", { class: "callout-more", x: block.more.x.toFixed(1), y: block.more.y.toFixed(1), style: `font-size: ${block.px.toFixed(2)}px` });
        more.textContent = block.more.text;
        more.setAttribute("data-more", String(block.more.count));
        plates.push(more);
      }
      if (block.leader) {
        const l = block.leader;
        leaders.push(make("line", { x1: l.x1.toFixed(1), y1: l.y1.toFixed(1), x2: l.x2.toFixed(1), y2: l.y2.toFixed(1), class: block.active ? "leader current" : "leader" }));
      }
    }
    for (const ref of v.drawn) {
      if (drawn.has(ref)) continue;
      const g = groupOf(ref);
      if (!g) continue;
      // A hidden label keeps no position, so how the step was reached leaves no trace in the SVG.
      g.classList.add("hidden");
      g.classList.remove("current", "active");
      g.removeAttribute("transform");
      g.removeAttribute("style");
      setMask(g, false);
      const base = ref.startsWith("given:") ? v.givenEls.get(ref).caption : anns.get(ref)?.caption;
      if (base !== undefined && g.caption !== base) { setSymbol(g.firstChild, base, " ="); g.caption = base; }
    }
    v.drawn = drawn;
    v.layers.plates.replaceChildren(...plates);
    v.layers.leaders.replaceChildren(...leaders);
    v.svg.classList.toggle("has-dropped", arranged.dropped.length > 0);
  }

  // Quiz: the value stays in its element (tests and the table read it) but only "?" shows.
  function setMask(g, on) {
    const mark = g.querySelector(".quiz-mark");
    if (on && !mark) {
      const m = make("text", { class: "quiz-mark", x: EQ_GAP });
      m.textContent = "?";
      g.insertBefore(m, g.lastChild);
      g.setAttribute("data-quiz-hidden", "");
    } else if (!on && mark) {
      mark.remove();
      g.removeAttribute("data-quiz-hidden");
    }
  }

  const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };

  // Element state: what has been computed on it so far, and whether it is the step's subject.
  // A dense graph visits only what the two steps' annotations and highlights touch.
  function styleElements(trace, step, index, active, anns, changed) {
    const prev = v.shown; // the last render's (render sets v.shown after this)
    let dirty = null;
    if (changed !== null && v.dense && prev) {
      dirty = new Set([...active, ...prev.active]);
      for (const key of changed) {
        const a = anns.get(key) || prev.anns.get(key);
        if (!a) continue;
        dirty.add(a.anchor).add(a.for);
        for (const r of v.readers.get(a.for) || []) dirty.add(r);
      }
    }
    const has = (id, q) => anns.has(`${id}|${q}`);
    const gradientOn = (id) => (v.lines.get(id) || []).some((e) => { const a = anns.get(e.ref); return a && a.anchor === id && a.kind === "gradient"; });
    for (const [id, g] of v.elements) {
      if (dirty && !dirty.has(id)) continue;
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
    for (const item of v.givenEls.values()) {
      if (dirty && !dirty.has(item.anchor)) continue;
      item.g.classList.toggle("superseded", has(item.anchor, "new"));
    }
    v.svg.classList.toggle("has-active", active.size > 0);
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
    for (const item of v.givenEls.values()) item.g.classList.toggle("hover", item.anchor === hovered);
    syncEdges();
    tip.show(hovered && v.shown ? tipContent(hovered) : null);
  }

  // Everything known about an element so far, for the hover/focus tip: its given value, then each
  // quantity reached, in step order.
  function tipContent(id) {
    const item = v.byId.get(id);
    if (!item) return null;
    const rows = [];
    const given = v.givenEls.get(`given:${id}`);
    if (given) rows.push([given.caption, fmt(given.value)]);
    const anns = v.shown.anns;
    for (const entry of v.lines.get(id) || []) {
      const a = anns.get(entry.ref);
      if (a && a.step <= v.shown.index) rows.push([a.longCaption || a.caption, a.step === v.shown.index && v.shown.hidden ? "?" : fmt(a.value)]);
    }
    for (const a of anns.values()) if (a.for === id && a.anchor !== id) rows.push([a.longCaption || a.caption, fmt(a.value)]);
    const pos = item.type === "node" ? v.layout.nodes[id] : item.type === "bias" ? v.layout.biases[id]
      : midpoint(v.layout.nodes[item.from], v.layout.nodes[item.to]);
    return { title: item.symbol || id, rows, x: pos.x, y: pos.y, width: v.layout.width, height: v.layout.height };
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

const midpoint = (a, b) => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

// Given values, always known: each weight and bias, the inputs and the targets. In a mini-batch
// an input's and a target's are per sample (`perSample`, sample 0's shown first).
function givenItems(trace, byId) {
  const { weights, samples } = trace.spec;
  const { inputs, targets } = samples ? samples[0] : trace.spec;
  const out = [];
  for (const e of trace.graph.edges) {
    const to = byId.get(e.to), from = byId.get(e.from);
    out.push({ anchor: e.id, caption: e.symbol, value: weights[to.layer - 1][to.index][from.index], cls: "weight" });
  }
  for (const b of trace.graph.biases || []) out.push({ anchor: b.id, caption: b.symbol, value: b.bias, cls: "weight" });
  for (const n of trace.graph.nodes) {
    if (n.role === "input") {
      const perSample = samples?.map((s, k) => ({ caption: n.sample_symbols[k], value: s.inputs[n.index] }));
      out.push({ anchor: n.id, caption: n.symbol, value: inputs[n.index], cls: "input", perSample });
    }
    if (n.role === "loss") {
      const caption = `t_{${n.index + 1}}`;
      const perSample = samples?.map((s) => ({ caption, value: s.targets[n.index] }));
      out.push({ anchor: n.id, caption, value: targets[n.index], cls: "target", perSample });
    }
  }
  return out;
}

// Room the layout keeps at the sides for the inputs' and the total's labels, and at the bottom
// for the current step's callout: measured, so the widest label fits.
function reservations(trace, given, fonts, measure, dense, size) {
  const pad = Math.max(3, fonts.active * 0.22) + 4;
  const width = (caption, value, px) => measure.caption(caption, px) + measure.value(value, px) + 2 * EQ_GAP + 2 * pad;
  // Every sample's inputs, in a mini-batch: the room must not change with the sample shown.
  const inputs = given.filter((g) => g.cls === "input")
    .flatMap((g) => (g.perSample || [g]).map((s) => width(s.caption, fmt(s.value), fonts.active)));
  const total = width("e_{total}", fmt(trace.loss.total), fonts.active);
  // The band: a dense graph's callout lives there; any other graph's current step goes there
  // only when it fits nowhere by its elements (and the bottom row's labels use it otherwise).
  const px = dense ? fonts.active : fonts.floor;
  const { ascent, descent } = measure.line(px);
  const adv = ascent + descent + px * 0.14;
  const rows = Math.max(2, Math.min(dense ? 4 : 3, Math.floor((size.height * (dense ? 0.2 : 0.14)) / adv)));
  return {
    reserve: { left: Math.max(0, ...inputs) / 2, right: total / 2 },
    band: rows * adv + 2 * pad,
  };
}

// Elements whose state reads a node's values: its incoming edges, its bias, the loss edge into it.
function readersOf(byId) {
  const readers = new Map();
  for (const [id, item] of byId) {
    const src = item.type === "bias" ? item.node : item.type === "node" ? null : item.to;
    if (!src) continue;
    if (!readers.has(src)) readers.set(src, []);
    readers.get(src).push(id);
  }
  return readers;
}
