"""Browser-test fixtures: the built book on 127.0.0.1, one Debian Chromium per session, and pages
whose requests are route-guarded so that anything leaving the machine is aborted and recorded."""
import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TYPESET = """() => Promise.resolve(window.MathJax && MathJax.startup && MathJax.startup.promise)
  .then(() => document.fonts.ready).then(() => true)"""
# Errors in third-party code that no setting of ours avoids. sphinx-thebe 0.3.1 adds an inline
# `const THEBE_JS_URL` script after the builder starts and Sphinx >= 7.2 emits it twice per page;
# the second copy throws (harmless: the first declaration wins).
KNOWN_ERRORS = []  # _ext/dedupe_js.py removes the one the theme used to cause


def toc_files():
    """Every file of _toc.yml (root, parts, chapters, sections), in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def pytest_runtest_setup(item):
    """Without Chromium, browser tests skip locally (one summary line) and fail under CI."""
    if "browser" in item.fixturenames and not Path(CHROMIUM).exists() and not os.environ.get("CI"):
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")


def pytest_generate_tests(metafunc):
    if "toc_file" in metafunc.fixturenames:
        metafunc.parametrize("toc_file", toc_files())


@pytest.fixture(scope="session", name="toc_files")
def toc_files_fixture():
    return toc_files()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing and CI is set: browser tests may not skip")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site():
    """Base URL of _build/html served by a quiet http.server thread on a free port."""
    if not (HTML / "index.html").exists():
        pytest.fail(f"{HTML} is missing: build the book first with `bash scripts/build_book.sh`")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


class GuardedPage:
    """A page in its own browser context; records page errors and requests that left the machine."""

    def __init__(self, browser):
        self.errors, self.external = [], []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self._error(f"pageerror: {exc}"))
        self.page.on("console", lambda msg: msg.type == "error"
                     and self._error(f"console: {msg.text} ({msg.location.get('url')})"))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()

    def open(self, url):
        """Go to url and wait until the network is idle, MathJax has typeset and fonts are in."""
        self.page.goto(url, wait_until="networkidle")
        self.page.evaluate(TYPESET)
        return self.page

    def _error(self, text):
        if not any(known in text for known in KNOWN_ERRORS):
            self.errors.append(text)

    def _guard(self, route):
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()


@pytest.fixture(scope="session")
def guarded(browser):
    """Factory of route-guarded pages: `with guarded() as g: page = g.open(url)`."""
    return lambda: GuardedPage(browser)
