"""Mean-field theory (Chapter 8) against Monte Carlo averages over wide random nets (il.MLP ensembles)."""
import numpy as np
import pytest

import initlab as il
from initlab import theory

ACTS = ["tanh", "relu", "sigmoid", "elu", "selu", "leaky_relu", "linear"]


def random_net(sigma_w2, sigma_b2, activation, sizes, depth=None, seeds=range(4)):
    """An ensemble of nets with W ~ N(0, sigma_w2 / fan_in) and b ~ N(0, sigma_b2); sizes or width and depth."""
    sizes = sizes if depth is None else [sizes] * (depth + 1)
    inits = [il.initializers.get("normal", std=np.sqrt(sigma_w2 / n)) for n in sizes[:-1]]
    net = il.MLP(sizes, activation=activation, output="linear", init=inits, seed=seeds)
    rng = np.random.default_rng(99)
    for b in net.biases:
        b[...] = rng.normal(0.0, np.sqrt(sigma_b2), b.shape)
    return net


def inputs(q, width, m=200, seed=7):
    """Rows with |x|^2 / width = q exactly, so every z of layer 1 is N(0, sigma_w2 q + sigma_b2)."""
    X = np.random.default_rng(seed).standard_normal((m, width))
    return X * np.sqrt(q * width) / np.linalg.norm(X, axis=1, keepdims=True)


def q_measured(net, X):
    return np.array([np.mean(z**2) for z in net.forward_all(X)[0]])


@pytest.mark.parametrize("activation", ACTS)
@pytest.mark.parametrize("sigma_w2,sigma_b2", [(1.5, 0.1), (0.8, 0.0), (3.0, 0.5)])
def test_length_map_is_the_next_layers_variance(activation, sigma_w2, sigma_b2):
    net = random_net(sigma_w2, sigma_b2, activation, [600, 600, 6000])  # many units average q2
    q1, q2 = q_measured(net, inputs(1.0, 600, m=40))
    assert q1 == pytest.approx(sigma_w2 + sigma_b2, rel=0.02)
    assert q2 == pytest.approx(theory.length_map(q1, sigma_w2, sigma_b2, activation), rel=0.03)


