// The Live card of a running session, presenter side (livehost.js creates it when a session
// starts or a reload resumes one): the join link and QR code, how many follow, `live-stop`. The
// page's step, network and mode are pushed to the session as they change (livepush.js); polls are
// livepoll.js's. Fetched only then, so a visit that never goes live does not pay for it.
import { el } from "./dom.js";
import { liveHostApi } from "./livehostapi.js";
import { createPusher } from "./livepush.js";
import { createLivePoll } from "./livepoll.js";

const COUNT_EVERY_MS = 2000;
// A join link naming the presenter's own machine reaches no one else.
const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

function buildCard() {
  const card = el("section", { class: "card live-card", "data-testid": "live-card", "aria-labelledby": "live-title", hidden: "" });
  const head = el("div", { class: "live-head" });
  const title = el("h2", { id: "live-title" }, "Live");
  const count = el("output", { class: "live-count", "data-testid": "live-count" }, "0 following");
  head.append(el("span", { class: "live-dot", "aria-hidden": "true" }), title, count);
  const join = el("p", { class: "live-join" }, "Join at ");
  const link = el("a", { class: "live-join-link", "data-testid": "live-join-link", target: "_blank", rel: "noopener" });
  join.append(link);
  const qr = el("div", { class: "live-qr-box" });
  const beside = el("div", { class: "live-beside" });
  const actions = el("div", { class: "live-actions" });
  const show = el("button", { type: "button", class: "btn", "data-testid": "live-qr-show", "aria-haspopup": "dialog",
    title: "The QR code and the link, large, for the room to scan (Esc closes)" }, "Show QR");
  const stop = el("button", { type: "button", class: "btn", "data-testid": "live-stop", title: "End the session for everyone following" }, "End session");
  actions.append(show, stop);
  const status = el("p", { class: "live-status", "data-testid": "live-status", role: "status" });
  const local = el("p", { class: "live-local", "data-testid": "live-join-local", hidden: "" },
    "This link names this computer itself: phones in the room cannot reach it. Open this page at the "
    + "computer's network address (serve with --host 0.0.0.0) and go live from there.");
  beside.append(join, actions);
  const main = el("div", { class: "live-main" });
  main.append(qr, beside);
  card.append(head, main, local, status);
  return { card, count, link, qr, show, stop, status, local };
}

function buildQrDialog() {
  const dialog = el("dialog", { class: "live-qr-dialog", "data-testid": "live-qr-dialog", "aria-labelledby": "live-qr-title" });
  const title = el("h2", { id: "live-qr-title" }, "Follow on your phone or laptop");
  const qr = el("div", { class: "live-qr-large" });
  const link = el("p", { class: "live-qr-link", "data-testid": "live-qr-link" });
  const close = el("button", { type: "button", class: "btn", "data-testid": "live-qr-close" }, "Close");
  close.addEventListener("click", () => dialog.close());
  dialog.append(title, qr, link, close);
  return { dialog, qr, link };
}

/**
 * The card and its session's life, for the page's `live-start` button: {start(), resume(saved)}.
 * remember(session or null) keeps the session for a reload of this tab (livehost.js).
 */
