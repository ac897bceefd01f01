// The API calls. Results are plain objects ({ok, ...}) so callers never need try/catch.
import { expandTrace } from "./expand.js";
import { encodeSpec } from "./urlstate.js";

const SCHEMA_VERSION = 2;

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

// A trace is asked for by GET while its URL (the spec, base64url-encoded) stays under this many
// bytes: the browser, nginx or a CDN can then keep it. Longer specs are POSTed. 8 KB is nginx's
// default buffer for a request line, and within what browsers and proxies accept.
export const MAX_GET_URL_BYTES = 8 * 1024;
// A 503 says the server's queue of heavy traces is full: wait what its Retry-After says (at
// most BUSY_MAX_WAIT_S), and ask again, at most BUSY_RETRIES times before giving the 503 back.
const BUSY_RETRIES = 3;
const BUSY_MAX_WAIT_S = 10;

/**
 * How to ask for the trace of `spec` at `url` (relative to `base`, the page's address):
 * {url, init} for fetch, a GET carrying the spec in the URL when that URL is short enough.
 */
export function traceRequest(url, spec, base = globalThis.location?.href) {
  // The API's ?spec= is the encoding of a shared link's #spec=: base64url of the JSON body.
  const get = new URL(url, base);
  get.searchParams.set("spec", encodeSpec(spec));
  if (get.href.length < MAX_GET_URL_BYTES) return { url: get.href, init: { method: "GET" } };
  return { url, init: { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(spec) } };
}

/** Seconds to wait on a 503: its Retry-After (seconds or an HTTP date), 1 to BUSY_MAX_WAIT_S. */
function retryAfter(response) {
  const value = response.headers.get("Retry-After") ?? "";
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Math.min(BUSY_MAX_WAIT_S, Math.max(1, Math.ceil(seconds || 1)));
}

async function askForTrace({ url, init }) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    // No answer at all (server down, network gone): worth trying again later.
    return { ok: false, error: `could not reach the server: ${err.message}`, field: "request", retryable: true };
  }
  const body = await readJson(response);
  if (!response.ok) {
    return {
      ok: false, error: body?.error ?? `the server answered ${response.status}`, field: body?.field ?? "request",
      status: response.status, retryable: response.status >= 500 || !body,
      ...(response.status === 503 && { busy: true, retryAfter: retryAfter(response) }),
    };
  }
  if (!body || body.schema_version !== SCHEMA_VERSION) {
    return { ok: false, error: `unexpected trace schema_version ${body?.schema_version}`, field: "schema_version" };
  }
  // The page reads every step in full: what the trace leaves to its graph and arrays is filled in once here.
  return { ok: true, trace: expandTrace(body) };
}

/**
 * The trace of `spec`: {ok: true, trace} or {ok: false, error, field, retryable, busy?}. While the
 * server answers it is busy, onBusy(seconds) is told before each wait; stale() true (a newer
 * request was made) stops the waiting.
 */
export async function fetchTrace(url, spec, { onBusy = () => {}, stale = () => false } = {}) {
  const request = traceRequest(url, spec);
  for (let retries = 0; ; retries += 1) {
    const result = await askForTrace(request);
    if (!result.busy || retries === BUSY_RETRIES || stale()) return result;
    onBusy(result.retryAfter);
    await new Promise((resolve) => { setTimeout(resolve, result.retryAfter * 1000); });
    if (stale()) return result;
  }
}

// A GET whose answer must pass `valid`; named in errors as `what`.
async function fetchResource(url, what, valid) {
  try {
    const response = await fetch(url);
    const body = await readJson(response);
    if (response.ok && body && valid(body)) return { ok: true, ...body };
    return { ok: false, error: `${what}: the server answered ${response.status}`, retryable: response.status >= 500 };
  } catch (err) {
    return { ok: false, error: `could not reach the server: ${err.message}`, retryable: true };
  }
}

export function fetchPresets(url) {
  return fetchResource(url, "presets", (body) => Array.isArray(body.presets));
}

/** GET /api/meta: what a request may hold (activations, losses, limits, defaults), for the editor. */
export function fetchMeta(url) {
  return fetchResource(url, "meta", (body) => Array.isArray(body.activations) && Array.isArray(body.losses));
}

/** GET /api/datasets: the built-in datasets, for the samples editor's "Fill from a dataset". */
export function fetchDatasets(url) {
  return fetchResource(url, "datasets", (body) => Array.isArray(body.datasets));
}

/**
 * GET /api/datasets/<id>?<query>: {ok, samples}, or {ok: false, error, field} where field names
 * the parameter at fault (the server's 400) or is "request" when there was no answer.
 */
export async function fetchDatasetSamples(url, id, query) {
  let response;
  try {
    response = await fetch(`${url}/${encodeURIComponent(id)}${query ? `?${query}` : ""}`);
  } catch (err) {
    return { ok: false, error: `could not reach the server: ${err.message}`, field: "request" };
  }
  const body = await readJson(response);
  if (response.ok && Array.isArray(body?.samples)) return { ok: true, samples: body.samples };
  return { ok: false, error: body?.error ?? `the server answered ${response.status}`, field: body?.field ?? "request" };
}

/**
 * POST a JSON body (POST /api/train, /api/boundary): {ok: true, ...answer} or {ok: false, error,
 * field} where field names the part of the body at fault (the server's 400) or is "request".
 */
export async function postJson(url, body) {
  let response;
  try {
    response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    return { ok: false, error: `could not reach the server: ${err.message}`, field: "request" };
  }
  const answer = await readJson(response);
  if (response.ok && answer) return { ok: true, ...answer };
  return { ok: false, error: answer?.error ?? `the server answered ${response.status}`, field: answer?.field ?? "request" };
}

/** GET /api/code: the reference implementation's {path, text, lines} (the code view). */
export function fetchCode(url) {
  return fetchResource(url, "the reference code", (body) => typeof body.text === "string" && !!body.lines?.kinds);
}

/**
 * POST /api/solution?format=<format>: the worked solution of a network as {ok: true, blob}, or
 * {ok: false, error, field} (the server's 400, or "request" when there was no answer).
 */
export async function fetchSolution(url, spec, format) {
  let response;
  try {
    response = await fetch(`${url}?format=${encodeURIComponent(format)}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(spec),
    });
  } catch (err) {
    return { ok: false, error: `could not reach the server: ${err.message}`, field: "request" };
  }
  if (response.ok) return { ok: true, blob: await response.blob() };
  const body = await readJson(response);
  return { ok: false, error: body?.error ?? `the server answered ${response.status}`, field: body?.field ?? "request" };
}
