// A link as a QR code, drawn as SVG: the live session's join link on the presenter's screen, for
// the hall to scan. The modules come from the vendored qrcode-generator; the drawing is ours, so
// it scales to any size without blurring (one path in module units, crisp edges).

import qrcode from "../vendor/qrcode-generator/qrcode.mjs";

// The light border a reader needs to find the code: 4 modules, as the QR standard asks.
export const QUIET_ZONE = 4;
// M recovers 15 % of damaged modules: a projector's glare or a hotspot, without the larger
// code Q or H would make of a long URL (larger code, smaller modules at the same size).
const ERROR_CORRECTION = "M";
const SVG = "http://www.w3.org/2000/svg";

/**
 * The code's modules for `text`: rows of booleans (true: dark), the smallest version that fits.
 * The text is sent as UTF-8 bytes: the library's byte mode takes one character per byte.
 */
export function qrModules(text) {
  const code = qrcode(0, ERROR_CORRECTION);
  code.addData(String.fromCharCode(...new TextEncoder().encode(text)), "Byte");
  code.make();
  const size = code.getModuleCount();
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => code.isDark(row, col)));
}

/**
 * One path's data for the dark modules, in module units, shifted by the quiet zone: each run of
 * dark modules in a row is one rectangle, so the path stays short and has no seams inside a run.
 */
export function qrPathData(modules, quiet = QUIET_ZONE) {
  const parts = [];
  modules.forEach((row, y) => {
    for (let x = 0; x < row.length; x += 1) {
      if (!row[x]) continue;
      const start = x;
      while (x + 1 < row.length && row[x + 1]) x += 1;
      parts.push(`M${start + quiet} ${y + quiet}h${x + 1 - start}v1h-${x + 1 - start}z`);
    }
  });
  return parts.join("");
}

/**
 * An <svg> of the QR code of `text`, named `label` for assistive technology. Black on white
 * whatever the theme: readers expect dark modules on a light ground.
 */
export function qrSvg(text, label, doc = document) {
  const modules = qrModules(text);
  const side = modules.length + 2 * QUIET_ZONE;
  const svg = doc.createElementNS(SVG, "svg");
  const attrs = { viewBox: `0 0 ${side} ${side}`, role: "img", "aria-label": label, "shape-rendering": "crispEdges",
    class: "qr-code", "data-modules": String(modules.length) };
  for (const [name, value] of Object.entries(attrs)) svg.setAttribute(name, value);
  const ground = doc.createElementNS(SVG, "rect");
  for (const [name, value] of Object.entries({ width: side, height: side, fill: "#ffffff" })) ground.setAttribute(name, value);
  const dark = doc.createElementNS(SVG, "path");
  dark.setAttribute("d", qrPathData(modules));
  dark.setAttribute("fill", "#000000");
  svg.append(ground, dark);
  return svg;
}
