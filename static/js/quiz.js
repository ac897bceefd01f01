// Quiz mode ("predict, then reveal"): at each backward step the value stays hidden until the
// student has typed a prediction (a number or just its sign); it is graded, revealed and scored.
// State lives here. What is hidden is an input of rendering: the quiz registers a predicate with
// the app (app.hideWhen), main.js gives the graph and the panels the view it makes, and after an
// answer the quiz asks for a redraw. Nothing here writes into the graph or the panels.
import { fmt, loadMath, mathLoaded, renderMath } from "./formula.js";
import { toText } from "./notation.js";
import { el } from "./dom.js";
// A number is right within 2 % of the value, and never stricter than 1e-3 (so 0 can be typed).
const REL_TOL = 0.02;
const ABS_TOL = 1e-3;
const SIGNS = { "+": 1, plus: 1, pos: 1, positive: 1, "-": -1, minus: -1, neg: -1, negative: -1 };

/** Grade an answer against a value: {valid, correct, kind}. Pure, for the tests and the card. */
export function grade(answer, value) {
  const text = String(answer ?? "").trim().toLowerCase().replace(/[−–]/g, "-");
  if (text in SIGNS) {
    // An exact 0 has no sign: only the answer "0" (a number) is right there.
    return { valid: true, kind: "sign", correct: value !== 0 && Math.sign(value) === SIGNS[text] };
  }
  const n = text === "" ? NaN : Number(text.replace(",", "."));
  if (!Number.isFinite(n)) return { valid: false, kind: null, correct: false };
  return { valid: true, kind: "number", correct: Math.abs(n - value) <= Math.max(ABS_TOL, REL_TOL * Math.abs(value)) };
}

function buildCard() {
  const card = el("section", { class: "card quiz-card", "data-testid": "quiz", "aria-labelledby": "quiz-title", hidden: "" });
  const head = el("div", { class: "quiz-head" });
  head.append(el("h2", { id: "quiz-title" }, "Predict, then reveal"),
    el("p", { class: "quiz-score-line" }, "Score "));
  const score = el("output", { class: "quiz-score", "data-testid": "quiz-score", "aria-live": "polite" }, "0 / 0");
  head.lastChild.append(score);
  const question = el("p", { class: "quiz-question", "data-testid": "quiz-question" });
  const form = el("form", { class: "quiz-form", novalidate: "" });
  const input = el("input", { type: "text", class: "quiz-answer", id: "quiz-answer", "data-testid": "quiz-answer",
    inputmode: "decimal", autocomplete: "off", spellcheck: "false", "aria-describedby": "quiz-hint" });
  const label = el("label", { for: "quiz-answer", class: "quiz-label" }, "Prediction");
  const submit = el("button", { type: "submit", class: "btn primary", "data-testid": "quiz-submit" }, "Check");
  const reveal = el("button", { type: "button", class: "btn", "data-testid": "quiz-reveal" }, "Reveal");
  form.append(label, input, submit, reveal);
  const hint = el("p", { class: "quiz-hint", id: "quiz-hint" },
    "A number (within 2 %) or just its sign: + or −. Enter checks; Esc leaves the field so the arrow keys step again.");
  const verdict = el("p", { class: "quiz-verdict", "data-testid": "quiz-verdict", role: "status" });
  card.append(head, question, form, hint, verdict);
  return { card, score, question, form, input, submit, reveal, hint, verdict };
}

