// Fills a step's formula and narration from the templates (templates.json, the one table the engine
// reads too), exactly as the engine's webapp/engine/templates.py `fill` does, and renders LaTeX as
// MathML with the vendored temml. tests/unit/test_formula_js.py compares this file with the Python,
// step by step, for every preset.
import { toText } from "./notation.js";
import table from "./templates.json" with { type: "json" };

const TEMPLATES = table.templates;

const SUM = " + ";
// What a hidden value (quiz mode) shows in its place.
export const HIDDEN = "?";
const PRECISION = 9;

// Digits and decimal exponent of |x| rounded to `PRECISION` significant digits, ties to even.
// Python's "%.9g" rounds the exact binary value half-to-even; JS's toPrecision rounds ties up,
// so we round by hand from a long exact expansion (toExponential(99) is exact to 100 digits).
function roundDigits(abs) {
  const [mant, expText] = abs.toExponential(99).split("e");
  const all = mant.replace(".", "");
  let exp = Number(expText);
  let head = all.slice(0, PRECISION);
  const rest = all.slice(PRECISION);
  const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || Number(head.at(-1)) % 2 === 1));
  if (up) {
    const bumped = (BigInt(head) + 1n).toString();
    if (bumped.length > PRECISION) {
      head = bumped.slice(0, PRECISION);
      exp += 1;
    } else {
      head = bumped;
    }
  }
  return { digits: head, exp };
}

// fmt's answers, kept: a step shows hundreds of numbers, mostly those of the step before, and
// rounding by hand from 100 digits is the slow part of formatting one.
const formatted = new Map();
const FORMATTED_KEPT = 20000;

/** A number as C's "%.9g" prints it ("-0" -> "0"); null and non-finite numbers -> "non-finite". */
export function fmt(x) {
  if (x === null || x === undefined) return "non-finite";
  const n = Number(x);
  if (!Number.isFinite(n)) return "non-finite";
  let text = formatted.get(n);
  if (text === undefined) {
    if (formatted.size >= FORMATTED_KEPT) formatted.clear();
    text = formatG(n);
    formatted.set(n, text);
  }
  return text;
}

