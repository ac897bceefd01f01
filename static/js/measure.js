// Text metrics for the graph's value labels: the placer needs the real size of each label, since
// sizes guessed from character counts let neighbours touch. Widths come from a canvas set to the
// labels' own fonts (no layout of the page is forced); heights from the fonts' ascent and descent.
// Everything scales linearly with the font size, so each string is measured once, at 100 px.
import { symbolRuns } from "./svgsym.js";

const REF = 100; // px: measure here, scale to the size asked for
const SCRIPT = 0.75; // a subscript's size relative to its line (css: .stack-line .cap .script)
const SCRIPT_DROP = 0.22; // how far a subscript sits below the baseline, in ems (svgsym baseline-shift)

/**
 * fonts: {math, text} CSS font-family lists of the captions and of the values.
 * -> {caption(latex, px), value(text, px), line(px): {ascent, descent}}
 */
export function createMeasurer(fonts) {
  const ctx = document.createElement("canvas").getContext("2d");
  const cache = new Map();
  const fontOf = (kind) => (kind === "math" ? `italic ${REF}px ${fonts.math}` : `700 ${REF}px ${fonts.text}`);
  function width(kind, text) {
    const key = `${kind}\u0000${text}`;
    if (!cache.has(key)) {
      ctx.font = fontOf(kind);
      cache.set(key, ctx.measureText(text).width);
    }
    return cache.get(key);
  }
  function vertical(kind) {
    const key = `v\u0000${kind}`;
    if (!cache.has(key)) {
      ctx.font = fontOf(kind);
      const m = ctx.measureText("Hg");
      cache.set(key, { ascent: m.fontBoundingBoxAscent / REF, descent: m.fontBoundingBoxDescent / REF });
    }
    return cache.get(key);
  }
  const captionWidths = new Map();
  return {
    /** Width in px of a caption (LaTeX-lite) followed by " =", as svgsym.setSymbol draws it. */
    caption(latex, px) {
      if (!captionWidths.has(latex)) {
        let w = 0;
        const runs = symbolRuns(latex);
        runs.forEach((run, n) => {
          // setSymbol adds a hair space after a script run that has a run after it.
          const text = run.shift && n < runs.length - 1 ? `${run.text}\u200a` : run.text;
          w += width("math", text) * (run.shift ? SCRIPT : 1);
        });
        w += width("math", " =");
        captionWidths.set(latex, w / REF);
      }
      return captionWidths.get(latex) * px;
    },
    /** Width in px of a value as the labels draw it (bold, so any weight of it fits). */
    value(text, px) {
      return (width("text", text) / REF) * px;
    },
    /** Where a label line's ink box reaches above and below its baseline, in px. */
    line(px) {
      const m = vertical("math"), t = vertical("text");
      const ascent = Math.max(m.ascent, t.ascent);
      const descent = Math.max(m.descent, t.descent, SCRIPT_DROP + SCRIPT * m.descent);
      return { ascent: ascent * px, descent: descent * px };
    },
  };
}
