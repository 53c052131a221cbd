"""Chapter 7's experiments: the classic replay, Glorot & Bengio, He et al., the published-results table."""
import numpy as np
import pytest

import initlab as il
from initlab.exercises import EXERCISES
from initlab.experiments import assignment, published

pytestmark = pytest.mark.usefixtures("strict_warnings")
ex = il.experiments


@pytest.fixture(scope="module")
def classic():
    return ex.classic_assignment()  # the published accuracies are after 15,000 iterations


@pytest.fixture(scope="module")
def small_runs():
    glorot = ex.glorot_training(width=16, hidden=3, epochs=1, seed=range(2))
    stall = ex.he_stall(depth=4, width=16, epochs=1, seed=range(2))
    return glorot, stall


def test_classic_replays_the_published_run(classic):
    # the published numbers are independent of our code: a wrong draw order or init breaks this
    for name in ("zeros", "He"):
        for what in ("cost, iteration 0", "cost, iteration 14,000"):
            assert classic.data["relative"][name, what] < 1e-12, (name, what)
    assert classic.data["relative"]["randn*10", "cost, iteration 14,000"] < 1e-3
    for name, (_, _, acc, acc_test) in ex.CLASSIC_PUBLISHED.items():
        net = classic.data["net"][name]
        assert round(net.score(classic.data["X"], classic.data["y"]) * 300) == round(acc * 300)
        assert round(net.score(classic.data["X_test"], classic.data["y_test"]) * 100) == round(acc_test * 100)
    assert len(classic.rows) == 12 and classic.columns[:2] == ("init", "quantity")


def test_classic_untrained_nets_are_the_draws_before_training(classic):
    untrained = classic.data["untrained"]["He"]
    fresh = il.MLP([2, 10, 5, 1], activation="relu", output="sigmoid",
                   init=il.initializers.get("kaiming_normal", nonlinearity="relu"), seed=np.random.RandomState(3))
    for W, V in zip(untrained.weights, fresh.weights, strict=True):
        np.testing.assert_array_equal(W, V)
    assert untrained.cost(classic.data["X"], classic.data["y"]) == classic.data["hist"]["He"].cost[0]


@pytest.mark.parametrize("kwargs, error", [({"seed": "3"}, TypeError), ({"seed": -1}, TypeError),
                                           ({"seed": True}, TypeError), ({"epochs": 100}, ValueError),
                                           ({"lr": 0.0}, ValueError)])
def test_classic_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        ex.classic_assignment(**kwargs)


def test_glorot_profiles_follow_the_variance_recursion():
    t = ex.glorot_profiles(width=400, m=100, seed=1)
    # tanh near 0 is linear: standard U(+-1/sqrt(n)) multiplies the variance by 1/3 per layer
    for key in ("a_std", "grad_a_std"):
        assert t.data["growth", key, "standard"] == pytest.approx(1 / 3, rel=0.12)
        assert t.data["growth", key, "normalized"] == pytest.approx(1.0, rel=0.12)
    s = t.data["a_std", "standard"]
    assert t.data["growth", "a_std", "standard"] == pytest.approx((s[-1] / s[0]) ** 0.5)
    assert t.column("layer")[-1] == "growth factor" and len(t.rows) == 6
    assert len(t.data["acts"]["standard"]) == 5 and t.data["acts"]["standard"][0].shape == (100, 400)


def test_glorot_training_table_and_seeds(small_runs):
    glorot, _ = small_runs
    assert glorot.column("standard")[:3] == tuple(s for s, _ in ex.GLOROT_TABLE1.values())
    assert glorot.data["error"]["standard"].shape == (2,) and glorot.data["better"].n == 2
    again = ex.glorot_training(width=16, hidden=3, epochs=1, seed=range(2))
    np.testing.assert_array_equal(again.data["error"]["normalized"], glorot.data["error"]["normalized"])
    other = ex.glorot_training(width=16, hidden=3, epochs=1, seed=range(2, 4))
    assert not np.array_equal(other.data["error"]["normalized"], glorot.data["error"]["normalized"])


