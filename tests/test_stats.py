"""layer_stats and the experiments: variance profiles, deep linear chains, random matrix chains."""
import warnings

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import initlab as il

FORWARD = {"z_mean", "z_std", "a_mean", "a_std", "saturation", "dead"}
BACKWARD = {"grad_a_std", "grad_W_std"}


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    # the profiles multiply 200 x 200 matrices; on a busy 2-core machine OpenBLAS threads
    # spinning against each other make them 10x slower than one thread
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def net_and_data():
    rng = np.random.default_rng(0)
    net = il.MLP([5, 12, 9, 7, 3], activation=["tanh", "relu", "sigmoid"], output="softmax",
                 init="glorot_normal", seed=rng)
    for b in net.biases:
        b[...] = rng.normal(0.2, 0.5, b.shape)
    X = rng.standard_normal((40, 5)) * 2
    y = rng.integers(0, 3, 40)
    return net, X, y


# ---------------------------------------------------------------- layer_stats


def test_layer_stats_keys_and_shapes(net_and_data):
    net, X, y = net_and_data
    forward = il.layer_stats(net, X)
    assert set(forward) == FORWARD
    full = il.layer_stats(net, X, y)
    assert set(full) == FORWARD | BACKWARD
    for stats in (forward, full):
        for key, value in stats.items():
            assert value.shape == (net.n_layers,), key
            assert np.all(np.isfinite(value)), key
    for key in FORWARD:
        np.testing.assert_array_equal(forward[key], full[key])


def test_layer_stats_match_numpy(net_and_data):
    net, X, y = net_and_data
    stats = il.layer_stats(net, X, y)
    zs, acts = net.forward_all(X)
    _, grads = net.backward(X, y)
    for name, arrays in [("z", zs), ("a", acts)]:
        np.testing.assert_allclose(stats[f"{name}_std"], [np.std(v) for v in arrays], rtol=1e-10)
        np.testing.assert_allclose(stats[f"{name}_mean"], [np.mean(v) for v in arrays], rtol=1e-10)
    np.testing.assert_allclose(stats["grad_a_std"], [np.std(g) for g in grads["a"]], rtol=1e-10)
    np.testing.assert_allclose(stats["grad_W_std"], [np.std(g) for g in grads["W"]], rtol=1e-10)
    # the output entry of grad_a_std is the std of d cost / d z_L
    assert stats["grad_a_std"][-1] == pytest.approx(np.std(grads["z"][-1]), rel=1e-10)


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_saturation_and_dead_match_numpy(output):
    rng = np.random.default_rng(5)
    n_out = 3 if output == "softmax" else 1
    net = il.MLP([4, 10, 6, n_out], activation=["tanh", "relu"], output=output, seed=rng)
    net.weights[-1] *= 8  # some outputs confident, others not
    X = rng.standard_normal((60, 4)) * 1.5
    stats = il.layer_stats(net, X)
    zs, acts = net.forward_all(X)
    out = acts[-1]
    masks = [np.abs(acts[0]) > 0.97, zs[1] <= 0]
    if output == "sigmoid":
        masks.append(np.abs(2 * out - 1) > 0.97)
    elif output == "softmax":  # a confident example saturates its whole softmax row
        masks.append(np.repeat(out.max(axis=1, keepdims=True) > 0.97, n_out, axis=1))
    else:
        masks.append(np.zeros(out.shape, dtype=bool))
    np.testing.assert_array_equal(stats["saturation"], [m.mean() for m in masks])
    np.testing.assert_array_equal(stats["dead"], [m.all(axis=0).mean() for m in masks])
    if output != "linear":
        assert 0 < stats["saturation"][-1] < 1


def test_layer_stats_float32_net():
    rng = np.random.default_rng(1)
    net = il.MLP([4, 16, 1], activation="tanh", dtype=np.float32, seed=rng)
    X = rng.standard_normal((30, 4))
    stats = il.layer_stats(net, X)
    acts = net.forward_all(X)[1]
    np.testing.assert_allclose(stats["a_std"], [np.std(a.astype(np.float64)) for a in acts], rtol=1e-7)


