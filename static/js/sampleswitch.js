// The sample switcher of a mini-batch walkthrough: which sample's values the graph shows. On a
// step of one sample it moves to the same step of the sample chosen; on a step about the whole
// batch (accumulate, check, update) the graph shows the chosen sample's forward and backward
// values. "[" and "]" choose the previous and the next sample. Hidden for a one-sample trace.
import { fmt } from "./formula.js";

const vector = (values) => (values.length === 1 ? fmt(values[0]) : `(${values.map(fmt).join(", ")})`);

export function setupSampleSwitch(app) {
  const box = app.$("sample-switch");
  const select = app.$("sample-switcher");
  const shown = () => app.view().sample ?? 0;

  function fill(trace) {
    const samples = trace.spec.samples || [];
    box.hidden = samples.length === 0;
    select.replaceChildren(...samples.map((s, n) => {
      const option = document.createElement("option");
      option.value = String(n);
      option.textContent = `${n + 1}: x = ${vector(s.inputs)}, t = ${vector(s.targets)}`;
      return option;
    }));
    sync();
  }
  function sync() {
    if (!box.hidden) select.value = String(shown());
  }
  select.addEventListener("change", () => app.setSample(Number(select.value)));
  app.on("controls", fill);
  app.on("step", sync);
  const step = (by) => () => {
    const count = app.state.trace?.per_sample?.length ?? 0;
    if (count) app.setSample((shown() + by + count) % count);
  };
  app.bindKey("[", step(-1));
  app.bindKey("]", step(1));
}
