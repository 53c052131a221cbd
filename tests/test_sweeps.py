"""Chapter 3's experiments: variance_profile's bias and statistics, scale_sweep, bias_study, fan_modes."""
import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import initlab as il
from initlab.experiments import SIX_INITS, bias_study, fan_modes, scale_sweep


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def test_variance_profile_bias_sets_the_mean():
    # zero weights: every pre-activation is the bias itself, whatever the input
    r = il.variance_profile(4, 10, "linear", "zeros", bias=0.5, m=20)
    np.testing.assert_allclose(r["a_mean"], 0.5, rtol=1e-15)
    np.testing.assert_allclose(r["z_std"], 0.0, atol=1e-15)
    t = il.variance_profile(4, 10, "tanh", "zeros", bias=0.5, m=20)
    np.testing.assert_allclose(t["a_mean"], np.tanh(0.5), rtol=1e-15)


def test_variance_profile_with_bias_matches_a_handwritten_loop():
    depth, width, m, b = 5, 20, 30, 0.3
    r = il.variance_profile(depth, width, "tanh", "glorot_normal", m=m, seed=2, bias=b)
    rng = np.random.default_rng(2)
    a = rng.standard_normal((m, width))
    for l in range(depth):
        z = a @ il.initializers.get("glorot_normal")((width, width), rng).T + b
        a = np.tanh(z)
        assert r["z_std"][l] == pytest.approx(z.std(), rel=1e-10)
        assert r["a_mean"][l] == pytest.approx(a.mean(), rel=1e-10)
        assert r["saturation"][l] == pytest.approx(np.mean(np.abs(a) > 0.97), abs=1e-15)


def test_variance_profile_bias_zero_is_the_old_profile():
    a = il.variance_profile(6, 30, "tanh", seed=5)
    b = il.variance_profile(6, 30, "tanh", seed=5, bias=0.0)
    for key in ("a_std", "z_std", "grad_a_std"):
        np.testing.assert_array_equal(a[key], b[key])


def test_variance_profile_saturation():
    big = il.variance_profile(10, 200, "tanh", "normal", m=100)  # z ~ 14: nearly all at +-1
    assert np.all(big["saturation"] > 0.7)
    lin = il.variance_profile(10, 200, "linear", "normal", m=100)
    assert np.all(lin["saturation"] == 0)


def test_scale_sweep_is_the_profiles_per_seed():
    sweep = scale_sweep(depth=6, width=20, m=30, seed=range(3))
    assert sweep.column("initializer") == tuple(SIX_INITS)
    for name, init in SIX_INITS.items():
        assert sweep.data["a_std"][name].shape == sweep.data["grad_a_std"][name].shape == (3, 6)
        for s in range(3):
            p = il.variance_profile(6, 20, "tanh", init, m=30, seed=s)
            np.testing.assert_array_equal(sweep.data["a_std"][name][s], p["a_std"])
            np.testing.assert_array_equal(sweep.data["grad_a_std"][name][s], p["grad_a_std"])
    row = sweep.column("initializer").index("LeCun N(0, 1/n_in)")
    lecun = sweep.data["a_std"]["LeCun N(0, 1/n_in)"]
    assert sweep.column("std a[6]")[row] == pytest.approx(np.median(lecun[:, -1]), rel=1e-12)
    g = sweep.data["grad_a_std"]["LeCun N(0, 1/n_in)"]
    assert sweep.rows[row][-1] == pytest.approx(np.median(g[:, 0] / g[:, -1]), rel=1e-12)
    # n_in Var(W) from the formulas: N(0, 1) is n, LeCun 1, the standard init 1/3, N(0, 0.01^2) n 1e-4
    np.testing.assert_allclose(sweep.column("n_in Var(W)"), [20, 1 / 3, 1, 1, 1, 20e-4], rtol=1e-12)