def test_dead_relu_layer():
    rng = np.random.default_rng(2)
    net = il.MLP([3, 10, 8, 1], activation="relu", init="he_normal", seed=rng)
    X = rng.standard_normal((200, 3))
    healthy = il.layer_stats(net, X)
    assert healthy["dead"][0] == 0.0 and 0.2 < healthy["saturation"][0] < 0.8
    net.biases[1][:] = -1e3  # every unit of layer 2 is negative on every example
    stats = il.layer_stats(net, X)
    assert stats["dead"][1] == 1.0 and stats["saturation"][1] == 1.0
    assert stats["a_mean"][1] == 0.0 and stats["a_std"][1] == 0.0
    assert stats["dead"][0] == healthy["dead"][0]  # the layer below is untouched
    # half dead: 4 of 8 units
    net.biases[1][:4] = 0.0
    assert il.layer_stats(net, X)["dead"][1] <= 0.5
    net.biases[1][4:] = -1e3
    net.biases[1][:4] = 1e3
    assert il.layer_stats(net, X)["dead"][1] == 0.5


def test_tanh_saturation():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((300, 20))
    big = il.MLP([20, 50, 50, 1], activation="tanh", init=il.initializers.get("normal", std=10), seed=4)
    stats = il.layer_stats(big, X)
    assert np.all(stats["saturation"][:2] > 0.9)
    acts = big.forward_all(X)[1]
    for l in range(2):
        assert stats["saturation"][l] == np.mean(np.abs(acts[l]) > 0.97)
    sane = il.MLP([20, 50, 50, 1], activation="tanh", init="glorot_normal", seed=4)
    assert np.all(il.layer_stats(sane, X)["saturation"][:2] < 0.2)


@pytest.mark.parametrize("case", ["constant output", "offset layer"])
def test_std_of_layers_far_from_zero_mean(case):
    X, y, _, _ = il.datasets.circles(seed=0)
    if case == "constant output":
        # zero init, tanh: the hidden layers stay 0 and every example gets the same output;
        # the chapter on symmetry plots these stds on a log axis
        net = il.MLP([2, 6, 5, 1], activation="tanh", init="zeros", seed=0)
        il.fit(net, X, y, lr=0.5, epochs=5)
    else:
        net = il.MLP([2, 6, 5, 1], activation="relu", init="he_normal", seed=0)
        net.biases[0][:] = 1e4  # activations near 1e4 with a spread of about 1
    stats = il.layer_stats(net, X)
    zs, acts = net.forward_all(X)
    for name, arrays in [("z", zs), ("a", acts)]:
        expected = np.array([np.std(v) for v in arrays])
        np.testing.assert_allclose(stats[f"{name}_std"], expected, rtol=1e-10, atol=1e-14)


# ---------------------------------------------------------------- variance_profile


def test_variance_profile_tanh_glorot_decays_slowly():
    r = il.variance_profile(50, 200, "tanh", "glorot_normal", m=200)
    assert set(r) >= {"a_std", "z_std", "grad_a_std", "input_std", "diverged"}
    assert r["a_std"].shape == r["z_std"].shape == r["grad_a_std"].shape == (50,)
    assert not r["diverged"]
    a = r["a_std"]
    # Var(W) = 1/n keeps the linear part of tanh at gain 1; the cubic term makes the variance
    # decay like 1/(2 l) (mean field: q <- q - 2 q^2), not exponentially
    l = np.arange(1, 51)
    assert np.all((0.7 < a * np.sqrt(2 * l)) & (a * np.sqrt(2 * l) < 1.3))
    assert a[9:].max() / a[9:].min() < 3
    assert 0.05 < a[-1] < 0.2


def test_variance_profile_tanh_saturates_or_vanishes():
    big = il.variance_profile(50, 200, "tanh", "normal", m=200)  # N(0, 1) with 200 inputs: z ~ 14
    assert np.all(big["a_std"] > 0.95)  # saturated at +-1
    small = il.variance_profile(50, 200, "tanh", "glorot_normal", factor=0.1, m=200)
    assert small["a_std"][-1] < 1e-10
    # near 0 tanh is linear: each layer multiplies the std by the factor
    ratio = small["a_std"][20:] / small["a_std"][19:-1]
    np.testing.assert_allclose(ratio, 0.1, rtol=0.1)
    assert small["grad_a_std"][0] < 1e-40  # and gradients vanish the same way going back


