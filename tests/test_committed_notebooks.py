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
