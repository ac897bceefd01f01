// A dense graph's weight edges, drawn so that a step restyles a few elements, not thousands:
// the edges the step touches (and the one hovered or focused) are their own groups, with their
// data-edge-id, on top; every other edge is a segment of one path per look (edgebundle.js), and
// one invisible wide path stands in for their hit areas. The look comes from each edge's own
// group, which graph.js keeps styled whether or not it is in the document, so the combined paths
// follow the same classes and the same CSS as the edges drawn on their own.
import { make, syncLayer } from "./graphsvg.js";
import { RESTING_LOOKS, lookOf, restingPaths, segmentPath, nearestEdge } from "./edgebundle.js";

const HIT_HALF_WIDTH = 7; // half of .edge-hit's stroke-width (app.css), in layout units

// Every combination of the looks, in a fixed order: the paths are built once and only refilled.
const allLooks = () => RESTING_LOOKS.reduce((combos, cls) => combos.flatMap((c) => [c, c ? `${c} ${cls}` : cls]), [""]);

/**
 * layer: the edges layer; shapes: buildSvg's edgeShapes; elements: id -> the edge's <g>.
 * Returns {sync(ids)}: draw the edges in `ids` on their own, the rest combined.
 */
export function createRestingEdges(layer, shapes, elements, { onHover, onEdgeClick }) {
  const resting = make("g", { class: "resting-edges" });
  const touchedLayer = make("g", { class: "touched-edges" });
  layer.prepend(resting, touchedLayer);
  const looks = new Map();
  for (const look of allLooks()) {
    const g = make("g", { class: `edge edge-bundle ${look}`.trim(), "data-look": look || "plain" }, resting);
    looks.set(look, { line: make("path", { class: "edge-line" }, g), back: make("path", { class: "edge-back" }, g) });
  }
  const hit = make("path", { class: "edge-hit", "data-testid": "resting-edge-hit" }, resting);
  const edges = shapes.map((s) => ({ id: s.id, seg: s.seg, line: segmentPath(s.seg), back: segmentPath(s.back) }));
  let restingEdges = edges;

  // The pointer over the combined hit path: the resting edge under it, as its own group would say.
  const edgeAt = (event) => {
    const ctm = resting.getScreenCTM();
    if (!ctm) return null;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    return nearestEdge(p.x, p.y, restingEdges, HIT_HALF_WIDTH + 1);
  };
  hit.addEventListener("pointermove", (event) => { const id = edgeAt(event); if (id) onHover(id); });
  // Onto the hovered edge's own group (drawn on top once hovered): that group takes over.
  hit.addEventListener("pointerleave", (event) => { if (!event.relatedTarget?.closest?.("[data-edge-id]")) onHover(null); });
  hit.addEventListener("click", (event) => { const id = edgeAt(event); if (id) onEdgeClick(id); });

  function sync(ids) {
    syncLayer(touchedLayer, edges.filter((e) => ids.has(e.id)).map((e) => elements.get(e.id)));
    const has = (id) => (cls) => elements.get(id).classList.contains(cls);
    const { paths, hit: all } = restingPaths(edges, (id) => ids.has(id), (id) => lookOf(has(id)));
    for (const [look, path] of looks) {
      setPath(path.line, paths.get(look)?.line);
      setPath(path.back, paths.get(look)?.back);
    }
    setPath(hit, all);
    restingEdges = edges.filter((e) => !ids.has(e.id));
  }

  return { sync };
}

// An empty path carries no d at all, however it became empty. The last d is kept on the element
// so an unchanged path (tens of kilobytes) is neither read back nor parsed again.
function setPath(path, d = "") {
  if (path.lastD === d) return;
  path.lastD = d;
  if (!d) path.removeAttribute("d");
  else path.setAttribute("d", d);
}