def test_variance_profile_relu_he_versus_glorot():
    he = il.variance_profile(31, 200, "relu", "he_normal", m=200)
    glorot = il.variance_profile(31, 200, "relu", "glorot_normal", m=200)
    assert he["z_std"].max() / he["z_std"].min() < 3
    assert he["grad_a_std"].max() / he["grad_a_std"].min() < 3
    decay = glorot["z_std"][30] / glorot["z_std"][0]
    assert 2**-15 / 3 < decay < 2**-15 * 3
    # same seed, same standard-normal draws: glorot's W is he's divided by sqrt(2) and relu is
    # positively homogeneous, so the ratio is exactly (1/sqrt(2))^l (He et al. 2015)
    l = np.arange(1, 32)
    np.testing.assert_allclose(glorot["z_std"] / he["z_std"], 2.0 ** (-l / 2), rtol=1e-12)
    np.testing.assert_allclose(glorot["grad_a_std"] / he["grad_a_std"], 2.0 ** (-(31 - l) / 2),
                               rtol=1e-12)


@pytest.mark.parametrize("activation,init,factor", [("tanh", "glorot_normal", 1.3),
                                                     ("relu", "he_uniform", 1.0)])
def test_variance_profile_matches_a_handwritten_loop(activation, init, factor):
    depth, width, m = 6, 30, 40
    r = il.variance_profile(depth, width, activation, init, factor=factor, m=m, seed=9)
    # the same experiment written out: inputs, then one weight matrix per layer, then the
    # N(0, 1) gradient injected at the top, all drawn from one generator in that order
    rng = np.random.default_rng(9)
    f = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0)}[activation]
    df = {"tanh": lambda z: 1 - np.tanh(z) ** 2, "relu": lambda z: (z > 0) * 1.0}[activation]
    a = rng.standard_normal((m, width))
    Ws, zs = [], []
    for _ in range(depth):
        W = il.initializers.get(init)((width, width), rng) * factor
        z = a @ W.T
        a = f(z)
        Ws.append(W), zs.append(z)
        np.testing.assert_allclose(r["z_std"][len(zs) - 1], np.std(z), rtol=1e-10)
        np.testing.assert_allclose(r["a_std"][len(zs) - 1], np.std(a), rtol=1e-10)
    g = rng.standard_normal((m, width))
    for l in range(depth - 1, -1, -1):
        np.testing.assert_allclose(r["grad_a_std"][l], np.std(g), rtol=1e-10)
        g = (g * df(zs[l])) @ Ws[l]  # d/da_{l-1} of sum(g * a_l), with z_l = a_{l-1} W_l^T


def test_variance_profile_inputs_and_determinism():
    a = il.variance_profile(5, 50, "tanh", seed=3)
    b = il.variance_profile(5, 50, "tanh", seed=np.random.default_rng(3))
    c = il.variance_profile(5, 50, "tanh", seed=4)
    np.testing.assert_array_equal(a["a_std"], b["a_std"])
    assert not np.array_equal(a["a_std"], c["a_std"])
    assert a["input_std"] == pytest.approx(1.0, abs=0.03)
    uniform = il.variance_profile(5, 50, input="uniform", m=2000)
    assert uniform["input_std"] == pytest.approx(1.0, abs=0.03)
    binary = il.variance_profile(5, 50, input="binary", m=2000)
    assert binary["input_std"] == pytest.approx(0.5, abs=0.01)


def test_variance_profile_accepts_an_initializer_object():
    init = il.initializers.get("orthogonal")
    r = il.variance_profile(20, 64, "linear", init, m=100)
    # orthogonal matrices preserve the norm of every input row (only the mean moves a little),
    # where a random matrix of the same scale drifts by several percent per layer
    assert np.ptp(r["a_std"]) < 1e-3 * r["input_std"]
    drift = il.variance_profile(20, 64, "linear", "glorot_normal", m=100)
    assert np.ptp(drift["a_std"]) > 0.02 * drift["input_std"]


