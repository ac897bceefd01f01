// The follower's rules, pure (tests/js/livestate.test.mjs): reconnection backoff, when two
// networks are the same, what the status line and the poll card say, the device's client id.

// A stream the browser gave up on (a 404/429/503 answer, the server gone) is opened again by hand
// after 1 s, doubling to 8 s: the same backoff as the page's trace requests (main.js).
export const RECONNECT_FIRST_MS = 1000;
export const RECONNECT_MAX_MS = 8000;

/** Milliseconds to wait before reconnection attempt `attempt` (0 for the first). */
export function reconnectDelay(attempt) {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.max(0, Math.trunc(attempt) || 0));
}

/**
 * The mode a follower shows for the lecturer's: quiz mode is mirrored (the hall predicts
 * together); lecture mode is the projector's layout, so a student's own screen keeps the normal one
 * (as the presenter view's audience keeps its own, presenter.js).
 */
export const followerMode = (mode) => (mode === "quiz" ? "quiz" : "normal");

/** JSON with object keys sorted: the same network gives the same key whatever order its fields came in. */
export function stableKey(value) {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableKey(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A number or sign as the page prints it: the minus sign U+2212 rather than a hyphen. */
export function displayAnswer(text) {
  return String(text ?? "").trim().replace(/^[-\u2212\u2013]/, "\u2212");
}

/** The connection line (`live-status`, announced). connection: connecting | live | reconnecting | ended | expired | missing. */
export function statusText({ connection, following = true }) {
  switch (connection) {
    case "connecting": return "Joining the lecture\u2026";
    case "reconnecting": return "Reconnecting\u2026";
    case "ended": return "The lecturer ended the session";
    case "expired": return "This live session expired after a long pause";
    case "missing": return "This live session has ended or does not exist";
    default:
      return following ? "Following the lecturer" : "Stepping on your own";
  }
}

/** Where the lecturer is, beside the status while the student steps alone (not announced: it changes with every step). */
export function lecturerText(step, total = null) {
  return step === null || step === undefined ? "" : `The lecturer is at step ${step + 1}${total ? ` of ${total}` : ""}`;
}

/** What the poll card says once a poll is revealed, given this device's answer (null: none sent). */
export function verdictText({ symbol, correct, answer = null, right = null }) {
  const truth = `${symbol} = ${displayAnswer(correct)}`;
  if (answer === null) return `The answer: ${truth}. You did not answer this one.`;
  if (right === null) return `The answer: ${truth} (you said ${displayAnswer(answer)})`; // not judged yet
  if (right) return `Right: ${truth}`;
  return `Not quite: ${truth} (you said ${displayAnswer(answer)})`;
}

/** The confirmation under the field after an answer was accepted. */
export function sentText(answer) {
  return `Sent: ${displayAnswer(answer)}; you can change it until the reveal`;
}

// The API accepts client ids of [A-Za-z0-9_-]{8,64}: a UUID's 36 characters fit.
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
export const isClientId = (id) => typeof id === "string" && CLIENT_ID.test(id);

/**
 * A random id for this device, nothing personal: crypto.randomUUID where the page is a secure
 * context, else 16 random bytes in hex (a hall's server on plain http over the LAN has no randomUUID).
 */
export function newClientId(crypto = globalThis.crypto) {
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The id kept in `storage` (localStorage), made and kept on first use; a fresh one if storage fails. */
export function deviceClientId(storage, key, make = newClientId) {
  try {
    const kept = storage?.getItem(key);
    if (isClientId(kept)) return kept;
    const id = make();
    storage?.setItem(key, id);
    return id;
  } catch {
    // Storage refused (a private window's quota, a policy): one id for this page's life.
    return make();
  }
}
