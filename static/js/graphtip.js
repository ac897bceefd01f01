// The graph's hover and focus tip: everything known about one element so far (its given value
// and each quantity reached), for values the picture leaves off to stay legible. HTML over the
// SVG, so it can sit anywhere without taking a label's place; it is transient, not part of the
// picture at a step.
import { htmlNodes } from "./notation.js";

export function createTip() {
  const tip = document.createElement("div");
  tip.className = "graph-tip";
  tip.setAttribute("role", "tooltip");
  tip.dataset.testid = "graph-tip";
  tip.hidden = true;
  let host = null;
  return {
    attach(container) {
      host = container;
      container.append(tip);
    },
    /** content: {title, rows: [[caption, value]], x, y, width, height} in layout units, or null. */
    show(content) {
      if (!content || !host) { tip.hidden = true; return; }
      const title = document.createElement("div");
      title.className = "tip-title";
      title.append(...htmlNodes(content.title));
      const table = document.createElement("table");
      for (const [caption, value] of content.rows) {
        const tr = table.insertRow();
        tr.insertCell().append(...htmlNodes(caption));
        const v = tr.insertCell();
        v.className = "num";
        v.textContent = value;
      }
      tip.replaceChildren(title, table);
      tip.hidden = false;
      // Beside the element, flipped to whichever side keeps the tip inside the graph.
      const sx = host.clientWidth / content.width, sy = host.clientHeight / content.height;
      const px = content.x * sx, py = content.y * sy;
      const w = tip.offsetWidth, h = tip.offsetHeight;
      const left = px + 16 + w <= host.clientWidth ? px + 16 : Math.max(0, px - 16 - w);
      const top = Math.min(Math.max(0, py - h / 2), Math.max(0, host.clientHeight - h));
      tip.style.left = `${left}px`;
      tip.style.top = `${top}px`;
    },
  };
}