def test_variance_profile_divergence_is_flagged_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = il.variance_profile(60, 100, "relu", "normal", factor=1e3, m=50)  # ~7e3x per layer
    assert r["diverged"] is True
    assert not np.isfinite(r["a_std"][-1])


# ---------------------------------------------------------------- deep linear chain


def test_deep_linear_chain_is_exact_powers():
    r = il.deep_linear_chain(1.5, 10)
    powers = np.sqrt(2) * 1.5 ** np.arange(11)
    np.testing.assert_allclose(r["a_norm"], powers, rtol=1e-12)
    np.testing.assert_allclose(r["grad_norm"], powers[::-1], rtol=1e-12)
    np.testing.assert_allclose(r["exact"], powers, rtol=1e-12)
    assert r["w"] == 1.5


def test_deep_linear_chain_vanishes_and_explodes():
    small = il.deep_linear_chain(0.5, 50)
    assert small["a_norm"][-1] < 1e-14 and small["grad_norm"][0] < 1e-14
    assert small["a_norm"][-1] == pytest.approx(np.sqrt(2) * 0.5**50, rel=1e-12)
    big = il.deep_linear_chain(2.0, 50)
    assert big["a_norm"][-1] == pytest.approx(np.sqrt(2) * 2.0**50, rel=1e-12)
    custom = il.deep_linear_chain(-1.0, 3, x=[3.0, 4.0])
    np.testing.assert_allclose(custom["a_norm"], 5.0, rtol=1e-15)


# ---------------------------------------------------------------- random chain


def test_random_chain_growth_follows_the_spectral_radius():
    # W is a random matrix rescaled to the chosen spectral radius r, so for a fixed seed every
    # product scales exactly as r^depth
    lo = il.random_chain(50, spectral_radius=0.8, seed=0)
    hi = il.random_chain(50, spectral_radius=1.2, seed=0)
    np.testing.assert_allclose(hi["a_norm"] / lo["a_norm"], 1.5 ** np.arange(51), rtol=1e-9)
    rates = {}
    for r in (0.8, 1.2):
        runs = [il.random_chain(50, spectral_radius=r, seed=s) for s in range(8)]
        growth = np.array([run["a_norm"][-1] / run["a_norm"][0] for run in runs])
        rates[r] = np.exp(np.mean(np.log(growth)) / 50)  # geometric mean growth per step
        for run in runs:
            assert run["a_norm"].shape == (51,) and run["spectral_radius"] == r
            assert run["a_norm"][-1] <= run["product_norm"] * run["a_norm"][0] * (1 + 1e-12)
        if r == 0.8:
            assert np.all(growth < 1e-3)
    assert rates[1.2] > 1 > rates[0.8]
    for r, rate in rates.items():
        assert 0.8 * r < rate <= r


def test_random_chain_repeated_matrix_is_a_matrix_power():
    r = il.random_chain(30, n=3, spectral_radius=0.9, seed=4, fresh=False)
    rng = np.random.default_rng(4)
    x = rng.standard_normal(3)
    W = rng.standard_normal((3, 3))
    W *= 0.9 / np.max(np.abs(np.linalg.eigvals(W)))
    expected = [np.linalg.norm(np.linalg.matrix_power(W, l) @ x) for l in range(31)]
    np.testing.assert_allclose(r["a_norm"], expected, rtol=1e-10)
    assert r["product_norm"] == pytest.approx(np.linalg.norm(np.linalg.matrix_power(W, 30), 2), rel=1e-10)
    with pytest.raises(TypeError, match="fresh must be True or False"):
        il.random_chain(3, fresh="yes")


# ---------------------------------------------------------------- chapter 2's experiments


def test_chain_table_gradients_are_equal_in_every_layer():
    t = il.experiments.chain_table(0.5, depth=7)
    assert t.column("layer l") == tuple(range(1, 8))
    # dW^[l] = w^(L-1) 1 x^T: the same Frobenius norm |w|^(L-1) |1| |x| in every layer
    np.testing.assert_allclose(t.column("||dW[l]||"), 0.5**6 * 2, rtol=1e-12)
    np.testing.assert_allclose(t.column("||a[l]||"), np.sqrt(2) * 0.5 ** np.arange(1, 8), rtol=1e-12)
    with pytest.raises(TypeError, match="w must be a real number"):
        il.experiments.chain_table("1.5")


