// Step index state machine: play/pause/seek with one timer. A generation counter makes every
// pause or seek invalidate the timer already queued, so a stale tick can never move the index.

// The speed menu (templates/index.html) offers 0.25x to 4x; anything else is clamped into that range.
const clampSpeed = (s) => Math.min(4, Math.max(0.25, Number(s) || 1));

export function createPlayer({ count = 1, onChange = () => {}, baseInterval = 1200 } = {}) {
  let index = 0;
  let total = Math.max(1, count);
  let playing = false;
  let speed = 1;
  let generation = 0;
  let timer = null;

  const clamp = (i) => Math.min(total - 1, Math.max(0, Math.trunc(Number(i)) || 0));
  const emit = () => onChange(index, playing);

  function cancel() {
    generation += 1;
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function schedule() {
    const mine = generation;
    timer = setTimeout(() => {
      if (mine !== generation) return;
      timer = null;
      if (index >= total - 1) {
        playing = false;
      } else {
        index += 1;
      }
      // Stop on the last step rather than looping: the end of the story is the update.
      if (index >= total - 1) playing = false;
      emit();
      if (playing) schedule();
    }, baseInterval / speed);
  }

  function seek(i) {
    cancel();
    index = clamp(i);
    emit();
    if (playing) schedule();
  }

  function play() {
    if (playing) return;
    cancel();
    if (index >= total - 1) index = 0; // replay from the start
    playing = true;
    emit();
    schedule();
  }

  function pause() {
    cancel();
    const was = playing;
    playing = false;
    if (was) emit();
  }

  return {
    seek,
    play,
    pause,
    toggle: () => (playing ? pause() : play()),
    next: () => seek(index + 1),
    prev: () => seek(index - 1),
    first: () => seek(0),
    last: () => seek(total - 1),
    setSpeed(s) {
      speed = clampSpeed(s);
      if (playing) { cancel(); schedule(); }
    },
    // A new trace: keep the index if it still exists, otherwise clamp it.
    setCount(n, i = index) {
      cancel();
      total = Math.max(1, n);
      index = clamp(i);
      if (playing) schedule();
      emit();
    },
    get index() { return index; },
    get playing() { return playing; },
    get speed() { return speed; },
  };
}