export function createLiveCard(app, button, { remember }) {
  const body = document.body;
  const api = liveHostApi(button.dataset.sessionsUrl);
  const ui = buildCard();
  const large = buildQrDialog();
  let session = null; // {id, token, join_url}
  let pusher = null;
  let counter = null;
  let qrSvg = null; // qr.js's drawing function, fetched with the first session

  const say = (message) => { ui.status.textContent = message; };
  const poll = createLivePoll(app, { api, session: () => session, ready: () => pusher?.idle(), say });
  ui.card.append(poll.bar, poll.section);
  document.querySelector(".side")?.prepend(ui.card);
  body.append(large.dialog);

  const current = () => ({ step: app.state.index, spec: app.state.spec ?? null, mode: app.state.mode });

  function showCount(followers) {
    ui.count.textContent = `${followers} following`;
  }

  async function countFollowers() {
    clearTimeout(counter);
    if (!session) return;
    const id = session.id;
    const state = await api.state(id);
    if (session?.id !== id) return;
    if (state.ok) showCount(state.followers);
    else if (!state.retryable) { ended("The session has ended (it was idle too long, or the server restarted)."); return; }
    counter = setTimeout(countFollowers, COUNT_EVERY_MS);
  }

  function onPushed(result, { retryIn, gone }) {
    if (result.ok) {
      if (ui.status.dataset.kind === "push") say("");
      showCount(result.followers ?? 0);
      return;
    }
    if (gone) { ended(`The session has ended: ${result.error}.`); return; }
    ui.status.dataset.kind = "push";
    say(retryIn === null ? `The class did not get the last change: ${result.error}.`
      : `The class did not get the last change (${result.error}); trying again in ${Math.ceil(retryIn / 1000)} s.`);
  }

  async function drawQr() {
    qrSvg ??= (await import("./qr.js")).qrSvg;
    const small = qrSvg(session.join_url, "QR code of the join link");
    small.setAttribute("data-testid", "live-qr");
    ui.qr.replaceChildren(small);
    large.qr.replaceChildren(qrSvg(session.join_url, "QR code of the join link, large"));
  }

  // sent: the state the session was created with (null when resuming one: send it everything).
  async function begin(saved, sent) {
    session = saved;
    remember(saved);
    body.dataset.live = "on";
    button.textContent = "Live";
    button.setAttribute("aria-pressed", "true");
    button.title = "A live session is running: its card is first in the side column";
    ui.link.href = saved.join_url;
    ui.local.hidden = !LOOPBACK.test(new URL(saved.join_url).hostname);
    ui.link.textContent = saved.join_url.replace(/^https?:\/\//, "");
    large.link.textContent = saved.join_url.replace(/^https?:\/\//, "");
    ui.card.hidden = false;
    pusher = createPusher({ send: (changes) => api.push(saved.id, saved.token, changes), read: current, onResult: onPushed });
    // A new session already holds what it was created with; anything changed since (a step taken
    // while it was being created) and whatever a resumed one missed is sent now.
    if (sent) pusher.assumeSpec(JSON.stringify(sent.spec));
    if (!sent || JSON.stringify(sent) !== JSON.stringify(current())) pusher.push();
    poll.update();
    await drawQr();
    countFollowers();
  }

  function ended(message) {
    pusher?.stop();
    pusher = null;
    clearTimeout(counter);
    session = null;
    remember(null);
    poll.clear();
    if (large.dialog.open) large.dialog.close();
    body.dataset.live = "off";
    button.textContent = "Go live";
    button.setAttribute("aria-pressed", "false");
    button.title = "Start a live session: students follow this page on their own devices and answer polls";
    ui.card.hidden = !message;
    ui.qr.replaceChildren();
    ui.link.removeAttribute("href");
    ui.link.textContent = "";
    ui.count.textContent = "0 following";
    delete ui.status.dataset.kind;
    say(message || "");
  }

  async function start() {
    if (session) {
      ui.card.scrollIntoView({ block: "nearest" });
      ui.link.focus();
      return;
    }
    button.disabled = true;
    const initial = current();
    const result = await api.create(initial);
    button.disabled = false;
    if (!result.ok) {
      app.notify(`Could not start a live session: ${result.error}.`);
      return;
    }
    app.notify("");
    say("");
    await begin({ id: result.id, token: result.presenter_token, join_url: result.join_url }, initial);
  }

  async function stop() {
    if (!session) return;
    const { id, token } = session;
    ui.stop.disabled = true;
    const result = await api.end(id, token);
    ui.stop.disabled = false;
    // Already gone (expired, ended elsewhere) is as good as ended.
    if (result.ok || result.status === 404 || result.status === 403) {
      ended("");
      button.focus(); // the card, and the focused button with it, is gone
    } else {
      say(`Could not end the session: ${result.error}.`);
    }
  }

  async function resume(saved) {
    const state = await api.state(saved.id);
    if (!state.ok && !state.retryable) { ended(""); return; } // the server no longer knows it: forget it quietly
    await begin(saved, null);
    if (state.ok && state.poll) poll.resume(state.poll);
  }

  const changed = () => pusher?.push();
  app.on("step", changed);
  app.on("trace", changed);
  app.on("mode", changed);
  app.on("step", poll.update);
  app.on("trace", poll.update);
  ui.stop.addEventListener("click", stop);
  ui.show.addEventListener("click", () => large.dialog.showModal());
  large.dialog.addEventListener("click", (event) => { if (event.target === large.dialog) large.dialog.close(); });
  return { start, resume };
}
