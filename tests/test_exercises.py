"""check: exercise answers are judged against values the package computes; the answer never shows."""
import importlib

import numpy as np
import pytest

import initlab as il
from initlab.exercises import EXERCISES, Exercise, check, register

pytestmark = pytest.mark.usefixtures("strict_warnings")
# il.check is the function, so the module is reached through importlib
CHECK = importlib.import_module("initlab.exercises")


@pytest.fixture
def toy(monkeypatch):
    """A registry with one numeric exercise (0.125, rtol 1%) and one pair (atol 0.01)."""
    monkeypatch.setattr(CHECK, "EXERCISES", {})
    register("toy", value=0.125, rtol=0.01, hint="halve it three times")
    register("pair", value=(0.25, -0.5), atol=0.01, hint="two numbers")
    register("odd", accept=lambda n: isinstance(n, int) and n % 2 == 1, hint="not even")
    register("word", value="Kaiming", hint="a name")


def said(capsys, name, answer):
    check(name, answer)
    return capsys.readouterr().out


def test_correct(toy, capsys):
    assert said(capsys, "toy", 0.125) == "correct\n"
    assert said(capsys, "toy", np.float32(0.125)) == "correct\n"
    assert said(capsys, "pair", [0.25, -0.5]) == "correct\n"
    assert said(capsys, "odd", 7) == "correct\n"
    assert said(capsys, "word", " kaiming ") == "correct\n"


@pytest.mark.parametrize("name, answer", [
    ("toy", 0.25), ("toy", -0.125), ("toy", np.nan), ("toy", "0.125x"), ("toy", [0.125, 0.125]),
    ("pair", (0.25,)), ("pair", (0.5, -0.25)), ("odd", 4), ("word", "He"), ("toy", None),
])
def test_wrong_shows_the_hint_not_the_answer(toy, capsys, name, answer):
    out = said(capsys, name, answer)
    assert out == f"not quite: {CHECK.EXERCISES[name].hint}\n"
    for secret in ("0.125", "0.25", "-0.5", "Kaiming"):
        assert secret not in out.replace(repr(answer), "")


def test_placeholder_is_not_answered_yet(toy, capsys):
    assert said(capsys, "toy", ...) == "not answered yet\n"
    assert said(capsys, "odd", Ellipsis) == "not answered yet\n"


def test_tolerance(toy, capsys):
    assert said(capsys, "toy", 0.125 * 1.0099) == "correct\n"   # rtol 1%: inside
    assert said(capsys, "toy", 0.125 * 1.0101).startswith("not quite")
    assert said(capsys, "pair", (0.259, -0.491)) == "correct\n"  # atol 0.01: inside
    assert said(capsys, "pair", (0.261, -0.5)).startswith("not quite")


def test_unknown_name_lists_the_valid_ones(toy):
    with pytest.raises(ValueError, match=r"unknown exercise 'nope'; the exercises are \['odd', 'pair', 'toy', 'word'\]"):
        check("nope", 1.0)


def test_exercise_repr_hides_the_value(toy):
    assert repr(CHECK.EXERCISES["toy"]) == "Exercise('toy', rtol=0.01, atol=0)"


@pytest.mark.parametrize("kwargs, error, message", [
    ({"hint": "h"}, ValueError, "exactly one of value= and accept="),
    ({"hint": "h", "value": 1.0, "accept": bool}, ValueError, "exactly one of"),
    ({"hint": "h", "value": 1.0, "rtol": -1}, ValueError, "rtol must be a finite number >= 0, got -1"),
    ({"hint": "h", "value": 1.0, "atol": np.inf}, ValueError, "atol must be a finite number >= 0"),
])
def test_register_rejects_bad_settings(toy, kwargs, error, message):
    with pytest.raises(error, match=message):
        register("bad", **kwargs)


# ---- the registered exercises of the chapters ---------------------------------------------------

def test_registered_exercises_and_exports():
    assert {"c2_chain_interval", "c3_glorot_normal_std", "c6_conv_he_uniform_limit"} <= set(EXERCISES)
    assert il.check is check and "check" in il.__all__
    assert all(isinstance(e, Exercise) and e.hint for e in EXERCISES.values())


def test_chain_interval_is_where_the_norm_stays_within_two():
    lo, hi = EXERCISES["c2_chain_interval"].value
    assert np.isclose(lo, 2 ** (-1 / 50), rtol=1e-9) and np.isclose(hi, 2 ** (1 / 50), rtol=1e-9)


def test_initializer_exercises_match_the_formulas():
    assert np.isclose(EXERCISES["c3_glorot_normal_std"].value, np.sqrt(2 / (784 + 300)), rtol=1e-12)
    assert np.isclose(EXERCISES["c6_conv_he_uniform_limit"].value, np.sqrt(6 / (3 * 3 * 64)), rtol=1e-12)


@pytest.mark.parametrize("name, right, wrong", [
    ("c2_chain_interval", (0.9862, 1.0140), (0.98, 1.02)),
    ("c3_glorot_normal_std", 0.04295, np.sqrt(2 / 784)),
    ("c6_conv_he_uniform_limit", 0.1021, np.sqrt(6 / 64)),   # fan_in without the kernel
])
def test_registered_exercises_judge_answers(capsys, name, right, wrong):
    assert said(capsys, name, right) == "correct\n"
    out = said(capsys, name, wrong)
    assert out.startswith("not quite: ")
    value = EXERCISES[name].value
    for v in np.ravel(value):
        for sig in (2, 3, 4):
            assert il.fmt(v, sig) not in out, "the hint gives the answer away"
