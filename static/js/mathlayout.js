// The ways to typeset a step's formula, pure (no DOM): one line; a chain "A = B = C" broken at
// its "=" signs into an aligned block (three, two or one "=" per line); for the gradient check,
// a table or one block per parameter; for the update, the rule once and then the numbers.
// fitmath.js measures them and picks one. The filled LaTeX itself (formula.js fillStep) stays
// byte-identical to the engine's; only what is typeset changes.

/** Split at `sep` where it stands at brace depth 0, outside any \begin..\end and \left..\right. */
export function splitTop(latex, sep) {
  const parts = [];
  let depth = 0, env = 0, start = 0;
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i];
    if (c === "\\") {
      if (latex.startsWith("\\begin", i) || latex.startsWith("\\left", i)) env += 1;
      else if (latex.startsWith("\\end", i) || latex.startsWith("\\right", i)) env -= 1;
      else if (latex[i + 1] === "{" || latex[i + 1] === "}" || latex[i + 1] === "\\") i += 1; // escaped brace, row break
      continue;
    }
    if (c === "{") depth += 1;
    else if (c === "}") depth -= 1;
    else if (depth === 0 && env === 0 && latex.startsWith(sep, i)) {
      parts.push(latex.slice(start, i));
      i += sep.length - 1;
      start = i + 1;
    }
  }
  parts.push(latex.slice(start));
  return parts;
}

const aligned = (rows) => `\\begin{aligned} ${rows.join(" \\\\ ")} \\end{aligned}`;

const OPERATORS = [" \\cdot ", " + "];