def test_scale_sweep_verdicts_and_custom_inits():
    sweep = scale_sweep(depth=30, width=100, m=100, seed=range(2))
    a = dict(zip(sweep.column("initializer"), sweep.column("std a[30]")))
    assert a["N(0, 1)"] > 0.9 and a["standard U(±1/√n_in)"] < 1e-5 and a["N(0, 0.01²)"] < 1e-30
    assert 0.07 < a["LeCun N(0, 1/n_in)"] < 0.2   # about 1/sqrt(2 l) (chapter 4)
    mine = scale_sweep(depth=3, width=10, m=10, seed=0, inits={"He": "he_normal"})
    assert mine.column("initializer") == ("He",) and mine.column("n_in Var(W)")[0] == pytest.approx(2.0)
    assert mine.data["a_std"]["He"].shape == (1, 3)


def test_scale_sweep_seeds_reproduce():
    a = scale_sweep(depth=4, width=10, m=10, seed=range(2))
    b = scale_sweep(depth=4, width=10, m=10, seed=[0, 1])
    c = scale_sweep(depth=4, width=10, m=10, seed=[0, 2])
    assert a.rows == b.rows and a.rows != c.rows


def test_bias_study():
    t = bias_study(bias=0.5, depth=20, width=50, m=50, seed=range(2))
    assert t.column("network") == ("tanh, b = 0", "tanh, b = 0.5", "sigmoid, b = 0")
    mean = dict(zip(t.column("network"), t.column("mean a[20]")))
    assert abs(mean["tanh, b = 0"]) < 0.02 and 0.25 < mean["tanh, b = 0.5"] < 0.5
    assert mean["sigmoid, b = 0"] == pytest.approx(0.5, abs=0.02)
    ratio = dict(zip(t.column("network"), t.column("std dJ/da[1] / std dJ/da[20]")))
    assert ratio["tanh, b = 0.5"] < ratio["tanh, b = 0"] / 10 and ratio["sigmoid, b = 0"] < 1e-8
    tiny = bias_study(bias=1e-12, depth=5, width=10, m=10, seed=0)   # the same networks, all but shifted
    np.testing.assert_allclose(tiny.rows[0][2:], tiny.rows[1][2:], rtol=1e-9)
    with pytest.raises(ValueError, match="bias must be nonzero"):
        bias_study(bias=0)
    with pytest.raises(TypeError, match="bias must be a real number"):
        bias_study(bias="0.5")


def test_fan_modes_follow_the_formulas():
    widths = (40, 200, 60, 200, 20)  # the backward signal spans only 20 directions: ~5% noise
    t = fan_modes(widths=widths, m=2000, seed=1)
    n_in, n_out = np.array(widths[:-1]), np.array(widths[1:])
    var = {"fan_in (LeCun)": 1 / n_in, "fan_out": 1 / n_out, "fan_avg (Glorot & Bengio)": 2 / (n_in + n_out)}
    for label, r in t.data.items():
        np.testing.assert_allclose(r["fwd_predicted"], n_in * var[label], rtol=1e-12)
        np.testing.assert_allclose(r["bwd_predicted"], n_out * var[label], rtol=1e-12)
        np.testing.assert_allclose(r["fwd"], r["fwd_predicted"], rtol=0.2)
        np.testing.assert_allclose(r["bwd"], r["bwd_predicted"], rtol=0.2)
    fwd, pred_fwd = dict(zip(t.column("rule"), t.column("forward"))), t.column("forward predicted")
    assert pred_fwd[0] == pytest.approx(1.0) and t.column("backward predicted")[1] == pytest.approx(1.0)
    assert fwd["fan_out"] == pytest.approx(widths[0] / widths[-1], rel=0.2)


def test_fan_modes_reproducible_and_checked():
    assert fan_modes(seed=3).rows == fan_modes(seed=3).rows != fan_modes(seed=4).rows
    with pytest.raises(ValueError, match="at least 2 sizes"):
        fan_modes(widths=(10,))
    with pytest.raises(TypeError, match="width must be an int"):
        fan_modes(widths=(10, 2.5))


def test_sweeps_are_silent_when_profiles_diverge():
    huge = {"huge": il.initializers.get("normal", std=1e3)}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = scale_sweep(activation="relu", depth=80, width=50, m=10, seed=range(2), inits=huge)
    assert not np.isfinite(t.data["a_std"]["huge"][:, -1]).any()
    assert not np.isfinite(t.rows[0][3])
