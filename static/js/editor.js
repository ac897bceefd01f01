// Network editor: the form that turns what the user types into a spec for POST /api/trace.
//
// The inputs are the source of truth for values (so typed text is never lost); the shape
// (layer sizes, biases on/off) is whatever was last built. Values are sent as typed: text that
// is not a number goes to the server as the raw string, so its 400 names the field and
// showError can point at it.
//
// What it offers and enforces (activations and their slopes, losses, limits, defaults) is the
// server's GET /api/meta, handed in as `meta`; weight and bias names are the trace's symbols.
// The Data group (one sample or a mini-batch) is datagroup.js's.
import { toText } from "./notation.js";
import { editorOptions, fieldToTestId, parseValue, resize } from "./specform.js";
import { el, field, select, symbolNode, valueInput as input, writeValue } from "./formparts.js";
import { createDataGroup } from "./datagroup.js";

const NEW_WEIGHT = 0.1, NEW_BIAS = 0;
const DEBOUNCE_MS = 300;
// The data's keys are all the editor's: a spec gives one sample or a mini-batch, and the form
// sends exactly one of them (the server refuses both).
const OWN_KEYS = ["layers", "weights", "biases", "activations", "loss", "inputs", "targets", "samples", "reduction",
  "epsilon", "learning_rate", "seed"];

