// The presenter's calls to the live-session API (README "Live classroom"), on the base URL the
// page is given (data-sessions-url). Results are plain objects, {ok, status, ...body} or {ok:
// false, status, error, field, retryable, retryAfter}, so callers never need try/catch.

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

// A failure worth trying again: no answer at all, the server busy or away (5xx), too many requests.
const retryable = (status) => status === 0 || status === 429 || status >= 500;

async function call(url, { method = "GET", token = null, body, raw = false } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch (err) {
    return { ok: false, status: 0, error: `could not reach the server (${err.message})`, field: "request", retryable: true };
  }
  if (response.ok && raw) return { ok: true, status: response.status, blob: await response.blob() };
  const answer = response.status === 204 ? {} : await readJson(response);
  if (response.ok && answer) return { ok: true, status: response.status, ...answer };
  const seconds = Number(response.headers.get("Retry-After"));
  return { ok: false, status: response.status, error: answer?.error ?? `the server answered ${response.status}`,
    field: answer?.field ?? "request", retryable: retryable(response.status),
    retryAfter: Number.isFinite(seconds) && seconds > 0 ? seconds : null };
}

/** The calls of one live session's presenter, given the sessions' base URL. */
export function liveHostApi(base) {
  const session = (id) => `${base}/${encodeURIComponent(id)}`;
  const poll = (id, pollId) => `${session(id)}/polls/${encodeURIComponent(pollId)}`;
  return {
    /** POST: a new session showing `initial` ({step, spec, mode}) -> {id, join_url, presenter_token, state}. */
    create: (initial) => call(base, { method: "POST", body: initial }),
    /** GET: the session's current state (followers counted), no token needed. */
    state: (id) => call(`${session(id)}/state`),
    /** POST: any of {step, spec, mode} -> the new state. */
    push: (id, token, changes) => call(`${session(id)}/state`, { method: "POST", token, body: changes }),
    /** DELETE: end the session (followers are told). */
    end: (id, token) => call(session(id), { method: "DELETE", token }),
    /** POST: a poll at step `step` -> {poll_id, poll}. */
    openPoll: (id, token, step) => call(`${session(id)}/polls`, { method: "POST", token, body: { step } }),
    /** GET: the poll's answers, histogram and correct value. */
    results: (id, token, pollId) => call(poll(id, pollId), { token }),
    /** POST: reveal the answer to the followers -> the results. */
    reveal: (id, token, pollId) => call(`${poll(id, pollId)}/reveal`, { method: "POST", token }),
    /** GET ?format=csv: the answers as a CSV file -> {ok, blob}. */
    csv: (id, token, pollId) => call(`${poll(id, pollId)}?format=csv`, { token, raw: true }),
  };
}
