// The API calls. Results are plain objects ({ok, ...}) so callers never need try/catch.
import { expandTrace } from "./expand.js";

const SCHEMA_VERSION = 2;

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

export async function fetchTrace(url, spec) {
  let response;
  try {
    response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(spec) });
  } catch (err) {
    // No answer at all (server down, network gone): worth trying again later.
    return { ok: false, error: `could not reach the server: ${err.message}`, field: "request", retryable: true };
  }
  const body = await readJson(response);
  if (!response.ok) {
    return {
      ok: false, error: body?.error ?? `the server answered ${response.status}`, field: body?.field ?? "request",
      status: response.status, retryable: response.status >= 500 || !body,
    };
  }
  if (!body || body.schema_version !== SCHEMA_VERSION) {
    return { ok: false, error: `unexpected trace schema_version ${body?.schema_version}`, field: "schema_version" };
  }
  // The page reads every step in full: what the trace leaves to its graph and arrays is filled in once here.
  return { ok: true, trace: expandTrace(body) };
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
