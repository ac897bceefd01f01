"""The live classroom, presenter side (livehost.js, livepoll.js): going live shows the API's join
link and a QR code; the follower count rises as event streams connect; steps, a network edit and
the mode reach the session (one request in flight); a poll at the worked example's ∂e_total/∂w₂₁
collects answers as a histogram whose marked bin holds −9.6, reveals and exports them as CSV; a
reload resumes the session. What the server answers is read back through the API itself."""
import csv
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import downloaded
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[1] / "data" / "worked_example.json"
POLLED = "grad-w2-0-0"
# The worked example's ∂e_total/∂w₂₁, as the reference computes it by hand.
CORRECT = float(next(f["value"] for f in json.loads(DATA.read_text())["figures"] if f["step"] == POLLED))


def watch(page):
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def is_create(response):
    return response.request.method == "POST" and urlsplit(response.url).path == "/api/sessions"


def go_live(page):
    """Click live-start; the API's answer to the POST /api/sessions it made."""
    with page.expect_response(is_create) as info:
        page.get_by_test_id("live-start").click()
    assert info.value.status == 201
    expect(page.get_by_test_id("live-qr")).to_be_visible()
    return info.value.json()


def state_push(sid, **wanted):
    """A predicate for the response to a POST of the session's state whose body holds `wanted`."""
    def match(response):
        request = response.request
        if request.method != "POST" or urlsplit(request.url).path != f"/api/sessions/{sid}/state":
            return False
        body = json.loads(request.post_data)
        return all(body.get(k) == v for k, v in wanted.items())
    return match


def state(api, sid):
    response = api.get(f"/api/sessions/{sid}/state")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


LOADED_MODULES = "performance.getEntriesByType('resource').map((e) => e.name.split('/').pop())"


@pytest.fixture
def live(explainer):
    """The explainer at step 3, live: (explainer, the API's answer to its POST /api/sessions)."""
    watch(explainer.page)
    explainer.open(3)
    # A visit that has not gone live has fetched the button's module only.
    loaded = explainer.page.evaluate(LOADED_MODULES)
    assert "livehost.js" in loaded
    assert not {"livecard.js", "livepoll.js", "pollchart.js", "qr.js", "qrcode.mjs"} & set(loaded)
    created = go_live(explainer.page)
    yield explainer, created
    assert explainer.page.errors == []


def test_going_live_shows_the_apis_join_link_and_a_qr_code(live, api, worked_spec):
    ex, created = live
    page = ex.page
    link = page.get_by_test_id("live-join-link")
    expect(link).to_have_attribute("href", created["join_url"])
    expect(link).to_have_text(re.sub(r"^https?://", "", created["join_url"]))
    assert created["join_url"].endswith(f"/live/{created['id']}")
    qr = page.get_by_test_id("live-qr")
    expect(qr).to_have_attribute("role", "img")
    expect(qr).to_have_attribute("aria-label", re.compile("QR code"))
    assert qr.locator("path").count() == 1
    box = qr.bounding_box()
    assert box["width"] >= 120 and box["width"] == box["height"]
    expect(page.get_by_test_id("live-count")).to_have_text("0 following")
    # The test server is on 127.0.0.1: the card says no phone can reach that.
    assert urlsplit(created["join_url"]).hostname == "127.0.0.1"
    expect(page.get_by_test_id("live-join-local")).to_be_visible()
    # The session was created with what the page shows: the worked example at step 3.
    now = state(api, created["id"])
    assert (now["step"], now["mode"], now["spec"]) == (2, "normal", worked_spec)
    # Kept for a reload of this tab, and only there.
    saved = json.loads(page.evaluate("sessionStorage.getItem('backprop-live-host')"))
    assert saved == {"id": created["id"], "token": created["presenter_token"], "join_url": created["join_url"]}
    assert page.evaluate("localStorage.length") == 0


def test_show_qr_enlarges_it_for_the_room_and_escape_closes_it(live):
    page = live[0].page
    page.get_by_test_id("live-qr-show").click()
    dialog = page.get_by_test_id("live-qr-dialog")
    expect(dialog).to_be_visible()
    big = dialog.locator("svg.qr-code")
    assert big.bounding_box()["width"] >= 0.6 * 900  # 68vh of the 900 px window
    expect(page.get_by_test_id("live-qr-link")).to_have_text(re.sub(r"^https?://", "", live[1]["join_url"]))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_the_count_rises_as_followers_connect(live):
    page, created = live[0].page, live[1]
    events = f"/api/sessions/{created['id']}/events"
    page.evaluate("url => { window.streams = [new EventSource(url)]; }", events)
    expect(page.get_by_test_id("live-count")).to_have_text("1 following")
    page.evaluate("url => { window.streams.push(new EventSource(url)); }", events)
    expect(page.get_by_test_id("live-count")).to_have_text("2 following")
    page.evaluate("window.streams.forEach((s) => s.close())")


