// The presenter's poll, inside the Live card: `poll-open` asks the class to predict the current
// backward step's value; its answers arrive as a histogram (pollchart.js), refreshed while the
// poll is open; `poll-reveal` shows the class the answer, `poll-csv` downloads the answers. While
// the poll is open the step's value is hidden on this page too (the screen may be the one the
// hall sees): a predicate given to the app, as the quiz does, so nothing here touches the graph.
import { el } from "./dom.js";
import { fmt, loadMath, mathLoaded, renderMath } from "./formula.js";
import { toText } from "./notation.js";
import { pollChart } from "./pollchart.js";
import { download } from "./exports.js";

const RESULTS_EVERY_MS = 1000;

/** Whether the class can be asked to predict a step: a backward step with a number to predict. */
export const pollable = (step) => step?.phase === "backward" && typeof step.value === "number" && Number.isFinite(step.value);

const plainNumber = (x) => fmt(x).replace(/^-/, "\u2212");

function buildPoll() {
  const bar = el("div", { class: "live-poll-bar" });
  const open = el("button", { type: "button", class: "btn", "data-testid": "poll-open", "aria-describedby": "poll-open-hint" }, "Poll this step");
  const hint = el("span", { class: "live-hint", id: "poll-open-hint" });
  bar.append(open, hint);
  const section = el("section", { class: "live-poll", "data-testid": "poll", "aria-labelledby": "poll-title", hidden: "" });
  const title = el("h3", { id: "poll-title" }, "Poll");
  const question = el("p", { class: "poll-question", "data-testid": "poll-host-question" });
  const line = el("p", { class: "poll-line" });
  const count = el("output", { class: "poll-count", "data-testid": "poll-count" }, "0 answers");
  const state = el("span", { class: "poll-state", "data-testid": "poll-state" });
  line.append(count, state);
  const chart = el("div", { class: "poll-chart-box" });
  const verdict = el("p", { class: "poll-verdict", "data-testid": "poll-host-verdict", role: "status", tabindex: "-1" });
  const actions = el("div", { class: "poll-actions" });
  const reveal = el("button", { type: "button", class: "btn primary", "data-testid": "poll-reveal" }, "Reveal the answer");
  const csv = el("button", { type: "button", class: "btn", "data-testid": "poll-csv", title: "The answers as a CSV file (no names, no device ids)" }, "Answers (CSV)");
  actions.append(reveal, csv);
  section.append(title, question, line, chart, verdict, actions);
  return { bar, open, hint, section, question, count, state, chart, verdict, reveal, csv };
}

/**
 * The poll controls for the Live card: {bar, section, resume(poll), clear(), update()}. session()
 * gives the live session ({id, token}) or null; ready() resolves once the server has the page's
 * network and step (the poll is of its step); say(message) reports on the card's status line.
 */
