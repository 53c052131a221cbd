"""Chapter 5's experiments: kurtosis, the shifted sigmoid, and each experiment against theory or a direct count."""
import numpy as np
import pytest
from scipy.special import expit
from scipy.stats import kurtosis as scipy_kurtosis

import initlab as il

E = il.experiments
SEEDS = range(2)


def test_kurtosis_matches_scipy_and_the_known_shapes():
    rng = np.random.default_rng(0)
    v = rng.standard_normal((3, 4000))
    np.testing.assert_allclose(E.kurtosis(v, axis=1), scipy_kurtosis(v, axis=1, fisher=False), rtol=1e-12)
    assert abs(E.kurtosis(rng.uniform(-1, 1, 200_000)) - 1.8) < 0.02
    assert abs(E.kurtosis(5 + 3 * rng.standard_normal(200_000)) - 3) < 0.05  # shift and scale free


@pytest.mark.parametrize("slope, mean", [(0.25, 0.5), (0.25, 0.0), (1.0, 0.5), (1.0, 0.0), (2.0, -1.0)])
def test_shifted_sigmoid_has_the_asked_slope_and_value(slope, mean):
    g = il.activations.get(E.shifted_sigmoid(slope, mean))
    z = np.linspace(-6, 6, 1001)
    a = g(z)
    assert abs(g(np.zeros(1))[0] - mean) < 1e-15
    h = 1e-6
    np.testing.assert_allclose(g.derivative(z, a), (g(z + h) - g(z - h)) / (2 * h), rtol=1e-6, atol=1e-9)
    assert abs(g.derivative(np.zeros(1), g(np.zeros(1)))[0] - slope) < 1e-12
    sat = g.saturated(np.array([-10.0, 0.0, 10.0]), g(np.array([-10.0, 0.0, 10.0])))
    assert sat.tolist() == [True, False, True]


def test_shifted_sigmoid_special_cases():
    z = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(E.shifted_sigmoid(0.25, 0.5)(z), expit(z), atol=1e-15)
    np.testing.assert_allclose(E.shifted_sigmoid(0.25, 0.0)(z), np.tanh(z / 2) / 2, atol=1e-15)
    np.testing.assert_allclose(E.shifted_sigmoid(1.0, 0.0)(z), 2 * np.tanh(z / 2), atol=1e-14)


@pytest.mark.parametrize("kwargs, error", [({"slope": 0, "mean": 0}, ValueError),
                                           ({"slope": -1, "mean": 0}, ValueError),
                                           ({"slope": "1", "mean": 0}, TypeError),
                                           ({"slope": 1, "mean": None}, TypeError)])
def test_shifted_sigmoid_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error, match="slope|mean"):
        E.shifted_sigmoid(**kwargs)


def test_init_scales_zero_row_and_the_per_layer_factor():
    t = E.init_scales(depth=4, width=50, seed=SEEDS)
    assert t.column("init")[0] == "zeros"
    assert t.column("a std, layer 4")[0] == 0 and t.column("dJ/dW std, layer 1")[0] == 0
    assert t.column("cost at init")[0] == pytest.approx(np.log(10), abs=1e-12)  # uniform output
    np.testing.assert_allclose(t.column("σ√n"), [0, 0.1, 1, 10], rtol=1e-12)
    # sigma sqrt(n) = 0.1: tanh is linear there, each layer multiplies the activation std by about 0.1
    a = np.median(t.data[t.column("init")[1]]["a_std"], axis=0)
    np.testing.assert_allclose(a[1:] / a[:-1], 0.1, rtol=0.1)
    assert t.column("cost at init")[3] > 5 > t.column("cost at init")[2]


def test_tanh_gain_cost_at_init_is_the_cost_before_training():
    t = E.tanh_gain(depth=3, width=30, gains=(1.0, 5 / 3), lrs=(0.01, 0.1), epochs=1, seed=SEEDS)
    X, y, _, _ = il.datasets.digits(seed=0)
    for g, cost in zip((1.0, 5 / 3), t.column("cost at init")):
        net = il.MLP([64, 30, 30, 30, 10], activation="tanh", output="softmax",
                     init=il.initializers.get("xavier_normal", gain=g), seed=SEEDS)
        assert cost == pytest.approx(np.median(net.cost(X, y)), rel=1e-12)
        for lr in (0.01, 0.1):  # each learning rate trains the same initial nets
            np.testing.assert_allclose(t.data[f"gain {g:.3g}"]["cost"][lr][0], net.cost(X, y), rtol=1e-12)
    a1, a53 = (np.median(t.data[k]["a_std"], axis=0) for k in ("gain 1", "gain 1.67"))
    assert np.all(a53 > a1)  # a larger gain, larger activations in every layer
    assert t.column("a std, layer 1") == (np.median(t.data["gain 1"]["a_std"][:, 0]), np.median(a53[0]))
    assert t.column("a std, layer 3") == (a1[-1], a53[-1])
    assert t.column("init") == ("gain 1", "gain 1.67")