function formatG(n) {
  if (n === 0) return "0";
  const sign = n < 0 ? "-" : "";
  const { digits, exp } = roundDigits(Math.abs(n));
  const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= PRECISION) {
    const mant = strip(`${digits[0]}.${digits.slice(1)}`);
    const e = Math.abs(exp).toString().padStart(2, "0");
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${e}`;
  }
  let body;
  if (exp < 0) body = `0.${"0".repeat(-exp - 1)}${digits}`;
  else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return sign + strip(body);
}

function num(x, paren) {
  const s = fmt(x);
  return paren && s.startsWith("-") ? `(${s})` : s;
}

// Only known names are replaced, so LaTeX groups such as {total} or {2} survive.
function sub(template, fields) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (fields.has(name) ? fields.get(name) : whole));
}

function collapse(formula) {
  const parts = formula.split(" = ");
  const out = [parts[0]];
  for (const p of parts.slice(1)) if (p !== out[out.length - 1]) out.push(p);
  return out.join(" = ");
}

const asText = (v) => (typeof v === "string" ? v : fmt(v));

/** Element id -> graph record (nodes, edges, biases), for the {p}/{xs} fields of rows. */
export function graphLookup(graph) {
  const map = new Map();
  for (const part of ["nodes", "edges", "biases"]) for (const el of graph[part] || []) map.set(el.id, el);
  return map;
}

// One lookup per trace object: render is called on every step, the graph never changes.
const lookups = new WeakMap();
function lookupFor(trace) {
  if (!lookups.has(trace)) lookups.set(trace, graphLookup(trace.graph));
  return lookups.get(trace);
}

/**
 * {formula (LaTeX), narrationLatex} of one step, as the engine's `fill`. With hidden, the step's
 * value ({v}) and the error signal it sends back (args.c) read "?" (quiz mode). `templates`: the
 * table (templates.json) unless given.
 */
export function fillLatex(trace, step, { hidden = false, templates = TEMPLATES } = {}) {
  const t = templates[step.kind];
  const op = t.op;
  const factors = step.factors || [];
  const terms = step.terms || [];
  const args = step.args || {};
  const valueOf = (f) => (f.length > 3 ? f[3].map((p) => num(p[1], true)).join(op) : num(f[1], true));

  const fields = new Map([
    ["s", step.symbol],
    ["v", hidden ? HIDDEN : fmt(step.value)],
    ["F", factors.map((f) => f[0]).join(op)],
    ["V", factors.map(valueOf).join(op)],
    ["T", terms.map((f) => f[0]).join(SUM)],
    ["TV", terms.map((f) => num(f[1], true)).join(SUM)],
    ["TL", terms.map((f) => `${f[0]} = ${fmt(f[1])}`).join(" \\qquad ")],
    ["tot", lookupFor(trace).get("E")?.symbol ?? ""],
  ]);
  factors.forEach((f, n) => {
    fields.set(`f${n}`, f[0]);
    fields.set(`v${n}`, num(f[1], true));
  });
  for (const [key, val] of Object.entries(args)) fields.set(key, asText(val));
  if (hidden && "c" in args) fields.set("c", HIDDEN);
  if ("row" in t) {
    const lookup = lookupFor(trace);
    const rows = (step.rows || []).map((row) => {
      const rowFields = new Map(fields);
      const n = Math.min(t.row_fields.length, row.length); // Python's zip stops at the shorter
      for (let i = 0; i < n; i++) rowFields.set(t.row_fields[i], asText(row[i]));
      const element = lookup.get(row[0]) || {};
      rowFields.set("p", element.symbol ?? "");
      rowFields.set("xs", (lookup.get(element.from) || {}).symbol ?? "");
      return sub(t.row, rowFields);
    });
    fields.set("rows", rows.join(" \\\\ "));
  }
  let formula = sub(t.formula, fields);
  let narration = sub(t.narration, fields);
  if (t.chain && factors.length > 2) narration += sub(t.chain, fields);
  if ("c" in args) {
    formula += sub(templates.back.formula, fields);
    narration += sub(templates.back.narration, fields);
  }
  return { formula: collapse(formula), narrationLatex: narration };
}

/** {formula (LaTeX), narration (plain Unicode text, notation.js toText)} of one step. */
export function fillStep(trace, step, options) {
  const { formula, narrationLatex } = fillLatex(trace, step, options);
  return { formula, narration: toText(narrationLatex) };
}

// "1e-06" reads as "e times ..." in a formula; typeset it as 1 \times 10^{-6}.
export function prettyNumbers(latex) {
  return latex.replace(/(\d(?:\.\d+)?)e([+-]\d+)/g, (_, mant, exp) => `${mant} \\times 10^{${Number(exp)}}`);
}

// trust: false (temml's default, spelled out) keeps \href, \class and raw HTML out, and temml
// escapes all text, so its MathML markup is safe to insert even though formulas are data.
const OPTIONS = { throwOnError: false, trust: false };

// The LaTeX renderer (temml, 168 KB minified, the largest file of the page) is fetched the first time a
// formula is typeset, not with the page, so the graph draws without waiting for it. Until it has
// arrived a formula shows as its plain text (notation.js toText), and whoever typeset it learns
// of the arrival from loadMath() to typeset it again: fitmath.js re-fits its box, panels.js
// rebuilds its symbol cells. The page is ready (body[data-ready]) only once it has arrived (or failed to).
let temml = null;
let loading = null;

/** Fetch the renderer once. Resolves to whether it arrived (at once after the first time); if it
 * could not be fetched (the server went away), formulas stay plain text and the page still works. */
export function loadMath() {
  loading ??= import("../vendor/temml/temml.mjs").then((module) => { temml = module.default; return true; }, () => false);
  return loading;
}

/** Whether formulas are typeset as MathML now (else as plain text, until loadMath() resolves). */
export const mathLoaded = () => temml !== null;

const escapeHtml = (text) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Render LaTeX into `element` as MathML (replacing its content); plain text until the renderer arrives. */
export function renderMath(latex, element) {
  if (temml) temml.render(prettyNumbers(latex), element, OPTIONS);
  else { loadMath(); element.textContent = toText(prettyNumbers(latex)); }
}

/** MathML markup of LaTeX, for building many small cells at once; escaped plain text until the renderer arrives. */
export function mathString(latex) {
  if (temml) return temml.renderToString(prettyNumbers(latex), OPTIONS);
  loadMath();
  return escapeHtml(toText(prettyNumbers(latex)));
}
