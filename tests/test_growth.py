"""Chapter 4's growth factors: the variance recursion against theory and against a measured network."""
import numpy as np
import pytest

import initlab as il
from initlab.experiments import growth_factor, growth_factors


def test_growth_factor_is_the_mean_variance_ratio_per_layer():
    std = 3.0 * 2.0 ** (np.arange(11) / 2)  # variance doubles at every layer
    assert growth_factor(std) == pytest.approx(2.0, rel=1e-12)
    assert growth_factor(std[::-1]) == pytest.approx(0.5, rel=1e-12)
    ensemble = np.stack([std, std ** 0.5])
    np.testing.assert_allclose(growth_factor(ensemble), [2.0, np.sqrt(2.0)], rtol=1e-12)
    np.testing.assert_allclose(growth_factor(ensemble.T, axis=0), [2.0, np.sqrt(2.0)], rtol=1e-12)


@pytest.mark.parametrize("std", [1.0, [2.0], np.ones((3, 1))])
def test_growth_factor_needs_two_layers(std):
    with pytest.raises(ValueError, match="at least 2 layers"):
        growth_factor(std)


@pytest.mark.parametrize("activation, factor, forward", [("linear", 1.3, 1.69), ("relu", 1.0, 0.5),
                                                          ("relu", np.sqrt(2), 1.0), ("linear", 0.5, 0.25)])
def test_prediction_is_the_derived_factor(activation, factor, forward):
    # linear: sigma_w2 = lambda^2; relu: sigma_w2 / 2, forward and backward alike
    init = il.initializers.get("variance_scaling", distribution="untruncated_normal") * factor
    t = growth_factors({"x": init}, activation=activation, depth=12, width=64, m=50, seed=0)
    assert t.column("σ_w²")[0] == pytest.approx(factor**2, rel=1e-12)
    assert t.column("forward predicted")[0] == pytest.approx(forward, rel=1e-9)
    assert t.column("backward predicted")[0] == pytest.approx(forward, rel=1e-9)
    np.testing.assert_allclose(t.data["forward_predicted"]["x"], forward, rtol=1e-9)


def test_tanh_prediction_is_theorys_variance_recursion():
    t = growth_factors("lecun_normal", activation="tanh", depth=40, width=32, m=20, seed=0)
    q = il.theory.variance_recursion(40, q1=1.0, sigma_w2=1.0, activation="tanh")
    np.testing.assert_allclose(t.data["z_std_predicted"]["lecun_normal"] ** 2, q, rtol=1e-12)
    assert t.column("forward predicted")[0] == pytest.approx((q[-1] / q[0]) ** (1 / 39), rel=1e-12)
    # backward: E[tanh'(z)^2] < 1 at every q > 0, and about 1 - 2q for small q
    back = t.data["backward_predicted"]["lecun_normal"]
    assert np.all(back < 1) and back[-1] == pytest.approx(1 - 2 * q[-1], abs=3 * q[-1] ** 2 * 10)


def test_measured_pass_equals_variance_profile():
    # the same draws in the same order as il.variance_profile: an independent forward and backward
    t = growth_factors("he_normal", activation="relu", depth=8, width=40, m=60, seed=3)
    p = il.variance_profile(8, 40, "relu", "he_normal", m=60, seed=3)
    np.testing.assert_allclose(t.data["z_std"]["he_normal"], p["z_std"], rtol=1e-10)
    np.testing.assert_allclose(t.data["grad_a_std"]["he_normal"], p["grad_a_std"], rtol=1e-10)


@pytest.mark.parametrize("activation, init", [("relu", "he_normal"), ("relu", "lecun_normal"),
                                              ("tanh", "lecun_normal"), ("linear", "glorot_uniform")])
def test_measured_follows_predicted_in_a_wide_network(activation, init):
    t = growth_factors(init, activation=activation, depth=20, width=256, m=200, seed=0)
    for way in ("forward", "backward"):
        assert t.column(f"{way} measured")[0] == pytest.approx(t.column(f"{way} predicted")[0], rel=0.06)


def test_fan_in_keeps_forward_fan_out_keeps_backward():
    fan_out = il.initializers.get("variance_scaling", mode="fan_out")
    t = growth_factors({"in": "lecun_normal", "out": fan_out, "avg": "glorot_normal"}, activation="linear",
                       layer_sizes=[50, 100, 200, 400], m=100, seed=0)
    np.testing.assert_allclose(t.column("forward predicted"), [1, 0.5, 2 / 3], rtol=1e-12)
    np.testing.assert_allclose(t.column("backward predicted"), [2, 1, 4 / 3], rtol=1e-12)
    np.testing.assert_allclose(t.column("backward measured"), [2, 1, 4 / 3], rtol=0.06)
    assert list(t.data["layer"]) == [2, 3]


def test_seed_reproduces_and_changes_the_measurement():
    a, b, c = (growth_factors("he_normal", depth=6, width=30, m=40, seed=s) for s in (5, 5, 6))
    assert str(a) == str(b) and a.column("forward measured") == b.column("forward measured")
    assert a.column("forward measured") != c.column("forward measured")
    assert a.column("forward predicted") == c.column("forward predicted")


def test_labels_and_caption():
    t = growth_factors(["he_normal", il.initializers.get("orthogonal")], depth=3, width=8, m=10)
    assert t.column("initializer") == ("he_normal", "orthogonal(gain=1.0)")
    assert "relu, 3 layers of 8 units" in t.caption and "Var(z[l]) / Var(z[l-1])" in t.caption


@pytest.mark.parametrize("kwargs, error, match", [
    ({"init": 3}, TypeError, "init must be"),
    ({"init": "nope"}, ValueError, "nope"),
    ({"init": []}, ValueError, "at least one"),
    ({"init": "he_normal", "depth": 1}, ValueError, "depth"),
    ({"init": "he_normal", "layer_sizes": [4, 4]}, ValueError, "layer_sizes"),
    ({"init": "he_normal", "layer_sizes": [4, 0, 4]}, ValueError, "layer size"),
    ({"init": "he_normal", "activation": "swish"}, ValueError, "swish"),
    ({"init": "he_normal", "m": 0}, ValueError, "m"),
    ({"init": "he_normal", "seed": -1}, ValueError, "seed"),
])
def test_bad_arguments_name_the_value(kwargs, error, match):
    with pytest.raises(error, match=match):
        growth_factors(**{"depth": 3, "width": 4, **kwargs})
