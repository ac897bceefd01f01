// Pure helpers of the code view: which lines of the reference code a step highlights, and the
// code's lines as coloured tokens. No DOM: the panel (codeview.js) renders what these return.

/**
 * The 1-based lines that compute `step`, from the server's line map ({kinds, phases}, read from the
 * file's own "# step:" comments): its kind's lines, else its phase's function (a momentum or Adam
 * update has no line of its own in plain gradient descent). `by` says which: "kind", "phase" or "none".
 */
export function stepLines(lineMap, step) {
  const byKind = step && lineMap?.kinds?.[step.kind];
  if (byKind?.length) return { lines: byKind, by: "kind" };
  const byPhase = step && lineMap?.phases?.[step.phase];
  if (byPhase?.length) return { lines: byPhase, by: "phase" };
  return { lines: [], by: "none" };
}

/** "91", "94–96", "66, 68": lines as a reader would write them. */
export function lineRanges(lines) {
  const parts = [];
  for (const n of lines) {
    const last = parts[parts.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else parts.push([n, n]);
  }
  return parts.map(([a, b]) => (a === b ? String(a) : `${a}\u2013${b}`)).join(", ");
}

const KEYWORDS = new Set(["and", "as", "def", "elif", "else", "for", "from", "if", "import", "in", "is",
  "lambda", "not", "or", "return", "while", "None", "True", "False"]);
// One token at a time: a comment, a string opening or closing on this line, a number, a name, or anything else.
const TOKEN = /(#.*)|("""|''')|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(\b\d+(?:\.\d*)?(?:e-?\d+)?\b)|([A-Za-z_]\w*)|([^#"'\w]+|.)/g;

function commentClass(text) {
  return /^# step:/.test(text) ? "tok-step" : "tok-com";
}

/**
 * The text's lines, each a list of [text, class] tokens whose texts join back into the line. Classes:
 * tok-kw, tok-str, tok-com, tok-step (a "# step:" marker), tok-num, tok-def (a defined name), "" (plain).
 * Triple-quoted strings may span lines.
 */
export function pythonTokens(text) {
  let quote = null; // the open triple quote, while inside a docstring
  let defined = false; // the name after "def"
  return text.split("\n").map((line) => {
    const tokens = [];
    let rest = line;
    if (quote) {
      const end = rest.indexOf(quote);
      if (end < 0) return [[rest, "tok-str"]];
      tokens.push([rest.slice(0, end + 3), "tok-str"]);
      rest = rest.slice(end + 3);
      quote = null;
    }
    const scan = new RegExp(TOKEN.source, "g"); // its own lastIndex: a docstring skips ahead
    for (let m = scan.exec(rest); m; m = scan.exec(rest)) {
      const [all, comment, triple, string, number, name] = m;
      if (comment) tokens.push([all, commentClass(all)]);
      else if (triple) {
        const close = rest.indexOf(triple, m.index + 3);
        if (close < 0) {
          tokens.push([rest.slice(m.index), "tok-str"]);
          quote = triple;
          break;
        }
        tokens.push([rest.slice(m.index, close + 3), "tok-str"]);
        scan.lastIndex = close + 3;
      } else if (string) tokens.push([all, "tok-str"]);
      else if (number) tokens.push([all, "tok-num"]);
      else if (name) {
        tokens.push([all, defined ? "tok-def" : KEYWORDS.has(all) ? "tok-kw" : ""]);
        defined = all === "def";
      } else tokens.push([all, ""]);
    }
    return tokens;
  });
}
