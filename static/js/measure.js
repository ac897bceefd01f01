// Text metrics for the graph's value labels: the placer needs the real size of each label, since
// sizes guessed from character counts let neighbours touch. Widths come from a canvas set to the
// labels' own fonts (no layout of the page is forced); heights from the fonts' ascent and descent.
// Everything scales linearly with the font size, so each string is measured once, at 100 px.
import { drawnRuns, SUB_DROP } from "./svgsym.js";

const REF = 100; // px: measure here, scale to the size asked for
const SCRIPT = 0.75; // a subscript's size relative to its line (css: .stack-line .cap .script)

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
  const symbolWidths = new Map();
  const symbol = (latex, suffix, px) => {
    const key = `${latex}\u0000${suffix}`;
    if (!symbolWidths.has(key)) {
      const w = drawnRuns(latex, suffix).reduce((sum, run) => sum + width("math", run.text) * (run.shift ? SCRIPT : 1), 0);
      symbolWidths.set(key, w / REF);
    }
    return symbolWidths.get(key) * px;
  };
  return {
    /** Width in px of a symbol (LaTeX-lite) as svgsym.setSymbol draws it in the math font. */
    symbol: (latex, px) => symbol(latex, "", px),
    /** Width in px of a label's caption: its symbol followed by " =". */
    caption: (latex, px) => symbol(latex, " =", px),
    /** Width in px of a value as the labels draw it (bold, so any weight of it fits). */
    value(text, px) {
      return (width("text", text) / REF) * px;
    },
    /** Where a label line's ink box reaches above and below its baseline, in px. */
    line(px) {
      const m = vertical("math"), t = vertical("text");
      const ascent = Math.max(m.ascent, t.ascent);
      const descent = Math.max(m.descent, t.descent, SUB_DROP + SCRIPT * m.descent);
      return { ascent: ascent * px, descent: descent * px };
    },
  };
}