def test_steps_a_network_edit_and_the_mode_reach_the_session(live, api):
    ex, created = live
    page, sid = ex.page, created["id"]
    with page.expect_response(state_push(sid, step=9)):
        ex.goto_step(10)
    assert state(api, sid)["step"] == 9

    with page.expect_response(state_push(sid, mode="lecture")):
        page.get_by_test_id("lecture-toggle").click()
    assert state(api, sid)["mode"] == "lecture"
    with page.expect_response(state_push(sid, mode="normal")):
        page.get_by_test_id("lecture-toggle").click()

    # A weight edited in the editor: the network goes with the next push, and only then.
    field = page.get_by_test_id("weight-w2-0-0")
    with page.expect_response(lambda r: state_push(sid)(r) and "spec" in json.loads(r.request.post_data)):
        field.fill("0.4")
        field.blur()
    assert state(api, sid)["spec"]["weights"][1][0][0] == 0.4
    with page.expect_response(state_push(sid, step=4)) as info:
        ex.goto_step(5)
    assert "spec" not in json.loads(info.value.request.post_data)


def test_stepping_fast_keeps_one_request_in_flight_and_ends_on_the_last_step(live, api):
    ex, created = live
    page, sid = ex.page, created["id"]
    path = f"/api/sessions/{sid}/state"
    flight = {"now": 0, "most": 0, "sent": 0}

    def started(request):
        if request.method == "POST" and urlsplit(request.url).path == path:
            flight["now"] += 1
            flight["sent"] += 1
            flight["most"] = max(flight["most"], flight["now"])

    def ended(request):
        if request.method == "POST" and urlsplit(request.url).path == path:
            flight["now"] -= 1

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    ex.blur()
    with page.expect_response(state_push(sid, step=17)):
        for _ in range(15):
            ex.press("ArrowRight")
    ex.expect_step(18)
    assert flight["most"] == 1, flight
    assert 1 <= flight["sent"] <= 15
    assert state(api, sid)["step"] == 17


