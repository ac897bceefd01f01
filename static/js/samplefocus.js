// The samples editor and the walkthrough in step: the editor rings the sample the graph shows (in
// its table and scatter plot), and a click on a dot of the scatter plot shows that sample. The
// editor hears it as a "sampleshown" event (detail: the sample, 0-based, or null for one sample)
// and asks with "samplechosen"; this module is the only one that knows both sides.
export function setupSampleFocus(app) {
  const editor = app.$("editor");
  const tell = () => {
    const batch = (app.state.trace?.per_sample?.length ?? 0) > 0;
    editor.dispatchEvent(new CustomEvent("sampleshown", { detail: batch ? app.view().sample : null }));
  };
  app.on("trace", tell);
  app.on("step", tell);
  editor.addEventListener("samplechosen", (event) => app.setSample(event.detail));
  tell();
}
