// Which labels the graph shows at a step (static/js/labels.js) and at what size (arrange.js),
// on hand-made annotations and a fake measurer whose sizes are easy to work out by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { labelBlocks, linesByAnchor } from "../../static/js/labels.js";
import { arrangeStep } from "../../static/js/arrange.js";

// A neuron n1 (sum at step 1, activation at 2, error signal at 5) fed by an edge w (product at 0,
// gradient at 4, new value at 7); w has a given weight.
const ann = (anchor, quantity, step, value) => ({ key: `${anchor}|${quantity}`, for: anchor, anchor, quantity, step, value, caption: quantity, kind: "k" });
const records = [ann("w", "product", 0, 1.5), ann("n1", "a", 1, 1.5), ann("n1", "h", 2, 3), ann("w", "grad", 4, -9.6),
  ann("n1", "delta", 5, -1.6), ann("w", "new", 7, 1.16)];
const stepAnns = Array.from({ length: 8 }, (_, i) => records.filter((r) => r.step === i));
const byId = new Map([["n1", { type: "node" }], ["w", { type: "edge" }]]);
const lines = linesByAnchor(["w"], stepAnns);

function at(index, { active = [], dense = false, hidden = false } = {}) {
  const anns = new Map();
  for (let i = 0; i <= index; i++) for (const a of stepAnns[i]) anns.set(a.key, a);
  const plan = labelBlocks({ anns, lines, active: new Set(active), byId, index, dense, hidden });
  const refs = (list) => Object.fromEntries(list.map((b) => [b.anchor, b.lines.map((l) => `${l.ref}${l.current ? "*" : ""}${l.masked ? "?" : ""}`)]));
  return { active: refs(plan.active), resting: refs(plan.resting), callout: plan.callout && plan.callout.lines.map((l) => l.ref) };
}

test("the current step in full, with the element's latest earlier value before it", () => {
  // Step 2 computes h: n1 shows a (its latest earlier value) and h; w rests on its weight,
  // since a product is a step's working, not a value to keep.
  assert.deepEqual(at(2, { active: ["n1"] }), { active: { n1: ["n1|a", "n1|h*"] }, resting: { w: ["given:w"] }, callout: null });
});

test("once passed, an element keeps only its latest value", () => {
  assert.deepEqual(at(3), { active: {}, resting: { n1: ["n1|h"], w: ["given:w"] }, callout: null });
  assert.deepEqual(at(6), { active: {}, resting: { n1: ["n1|delta"], w: ["w|grad"] }, callout: null });
  assert.deepEqual(at(7, { active: ["w"] }), { active: { w: ["w|grad", "w|new*"] }, resting: { n1: ["n1|delta"] }, callout: null });
});

test("a dense graph labels the current step only, its edges in the callout", () => {
  assert.deepEqual(at(3, { dense: true }), { active: {}, resting: {}, callout: null });
  assert.deepEqual(at(4, { active: ["w", "n1"], dense: true }), { active: { n1: ["n1|h"] }, resting: {}, callout: ["w|grad"] });
});

test("quiz: the current step's values are masked, the rest are not", () => {
  assert.deepEqual(at(2, { active: ["n1"], hidden: true }).active, { n1: ["n1|a", "n1|h*?"] });
});

// Fake metrics: a caption is 2 em wide, a value half an em per character, a line 1 em tall.
const measure = {
  caption: (latex, px) => 2 * px,
  value: (text, px) => 0.5 * text.length * px,
  line: (px) => ({ ascent: 0.8 * px, descent: 0.2 * px }),
};
const texts = () => ({ caption: "x", value: "12345" });
const oneNode = (bounds) => ({
  bounds, circles: [{ id: "n", x: 50, y: 40, r: 10 }], obstacles: [],
  anchors: new Map([["n", { type: "node", x: 50, y: 40, r: 10 }]]), groupOf: () => ({ id: "g", rank: 0 }),
  band: null, home: { type: "node", x: 50, y: 40, r: 10 }, homeCircle: "n", margin: 3, gap: 4,
});
const plan = { active: [{ anchor: "n", type: "node", lines: [{ ref: "n|h", current: true }], active: true }], callout: null, resting: [] };

test("the current step keeps its size when it fits", () => {
  const out = arrangeStep({ plan, texts, measure, fonts: { rest: 16, active: 18, floor: 16 }, scene: oneNode({ x0: 0, y0: 0, x1: 400, y1: 300 }) });
  assert.equal(out.blocks[0].px, 18);
});

test("a crowded step shrinks by 8 % steps, never below the floor", () => {
  // At 18 px the block is 2*3.96 + 36 + 45 + 6 = 94.92 px wide: too wide for a 100 px picture
  // with 3 px margins (94 px). At 16.56 px it is 87.8 x 23.85 px: below the node it would reach
  // y = 54 + 23.85 > 77, above it y = 26 - 23.85 < 3; no candidate slot is free. At the floor,
  // 16 px (85.04 x 23.04), the slots still miss by 0.04 px, and the search of the picture finds
  // room above the node, from y = 3 to 26.04, clear of the circle's top at 30 - 3.
  const out = arrangeStep({ plan, texts, measure, fonts: { rest: 16, active: 18, floor: 16 }, scene: oneNode({ x0: 0, y0: 0, x1: 100, y1: 80 }) });
  assert.equal(out.blocks[0].px, 16);
  assert.ok(out.blocks[0].box.y0 >= 3 && out.blocks[0].box.y1 <= 27, JSON.stringify(out.blocks[0].box));
  // With room for a slot at 16.56 px (a taller picture), the type stops shrinking there.
  const roomy = arrangeStep({ plan, texts, measure, fonts: { rest: 16, active: 18, floor: 16 }, scene: oneNode({ x0: 0, y0: 0, x1: 100, y1: 90 }) });
  assert.ok(Math.abs(roomy.blocks[0].px - 16.56) < 1e-9, roomy.blocks[0].px);
  // A floor above what would fit: the block stays at the floor (in a callout card) rather than shrink.
  const floor = arrangeStep({ plan, texts, measure, fonts: { rest: 17.5, active: 18, floor: 17.5 }, scene: oneNode({ x0: 0, y0: 0, x1: 100, y1: 80 }) });
  assert.ok(floor.blocks.every((b) => b.px >= 17.5), JSON.stringify(floor.blocks.map((b) => b.px)));
});