def test_a_failed_push_is_said_and_tried_again(live, api):
    ex, created = live
    page, sid = ex.page, created["id"]
    path = re.compile(rf"/api/sessions/{sid}/state$")
    page.route(path, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    ex.goto_step(6)
    status = page.get_by_test_id("live-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("did not get the last change")
    with page.expect_response(state_push(sid, step=5)):
        page.unroute(path)
    expect(status).to_be_hidden()
    assert state(api, sid)["step"] == 5


def answer(api, sid, pid, n, text):
    response = api.post(f"/api/sessions/{sid}/polls/{pid}/answers", json={"client": f"test-client-{n:03d}", "answer": text})
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_poll_collects_answers_reveals_them_and_exports_csv(live, api, tmp_path):
    ex, created = live
    page, sid = ex.page, created["id"]
    poll_open = page.get_by_test_id("poll-open")
    expect(poll_open).to_be_disabled()  # step 3 is a forward step: nothing to predict
    ex.goto_step_id(POLLED)
    expect(poll_open).to_be_enabled()
    with page.expect_response(lambda r: r.request.method == "POST" and urlsplit(r.url).path.endswith("/polls")) as info:
        poll_open.click()
    pid = info.value.json()["poll_id"]
    poll = state(api, sid)["poll"]
    assert (poll["id"], poll["step_id"], poll["status"]) == (pid, POLLED, "open")
    expect(page.get_by_test_id("poll-host-question")).to_contain_text("Predict")
    # The value is hidden on the presenter's page while the class answers.
    expect(ex.annotation("w2-0-0", "gradient", "grad")).to_be_hidden()
    expect(page.get_by_test_id("narration")).to_contain_text("= ?")

    given = ["-9.6", "-9.5", "-4.8", "9.6", "\u22129.7", "-10", "-", "+"]
    for n, text in enumerate(given):
        answer(api, sid, pid, n, text)
    expect(page.get_by_test_id("poll-count")).to_have_text(f"{len(given)} answers")
    chart = page.get_by_test_id("poll-results")
    bins = chart.locator(".poll-bin").evaluate_all("""gs => gs.map((g) => ({
        lo: g.dataset.lo === "" ? null : Number(g.dataset.lo), hi: g.dataset.hi === "" ? null : Number(g.dataset.hi),
        label: g.dataset.label, count: Number(g.dataset.count), correct: g.dataset.correct === "true",
        height: g.querySelector(".poll-bar").getBBox().height, mark: g.querySelector(".poll-bar-mark")?.textContent ?? null}))""")
    numbers = [float(t.replace("\u2212", "-")) for t in given if t not in ("-", "+")]
    numeric = [b for b in bins if b["lo"] is not None]
    # Every numeric answer is counted in the bin holding it, and the signs in theirs.
    for b in numeric:
        assert b["count"] == sum(b["lo"] <= v < b["hi"] for v in numbers), b
    assert [(b["label"], b["count"]) for b in bins if b["lo"] is None] == [("\u2212", 1), ("+", 1)]
    # The marked numeric bin is the one holding -9.6; the marked sign is minus. Marked in words too.
    marked = [b for b in bins if b["correct"]]
    assert [b["lo"] is None for b in marked] == [False, True]
    assert marked[0]["lo"] <= CORRECT < marked[0]["hi"]
    assert marked[1]["label"] == "\u2212"
    assert all(b["mark"] == "✓ correct" for b in marked)
    # Bars are as tall as their counts, relative to the tallest.
    tallest = max(bins, key=lambda b: b["count"])
    for b in bins:
        assert b["height"] == pytest.approx(tallest["height"] * b["count"] / tallest["count"], abs=0.01)

    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(f"/polls/{pid}/reveal")):
        page.get_by_test_id("poll-reveal").click()
    poll = state(api, sid)["poll"]
    assert (poll["status"], poll["correct"]) == ("revealed", CORRECT)
    # Right within 5 %: -9.6, -9.5, −9.7, -10 and the sign "-"; not -4.8, 9.6 or "+".
    expect(page.get_by_test_id("poll-host-verdict")).to_have_text("The answer: \u22129.6. 5 of 8 right.")
    expect(page.get_by_test_id("poll-reveal")).to_be_disabled()
    expect(page.get_by_test_id("poll-host-verdict")).to_be_focused()
    ex.expect_annotation("w2-0-0", "gradient", "-9.6", quantity="grad")

    name, path = downloaded(page, "poll-csv", tmp_path)
    assert name == f"poll-{POLLED}.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert [r["answer"] for r in rows] == given
    assert [r["right"] for r in rows] == ["true", "true", "false", "false", "true", "true", "true", "false"]


def test_a_reload_resumes_the_session_and_a_forgotten_one_is_dropped_quietly(live, api):
    ex, created = live
    page, sid = ex.page, created["id"]
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("live-join-link")).to_have_attribute("href", created["join_url"])
    expect(page.get_by_test_id("live-qr")).to_be_visible()
    with page.expect_response(state_push(sid, step=7)) as info:
        ex.goto_step(8)
    assert info.value.status == 200  # the token survived the reload

    # An open poll survives a reload too, its value still hidden.
    ex.goto_step_id(POLLED)
    page.get_by_test_id("poll-open").click()
    expect(page.get_by_test_id("poll")).to_be_visible()
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("poll-host-question")).to_contain_text("Predict")
    expect(page.get_by_test_id("poll-state")).to_have_text("open")
    expect(ex.annotation("w2-0-0", "gradient", "grad")).to_be_hidden()

    page.evaluate("""() => sessionStorage.setItem('backprop-live-host', JSON.stringify(
        {id: 'NoSuchSession0000000000', token: 'x', join_url: 'http://127.0.0.1/live/NoSuchSession0000000000'}))""")
    page.reload()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator("body")).to_have_attribute("data-live", "off")
    expect(page.get_by_test_id("live-card")).to_be_hidden()
    expect(page.get_by_test_id("notice")).to_be_hidden()
    expect(page.get_by_test_id("live-start")).to_have_text("Go live")
    assert page.evaluate("sessionStorage.getItem('backprop-live-host')") is None


