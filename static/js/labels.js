// Pure: which value labels the graph shows at step index, grouped into the blocks the placer
// places. The rule: the current step's quantities in full, and of the earlier ones at most the
// latest value per node and per edge (the rest lives in the values table and on hover or focus).
//
// A line is {ref, anchor, current, masked}: `ref` names the label element the graph keeps for it
// (an annotation key "id|quantity", or "given:id" for a given weight, bias, input or target).

// Quantities worth keeping on the picture once their step has passed, by kind of element:
// products, contributions, per-output parts and check results are a step's working, shown at
// their step and then left to the values table.
const RESTING = {
  node: new Set(["given", "a", "h", "delta", "e", "E"]),
  edge: new Set(["given", "grad", "new"]),
  bias: new Set(["given", "grad", "new"]),
  "loss-edge": new Set(["dedo"]),
};

// What a step adds up or compares against rather than what it computes: the contributions w·δ
// summed at a hidden neuron, and a check's central and per-output differences. When a crowded
// step cannot show everything by its elements, these are the first to move to its callout.
const TERMS = new Set(["contribution", "cd", "fd-e"]);

// Which of an edge's lines of one step a dense callout keeps: the most telling one.
const HEADLINE = ["new", "fd", "grad", "contribution", "product"];
const headline = (lines) => [...lines].sort((p, q) => rankOf(p) - rankOf(q));
const rankOf = (line) => {
  const q = line.ref.split("|")[1] ?? "";
  const n = HEADLINE.indexOf(q);
  return n < 0 ? HEADLINE.length : n;
};

/** The label refs each element can ever show, in display order: given first, then by step. */
export function linesByAnchor(givenAnchors, stepAnns) {
  const out = new Map();
  const add = (anchor, entry) => {
    if (!out.has(anchor)) out.set(anchor, []);
    const list = out.get(anchor);
    if (!list.some((e) => e.ref === entry.ref)) list.push(entry);
  };
  for (const anchor of givenAnchors) add(anchor, { ref: `given:${anchor}`, quantity: "given" });
  stepAnns.forEach((list) => list.forEach((a) => add(a.anchor, { ref: a.key, quantity: a.quantity.replace(/\d+$/, "") })));
  return out;
}

/**
 * The blocks at step `index`.
 *   anns: Map key -> annotation record of steps 0..index (a later record replaces an earlier one)
 *   lines: linesByAnchor(...); active: Set of ids the step is about; byId: graph lookup
 *   dense: only the current step is labelled (values of the rest on hover); the current edges'
 *          values go into one callout block instead of one block per edge
 *   hidden: the current step's values are masked (quiz)
 *   stepAnns: the step's own annotations (lets a dense graph skip the elements it leaves bare)
 * -> {active: [block], callout: block | null, resting: [block]}, block = {anchor, type, lines}
 */
export function labelBlocks({ anns, lines, active, byId, index, dense = false, hidden = false, stepAnns = null }) {
  const activeBlocks = [];
  const resting = [];
  const calloutLines = [];
  // A dense graph labels only what the step is about: no need to visit every element.
  const anchors = dense && stepAnns ? [...new Set([...active, ...stepAnns.map((a) => a.anchor)])].filter((id) => lines.has(id)) : lines.keys();
  for (const anchor of anchors) {
    const entries = lines.get(anchor);
    const type = byId.get(anchor)?.type;
    if (!type) continue;
    const keep = RESTING[type] || new Set();
    let latest = null;
    const current = [];
    for (const entry of entries) {
      const isGiven = entry.quantity === "given";
      const a = isGiven ? null : anns.get(entry.ref);
      if (!isGiven && (!a || a.anchor !== anchor)) continue;
      const step = isGiven ? -1 : a.step;
      if (step === index) current.push({ ref: entry.ref, anchor, current: true, masked: hidden, term: TERMS.has(entry.quantity) });
      else if (keep.has(entry.quantity) && (!latest || step >= latest.step)) latest = { ref: entry.ref, anchor, step, current: false, masked: false };
    }
    const on = active.has(anchor) || current.length > 0;
    const shown = [];
    if (latest && !(dense && !on)) shown.push({ ref: latest.ref, anchor, current: false, masked: false });
    shown.push(...current);
    if (!shown.length) continue;
    const block = { anchor, type, lines: shown, active: on };
    // In a dense graph's callout an edge gets one line: its headline value of this step.
    if (on && dense && type !== "node") calloutLines.push(...headline(current).slice(0, 1));
    else if (on) activeBlocks.push(block);
    else if (!dense) resting.push(block);
  }
  const callout = calloutLines.length ? { anchor: "callout", type: "callout", lines: calloutLines, active: true } : null;
  return { active: activeBlocks, callout, resting };
}
