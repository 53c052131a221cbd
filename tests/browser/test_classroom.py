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
