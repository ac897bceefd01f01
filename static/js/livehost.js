// The live classroom, presenter side: `live-start` starts a session on the server, and a reload of
// this tab resumes the one it was running (its id and presenter token are kept in sessionStorage,
// this tab only). The card, the pushes and the polls (livecard.js and what it imports) are fetched
// when first needed: a visit that never goes live loads only this file.

const STORAGE_KEY = "backprop-live-host";

/** The session this tab was running ({id, token, join_url}), or null. */
function remembered() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
    return saved?.id && saved?.token && saved?.join_url ? saved : null;
  } catch {
    return null;
  }
}

function remember(session) {
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (a private window's quota): the session still runs, it just will not survive a reload.
  }
}

export function setupLiveHost(app) {
  const body = document.body;
  const button = app.$("live-start");
  // An audience window (presenter.js) or a follower's page is no presenter of its own.
  if (!button || body.dataset.view === "audience" || body.dataset.liveRole === "follower") {
    if (button) button.hidden = true;
    return;
  }
  let card = null;
  const load = () => {
    card ??= import("./livecard.js").then(({ createLiveCard }) => createLiveCard(app, button, { remember }));
    // A failed fetch (the server away) is tried again at the next click.
    card.catch(() => { card = null; });
    return card;
  };

  button.addEventListener("click", async () => {
    let live;
    button.disabled = true; // one session per click, however long the fetch takes
    try {
      live = await load();
    } catch {
      app.notify("Could not start a live session: the page's live controls did not load; try again.");
      return;
    } finally {
      button.disabled = false;
    }
    live.start();
  });
  const saved = remembered();
  if (saved) load().then((c) => c.resume(saved), () => {});
}
