// The one converter from the engine's LaTeX (symbols such as x_{11}, w_{3,12,5}, \delta_{21},
// \frac{\partial e_{1}}{\partial o_{1}}, and narrations that mix them with words) to what a
// person reads outside the formula panel's MathML: runs with sub- and superscripts, plain Unicode
// text (copying, aria, titles), HTML (<sub>/<sup>) and, through svgsym.js, SVG <tspan>s.
// webapp/engine/notation.py `latex_to_text` is its Python port. Both read their symbols from one
// table, symbols.json; tests/unit/test_notation_js.py runs both over the same inputs and holds them
// to a hand-written table.
import symbols from "./symbols.json" with { type: "json" };

// Commands -> [text, kind]: "ord", "op" or "bin" (symbols.json says what each kind does to spaces).
const COMMANDS = symbols.commands;
// Own entries only: an unknown command such as \toString shows its name, not Object's method.
const known = (name) => (Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : null);
// One-character commands: "\\" ends a row, "\," is a thin space.
const SHORT = symbols.short;
// Commands whose braced argument is text, shown as it is.
const TEXT = new Set(symbols.text);
const TABLES = new Set(symbols.tables);
// Unicode has sub- and superscript forms for digits, signs and some letters (no subscript comma).
const SUB = symbols.subscripts;
const SUP = symbols.superscripts;

/**
 * A script in Unicode: every character that has a subscript (superscript) form takes it. A
 * subscript keeps characters without one as they are (w_{3,12,5} -> w₃,₁₂,₅); a superscript that
 * cannot be written whole becomes ^(...) (e^{-0.5} -> e^(-0.5)), so no digit looks raised that is not.
 */
export function scriptText(text, shift) {
  if (shift === "sub") return [...text].map((c) => SUB[c] ?? c).join("");
  if ([...text].every((c) => c in SUP)) return [...text].map((c) => SUP[c]).join("");
  return text.length === 1 ? `^${text}` : `^(${text})`;
}

// Source spaces collapse to one, as in TeX's math mode ("1 \text{ if } a" reads "1 if a").
function push(runs, text, shift) {
  const last = runs[runs.length - 1];
  if (!shift && text) {
    text = text.replace(/ {2,}/g, " ");
    if (last && !last.shift && last.text.endsWith(" ") && text.startsWith(" ")) text = text.slice(1);
  }
  if (!text) return;
  if (last && last.shift === shift) last.text += text;
  else runs.push({ text, shift });
}

const plain = (runs) => runs.map((r) => r.text).join("");
// A fraction's part needs parentheses on one line unless it is a single term (1e-06 is one).
const isAtom = (text) => /^[^\s+\-·/]*$/.test(text) || /^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(text);

// A recursive-descent reader of the LaTeX the engine writes; unknown commands show their name.
class Reader {
  constructor(src) { this.src = String(src ?? ""); this.i = 0; this.envs = []; }

