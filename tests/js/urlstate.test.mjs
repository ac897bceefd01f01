// The URL hash <-> page state (static/js/urlstate.js): one table, both directions, and anything
// not understood falls back to its default and is named in `invalid`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MODES, encodeSpec, decodeSpec, decodeHash, encodeHash, shareState, wantedSpec } from "../../static/js/urlstate.js";

const DEFAULTS = { step: 1, mode: "normal", sample: null, preset: null, spec: null, iter: null, invalid: [] };

test("an empty hash is the defaults", () => {
  assert.deepEqual(decodeHash(""), DEFAULTS);
  assert.deepEqual(decodeHash("#"), DEFAULTS);
  assert.deepEqual(decodeHash(undefined), DEFAULTS);
});

test("step, mode and preset are read from the hash", () => {
  assert.deepEqual(decodeHash("#step=12&mode=lecture&preset=worked-example"),
    { step: 12, mode: "lecture", sample: null, preset: "worked-example", spec: null, iter: null, invalid: [] });
  assert.deepEqual(MODES, ["normal", "lecture", "quiz"]);
  for (const mode of MODES) assert.equal(decodeHash(`#mode=${mode}`).mode, mode);
});

test("a value not understood falls back to its default and is named", () => {
  const cases = [
    ["#step=0", "step"], ["#step=-3", "step"], ["#step=2.5", "step"], ["#step=abc", "step"],
    ["#step=12345678", "step"], // more than 7 digits
    ["#mode=zoom", "mode"], ["#mode=Lecture", "mode"],
    ["#preset=Worked", "preset"], ["#preset=-x", "preset"], [`#preset=${"a".repeat(65)}`, "preset"],
    ["#spec=not*base64", "spec"],
  ];
  for (const [hash, name] of cases) {
    const state = decodeHash(hash);
    assert.deepEqual(state.invalid, [name], hash);
    assert.equal(state[name], DEFAULTS[name], hash);
  }
  assert.deepEqual(decodeHash("#step=x&mode=y").invalid, ["step", "mode"]);
  assert.equal(decodeHash("#step=1234567").step, 1234567);
});

test("a spec is base64url of its compact JSON, without padding", () => {
  // '{"a":1}' is 7b 22 61 22 3a 31 7d: base64 "eyJhIjoxfQ==".
  assert.equal(encodeSpec({ a: 1 }), "eyJhIjoxfQ");
  assert.deepEqual(decodeSpec("eyJhIjoxfQ"), { a: 1 });
  // Base64's "+" becomes "-" in base64url: "~~~" is 7e 7e 7e, base64 "fn5+", so
  // '{"s":"~~~"}' is base64 "eyJzIjoifn5+In0=" and base64url "eyJzIjoifn5-In0".
  assert.equal(encodeSpec({ s: "~~~" }), "eyJzIjoifn5-In0");
  assert.deepEqual(decodeSpec("eyJzIjoifn5-In0"), { s: "~~~" });
});

test("a spec with non-ASCII text goes there and back as UTF-8", () => {
  const spec = { title: "σ(a) · w₂₁", layers: [1, 1, 2] };
  assert.deepEqual(decodeSpec(encodeSpec(spec)), spec);
});

test("decodeSpec: anything but base64url of a JSON object is null", () => {
  assert.equal(decodeSpec("WzFd"), null, "[1] is an array");
  assert.equal(decodeSpec("MQ"), null, "1 is a number");
  assert.equal(decodeSpec("bnVsbA"), null, "null");
  assert.equal(decodeSpec("eyJh"), null, "{\"a is not JSON");
  assert.equal(decodeSpec("_w"), null, "the byte ff is not UTF-8");
  assert.equal(decodeSpec("eyJhIjoxfQ=="), null, "padding is not base64url");
  assert.equal(decodeSpec(""), null);
  assert.equal(decodeSpec(null), null);
  assert.equal(decodeSpec("A".repeat(400000)), null, "longer than any body the API accepts");
});

test("encodeHash writes the table's order and leaves out what is null", () => {
  assert.equal(encodeHash({ step: 3, mode: "quiz" }), "#step=3&mode=quiz");
  assert.equal(encodeHash({ mode: "quiz", step: 3, preset: null, spec: null }), "#step=3&mode=quiz");
  assert.equal(encodeHash({ step: 1, spec: { a: 1 } }), "#step=1&spec=eyJhIjoxfQ");
  assert.equal(encodeHash({}), "#");
});

const PRESETS = [{ id: "worked-example", spec: { layers: [1, 1, 2] } }, { id: "twin", spec: { layers: [1, 1, 2] } },
  { id: "tanh", spec: { layers: [2, 2, 1] } }];

test("shareState names an unedited preset, else carries the spec", () => {
  assert.deepEqual(shareState({ index: 4 }), { step: 5 });
  assert.deepEqual(shareState({ index: 0, mode: "lecture" }), { step: 1, mode: "lecture" });
  assert.deepEqual(shareState({ index: 0, mode: "normal", presetId: "tanh", spec: { layers: [2, 2, 1] }, presets: PRESETS }),
    { step: 1, preset: "tanh" });
  // The preset shown is kept when another has the same network...
  assert.deepEqual(shareState({ presetId: "twin", spec: { layers: [1, 1, 2] }, presets: PRESETS }), { step: 1, preset: "twin" });
  // ...and an edit that happens to give a preset's network names that preset.
  assert.deepEqual(shareState({ presetId: "tanh", spec: { layers: [1, 1, 2] }, presets: PRESETS }), { step: 1, preset: "worked-example" });
  const edited = { layers: [1, 3, 2] };
  assert.deepEqual(shareState({ presetId: "worked-example", spec: edited, presets: PRESETS }), { step: 1, spec: edited });
});

test("the hash of a shared state reads back as that state", () => {
  const spec = { layers: [1, 3, 2], inputs: [0.5] };
  const back = decodeHash(encodeHash(shareState({ index: 6, mode: "quiz", spec, presets: PRESETS })));
  assert.deepEqual(back, { step: 7, mode: "quiz", sample: null, preset: null, spec, iter: null, invalid: [] });
});

test("a mini-batch's sample shown is in the hash, 1-based, only when it is not the first", () => {
  assert.deepEqual(shareState({ index: 2, sample: 0 }), { step: 3 });
  assert.deepEqual(shareState({ index: 2, sample: 3 }), { step: 3, sample: 4 });
  assert.equal(encodeHash(shareState({ index: 2, mode: "lecture", sample: 1 })), "#step=3&mode=lecture&sample=2");
  assert.equal(decodeHash("#step=3&sample=2").sample, 2);
  assert.deepEqual(decodeHash("#sample=0").invalid, ["sample"]);
  assert.deepEqual(decodeHash("#sample=two").invalid, ["sample"]);
});

test("a training iteration's walkthrough is its run's request in spec and the iteration in iter", () => {
  const train = { network: { layers: [2, 2, 1] }, dataset: { name: "xor" }, iterations: 300 };
  const state = shareState({ index: 4, spec: { train, iteration: 137 } });
  assert.deepEqual(state, { step: 5, spec: train, iter: 137 });
  const hash = encodeHash(state);
  assert.match(hash, /&iter=137$/);
  const back = decodeHash(hash);
  assert.deepEqual(wantedSpec(back), { train, iteration: 137 });
  assert.deepEqual(wantedSpec(decodeHash(encodeHash({ step: 1, spec: train }))), train, "no iter: the spec itself");
  assert.deepEqual(decodeHash("#iter=x").invalid, ["iter"]);
});
