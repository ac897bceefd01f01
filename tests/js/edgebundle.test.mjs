// The dense graph's combined resting edges (static/js/edgebundle.js): path data, grouping by
// look, and the edge nearest the pointer. Expected strings and distances are worked out by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RESTING_LOOKS, segmentPath, lookOf, restingPaths, nearestEdge } from "../../static/js/edgebundle.js";

test("a segment's path data: move to the start, line to the end, a tenth of a unit", () => {
  assert.equal(segmentPath([10, 20.04, 30.25, 40]), "M10.0 20.0L30.3 40.0");
  assert.equal(segmentPath([0, -1.55, 2, 3]), "M0.0 -1.6L2.0 3.0");
});

test("a look lists the classes that change a resting edge, in one order whatever the element's", () => {
  assert.deepEqual(RESTING_LOOKS, ["carried", "has-grad", "updated"]);
  const has = (...classes) => (cls) => classes.includes(cls);
  assert.equal(lookOf(has()), "");
  assert.equal(lookOf(has("updated", "carried", "active", "hover")), "carried updated");
  assert.equal(lookOf(has("has-grad")), "has-grad");
});

test("resting edges: one path per look, in edge order, touched edges left out, all in the hit path", () => {
  const edges = ["a", "b", "c", "d", "e"].map((id, n) => ({ id, line: `L${n}`, back: `B${n}` }));
  const looks = { a: "carried", b: "", c: "carried", d: "carried has-grad", e: "" };
  const touched = new Set(["b"]);
  const { paths, hit, count } = restingPaths(edges, (id) => touched.has(id), (id) => looks[id]);
  assert.equal(count, 4);
  assert.equal(hit, "L0L2L3L4");
  assert.deepEqual([...paths.keys()], ["carried", "carried has-grad", ""]);
  assert.deepEqual(paths.get("carried"), { line: "L0L2", back: "B0B2", count: 2 });
  assert.deepEqual(paths.get("carried has-grad"), { line: "L3", back: "B3", count: 1 });
  assert.deepEqual(paths.get(""), { line: "L4", back: "B4", count: 1 });
});

test("every edge touched: no resting path at all", () => {
  const edges = [{ id: "a", line: "L", back: "B" }];
  const { paths, hit, count } = restingPaths(edges, () => true, () => "");
  assert.equal(paths.size, 0);
  assert.equal(hit, "");
  assert.equal(count, 0);
});

test("the edge nearest a point, within reach, the first of equals", () => {
  const edges = [
    { id: "flat", seg: [0, 0, 100, 0] }, // y = 0
    { id: "high", seg: [0, 10, 100, 10] }, // y = 10
    { id: "post", seg: [200, 0, 200, 100] }, // x = 200
  ];
  assert.equal(nearestEdge(50, 3, edges, 8), "flat"); // 3 from flat, 7 from high
  assert.equal(nearestEdge(50, 6, edges, 8), "high"); // 6 and 4
  assert.equal(nearestEdge(50, 5, edges, 8), "flat"); // 5 and 5: the first
  // Past the end of a segment the distance is to its end point: (106, 0) is 6 from (100, 0).
  assert.equal(nearestEdge(106, -1, edges, 8), "flat");
  assert.equal(nearestEdge(150, 50, edges, 8), null); // 50 from every one
  assert.equal(nearestEdge(207, 50, edges, 8), "post");
  assert.equal(nearestEdge(208, 50, edges, 8), null); // exactly at reach: not within
});
