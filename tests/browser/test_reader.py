"""What readers of a Jupyter Book expect, in the offline build: the search page finds words, every
chapter has a Binder launch link and a notebook download (links only: nothing is fetched), and
figures keep a white background in the theme's dark mode (screenshots: _build/screenshots/dark__*),
and an il.Table placed in a page passes axe.
"""
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from playwright.sync_api import expect
from test_book import AXE_RUN

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "assets" / "axe-core" / "axe.min.js"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
RESULTS = "#search-results ul.search li"
FIGURE_STYLE = """() => [...document.querySelectorAll(".cell_output img")].map(img => {
  const style = getComputedStyle(img);
  return {src: (img.getAttribute("src") || "").slice(0, 50), background: style.backgroundColor,
          filter: style.filter};
})"""


def notebook_pages(toc_files):
    return [f for f in toc_files if (ROOT / f"{f}.ipynb").exists()]


def binder_url(toc_file):
    """The launch link sphinx-book-theme builds from _config.yml's launch_buttons and repository."""
    org, repo = urlparse(CONFIG["repository"]["url"]).path.strip("/").split("/")[:2]
    hub = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    return f"{hub}/v2/gh/{org}/{repo}/{CONFIG['repository']['branch']}?urlpath=tree/{toc_file}.ipynb"


def search(guarded, site, word):
    """Type word into the offline search page; return the result links' hrefs and any leak."""
    with guarded() as g:
        page = g.open(f"{site}search.html")
        box = page.locator("main form.bd-search input[name=q]")
        box.fill(word)
        box.press("Enter")
        expect(page.locator("#search-results h2")).to_have_text(re.compile("Search Results"))
        page.wait_for_function("() => !document.querySelector('#search-results')"
                               ".classList.contains('searching')"
                               " && document.querySelector('#search-results p.search-summary')")
        hrefs = page.locator(f"{RESULTS} a").evaluate_all("as => as.map(a => a.href)")
        return hrefs, g.errors, g.external


def test_search_finds_a_word_of_the_book(guarded, site, toc_files):
    assert (HTML / "searchindex.js").exists(), "no searchindex.js: the search page finds nothing"
    hrefs, errors, external = search(guarded, site, "Glorot")
    assert errors == [] and external == []
    pages = {urlparse(h).path.lstrip("/").removesuffix(".html") for h in hrefs}
    assert pages, "searching the book for 'Glorot' found no page"
    assert pages <= set(toc_files) | {"genindex", "py-modindex"}, pages
    for page in pages:
        assert "glorot" in (HTML / f"{page}.html").read_text().lower(), f"{page} does not mention Glorot"


def test_search_for_a_word_not_in_the_book_finds_nothing(guarded, site):
    hrefs, errors, external = search(guarded, site, "qzxwvjkq")
    assert hrefs == [] and errors == [] and external == []


def test_every_chapter_links_to_binder_and_its_notebook(toc_files):
    pages = notebook_pages(toc_files)
    assert pages, "no page of the book is a notebook"
    for toc_file in pages:
        text = (HTML / f"{toc_file}.html").read_text()
        links = re.findall(r'<a href="([^"]+)"', text)
        assert binder_url(toc_file) in links, f"{toc_file}: no Binder link {binder_url(toc_file)}"
        name = Path(toc_file).name
        download = [h for h in links if h.endswith(f"_sources/{toc_file}.ipynb")]
        assert download, f"{toc_file}: no download link to _sources/{toc_file}.ipynb"
        target = (HTML / toc_file).parent / download[0]
        cells = json.loads(target.read_text())["cells"]
        assert cells, f"{name}: the downloadable notebook has no cells"


def test_launch_and_download_buttons_open_without_fetching(guarded, site, toc_files):
    toc_file = notebook_pages(toc_files)[0]
    with guarded() as g:
        page = g.open(f"{site}{toc_file}.html")
        page.locator(".dropdown-launch-buttons button.dropdown-toggle").click()
        binder = page.locator(".dropdown-launch-buttons a.dropdown-item")
        expect(binder).to_be_visible()
        assert binder.evaluate("a => a.tagName") == "A"
        assert binder.get_attribute("href") == binder_url(toc_file)
        page.keyboard.press("Escape")
        page.locator(".dropdown-download-buttons button.dropdown-toggle").click()
        notebook = page.locator(f'.dropdown-download-buttons a[href$="_sources/{toc_file}.ipynb"]')
        expect(notebook).to_be_visible()
        assert g.external == [] and g.errors == []


def test_figures_on_white_in_dark_mode(guarded, site, toc_files):
    with_figures = [f for f in toc_files
                    if re.search(r'class="cell_output.*?<img', (HTML / f"{f}.html").read_text(), re.S)]
    assert with_figures, "no page of the book has a figure in a cell output"
    toc_file = with_figures[0]
    with guarded() as g:
        g.page.emulate_media(color_scheme="dark")
        page = g.open(f"{site}{toc_file}.html")
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"dark__{toc_file.replace('/', '__')}.png", full_page=True)
        figures = page.evaluate(FIGURE_STYLE)
        assert figures
        for figure in figures:
            assert figure["background"] == "rgb(255, 255, 255)" and figure["filter"] == "none", figure
        assert g.external == [] and g.errors == []


def test_table_html_is_accessible(guarded, site, toc_files):
    """An il.Table shown in a book page: axe finds no serious violation, numbers align right."""
    import initlab as il

    table = il.Table([["he_normal", 0.0042, 12.5], ["N(0, 1)", None, float("inf")]],
                     ["init", "std", "cost"], caption="A table of results",
                     units={"std": "×1e-3", "cost": "nats"})
    with guarded() as g:
        page = g.open(f"{site}{notebook_pages(toc_files)[0]}.html")
        page.evaluate("html => { const div = document.createElement('div');"
                      " div.id = 'il-table-test'; div.innerHTML = html;"
                      " document.querySelector('article').prepend(div); }", table._repr_html_())
        cells = page.locator("#il-table-test td")
        assert cells.evaluate_all("tds => tds.map(td => getComputedStyle(td).textAlign)") == [
            "right", "right", "left", "right"]
        assert page.locator("#il-table-test caption").text_content() == "A table of results"
        assert page.locator("#il-table-test .il-table").evaluate(
            "t => getComputedStyle(t).fontVariantNumeric") == "tabular-nums"
        page.add_script_tag(path=AXE)
        assert page.evaluate(AXE_RUN, {"include": [["#il-table-test"]]}) == []
        assert g.external == [] and g.errors == []
