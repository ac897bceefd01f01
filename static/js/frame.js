// Work that only the settled picture needs, done once per frame for the latest state: typesetting
// and fitting a formula take milliseconds of MathML layout, and steps shown in between (a held
// arrow key, a dragged scrubber) are never seen. `settle` does the pending work at once, for code
// (and tests) that reads the page right after a step.
const pending = new Map(); // key -> the latest job for it
let requested = false;

export function nextFrame(key, job) {
  pending.set(key, job);
  if (!requested) {
    requested = true;
    requestAnimationFrame(() => { requested = false; settle(); });
  }
}

export function settle() {
  const jobs = [...pending.values()];
  pending.clear();
  for (const job of jobs) job();
}