def test_ending_the_session(live, api):
    ex, created = live
    page = ex.page
    page.get_by_test_id("live-stop").click()
    expect(page.get_by_test_id("live-card")).to_be_hidden()
    expect(page.get_by_test_id("live-start")).to_be_focused()
    expect(page.get_by_test_id("live-start")).to_have_text("Go live")
    assert api.get(f"/api/sessions/{created['id']}/state").status_code == 404
    assert page.evaluate("sessionStorage.getItem('backprop-live-host')") is None


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_lecture_mode_keeps_the_card_and_the_histogram_readable(live, api, size):
    ex, created = live
    page, sid = ex.page, created["id"]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.get_by_test_id("lecture-toggle").click()
    expect(page.get_by_test_id("live-start")).to_be_visible()
    expect(page.get_by_test_id("live-count")).to_be_in_viewport()
    ex.goto_step_id(POLLED)
    page.get_by_test_id("poll-open").click()
    pid = state_poll_id(page, api, sid)
    for n, text in enumerate(["-9.6", "-9", "-4.8"]):
        answer(api, sid, pid, n, text)
    expect(page.get_by_test_id("poll-count")).to_have_text("3 answers")
    chart = page.get_by_test_id("poll-results")
    expect(chart).to_be_in_viewport(ratio=1)
    # Before the reveal the projected chart gives nothing away.
    expect(chart.locator(".poll-bar-mark")).to_have_count(0)
    # Counts under the bars are at least 12 px tall on screen at 1280x720.
    height = chart.locator(".poll-bar-count").first.evaluate("t => t.getBoundingClientRect().height")
    assert height >= 12, height
    # The strip beside the poll's column still fits its narration and formula, and Reveal is on screen.
    expect(page.get_by_test_id("poll-reveal")).to_be_in_viewport(ratio=1)
    over = page.evaluate("""() => [document.querySelector('[data-testid=narration]'), document.querySelector('.formula-math')]
      .map((b) => [b.scrollWidth - b.clientWidth, b.scrollHeight - b.clientHeight])""")
    assert all(x <= 1 for box in over for x in box), over
    page.get_by_test_id("poll-reveal").click()
    expect(chart.locator(".poll-bar-mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]


def state_poll_id(page, api, sid):
    expect(page.get_by_test_id("poll")).to_be_visible()
    return state(api, sid)["poll"]["id"]


def test_an_audience_window_is_no_second_presenter(live, api):
    ex, created = live
    page = ex.page
    with page.context.expect_page() as popup:
        page.get_by_test_id("presenter-open").click()
    audience = watch(popup.value)
    sent = []
    audience.on("request", lambda r: sent.append(r.url) if "/api/sessions" in r.url else None)
    expect(audience.locator("body[data-ready=true]")).to_be_attached()
    expect(audience.get_by_test_id("live-start")).to_be_hidden()
    expect(audience.get_by_test_id("live-card")).to_have_count(0)
    with page.expect_response(state_push(created["id"], step=4)):
        ex.goto_step(5)
    assert sent == []
    assert audience.errors == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_nothing_on_the_live_card(themed_explainer, api, theme):
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    ex = themed_explainer(theme)
    ex.open(ex.step_of(POLLED))
    page = ex.page
    expect(page.locator("body")).to_have_attribute("data-theme", theme)
    sid = go_live(page)["id"]
    page.get_by_test_id("poll-open").click()
    pid = state_poll_id(page, api, sid)
    for n, text in enumerate(["-9.6", "-4.8", "+"]):
        answer(api, sid, pid, n, text)
    expect(page.get_by_test_id("poll-count")).to_have_text("3 answers")

    def violations(selector):
        results = axe_sync.Axe().run(page, context=selector)
        return [f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
                for v in results.response["violations"]]

    assert violations('[data-testid="live-card"]') == []
    page.get_by_test_id("poll-reveal").click()
    expect(page.get_by_test_id("poll-host-verdict")).not_to_be_empty()
    assert violations('[data-testid="live-card"]') == []
    page.get_by_test_id("live-qr-show").click()
    expect(page.get_by_test_id("live-qr-dialog")).to_be_visible()
    assert violations('[data-testid="live-qr-dialog"]') == []


def test_a_session_ended_elsewhere_says_so_on_the_card(live, api):
    ex, created = live
    page, sid = ex.page, created["id"]
    gone = api.delete(f"/api/sessions/{sid}", headers={"Authorization": f"Bearer {created['presenter_token']}"})
    assert gone.status_code == 204
    with page.expect_response(state_push(sid, step=5)) as info:
        ex.goto_step(6)
    assert info.value.status == 404
    expect(page.get_by_test_id("live-status")).to_contain_text("The session has ended")
    expect(page.locator("body")).to_have_attribute("data-live", "off")
    expect(page.get_by_test_id("live-qr")).to_have_count(0)
    expect(page.get_by_test_id("live-stop")).to_be_hidden()
    expect(page.get_by_test_id("live-start")).to_have_text("Go live")
    assert page.evaluate("sessionStorage.getItem('backprop-live-host')") is None


def test_a_join_link_on_the_network_needs_no_warning(explainer):
    """The server names the address the page was opened at; opened at a LAN address, the link is
    reachable and the card says nothing about it (the API's answer rewritten to such an address)."""
    page = watch(explainer.page)
    explainer.open(3)

    def lan_address(route):
        response = route.fetch()
        body = response.json()
        body["join_url"] = re.sub(r"^http://127\.0\.0\.1:\d+", "http://192.168.1.20:8000", body["join_url"])
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/api/sessions$"), lan_address)
    created = go_live(page)
    expect(page.get_by_test_id("live-join-link")).to_have_attribute("href", created["join_url"])
    assert created["join_url"].startswith("http://192.168.1.20:8000/live/")
    expect(page.get_by_test_id("live-join-local")).to_be_hidden()
    assert page.errors == []
