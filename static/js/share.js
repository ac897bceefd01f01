// Shareable links: restoring the view a URL hash describes (network, step, mode), the
// "Copy link" button, and the notice shown when a link could not be honoured.
// The hash is untrusted: it is decoded by urlstate.js and only ever shown as text.
import { decodeHash, encodeSpec, wantedSpec } from "./urlstate.js";

const DEFAULT_NAME = "the default network";

function fallbackName(preset) {
  return preset?.title ? `the default network (${preset.title})` : DEFAULT_NAME;
}

/**
 * Load what `hash` describes; on a bad link fall back to `fallback` (a preset) with a notice.
 * Returns {mode}: the caller applies it once every feature module is listening.
 */
export async function restoreState(app, hash, fallback) {
  const wanted = decodeHash(hash);
  const problems = [];
  if (wanted.invalid.includes("spec")) problems.push("its network could not be read");
  if (wanted.invalid.includes("preset")) problems.push("its preset name is not valid");
  if (wanted.invalid.includes("step")) problems.push("its step number is not valid");
  if (wanted.invalid.includes("mode")) problems.push("its mode is not one of normal, lecture, quiz");
  if (wanted.invalid.includes("sample")) problems.push("its sample number is not valid");
  if (wanted.invalid.includes("iter")) problems.push("its training iteration is not valid");

  let spec = fallback.spec, presetId = fallback.id;
  let fromLink = false;
  // The link's network could not be used: whatever step it names belongs to another walkthrough.
  let fellBack = wanted.invalid.includes("spec") || wanted.invalid.includes("preset");
  if (wanted.spec) {
    spec = wantedSpec(wanted); presetId = "custom"; fromLink = true;
  } else if (wanted.preset) {
    const preset = app.state.presets.find((p) => p.id === wanted.preset);
    if (preset) { spec = preset.spec; presetId = preset.id; } else {
      problems.push(`it names an unknown preset "${wanted.preset}"`);
      fellBack = true;
    }
  }
  let step = fellBack ? 1 : wanted.step;

  let result = await app.loadSpec(spec, { index: step - 1, presetId });
  if (fromLink && result && !result.ok) {
    problems.push(`the server rejected its network (${result.field}: ${result.error})`);
    fellBack = true;
    step = 1;
    result = await app.loadSpec(fallback.spec, { index: 0, presetId: fallback.id });
  }
  const total = app.state.trace?.steps.length ?? 0;
  if (total && step > total) problems.push(`it asks for step ${step}, but this walkthrough has ${total} steps`);
  if (wanted.sample) applySample(app, wanted.sample, problems);
  if (problems.length) {
    const instead = fellBack ? `Showing ${fallbackName(fallback)} instead.` : "Showing the closest view.";
    app.notify(`This link could not be fully restored: ${problems.join("; ")}. ${instead}`);
  }
  return { mode: wanted.mode };
}

// The sample a link shows (1-based), if the walkthrough has it.
function applySample(app, sample, problems) {
  const count = app.state.trace?.per_sample?.length ?? 0;
  if (sample > count) problems.push(`it asks for sample ${sample}, but this walkthrough has ${count || "no"} samples`);
  else app.setSample(sample - 1, { follow: false });
}

/** A hash typed or changed by hand after load: follow it without reloading the page. */
export function followHash(app, hash) {
  const wanted = decodeHash(hash);
  const { state } = app;
  const linked = wantedSpec(wanted);
  if (linked && (!state.spec || encodeSpec(linked) !== encodeSpec(state.spec))) {
    app.loadSpec(linked, { index: wanted.step - 1, presetId: "custom" });
  } else if (wanted.preset && wanted.preset !== state.presetId) {
    const preset = state.presets.find((p) => p.id === wanted.preset);
    if (preset) app.loadSpec(preset.spec, { index: wanted.step - 1, presetId: preset.id });
    else app.notify(`This link names an unknown preset "${wanted.preset}"; the current network stays.`);
  } else {
    app.seek(wanted.step - 1);
    if (wanted.sample) applySample(app, wanted.sample, []);
  }
  app.setMode(wanted.mode);
}

async function copyText(text) {
  try {
    if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function setupShare(app) {
  const button = app.$("copy-link");
  const said = app.$("copy-link-status");
  const manual = app.$("copy-link-text");
  let timer = null;
  const say = (text) => {
    said.textContent = text;
    clearTimeout(timer);
    timer = setTimeout(() => { said.textContent = ""; }, 4000);
  };
  button.addEventListener("click", async () => {
    const url = app.link();
    if (await copyText(url)) {
      manual.hidden = true;
      say("Link copied");
      return;
    }
    // No clipboard access (insecure origin, permission refused): offer the link selected, to copy by hand.
    manual.value = url;
    manual.hidden = false;
    manual.focus();
    manual.select();
    say("Press Ctrl+C to copy the link");
  });
  manual.addEventListener("blur", () => { manual.hidden = true; });
  app.$("notice-dismiss").addEventListener("click", () => app.notify(""));
}