def test_he_ratio_is_exact_for_the_same_draws_by_homogeneity():
    t = ex.he_ratio(depth=12, width=50, seed=3, layers=(1, 6, 12))
    np.testing.assert_allclose(t.data["xavier"] / t.data["he"], 2.0 ** (-np.arange(1, 13) / 2), rtol=1e-12)
    assert t.data["deviation"].max() < 1e-12 and t.column("layer") == (1, 6, 12)
    assert t.column("2^(-L/2)") == pytest.approx(2.0 ** (-np.array([1, 6, 12]) / 2))
    # independent draws: not exact, but within a small factor
    assert not np.allclose(t.data["other"], 1.0, rtol=1e-6) and 0.25 < t.data["other"].min()


def test_he_ratio_needs_an_int_seed():
    # a Generator would be consumed by the first init, and the "same draws" would not be the same
    with pytest.raises(TypeError, match="seed"):
        ex.he_ratio(depth=3, width=10, seed=np.random.default_rng(0))


@pytest.mark.parametrize("layers", [(), (0,), (13,), (1.5,)])
def test_he_ratio_rejects_bad_layers(layers):
    with pytest.raises(ValueError, match="layers"):
        ex.he_ratio(depth=12, width=10, layers=layers)


def test_he_stall_table(small_runs):
    _, stall = small_runs
    assert stall.columns == ("init", "cost, epoch 0", "cost, epoch 1", "test accuracy", ">= twice chance")
    assert set(stall.data["acc"]) == {"Xavier", "He"} and stall.data["acc"]["He"].shape == (2,)
    hist = stall.data["hist"]["He (he_normal)"]
    assert stall.rows[1][1] == pytest.approx(np.median(hist.cost[0]))
    with pytest.raises(ValueError, match="depth"):
        ex.he_stall(depth=1)
    with pytest.raises(TypeError, match="width"):
        ex.he_stall(width=6.4)


def test_published_results_rows(classic, small_runs):
    glorot, stall = small_runs
    t = ex.published_results(classic, glorot, stall, seed=range(2))
    assert len(t.rows) == 3 + len(ex.BEYOND_THE_NOTES)
    he_cost = classic.data["hist"]["He"].cost[14000]
    assert il.fmt(he_cost, 4) in t.column("we measure")[0]
    assert glorot.data["better"].k_of_n in t.column("we measure")[1]
    assert t.column("chapter") == ("7",) * 3 + tuple(str(row[3]) for row in ex.BEYOND_THE_NOTES)
    # a row with a measuring function shows chapter 8's experiment, run here at a cheap setting
    saxe = ex.saxe_depth(depths=(1, 16), width=16, max_steps=100, seed=range(2)).data["steps"]
    measured = t.column("we measure")[3]
    assert f"median {il.fmt(float(np.median(saxe['orthogonal', 16])), 2)} steps at depth 16" in measured
    unmeasured = [row[0] for row in ex.BEYOND_THE_NOTES if row[4] is None]
    for paper, text in zip(t.column("paper")[3:], t.column("we measure")[3:]):
        assert (text.startswith("measured in chapter")) == (paper in unmeasured), paper
    with pytest.raises(TypeError, match="glorot"):
        ex.published_results(classic, stall, stall)
    with pytest.raises(TypeError, match="classic"):
        ex.published_results(None, glorot, stall)


def test_relu_standard_ratio_exercise():
    # nn.Linear's default U(+-1/sqrt(n)) in ReLU layers: variance x (1/3) x (1/2) per layer
    p = il.variance_profile(depth=10, width=500, activation="relu", init="glorot_standard", m=200, seed=0)
    answer = float(np.mean(p["a_std"][1:] / p["a_std"][:-1]))
    exercise = EXERCISES["c7_relu_standard_ratio"]
    assert exercise.is_correct(answer) and exercise.is_correct(np.sqrt(1 / 6))
    for wrong in (1 / np.sqrt(3), 1 / np.sqrt(2), 1 / 6, 1.0):
        assert not exercise.is_correct(wrong), wrong


def test_module_lists_its_experiments():
    for module in (assignment, published):
        for name in module.__all__:
            assert getattr(il.experiments, name) is getattr(module, name)
