// The printable handout: every step of one network's walkthrough with a small graph, the
// formula with its numbers and the narration. The network comes from the URL hash, encoded
// as on the explainer page (preset=<id> or spec=<base64url JSON>).
import { fetchPresets, fetchTrace } from "./api.js";
import { createGraph } from "./graph.js";
import { fillLatex, loadMath } from "./formula.js";
import { fitMath } from "./fitmath.js";
import { htmlNodes, installPlainCopy } from "./notation.js";
import { decodeHash, encodeHash, shareState, wantedSpec } from "./urlstate.js";
import { el } from "./dom.js";

// Graphs are drawn per step up to this many steps; past it the page would take too long to build.
const MAX_GRAPHS = 200;
const GRAPH_SIZE = { width: 480, height: 320 };
const body = document.body;
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

function say(message) {
  const status = $("handout-status");
  status.textContent = message || "";
  status.hidden = !message;
}

// {spec, presetId, problem}: what the hash asks for, or the default preset and why.
async function wantedNetwork() {
  const wanted = decodeHash(location.hash);
  if (wanted.spec) return { spec: wantedSpec(wanted), presetId: null };
  const presets = await fetchPresets(body.dataset.presetsUrl);
  if (!presets.ok) throw new Error(presets.error);
  const fallback = presets.presets.find((p) => p.id === presets.default) || presets.presets[0];
  const chosen = wanted.preset ? presets.presets.find((p) => p.id === wanted.preset) : fallback;
  let problem = null;
  if (wanted.invalid.includes("spec")) problem = "the link's network could not be read";
  else if (wanted.invalid.includes("preset") || (wanted.preset && !chosen)) problem = "the link names an unknown preset";
  return { spec: (chosen || fallback).spec, presetId: (chosen || fallback).id, problem, fallback };
}

function describe(trace) {
  const { layers, loss } = trace.spec;
  const acts = trace.graph.layers.slice(1).map((l) => l.activation);
  const same = acts.every((a) => a === acts[0]);
  return `${layers.join("-")} network, ${same ? acts[0] : acts.join(" / ")} activation${same ? "" : "s"}, `
    + `${trace.loss?.title || loss} loss, ${trace.steps.length} steps.`;
}

// The formula box: typeset once the page is laid out, in the layout and size that fit (fitmath.js).
function formulaBlock(latex, kind) {
  const box = el("div", { class: "formula hs-formula" });
  return { box, fit: () => fitMath(box, latex, { kind }) };
}

function render(trace) {
  const list = $("handout-steps");
  list.replaceChildren();
  const withGraphs = trace.steps.length <= MAX_GRAPHS;
  // One graph, mounted once off-page; each step's picture is a copy of it rendered at that step.
  const host = el("div", { class: "hs-host", "aria-hidden": "true" });
  body.append(host);
  const graph = createGraph(host);
  graph.setReducedMotion(true);
  graph.mount(trace, GRAPH_SIZE);
  const fits = [];
  trace.steps.forEach((step, index) => {
    const { formula, narrationLatex } = fillLatex(trace, step);
    const item = el("li", { class: `handout-step phase-${step.phase}`, "data-testid": "handout-step", "data-step-id": step.id, "data-phase": step.phase });
    const text = el("div", { class: "hs-text" });
    const head = el("h2", { class: "hs-head" });
    head.append(el("span", { class: `phase-badge phase-${step.phase}` }, step.phase), ` Step ${index + 1}`);
    const math = formulaBlock(formula, step.kind);
    fits.push(math.fit);
    const narration = el("p", { class: "hs-narration" });
    narration.append(...htmlNodes(narrationLatex));
    text.append(head, math.box, narration);
    if (withGraphs) {
      graph.render(trace, index);
      const figure = el("div", { class: "hs-graph" });
      const copy = host.querySelector("svg").cloneNode(true);
      copy.setAttribute("aria-label", `The network at step ${index + 1}`);
      figure.append(copy);
      item.append(figure);
    }
    item.append(text);
    list.append(item);
  });
  host.remove();
  for (const fit of fits) fit();
  if (!withGraphs) say(`This walkthrough has ${trace.steps.length} steps: the graphs are left out so the handout stays printable.`);
}

async function start() {
  installPlainCopy(document);
  $("print").addEventListener("click", () => window.print());
  const typesetting = loadMath(); // every step has a formula: fetch temml beside the trace
  let network;
  try {
    network = await wantedNetwork();
  } catch (err) {
    say(`The presets could not be loaded: ${err.message}`);
    return;
  }
  let result = await fetchTrace(body.dataset.traceUrl, network.spec);
  let problem = network.problem;
  if (!result.ok && !network.presetId) {
    problem = `the server rejected the link's network (${result.field}: ${result.error})`;
    const presets = await fetchPresets(body.dataset.presetsUrl);
    const fallback = presets.ok && (presets.presets.find((p) => p.id === presets.default) || presets.presets[0]);
    if (fallback) {
      network = { spec: fallback.spec, presetId: fallback.id };
      result = await fetchTrace(body.dataset.traceUrl, fallback.spec);
    }
  }
  if (!result.ok) {
    say(`The walkthrough could not be traced: ${result.error}`);
    return;
  }
  say(problem ? `This handout shows the default network: ${problem}.` : "");
  const trace = result.trace;
  $("handout-network").textContent = describe(trace);
  const { spec, iter } = shareState({ spec: network.spec }); // a training iteration: its run and iter
  $("handout-back").setAttribute("href", body.dataset.pageUrl
    + encodeHash(network.presetId ? { preset: network.presetId } : { spec, iter }));
  await typesetting;
  render(trace);
  body.dataset.ready = "true";
}

start();