export function createLivePoll(app, { api, session, ready, say }) {
  const ui = buildPoll();
  let poll = null; // {id, step, step_id, symbol, status, correct?}
  let timer = null;
  let shown = ""; // the results drawn, as JSON: redraw only when they change

  app.hideWhen((step) => poll?.status === "open" && step.id === poll.step_id);

  function update() {
    const step = app.state.trace?.steps[app.state.index];
    const can = !!session() && pollable(step);
    ui.open.disabled = !can;
    ui.hint.textContent = can ? "" : "At a backward step: the class predicts its value.";
  }

  function renderQuestion() {
    const math = el("span", { class: "poll-symbol", "aria-hidden": "true" });
    renderMath(poll.symbol, math);
    if (!mathLoaded()) loadMath().then((arrived) => arrived && poll && renderMath(poll.symbol, math));
    ui.question.replaceChildren("Predict ", math, el("span", { class: "sr-only" }, toText(poll.symbol)));
  }

  function render(results) {
    const revealed = poll.status === "revealed";
    ui.count.textContent = `${results.count} answer${results.count === 1 ? "" : "s"}`;
    ui.state.textContent = revealed ? "revealed" : "open";
    ui.reveal.disabled = revealed;
    // A projected screen must not give the answer away before the reveal.
    const markCorrect = revealed || app.state.mode !== "lecture";
    const key = JSON.stringify([results.histogram, markCorrect]);
    if (key !== shown) {
      shown = key;
      const svg = pollChart(results, { markCorrect });
      svg.setAttribute("data-testid", "poll-results");
      ui.chart.replaceChildren(svg);
    }
    ui.verdict.textContent = revealed
      ? `The answer: ${plainNumber(results.correct)}. ${results.right} of ${results.count} right.` : "";
  }

  async function refresh() {
    clearTimeout(timer);
    const s = session();
    if (!poll || !s) return;
    const pollId = poll.id;
    const results = await api.results(s.id, s.token, pollId);
    if (!poll || poll.id !== pollId) return;
    if (results.ok) {
      if (results.status === "revealed" && poll.status !== "revealed") markRevealed(results.correct);
      render(results);
    } else if (!results.retryable) {
      say(`The poll is no longer available: ${results.error}.`);
      clear();
      return;
    }
    if (poll.status === "open") timer = setTimeout(refresh, RESULTS_EVERY_MS);
  }

  function markRevealed(correct) {
    poll = { ...poll, status: "revealed", correct };
    document.body.dataset.livePoll = "revealed";
    app.redraw();
  }

  /** Show a poll of the session (a new one, or the one open when the page was reloaded). */
  function resume(p) {
    poll = { ...p };
    shown = "";
    // body[data-live-poll]: lecture mode gives the histogram the room it needs (live.css).
    document.body.dataset.livePoll = poll.status === "revealed" ? "revealed" : "open";
    ui.section.hidden = false;
    renderQuestion();
    ui.count.textContent = "0 answers";
    ui.state.textContent = poll.status === "revealed" ? "revealed" : "open";
    ui.chart.replaceChildren();
    ui.verdict.textContent = "";
    app.redraw();
    refresh();
  }

  function clear() {
    clearTimeout(timer);
    poll = null;
    delete document.body.dataset.livePoll;
    ui.section.hidden = true;
    app.redraw();
    update();
  }

  async function open() {
    const s = session();
    const step = app.state.index;
    if (!s || !pollable(app.state.trace?.steps[step])) return;
    ui.open.disabled = true;
    await ready(); // the server polls its own copy of the network: it must be this one, at this step
    const result = await api.openPoll(s.id, s.token, step);
    update();
    if (!result.ok) { say(`Could not open the poll: ${result.error}.`); return; }
    say("");
    resume(result.poll ?? { id: result.poll_id, step, step_id: app.state.trace.steps[step].id,
      symbol: app.state.trace.steps[step].symbol, status: "open" });
  }

  async function reveal() {
    const s = session();
    if (!poll || !s) return;
    const hadFocus = document.activeElement === ui.reveal;
    ui.reveal.disabled = true;
    const results = await api.reveal(s.id, s.token, poll.id);
    if (!results.ok) { ui.reveal.disabled = false; say(`Could not reveal the answer: ${results.error}.`); return; }
    clearTimeout(timer);
    markRevealed(results.correct);
    render(results);
    // The disabled button lets go of the keyboard: it goes to the verdict, not to <body>.
    if (hadFocus) ui.verdict.focus();
  }

  async function saveCsv() {
    const s = session();
    if (!poll || !s) return;
    const result = await api.csv(s.id, s.token, poll.id);
    if (result.ok) download(result.blob, `poll-${poll.step_id}.csv`);
    else say(`Could not download the answers: ${result.error}.`);
  }

  ui.open.addEventListener("click", open);
  ui.reveal.addEventListener("click", reveal);
  ui.csv.addEventListener("click", saveCsv);
  // The chart's marker depends on the mode (projected or not).
  app.on("mode", () => { if (poll && !ui.section.hidden) refresh(); });
  update();
  return { bar: ui.bar, section: ui.section, resume, clear, update, current: () => poll };
}
