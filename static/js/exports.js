// Exports and import: the current step as an SVG or PNG slide, the trace and the network as
// JSON, the worked solution as Markdown or LaTeX, a network imported from a file or pasted text,
// and the link to the printable handout.
import { fetchSolution, fetchTrace } from "./api.js";
import { wireTrace } from "./expand.js";
import { loadMath } from "./formula.js";
import { SLIDE, slideSvgText } from "./slide.js";
import { encodeHash, shareState } from "./urlstate.js";

const MAX_IMPORT_BYTES = 256 * 1024; // the API's body limit

export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const jsonBlob = (value, indent) => new Blob([`${JSON.stringify(value, null, indent)}\n`], { type: "application/json" });

async function rasterise(svgText) {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const img = new Image(SLIDE.width, SLIDE.height);
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = SLIDE.width;
    canvas.height = SLIDE.height;
    canvas.getContext("2d").drawImage(img, 0, 0, SLIDE.width, SLIDE.height);
    // A canvas tainted by the foreignObject throws here (SecurityError): the caller retries.
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the canvas gave no PNG"))), "image/png");
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

async function slidePng(trace, index, view) {
  try {
    return await rasterise(slideSvgText(trace, index, { view }));
  } catch {
    return rasterise(slideSvgText(trace, index, { mathAsText: true, view }));
  }
}

// The worked solution is written by the server (webapp/solution): the page sends the network it shows.
function setupSolution(app, busy) {
  const group = app.$("solution-exports");
  for (const button of group.querySelectorAll("button[data-format]")) {
    button.addEventListener("click", () => busy(button, async () => {
      const { spec, granularity } = app.state.trace;
      const result = await fetchSolution(group.dataset.url, { ...spec, granularity }, button.dataset.format);
      if (result.ok) download(result.blob, button.dataset.filename);
      else app.$("copy-link-status").textContent = `No worked solution: ${result.field}: ${result.error}`;
    }));
  }
}

function setupImport(app) {
  const dialog = app.$("import-dialog");
  const file = app.$("import-file");
  const text = app.$("import-text");
  const error = app.$("import-error");
  const submit = app.$("import-submit");
  const say = (message) => { error.textContent = message; };

  async function load(source) {
    say("");
    if (source.length > MAX_IMPORT_BYTES) return say(`That is more than ${MAX_IMPORT_BYTES / 1024} KiB, larger than any network the server accepts.`);
    let spec;
    try {
      spec = JSON.parse(source);
    } catch (err) {
      return say(`This is not valid JSON: ${err.message}`);
    }
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) return say("A network is a JSON object, such as {\"layers\": [1, 1, 2], ...}.");
    submit.disabled = true;
    // Ask the server first: an invalid network is reported here, not on the editor's fields.
    const checked = await fetchTrace(app.urls.trace, spec);
    if (!checked.ok) {
      submit.disabled = false;
      return say(`The network was not accepted: ${checked.field}: ${checked.error}`);
    }
    const result = await app.loadSpec(spec, { index: 0 });
    submit.disabled = false;
    if (!result?.ok) return say(`The network was not loaded: ${result?.error ?? "unknown error"}`);
    dialog.close();
    app.$("import-spec").focus();
  }

  app.$("import-spec").addEventListener("click", () => {
    say("");
    file.value = "";
    dialog.showModal();
    text.focus();
  });
  app.$("import-cancel").addEventListener("click", () => dialog.close());
  dialog.querySelector("form").addEventListener("submit", (event) => {
    event.preventDefault();
    load(text.value);
  });
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    if (chosen.size > MAX_IMPORT_BYTES) return say(`${chosen.name} is larger than ${MAX_IMPORT_BYTES / 1024} KiB.`);
    const source = await chosen.text();
    text.value = source;
    load(source);
  });
}

export function setupExports(app) {
  // The slide shows the step as the page does, quiz mask included (app.view()).
  const current = () => ({ trace: app.state.trace, index: app.state.index, k: app.state.index + 1, view: app.view() });
  const busy = async (button, work) => {
    if (!app.state.trace || button.disabled) return;
    button.disabled = true;
    // A slide's formula is typeset, never the plain text shown while temml is on its way.
    try { await loadMath(); await work(); } finally { button.disabled = false; }
  };

  const svgButton = app.$("export-svg");
  svgButton.addEventListener("click", () => busy(svgButton, () => {
    const { trace, index, k, view } = current();
    download(new Blob([slideSvgText(trace, index, { view })], { type: "image/svg+xml" }), `backprop-step-${k}.svg`);
  }));
  const pngButton = app.$("export-png");
  pngButton.addEventListener("click", () => busy(pngButton, async () => {
    const { trace, index, k, view } = current();
    download(await slidePng(trace, index, view), `backprop-step-${k}.png`);
  }));
  app.$("export-trace-json").addEventListener("click", () => {
    if (app.state.trace) download(jsonBlob(wireTrace(app.state.trace)), "backprop-trace.json");
  });
  app.$("export-spec-json").addEventListener("click", () => {
    if (app.state.trace) download(jsonBlob(app.state.trace.spec, 2), "backprop-network.json");
  });
  setupSolution(app, busy);
  setupImport(app);

  // The handout link carries the network the same way the page's own link does.
  const handout = app.$("handout");
  const base = handout.getAttribute("href").split("#")[0];
  const point = () => {
    const { preset, spec, iter } = shareState({ ...app.state, index: 0, mode: "normal" });
    handout.setAttribute("href", base + encodeHash({ preset, spec, iter }));
  };
  app.on("trace", point);
  point();
}
