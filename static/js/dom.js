// The one DOM helper the panels and feature modules share.

/** A new element with attributes (null or undefined ones left out) and, optionally, its text. */
export function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