  // Runs up to the end, or up to the "}" closing the current group.
  sequence(inGroup = false) {
    const runs = [];
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i];
      if (c === "}") {
        this.i += 1;
        if (inGroup) return runs;
        continue; // a stray brace shows nothing
      }
      if (c === "{") {
        this.i += 1;
        for (const r of this.sequence(true)) push(runs, r.text, r.shift);
      } else if (c === "\\") {
        for (const r of this.command()) push(runs, r.text, r.shift);
      } else if ((c === "_" || c === "^") && this.i + 1 < src.length) {
        this.i += 1;
        const body = plain(this.argument());
        push(runs, body, c === "_" ? "sub" : "sup");
      } else if (c === "'") {
        // A prime (w_{21}', p'), unless a letter follows: then it is an apostrophe (the edge's input).
        this.i += 1;
        push(runs, /[A-Za-z]/.test(src[this.i] ?? "") ? "'" : "′", null);
      } else if (c === "&" || c === "~") {
        // Table columns stay apart in text; an aligned block's "&" only marks where rows line up.
        this.i += 1;
        push(runs, c === "&" && TABLES.has(this.envs[this.envs.length - 1]) ? " | " : " ", null);
      } else {
        this.i += 1;
        push(runs, c, null);
      }
    }
    return runs;
  }

  // One argument: a braced group, a command or a single character.
  argument() {
    const src = this.src;
    while (src[this.i] === " ") this.i += 1;
    if (src[this.i] === "{") {
      this.i += 1;
      return this.sequence(true);
    }
    if (src[this.i] === "\\") return this.command();
    const c = src[this.i] ?? "";
    this.i += c.length;
    return c ? [{ text: c, shift: null }] : [];
  }

  rawGroup() {
    const src = this.src;
    if (src[this.i] !== "{") return "";
    let depth = 0;
    const start = this.i + 1;
    for (; this.i < src.length; this.i++) {
      if (src[this.i] === "{") depth += 1;
      else if (src[this.i] === "}" && --depth === 0) break;
    }
    this.i += 1;
    return src.slice(start, this.i - 1);
  }

  command() {
    const src = this.src;
    this.i += 1; // the backslash
    const m = /^[a-zA-Z]+/.exec(src.slice(this.i, this.i + 40));
    if (!m) {
      const c = src[this.i] ?? "";
      this.i += c.length;
      return [{ text: SHORT[c] ?? c, shift: null }];
    }
    const name = m[0];
    this.i += name.length;
    if (name === "frac") return this.fraction();
    if (TEXT.has(name)) return [{ text: this.rawGroup(), shift: null }];
    if (name === "begin" || name === "end") {
      const env = this.rawGroup();
      if (name === "end") this.envs.pop();
      else this.envs.push(env);
      if (name === "begin" && TABLES.has(env)) this.rawGroup(); // the column spec
      return [];
    }
    const [text, kind] = known(name) ?? [name, "op"];
    if (kind === "ord") {
      let j = this.i;
      while (src[j] === " ") j += 1;
      const next = src[j] === "\\" ? known(/^[a-zA-Z]*/.exec(src.slice(j + 1, j + 41))[0]) : null;
      if (j > this.i && /[A-Za-z0-9{\\]/.test(src[j] ?? "") && next?.[1] !== "bin") this.i = j;
    }
    return text ? [{ text, shift: null }] : [];
  }

  // \frac{\partial a}{\partial b} reads ∂a/∂b; any other fraction num/den, parenthesised when needed.
  fraction() {
    const num = this.argument();
    const den = this.argument();
    const runs = [];
    const partial = plain(num).startsWith("∂") && plain(den).startsWith("∂");
    for (const [part, n] of [[num, 0], [den, 1]]) {
      if (n === 1) push(runs, "/", null);
      const wrap = !partial && !isAtom(plain(part));
      if (wrap) push(runs, "(", null);
      for (const r of part) push(runs, r.text, r.shift);
      if (wrap) push(runs, ")", null);
    }
    return runs;
  }
}

/** [{text, shift: "sub" | "sup" | null}]: the LaTeX flattened into runs, scripts marked. */
export function toRuns(latex) {
  return new Reader(latex).sequence();
}

/** Plain Unicode text (copying, aria-labels, titles): \frac{\partial e_{1}}{\partial w_{211}} -> ∂e₁/∂w₂₁₁. */
export function toText(latex) {
  return runsText(toRuns(latex)).trim();
}

/** The runs as plain Unicode text. */
export function runsText(runs) {
  return runs.map((r) => (r.shift ? scriptText(r.text, r.shift) : r.text)).join("");
}

/** The rows of a formula (split at \\), each as runs, spaces collapsed: for renderers without MathML. */
export function toLines(latex) {
  const lines = [[]];
  for (const run of toRuns(latex)) {
    const parts = run.text.split("\n");
    parts.forEach((text, n) => {
      if (n > 0) lines.push([]);
      push(lines[lines.length - 1], text, run.shift);
    });
  }
  return lines.map((runs) => {
    if (runs.length && !runs[0].shift) runs[0].text = runs[0].text.trimStart();
    const last = runs[runs.length - 1];
    if (last && !last.shift) last.text = last.text.trimEnd();
    return runs.filter((r) => r.text);
  }).filter((runs) => runs.length);
}

