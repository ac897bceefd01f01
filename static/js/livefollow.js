// Following a live session (issue 14) on a follower page (/live/<id>, body[data-live-role=follower]):
// the lecturer's state (network, step, mode, poll) arrives by server-sent events and is applied
// through the app facade. The `live-follow` toggle lets the student step freely and come back; a
// manual step turns following off. The stream reconnects (by itself, or here with backoff when the
// browser gives up) and the first event of every connection is the current state: catch-up.
// Everything received is shown as text only.
import { el } from "./dom.js";
import { followerMode, lecturerText, reconnectDelay, stableKey, statusText } from "./livestate.js";
import { setupPollAnswer } from "./pollanswer.js";

function buildBar(homeUrl) {
  const bar = el("section", { class: "follow-bar", "data-testid": "live-bar", "aria-label": "Live session" });
  const dot = el("span", { class: "follow-dot", "aria-hidden": "true" });
  const status = el("span", { class: "follow-status", "data-testid": "live-status", role: "status" });
  const where = el("span", { class: "follow-where", "data-testid": "live-lecturer-step" });
  const home = el("a", { class: "follow-home", "data-testid": "live-home", href: homeUrl, hidden: "" }, "Open the explainer");
  const follow = el("button", { type: "button", class: "btn follow-toggle", "data-testid": "live-follow", "aria-pressed": "true",
    "aria-label": "Follow the lecturer", title: "Show the lecturer's step as it changes; turn off to step on your own" }, "Follow");
  follow.append(el("span", { class: "long" }, " the lecturer")); // a phone shows "Follow" alone
  bar.append(dot, status, where, home, follow);
  return { bar, status, where, home, follow };
}

export function setupLiveFollow(app) {
  const body = document.body;
  if (body.dataset.liveRole !== "follower") return;
  const base = body.dataset.liveUrl;
  const ui = buildBar(body.dataset.pageUrl || "/");
  document.querySelector(".topbar").after(ui.bar);

  let latest = null; // the lecturer's newest state
  let following = true;
  let connection = "connecting";
  let applying = 0; // > 0 while this module moves the page: those steps are not the student's
  let busy = false; // a lecturer's network is being traced
  let source = null;
  let attempt = 0;
  let retryTimer = null;

  const polls = setupPollAnswer(app, { base, onLecturerNetwork });

  function defaultPreset() {
    return app.state.presets.find((p) => p.id === body.dataset.defaultPreset) ?? app.state.presets[0];
  }
  // The network a state asks for: its spec, or the worked example (the default preset) for null.
  const wantedSpec = (state) => state.spec ?? defaultPreset()?.spec ?? null;
  // Whether the page shows the lecturer's network (so its steps and a poll's step are theirs).
  // Asked at every step: each spec object's key is made once (a 10x16 network's is 20 KB).
  const keys = new WeakMap();
  const keyOf = (spec) => {
    if (!spec || typeof spec !== "object") return stableKey(spec);
    if (!keys.has(spec)) keys.set(spec, stableKey(spec));
    return keys.get(spec);
  };
  function onLecturerNetwork() {
    return !!latest && !!app.state.trace && keyOf(wantedSpec(latest)) === keyOf(app.state.spec);
  }
  const lecturerIndex = () => Math.min(latest.step, (app.state.trace?.steps.length ?? 1) - 1);

  function render() {
    body.dataset.liveConnection = connection;
    body.dataset.liveFollowing = String(following);
    ui.status.textContent = statusText({ connection, following });
    ui.where.textContent = connection === "live" && !following
      ? lecturerText(latest?.step, onLecturerNetwork() ? app.state.trace.steps.length : null) : "";
    ui.home.hidden = !["ended", "expired", "missing"].includes(connection);
    ui.follow.setAttribute("aria-pressed", String(following));
  }

  function quietly(fn) {
    applying += 1;
    try { fn(); } finally { applying -= 1; }
  }

  // Bring the page to the lecturer's newest state; one at a time (a network is traced first), and
  // whatever arrived meanwhile is applied when that is done.
  async function catchUp() {
    if (busy) return;
    busy = true;
    try {
      for (let done = null; following && latest && done !== latest;) {
        done = latest;
        await applyState(done);
      }
    } finally {
      busy = false;
      render();
    }
  }

  async function applyState(state) {
    if (!onLecturerNetwork()) {
      const preset = state.spec ? "custom" : defaultPreset()?.id;
      const result = await app.loadSpec(wantedSpec(state), { index: state.step, presetId: preset, showErrors: false });
      // Refused or unreachable: main.js says so and retries an unreachable server itself.
      if (!result.ok) return;
    }
    quietly(() => {
      if (app.state.index !== lecturerIndex()) app.seek(lecturerIndex());
      app.setMode(followerMode(state.mode));
    });
  }

  function receive(state) {
    if (!state || typeof state !== "object" || (latest && state.version <= latest.version)) return;
    latest = state;
    polls.update(state);
    if (following) catchUp();
    render();
  }

  function setFollowing(on) {
    if (following === on) return;
    following = on;
    render();
    if (on) catchUp();
  }

  // --- the stream ---
  function connect() {
    clearTimeout(retryTimer);
    source = new EventSource(`${base}/events`);
    source.addEventListener("message", (event) => {
      attempt = 0;
      connection = "live";
      let state = null;
      try { state = JSON.parse(event.data); } catch { return; }
      receive(state);
      render();
    });
    source.addEventListener("end", (event) => {
      let reason = "ended";
      try { reason = JSON.parse(event.data).reason === "expired" ? "expired" : "ended"; } catch { /* keep "ended" */ }
      stop(reason);
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) reconnectLater();
      else { connection = "reconnecting"; render(); } // the browser retries by itself
    });
  }

  function stop(reason) {
    source?.close();
    clearTimeout(retryTimer);
    connection = reason;
    polls.stop();
    render();
  }

  // The browser gave up (an error status, or no event stream): ask whether the session still
  // exists; if it does, or the server cannot say, open the stream again after a growing pause.
  async function reconnectLater() {
    source.close();
    connection = "reconnecting";
    render();
    let response = null;
    try { response = await fetch(`${base}/state`, { cache: "no-store" }); } catch { /* unreachable: retry */ }
    if (response?.status === 404) { stop("missing"); return; }
    retryTimer = setTimeout(connect, reconnectDelay(attempt));
    attempt += 1;
  }

  // --- the student's own steps ---
  app.on("step", (index) => {
    if (!following || applying || busy || !latest || !onLecturerNetwork()) return;
    if (index !== lecturerIndex()) setFollowing(false);
  });
  // A trace that arrived late (main.js retried it): go to the lecturer's step on it.
  app.on("trace", () => { if (following && !busy) catchUp(); render(); });
  ui.follow.addEventListener("click", () => setFollowing(!following));
  addEventListener("pagehide", () => source?.close());
  // A page restored from the back-forward cache (a phone switching apps) opens its stream again.
  addEventListener("pageshow", (event) => {
    if (event.persisted && ["connecting", "live", "reconnecting"].includes(connection)) connect();
  });

  render();
  connect();
}
