// The page's entry point: owns the one state object, talks to the server, the URL and the
// document, and wires graph, player, controls, panels and editor together.
import { fetchMeta, fetchPresets, fetchTrace } from "./api.js";
import { createGraph } from "./graph.js";
import { createPlayer } from "./player.js";
import { createControls } from "./controls.js";
import { encodeHash, shareState } from "./urlstate.js";
import { createPanels } from "./panels.js";
import { createEditor } from "./editor.js";
import { setupShare, restoreState, followHash } from "./share.js";
import { setupSampleSwitch } from "./sampleswitch.js";
import { setupSampleFocus } from "./samplefocus.js";
import { installPlainCopy } from "./notation.js";
import { nextFrame, settle } from "./frame.js";
import { loadMath } from "./formula.js";

const body = document.body;
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const urls = { trace: body.dataset.traceUrl, presets: body.dataset.presetsUrl, meta: body.dataset.metaUrl };

// sample: the mini-batch sample the graph shows where a step is about the whole batch (0-based).
const state = { trace: null, spec: null, presetId: null, index: 0, playing: false, presets: [], mode: "normal", sample: 0 };
let request = 0; // only the newest trace request may land
// While the server cannot be reached: the newest request waiting to be sent again.
const retry = { timer: null, delay: 1000, pending: null };
const RETRY_MAX_DELAY = 8000;

const KEYS = {
  ArrowLeft: () => player.prev(), PageUp: () => player.prev(),
  ArrowRight: () => player.next(), PageDown: () => player.next(),
  " ": () => player.toggle(), Home: () => player.first(), End: () => player.last(),
};

// Feature modules (lecture, presenter, sharing, exports, quiz ...) get this facade instead of
// reaching into the page: they read `app.state`, call the actions and listen to events.
// Events: "step" (index, playing), "trace" (trace), "controls" (trace, before the graph is laid
// out for it), "mode" (mode), "theme" (theme), "draw" (index, view: the step was drawn),
// "highlight" (element id or null: lit by pointing or focus).
const listeners = {};
// What the picture hides is an input of rendering: predicates (step) -> whether its value is
// hidden (quiz mode registers one), combined into the view every renderer is given.
const hiders = [];
const app = {
  state,
  $: (testid) => $(testid),
  on(event, fn) { (listeners[event] ??= []).push(fn); },
  emit(event, ...args) { for (const fn of listeners[event] ?? []) fn(...args); },
  seek: (index) => player.seek(index),
  play: () => player.play(),
  pause: () => player.pause(),
  toggle: () => player.toggle(),
  // options: {index, presetId, showErrors (false: a refusal is the caller's to show, not the editor's)}.
  loadSpec: (spec, options = {}) => requestTrace(spec, { presetId: "custom", ...options }),
  setMode(mode) {
    if (state.mode === mode) return;
    state.mode = mode;
    body.dataset.mode = mode;
    writeHash();
    app.emit("mode", mode);
  },
  setTheme(theme) {
    if (body.dataset.theme === theme) return;
    body.dataset.theme = theme;
    $("theme-toggle").setAttribute("aria-pressed", String(theme === "dark"));
    app.emit("theme", theme);
  },
  urls,
  // The page's address, hash included (written now if a step's is pending): what a shared link opens.
  link: () => { settle(); return location.href; },
  // A dismissible notice above the graph (e.g. a link that could not be restored); "" hides it.
  notify(message) {
    $("notice-text").textContent = message || "";
    $("notice").hidden = !message;
  },
  // Key bindings of feature modules (e.g. "l" for lecture mode), next to the player's own.
  bindKey(key, action) { KEYS[key] = action; },
  // Options of the graph's layout (e.g. {lecture: true}: projector sizes); redraws at once.
  setGraphOptions(options) {
    graph.setOptions(options);
    if (!state.trace) return;
    graph.mount(state.trace, graphSize());
    graph.render(state.trace, state.index, view());
  },
  /** Show sample n of a mini-batch: the same step of that sample, or (on a step about the whole
   * batch) that sample's forward and backward values. */
  setSample(n, { follow = true } = {}) {
    const steps = state.trace?.steps;
    const count = state.trace?.per_sample?.length ?? 0;
    if (!steps || !count) return;
    state.sample = Math.max(0, Math.min(n, count - 1));
    const step = steps[state.index];
    if (follow && step.sample !== undefined && step.sample !== state.sample) {
      const twin = `s${state.sample}-${step.id.slice(step.id.indexOf("-") + 1)}`;
      const index = steps.findIndex((s) => s.id === twin);
      if (index >= 0) { player.seek(index); return; }
    }
    draw(state.index);
    writeHash();
    app.emit("step", state.index, state.playing);
  },
  /** Light a graph element (id, or null for none) in the graph, the formula's chips and any view. */
  highlight(id) {
    graph.highlight(id);
    panels.highlight(id);
    app.emit("highlight", id);
  },
  /** Whether a step's value is hidden now (an open quiz question): for views that show many steps' values. */
  isHidden: (step) => hiders.some((hidden) => hidden(step)),
  /** Hide step values for which `predicate(step)` is true (e.g. an open quiz question). */
  hideWhen(predicate) { hiders.push(predicate); },
  /** The view options of the current step: {hidden}; what the graph, panels and exports are given. */
  view: () => view(),
  /** Draw the current step again if its view changed (a hidden value was answered, a mode or trace changed). */
  redraw() {
    const now = view();
    if (state.trace && (drawn.trace !== state.trace || drawn.index !== state.index || drawn.hidden !== now.hidden
      || drawn.sample !== now.sample)) draw(state.index);
  },
};

