"""The live classroom's followers (issue 14): a lecturer's session followed by a phone (390x844) and
a laptop (1280x800). Stepping, a network edit, a poll, both followers' answers, the results, the
reveal and each follower's verdict arrive; following off keeps the student's own step; a dropped
stream reconnects and catches up; the phone has no horizontal scroll and 44 px touch targets; an
unknown or ended session says so; a follower's answer is never markup; axe finds nothing on the
phone's page, light or dark, with a poll open and revealed.

The lecturer is driven through the API with the presenter token (the same app as the page's server).
With LIVE_FOLLOW_SHOTS=<dir> the tests also save screenshots there.
"""
import copy
import json
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
TOUCH_PX = 44
LEGIBILITY_WALK = (Path(__file__).parent / "legibility.js").read_text()
MINUS = "\u2212"
# The worked example's backward step ∂e_total/∂w21 (0-based index 14, 1-based 15): -9.6 in the
# README's worked example. With w21 = 0.3 instead of 0.2, by hand: a21 = 0.3 * h1 = 0.9, o1 = 2 a21
# = 1.8, de1/do1 = -2 (2 - 1.8) = -0.4, delta21 = -0.4 * 2 = -0.8, de_total/dw21 = delta21 * h1 = -2.4.
POLLED_STEP = 14
EDITED_GRADIENT = "-2.4"


class Lecturer:
    """A session's presenter, through the API with its token."""

    def __init__(self, api, base_url):
        response = api.post("/api/sessions", json={"step": 0})
        assert response.status_code == 201, response.get_data(as_text=True)
        created = response.get_json()
        self.api, self.id, self.token = api, created["id"], created["presenter_token"]
        self.join_url = created["join_url"]
        self.follow_url = f"{base_url}/live/{self.id}"
        self.headers = {"Authorization": f"Bearer {self.token}"}

    def post(self, path, body=None, status=200):
        response = self.api.post(f"/api/sessions/{self.id}{path}", json=body, headers=self.headers)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def set(self, **state):
        return self.post("/state", state)

    def open_poll(self, step):
        return self.post("/polls", {"step": step}, status=201)["poll_id"]

    def results(self, poll_id):
        response = self.api.get(f"/api/sessions/{self.id}/polls/{poll_id}", headers=self.headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    def reveal(self, poll_id):
        return self.post(f"/polls/{poll_id}/reveal")

    def end(self):
        response = self.api.delete(f"/api/sessions/{self.id}", headers=self.headers)
        assert response.status_code == 204


@pytest.fixture
def lecturer(api, live_server):
    return Lecturer(api, live_server)


def axe_violations(page):
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    results = axe_sync.Axe().run(page)
    return [f"{v['id']}: " + "; ".join(str(n["target"]) for n in v["nodes"][:5]) for v in results.response["violations"]]


def follower(new_page, explainer, viewport, theme="light"):
    """An Explainer on a fresh page of this size (a phone: mobile and touch), not yet opened."""
    mobile = viewport["width"] < 500
    page = new_page(fresh=True, viewport=viewport, is_mobile=mobile, has_touch=mobile,
                    color_scheme=theme, reduced_motion="reduce")
    page.errors = []  # uncaught exceptions in the page
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return type(explainer)(page, explainer.base_url, explainer.trace)


def join(student, url):
    page = student.page
    page.goto(url)
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("live-status")).to_have_text("Following the lecturer")
    return student


@pytest.fixture
def students(new_page, explainer, lecturer):
    """(phone, laptop): two followers of the lecturer's session, connected."""
    return (join(follower(new_page, explainer, PHONE), lecturer.follow_url),
            join(follower(new_page, explainer, LAPTOP), lecturer.follow_url))