def test_radius_gains_repeated_is_the_radius_fresh_is_less():
    t = il.experiments.radius_gains(radii=(0.8, 1.2), depth=60, seed=range(4))
    g = t.data["gains"]
    for r in (0.8, 1.2):
        assert g[r]["repeated"].shape == g[r]["fresh"].shape == (4,)
        np.testing.assert_allclose(g[r]["repeated"], r, rtol=0.05)   # Gelfand: ||W^L||^(1/L) -> rho
        assert np.median(g[r]["fresh"]) < np.median(g[r]["repeated"])
    assert t.column("repeated W: gain")[0] == pytest.approx(np.median(g[0.8]["repeated"]))
    assert t.rows == il.experiments.radius_gains(radii=(0.8, 1.2), depth=60, seed=range(4)).rows


def test_lyapunov_gain_is_newmans_formula():
    # psi(1) = -gamma, psi(2) = 1 - gamma: lambda = ln sigma + (ln 2 + psi(n/2)) / 2
    assert il.experiments.lyapunov_gain(2, 1.0) == pytest.approx(np.exp(0.5 * (np.log(2) - np.euler_gamma)))
    assert il.experiments.lyapunov_gain(4, 0.5) == pytest.approx(0.5 * np.exp(0.5 * (np.log(2) + 1 - np.euler_gamma)))
    for n, sigma in ((4, 0.5), (8, 1.0)):   # a Monte Carlo run agrees
        m = il.experiments.random_gains(n, sigma, depth=50, chains=1000, seed=1)
        assert m["typical"] == pytest.approx(il.experiments.lyapunov_gain(n, sigma), rel=0.02)
        assert m["mean_square"] == pytest.approx(n * sigma**2, rel=0.02)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        il.experiments.lyapunov_gain(4, 0.0)
    with pytest.raises(ValueError, match="n must be an int >= 1"):
        il.experiments.lyapunov_gain(0, 1.0)


def test_random_gains_typical_is_below_mean_square_and_reproducible():
    a = il.experiments.random_gains(4, 0.5, depth=20, chains=200, seed=3)
    b = il.experiments.random_gains(4, 0.5, depth=20, chains=200, seed=3)
    assert a["typical"] == b["typical"] and a["typical"] < np.sqrt(a["mean_square"])
    assert a["log_norms"].shape == (200,)


def test_chain_regression_data():
    X, Y = il.experiments.chain_regression(seed=2, m=5000)
    assert X.shape == Y.shape == (5000, 2)
    A = np.array([[1.0, 0.5], [-0.5, 1.0]])
    assert np.std(Y - X @ A.T) == pytest.approx(0.1, rel=0.05)
    np.testing.assert_array_equal(X, il.experiments.chain_regression(seed=2, m=5000)[0])


def test_linear_training_gradients_and_outcomes():
    t = il.experiments.linear_training(gains=(0.5, 1.0, 4.0), lrs=(0.01,), depth=4, epochs=20, seed=range(2))
    for g in (0.5, 1.0, 4.0):
        r = t.data[g, 0.01]
        assert r["grad"].shape == (2, 4) and r["cost"].shape == (2, 21)
        for s in range(2):   # every layer's gradient at init is g^(L-1) |Delta^T X| (chapter 2)
            X, Y = il.experiments.chain_regression(s)
            delta = 2 * (g**4 * X - Y) / Y.size
            np.testing.assert_allclose(r["grad"][s], abs(g) ** 3 * np.linalg.norm(delta.T @ X), rtol=1e-9)
            assert r["cost"][s, 0] == pytest.approx(np.mean((g**4 * X - Y) ** 2), rel=1e-12)
    diverged = dict(zip(t.column("gain"), t.column("diverged")))
    assert diverged == {0.5: 0, 1.0: 0, 4.0: 2}
    assert t.rows[2][5] is None and t.rows[1][5] < t.rows[1][3]   # 4 I: no finite cost; I: learns
    with pytest.raises(TypeError, match="gain must be a real number"):
        il.experiments.linear_training(gains=("1",), epochs=1)
