// Presenter view: `presenter-open` opens an audience window (this page with ?view=audience,
// in lecture mode); the two windows stay in sync through a BroadcastChannel, in both
// directions and without the server: step, play/pause, speed, network, theme and quiz mode.
// The presenter keeps notes: the step's narration and formula, the next step, a clock.
import { fillLatex } from "./formula.js";
import { fitMath } from "./fitmath.js";
import { htmlNodes } from "./notation.js";
import { el } from "./dom.js";

const CHANNEL = "backprop-explainer";
const randomId = () => (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2)).slice(0, 12);
const json = (x) => JSON.stringify(x ?? null);

function clock(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

// The notes card, first in the side column. Built here so the page's markup stays one block.
function buildNotes() {
  const card = el("section", { class: "card presenter-notes presenter-only", "data-testid": "presenter-notes", "aria-label": "Presenter notes" });
  const head = el("div", { class: "notes-head" });
  const title = el("h2", {}, "Presenter notes");
  const status = el("span", { class: "notes-status", "data-testid": "presenter-status", role: "status" });
  const elapsed = el("time", { class: "notes-clock", "data-testid": "elapsed", "aria-label": "Time since the audience window opened" }, "00:00");
  const reset = el("button", { type: "button", class: "btn small", "data-testid": "elapsed-reset", title: "Start the clock again" }, "Reset");
  head.append(title, status, elapsed, reset);
  const narration = el("p", { class: "notes-narration", "data-testid": "presenter-narration" });
  const formula = el("div", { class: "notes-formula", "data-testid": "presenter-formula" });
  const nextLabel = el("h3", { class: "notes-next-label" }, "Next");
  const next = el("p", { class: "notes-next", "data-testid": "next-preview" });
  card.append(head, narration, formula, nextLabel, next);
  card.hidden = true;
  return { card, status, elapsed, reset, narration, formula, next };
}

export function setupPresenter(app) {
  const body = document.body;
  const page = new URL(app.link());
  const me = randomId();
  const isAudience = page.searchParams.get("view") === "audience";
  // Only a presenter and the audience windows it opened talk: other tabs of the page ignore them.
  let session = isAudience ? page.searchParams.get("session") || "" : null;
  let channel = null;
  let applying = 0; // > 0 while applying the other window's change: it is not sent back
  let sentStep = null; // "index|playing|speed" last sent, to skip repeats
  let specJson = json(app.state.spec); // the network both windows are known to show
  let loading = false; // the other window's network is being traced here
  let wantedIndex = null; // the step it asked for meanwhile

  const button = app.$("presenter-open");
  const speed = app.$("speed");
  const notes = buildNotes();
  let audience = null; // the audience window (presenter side)
  let audienceOpen = false;
  let openedAt = null;
  let ticker = null;

  function send(message) {
    if (!channel) return;
    try {
      channel.postMessage({ ...message, from: me, session });
    } catch {
      // A closed channel (the page is going away) has nobody left to tell.
    }
  }

  function quietly(fn) {
    applying += 1;
    try { fn(); } finally { applying -= 1; }
  }

  function stepMessage() {
    return { type: "step", index: app.state.index, playing: app.state.playing, speed: speed.value };
  }

  function sendStep() {
    const message = stepMessage();
    const key = `${message.index}|${message.playing}|${message.speed}`;
    if (key === sentStep) return;
    sentStep = key;
    send(message);
  }

  function fullState() {
    return { ...stepMessage(), type: "state", spec: app.state.spec, presetId: app.state.presetId,
      theme: body.dataset.theme, mode: app.state.mode };
  }

  // --- applying the other window's messages (each compares before it acts) ---
  function applyStep({ index, playing, speed: rate }) {
    sentStep = `${index}|${playing}|${rate}`;
    quietly(() => {
      if (rate && speed.value !== rate) {
        speed.value = rate;
        speed.dispatchEvent(new Event("change"));
      }
      if (index !== app.state.index) app.seek(index);
      if (playing && !app.state.playing) app.play();
      if (!playing && app.state.playing) app.pause();
    });
    if (loading) wantedIndex = index;
  }

  function applySpec({ spec, presetId, index }) {
    const incoming = json(spec);
    if (!spec) return;
    specJson = incoming;
    if (incoming === json(app.state.spec)) return;
    loading = true;
    wantedIndex = index;
    app.loadSpec(spec, { index, presetId });
  }

  function applyMode(mode) {
    // Quiz mode is mirrored (the hall predicts together); otherwise each window keeps its own
    // view: the audience stays in lecture mode, the presenter in whichever mode it chose.
    const resting = isAudience ? "lecture" : "normal";
    quietly(() => {
      if (mode === "quiz") app.setMode("quiz");
      else if (app.state.mode === "quiz") app.setMode(resting);
    });
  }

  function receive({ data }) {
    if (!data || data.from === me || data.session !== session) return;
    switch (data.type) {
      case "hello": // a (re)loaded audience window asks for everything
        if (!isAudience) {
          markOpen(true);
          send(fullState());
        }
        break;
      case "state":
        if (data.theme) quietly(() => app.setTheme(data.theme));
        applySpec(data);
        applyStep(data);
        applyMode(data.mode);
        break;
      case "step":
        applyStep(data);
        break;
      case "spec":
        applySpec(data);
        break;
      case "theme":
        quietly(() => app.setTheme(data.theme));
        break;
      case "mode":
        applyMode(data.mode);
        break;
      case "bye":
        if (!isAudience) markOpen(false);
        break;
      default:
        break;
    }
  }

  function openChannel() {
    if (channel || typeof BroadcastChannel !== "function") return;
    channel = new BroadcastChannel(CHANNEL);
    channel.addEventListener("message", receive);
  }

  // --- local changes go to the other window ---
  app.on("step", () => { if (!applying) sendStep(); });
  speed.addEventListener("change", () => { if (!applying) sendStep(); });
  app.on("theme", (theme) => { if (!applying) send({ type: "theme", theme }); });
  app.on("mode", (mode) => { if (!applying) send({ type: "mode", mode }); });
  app.on("trace", () => {
    const now = json(app.state.spec);
    const wanted = wantedIndex;
    loading = false;
    wantedIndex = null;
    if (now === specJson) {
      // The network the other window sent has arrived: go to the step it is on now.
      if (wanted !== null && wanted !== app.state.index) quietly(() => app.seek(wanted));
      return;
    }
    specJson = now;
    send({ type: "spec", spec: app.state.spec, presetId: app.state.presetId, index: app.state.index });
  });
  addEventListener("pagehide", () => send({ type: "bye" }));

  // --- the notes (presenter side) ---
  function renderNotes() {
    const { trace, index } = app.state;
    if (notes.card.hidden || !trace) return;
    const step = trace.steps[index];
    // The presenter's crib: values are shown even while the quiz hides them from the room.
    const now = fillLatex(trace, step);
    notes.narration.replaceChildren(`${index + 1} / ${trace.steps.length} · `, ...htmlNodes(now.narrationLatex));
    // The notes column is narrow: fitMath picks the layout (a chain broken at its "=" signs).
    fitMath(notes.formula, now.formula, { kind: step.kind, lineClass: "notes-formula-line" });
    const following = trace.steps[index + 1];
    if (following) notes.next.replaceChildren(...htmlNodes(fillLatex(trace, following).narrationLatex));
    else notes.next.textContent = "End of the walkthrough.";
  }

  function tick() {
    if (openedAt !== null) notes.elapsed.textContent = clock(Date.now() - openedAt);
    if (audienceOpen && (!audience || audience.closed)) markOpen(false);
  }

  function markOpen(open) {
    audienceOpen = open;
    body.dataset.audience = open ? "open" : "closed";
    notes.status.textContent = open ? "Audience window open" : "Audience window closed";
    button.textContent = open ? "Audience window" : "Reopen audience";
    button.title = open ? "Bring the audience window to the front" : "Open the audience window again";
  }

  function openAudience() {
    openChannel();
    session ??= me;
    body.dataset.view = "presenter";
    const target = new URL(app.link());
    target.searchParams.set("view", "audience");
    target.searchParams.set("session", session);
    if (audience && !audience.closed) {
      audience.focus();
      return;
    }
    audience = window.open(target.href, `backprop-audience-${session}`, "popup,width=1280,height=720");
    notes.card.hidden = false;
    if (!audience) {
      notes.status.textContent = "The browser blocked the window: allow pop-ups for this page";
      return;
    }
    markOpen(true);
    if (openedAt === null) openedAt = Date.now();
    ticker ??= setInterval(tick, 1000);
    tick();
    renderNotes();
  }

  if (isAudience) {
    body.dataset.view = "audience";
    button.hidden = true;
    openChannel();
    // After main.js has applied the mode the link asks for (it does so right after the feature
    // modules are set up): the audience window always starts in lecture mode.
    queueMicrotask(() => quietly(() => app.setMode("lecture")));
    send({ type: "hello" });
    return;
  }
  document.querySelector(".side")?.prepend(notes.card);
  button.addEventListener("click", openAudience);
  notes.reset.addEventListener("click", () => { openedAt = Date.now(); tick(); });
  app.on("step", renderNotes);
  app.on("trace", renderNotes);
}
