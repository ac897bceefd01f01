"""The top bar at every common screen width, in normal and lecture mode: the legend shows each of its
four entries whole (swatch and word) and no control is cut off or on top of another."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

WIDTHS = [800, 1024, 1180, 1280, 1366, 1440, 1536, 1600, 1680, 1760, 1920, 2560]

# Measured in the page: what of the legend and of the controls lies outside the box that shows them.
MEASURE = """() => {
  const legend = document.querySelector('.legend');
  const box = legend.getBoundingClientRect();
  const entries = [...legend.querySelectorAll(':scope > li')].map((li) => {
    const r = li.getBoundingClientRect();
    const word = li.innerText.trim();
    return { word, cut: r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5 || r.width === 0 || !word };
  });
  const controls = [...document.querySelectorAll('.settings > *')].filter((c) => c.offsetParent)
    .map((c) => ({ name: c.innerText.trim(), rect: c.getBoundingClientRect() }));
  const overlaps = [];
  for (let i = 1; i < controls.length; i += 1) {
    if (controls[i].rect.left < controls[i - 1].rect.right - 0.5) overlaps.push(controls[i].name);
  }
  const offscreen = controls.filter((c) => c.rect.right > innerWidth + 0.5).map((c) => c.name);
  const title = document.querySelector('.topbar h1').getBoundingClientRect();
  const meets = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  for (const c of controls) if (meets(c.rect, box) || meets(c.rect, title)) overlaps.push(c.name);
  if (meets(title, box)) overlaps.push('title on legend');
  return { entries, overlaps, offscreen, legendOverflow: legend.scrollWidth - legend.clientWidth };
}"""


@pytest.mark.parametrize("mode", ["normal", "lecture"])
def test_the_legend_keeps_every_word_and_no_control_is_cut(explainer, mode):
    ui = explainer.open()
    if mode == "lecture":
        ui.page.get_by_test_id("lecture-toggle").click()
        expect(ui.page.locator("body")).to_have_attribute("data-mode", "lecture")
    problems = {}
    for width in WIDTHS:
        ui.page.set_viewport_size({"width": width, "height": 900})
        seen = ui.page.evaluate(MEASURE)
        cut = [e["word"] or "(empty)" for e in seen["entries"] if e["cut"]]
        if cut or seen["overlaps"] or seen["offscreen"] or seen["legendOverflow"] > 0:
            problems[width] = (cut, seen["overlaps"], seen["offscreen"], seen["legendOverflow"])
    assert problems == {}, "width: (legend words cut, controls overlapping, controls off screen, legend overflow)"
