// The join link's QR code reads back as the link: the SVG's path is rasterised here (a polygon
// fill written for this test, not the page's code) and decoded by an independent reader, jsQR.
import { test } from "node:test";
import assert from "node:assert/strict";
import jsQR from "jsqr";
import { QUIET_ZONE, qrSvg } from "../../static/js/qr.js";

const PIXELS_PER_MODULE = 4;

// Just enough of a DOM for qrSvg: elements with attributes and children.
const fakeDocument = {
  createElementNS: (ns, tag) => ({
    ns, tag, attributes: {}, children: [],
    setAttribute(name, value) { this.attributes[name] = String(value); },
    append(...nodes) { this.children.push(...nodes); },
  }),
};

/** Closed polygons of a path's data: M/m, L/l, H/h, V/v and Z/z (what a drawing of squares needs). */
function polygons(d) {
  const tokens = d.match(/[MmLlHhVvZz]|-?\d*\.?\d+(?:e-?\d+)?/g);
  const shapes = [];
  let points = null;
  let x = 0;
  let y = 0;
  let command = null;
  for (let i = 0; i < tokens.length;) {
    if (/[A-Za-z]/.test(tokens[i])) command = tokens[i++];
    const number = () => Number(tokens[i++]);
    switch (command) {
      case "M": case "m": {
        const [dx, dy] = [number(), number()];
        [x, y] = command === "M" ? [dx, dy] : [x + dx, y + dy];
        points = [[x, y]];
        shapes.push(points);
        command = command === "M" ? "L" : "l";
        break;
      }
      case "L": case "l": {
        const [dx, dy] = [number(), number()];
        [x, y] = command === "L" ? [dx, dy] : [x + dx, y + dy];
        points.push([x, y]);
        break;
      }
      case "H": x = number(); points.push([x, y]); break;
      case "h": x += number(); points.push([x, y]); break;
      case "V": y = number(); points.push([x, y]); break;
      case "v": y += number(); points.push([x, y]); break;
      case "Z": case "z": [x, y] = points[0]; break;
      default: throw new Error(`unexpected path command ${command}`);
    }
  }
  return shapes;
}

// Even-odd rule, one ray to the right.
function inside([px, py], polygon) {
  let odd = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if ((yi > py) !== (yj > py) && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** RGBA pixels of the SVG as a browser would paint it: its ground, then the path, at each pixel's centre. */
function rasterise(svg) {
  const [, , side] = svg.attributes.viewBox.split(" ").map(Number);
  const [ground, path] = svg.children;
  assert.equal(ground.attributes.fill, "#ffffff");
  assert.equal(path.attributes.fill, "#000000");
  const shapes = polygons(path.attributes.d);
  const width = side * PIXELS_PER_MODULE;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let row = 0; row < width; row += 1) {
    for (let col = 0; col < width; col += 1) {
      const centre = [(col + 0.5) / PIXELS_PER_MODULE, (row + 0.5) / PIXELS_PER_MODULE];
      if (shapes.some((shape) => inside(centre, shape))) data.fill(0, (row * width + col) * 4, (row * width + col) * 4 + 3);
    }
  }
  return { data, width, side, shapes };
}

const LINKS = [
  // A join link as the server makes them: a hall's laptop on the LAN, a 22-character session id.
  "http://192.168.1.20:5000/live/Jb3_kQ9-xZ0aLm7PqR2sTw",
  "https://backprop.example-university.edu/courses/ml-101/live/Jb3_kQ9-xZ0aLm7PqR2sTw?lang=en",
  // Not ASCII: sent as UTF-8 bytes, read back as the same text.
  "https://exemple.fr/cours/rétropropagation/live/Jb3_kQ9",
];

for (const link of LINKS) {
  test(`the QR code of ${link} reads back as the link`, () => {
    const svg = qrSvg(link, "QR code of the join link", fakeDocument);
    const { data, width } = rasterise(svg);
    const read = jsQR(data, width, width);
    assert.ok(read, "jsQR found no code");
    assert.equal(read.data, link);
    assert.deepEqual(read.binaryData, [...new TextEncoder().encode(link)]);
  });
}

test("the code is one path of dark modules inside a quiet zone, named for assistive technology", () => {
  const svg = qrSvg(LINKS[0], "QR code of the join link", fakeDocument);
  assert.equal(svg.attributes.role, "img");
  assert.equal(svg.attributes["aria-label"], "QR code of the join link");
  assert.equal(svg.attributes["shape-rendering"], "crispEdges");
  assert.deepEqual(svg.children.map((c) => c.tag), ["rect", "path"]);
  const modules = Number(svg.attributes["data-modules"]);
  // Versions 1-40: 21 to 177 modules, in steps of 4.
  assert.ok(modules >= 21 && modules <= 177 && (modules - 21) % 4 === 0, `${modules} modules`);
  const { side, shapes } = rasterise(svg);
  assert.equal(side, modules + 2 * QUIET_ZONE);
  const xs = shapes.flat().map(([x]) => x);
  const ys = shapes.flat().map(([, y]) => y);
  assert.equal(Math.min(...xs), QUIET_ZONE);
  assert.equal(Math.min(...ys), QUIET_ZONE);
  assert.equal(Math.max(...xs), side - QUIET_ZONE);
  assert.equal(Math.max(...ys), side - QUIET_ZONE);
});

test("the reader is not fooled: a blank image or a damaged finder pattern reads as nothing", () => {
  const svg = qrSvg(LINKS[0], "QR code", fakeDocument);
  const { data, width } = rasterise(svg);
  assert.equal(jsQR(new Uint8ClampedArray(data.length).fill(255), width, width), null);
  // Paint the top-left and top-right finder patterns white: no code is left to find.
  const finder = (QUIET_ZONE + 7) * PIXELS_PER_MODULE;
  for (let row = 0; row < finder; row += 1) {
    data.fill(255, row * width * 4, (row * width + finder) * 4);
    data.fill(255, (row * width + width - finder) * 4, (row + 1) * width * 4);
  }
  assert.equal(jsQR(data, width, width), null);
});