export function setupQuiz(app) {
  const ui = buildCard();
  const explain = document.querySelector(".side .explain");
  explain.after(ui.card);
  const toggle = app.$("quiz-toggle");

  let trace = null;
  let answers = new Map(); // step id -> {answer, correct, revealed}
  const changed = new Set(); // listeners of answers, e.g. the table view

  const current = () => (app.state.trace ? app.state.trace.steps[app.state.index] : null);
  const isQuestion = (step) => step && step.phase === "backward" && step.value !== null && step.value !== undefined;
  // Answers belong to the walkthrough they were given in: a new trace is drawn before its
  // "trace" event resets them, and must already be drawn as unanswered.
  const answered = (step) => trace === app.state.trace && answers.has(step.id);
  const masked = (step) => app.state.mode === "quiz" && isQuestion(step) && !answered(step);
  app.hideWhen(masked);

  function score() {
    const list = [...answers.values()];
    return `${list.filter((a) => a.correct).length} / ${list.length}`;
  }

  function renderCard(step) {
    const quiz = app.state.mode === "quiz";
    ui.card.hidden = !quiz;
    ui.score.textContent = score();
    if (!quiz || !step) return;
    const asked = isQuestion(step);
    const done = answers.get(step?.id);
    ui.form.hidden = !asked || !!done;
    ui.hint.hidden = !asked || !!done;
    if (!asked) {
      ui.question.textContent = "Watch this step. At every backward step you predict the value before it is shown.";
      ui.verdict.textContent = "";
      ui.verdict.className = "quiz-verdict";
      return;
    }
    ui.question.replaceChildren("Predict ");
    // Typeset for the eye, plain text (∂e_total/∂w_21) for screen readers.
    const math = el("span", { class: "quiz-symbol", "aria-hidden": "true" });
    renderMath(step.symbol, math);
    if (!mathLoaded()) loadMath().then((arrived) => arrived && renderMath(step.symbol, math)); // plain text until temml arrives
    ui.question.append(math, el("span", { class: "sr-only" }, toText(step.symbol)), done ? "" : " before it is revealed.");
    if (done) {
      const answer = fmt(step.value);
      ui.verdict.textContent = done.revealed ? `Revealed: the answer is ${answer}`
        : done.correct ? `Correct: the answer is ${answer}` : `Not quite: the answer is ${answer}`;
      ui.verdict.className = `quiz-verdict ${done.correct ? "is-correct" : "is-wrong"}`;
    } else {
      ui.verdict.textContent = "";
      ui.verdict.className = "quiz-verdict";
    }
  }

  // redraw: whether what is hidden may have changed since the page was drawn (an answer, a new
  // trace, a mode); a step event has just drawn the page with the current answers.
  function update({ redraw = true } = {}) {
    if (app.state.trace !== trace) {
      // A new network (or a re-trace after an edit) is a new walkthrough: a new score.
      trace = app.state.trace;
      answers = new Map();
      ui.input.value = "";
    }
    toggle.setAttribute("aria-pressed", String(app.state.mode === "quiz"));
    if (!trace) return;
    if (redraw) app.redraw();
    renderCard(current());
    for (const fn of changed) fn();
  }

  function answer(revealed) {
    const step = current();
    if (!masked(step)) return;
    let correct = false;
    let given = null;
    if (!revealed) {
      given = ui.input.value;
      const result = grade(given, step.value);
      if (!result.valid) {
        ui.verdict.textContent = "Type a number, or a sign: + or −.";
        ui.verdict.className = "quiz-verdict is-invalid";
        ui.input.setAttribute("aria-invalid", "true");
        return;
      }
      correct = result.correct;
    }
    ui.input.removeAttribute("aria-invalid");
    answers.set(step.id, { answer: given, correct, revealed });
    ui.input.value = "";
    const hadFocus = ui.card.contains(document.activeElement);
    update();
    // The form hides once answered; keep the keyboard in the card rather than dropping it on <body>.
    if (hadFocus) ui.verdict.focus();
  }

  ui.verdict.tabIndex = -1;
  ui.form.addEventListener("submit", (event) => { event.preventDefault(); answer(false); });
  ui.reveal.addEventListener("click", () => answer(true));
  ui.input.addEventListener("keydown", (event) => { if (event.key === "Escape") ui.input.blur(); });
  toggle.addEventListener("click", () => app.setMode(app.state.mode === "quiz" ? "normal" : "quiz"));

  app.on("step", (index, playing) => {
    update({ redraw: false });
    // Playing through a quiz stops at each open question; "next" still moves on.
    if (playing && masked(current())) app.pause();
  });
  app.on("trace", () => update());
  app.on("mode", () => update());
  update();

  return {
    /** Whether a step's value is hidden from the student right now. */
    hidden: (step) => masked(step),
    onChange: (fn) => changed.add(fn),
    score,
  };
}