// A long product or sum in pieces of at most `terms` operands (a product: "a · b", "· c"). A sum
// inside -\left( ... \right) (the cross-entropy) or \frac{1}{N}\left( ... \right) (a batch's mean)
// is split inside, each piece with its own delimiters.
const PAREN = /^(-?|\\frac\{1\}\{\d+\})\\left\((.*)\\right\)$/s;
function wrapTerms(segment, terms) {
  const paren = segment.match(PAREN);
  if (paren) {
    const inner = wrapTerms(paren[2].trim(), terms);
    if (inner.length > 1) {
      const last = inner.length - 1;
      return inner.map((piece, n) => `${n === 0 ? `${paren[1]}\\left(` : "\\left."} ${piece} ${n === last ? "\\right)" : "\\right."}`);
    }
  }
  for (const op of OPERATORS) {
    const parts = splitTop(segment, op);
    if (parts.length <= terms) continue;
    const pieces = [];
    for (let n = 0; n < parts.length; n += terms) pieces.push((n ? op.trim() + " " : "") + parts.slice(n, n + terms).join(op));
    return pieces;
  }
  return [segment];
}

const operands = (segment) => {
  const paren = segment.match(PAREN);
  return Math.max(...OPERATORS.map((op) => splitTop(paren ? paren[2].trim() : segment, op).length));
};

// Rows of an "= chain" with `per` "=" signs a line: the first keeps its left side, the rest
// continue under the first "=". With `terms`, a product or sum longer than that many operands
// goes on over several lines, indented.
export function chainRows(expr, per = 1, terms = Infinity) {
  const [lhs, ...rest] = splitTop(expr.trim(), " = ");
  if (!rest.length) return [`${lhs} &`];
  const rows = [];
  for (let n = 0; n < rest.length; n += per) {
    const chunk = rest.slice(n, n + per).join(" = ");
    const [first, ...more] = per === 1 ? wrapTerms(chunk, terms) : [chunk];
    rows.push(n === 0 ? `${lhs} &= ${first}` : ` &= ${first}`);
    for (const piece of more) rows.push(` & \\quad ${piece}`);
  }
  return rows;
}

// The rows of \begin{array}{l} ... \end{array}, or null for any other environment.
function arrayRows(piece) {
  const m = piece.trim().match(/^\\begin\{array\}\{l\} (.*) \\end\{array\}$/s);
  return m ? splitTop(m[1], " \\\\ ") : null;
}

const isEnv = (s) => s.trim().startsWith("\\begin");
const GRAD = String.raw`\frac{\partial e_{total}}{\partial p}`;

// ---------- the gradient check ----------

const CHECK_DEFS = aligned([
  String.raw`\text{forward diff.} &= \frac{e_{total}(p + \varepsilon) - e_{total}(p)}{\varepsilon}`,
  String.raw`\text{central diff.} &= \frac{e_{total}(p + \varepsilon) - e_{total}(p - \varepsilon)}{2\varepsilon}`,
]);
const CHECK_HEAD = String.raw`\begin{array}{lrrrr} & \text{backprop} & \text{forward diff.} & \text{central diff.} & \text{rel. error} \\ \hline `;
const LABELS = [String.raw`\text{backprop}`, String.raw`\text{forward diff.}`, String.raw`\text{central diff.}`, String.raw`\text{rel. error}`];

/** The check step's formula as data: {rows: [{p, bp, fd, cd, re}], notes: [latex]}, or null. */
export function parseCheck(latex) {
  const [table, ...notes] = splitTop(latex, " \\qquad ");
  const m = table.trim().match(/^\\begin\{array\}\{lrrrr\}.*?\\\\ \\hline (.*) \\end\{array\}$/s);
  if (!m) return null;
  const rows = splitTop(m[1], " \\\\ ").map((row) => {
    const [p, bp, fdCell, cd, re] = splitTop(row.trim(), " & ");
    // "\frac{E(p + eps) - E}{eps} = fd": the definition is shown once, the row keeps the value.
    const fd = splitTop(fdCell ?? "", " = ").at(-1);
    return { p, bp, fd, cd, re };
  });
  if (rows.some((r) => r.re === undefined)) return null;
  return { rows, notes: notes.map((n) => n.trim()).filter(Boolean) };
}

function transposed(rows) {
  const head = `& ${rows.map((r) => r.p).join(" & ")}`;
  const lines = ["bp", "fd", "cd", "re"].map((key, n) => `${LABELS[n]} & ${rows.map((r) => r[key]).join(" & ")}`);
  return `\\begin{array}{l${"r".repeat(rows.length)}} ${head} \\\\ \\hline ${lines.join(" \\\\ ")} \\end{array}`;
}

function checkLayouts(check) {
  const table = CHECK_HEAD + check.rows.map((r) => `${r.p} & ${r.bp} & ${r.fd} & ${r.cd} & ${r.re}`).join(" \\\\ ") + " \\end{array}";
  const notes = check.notes.length ? [aligned(check.notes.flatMap((n) => chainRows(n, 9)))] : [];
  const values = (r) => [r.bp, r.fd, r.cd, r.re];
  // The parameters one under another in one table (so the numbers line up): a label and a
  // value a line, or two of each; a rule between parameters.
  const rowsOf = (lines) => lines.map((group) => group.join(" \\\\ ")).join(" \\\\ \\hline ");
  const stacked = `\\begin{array}{llr} ${rowsOf(check.rows.map((r) => values(r).map((v, n) => `${n === 0 ? r.p : ""} & ${LABELS[n]} & ${v}`)))} \\end{array}`;
  const compact = `\\begin{array}{llrlr} ${rowsOf(check.rows.map((r) => {
    const [bp, fd, cd, re] = values(r);
    return [String.raw`${r.p} & \text{backprop} & ${bp} & \text{forward} & ${fd}`, String.raw`& \text{central} & ${cd} & \text{rel. error} & ${re}`];
  }))} \\end{array}`;
  return [
    { name: "check-table", blocks: [CHECK_DEFS, table, ...notes] },
    { name: "check-compact", blocks: [CHECK_DEFS, compact, ...notes] },
    { name: "check-stacked", blocks: [CHECK_DEFS, stacked, ...notes] },
    { name: "check-table-only", blocks: [table] },
    // Wide and short (lecture mode's strip): a column per parameter, a row per value.
    { name: "check-columns", blocks: [transposed(check.rows)] },
    { name: "check-compact-only", blocks: [compact] },
  ];
}

// ---------- the update ----------

// "w' = w - \eta \cdot \frac{..}{..} = 0.2 - 0.1 \cdot (-9.6) = 1.16" rows: the rule once, then
// each parameter's numbers.
function updateLayout(rows) {
  const numbers = [];
  for (const row of rows) {
    const parts = splitTop(row.trim(), " = ");
    if (parts.length < 3) return null;
    numbers.push(`${parts[0]} &= ${parts.slice(2).join(" = ")}`);
  }
  return [
    { name: "update-numbers", blocks: [aligned([`p' &= p - \\eta \\cdot ${GRAD}`, ...numbers])] },
    // The rule is in the narration too: where room is shortest, only the numbers.
    { name: "update-numbers-only", blocks: [aligned(numbers)] },
  ];
}

/**
 * The ways to typeset `latex`, in order of preference: [{name, blocks: [latex, ...]}], each block
 * one math element. kind is the step's kind (the check table and the update get their own shapes).
 */
export function layouts(latex, kind) {
  const options = [{ name: "line", blocks: [latex] }];
  if (kind === "grad_check") {
    const check = parseCheck(latex);
    return check ? checkLayouts(check) : options;
  }
  const exprs = [];
  for (const piece of splitTop(latex, " \\qquad ")) {
    // An environment other than a list of rows (a matrix) is kept whole, on a line of its own.
    const rows = isEnv(piece) ? arrayRows(piece) ?? [piece] : [piece];
    exprs.push(...rows.map((r) => r.trim()).filter(Boolean));
  }
  const longest = Math.max(...exprs.map((e) => splitTop(e, " = ").length - 1));
  // One expression a line (the update's rows, the contribution sent back) before any breaking.
  if (exprs.length > 1) options.push({ name: "rows", blocks: [aligned(exprs.flatMap((e) => chainRows(e, longest)))] });
  for (const per of [3, 2, 1]) {
    if (per < longest) options.push({ name: `chain-${per}`, blocks: [aligned(exprs.flatMap((e) => chainRows(e, per)))] });
  }
  // Still too wide: long products and sums go on over several lines as well.
  const most = Math.max(...exprs.flatMap((e) => splitTop(e, " = ").slice(1)).map(operands), 0);
  for (const terms of [4, 3, 2, 1]) {
    if (terms < most) options.push({ name: `chain-1-terms-${terms}`, blocks: [aligned(exprs.flatMap((e) => chainRows(e, 1, terms)))] });
  }
  if (kind === "update") {
    options.push(...(updateLayout(exprs) ?? []));
  }
  if (kind === "softmax_jacobian") {
    options.push(...jacobianLayouts(exprs));
  }
  return options;
}

// ---------- the softmax Jacobian ----------

// "rule \qquad \begin{array}{r|rrr} & a_1 & a_2 \\ \hline o_1 & v & v \\ ... \end{array}": where the
// matrix is too wide, its entries one a line, each named do_j/da_k.
function jacobianLayouts(exprs) {
  const matrix = exprs.find(isEnv)?.match(/^\\begin\{array\}\{r\|r+\} (.*) \\end\{array\}$/s);
  if (!matrix) return [];
  const [head, ...rows] = splitTop(matrix[1].replace(" \\hline ", " "), " \\\\ ");
  const sums = splitTop(head.trim().replace(/^&\s*/, ""), " & ").map((h) => h.trim());
  const entries = rows.flatMap((row) => {
    const [out, ...values] = splitTop(row, " & ").map((c) => c.trim());
    return values.map((v, k) => `\\frac{\\partial ${out}}{\\partial ${sums[k]}} &= ${v}`);
  });
  const rule = exprs.filter((e) => !isEnv(e)).flatMap((e) => chainRows(e, 9));
  return [{ name: "jacobian-entries", blocks: [aligned([...rule, ...entries])] }];
}