const graphBox = $("graph");
const graph = createGraph(graphBox, {
  onHover: (id) => app.highlight(id),
  onEdgeClick: (id) => editor?.focusWeight(id),
});
const panels = createPanels(
  { narration: $("narration"), formula: $("formula"), values: $("values"), checkTable: $("check-table") },
  { onHover: (id) => app.highlight(id) },
);
// Focus on a weight's or a bias's field lights its element and shows its values in the graph's
// tip: the keyboard's way to what hovering an edge shows.
$("editor").addEventListener("focusin", (event) => {
  const id = event.target.dataset?.testid?.match(/^(?:weight|bias)-(.+)$/)?.[1];
  if (id) app.highlight(id);
});
$("editor").addEventListener("focusout", () => app.highlight(null));
const player = createPlayer({ onChange: (index, playing) => show(index, playing) });
const controls = createControls({
  play: $("play"), prev: $("prev"), next: $("next"), first: $("first"), last: $("last"),
  speed: $("speed"), scrubber: $("scrubber"), counter: $("step-counter"), phases: document.querySelector(".phase-bar"),
}, player);
let editor = null;

function view(index = state.index) {
  const step = state.trace?.steps[index];
  // The sample shown: the step's own, else the one chosen (a mini-batch's accumulate, check, update).
  // brisk: playing faster than real time, the side column in its quick form (panels.js).
  return { hidden: !!step && hiders.some((hidden) => hidden(step)), sample: step?.sample ?? state.sample,
    brisk: state.playing && player.speed > 1 };
}

// The graph and the panels always get the same (trace, index, view).
let drawn = {};
function draw(index) {
  const v = view(index);
  graph.render(state.trace, index, v);
  panels.render(state.trace, index, v);
  drawn = { trace: state.trace, index, hidden: v.hidden, sample: v.sample };
  app.emit("draw", index, v);
  return v;
}

function show(index, playing) {
  state.index = index;
  state.playing = playing;
  if (!state.trace) return;
  const v = draw(index);
  controls.update(index, playing, state.trace);
  // Playing fast, the address follows when playback stops (replaceState costs a frame's worth).
  if (!v.brisk) writeHash();
  app.emit("step", index, playing);
}

// The whole view (step, mode, network) in the hash, so a copied link reopens exactly this. Once
// per frame (frame.js): replaceState is slow, and Chromium throttles a page that calls it for
// every step of a held arrow key.
function writeHash() {
  if (!state.trace) return;
  nextFrame(writeHash, () => history.replaceState(null, "", encodeHash(shareState(state))));
}

function graphSize() {
  return { width: graphBox.clientWidth, height: graphBox.clientHeight };
}