export function createEditor(root, { presets, meta, onSpec = () => {}, onPreset } = {}) {
  const presetList = Array.isArray(presets) ? presets : presets?.presets || [];
  const { activations: activationOptions, slopes, losses, layers: layerLimits, neurons, defaults } = editorOptions(meta);
  let layerKeys = []; // identity of each layer, so resizing keeps weights with the layer they belong to
  let nextKey = 0;
  let shape = ""; // layers + biases on/off of the built form
  let symbols = new Map(); // element id -> LaTeX symbol from the last trace
  let extra = {}; // spec keys the editor does not edit (e.g. granularity), passed through
  let savedBiases = null; // biases to restore when the toggle is switched back on
  let timer = null;
  const pending = new Set(); // inputs typed into since the last send

  root.classList.add("editor");
  const byId = (testid) => root.querySelector(`[data-testid="${testid}"]`);

  function group(title, ...children) {
    return el("fieldset", { class: `editor-group group-${title.toLowerCase()}` }, el("legend", {}, title), ...children);
  }

  const data = createDataGroup({
    meta, datasetsUrl: root.dataset.datasetsUrl, symbolOf: (id) => symbols.get(id), busy: keep,
    onEdit: () => send(),
    // A dataset of other sizes: the input and output layers follow it, the hidden ones stay.
    onShape: (inputs, outputs) => restructure(currentLayers().map((n, l, all) => (l === 0 ? inputs : l === all.length - 1 ? outputs : n))),
  });
  // The sample the walkthrough shows (samplefocus.js tells).
  root.addEventListener("sampleshown", (event) => data.showSample(event.detail));

  /** The spec as the form currently says, invalid text included as raw strings. */
  function readSpec() {
    const layers = [...root.querySelectorAll("[data-testid^=layer-size-]")].map((b) => {
      const v = parseValue(b.value);
      return Number.isInteger(v) ? v : b.value;
    });
    const built = JSON.parse(shape); // the toggle may already be flipped while the bias inputs are not built yet
    const shapeLayers = built.layers;
    const matrices = (prefix) => shapeLayers.slice(1).map((rows, m) => Array.from({ length: rows }, (_, j) => {
      if (prefix === "bias") return parseValue(byId(`bias-b${m + 1}-${j}`).value);
      return Array.from({ length: shapeLayers[m] }, (_, i) => parseValue(byId(`weight-w${m + 1}-${j}-${i}`).value));
    }));
    const activations = shapeLayers.slice(1).map((_, m) => {
      const name = byId(`activation-${m + 1}`).value;
      return name in slopes ? { name, slope: parseValue(byId(`slope-${m + 1}`).value) } : { name };
    });
    const spec = {
      ...extra, layers, weights: matrices("weight"),
      biases: built.biases ? matrices("bias") : null,
      activations, loss: byId("loss").value, ...data.read(),
      epsilon: parseValue(byId("epsilon").value), learning_rate: parseValue(byId("learning-rate").value),
    };
    if (byId("seed").value.trim() !== "") spec.seed = parseValue(byId("seed").value);
    return spec;
  }

  let lastSent = null;
  // Blur after a debounced send fires "change" with nothing new: don't ask the server twice.
  function send(spec = readSpec(), force = false) {
    clearTimeout(timer);
    timer = null;
    pending.clear();
    const text = JSON.stringify(spec);
    if (!force && text === lastSent) return;
    lastSent = text;
    onSpec(spec);
  }

  // A weight's or a bias's symbol (like an input's) is the trace's: notation.py names them. Until a
  // trace of this shape arrives, a bare letter, and words for the screen reader.
  function paramLabel(id, l, j, i) {
    const letter = id.startsWith("w") ? "w" : "b";
    const sym = symbols.get(id);
    if (sym) return { sym, aria: `${letter === "w" ? "Weight" : "Bias"} ${toText(sym)}` };
    return { sym: letter, aria: letter === "w" ? `Weight into neuron ${j + 1} of layer ${l} from neuron ${i + 1}`
      : `Bias of neuron ${j + 1} of layer ${l}` };
  }

  function build(spec, presetId) {
    // Rebuilding replaces the focused control; put the focus back where the user was.
    const focused = root.contains(document.activeElement) ? document.activeElement.dataset.testid : null;
    const seed = spec.seed ?? byId("seed")?.value ?? ""; // trace.spec has no seed: keep the typed one
    const layers = spec.layers;
    const biases = Array.isArray(spec.biases) ? spec.biases : null;
    shape = JSON.stringify({ layers, biases: !!biases });
    root.replaceChildren();
    root.append(el("div", { class: "editor-errors", role: "alert" }));

    const presetSelect = select("preset", [["custom", "Custom network"], ...presetList.map((p) => [p.id, p.title])],
      presetList.some((p) => p.id === presetId) ? presetId : "custom", "Preset");
    presetSelect.options[0].hidden = true;
    const layerRows = layers.map((size, l) => {
      const role = l === 0 ? "input" : l === layers.length - 1 ? "output" : "hidden";
      const row = el("div", { class: `layer-row role-${role}` },
        field(role === "hidden" && layers.length > 3 ? `hidden ${l}` : role, input(`layer-size-${l}`, size, { mode: "numeric", type: "number", min: neurons.min, max: neurons.max, step: 1, label: `Neurons in layer ${l}` })));
      if (l > 0) {
        const act = spec.activations?.[l - 1] || { name: defaults.activation };
        row.append(field("f", select(`activation-${l}`, activationOptions, act.name, `Activation of layer ${l}`)));
        const slope = field("slope", input(`slope-${l}`, act.slope ?? slopes[act.name] ?? 1, { label: `Slope of layer ${l}` }), "slope-field");
        slope.hidden = !(act.name in slopes);
        row.append(slope);
      }
      return row;
    });
    const buttons = el("div", { class: "layer-buttons" },
      el("button", { type: "button", "data-testid": "add-layer", disabled: layers.length >= layerLimits.max }, "+ hidden layer"),
      el("button", { type: "button", "data-testid": "remove-layer", disabled: layers.length <= layerLimits.min }, "− hidden layer"));
    root.append(group("Network", field("Preset", presetSelect), ...layerRows, buttons));

    root.append(data.element);

    const weightGroups = layers.slice(1).map((rows, m) => {
      const l = m + 1;
      const grid = el("div", { class: "field-grid weight-grid" });
      for (let j = 0; j < rows; j++) {
        for (let i = 0; i < layers[m]; i++) {
          const id = `w${l}-${j}-${i}`;
          const { sym, aria } = paramLabel(id, l, j, i);
          grid.append(field(symbolNode(sym), input(`weight-${id}`, spec.weights?.[m]?.[j]?.[i] ?? NEW_WEIGHT, { label: aria })));
        }
        if (biases) {
          const id = `b${l}-${j}`;
          const { sym, aria } = paramLabel(id, l, j);
          grid.append(field(symbolNode(sym), input(`bias-${id}`, biases[m]?.[j] ?? NEW_BIAS, { label: aria }), "bias-field"));
        }
      }
      // Big matrices start folded so the form stays short; focusWeight unfolds them.
      return el("details", { class: "weight-layer", open: rows * layers[m] <= 16 ? "" : false },
        el("summary", {}, `Into layer ${l} (${rows} × ${layers[m]})`), grid);
    });
    const toggle = el("input", { type: "checkbox", "data-testid": "biases-toggle", checked: biases ? "" : false });
    root.append(group("Weights", field("Biases", toggle, "toggle-field"), ...weightGroups));

    const loss = select("loss", losses, spec.loss || defaults.loss, "Loss");
    root.append(group("Training",
      field("Loss", loss),
      field("ε (check)", input("epsilon", spec.epsilon ?? defaults.epsilon, { label: "Epsilon for the gradient check" })),
      field("η (learning rate)", input("learning-rate", spec.learning_rate ?? defaults.learning_rate, { label: "Learning rate" })),
      el("div", { class: "seed-row" },
        field("Seed", input("seed", seed, { mode: "numeric", type: "number", min: 0, step: 1, label: "Random seed" })),
        el("button", { type: "button", "data-testid": "randomize" }, "Randomize weights"))));

    if (focused && byId(focused)) byId(focused).focus();
  }

  // ---- structural edits ----
  function restructure(layers, biasesOn = byId("biases-toggle").checked, keys = layerKeys) {
    const old = readSpec();
    const oldKeys = layerKeys;
    // Biases switched off are remembered, so switching them back on restores them.
    if (Array.isArray(old.biases)) savedBiases = { keys: oldKeys, biases: old.biases };
    const activations = [];
    layers.slice(1).forEach((_, m) => {
      const at = oldKeys.indexOf(keys[m + 1]);
      // A new hidden layer takes the activation of the layer it follows (or the output's).
      activations.push(at > 0 ? old.activations[at - 1] : { ...(activations.at(-1) || old.activations.at(-1)) });
    });
    layerKeys = keys;
    symbols = new Map(); // the last trace's names belong to the old shape
    const spec = {
      ...old, layers, activations,
      weights: resize(old.weights, oldKeys, keys, layers, NEW_WEIGHT),
      biases: biasesOn ? resize(savedBiases?.biases, savedBiases?.keys || [], keys, layers, NEW_BIAS, true) : null,
    };
    data.resize(layers[0], layers.at(-1));
    build(spec, "custom");
    send();
  }

  function currentLayers() {
    return JSON.parse(shape).layers;
  }

  root.addEventListener("click", (event) => {
    const testid = event.target.closest("button")?.dataset.testid;
    const layers = currentLayers();
    if (testid === "add-layer" && layers.length < layerLimits.max) {
      // The new hidden layer goes just before the output, as wide as the layer it follows.
      const at = layers.length - 1;
      restructure([...layers.slice(0, at), layers[at - 1], layers[at]],
        undefined, [...layerKeys.slice(0, at), nextKey++, layerKeys[at]]);
    } else if (testid === "remove-layer" && layers.length > layerLimits.min) {
      const at = layers.length - 2;
      restructure([...layers.slice(0, at), layers.at(-1)], undefined, [...layerKeys.slice(0, at), layerKeys.at(-1)]);
    } else if (testid === "randomize") {
      let seed = parseValue(byId("seed").value);
      if (byId("seed").value.trim() === "") {
        seed = Math.floor(Math.random() * 2 ** 31);
        byId("seed").value = String(seed);
      }
      send({ ...readSpec(), weights: null, seed, biases: byId("biases-toggle").checked }, true);
    }
  });

  root.addEventListener("change", (event) => {
    const target = event.target;
    const testid = target.dataset.testid || "";
    if (testid === "preset") {
      const preset = presetList.find((p) => p.id === target.value);
      if (!preset) return;
      pending.clear();
      api.clearErrors();
      api.setSpec(preset.spec, preset.id, null, true);
      lastSent = JSON.stringify(readSpec());
      if (onPreset) onPreset(preset.id);
      else send(readSpec(), true);
    } else if (testid === "biases-toggle") {
      restructure(currentLayers(), target.checked);
    } else if (testid.startsWith("layer-size-")) {
      sizeEdited(target);
    } else if (testid.startsWith("activation-")) {
      const l = testid.slice("activation-".length);
      const slope = byId(`slope-${l}`);
      slope.closest(".field").hidden = !(target.value in slopes);
      if (target.value in slopes && parseValue(slope.value) === slope.value) slope.value = String(slopes[target.value]);
      send();
    } else {
      send(); // a value field left or Entered, or a select: send at once
    }
  });

  function sizeEdited(box) {
    const l = Number(box.dataset.testid.slice("layer-size-".length));
    const v = parseValue(box.value);
    const layers = currentLayers();
    if (Number.isInteger(v) && v >= neurons.min && v <= neurons.max) {
      if (v !== layers[l]) restructure(layers.map((n, i) => (i === l ? v : n)));
    } else {
      send(); // out of range or not a number: the server's error names layers[l]
    }
  }

  root.addEventListener("input", (event) => {
    const box = event.target;
    if (!box.dataset.value) return;
    pending.add(box);
    clearTimeout(timer);
    const run = box.dataset.testid.startsWith("layer-size-") ? () => sizeEdited(box) : () => send();
    timer = setTimeout(run, DEBOUNCE_MS);
  });

  // A value the user is busy with (focused, typed but unsent, or not a number) is left alone.
  function keep(box) {
    return box === document.activeElement || pending.has(box) || typeof parseValue(box.value) === "string";
  }

  function setValue(testid, value) {
    writeValue(byId(testid), value, keep);
  }

  const api = {
    /** Show a spec (a preset's, or trace.spec after a successful trace); trace supplies the symbols. */
    setSpec(spec, presetId, trace = null, force = false) {
      if (!spec) return;
      const newShape = JSON.stringify({ layers: spec.layers, biases: Array.isArray(spec.biases) });
      if (trace?.graph) {
        symbols = new Map(["nodes", "edges", "biases"].flatMap((p) => (trace.graph[p] || []).map((e) => [e.id, e.symbol])));
      } else if (newShape !== shape) {
        symbols = new Map(); // an older trace's names belong to another shape
      }
      extra = Object.fromEntries(Object.entries(spec).filter(([k]) => !OWN_KEYS.includes(k)));
      data.load(spec, force || newShape !== shape);
      if (force || newShape !== shape || layerKeys.length !== spec.layers.length) {
        if (newShape !== shape || layerKeys.length !== spec.layers.length) layerKeys = spec.layers.map(() => nextKey++);
        build(spec, presetId);
        return;
      }
      const preset = byId("preset");
      preset.value = presetList.some((p) => p.id === presetId) ? presetId : "custom";
      spec.weights?.forEach((mat, m) => mat.forEach((row, j) => row.forEach((w, i) => setValue(`weight-w${m + 1}-${j}-${i}`, w))));
      spec.biases?.forEach((vec, m) => vec.forEach((b, j) => setValue(`bias-b${m + 1}-${j}`, b)));
      spec.activations?.forEach((a, m) => {
        const s = byId(`activation-${m + 1}`);
        if (s !== document.activeElement) s.value = a.name;
        byId(`slope-${m + 1}`).closest(".field").hidden = !(s.value in slopes);
        if (a.slope !== undefined && a.slope !== null) setValue(`slope-${m + 1}`, a.slope);
      });
      if (spec.loss && byId("loss") !== document.activeElement) byId("loss").value = spec.loss;
      setValue("epsilon", spec.epsilon);
      setValue("learning-rate", spec.learning_rate);
      if (spec.seed !== undefined && spec.seed !== null) setValue("seed", spec.seed);
      // Labels follow the trace's notation when it arrives after the form was built.
      if (!trace?.graph) return;
      data.relabel();
      for (const box of root.querySelectorAll("[data-testid^=weight-], [data-testid^=bias-b]")) {
        const id = box.dataset.testid.replace(/^(weight|bias)-/, "");
        if (!symbols.has(id)) continue;
        box.previousSibling.replaceChildren(symbolNode(symbols.get(id)));
        box.setAttribute("aria-label", paramLabel(id).aria);
      }
    },

    showError({ error, field }) {
      api.clearErrors(); // the server names one problem at a time; an older one may be fixed by now
      const testid = fieldToTestId(field || "");
      const box = testid && byId(testid);
      const message = el("span", { class: "field-error", "data-error-for": field, role: "alert" }, error);
      if (box) {
        box.setAttribute("aria-invalid", "true");
        box.setAttribute("aria-describedby", `${testid}-error`);
        message.id = `${testid}-error`;
        if (!data.placeError(box, message)) box.closest(".field").after(message);
        const fold = box.closest("details");
        if (fold) fold.open = true;
      } else {
        root.querySelector(".editor-errors").append(message);
      }
    },

    clearErrors() {
      for (const m of root.querySelectorAll("[data-error-for], .sample-error-row")) m.remove();
      for (const b of root.querySelectorAll("[aria-invalid]")) {
        b.removeAttribute("aria-invalid");
        b.removeAttribute("aria-describedby");
      }
    },

    focusWeight(edgeId) {
      const box = byId(`weight-${edgeId}`);
      if (!box) return;
      const fold = box.closest("details");
      if (fold) fold.open = true;
      box.scrollIntoView({ block: "nearest" });
      box.focus();
      box.select();
    },
  };
  return api;
}
