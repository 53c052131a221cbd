"""The published book in a real browser: every page of _toc.yml loads offline without JavaScript
errors; its figures, math, kernel-free sliders and solution toggles work; axe-core finds no critical
or serious violation. A full-page screenshot of each page goes to _build/screenshots/.

Each page is loaded once (page loads dominate the run time); the tests below assert on that visit.
"""
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "assets" / "axe-core" / "axe.min.js"
FILE_NAME = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|gif|svg|webp)$|^data:", re.I)

SURVEY = """() => {
  const math = [...document.querySelectorAll("span.math, div.math")];
  return {
    images: [...document.images].map(img => ({
      src: (img.getAttribute("src") || "").slice(0, 60), alt: img.getAttribute("alt"),
      decoded: img.complete && img.naturalWidth > 0})),
    unrendered: math.filter(m => !m.querySelector("mjx-container")).map(m => m.textContent.slice(0, 60)),
    merrors: [...document.querySelectorAll("mjx-merror")].map(e => e.textContent.slice(0, 60)),
    widget_views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  };
}"""
# preload: false, or axe re-fetches stylesheets and resolves their @import against the page URL.
# Code cells look alike on every page (one pygments theme) and their thousands of tokens make the
# colour-contrast rule slow, so page runs skip them and test_accessibility_of_code_cells checks
# them once.
CODE_CELLS = [[".cell_input"]]
AXE_RUN = """async (context) => (await axe.run(context, {resultTypes: ["violations"], preload: false}))
  .violations.filter(v => v.impact === "critical" || v.impact === "serious")
  .map(v => `${v.impact} ${v.id}: ${v.help} [${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}]`)"""


def check_frames(widget, frame):
    """Each slider, stepped through its whole range, shows a decoded image with an alt text.

    nbval does not compare the sliders' HTML (PNG bytes differ across matplotlib builds), so
    this is where every precomputed frame is checked.
    """
    for slider in widget.locator("input.il-slider").all():
        slider.press("Home")
        for position in range(int(slider.get_attribute("max")) + 1):
            if position:
                slider.press("ArrowRight")
            assert slider.input_value() == str(position)
            expect(frame).to_have_js_property("complete", True)
            width = frame.evaluate("img => img.naturalWidth")
            assert width > 0, (f"{widget.get_attribute('id')} {slider.get_attribute('data-param')}"
                               f" position {position}: the frame did not decode")
            assert frame.get_attribute("alt").strip(), "a frame without alt text"


def check_sliders(page):
    """Every kernel-free slider swaps its frame when moved; Play advances it and becomes Pause."""
    for widget in page.locator(".il-static-slider").all():
        frame = widget.locator("img.il-frame")
        assert int(widget.get_attribute("data-n-frames")) >= 2, "a slider needs two frames"
        for slider in widget.locator("input.il-slider").all():
            before = frame.get_attribute("src")
            slider.press("Home" if slider.input_value() == slider.get_attribute("max") else "End")
            assert frame.get_attribute("src") != before, (
                f"moving {widget.get_attribute('id')} {slider.get_attribute('data-param')} "
                "did not change the frame")
        check_frames(widget, frame)
        play = widget.locator("button.il-play")
        before = frame.get_attribute("src")
        play.click()
        expect(play).to_have_text("Pause")
        page.wait_for_function("([img, src]) => img.getAttribute('src') !== src",
                               arg=[frame.element_handle(), before], timeout=3_000)
        play.click()
        expect(play).to_have_text("Play")


def check_toggles(page):
    """Every solution toggle or dropdown opens (if closed) and shows its content."""
    article = page.locator("article")
    # sphinx-togglebutton on `:class: dropdown` admonitions: a button reveals its target
    for button in article.locator("button.toggle-button").all():
        target = page.locator(f"#{button.get_attribute('data-target')}")
        if "toggle-hidden" in target.get_attribute("class").split():
            button.click()
        expect(target).not_to_have_class(re.compile(r"\btoggle-hidden\b"))
        expect(target.locator(":scope > :not(.admonition-title)").first).to_be_visible()
    # sphinx-togglebutton {toggle}, sphinx-design {dropdown}, myst-nb hide-* cells: <details>
    for details in article.locator("details").all():
        if details.get_attribute("open") is None:
            details.locator(":scope > summary").click()
        expect(details).to_have_js_property("open", True)
        expect(details.locator(":scope > :not(summary)").first).to_be_visible()


def attempt(check, page):
    try:
        check(page)
    except (AssertionError, PlaywrightError) as exc:
        return f"{check.__name__}: {exc}"
    return None


@pytest.fixture(scope="module")
def visit(guarded, site):
    """Visit a page once: screenshot, DOM survey, sliders, toggles, axe; errors, requests."""
    cache = {}

    def get(toc_file):
        if toc_file not in cache:
            assert (HTML / f"{toc_file}.html").exists(), f"{toc_file}.html is not in {HTML}"
            assert AXE.exists(), f"{AXE} is missing: run python scripts/fetch_assets.py"
            with guarded() as g:
                page = g.open(f"{site}{toc_file}.html")
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SHOTS / f"{toc_file.replace('/', '__')}.png", full_page=True)
                result = page.evaluate(SURVEY)
                result["sliders"] = attempt(check_sliders, page)
                result["toggles"] = attempt(check_toggles, page)
                result["errors"] = list(g.errors)  # before axe, which is ours, not the book's
                page.add_script_tag(path=AXE)
                # toggles are open now, so solutions get checked too
                result["axe"] = page.evaluate(AXE_RUN, {"exclude": CODE_CELLS})
                result["external"] = g.external
            cache[toc_file] = result
        return cache[toc_file]

    return get


def test_no_javascript_errors(visit, toc_file):
    assert visit(toc_file)["errors"] == []


def test_no_request_leaves_the_machine(visit, toc_file):
    assert visit(toc_file)["external"] == []


def test_images_decoded_with_alt_text(visit, toc_file):
    for img in visit(toc_file)["images"]:
        assert img["decoded"], f"image not decoded: {img}"
        alt = (img["alt"] or "").strip()
        assert alt and not FILE_NAME.search(alt), f"image needs meaningful alt text: {img}"


def test_math_rendered(visit, toc_file):
    assert visit(toc_file)["unrendered"] == [], "math left untypeset by MathJax"
    assert visit(toc_file)["merrors"] == [], "MathJax reported errors"


def test_kernel_free_sliders(visit, toc_file):
    assert visit(toc_file)["sliders"] is None


def test_solution_toggles_open(visit, toc_file):
    assert visit(toc_file)["toggles"] is None


def test_no_saved_widget_views(visit, toc_file):
    assert visit(toc_file)["widget_views"] == 0, (
        "a saved ipywidgets view is a dead control in the static book: "
        "tag live explorer cells `live-explorer` and `remove-output`")


def test_accessibility(visit, toc_file):
    assert visit(toc_file)["axe"] == []


def test_accessibility_of_code_cells(guarded, site, toc_files):
    with_code = [f for f in toc_files if "cell_input" in (HTML / f"{f}.html").read_text()]
    assert with_code, "no page of the book has a code cell"
    with guarded() as g:
        page = g.open(f"{site}{with_code[0]}.html")
        page.add_script_tag(path=AXE)
        assert page.evaluate(AXE_RUN, {"include": CODE_CELLS}) == [], with_code[0]
