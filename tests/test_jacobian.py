"""Input-output Jacobians (Chapter 8): finite differences, weight products, isometry of orthogonal nets."""
import numpy as np
import pytest

import initlab as il
from initlab import jacobian, theory

rng = np.random.default_rng(0)


def logits(net, X):
    return net.forward_all(X)[0][-1]


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "elu", "selu", "relu", "leaky_relu"])
@pytest.mark.parametrize("seed", [3, range(3)])
def test_jacobian_is_the_finite_difference(activation, seed):
    net = il.MLP([5, 8, 7, 4], activation=activation, output="softmax", init="glorot_normal", seed=seed)
    for b in net.biases:
        b[...] = rng.normal(0, 0.3, b.shape)
    x = rng.standard_normal(5)
    J = jacobian.input_output_jacobian(net, x)
    assert J.shape == ((4, 5) if net.n_members is None else (3, 4, 5))
    h, fd = 1e-6, np.empty_like(J)
    for i in range(5):
        e = np.zeros(5)
        e[i] = h
        fd[..., i] = (logits(net, (x + e)[None]) - logits(net, (x - e)[None]))[..., 0, :] / (2 * h)
    assert np.max(np.abs(J - fd)) / np.max(np.abs(J)) < 1e-6


def test_linear_net_jacobian_is_the_weight_product():
    net = il.MLP([6, 9, 5, 7, 3], activation="linear", output="linear", init="glorot_uniform", seed=range(2))
    X = rng.standard_normal((4, 6))
    J = jacobian.jacobians(net, X)
    assert J.shape == (2, 4, 3, 6)
    for k in range(2):
        product = net.weights[3][k] @ net.weights[2][k] @ net.weights[1][k] @ net.weights[0][k]
        for i in range(4):  # the same matrix for every input
            np.testing.assert_allclose(J[k, i], product, rtol=1e-12, atol=1e-14)
    s = jacobian.jacobian_singular_values(net, X)
    assert s.shape == (2, 4, 3)
    np.testing.assert_allclose(s[1, 0], np.linalg.svd(product, compute_uv=False), rtol=1e-12)


def test_member_i_is_the_single_net_i():
    net = il.MLP([4, 6, 2], activation="tanh", seed=range(3))
    X = rng.standard_normal((5, 4))
    s = jacobian.jacobian_singular_values(net, X)
    np.testing.assert_allclose(s[2], jacobian.jacobian_singular_values(net[2], X), rtol=1e-13)
    assert np.all(np.diff(s, axis=-1) <= 0)  # largest first


def test_orthogonal_deep_linear_net_is_an_isometry_and_gaussian_is_not():
    n, X = 64, rng.standard_normal((3, 64))

    def spread(init, depth):  # log of the condition number, median over 5 seeds
        net = il.MLP([n] * (depth + 1), activation="linear", output="linear", init=init, seed=range(5))
        s = jacobian.jacobian_singular_values(net, X)
        return s, float(np.median(np.log(s[..., 0] / s[..., -1])))

    s, _ = spread("orthogonal", 30)
    np.testing.assert_allclose(s, 1.0, atol=1e-10)  # Saxe et al. (2014): every singular value 1
    gaussian = il.initializers.get("variance_scaling", distribution="untruncated_normal")  # N(0, 1/n)
    spreads = [spread(gaussian, depth)[1] for depth in (1, 4, 16)]
    assert spreads[0] < spreads[1] < spreads[2] and spreads[2] > 2 * spreads[0]


@pytest.mark.parametrize("sigma_w2", [1.2, 3.0])
def test_mean_squared_singular_value_is_chi1_to_the_depth(sigma_w2):
    # tr(J J^T) / n_0 = chi_1^L for inputs at q* (mean field; Pennington et al. 2017)
    sigma_b2, n, depth = 0.05, 300, 8
    q_star = theory.fixed_point(sigma_w2, sigma_b2)
    init = il.initializers.get("normal", std=np.sqrt(sigma_w2 / n))
    net = il.MLP([n] * (depth + 1), activation="tanh", output="linear", init=init, seed=range(3))
    for b in net.biases:
        b[...] = rng.normal(0, np.sqrt(sigma_b2), b.shape)
    X = rng.standard_normal((4, n))
    X *= np.sqrt((q_star - sigma_b2) / sigma_w2 * n) / np.linalg.norm(X, axis=1, keepdims=True)
    s = jacobian.jacobian_singular_values(net, X)
    # the last layer has no phi': chi_1^(L-1) sigma_w2
    want = theory.chi1(sigma_w2, sigma_b2) ** (depth - 1) * sigma_w2
    assert np.mean(s**2) == pytest.approx(want, rel=0.1)


def test_diverged_net_gives_nan_without_warnings():
    net = il.MLP([3, 4, 2], activation="relu", seed=range(2))
    net.weights[0][1, 0, 0] = np.inf
    X = rng.standard_normal((2, 3))
    s = jacobian.jacobian_singular_values(net, X)
    np.testing.assert_allclose(s[0], jacobian.jacobian_singular_values(net[0], X), rtol=1e-13)
    assert np.all(s[0] > 0) and np.all(np.isnan(s[1]))


def test_bad_arguments():
    net = il.MLP([3, 4, 2], seed=0)
    with pytest.raises(ValueError, match="x must be one input of shape \\(3,\\), got shape \\(2, 3\\)"):
        jacobian.input_output_jacobian(net, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="X has 4 features but the network expects 3"):
        jacobian.input_output_jacobian(net, np.zeros(4))
    with pytest.raises(TypeError, match="net must be an initlab MLP, got list"):
        jacobian.jacobian_singular_values([1, 2], np.zeros((2, 3)))
    with pytest.raises(ValueError, match="NaN or inf"):
        jacobian.jacobian_singular_values(net, np.full((2, 3), np.nan))
