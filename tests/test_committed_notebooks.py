"""The chapters are committed as scripts/clean_notebooks.py leaves them (nbval's reference)."""
import importlib.util
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def _cleaner():
    spec = importlib.util.spec_from_file_location("clean_notebooks", ROOT / "scripts" / "clean_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_is_committed_clean_with_outputs(path):
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    cleaned = _cleaner().clean(json.loads(text))
    assert json.dumps(cleaned, indent=1, sort_keys=True, ensure_ascii=False) + "\n" == text, (
        f"run: python scripts/clean_notebooks.py {path.relative_to(ROOT)}")
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert any(c.get("outputs") for c in code), "committed without outputs: nbval has no reference"
    assert not any("!pip" in "".join(c["source"]) for c in code)


def test_cleaning_merges_prints_and_drops_timings():
    nb = {"metadata": {"widgets": {}}, "nbformat": 4, "nbformat_minor": 5, "cells": [{
        "cell_type": "code", "execution_count": 1, "metadata": {"execution": {"x": 1}},
        "source": ["print(1); print(2)"],
        "outputs": [{"name": "stdout", "output_type": "stream", "text": ["1\n"]},
                    {"name": "stdout", "output_type": "stream", "text": "2\n3"},
                    {"output_type": "display_data", "data": {"text/plain": ["x"]}, "metadata": {}},
                    {"name": "stdout", "output_type": "stream", "text": ["4\n"]}]}]}
    cell = _cleaner().clean(nb)["cells"][0]
    assert cell["metadata"] == {} and "widgets" not in nb["metadata"]
    assert [o.get("text") for o in cell["outputs"]] == [["1\n", "2\n", "3"], None, ["4\n"]]


def _first_line(cell):
    """The first line of a cell's source that is not an NBVAL comment, shortened."""
    lines = [l for l in "".join(cell["source"]).splitlines() if "NBVAL_" not in l and l.strip()]
    return lines[0][:60] if lines else ""


def _ignore_reason(cell):
    """Why nbval may skip this cell's outputs: 'live explorer', 'image', 'static slider', or None."""
    if "live-explorer" in cell["metadata"].get("tags", []):
        return "live explorer"
    kinds = set()
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out["output_type"] not in ("display_data", "execute_result"):
            return None  # a print or an error: nbval must compare it
        if set(data) <= {"image/png", "text/plain"} and "image/png" in data:
            kinds.add("image")
        elif set(data) <= {"text/html", "text/plain"} and 'class="il-static-slider"' in "".join(
                data.get("text/html", "")):
            kinds.add("static slider")
        else:
            return None
    return " and ".join(sorted(kinds)) or None


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_nbval_skips_only_images_sliders_and_explorers(path):
    # CONTRIBUTING, "Outputs nbval does not compare": the frames of images and static sliders are
    # checked by unit and browser tests; every other output is compared, in every chapter
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    problems = []
    for i, c in enumerate(cells):
        if c["cell_type"] != "code":
            continue
        name = f"cell {c.get('id', i)!r} ({_first_line(c)!r})"
        if "NBVAL_IGNORE_OUTPUT" in "".join(c["source"]):
            problems.append(f"{name}: a # NBVAL_IGNORE_OUTPUT comment; use the tag")
        if "nbval-ignore-output" in c["metadata"].get("tags", []) and _ignore_reason(c) is None:
            problems.append(f"{name}: tagged nbval-ignore-output, but its outputs are not only "
                            "images or a static slider, nor is it a live explorer")
    assert not problems, "\n".join(problems)


def test_ignore_reason_accepts_only_images_sliders_and_explorers():
    png = {"output_type": "display_data", "data": {"image/png": "iVBO", "text/plain": ["<Figure>"]},
           "metadata": {}}
    slider = {"output_type": "execute_result", "execution_count": 1, "metadata": {},
              "data": {"text/html": ['<div class="il-static-slider" id="s1">'], "text/plain": ["S"]}}
    table = {"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<table>"]}}
    printed = {"output_type": "stream", "name": "stdout", "text": ["0.25\n"]}

    def cell(*outputs, tags=()):
        return {"cell_type": "code", "metadata": {"tags": list(tags)}, "outputs": list(outputs)}

    assert _ignore_reason(cell(png)) == "image"
    assert _ignore_reason(cell(slider, png)) == "image and static slider"
    assert _ignore_reason(cell(tags=["live-explorer"])) == "live explorer"
    for outputs in [(), (table,), (printed,), (png, printed)]:
        assert _ignore_reason(cell(*outputs)) is None, outputs