// ---------- HTML ----------

// Words (runs split at spaces); a word with a script becomes one symbol.
function words(runs) {
  const out = [];
  let word = [];
  const flush = () => { if (word.length) out.push({ runs: word, symbol: word.some((r) => r.shift) }); word = []; };
  for (const run of runs) {
    if (run.shift) { word.push(run); continue; }
    const parts = run.text.split(/(\s+)/);
    parts.forEach((part, n) => {
      if (!part) return;
      if (n % 2 === 1) { flush(); out.push({ space: part }); } else word.push({ text: part, shift: null });
    });
  }
  flush();
  return out;
}

function scriptNodes(runs) {
  return runs.map((r) => {
    if (!r.shift) return document.createTextNode(r.text);
    const s = document.createElement(r.shift);
    s.textContent = r.text;
    return s;
  });
}

/**
 * DOM nodes of LaTeX (a symbol or a narration) with <sub>/<sup>. With speak (the default), each
 * word that has a script is a span.sym whose typeset form is hidden from assistive technology
 * and whose plain text (w₂₁₁) is read instead: a screen reader says "w subscript 2 1 1", not
 * "w two hundred eleven". Without speak, only the typeset form (for a label whose control is
 * named otherwise).
 */
export function htmlNodes(latex, { speak = true } = {}) {
  const nodes = [];
  for (const w of words(toRuns(latex))) {
    if (w.space !== undefined) nodes.push(document.createTextNode(w.space));
    else if (!w.symbol) nodes.push(document.createTextNode(plain(w.runs)));
    else if (!speak) nodes.push(...scriptNodes(w.runs));
    else {
      const sym = document.createElement("span");
      sym.className = "sym";
      const shown = document.createElement("span");
      shown.setAttribute("aria-hidden", "true");
      shown.append(...scriptNodes(w.runs));
      const said = document.createElement("span");
      said.className = "sr-only";
      said.textContent = runsText(w.runs);
      sym.append(shown, said);
      nodes.push(sym);
    }
  }
  return nodes;
}

/** Replace the children of `element` with the LaTeX typeset as HTML (see htmlNodes). */
export function setHtml(element, latex, options) {
  element.replaceChildren(...htmlNodes(latex, options));
  return element;
}

/**
 * Plain text of a copied DOM fragment: spoken duplicates dropped, <sub>/<sup> as Unicode scripts,
 * typeset formulas (elements with data-latex) as their plain text.
 */
export function fragmentText(fragment) {
  for (const el of fragment.querySelectorAll("[data-latex]")) el.replaceWith(`${toText(el.dataset.latex)} `);
  for (const el of fragment.querySelectorAll(".sr-only")) el.remove();
  for (const el of fragment.querySelectorAll("sub, sup")) el.replaceWith(scriptText(el.textContent, el.localName));
  return fragment.textContent;
}

/** Copying from `root` puts readable text on the clipboard (w₂₁₁, not "w211w₂₁₁"). */
export function installPlainCopy(root) {
  root.addEventListener("copy", (event) => {
    const selection = root.getSelection ? root.getSelection() : root.ownerDocument.getSelection();
    if (!selection || selection.isCollapsed || !event.clipboardData) return;
    const box = document.createElement("div");
    for (let n = 0; n < selection.rangeCount; n++) box.append(selection.getRangeAt(n).cloneContents());
    if (!box.querySelector(".sym, sub, sup, [data-latex]")) return; // nothing to translate: the browser's copy
    event.clipboardData.setData("text/plain", fragmentText(box).replace(/[ \t]+\n/g, "\n").trim());
    event.preventDefault();
  });
}
