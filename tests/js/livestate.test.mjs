// livestate.js: the follower's pure rules. Expected values are written out by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  deviceClientId, displayAnswer, followerMode, isClientId, lecturerText, newClientId, reconnectDelay, sentText, stableKey,
  statusText, verdictText,
} from "../../static/js/livestate.js";

test("reconnection waits 1 s, doubling, and never more than 8 s", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10, 50].map(reconnectDelay), [1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  assert.equal(reconnectDelay(-3), 1000);
  assert.equal(reconnectDelay(Number.NaN), 1000);
});

test("the same network gives the same key whatever the order of its fields", () => {
  const a = { layers: [1, 1, 2], loss: "sse", activations: [{ name: "linear", slope: 2 }] };
  const b = { activations: [{ slope: 2, name: "linear" }], loss: "sse", layers: [1, 1, 2] };
  assert.equal(stableKey(a), stableKey(b));
  assert.notEqual(stableKey(a), stableKey({ ...b, layers: [1, 2, 1] }));
  assert.equal(stableKey(null), "null");
  assert.equal(stableKey(undefined), "null");
  assert.equal(stableKey({ x: [1, null, "a\"b"] }), '{"x":[1,null,"a\\"b"]}');
});

test("lecture mode is the projector's layout: a follower keeps normal; quiz mode is mirrored", () => {
  assert.equal(followerMode("lecture"), "normal");
  assert.equal(followerMode("normal"), "normal");
  assert.equal(followerMode("quiz"), "quiz");
});

test("answers are printed with a real minus sign", () => {
  assert.equal(displayAnswer("-9.6"), "\u22129.6");
  assert.equal(displayAnswer("\u22129.6"), "\u22129.6");
  assert.equal(displayAnswer(" -"), "\u2212");
  assert.equal(displayAnswer("+"), "+");
  assert.equal(displayAnswer("4e-3"), "4e-3");
  assert.equal(sentText("-9.6"), "Sent: \u22129.6; you can change it until the reveal");
});

test("the status line says following, stepping alone, reconnecting or ended; the lecturer's step apart, 1-based", () => {
  assert.equal(statusText({ connection: "live", following: true }), "Following the lecturer");
  assert.equal(statusText({ connection: "live", following: false }), "Stepping on your own");
  assert.equal(statusText({ connection: "reconnecting", following: false }), "Reconnecting\u2026");
  assert.equal(statusText({ connection: "ended" }), "The lecturer ended the session");
  assert.equal(statusText({ connection: "missing" }), "This live session has ended or does not exist");
  assert.equal(lecturerText(14, 29), "The lecturer is at step 15 of 29");
  assert.equal(lecturerText(0), "The lecturer is at step 1");
  assert.equal(lecturerText(null, 29), "");
});

test("the verdict names the symbol and the right value, and what was said when wrong", () => {
  const symbol = "\u2202e\u2081/\u2202w\u2082\u2081";
  assert.equal(verdictText({ symbol, correct: "-9.6", answer: "-9.6", right: true }), `Right: ${symbol} = \u22129.6`);
  assert.equal(verdictText({ symbol, correct: "-9.6", answer: "+", right: false }),
    `Not quite: ${symbol} = \u22129.6 (you said +)`);
  assert.equal(verdictText({ symbol, correct: "-9.6", answer: "-9" }), `The answer: ${symbol} = \u22129.6 (you said \u22129)`,
    "while the server's judgement is on its way");
  assert.equal(verdictText({ symbol, correct: "-9.6" }), `The answer: ${symbol} = \u22129.6. You did not answer this one.`);
});

test("client ids fit the API's [A-Za-z0-9_-]{8,64}, with or without randomUUID", () => {
  assert.ok(isClientId(newClientId()));
  const insecure = { getRandomValues: (bytes) => bytes.fill(171) }; // plain http: no randomUUID
  assert.equal(newClientId(insecure), "ab".repeat(16));
  assert.ok(!isClientId("short"));
  assert.ok(!isClientId("<img src=x onerror=alert(1)>"));
});

test("the device keeps one id in storage; a refusing storage still gives an id", () => {
  const kept = new Map();
  const storage = { getItem: (k) => kept.get(k) ?? null, setItem: (k, v) => kept.set(k, v) };
  let made = 0;
  const make = () => `device-${++made}-abcdef`;
  const first = deviceClientId(storage, "k", make);
  assert.equal(first, "device-1-abcdef");
  assert.equal(deviceClientId(storage, "k", make), first);
  kept.set("k", "bad id!");
  assert.equal(deviceClientId(storage, "k", make), "device-2-abcdef", "a kept id the API would refuse is replaced");
  const refusing = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); } };
  assert.equal(deviceClientId(refusing, "k", make), "device-3-abcdef");
});
