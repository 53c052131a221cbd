"""The classroom path end to end: JupyterLab on 127.0.0.1 opens the first chapter with a cell tagged
`live-explorer`, runs the cells up to and including it, and moving a slider of the rendered widget
changes the figure. JupyterLab runs from temporary config/data/runtime dirs with news, update checks,
the extension manager and autosave off, so it neither contacts the internet nor writes to chapters."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "initlab-classroom-test"
USER_SETTINGS = {
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "extensionmanager-extension/plugin": {"enabled": False},
    "docmanager-extension/plugin": {"autosave": False},
    "notebook-extension/tracker": {"windowingMode": "none"},
}
OPENED = """(path) => window.jupyterapp && jupyterapp.shell.currentWidget
  && jupyterapp.shell.currentWidget.context && jupyterapp.shell.currentWidget.context.path === path"""
RUN_UP_TO = """async (index) => {
  const app = window.jupyterapp, panel = app.shell.currentWidget;
  const run = async () => {
    await panel.sessionContext.ready;
    panel.content.activeCellIndex = index;
    await app.commands.execute("notebook:run-all-above");
    panel.content.activeCellIndex = index;
    await app.commands.execute("notebook:run-cell");
  };
  const limit = new Promise((_, no) => setTimeout(() => no("cells ran over 180 s"), 180000));
  await Promise.race([run(), limit]);
}"""
FIGURES = """(cell) => [...cell.querySelectorAll(".jp-OutputArea-output img")]
  .map(img => img.getAttribute("src")).join(" ")"""


def first_live_explorer(explorer="variance_explorer"):
    """(notebook, index) of the first cell tagged live-explorer that shows `explorer`, or None.

    The variance explorer recomputes on every slider; a training explorer's learning-rate slider
    only changes the steps to come, so moving it leaves the figure as it is.
    """
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for i, cell in enumerate(cells):
            if ("live-explorer" in cell.get("metadata", {}).get("tags", [])
                    and explorer in "".join(cell["source"])):
                return path, i
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """Base URL of a JupyterLab server rooted at the repository; shut down after the test."""
    for name, values in USER_SETTINGS.items():
        settings = tmp_path / "config/lab/user-settings/@jupyterlab" / f"{name}.jupyterlab-settings"
        settings.parent.mkdir(parents=True, exist_ok=True)
        settings.write_text(json.dumps(values))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "jupyterlab.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--port-retries=0", "--allow-root", f"--IdentityProvider.token={TOKEN}",
         f"--ServerApp.root_dir={ROOT}", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield base
    finally:
        try:  # stops the kernels too
            urllib.request.urlopen(urllib.request.Request(
                f"{base}api/shutdown?token={TOKEN}", method="POST"), timeout=5)
            server.wait(timeout=15)
        except (OSError, subprocess.TimeoutExpired):
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_live_explorer_in_jupyterlab(guarded, jupyterlab):
    found = first_live_explorer()
    assert found, "no chapters/*.ipynb has a live-explorer cell showing variance_explorer"
    path, index = found[0].relative_to(ROOT).as_posix(), found[1]
    with guarded() as g:
        page = g.page
        page.goto(f"{jupyterlab}lab/tree/{path}?token={TOKEN}", timeout=60_000)
        page.wait_for_function(OPENED, arg=path, timeout=60_000)
        page.evaluate(RUN_UP_TO, index)
        raised = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
        assert raised.all_inner_texts() == [], f"running {path} up to cell {index} raised"
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        handle = cell.locator(".jupyter-widgets .noUi-handle, .jupyter-widgets input[type=range]")
        handle = handle.first
        handle.wait_for(timeout=60_000)
        cell.locator(".jp-OutputArea-output img").first.wait_for(timeout=60_000)
        before = cell.evaluate(FIGURES)
        value, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
        handle.press("Home" if value is not None and value == top else "End")
        shot = ROOT / "_build" / "screenshots" / "classroom-live-explorer.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        try:
            # the output is cleared and redrawn: wait for a figure, and a different one
            page.wait_for_function(f"([cell, before]) => (now => now && now !== before)(({FIGURES})(cell))",
                                   arg=[cell.element_handle(), before], timeout=60_000)
        except PlaywrightTimeout:
            pytest.fail(f"moving a slider of {path} cell {index} did not change the figure")
        finally:
            cell.screenshot(path=shot)
        assert g.errors == [] and g.external == []


LESSON = "chapters/lesson.ipynb"
SET_SIZE = """async ([index, size]) => {
  const panel = jupyterapp.shell.currentWidget;
  await panel.context.ready;
  const cell = panel.content.widgets[index];
  const source = cell.model.sharedModel.getSource();
  cell.model.sharedModel.setSource(source.replace(/SIZE = "[a-z]+"/, `SIZE = "${size}"`));
}"""
RUN_ALL = """async () => {
  const app = window.jupyterapp, panel = app.shell.currentWidget;
  await panel.sessionContext.ready;
  const limit = new Promise((_, no) => setTimeout(() => no("cells ran over 400 s"), 400000));
  await Promise.race([app.commands.execute("notebook:run-all-cells"), limit]);
}"""


def lesson_cells():
    """(index of the SIZE cell, [(index, explorer name)] of the lesson's live-explorer cells)."""
    cells = json.loads((ROOT / LESSON).read_text())["cells"]
    size_cell = next(i for i, c in enumerate(cells) if c["cell_type"] == "code" and "SIZE =" in "".join(c["source"]))
    live = [(i, "".join(c["source"]).split("(")[0].split(".")[-1]) for i, c in enumerate(cells)
            if "live-explorer" in c.get("metadata", {}).get("tags", [])]
    return size_cell, live


def move_a_slider(page, cell, name):
    """Move the slider that redraws this explorer's figure, and wait for a different figure."""
    cell.locator(".jp-OutputArea-output img").first.wait_for(timeout=120_000)
    handles = cell.locator(".jupyter-widgets .noUi-handle, .jupyter-widgets input[type=range]")
    handles.first.wait_for(timeout=60_000)
    # the playground's last slider picks the member shown; the others' first slider redraws the figure
    handle = handles.last if name == "playground" else handles.first
    before = cell.evaluate(FIGURES)
    value, top = handle.get_attribute("aria-valuenow"), handle.get_attribute("aria-valuemax")
    handle.press("Home" if value is not None and value == top else "End")
    try:
        page.wait_for_function(f"([cell, before]) => (now => now && now !== before)(({FIGURES})(cell))",
                               arg=[cell.element_handle(), before], timeout=120_000)
    except PlaywrightTimeout:
        pytest.fail(f"moving a slider of the lesson's {name} did not change its figure")


def test_lesson_drives_every_explorer_in_both_sizes(guarded, jupyterlab):
    size_cell, live = lesson_cells()
    assert {name for _, name in live} == {"playground", "chain_explorer", "variance_explorer", "histogram_explorer"}
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with guarded() as g:
        page = g.page
        page.set_viewport_size({"width": 1280, "height": 720})  # a projector
        page.goto(f"{jupyterlab}lab/tree/{LESSON}?token={TOKEN}", timeout=60_000)
        page.wait_for_function(OPENED, arg=LESSON, timeout=60_000)
        page.evaluate("() => jupyterapp.commands.execute('application:toggle-left-area')")
        for size in ("projector", "notebook"):
            page.evaluate(SET_SIZE, [size_cell, size])  # the file is not saved: autosave is off
            page.evaluate(RUN_ALL)
            raised = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
            assert raised.all_inner_texts() == [], f"running {LESSON} with SIZE = {size!r} raised"
            for n, (index, name) in enumerate(live):
                cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
                cell.scroll_into_view_if_needed()
                if size == "projector":
                    move_a_slider(page, cell, name)
                    width = cell.locator(".jp-OutputArea-output img").first.bounding_box()["width"]
                    assert width > 900, f"the {name}'s figure is {width:.0f} px wide on a 1280 px screen"
                cell.screenshot(path=shots / f"classroom-lesson-{n + 1}-{name}-{size}.png")
        assert g.errors == [] and g.external == []