function setTrace(trace, index) {
  state.trace = trace;
  state.sample = Math.min(state.sample, Math.max(0, (trace.per_sample?.length ?? 1) - 1));
  // Controls that come and go with the trace (the sample switcher) first: the graph then
  // measures the box they leave it, and the picture does not shift a moment later.
  app.emit("controls", trace);
  controls.setTrace(trace);
  graph.mount(trace, graphSize());
  player.setCount(trace.steps.length, index);
}

function showStatus(message) {
  const status = $("status");
  status.textContent = message || "";
  status.hidden = !message;
}

// showErrors: false leaves a refused request's message to the caller (the Train panel's note).
async function requestTrace(spec, { index, presetId, showErrors = true }) {
  const mine = ++request;
  clearTimeout(retry.timer);
  body.classList.add("is-loading");
  const result = await fetchTrace(urls.trace, spec, {
    onBusy: (seconds) => showStatus(`The server is busy; retrying in ${seconds} s.`),
    stale: () => mine !== request,
  });
  if (mine !== request) return { ok: false, error: "superseded by a newer request", field: "request" };
  body.classList.remove("is-loading");
  if (!result.ok && result.retryable) {
    // The server is away: keep the last trace on screen and what was typed in the editor,
    // and send the newest request again until it answers.
    // (with a trace on screen, the retried one keeps whatever step is shown when it arrives).
    scheduleRetry(spec, { index: state.trace ? undefined : index, presetId }, result.busy);
    return result;
  }
  retry.delay = 1000;
  body.dataset.connection = "online";
  if (!result.ok) {
    // The last valid network stays on screen; the editor says what is wrong and where.
    showStatus("");
    if (showErrors) editor?.showError(result);
    return result;
  }
  editor?.clearErrors();
  state.spec = spec;
  if (presetId !== undefined) state.presetId = presetId;
  setTrace(result.trace, index);
  showStatus(nonfiniteWarning(result.trace));
  editor?.setSpec(result.trace.spec, state.presetId, result.trace);
  app.emit("trace", result.trace);
  return result;
}

function scheduleRetry(spec, options, busy) {
  body.dataset.connection = "offline";
  const seconds = Math.round(retry.delay / 1000);
  showStatus(`${busy ? "The server is busy." : "The server cannot be reached."} ${state.trace ? "The last network stays on screen and your edits are kept; " : ""}`
    + `trying again in ${seconds} s.`);
  retry.timer = setTimeout(() => requestTrace(spec, options), retry.delay);
  retry.delay = Math.min(retry.delay * 2, RETRY_MAX_DELAY);
}

// Values that overflowed arrive as null with the trace flagged; say so rather than draw blanks.
function nonfiniteWarning(trace) {
  if (!trace.has_nonfinite) return "";
  return `Warning: ${trace.nonfinite.length}${trace.nonfinite.length >= 100 ? "+" : ""} value(s) overflowed `
    + "and are shown as \u201cnon-finite\u201d; try smaller weights, inputs or slopes.";
}

// An edited network keeps the step shown when its trace arrives (no index: the player's own),
// not the one shown when it was asked for: the user may have moved on in between.
function onSpec(spec) {
  requestTrace(spec, { presetId: "custom" });
}

function onPreset(presetId) {
  const preset = state.presets.find((p) => p.id === presetId);
  if (preset) requestTrace(preset.spec, { index: 0, presetId });
}

function setupSettings() {
  body.dataset.mode = state.mode;
  app.setTheme(matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  $("theme-toggle").addEventListener("click", () => app.setTheme(body.dataset.theme === "dark" ? "light" : "dark"));
  const motion = $("reduced-motion");
  const query = matchMedia("(prefers-reduced-motion: reduce)");
  const apply = () => {
    const reduced = motion.checked || query.matches;
    body.dataset.motion = reduced ? "reduced" : "full";
    graph.setReducedMotion(reduced);
  };
  motion.checked = query.matches;
  motion.addEventListener("change", apply);
  query.addEventListener("change", apply);
  apply();
}

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
}

function setupKeys() {
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    // Space on a focused button or summary activates it, as keyboard users expect; elsewhere it plays.
    if (event.key === " " && event.target instanceof Element && event.target.closest("button, summary")) return;
    const action = KEYS[event.key] ?? KEYS[event.key.toLowerCase()];
    if (!action || !state.trace) return;
    event.preventDefault();
    action();
  });
}

