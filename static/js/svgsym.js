// A tiny LaTeX-lite to SVG <tspan> renderer for the graph's short symbols (x_{11}, \delta_{21},
// \frac{\partial e_{1}}{\partial w_{11}}): full MathML lives in the formula panel, but an SVG
// label needs real subscripts and must not pull in a math engine.

const SVG = "http://www.w3.org/2000/svg";
const COMMANDS = { partial: "∂", delta: "δ", varepsilon: "ε", epsilon: "ε", eta: "η", cdot: "·",
  sigma: "σ", tanh: "tanh", qquad: "  ", quad: " ", times: "×", left: "", right: "" };
const BRACED = String.raw`\{((?:[^{}]|\{[^{}]*\})*)\}`;
const FRAC = new RegExp(String.raw`\\frac${BRACED}${BRACED}`, "g");

// Flatten to [{text, shift: "sub"|"sup"|null}] runs.
export function symbolRuns(latex) {
  let s = String(latex ?? "");
  for (let i = 0; i < 3; i++) s = s.replace(FRAC, "$1/$2");
  s = s.replace(/\\text\{([^}]*)\}/g, "$1").replace(/\\([a-zA-Z]+)\s?/g, (m, c) => COMMANDS[c] ?? c);
  const runs = [];
  const push = (text, shift) => {
    if (!text) return;
    const last = runs[runs.length - 1];
    if (last && last.shift === shift) last.text += text; else runs.push({ text, shift });
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === "_" || c === "^") && i + 1 < s.length) {
      let body;
      if (s[i + 1] === "{") {
        const end = s.indexOf("}", i + 2);
        body = s.slice(i + 2, end < 0 ? s.length : end);
        i = end < 0 ? s.length : end;
      } else {
        body = s[i + 1];
        i += 1;
      }
      push(body, c === "_" ? "sub" : "sup");
    } else if (c === "'") {
      push("′", null);
    } else if (c !== "{" && c !== "}") {
      push(c, null);
    }
  }
  return runs;
}

// Replace the children of an SVG <text> with the symbol's runs (plus an optional suffix).
export function setSymbol(textEl, latex, suffix = "") {
  textEl.replaceChildren();
  const runs = symbolRuns(latex);
  if (suffix) runs.push({ text: suffix, shift: null });
  runs.forEach((run, n) => {
    const t = document.createElementNS(SVG, "tspan");
    // baseline-shift only moves this run, so the next run is back on the baseline.
    if (run.shift) {
      t.setAttribute("baseline-shift", run.shift === "sub" ? "-22%" : "35%");
      t.setAttribute("class", "script");
    }
    // A hair space after a script keeps the next run's halo from painting over its last glyph.
    t.textContent = run.shift && n < runs.length - 1 ? `${run.text}\u200a` : run.text;
    textEl.append(t);
  });
}

// Plain text (for aria-labels and titles).
export function symbolText(latex) {
  return symbolRuns(latex).map((r) => r.text).join("");
}
