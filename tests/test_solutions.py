"""The chapters' exercises: every coding task has a registered check, a placeholder and a solution that passes it."""
import contextlib
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import initlab as il
from initlab.exercises import EXERCISES

CHAPTERS = sorted((Path(__file__).parents[1] / "chapters").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"il\.check\(\s*[\"']([a-z0-9_]+)[\"']")
# an admonition titled "Solution...", fenced by backticks or colons, up to its closing fence
SOLUTION = re.compile(r"^(`{3,}|:{3,})\{admonition\}\s*Solution.*?^\1\s*$", re.M | re.S)
PYTHON = re.compile(r"^(`{3,})python\s*\n(.*?)^\1\s*$", re.M | re.S)


def cells(path, kind):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == kind]


def solutions(path):
    """(name, code) for each python block inside a Solution admonition of the chapter."""
    found = []
    for cell in cells(path, "markdown"):
        for box in SOLUTION.finditer(cell.source):
            for block in PYTHON.finditer(box.group(0)):
                names = CHECK_CALL.findall(block.group(2))
                if names:
                    found.append((names[-1], block.group(2)))
    return found


def tasks(path):
    """(name, committed output text) of each code cell that asks `answer = ...` and checks it."""
    found = []
    for cell in cells(path, "code"):
        names = CHECK_CALL.findall(cell.source)
        if names and re.search(r"^answer\s*=\s*\.\.\.", cell.source, re.M):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
            found.append((names[-1], text))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_has_a_coding_task_with_its_solution(path):
    asked = tasks(path)
    assert asked, f"{path.name}: no coding task (a cell with `answer = ...` and il.check(...))"
    solved = {name for name, _ in solutions(path)}
    for name, output in asked:
        assert name in EXERCISES, f"{path.name}: il.check({name!r}) is not registered in initlab.checks"
        assert output.strip() == "not answered yet", f"{path.name}: {name} committed output {output!r}"
        assert name in solved, f"{path.name}: {name} has no Solution dropdown with a python block"


@pytest.mark.parametrize("name, code", [(n, c) for p in CHAPTERS for n, c in solutions(p)],
                         ids=lambda v: v if isinstance(v, str) and v.startswith("c") and "\n" not in v else "")
def test_each_solution_passes_its_check(name, code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"<solution {name}>", "exec"), {"il": il, "np": np})
    assert out.getvalue().strip().splitlines()[-1] == "correct", out.getvalue()


NUMERIC = sorted(n for n, e in EXERCISES.items() if e.accept is None and not isinstance(e.value, str))


@pytest.mark.parametrize("name", NUMERIC)
def test_no_hint_gives_its_answer_away(name):
    exercise = EXERCISES[name]
    for v in np.ravel(np.asarray(exercise.value, dtype=float)):
        for sig in (2, 3, 4):
            shown = il.fmt(v, sig)
            # short numbers like "2" legitimately appear in formulas
            assert len(shown) < 3 or shown not in exercise.hint, f"{name}: the hint shows {shown}"