function setupResize() {
  let timer = null;
  let last = graphSize();
  new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = graphSize();
      if (!state.trace || (Math.abs(now.width - last.width) < 24 && Math.abs(now.height - last.height) < 24)) return;
      last = now;
      graph.mount(state.trace, now);
      graph.render(state.trace, state.index, view());
    }, 150);
  }).observe(graphBox);
}

// While the server cannot be reached, ask again (backing off) and say so.
async function fetchUntilAnswered(fetcher, url) {
  let result = await fetcher(url);
  for (let delay = 1000; !result.ok && result.retryable; delay = Math.min(delay * 2, RETRY_MAX_DELAY)) {
    showStatus(`${result.error}; trying again in ${Math.round(delay / 1000)} s.`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    result = await fetcher(url);
  }
  return result;
}

// Feature modules the first graph does not need, fetched while it is traced and drawn: off the
// page's critical path, so not preloaded (modules.py lists static imports only). The server can
// drop out meanwhile (a restart, the hall's Wi-Fi): they are asked for again with backoff, as the
// API is (fetchUntilAnswered), and the page says so until they arrive.
const FEATURES_MISSING = "Some controls could not be loaded; trying again.";
async function importFeatures() {
  for (let delay = 1000; ; delay = Math.min(2 * delay, 8000)) {
    try {
      const modules = await Promise.all([import("./study.js"), import("./exports.js"), import("./lecture.js"),
        import("./presenter.js"), import("./trainpanel.js"), import("./codeview.js"), import("./matrixview.js"),
        import("./livehost.js"),
        // A live session's follower page only (pages.py marks it): no other visit fetches it.
        body.dataset.liveRole === "follower" ? import("./livefollow.js") : {}]);
      if ($("status").textContent === FEATURES_MISSING) showStatus("");
      return Object.assign({}, ...modules);
    } catch {
      if ($("status").hidden) showStatus(FEATURES_MISSING);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function start() {
  const features = importFeatures();
  // Copying text with typeset symbols gives readable Unicode (w₂₁₁), not their two renderings.
  installPlainCopy(document);
  setupSettings();
  setupKeys();
  // The presets, and what a request may hold (the editor's choices and limits): fetched once.
  const [presets, meta] = await Promise.all([fetchUntilAnswered(fetchPresets, urls.presets),
    fetchUntilAnswered(fetchMeta, urls.meta)]);
  const failed = [presets, meta].find((r) => !r.ok);
  if (failed) {
    showStatus(failed.error);
    return;
  }
  showStatus("");
  state.presets = presets.presets;
  const preset = state.presets.find((p) => p.id === presets.default) || state.presets[0];
  editor = createEditor($("editor"), { presets: state.presets, meta, onSpec, onPreset });
  editor.setSpec(preset.spec, preset.id);
  setupSampleSwitch(app); // before the first trace: it shows or hides itself before the graph is laid out
  const restored = await restoreState(app, location.hash, preset);
  if (!state.trace) showStatus("The worked example could not be traced.");
  setupResize();
  window.addEventListener("hashchange", () => followHash(app, location.hash));
  // Feature modules: each gets the app facade (one line each).
  const { setupStudy, setupExports, setupLecture, setupPresenter, setupTrainPanel, setupCodeView, setupMatrixView,
    setupLiveHost, setupLiveFollow } = await features;
  setupStudy(app);
  setupCodeView(app);
  setupShare(app);
  setupSampleFocus(app);
  setupExports(app);
  setupLecture(app);
  setupPresenter(app);
  setupTrainPanel(app);
  setupMatrixView(app);
  setupLiveHost(app); // after setupPresenter: an audience window is no live presenter
  setupLiveFollow?.(app); // a live session's follower page only: the lecturer's state from here on
  // Last, so every feature module above sees the mode the link asks for.
  app.setMode(restored.mode);
  // Every control is wired and the formulas are typeset from here on (the graph drew before
  // temml arrived, formula.js); tests and scripts wait for this before clicking.
  await loadMath();
  // The formula's fit in a task of its own, after the panels typeset their symbols (one long
  // task would block input for both).
  await new Promise((resolve) => setTimeout(resolve));
  settle();
  body.dataset.ready = "true";
}

start();
