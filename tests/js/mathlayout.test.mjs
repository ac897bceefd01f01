// mathlayout.js: the ways a formula may be typeset; here the shapes issue 9 added (a batch's mean
// broken inside its parentheses, the softmax Jacobian one entry a line).
import { test } from "node:test";
import assert from "node:assert/strict";
import { layouts } from "../../static/js/mathlayout.js";

test("a batch's mean of many terms breaks inside \\frac{1}{N}\\left( ... \\right)", () => {
  const latex = String.raw`g = \frac{1}{4}\left(a + b + c + d\right) = \frac{1}{4}\left(1 + 2 + 3 + 4\right) = 2.5`;
  const two = layouts(latex, "accumulate").find((o) => o.name === "chain-1-terms-2");
  assert.ok(two, "a layout with two terms a line");
  const block = two.blocks[0];
  assert.match(block, /\\frac\{1\}\{4\}\\left\( 1 \+ 2 \\right\./);
  assert.match(block, /\\left\. \+ 3 \+ 4 \\right\)/);
});

test("the softmax Jacobian can go one named entry a line", () => {
  const latex = String.raw`\frac{\partial o_j}{\partial a_k} = o_j (1[j{=}k] - o_k) \qquad \begin{array}{r|rr} & a_{21} & a_{22} \\ \hline o_{1} & 0.25 & -0.25 \\ o_{2} & -0.25 & 0.25 \end{array}`;
  const names = layouts(latex, "softmax_jacobian").map((o) => o.name);
  assert.deepEqual(names, ["line", "rows", "jacobian-entries"]);
  const entries = layouts(latex, "softmax_jacobian").at(-1).blocks[0];
  for (const cell of [String.raw`\frac{\partial o_{1}}{\partial a_{21}} &= 0.25`, String.raw`\frac{\partial o_{1}}{\partial a_{22}} &= -0.25`,
    String.raw`\frac{\partial o_{2}}{\partial a_{21}} &= -0.25`, String.raw`\frac{\partial o_{2}}{\partial a_{22}} &= 0.25`]) {
    assert.ok(entries.includes(cell), cell);
  }
});
