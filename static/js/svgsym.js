// The SVG side of notation.js: a symbol or short caption (x_{11}, \delta_{21},
// \frac{\partial e_{1}}{\partial w_{11}}) as <tspan> runs with real subscripts. Full MathML lives
// in the formula panel; an SVG label needs real subscripts and must not pull in a math engine.
import { toRuns } from "./notation.js";

const SVG = "http://www.w3.org/2000/svg";

/** How far a subscript sits below the baseline, in ems (measure.js sizes labels with it). */
export const SUB_DROP = 0.22;

/** The runs of a symbol (plus a suffix) exactly as they are drawn: measure.js measures these. */
export function drawnRuns(latex, suffix = "") {
  const runs = toRuns(latex);
  if (suffix) runs.push({ text: suffix, shift: null });
  // A hair space after a script that has a run after it: the script does not touch what follows.
  return runs.map((run, n) => (run.shift && n < runs.length - 1 ? { ...run, text: `${run.text}\u200a` } : run));
}

/** <tspan> elements of runs; scripts are shifted and get the class "script" (app.css sizes them). */
export function tspans(runs) {
  return runs.map((run) => {
    const t = document.createElementNS(SVG, "tspan");
    // baseline-shift only moves this run, so the next run is back on the baseline.
    if (run.shift) {
      t.setAttribute("baseline-shift", run.shift === "sub" ? `-${SUB_DROP * 100}%` : "35%");
      t.setAttribute("class", "script");
    }
    t.textContent = run.text;
    return t;
  });
}

/** Replace the children of an SVG <text> with the symbol's runs (plus an optional suffix). */
export function setSymbol(textEl, latex, suffix = "") {
  textEl.replaceChildren(...tspans(drawnRuns(latex, suffix)));
}