def test_sigmoid_slope_mean_signal_shrinks_by_the_slope():
    t = E.sigmoid_slope_mean(depth=3, width=100, lr=0.1, epochs=1, seed=SEEDS)
    assert t.column("g'(0)") == (0.25, 0.25, 1.0, 1.0) and t.column("g(0)") == (0.5, 0.0, 0.5, 0.0)
    s = t.data["sigmoid(z) - 1/2"]["signal"]
    np.testing.assert_allclose(s[:, 1:] / s[:, :-1], 0.25, rtol=0.15)  # n Var(w) = 1: the slope
    assert np.all(t.data["4 sigmoid(z) - 2"]["signal"][:, -1] > 50 * s[:, -1])


def _dead_by_hand(net, X):
    """Fraction of hidden units with z <= 0 on every row of X, per seed and layer, from the weights."""
    out = []
    for k in range(net.n_members):
        a, fracs = X, []
        for W, b in zip(net.weights[:-1], net.biases[:-1]):
            z = a @ W[k].T + b[k]
            fracs.append(np.mean(np.all(z <= 0, axis=0)))
            a = np.maximum(z, 0)
        out.append(fracs)
    return np.array(out)


def test_dead_units_match_a_direct_count_and_do_not_depend_on_the_scale():
    t = E.dead_units(depth=3, width=50, seed=SEEDS)
    X = il.datasets.digits(seed=0)[0]
    net = il.MLP([64, 50, 50, 50, 10], activation="relu", output="softmax", init="he_normal", seed=SEEDS)
    np.testing.assert_array_equal(t.data["dead"]["he_normal"], _dead_by_hand(net, X))
    assert t.column("same as he_normal") == ("2 of 2 seeds",) * 3 + ("0 of 2 seeds",)


def test_dead_units_training_counts_and_reproducibility():
    kw = dict(lrs=(0.1,), depth=2, width=30, epochs=1, seed=SEEDS)
    t, again = E.dead_units_training(**kw), E.dead_units_training(**kw)
    np.testing.assert_array_equal(t.data[0.1]["after"], again.data[0.1]["after"])
    d = t.data[0.1]
    assert t.column("fewer dead units")[0] == f"{int(np.sum(d['after'] < d['before']))} of 2 seeds"
    assert t.column("more dead units")[0] == f"{int(np.sum(d['after'] > d['before']))} of 2 seeds"
    np.testing.assert_array_equal(d["before"], E.dead_units(depth=2, width=30, seed=SEEDS)
                                  .data["dead"]["he_normal"].mean(axis=1))


def test_an_int_seed_is_an_ensemble_of_one():
    t = E.dead_units(depth=2, width=20, seed=3)
    assert t.data["dead"]["he_normal"].shape == (1, 2) and t.column("same as he_normal")[0] == "1 of 1 seed"


def test_init_shapes_kurtosis_and_seeds_reproduce():
    t = E.init_shapes(epochs=1, seed=SEEDS)
    kW = t.column("kurtosis W[2]")
    assert abs(kW[0] - 1.8) < 0.05 and abs(kW[1] - 3) < 0.1
    again = E.init_shapes(epochs=1, seed=SEEDS)
    assert t.column("test accuracy") == again.column("test accuracy")
    net = il.MLP([64, 100, 100, 100, 10], activation="tanh", output="softmax", init="glorot_normal", seed=SEEDS)
    assert kW[3] == pytest.approx(np.median(E.kurtosis(net.weights[1], axis=(1, 2))), rel=1e-12)


@pytest.mark.parametrize("call, error", [
    (lambda: E.init_scales(depth=0), ValueError),
    (lambda: E.tanh_gain(lrs=(-0.1,)), ValueError),
    (lambda: E.tanh_gain(gains=(0,)), ValueError),
    (lambda: E.sigmoid_slope_mean(epochs="2"), TypeError),
    (lambda: E.dead_units(width=1.5), TypeError),
    (lambda: E.dead_units_training(lrs=(0,)), ValueError),
    (lambda: E.init_shapes(epochs=0), ValueError),
])
def test_bad_arguments_name_the_value(call, error):
    with pytest.raises(error):
        call()


def test_check_answers_for_chapter_5(capsys):
    il.check("c5_leaky_he_std", il.initializers.get("kaiming_normal", a=0.2, nonlinearity="leaky_relu").std((100, 100)))
    il.check("c5_he_uniform_limit", 6 ** 0.5 / 16)
    il.check("c5_he_uniform_limit", np.sqrt(2 / 256))  # the normal's std, not the limit
    assert capsys.readouterr().out.split("\n")[:2] == ["correct", "correct"]
