"""Every label legible at every step (issue 8), outside the graph: for every step of the four
presets, in the normal layout at 1280x720, in lecture mode at 1920x1080 and
1280x720 and in quiz mode, the formula fits its box (no horizontal or vertical overflow, so
nothing scrolls) at no less than the floor, the lecture strip does not scroll, and nothing a
person reads shows LaTeX (`_`, braces, backslashes). Then axe after a quiz answer in every
mode, and copying the narration gives readable Unicode.

The floors are the issue's: 16 px; in lecture mode 24 px at 1920x1080, proportionally less on a
smaller window, never under 16 px. One browser page per view and one evaluate per preset.
"""
import pytest
from playwright.sync_api import expect

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.e2e

PRESETS = ["worked-example", "sigmoid-2-2-2", "tanh-2-2-1", "relu-3-4-2"]
# 1280x720 is the narrowest box of each layout; lecture mode's floor scales with the window, so
# both ends of it.
VIEWS = [  # (mode, width, height)
    ("normal", 1280, 720), ("lecture", 1920, 1080), ("lecture", 1280, 720), ("quiz", 1280, 720),
]


def floor_px(mode, width, height):
    if mode != "lecture":
        return 16
    return max(16, 24 * min(width / 1920, height / 1080))


# Seek to every step in turn (the scrubber's input event renders synchronously), measure; in quiz
# mode also after revealing the answer. Boxes not shown in this mode (display: none) are skipped.
# One evaluate walks the whole trace: [[measure at step k, (after the reveal)], ...].
WALK_JS = """async ([n, reveal]) => {
  const scrubber = document.querySelector('[data-testid=scrubber]');
  const shown = (el) => el && el.getClientRects().length > 0;
  const LATEX = /[_{}\\\\]/;
  const measure = () => {
    const problems = [];
    const boxes = [...document.querySelectorAll('[data-testid=formula], .formula-math, .notes-formula')];
    if (document.body.dataset.mode === 'lecture') boxes.push(document.querySelector('.explain'));
    for (const box of boxes.filter(shown)) {
      const over = [box.scrollWidth - box.clientWidth, box.scrollHeight - box.clientHeight];
      if (over[0] > 1 || over[1] > 1) problems.push(`${box.className} overflows by ${over}`);
    }
    const maths = [...document.querySelectorAll('.formula-math math, .notes-formula math')].filter(shown);
    const px = maths.map((m) => parseFloat(getComputedStyle(m).fontSize));
    for (const testid of ['narration', 'formula', 'values', 'check-table', 'presenter-notes', 'quiz']) {
      const el = document.querySelector(`[data-testid="${testid}"]`);
      if (shown(el) && LATEX.test(el.innerText)) problems.push(`${testid} shows LaTeX: ${el.innerText.match(/.{0,30}[_{}\\\\].{0,30}/s)[0]}`);
    }
    return { problems, minPx: px.length ? Math.min(...px) : null, hidden: document.querySelector('[data-testid=narration]').dataset.hidden };
  };
  // The formula is typeset in the frame after the step or the reveal (frame.js): settle now, with the
  // page's own frame.js (its hashed URL, next to the entry module): another URL would be a second instance.
  const { settle } = await import(new URL('frame.js', document.querySelector('script[type=module][src]').src));
  const walk = [];
  for (let k = 1; k <= n; k++) {
    scrubber.value = String(k);
    scrubber.dispatchEvent(new Event('input'));
    settle();
    const out = [measure()];
    const button = document.querySelector('[data-testid=quiz-reveal]');
    if (reveal && shown(button)) { button.click(); settle(); out.push(measure()); }
    walk.push(out);
  }
  return walk;
}"""


