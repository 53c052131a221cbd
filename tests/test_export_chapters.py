"""scripts/export_chapters.py: chapter code cells as .py files (for duplicates) and the check that no
helper is defined in two chapters."""
import ast
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "export_chapters.py"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
spec = importlib.util.spec_from_file_location("export_chapters", SCRIPT)
export_chapters = importlib.util.module_from_spec(spec)
spec.loader.exec_module(export_chapters)


def notebook(path, *cells):
    """Write a minimal notebook: each cell a (cell_type, source) pair."""
    path.write_text(json.dumps({"cells": [
        {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True),
         **({"outputs": [], "execution_count": None} if kind == "code" else {})}
        for kind, source in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                          capture_output=True, text=True, check=False)


def test_export_writes_cells_with_markers_and_comments_magics(tmp_path):
    nb = notebook(tmp_path / "01_demo.ipynb",
                  ("markdown", "# Title"),
                  ("code", "%matplotlib inline\nimport initlab as il"),
                  ("code", "   "),
                  ("code", "def helper(x):\n    !echo hi\n    return x"),
                  ("code", "%%timeit\nhelper(1)"))
    result = run(nb, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "01_demo.py").read_text() == (
        "# Code cells of 01_demo.ipynb, exported by scripts/export_chapters.py: do not edit.\n\n"
        "# %% [cell 1]\n# %matplotlib inline\nimport initlab as il\n\n"
        "# %% [cell 3]\ndef helper(x):\n    # !echo hi\n    return x\n\n"
        "# %% [cell 4]\n# %%timeit\n# helper(1)\n")


def test_export_of_the_chapters(tmp_path):
    copies = [Path(shutil.copy(nb, tmp_path / nb.name)) for nb in CHAPTERS]
    out = tmp_path / "chapter_code"
    result = run(*copies, "--out", out, "--with-package")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.py")) == [f"{nb.stem}.py" for nb in CHAPTERS]
    for nb in CHAPTERS:
        text = (out / f"{nb.stem}.py").read_text()
        ast.parse(text)  # plain Python: magics are commented out
        cells = json.loads(nb.read_text())["cells"]
        code = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        assert [int(line[len("# %% [cell "):-1]) for line in text.splitlines()
                if line.startswith("# %% [cell ")] == code
    assert (out / "initlab" / "mlp.py").read_text() == (ROOT / "src" / "initlab" / "mlp.py").read_text()


def test_check_reports_a_helper_defined_in_two_chapters(tmp_path):
    a = notebook(tmp_path / "a.ipynb", ("code", "def helper():\n    class Box:\n        pass"))
    b = notebook(tmp_path / "b.ipynb", ("code", "class Box:\n    def helper(self):\n        pass"))
    c = notebook(tmp_path / "c.ipynb", ("code", "def other():\n    pass\nlam = lambda: 0"))
    result = run(a, b, c, "--out", tmp_path / "out", "--check")
    assert result.returncode == 1
    assert "defined in 2 chapters: Box (a, b)" in result.stderr
    assert "defined in 2 chapters: helper (a, b)" in result.stderr
    assert "other" not in result.stderr
    assert run(a, c, "--out", tmp_path / "out", "--check").returncode == 0


def test_check_names_the_cell_that_does_not_parse(tmp_path):
    bad = notebook(tmp_path / "bad.ipynb", ("code", "x = 1"), ("code", "def f(:\n    pass"))
    with pytest.raises(SyntaxError, match="bad.ipynb cell 1"):
        export_chapters.definitions(bad)


def test_missing_notebook_is_an_error(tmp_path):
    result = run(tmp_path / "nope.ipynb", "--out", tmp_path)
    assert result.returncode == 2 and "no such notebook" in result.stderr


def test_no_helper_is_defined_in_two_chapters():
    assert export_chapters.shared_definitions(CHAPTERS) == {}
