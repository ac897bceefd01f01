// The presenter's pusher: one request in flight, the latest state wins, the network only when it
// changed, failures retried (backing off, the Retry-After honoured), a gone session stops it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RETRY_DELAYS_MS, createPusher } from "../../static/js/livepush.js";

// A server whose answers the test releases one at a time, and timers the test fires by hand.
function harness(initial = { step: 0, spec: { layers: [1, 1] }, mode: "normal" }) {
  const sent = [];
  const pending = [];
  const results = [];
  const waits = [];
  const page = { ...initial };
  const timers = {
    setTimeout: (fn, ms) => { waits.push({ fn, ms }); return waits.length; },
    clearTimeout: () => {},
  };
  const pusher = createPusher({
    send: (body) => { sent.push(body); return new Promise((resolve) => pending.push(resolve)); },
    read: () => page,
    onResult: (result, info) => results.push({ ok: result.ok, ...info }),
    timers,
  });
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  const answer = async (result = { ok: true }) => { pending.shift()(result); await flush(); };
  return { sent, pending, results, waits, page, pusher, answer, flush };
}

test("changes made while a request is in flight are sent once, as the latest state", async () => {
  const h = harness();
  h.pusher.push();
  for (const step of [1, 2, 3, 4]) { h.page.step = step; h.pusher.push(); }
  assert.equal(h.sent.length, 1, "one request in flight");
  assert.equal(h.sent[0].step, 0);
  await h.answer();
  assert.equal(h.sent.length, 2);
  assert.equal(h.sent[1].step, 4, "the steps in between are skipped");
  await h.answer();
  assert.equal(h.sent.length, 2, "nothing left to send");
  await h.pusher.idle();
});

test("the network is sent only when it differs from what the server accepted", async () => {
  const h = harness();
  h.pusher.push();
  assert.deepEqual(h.sent[0], { step: 0, spec: { layers: [1, 1] }, mode: "normal" });
  await h.answer();
  h.page.step = 5;
  h.pusher.push();
  assert.deepEqual(h.sent[1], { step: 5, mode: "normal" });
  await h.answer();
  h.page.spec = { layers: [2, 1] };
  h.pusher.push();
  assert.deepEqual(h.sent[2].spec, { layers: [2, 1] });
  await h.answer();
  // A session created with the page's network already has it.
  const g = harness();
  g.pusher.assumeSpec(JSON.stringify(g.page.spec));
  g.pusher.push();
  assert.equal("spec" in g.sent[0], false);
});

test("a failed send is tried again with the latest state, its network included, backing off", async () => {
  const h = harness();
  h.pusher.push();
  await h.answer({ ok: false, retryable: true, status: 0 });
  assert.deepEqual(h.results.at(-1), { ok: false, retryIn: RETRY_DELAYS_MS[0], gone: false });
  assert.equal(h.sent.length, 1, "waits before trying again");
  h.page.step = 7;
  h.pusher.push();
  assert.equal(h.sent.length, 1, "a change during the wait does not cut it short");
  h.waits.shift().fn();
  await h.flush();
  assert.deepEqual(h.sent[1], { step: 7, spec: { layers: [1, 1] }, mode: "normal" }, "the network was never accepted: sent again");
  await h.answer({ ok: false, retryable: true, status: 503, retryAfter: 5 });
  assert.equal(h.results.at(-1).retryIn, 5000, "the server's Retry-After when it is longer");
  assert.equal(h.waits[0].ms, 5000);
  h.waits.shift().fn();
  await h.flush();
  await h.answer({ ok: false, retryable: true, status: 0 });
  assert.equal(h.waits[0].ms, RETRY_DELAYS_MS[2], "the third failure waits the third delay");
  h.waits.shift().fn();
  await h.flush();
  await h.answer();
  assert.deepEqual(h.results.at(-1), { ok: true, retryIn: null, gone: false });
  assert.equal(h.sent.length, 4);
  await h.pusher.idle();
});

test("the session gone (404) stops the pusher", async () => {
  const h = harness();
  h.pusher.push();
  await h.answer({ ok: false, retryable: false, status: 404 });
  assert.deepEqual(h.results.at(-1), { ok: false, retryIn: null, gone: true });
  h.page.step = 3;
  h.pusher.push();
  await h.flush();
  assert.equal(h.sent.length, 1);
  assert.equal(h.waits.length, 0);
});

test("a network the server refuses (400) is reported once, not sent with every later step", async () => {
  const h = harness();
  h.pusher.push();
  await h.answer({ ok: false, retryable: false, status: 400, field: "spec.layers" });
  assert.deepEqual(h.results.at(-1), { ok: false, retryIn: null, gone: false });
  assert.equal(h.waits.length, 0, "not retried");
  h.page.step = 1;
  h.pusher.push();
  assert.deepEqual(h.sent[1], { step: 1, mode: "normal" }, "the steps still go");
  await h.answer();
  h.page.spec = { layers: [3, 1] };
  h.pusher.push();
  assert.deepEqual(h.sent[2].spec, { layers: [3, 1] }, "a new network is tried");
  await h.answer({ ok: false, retryable: false, status: 403 });
  assert.deepEqual(h.results.at(-1), { ok: false, retryIn: null, gone: true });
});

test("idle() resolves once the last change has reached the server", async () => {
  const h = harness();
  let idle = false;
  h.pusher.push();
  h.page.step = 2;
  h.pusher.push();
  h.pusher.idle().then(() => { idle = true; });
  await h.answer();
  assert.equal(idle, false, "the second state is still on its way");
  await h.answer();
  await h.flush();
  assert.equal(idle, true);
});
