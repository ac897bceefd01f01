// Lecture mode for a projector: the `lecture-toggle` button and L switch body[data-mode] to
// "lecture" (projector theme and layout in css/lecture.css, larger graph type through the
// graph's layout options); F toggles fullscreen; B or "." blanks the screen and restores it.

function blankOverlay() {
  const overlay = document.createElement("div");
  overlay.className = "blank-screen";
  overlay.dataset.testid = "blank";
  overlay.hidden = true;
  overlay.setAttribute("aria-hidden", "true");
  // Only assistive technology reads this; the room sees black.
  const note = document.createElement("span");
  note.className = "sr-only";
  note.textContent = "Screen blanked. Press B to show it again.";
  overlay.append(note);
  document.body.append(overlay);
  return overlay;
}

export function setupLecture(app) {
  const body = document.body;
  const button = app.$("lecture-toggle");
  const overlay = blankOverlay();

  let drawnLecture = false;
  const toggleLecture = () => app.setMode(app.state.mode === "lecture" ? "normal" : "lecture");

  function applyMode(mode) {
    const on = mode === "lecture";
    button.setAttribute("aria-pressed", String(on));
    // The graph's sizes are decided by its layout, so it is redrawn at the new size and type.
    if (on !== drawnLecture) {
      drawnLecture = on;
      app.setGraphOptions({ lecture: on });
    }
  }

  function setBlank(on) {
    overlay.hidden = !on;
    if (on) overlay.removeAttribute("aria-hidden"); else overlay.setAttribute("aria-hidden", "true");
    body.dataset.blank = on ? "on" : "off";
  }

  // body[data-fullscreen] says what happened: "requested" until the browser answers, then
  // "on"/"off", or "rejected"/"unsupported" (a headless or embedded browser may refuse).
  function toggleFullscreen() {
    const root = document.documentElement;
    if (document.fullscreenElement) {
      body.dataset.fullscreen = "exiting";
      document.exitFullscreen?.().catch(() => { body.dataset.fullscreen = "rejected"; });
      return;
    }
    if (typeof root.requestFullscreen !== "function" || document.fullscreenEnabled === false) {
      body.dataset.fullscreen = "unsupported";
      return;
    }
    body.dataset.fullscreen = "requested";
    try {
      Promise.resolve(root.requestFullscreen()).catch(() => { body.dataset.fullscreen = "rejected"; });
    } catch {
      body.dataset.fullscreen = "rejected";
    }
  }
  document.addEventListener("fullscreenchange", () => {
    body.dataset.fullscreen = document.fullscreenElement ? "on" : "off";
  });

  button.addEventListener("click", toggleLecture);
  overlay.addEventListener("click", () => setBlank(false));
  app.bindKey("l", toggleLecture);
  app.bindKey("f", toggleFullscreen);
  app.bindKey("b", () => setBlank(overlay.hidden));
  app.bindKey(".", () => setBlank(overlay.hidden));
  app.on("mode", applyMode);
  setBlank(false);
  applyMode(app.state.mode);
}
