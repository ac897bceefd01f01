// Sends the presenter's state ({step, spec, mode}) to the live session as it changes: one request
// in flight at a time, and when it returns the latest state is sent (the steps in between are
// skipped: a follower needs where the lecturer is, not where they passed through). The network
// goes only when it differs from what the server last accepted. A send that fails for a reason
// that may pass (no answer, busy, 5xx, 429) is tried again, backing off; the session gone or the
// token refused (404, 403) stops the pusher; any other refusal (a 400 naming a field) is reported
// and not repeated: a network the server refuses is not sent again with every step. No DOM here.

/** Waits between tries of a failed send, in ms: the last one repeats. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];
// Answers that end the session for this page: it is unknown (expired, ended) or the token is refused.
const GONE = [403, 404];

/**
 * send(changes) -> Promise<{ok, retryable?, retryAfter?}>; read() -> {step, spec, mode};
 * onResult(result, {retryIn, gone}) after every send: retryIn, ms until the next try (or null);
 * gone, the session is no more (the pusher has stopped).
 */
export function createPusher({ send, read, onResult = () => {}, timers = globalThis }) {
  let wanted = false; // a change is waiting to be sent
  let running = null; // the loop's promise while a send is in flight or waiting to retry
  let sentSpec; // JSON of the spec the server holds; undefined: not known, send it
  let failures = 0;
  let stopped = false;
  let wake = null; // ends the wait before a retry (stop)
  let timer = null;

  function changes() {
    const { step, spec, mode } = read();
    const specJson = JSON.stringify(spec ?? null);
    return { body: specJson === sentSpec ? { step, mode } : { step, spec: spec ?? null, mode }, specJson };
  }

  function pause(ms) {
    return new Promise((resolve) => {
      wake = resolve;
      timer = timers.setTimeout(resolve, ms);
    });
  }

  async function loop() {
    while (wanted && !stopped) {
      wanted = false;
      const { body, specJson } = changes();
      const result = await send(body);
      if (stopped) return;
      if (result.ok || !result.retryable) {
        failures = 0;
        // Accepted, or refused for good: either way this network is not sent again.
        if ("spec" in body) sentSpec = specJson;
        const gone = GONE.includes(result.status);
        if (gone) stopped = true;
        onResult(result, { retryIn: null, gone });
        if (gone) return;
        continue;
      }
      const retryIn = Math.max(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)], (result.retryAfter ?? 0) * 1000);
      failures += 1;
      wanted = true;
      onResult(result, { retryIn, gone: false });
      await pause(retryIn);
    }
  }

  return {
    /** The state changed: send it (now, or when the request in flight returns). */
    push() {
      if (stopped) return;
      wanted = true;
      running ??= loop().finally(() => { running = null; });
    },
    /** Resolves once everything pushed so far has reached the server (or the pusher stopped). */
    idle: () => running ?? Promise.resolve(),
    /** The spec the server is known to hold (JSON text), e.g. the one a new session was created with. */
    assumeSpec(specJson) { sentSpec = specJson; },
    stop() {
      stopped = true;
      timers.clearTimeout(timer);
      wake?.();
    },
  };
}