def shot(page, name):
    folder = os.environ.get("LIVE_FOLLOW_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=name.startswith("phone"))


def edited(worked_spec):
    spec = copy.deepcopy(worked_spec)
    spec["weights"][1][0][0] = 0.3  # w21
    return spec


def hidden_values(student):
    return student.page.locator(".graph [data-quiz-hidden]")


def answer(student, text):
    student.page.get_by_test_id("poll-answer").fill(text)
    student.page.get_by_test_id("poll-submit").click()


def test_the_presenters_page_drives_a_phone_and_a_laptop_end_to_end(new_page, explainer):
    """The issue's end-to-end test: the presenter's page (livehost.js) goes live, steps, edits a
    weight, opens a poll, sees the answers arrive and reveals; both followers get all of it."""
    presenter = explainer
    presenter.open(3)
    page = presenter.page
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/api/sessions")) as info:
        page.get_by_test_id("live-start").click()
    join_url = info.value.json()["join_url"]
    phone = join(follower(new_page, explainer, PHONE), join_url)
    laptop = join(follower(new_page, explainer, LAPTOP), join_url)
    students = (phone, laptop)
    expect(page.get_by_test_id("live-count")).to_have_text("2 following")
    for student in students:
        student.expect_step(3)

    # Stepping: each step arrives within a second of the presenter's click (the push, then the stream).
    for step in (10, 5, 12):
        clicked = time.monotonic()
        presenter.goto_step(step)
        for student in students:
            student.expect_step(step)
        took = time.monotonic() - clicked
        assert took < 1.5, f"step {step} reached both followers after {took:.2f} s"
    shot(phone.page, "phone-follow-light")

    # A weight edited in the presenter's editor: the followers trace the lecturer's network.
    field = page.get_by_test_id("weight-w2-0-0")
    field.fill("0.3")
    field.blur()
    presenter.goto_step(POLLED_STEP + 1)
    for student in students:
        student.expect_step(POLLED_STEP + 1)
        expect(student.page.get_by_test_id("narration")).to_contain_text(f"= {EDITED_GRADIENT}")

    # A poll at that step: the question, the value hidden until the reveal.
    page.get_by_test_id("poll-open").click()
    for student in students:
        expect(student.page.get_by_test_id("poll-question")).to_contain_text("before the lecturer reveals it")
        expect(hidden_values(student).first).to_be_attached()
        expect(student.page.get_by_test_id("narration")).not_to_contain_text(EDITED_GRADIENT)
    answer(phone, EDITED_GRADIENT)
    expect(phone.page.get_by_test_id("poll-sent")).to_have_text(
        f"Sent: {MINUS}2.4; you can change it until the reveal")
    shot(phone.page, "phone-poll-open-light")
    answer(laptop, "+")
    expect(laptop.page.get_by_test_id("poll-sent")).to_contain_text("Sent: +;")
    answer(laptop, f"{MINUS}3")  # a second answer replaces the first
    expect(laptop.page.get_by_test_id("poll-sent")).to_contain_text(f"Sent: {MINUS}3;")
    # The presenter sees them arrive: two answers (the replaced one counted once), as a histogram.
    expect(page.get_by_test_id("poll-count")).to_have_text("2 answers")
    expect(page.get_by_test_id("poll-results")).to_be_visible()

    page.get_by_test_id("poll-reveal").click()
    expect(page.get_by_test_id("poll-host-verdict")).to_have_text(f"The answer: {MINUS}2.4. 1 of 2 right.")
    expect(phone.page.get_by_test_id("poll-verdict")).to_have_text(re.compile(rf"^Right: .+ = {MINUS}2\.4$"))
    expect(laptop.page.get_by_test_id("poll-verdict")).to_have_text(
        re.compile(rf"^Not quite: .+ = {MINUS}2\.4 \(you said {MINUS}3\)$"))
    for student in students:
        expect(student.page.get_by_test_id("poll-answer")).to_be_hidden()
        expect(hidden_values(student)).to_have_count(0)
        expect(student.page.get_by_test_id("narration")).to_contain_text(f"= {EDITED_GRADIENT}")
    shot(phone.page, "phone-verdict-light")
    shot(laptop.page, "laptop-verdict-light")

    page.get_by_test_id("live-stop").click()
    for student in students:
        expect(student.page.get_by_test_id("live-status")).to_have_text("The lecturer ended the session")
        assert student.page.errors == []


def test_the_api_lecturers_answers_and_results_agree_with_the_followers(students, lecturer, worked_spec):
    """The same through the API: what the followers sent is what the presenter's results hold."""
    phone, laptop = students
    lecturer.set(step=POLLED_STEP, spec=edited(worked_spec))
    for student in students:
        expect(student.page.get_by_test_id("narration")).to_contain_text(f"= {EDITED_GRADIENT}")
    poll_id = lecturer.open_poll(POLLED_STEP)
    answer(phone, EDITED_GRADIENT)
    answer(laptop, MINUS)  # just the sign
    expect(phone.page.get_by_test_id("poll-sent")).to_be_visible()
    expect(laptop.page.get_by_test_id("poll-sent")).to_be_visible()
    results = lecturer.results(poll_id)
    assert results["count"] == 2
    assert sorted(results["answers"].values()) == sorted([EDITED_GRADIENT, MINUS])
    assert results["correct"] == pytest.approx(-2.4)
    assert results["right"] == 2  # the number, and the sign of -2.4
    # A reload while the poll is open: the card comes back with what this device sent.
    phone.page.reload()
    expect(phone.page.get_by_test_id("poll-sent")).to_have_text(
        f"Sent: {MINUS}2.4; you can change it until the reveal")
    expect(hidden_values(phone).first).to_be_attached()


def test_a_student_stepping_alone_keeps_their_step_until_following_again(students, lecturer):
    phone, laptop = students
    lecturer.set(step=5)
    phone.expect_step(6)
    follow = phone.page.get_by_test_id("live-follow")
    expect(follow).to_have_attribute("aria-pressed", "true")
    phone.page.get_by_test_id("next").click()  # a manual step turns following off
    phone.expect_step(7)
    expect(follow).to_have_attribute("aria-pressed", "false")

    lecturer.set(step=2)
    laptop.expect_step(3)
    # The phone heard it (its status names the lecturer's step) and kept its own.
    expect(phone.page.get_by_test_id("live-status")).to_have_text("Stepping on your own")
    expect(phone.page.get_by_test_id("live-lecturer-step")).to_have_text(
        f"The lecturer is at step 3 of {phone.n_steps}")
    phone.expect_step(7)
    phone.goto_step(20)
    lecturer.set(step=11)
    expect(phone.page.get_by_test_id("live-lecturer-step")).to_contain_text("The lecturer is at step 12")
    phone.expect_step(20)

    follow.click()  # following again jumps to the lecturer
    expect(follow).to_have_attribute("aria-pressed", "true")
    phone.expect_step(12)
    assert phone.page.errors == []
    expect(phone.page.get_by_test_id("live-status")).to_have_text("Following the lecturer")
    expect(phone.page.get_by_test_id("live-lecturer-step")).to_be_hidden()
    lecturer.set(step=13)
    phone.expect_step(14)


def test_quiz_mode_is_mirrored_and_lecture_mode_is_the_projectors_alone(students, lecturer):
    phone, laptop = students
    lecturer.set(mode="quiz", step=POLLED_STEP)
    for student in students:
        expect(student.page.locator("body")).to_have_attribute("data-mode", "quiz")
        expect(student.page.get_by_test_id("quiz")).to_be_visible()
    lecturer.set(mode="lecture", step=3)
    for student in students:
        student.expect_step(4)
        expect(student.page.locator("body")).to_have_attribute("data-mode", "normal")


def test_a_dropped_stream_reconnects_and_catches_up(new_page, explainer, lecturer):
    student = follower(new_page, explainer, PHONE)
    page = student.page
    stale = {"session": lecturer.id, "version": 1, "step": 2, "spec": None, "mode": "normal", "poll": None,
             "followers": 1, "updated": 0}
    asked = []

    def stream(route):
        asked.append(route.request.url)
        if len(asked) == 1:  # a 503 (no stream slot left): EventSource gives up, the page reconnects by hand
            route.fulfill(status=503, headers={"Retry-After": "1"}, json={"error": "busy", "field": "session"})
        elif len(asked) == 2:  # a stream that ends after an old state: EventSource reconnects
            route.fulfill(status=200, headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"},
                          body=f"retry: 300\n\nid: 1\ndata: {json.dumps(stale)}\n\n")
        else:
            route.continue_()

    page.route("**/api/sessions/*/events", stream)
    lecturer.set(step=7)  # changed while the follower had no stream
    page.goto(lecturer.follow_url)
    student.expect_step(8)
    expect(page.get_by_test_id("live-status")).to_have_text("Following the lecturer")
    assert len(asked) >= 3
    lecturer.set(step=9)
    student.expect_step(10)


def test_an_ended_session_and_an_unknown_one_say_so(new_page, explainer, lecturer, live_server):
    student = join(follower(new_page, explainer, LAPTOP), lecturer.follow_url)
    lecturer.end()
    expect(student.page.get_by_test_id("live-status")).to_have_text("The lecturer ended the session")
    expect(student.page.get_by_test_id("live-follow")).to_be_hidden()

    stranger = follower(new_page, explainer, PHONE)
    stranger.page.goto(f"{live_server}/live/NoSuchSession_0123456789")
    expect(stranger.page.get_by_test_id("live-status")).to_have_text("This live session has ended or does not exist")
    home = stranger.page.get_by_test_id("live-home")
    expect(home).to_be_visible()
    expect(home).to_have_attribute("href", "/")
    stranger.expect_step(1)  # the explainer still works


# Every visible control a finger can use, and its size; overflowing boxes. Run in the page.
TARGETS_JS = """() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const controls = [...document.querySelectorAll('button, a[href], input, select, summary, textarea, label.toggle')]
    .filter(shown)
    .filter((el) => !(el.tagName === 'INPUT' && el.closest('label.toggle')));  // its label is the target
  return controls.map((el) => {
    const r = el.getBoundingClientRect();
    return { what: el.dataset.testid || el.className || el.tagName, w: r.width, h: r.height };
  });
}"""

FORMULA_FITS_JS = """async (n) => {
  const { settle } = await import(new URL('frame.js', document.querySelector('script[type=module][src]').src));
  const scrubber = document.querySelector('[data-testid=scrubber]');
  const problems = [];
  for (let k = 1; k <= n; k++) {
    scrubber.value = String(k);
    scrubber.dispatchEvent(new Event('input'));
    settle();
    for (const box of document.querySelectorAll('[data-testid=formula], .formula-math')) {
      const over = box.scrollWidth - box.clientWidth;
      if (over > 1) problems.push(`step ${k}: ${box.className} ${over} px too wide`);
    }
    for (const math of document.querySelectorAll('.formula-math math')) {
      const px = parseFloat(getComputedStyle(math).fontSize);
      if (px < 15.95) problems.push(`step ${k}: formula at ${px} px`);
    }
    if (document.scrollingElement.scrollWidth > innerWidth) problems.push(`step ${k}: the page scrolls sideways`);
  }
  return problems;
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_phone_reads_everything_without_sideways_scrolling_and_44px_targets(new_page, explainer, lecturer,
                                                                            theme):
    phone = join(follower(new_page, explainer, PHONE, theme), lecturer.follow_url)
    page = phone.page
    lecturer.set(step=POLLED_STEP)
    phone.expect_step(POLLED_STEP + 1)
    shot(page, f"phone-follow-{theme}")
    poll_id = lecturer.open_poll(POLLED_STEP)
    expect(page.get_by_test_id("poll-question")).to_be_visible()
    for testid in ("graph", "narration", "formula", "poll-answer", "live-follow"):
        expect(page.get_by_test_id(testid)).to_be_visible()
    for testid in ("editor", "train-panel", "export-svg", "presenter-open", "live-start", "lecture-toggle", "quiz-toggle"):
        expect(page.get_by_test_id(testid)).to_be_hidden()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    targets = page.evaluate(TARGETS_JS)
    measured = {t["what"] for t in targets}
    assert {"live-follow", "next", "scrubber", "speed", "poll-answer", "poll-submit", "theme-toggle"} <= measured, measured
    small = [t for t in targets if t["w"] < TOUCH_PX - 0.5 or t["h"] < TOUCH_PX - 0.5]
    assert not small, f"touch targets under {TOUCH_PX} px: {small}"
    shot(page, f"phone-poll-open-{theme}")
    page.get_by_test_id("poll-answer").fill("nine")
    page.get_by_test_id("poll-submit").click()
    expect(page.get_by_test_id("poll-error")).to_contain_text("not a number")
    assert axe_violations(page) == [], "poll open, an answer refused"
    page.get_by_test_id("poll-answer").fill("-9")
    page.get_by_test_id("poll-submit").click()
    expect(page.get_by_test_id("poll-sent")).to_be_visible()
    lecturer.reveal(poll_id)
    expect(page.get_by_test_id("poll-verdict")).to_contain_text("Not quite")
    shot(page, f"phone-verdict-{theme}")
    assert axe_violations(page) == [], "revealed"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # Every step's formula fits the phone's card at 16 px or more (stepping alone, following off).
    assert page.evaluate(FORMULA_FITS_JS, phone.n_steps) == []
    # And every label of the graph is legible (tests/e2e/legibility.js) at the 16 px floor.
    phone.goto_step(1)
    result = page.evaluate(LEGIBILITY_WALK, [phone.n_steps, 1, 0])
    assert result["steps"] == phone.n_steps and not result["bad"], result["bad"][:3]
    assert result["minPx"] >= 16 - 0.01, f"a value label at {result['minPx']:.2f} px"


def test_a_laptop_follower_keeps_the_explainers_layout(new_page, explainer, lecturer):
    laptop = join(follower(new_page, explainer, LAPTOP, "dark"), lecturer.follow_url)
    lecturer.set(step=POLLED_STEP)
    laptop.expect_step(POLLED_STEP + 1)
    page = laptop.page
    graph, side = page.locator(".graph-card").bounding_box(), page.locator(".side").bounding_box()
    assert side["x"] >= graph["x"] + graph["width"], "the side column beside the graph"
    expect(page.get_by_test_id("editor")).to_be_hidden()
    expect(page.get_by_test_id("table-view-toggle")).to_be_visible()
    shot(page, "laptop-follow-dark")


def test_a_followers_answer_is_never_markup(students, lecturer):
    phone, laptop = students
    lecturer.set(step=POLLED_STEP)
    poll_id = lecturer.open_poll(POLLED_STEP)
    payload = "<img src=x onerror=pwned=1>"  # within the 32 characters an answer may have
    for student in students:
        student.page.get_by_test_id("poll-answer").fill(payload)
        student.page.get_by_test_id("poll-submit").click()
        expect(student.page.get_by_test_id("poll-error")).to_contain_text("not a number")
    phone.page.get_by_test_id("poll-answer").fill("+" + payload)
    phone.page.get_by_test_id("poll-submit").click()
    expect(phone.page.get_by_test_id("poll-error")).to_contain_text("not a number")
    assert lecturer.results(poll_id)["count"] == 0
    lecturer.reveal(poll_id)
    for student in students:
        expect(student.page.get_by_test_id("poll-verdict")).to_contain_text("You did not answer")
        assert student.page.evaluate("document.querySelectorAll('img').length") == 0
        assert student.page.evaluate("window.pwned") is None
