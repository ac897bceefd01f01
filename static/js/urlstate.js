// Pure encode/decode of the page state <-> URL hash. One table drives both directions;
// anything unparseable falls back to its default and is named in `invalid`, so the page can say so.
//
// The hash holds the whole view: `step` (1-based), `mode` (normal | lecture | quiz), for a
// mini-batch the `sample` shown (1-based, when not the first), and the network, either
// `preset=<id>` (an unedited preset) or `spec=<base64url of the spec's JSON>`; for the walkthrough
// of a training iteration, `spec` is the training run's request and `iter` the iteration.
// Everything in it is untrusted text: it is parsed here, never put into markup.

export const MODES = ["normal", "lecture", "quiz"];
const MAX_STEP_DIGITS = 7;
// Base64 of a body the API would accept (256 KiB) is at most 4/3 of it.
const MAX_SPEC_CHARS = Math.ceil((256 * 1024 * 4) / 3) + 4;

/** base64url (no padding) of the spec's compact JSON, UTF-8. */
export function encodeSpec(spec) {
  const bytes = new TextEncoder().encode(JSON.stringify(spec));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The spec object of encodeSpec's text, or null when it is not base64url of a JSON object. */
export function decodeSpec(text) {
  if (typeof text !== "string" || !text || text.length > MAX_SPEC_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

const PROPS = [
  { name: "step", fallback: 1, parse: (s) => (new RegExp(`^\\d{1,${MAX_STEP_DIGITS}}$`).test(s) && Number(s) >= 1 ? Number(s) : null) },
  { name: "mode", fallback: "normal", parse: (s) => (MODES.includes(s) ? s : null) },
  // A mini-batch's sample the graph shows where a step is about the whole batch (1-based).
  { name: "sample", fallback: null, parse: (s) => (/^\d{1,3}$/.test(s) && Number(s) >= 1 ? Number(s) : null) },
  { name: "preset", fallback: null, parse: (s) => (/^[a-z0-9][a-z0-9_-]{0,63}$/.test(s) ? s : null) },
  { name: "spec", fallback: null, parse: decodeSpec, encode: encodeSpec },
  // With a training run as the spec: the iteration whose walkthrough is shown (0-based, as the API).
  { name: "iter", fallback: null, parse: (s) => (/^\d{1,5}$/.test(s) ? Number(s) : null) },
];

// A training iteration's walkthrough is asked for as {train: <a POST /api/train body>, iteration: k}.
export const isIteration = (spec) => !!spec && typeof spec.train === "object" && Number.isInteger(spec.iteration);

/** The spec a decoded hash asks for: a training run's iteration when it names one (iter), else its spec. */
export function wantedSpec(state) {
  return state.spec && state.iter !== null ? { train: state.spec, iteration: state.iter } : state.spec;
}

/** {step, mode, sample, preset, spec, iter, invalid: [names present in the hash but not understood]}. */
export function decodeHash(hash) {
  let params;
  try {
    params = new URLSearchParams(String(hash ?? "").replace(/^#/, ""));
  } catch {
    params = new URLSearchParams();
  }
  const state = { invalid: [] };
  for (const p of PROPS) {
    const raw = params.get(p.name);
    const value = raw === null ? null : p.parse(raw.trim());
    if (raw !== null && value === null) state.invalid.push(p.name);
    state[p.name] = value === null ? p.fallback : value;
  }
  return state;
}

export function encodeHash(state) {
  const params = PROPS.filter((p) => state[p.name] != null)
    .map((p) => `${p.name}=${encodeURIComponent((p.encode ?? String)(state[p.name]))}`);
  return `#${params.join("&")}`;
}

const sameJson = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What the hash should say for the page state ({index, mode, sample, presetId, spec, presets}):
 * a preset's id while its network is unedited, otherwise the spec itself.
 */
export function shareState({ index = 0, mode = "normal", sample = 0, presetId = null, spec = null, presets = [] }) {
  const out = { step: index + 1 };
  if (mode && mode !== "normal") out.mode = mode;
  if (sample > 0) out.sample = sample + 1;
  if (!spec) return out;
  const preset = presets.find((p) => p.id === presetId && sameJson(p.spec, spec)) || presets.find((p) => sameJson(p.spec, spec));
  if (preset) out.preset = preset.id;
  else if (isIteration(spec)) Object.assign(out, { spec: spec.train, iter: spec.iteration });
  else out.spec = spec;
  return out;
}