@pytest.mark.parametrize("mode, width, height", VIEWS, ids=[f"{m}-{w}x{h}" for m, w, h in VIEWS])
def test_every_formula_fits_at_every_step(new_page, live_server, api, mode, width, height):
    page = new_page(viewport={"width": width, "height": height}, reduced_motion="reduce")
    floor = floor_px(mode, width, height)
    problems, states, questions = [], 0, 0
    for preset in PRESETS:
        page.goto("about:blank")
        page.goto(f"{live_server}/#preset={preset}&step=1" + ("" if mode == "normal" else f"&mode={mode}"))
        expect(page.locator("body[data-ready=true]")).to_be_attached()
        expect(page.locator("body")).to_have_attribute("data-mode", mode)
        if mode == "normal":
            # The presenter's notes as the presenter window shows them (without opening a popup).
            page.evaluate("document.querySelector('[data-testid=presenter-notes]').hidden = false")
        n = len(api.post("/api/trace", json=next(p["spec"] for p in api.get("/api/presets").get_json()["presets"]
                                                   if p["id"] == preset)).get_json()["steps"])
        for k, results in enumerate(page.evaluate(WALK_JS, [n, mode == "quiz"]), start=1):
            for result in results:
                states += 1
                questions += result["hidden"] == "true"
                where = f"{preset} step {k}"
                problems += [f"{where}: {p}" for p in result["problems"]]
                if result["minPx"] is not None and result["minPx"] < floor - 0.05:
                    problems.append(f"{where}: formula at {result['minPx']} px, under the {floor} px floor")
    assert states >= 228  # 29 + 55 + 35 + 109 steps
    if mode == "quiz":
        assert questions > 50  # the backward steps were asked, and measured hidden and revealed
    assert not problems, f"{len(problems)} problems, e.g. {problems[:8]}"


def axe_violations(page):
    results = axe_sync.Axe().run(page)
    return [f"{v['id']}: " + "; ".join(str(n["target"]) for n in v["nodes"][:5]) for v in results.response["violations"]]


@pytest.mark.parametrize("width, height", [(1440, 900), (1280, 720)])
def test_axe_finds_nothing_after_a_quiz_answer_in_every_mode(new_page, live_server, width, height):
    page = new_page(viewport={"width": width, "height": height}, reduced_motion="reduce")
    # The sigmoid network's first output-weight gradient, the longest chain of a backward step;
    # 0.082167041 is the classic 2-2-2 example's hand-computed dE/dw5.
    page.goto(f"{live_server}/#preset=sigmoid-2-2-2&step=22&mode=quiz")
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    page.get_by_test_id("quiz-answer").fill("+")
    page.get_by_test_id("quiz-answer").press("Enter")
    expect(page.get_by_test_id("quiz-verdict")).to_contain_text("the answer is 0.0821670406")
    assert axe_violations(page) == [], "quiz"
    page.get_by_test_id("lecture-toggle").click()
    expect(page.locator("body")).to_have_attribute("data-mode", "lecture")
    assert axe_violations(page) == [], "lecture"
    page.get_by_test_id("lecture-toggle").click()
    expect(page.locator("body")).to_have_attribute("data-mode", "normal")
    assert axe_violations(page) == [], "normal"


COPY_JS = """(selector) => {
  const el = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(el);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  let copied = null;
  const listen = (event) => { copied = event.clipboardData.getData('text/plain'); };
  window.addEventListener('copy', listen);
  document.execCommand('copy');
  window.removeEventListener('copy', listen);
  return copied;
}"""


def test_copying_the_narration_gives_readable_text(calm_explainer):
    ex = calm_explainer
    page = ex.open(ex.step_of("grad-w2-0-0")).page
    # Typed by hand from the worked example (the document's -9.6 and the -0.64 sent back to h_1).
    assert page.evaluate(COPY_JS, "[data-testid=narration] .narration-text") == (
        "Chain rule along w₂₁: ∂e₁/∂w₂₁ = ∂e₁/∂o₁ · ∂o₁/∂a₂₁ · ∂a₂₁/∂w₂₁ = 2 · 0.8 · (-1) · 2 · 3 = -9.6. "
        "The general rule: the error signal times the edge's input, δ₂₁ · h₁. "
        "On its way back the error signal brings w₂₁ δ₂₁ = -0.64 to h₁.")
    # The subscripts are real ones on screen, and a screen reader is given the Unicode text.
    narration = page.get_by_test_id("narration")
    expect(narration.locator(".sym sub").first).to_have_text("21")
    expect(narration.locator(".sym [aria-hidden=true]").first).to_have_text("w21:")
    expect(narration.locator(".sym .sr-only").first).to_have_text("w₂₁:")
    # The update step: a prime, a Greek letter and a partial derivative, no LaTeX.
    ex.goto_step(ex.step_of("update-n1-0"))
    assert page.evaluate(COPY_JS, "[data-testid=narration] .narration-text") == (
        "Gradient descent with learning rate 0.1: every parameter into h₁ moves against its gradient, "
        "p′ = p - 0.1 · ∂eₜₒₜₐₗ/∂p (largest change 0.48).")
