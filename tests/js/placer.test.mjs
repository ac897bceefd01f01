// Unit tests of the pure label placer (static/js/placer.js), run by Node's test runner:
// `node --test tests/js/` (tests/unit/test_js_modules.py runs it under pytest).
// Expected boxes are worked out by hand from the slot rules in placer.js's header.
import { test } from "node:test";
import assert from "node:assert/strict";
import { placeLabels } from "../../static/js/placer.js";

const bounds = { x0: 0, y0: 0, x1: 400, y1: 300 };
const node = (id, x, y, r = 20) => ({ id, x, y, r });
const around = (c) => ({ type: "node", x: c.x, y: c.y, r: c.r });

function meets(a, b) {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}
function distToBox(c, b) {
  const px = Math.max(b.x0, Math.min(c.x, b.x1)), py = Math.max(b.y0, Math.min(c.y, b.y1));
  return Math.hypot(px - c.x, py - c.y);
}

test("a node's label goes right below it, centred, a gap away", () => {
  const c = node("n", 200, 100);
  const { spots } = placeLabels({ bounds, circles: [c], groups: [{ id: "g", blocks: [{ id: "a", w: 60, h: 20, anchor: around(c) }] }], margin: 3, gap: 4 });
  // below: top at cy + r + gap = 124, centred on x = 200
  assert.deepEqual(spots.get("a"), { x0: 170, y0: 124, x1: 230, y1: 144, leader: null });
});

test("with the slot below taken, the label goes above", () => {
  const c = node("n", 200, 100);
  const obstacle = { x0: 150, y0: 120, x1: 250, y1: 160 };
  const { spots } = placeLabels({ bounds, circles: [c], obstacles: [obstacle], groups: [{ id: "g", blocks: [{ id: "a", w: 60, h: 20, anchor: around(c) }] }], margin: 3, gap: 4 });
  // above: bottom at cy - r - gap = 76
  assert.deepEqual(spots.get("a"), { x0: 170, y0: 56, x1: 230, y1: 76, leader: null });
});

test("a horizontal edge's label sits above its midpoint first", () => {
  const a = { x: 100, y: 150 }, b = { x: 300, y: 150 };
  const { spots } = placeLabels({ bounds, circles: [], groups: [{ id: "g", blocks: [{ id: "e", w: 50, h: 16, anchor: { type: "edge", a, b, ts: [0.5] } }] }], margin: 3, gap: 4 });
  assert.deepEqual(spots.get("e"), { x0: 175, y0: 130, x1: 225, y1: 146, leader: null });
});

test("an atomic group is placed whole or not at all, and then leaves no trace", () => {
  const c = node("n", 200, 150, 20);
  // A block wider than the picture can never fit; its group-mate must not stay behind.
  const groups = [
    { id: "both", atomic: true, blocks: [{ id: "ok", w: 40, h: 16, anchor: around(c) }, { id: "huge", w: 500, h: 16, anchor: around(c) }] },
    { id: "later", blocks: [{ id: "next", w: 40, h: 16, anchor: around(c) }] },
  ];
  const { spots, dropped } = placeLabels({ bounds, circles: [c], groups, margin: 3, gap: 4 });
  assert.deepEqual(dropped, ["both"]);
  assert.equal(spots.has("ok"), false);
  // The later block gets the slot the rolled-back one had: right below the node.
  assert.deepEqual(spots.get("next"), { x0: 180, y0: 174, x1: 220, y1: 190, leader: null });
});

test("a block pushed away from its node gets a leader line that crosses no other box", () => {
  const c = node("n", 200, 150, 20);
  // Wall the node in on its four sides, leaving the diagonals open for a leader line.
  const walls = [
    { x0: 180, y0: 171, x1: 220, y1: 200 }, { x0: 180, y0: 100, x1: 220, y1: 129 },
    { x0: 221, y0: 130, x1: 280, y1: 170 }, { x0: 120, y0: 130, x1: 179, y1: 170 },
  ];
  const { spots } = placeLabels({ bounds, circles: [c], obstacles: walls, groups: [{ id: "g", blocks: [{ id: "a", w: 30, h: 12, anchor: around(c), ownerCircle: "n" }] }], margin: 2, gap: 4 });
  const spot = spots.get("a");
  assert.ok(spot, "placed somewhere");
  assert.ok(spot.leader, "with a leader line");
  for (const w of walls) assert.equal(meets(spot, w), false);
  // The leader starts on the circle and ends on the box.
  assert.ok(Math.abs(Math.hypot(spot.leader.x1 - 200, spot.leader.y1 - 150) - 20) < 1e-6);
  const end = { x: spot.leader.x2, y: spot.leader.y2 };
  assert.ok(end.x >= spot.x0 - 1e-9 && end.x <= spot.x1 + 1e-9 && end.y >= spot.y0 - 1e-9 && end.y <= spot.y1 + 1e-9);
});

test("a region block is centred under the x it prefers", () => {
  const region = { type: "region", x0: 0, y0: 250, x1: 400, y1: 300, prefer: 300 };
  const { spots } = placeLabels({ bounds, circles: [], groups: [{ id: "g", blocks: [{ id: "c", w: 100, h: 30, anchor: region }] }], margin: 3, gap: 4 });
  const s = spots.get("c");
  assert.ok(Math.abs((s.x0 + s.x1) / 2 - 300) <= 12, JSON.stringify(s));
  assert.ok(s.y0 >= 253 && s.y1 <= 297);
});

// A seeded generator, so a failing scene can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

test("random scenes: every placed box is inside, clear of every circle and of every other box", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const rand = rng(seed);
    const circles = [];
    for (let i = 0; i < 8; i++) circles.push(node(`n${i}`, 40 + rand() * 320, 40 + rand() * 220, 8 + rand() * 12));
    const groups = [];
    for (let g = 0; g < 4; g++) {
      const blocks = [];
      for (let b = 0; b < 4; b++) {
        const c = circles[Math.floor(rand() * circles.length)];
        const other = circles[Math.floor(rand() * circles.length)];
        const anchor = rand() < 0.5 || other === c ? around(c) : { type: "edge", a: c, b: other };
        blocks.push({ id: `${g}-${b}`, w: 20 + rand() * 60, h: 12 + rand() * 20, anchor, ownerCircle: anchor.type === "node" ? c.id : undefined });
      }
      groups.push({ id: `g${g}`, atomic: g % 2 === 1, blocks });
    }
    const margin = 2;
    const { spots } = placeLabels({ bounds, circles, groups, margin, gap: 4 });
    const boxes = [...spots.values()];
    for (const [i, b] of boxes.entries()) {
      assert.ok(b.x0 >= margin && b.y0 >= margin && b.x1 <= 400 - margin && b.y1 <= 300 - margin, `seed ${seed}: outside`);
      for (const c of circles) assert.ok(distToBox(c, b) >= c.r + margin - 1e-9, `seed ${seed}: box on ${c.id}`);
      for (const o of boxes.slice(i + 1)) assert.equal(meets(b, o), false, `seed ${seed}: boxes meet`);
    }
  }
});

test("the same scene gives the same placement", () => {
  const c1 = node("a", 100, 100), c2 = node("b", 300, 200);
  const input = () => ({ bounds, circles: [c1, c2], margin: 3, gap: 4, groups: [
    { id: "g", blocks: [{ id: "x", w: 80, h: 18, anchor: { type: "edge", a: c1, b: c2 } }, { id: "y", w: 60, h: 18, anchor: around(c1) }] }] });
  const once = JSON.stringify([...placeLabels(input()).spots]);
  assert.equal(JSON.stringify([...placeLabels(input()).spots]), once);
});