def test_quadrature_agrees_with_adaptive_integration():
    from scipy import integrate

    for name in ["tanh", "sigmoid", "elu", "selu"]:
        f = il.activations.get(name)
        for q in [0.01, 0.7, 5.0, 50.0]:
            def h(z):
                return f(np.sqrt(q) * np.array([z]))[0] ** 2 * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
            want = sum(integrate.quad(h, a, b, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
                       for a, b in [(-40, 0), (0, 40)])
            assert theory.length_map(q, 1.3, 0.2, name) == pytest.approx(1.3 * want + 0.2, rel=1e-9), (name, q)


@pytest.mark.parametrize("activation,sigma_w2,sigma_b2", [
    ("tanh", 1.5, 0.05), ("tanh", 2.5, 0.3), ("relu", 1.5, 0.1), ("sigmoid", 4.0, 0.1),
    ("linear", 0.5, 0.1), ("selu", 1.0, 0.0)])
def test_fixed_point_is_where_a_deep_net_settles(activation, sigma_w2, sigma_b2):
    q_star = theory.fixed_point(sigma_w2, sigma_b2, activation)
    net = random_net(sigma_w2, sigma_b2, activation, 400, depth=25)
    q = q_measured(net, inputs(3.0, 400))
    assert np.mean(q[-5:]) == pytest.approx(q_star, rel=0.05)
    assert theory.length_map(q_star, sigma_w2, sigma_b2, activation) == pytest.approx(q_star, rel=1e-9)


def test_exact_cases():
    for sigma_w2, sigma_b2 in [(0.5, 0.0), (1.5, 0.1), (1.99, 0.3), (3.0, 0.0)]:
        assert theory.chi1(sigma_w2, sigma_b2, "relu") == pytest.approx(sigma_w2 / 2, rel=1e-12)
    for sigma_w2, sigma_b2 in [(0.5, 0.1), (0.9, 0.02), (0.2, 1.0)]:
        want = sigma_b2 / (1 - sigma_w2)
        assert theory.fixed_point(sigma_w2, sigma_b2, "linear") == pytest.approx(want, rel=1e-10)
        assert theory.chi1(sigma_w2, sigma_b2, "linear") == pytest.approx(sigma_w2, rel=1e-12)
    for sigma_w2 in [1.001, 1.01]:  # tanh just past the edge: a small q* > 0, reached slowly
        q_star = theory.fixed_point(sigma_w2, 0.0)
        assert q_star > 1e-4 and theory.length_map(q_star, sigma_w2, 0.0) == pytest.approx(q_star, rel=1e-9)
    assert theory.fixed_point(0.999, 0.0) == 0.0
    # relu: q' = sigma_w2 q / 2 + sigma_b2
    assert theory.fixed_point(1.5, 0.1, "relu") == pytest.approx(0.1 / (1 - 0.75), rel=1e-10)


def test_no_fixed_point_is_inf_without_warnings():
    assert theory.fixed_point(2.5, 0.0, "relu") == np.inf
    assert theory.fixed_point(2.0001, 0.1, "relu") == np.inf
    assert theory.fixed_point(1.0, 0.1, "linear") == np.inf
    assert theory.phase(3.0, 0.0, "relu") == "chaotic"
    with pytest.raises(ValueError, match="finite q\\*.*sigma_w2=3.0"):
        theory.xi_c(3.0, 0.0, "relu")
    with pytest.raises(ValueError, match="finite q\\*"):
        theory.xi_q(1.2, 0.1, "linear")


def chi1_measured(sigma_w2, sigma_b2, activation, width=300, depth=12):
    """Mean ratio of squared backprop gradients between consecutive layers, inputs at q*."""
    net = random_net(sigma_w2, sigma_b2, activation, width, depth=depth)
    q_star = theory.fixed_point(sigma_w2, sigma_b2, activation)
    X = inputs((q_star - sigma_b2) / sigma_w2, width)  # z of layer 1 already at q*
    # targets far larger than the outputs: the output gradient z_L - Y is ~ -Y, independent of W
    Y = 1e4 * np.random.default_rng(5).standard_normal((len(X), width))
    with np.errstate(all="ignore"):
        p = net.forward_backward(*net.check_Xy(X, Y), keep=True)
    g2 = np.array([np.mean(g**2) for g in p.grad_z[:-1]])  # hidden layers
    return float(np.exp(np.mean(np.log(g2[:-1] / g2[1:]))))


@pytest.mark.parametrize("activation,sigma_w2,sigma_b2", [
    ("tanh", 1.2, 0.05), ("tanh", 3.0, 0.05), ("relu", 1.6, 0.1), ("sigmoid", 5.0, 0.2), ("elu", 1.5, 0.1)])
def test_chi1_is_the_backward_gradient_growth(activation, sigma_w2, sigma_b2):
    assert chi1_measured(sigma_w2, sigma_b2, activation) == pytest.approx(
        theory.chi1(sigma_w2, sigma_b2, activation), rel=0.03)


def test_tanh_critical_line():
    assert theory.critical_sigma_w2(0.0) == pytest.approx(1.0, abs=1e-6)
    assert theory.phase(1.0, 0.0) == "critical" and theory.xi_c(1.0, 0.0) == np.inf
    assert theory.phase(0.9, 0.0) == "ordered" and theory.phase(1.2, 0.0) == "chaotic"
    crit = theory.critical_sigma_w2(0.05)
    assert theory.chi1(crit, 0.05) == pytest.approx(1.0, abs=1e-9)
    assert chi1_measured(crit, 0.05, "tanh") == pytest.approx(1.0, abs=0.02)  # Monte Carlo
    assert chi1_measured(crit - 0.4, 0.05, "tanh") < 0.98 < 1.02 < chi1_measured(crit + 0.4, 0.05, "tanh")
    assert theory.phase(crit - 0.01, 0.05) == "ordered" and theory.phase(crit + 0.01, 0.05) == "chaotic"
    assert theory.critical_sigma_w2(0.3, "relu") == pytest.approx(2.0, rel=1e-9)


def test_depth_scales():
    for sigma_w2, sigma_b2 in [(1.5, 0.05), (3.0, 0.05), (1.0, 0.3)]:
        q, h = theory.fixed_point(sigma_w2, sigma_b2), 1e-5
        slope = (theory.length_map(q + h, sigma_w2, sigma_b2) - theory.length_map(q - h, sigma_w2, sigma_b2)) / (2 * h)
        assert np.exp(-1 / theory.xi_q(sigma_w2, sigma_b2)) == pytest.approx(slope, rel=1e-6)
    assert theory.xi_c(1.5, 0.05) == pytest.approx(-1 / np.log(theory.chi1(1.5, 0.05)), rel=1e-12)
    crit = theory.critical_sigma_w2(0.05)
    assert theory.xi_c(crit - 0.01, 0.05) > 50 * theory.xi_c(crit - 0.5, 0.05)  # diverges at the edge
    assert theory.xi_c(crit + 0.01, 0.05) > 20 * theory.xi_c(crit + 0.5, 0.05)


def test_correlation_map_is_how_two_inputs_decorrelate():
    sigma_w2, sigma_b2, width = 4.0, 0.05, 400
    c_star = theory.correlation_fixed_point(sigma_w2, sigma_b2)
    assert 0 < c_star < 0.9 and theory.correlation_fixed_point(1.5, 0.05) == 1.0
    assert theory.correlation_map(c_star, sigma_w2, sigma_b2) == pytest.approx(c_star, abs=1e-12)
    q_star = theory.fixed_point(sigma_w2, sigma_b2)
    net = random_net(sigma_w2, sigma_b2, "tanh", width, depth=25)
    X = inputs((q_star - sigma_b2) / sigma_w2, width, m=40)
    X[20:] = 0.9 * X[:20] + np.sqrt(1 - 0.81) * X[20:]  # 20 pairs of inputs at correlation ~0.9
    measured = []
    for z in net.forward_all(X)[0]:
        a, b = z[:, :20], z[:, 20:]
        measured.append(np.mean(np.sum(a * b, -1) / np.sqrt(np.sum(a * a, -1) * np.sum(b * b, -1))))
    predicted = [measured[0]]
    for _ in range(24):
        predicted.append(theory.correlation_map(predicted[-1], sigma_w2, sigma_b2))
    np.testing.assert_allclose(measured, predicted, atol=0.04)
    assert measured[-1] < 0.3  # on its way to c*, far from 1


def test_variance_recursion_and_its_decay():
    q = theory.variance_recursion(50)
    assert q[0] == 1.0 and q[1] == pytest.approx(theory.length_map(1.0, 1.0, 0.0), rel=1e-15)
    assert q[-1] * 2 * 50 == pytest.approx(1.0, abs=0.1)  # Chapter 4: q_l approaches 1/(2l)
    np.testing.assert_allclose(theory.critical_decay(50), 1 / (2 * np.arange(1, 51)), rtol=1e-4)
    long = theory.variance_recursion(2000)
    assert long[-1] / theory.critical_decay(2000)[-1] == pytest.approx(1.0, abs=0.01)
    measured = q_measured(random_net(1.0, 0.0, "tanh", 400, depth=30), inputs(1.0, 400))
    np.testing.assert_allclose(measured, theory.variance_recursion(30), rtol=0.1)
    for bad in ["relu", "sigmoid", "elu", "linear"]:
        with pytest.raises(ValueError, match=bad):
            theory.critical_decay(10, bad)


@pytest.mark.parametrize("call,err,match", [
    (lambda: theory.length_map(-1.0, 1.0, 0.0), ValueError, "q must be >= 0.0, got -1.0"),
    (lambda: theory.length_map("1", 1.0, 0.0), TypeError, "q must be a real number"),
    (lambda: theory.fixed_point(0.0, 0.0), ValueError, "sigma_w2 must be > 0.0, got 0.0"),
    (lambda: theory.chi1(1.0, -0.1), ValueError, "sigma_b2 must be >= 0.0, got -0.1"),
    (lambda: theory.chi1(np.nan, 0.0), ValueError, "sigma_w2 must be finite"),
    (lambda: theory.phase(1.0, 0.0, "swish"), ValueError, "'swish'.*valid:"),
    (lambda: theory.phase(1.0, 0.0, tol=-1), ValueError, "tol"),
    (lambda: theory.xi_c(1.0, 0.0, activation=3), ValueError, "3"),
    (lambda: theory.variance_recursion(0), ValueError, "depth must be an int >= 1, got 0"),
    (lambda: theory.correlation_map(1.5, 4.0, 0.05), ValueError, "c must be <= 1.0, got 1.5"),
    (lambda: theory.critical_sigma_w2(-0.5), ValueError, "sigma_b2 must be >= 0.0, got -0.5"),
])
def test_bad_arguments(call, err, match):
    with pytest.raises(err, match=match):
        call()


def iterated_correlation(sigma_w2, sigma_b2, steps=2000):
    c = 0.0
    for _ in range(steps):
        c = theory.correlation_map(c, sigma_w2, sigma_b2)
    return c


@pytest.mark.parametrize("sigma_w2,sigma_b2", [(4.0, 0.05), (3.0, 0.3), (2.5, 0.05)])
def test_chaotic_correlation_fixed_point_is_where_the_map_settles(sigma_w2, sigma_b2):
    c_star = theory.correlation_fixed_point(sigma_w2, sigma_b2)
    assert c_star == pytest.approx(iterated_correlation(sigma_w2, sigma_b2, 300), abs=1e-10)
    assert theory.correlation_map(c_star, sigma_w2, sigma_b2) == pytest.approx(c_star, abs=1e-13)


def test_correlation_fixed_point_near_the_edge_is_fast_and_stable():
    import time

    start = time.perf_counter()
    c_star = theory.correlation_fixed_point(1.8, 0.05)  # chi_c ~ 0.99: iterating would take thousands of maps
    assert time.perf_counter() - start < 2.0
    assert 0.9 < c_star < 1 and theory.correlation_map(c_star, 1.8, 0.05) == pytest.approx(c_star, abs=1e-13)
    assert theory.correlation_fixed_point(2.0, 0.0) == 0.0  # odd tanh without bias: c = 0 maps to itself
