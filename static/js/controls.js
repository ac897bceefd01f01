// The player's controls: buttons, speed, the scrubber with its phase bar, the "k / N" counter.
// Takes its elements and the player as arguments; the only state it keeps is the DOM it was given.

const PHASE_TITLES = { forward: "Forward pass", loss: "Loss", backward: "Backward pass", accumulate: "Batch gradient (accumulate)",
  check: "Gradient check", update: "Weight update" };
const PHASE_SHORT = { forward: "Forward", loss: "Loss", backward: "Backward", accumulate: "Batch", check: "Check", update: "Update" };
const PHASE_MID = { forward: "Fwd", loss: "Loss", backward: "Back", accumulate: "Bat", check: "Chk", update: "Upd" };

export function createControls(el, player) {
  el.play.addEventListener("click", () => player.toggle());
  el.prev.addEventListener("click", () => player.prev());
  el.next.addEventListener("click", () => player.next());
  el.first.addEventListener("click", () => player.first());
  el.last.addEventListener("click", () => player.last());
  el.speed.addEventListener("change", () => player.setSpeed(Number(el.speed.value)));
  el.scrubber.addEventListener("input", () => player.seek(Number(el.scrubber.value) - 1));

  // Contiguous runs of one phase become coloured segments behind the range, labelled once.
  function setTrace(trace) {
    const n = trace.steps.length;
    el.scrubber.min = "1";
    el.scrubber.max = String(n);
    const runs = [];
    trace.steps.forEach((s, i) => {
      const last = runs[runs.length - 1];
      if (last && last.phase === s.phase) last.count += 1; else runs.push({ phase: s.phase, start: i, count: 1 });
    });
    el.phases.replaceChildren(...runs.map((r) => {
      const seg = document.createElement("span");
      seg.className = `phase-seg phase-${r.phase}`;
      seg.style.flexGrow = String(r.count);
      seg.title = `${PHASE_TITLES[r.phase] ?? r.phase}: steps ${r.start + 1}–${r.start + r.count}`;
      const label = document.createElement("span");
      label.className = "phase-seg-label";
      // Three lengths; CSS container queries show the one that fits the segment.
      for (const [cls, text] of [["full", PHASE_SHORT[r.phase] ?? r.phase], ["mid", PHASE_MID[r.phase] ?? r.phase],
        ["tiny", (PHASE_SHORT[r.phase] ?? r.phase)[0]]]) {
        const part = document.createElement("span");
        part.className = cls;
        part.textContent = text;
        label.append(part);
      }
      seg.append(label);
      return seg;
    }));
  }

  function update(index, playing, trace) {
    const n = trace ? trace.steps.length : 1;
    el.scrubber.value = String(index + 1);
    el.scrubber.setAttribute("aria-valuetext", `step ${index + 1} of ${n}`);
    el.counter.textContent = `${index + 1} / ${n}`;
    el.play.setAttribute("aria-pressed", String(playing));
    el.play.setAttribute("aria-label", playing ? "Pause" : "Play");
    el.play.querySelector(".label").textContent = playing ? "Pause" : "Play";
    el.play.classList.toggle("is-playing", playing);
    el.prev.disabled = index <= 0;
    el.first.disabled = index <= 0;
    el.next.disabled = index >= n - 1;
    el.last.disabled = index >= n - 1;
  }

  return { setTrace, update };
}
