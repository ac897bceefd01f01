// static/js/api.js: a trace is a GET while its URL stays under 8 KB, a POST past it; a 503 is
// waited out as its Retry-After says (capped), a few times, and then handed back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_GET_URL_BYTES, fetchTrace, traceRequest } from "../../static/js/api.js";

const PAGE = "http://127.0.0.1:5000/";
const WORKED = {
  layers: [1, 1, 2], weights: [[[0.5]], [[0.2], [0.1]]], biases: null,
  activations: [{ name: "linear", slope: 2 }, { name: "linear", slope: 2 }],
  loss: "sse", inputs: [3], targets: [2, 1], epsilon: 1e-6, learning_rate: 0.1,
};

function decoded(url) {
  const spec = new URL(url).searchParams.get("spec");
  return JSON.parse(Buffer.from(spec, "base64url").toString("utf-8"));
}

test("the worked example is a GET carrying its JSON in ?spec=", () => {
  const { url, init } = traceRequest("/api/trace", WORKED, PAGE);
  assert.equal(init.method, "GET");
  assert.equal(init.body, undefined);
  assert.ok(url.startsWith("http://127.0.0.1:5000/api/trace?spec="));
  assert.deepEqual(decoded(url), WORKED);
  assert.doesNotMatch(new URL(url).search, /[=+/]$|%/); // unpadded base64url: nothing to escape
  assert.equal(MAX_GET_URL_BYTES, 8192);
});

// A spec whose URL is exactly `length` characters long: the worked example with a "pad" field whose
// text makes it so (each byte of JSON adds one or two characters of unpadded base64url).
function specWithUrlLength(length) {
  const prefix = `${PAGE.slice(0, -1)}/api/trace?spec=`;
  for (let pad = 0; pad < 3 * length; pad += 1) {
    const spec = { ...WORKED, pad: "x".repeat(pad) };
    const size = prefix.length + Buffer.from(JSON.stringify(spec)).toString("base64url").length;
    if (size === length) return spec;
    if (size > length) break;
  }
  throw new Error(`no pad gives a URL of ${length} characters`);
}

test("the URL's length decides: under 8 KB a GET, at 8 KB a POST of the same JSON", () => {
  const under = specWithUrlLength(8191);
  assert.equal(traceRequest("/api/trace", under, PAGE).init.method, "GET");
  const at = specWithUrlLength(8192);
  const { url, init } = traceRequest("/api/trace", at, PAGE);
  assert.equal(init.method, "POST");
  assert.equal(url, "/api/trace");
  assert.deepEqual(JSON.parse(init.body), at);
  assert.equal(init.headers["Content-Type"], "application/json");
});

// fetch answers from `answers` in turn; setTimeout runs at once and records its delay.
function stubbed(answers, run) {
  const calls = [];
  const delays = [];
  const saved = { fetch: globalThis.fetch, setTimeout: globalThis.setTimeout };
  globalThis.fetch = async (url, init) => { calls.push({ url, init }); return answers[Math.min(calls.length, answers.length) - 1](); };
  globalThis.setTimeout = (fn, ms) => { delays.push(ms); fn(); return 0; };
  return run().finally(() => Object.assign(globalThis, saved)).then((result) => ({ result, calls, delays }));
}

const busy = (retryAfter) => () => new Response(JSON.stringify({ error: "busy", field: "request" }),
  { status: 503, headers: { "Retry-After": retryAfter, "Content-Type": "application/json" } });
const traced = () => new Response(JSON.stringify({ schema_version: 2, graph: { nodes: [], edges: [], biases: [] }, steps: [] }), { status: 200 });

test("a 503 is retried after its Retry-After, and the trace that follows is the answer", async () => {
  const told = [];
  const { result, calls, delays } = await stubbed([busy("1"), busy("2"), traced],
    () => fetchTrace(`${PAGE}api/trace`, WORKED, { onBusy: (s) => told.push(s) }));
  assert.equal(result.ok, true);
  assert.equal(calls.length, 3);
  assert.deepEqual(told, [1, 2]);
  assert.deepEqual(delays, [1000, 2000]);
  assert.ok(calls.every((c) => c.init.method === "GET" && c.url === calls[0].url));
});

test("Retry-After is capped at 10 s, read as an HTTP date too, and 1 s when missing or nonsense", async () => {
  const told = [];
  const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
  await stubbed([busy("3600"), busy(inTwoMinutes), busy("soon"), traced],
    () => fetchTrace(`${PAGE}api/trace`, WORKED, { onBusy: (s) => told.push(s) }));
  assert.deepEqual(told, [10, 10, 1]);
});

test("after 3 retries the 503 is handed back, marked busy and retryable", async () => {
  const { result, calls } = await stubbed([busy("1")], () => fetchTrace(`${PAGE}api/trace`, WORKED));
  assert.equal(calls.length, 4);
  assert.equal(result.ok, false);
  assert.equal(result.busy, true);
  assert.equal(result.retryable, true);
  assert.equal(result.status, 503);
});

test("a request made stale while it waits stops asking", async () => {
  let newer = false;
  const { calls } = await stubbed([busy("1")], () => fetchTrace(`${PAGE}api/trace`, WORKED,
    { onBusy: () => { newer = true; }, stale: () => newer }));
  assert.equal(calls.length, 1);
});

test("other errors are not retried here", async () => {
  const bad = () => new Response(JSON.stringify({ error: "layers must ...", field: "layers" }), { status: 400 });
  const { result, calls } = await stubbed([bad], () => fetchTrace(`${PAGE}api/trace`, WORKED));
  assert.equal(calls.length, 1);
  assert.equal(result.field, "layers");
  assert.equal(result.busy, undefined);
});
