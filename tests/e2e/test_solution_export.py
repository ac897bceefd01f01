"""The worked solution's exports: the page's Markdown and LaTeX buttons download the document of the
network it shows, in normal mode and in lecture mode (one page load)."""
import pytest
from conftest import downloaded
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The reference's first forward line and its per-output check of w_11, typed from the document.
FIRST_SUM = r"a_{1} = w_{11} x_{11} = 0.5 \cdot 3 = 1.5"
CHECK_E1 = "-3.83999424"


def check_both(page, tmp_path):
    name, path = downloaded(page, "export-markdown", tmp_path)
    markdown = path.read_text(encoding="utf-8")
    assert name == "backprop-solution.md"
    assert markdown.splitlines()[:3] == ["# Worked solution: one training step of a 1-1-2 network", "",
                                          "## 1. The network and its notation"]
    assert f"$${FIRST_SUM}$$" in markdown and CHECK_E1 in markdown
    name, path = downloaded(page, "export-latex", tmp_path)
    latex = path.read_text(encoding="utf-8")
    assert name == "backprop-solution.tex"
    assert latex.splitlines()[:2] == [r"\documentclass{article}", r"\usepackage{amsmath}"]
    assert rf"\[ {FIRST_SUM} \]" in latex and CHECK_E1 in latex
    assert latex.rstrip().endswith(r"\end{document}")


def test_worked_solution_downloads_in_normal_and_lecture_mode(calm_explainer, tmp_path):
    ui = calm_explainer.open()
    check_both(ui.page, tmp_path / "normal")
    ui.page.get_by_test_id("lecture-toggle").click()
    expect(ui.page.locator("body")).to_have_attribute("data-mode", "lecture")
    expect(ui.page.get_by_test_id("export-svg")).to_be_hidden()  # the rest of the share bar steps back
    check_both(ui.page, tmp_path / "lecture")
