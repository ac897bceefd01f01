// Display-only rewrites of a step's formula so it fits the formula card without scrolling:
// a long chain "A = B = C" becomes an aligned block, one "=" per line. The filled LaTeX itself
// (formula.js fillStep) stays byte-identical to the engine's; only what is typeset changes.

/** Split at `sep` where it stands at brace depth 0 and outside any \begin..\end environment. */
export function splitTop(latex, sep) {
  const parts = [];
  let depth = 0, env = 0, start = 0;
  for (let i = 0; i < latex.length; i++) {
    const c = latex[i];
    if (c === "\\") {
      if (latex.startsWith("\\begin", i)) env += 1;
      else if (latex.startsWith("\\end", i)) env -= 1;
      else if (latex[i + 1] === "{" || latex[i + 1] === "}") i += 1; // escaped brace
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

const isArray = (s) => s.trim().startsWith("\\begin{array}");

// The check step's table as the engine writes it has the difference formulas in its header,
// which makes it wider than the card; show them once above a table with short headers.
const CHECK_HEAD = /^\\begin\{array\}\{lrrrr\}.*?\\\\ \\hline /;
const CHECK_DEFS = String.raw`\begin{aligned} \text{forward diff.} &= \frac{e_{total}(p + \varepsilon) - e_{total}(p)}{\varepsilon} \\ \text{central diff.} &= \frac{e_{total}(p + \varepsilon) - e_{total}(p - \varepsilon)}{2\varepsilon} \end{aligned}`;
const CHECK_SHORT = String.raw`\begin{array}{lrrrr} & \text{backprop} & \text{forward diff.} & \text{central diff.} & \text{rel. error} \\ \hline `;

// Rows of an "= chain": the first keeps its left side, the rest continue under the "=".
function chainRows(expr) {
  const [lhs, ...rest] = splitTop(expr.trim(), " = ");
  if (!rest.length) return [`${lhs} &`];
  return rest.map((r, n) => (n === 0 ? `${lhs} &= ${r}` : ` &= ${r}`));
}

function arrayRows(array) {
  const m = array.trim().match(/^\\begin\{array\}\{l\} (.*) \\end\{array\}$/s);
  return m ? m[1].split(" \\\\ ") : null;
}

/**
 * The ways to typeset `latex`, roomiest last: [[block, ...], ...], each block one math element.
 * kind is the step's kind (the check table gets its own shape).
 */
export function layouts(latex, kind) {
  const pieces = splitTop(latex, " \\qquad ");
  const options = [[latex]];
  if (kind === "grad_check" && CHECK_HEAD.test(pieces[0])) {
    // Each row's "(E(p + eps) - E(p)) / eps = fd" keeps only the value: the definition is above.
    const table = pieces[0].replace(CHECK_HEAD, CHECK_SHORT).replace(/& \\frac\{[^{}]*\}\{[^{}]*\} = /g, "& ");
    const notes = pieces.slice(1);
    const noteBlock = notes.length ? [`\\begin{aligned} ${notes.flatMap(chainRows).join(" \\\\ ")} \\end{aligned}`] : [];
    options[0] = [CHECK_DEFS, table, ...noteBlock];
    return options;
  }
  const rows = [];
  for (const piece of pieces) {
    const arr = isArray(piece) ? arrayRows(piece) : null;
    if (isArray(piece) && !arr) return options; // an array we do not know how to break
    for (const row of arr || [piece]) rows.push(...chainRows(row));
  }
  if (rows.length > 1) options.push([`\\begin{aligned} ${rows.join(" \\\\ ")} \\end{aligned}`]);
  return options;
}
