// Answering the lecturer's poll on a follower page: while state.poll is open, a card asks for
// the polled step's value (a number or its sign) and the step's value stays hidden here; after the
// reveal the card says whether this device's answer was right. The device is known to the server
// only by a random client id kept in localStorage. Answers and errors are shown as text only.
import { el } from "./dom.js";
import { fmt, loadMath, mathLoaded, renderMath } from "./formula.js";
import { toText } from "./notation.js";
import { postJson } from "./api.js";
import { deviceClientId, sentText, verdictText } from "./livestate.js";

const CLIENT_KEY = "backprop-live-client";

function buildCard() {
  const card = el("section", { class: "card answer-card", "data-testid": "poll-card", "aria-labelledby": "answer-title", hidden: "" });
  const title = el("h2", { id: "answer-title" }, "Poll");
  const question = el("p", { class: "answer-question", "data-testid": "poll-question" });
  const form = el("form", { class: "answer-form", novalidate: "" });
  const label = el("label", { for: "answer-field", class: "answer-label" }, "Your answer");
  const input = el("input", { type: "text", id: "answer-field", class: "answer-field", "data-testid": "poll-answer",
    inputmode: "decimal", autocomplete: "off", spellcheck: "false", "aria-describedby": "answer-hint answer-error" });
  const submit = el("button", { type: "submit", class: "btn primary", "data-testid": "poll-submit" }, "Send");
  form.append(label, input, submit);
  const hint = el("p", { class: "answer-hint", id: "answer-hint" }, "A number such as \u22129.6, or just its sign: + or \u2212.");
  const error = el("p", { class: "answer-error", id: "answer-error", "data-testid": "poll-error", role: "alert" });
  const sent = el("p", { class: "answer-sent", "data-testid": "poll-sent", role: "status" });
  const verdict = el("p", { class: "answer-verdict", "data-testid": "poll-verdict", role: "status", hidden: "" });
  card.append(title, question, form, hint, error, sent, verdict);
  return { card, question, form, input, submit, hint, error, sent, verdict };
}

async function getJson(url) {
  try {
    const response = await fetch(url, { cache: "no-store" });
    return { status: response.status, body: response.ok ? await response.json() : null };
  } catch {
    return { status: 0, body: null };
  }
}

/**
 * The poll card; `base` is the session's API URL, `onLecturerNetwork()` whether the page shows the
 * lecturer's network. Returns {update(state), stop()}.
 */
export function setupPollAnswer(app, { base, onLecturerNetwork }) {
  const ui = buildCard();
  document.querySelector(".side").prepend(ui.card);
  let client = null; // made on the first answer or look-up, not on every page view
  let poll = null; // state.poll, as last received
  let mine = null; // this device's answer to `poll` ({answer, right, ...}) once known
  let seenState = false; // whether a state has arrived since the page loaded
  let stopped = false; // the session ended: nothing more can be sent

  const clientId = () => (client ??= deviceClientId(globalThis.localStorage, CLIENT_KEY));
  const pollUrl = () => `${base}/polls/${encodeURIComponent(poll.id)}`;
  const isOpen = () => poll?.status === "open";

  // The polled step's value stays hidden here until the reveal, on the lecturer's network only.
  app.hideWhen((step) => isOpen() && step.id === poll.step_id && onLecturerNetwork());

  // The symbol typeset as in the formula panel, from this page's own trace when it is the lecturer's
  // network (the step it names); otherwise the poll's symbol as plain text.
  function symbolNode() {
    const step = onLecturerNetwork() ? app.state.trace.steps.find((s) => s.id === poll.step_id) : null;
    const math = el("span", { class: "answer-symbol" });
    if (!step) {
      math.textContent = toText(poll.symbol ?? "");
      return math;
    }
    math.setAttribute("aria-hidden", "true");
    renderMath(step.symbol, math);
    if (!mathLoaded()) loadMath().then((arrived) => arrived && renderMath(step.symbol, math));
    const spoken = el("span", { class: "sr-only" }, toText(step.symbol));
    const both = el("span");
    both.append(math, spoken);
    return both;
  }

  function render() {
    ui.card.hidden = !poll;
    if (!poll) return;
    const open = isOpen();
    ui.question.replaceChildren(open ? "Predict " : "The lecturer asked for ", symbolNode(),
      open ? " before the lecturer reveals it" : "");
    ui.form.hidden = !open || stopped;
    ui.hint.hidden = !open || stopped;
    ui.sent.textContent = open && mine ? sentText(mine.answer) : "";
    ui.verdict.hidden = open;
    if (!open) {
      ui.error.textContent = "";
      ui.verdict.textContent = verdictText({ symbol: toText(poll.symbol ?? ""), correct: fmt(poll.correct),
        answer: mine?.answer ?? null, right: mine?.right ?? null });
      // Marked right or wrong once the server has judged it (a verdict on its way is neither).
      ui.verdict.className = `answer-verdict ${mine?.right === true ? "is-right" : mine?.right === false ? "is-wrong" : ""}`;
    }
  }

  // This device's answer as the server has it: after a reload it says what was sent; after the
  // reveal whether it was right.
  async function lookUp() {
    const id = poll.id;
    const { status, body } = await getJson(`${pollUrl()}/answers/${encodeURIComponent(clientId())}`);
    if (poll?.id !== id) return;
    if (status === 200 && body) mine = body;
    else if (status === 404) mine = null;
    render();
  }

  async function send(event) {
    event.preventDefault();
    const answer = ui.input.value.trim();
    if (!answer) {
      showError("Type a number, or a sign: + or \u2212.");
      return;
    }
    ui.submit.disabled = true;
    const id = poll.id;
    const result = await postJson(`${pollUrl()}/answers`, { client: clientId(), answer });
    ui.submit.disabled = false;
    if (poll?.id !== id) return;
    if (!result.ok) {
      showError(result.error);
      return;
    }
    showError("");
    mine = { answer: result.answer, value: result.value };
    ui.input.value = "";
    render();
  }

  function showError(message) {
    ui.error.textContent = message ? `${message.charAt(0).toUpperCase()}${message.slice(1)}` : "";
    if (message) ui.input.setAttribute("aria-invalid", "true");
    else ui.input.removeAttribute("aria-invalid");
  }

  ui.form.addEventListener("submit", send);
  ui.input.addEventListener("keydown", (event) => { if (event.key === "Escape") ui.input.blur(); });
  // A new trace (the lecturer's network arrived) can change what is hidden and how the symbol is set.
  app.on("trace", () => { if (poll) render(); });

  return {
    update(state) {
      const next = state.poll ?? null;
      const changed = next?.id !== poll?.id;
      const revealed = !!next && next.status !== "open" && (changed || poll?.status === "open");
      // A poll already there when the page joined may have been answered before a reload: ask. One
      // that opens while the page watches has no answer from here yet: no need to ask.
      const askAnswered = changed && !!next && !seenState;
      seenState = true;
      if (changed) {
        mine = null;
        ui.input.value = "";
        showError("");
      }
      poll = next;
      render();
      app.redraw();
      if (askAnswered || (revealed && mine)) lookUp();
      if (changed && isOpen()) ui.card.scrollIntoView?.({ block: "nearest" });
    },
    stop() {
      stopped = true;
      render();
    },
  };
}
