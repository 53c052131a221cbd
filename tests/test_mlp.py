"""MLP: exact gradients (finite differences), forward semantics, predictions, dtypes, seeding."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.metrics import accuracy_score, r2_score

import initlab as il

ACTIVATIONS = il.activations.names()
OUTPUTS = {"sigmoid": 1, "softmax": 3, "linear": 2}  # output name -> number of output units
H = 1e-3  # finite-difference step of the 5-point stencil (truncation O(H^4), roundoff ~1e-13)
MARGIN = 0.02  # every pre-activation stays this far from 0, the kink of relu/leaky_relu/elu/selu
M = 6  # examples in a gradient check
ARCHS = {  # name -> (hidden sizes, parameters perturbed per weight/bias array, None = all)
    "small": ([5, 4], None),
    "deep": ([6, 5, 5, 4, 6, 5, 4, 5], 8),
    "wide": ([64], 20),
}


def _init_for(act):
    # scales that keep every gradient of a 10-layer net well above the finite-difference noise
    if act == "sigmoid":
        return il.initializers.get("normal", std=1.5)
    return "glorot_normal" if act in ("tanh", "linear") else "he_normal"


def _targets(out, k, m, rng):
    if out == "sigmoid":
        return rng.integers(0, 2, m)
    if out == "softmax":
        return rng.integers(0, k, m)
    return rng.standard_normal((m, k))


def probe_net(hidden, act, out, seed, m=M):
    """A float64 net, inputs and targets with every |z| > MARGIN: no kink within reach of H.

    Biases are drawn unit by unit until the unit's pre-activations avoid 0 (and, when possible,
    are positive on some example and below 4 in size, so no gradient is vanishingly small).
    """
    rng = np.random.default_rng(seed)
    k = OUTPUTS[out]
    sizes = [3, *hidden, k]
    net = il.MLP(sizes, activation=act, output=out, init=_init_for(act), seed=rng)
    f = il.activations.get(act)
    X = rng.standard_normal((m, 3))
    a = X
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z0 = a @ W.T
        for i in range(len(b)):
            cand = rng.standard_normal(400)
            zz = z0[:, i][:, None] + cand
            far = np.abs(zz).min(axis=0) > MARGIN
            good = far & (zz.max(axis=0) > 0) & (np.abs(zz).max(axis=0) < 4)
            b[i] = cand[np.argmax(good)] if good.any() else cand[np.argmax(far)]
        a = f(z0 + b)
    zs, _ = net.forward_all(X)
    assert min(np.abs(z).min() for z in zs) > MARGIN
    return net, X, _targets(out, k, m, rng)


def fd_derivative(cost, P, idx):
    """d cost / d P[idx] by the 5-point central stencil; P is perturbed in place and restored."""
    old = P[idx]
    v = []
    for step in (-2, -1, 1, 2):
        P[idx] = old + step * H
        v.append(cost())
    P[idx] = old
    return (8 * (v[2] - v[1]) - (v[3] - v[0])) / (12 * H)


def rel_err(g, g_fd):
    return abs(g - g_fd) / max(abs(g) + abs(g_fd), 1e-8)


def _indices(shape, nmax, rng):
    idx = list(np.ndindex(shape))
    if nmax is not None and len(idx) > nmax:
        idx = [idx[i] for i in rng.choice(len(idx), nmax, replace=False)]
    return idx


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize("arch", list(ARCHS))
@pytest.mark.parametrize("out", list(OUTPUTS))
@pytest.mark.parametrize("act", ACTIVATIONS)
def test_backward_matches_finite_differences(act, out, arch):
    hidden, nmax = ARCHS[arch]
    net, X, y = probe_net(hidden, act, out, seed=len(hidden))
    cost, grads = net.backward(X, y)
    assert cost == net.cost(X, y)
    pick = np.random.default_rng(1)
    errors, checked = [], 0
    for P, G in zip(net.weights + net.biases, grads["W"] + grads["b"]):
        assert G.shape == P.shape and G.dtype == np.float64
        for idx in _indices(P.shape, nmax, pick):
            g_fd = fd_derivative(lambda: net.cost(X, y), P, idx)
            errors.append(rel_err(G[idx], g_fd))
            checked += abs(G[idx]) > 1e-6
    assert max(errors) < 1e-6
    assert checked > len(errors) // 2  # most checked gradients are far from zero


def _tail(net, l, act, out):
    """The layers above hidden layer l as a net of their own: its input is a_l."""
    tail = il.MLP(net.layer_sizes[l + 1:], activation=act, output=out, init="zeros")
    tail.weights = [W.copy() for W in net.weights[l + 1:]]
    tail.biases = [b.copy() for b in net.biases[l + 1:]]
    return tail


@pytest.mark.parametrize("act", ACTIVATIONS)
def test_grads_a_and_z(act):
    out = "softmax"
    net, X, y = probe_net([5, 4], act, out, seed=11)
    _, grads = net.backward(X, y)
    zs, acts = net.forward_all(X)
    L = net.n_layers
    for key in ("W", "b", "a", "z"):
        assert len(grads[key]) == L
    for l in range(L):
        assert grads["a"][l].shape == grads["z"][l].shape == (M, net.layer_sizes[l + 1])
    # output: d cost / d z_L for softmax cross-entropy is (p - onehot) / m
    onehot = np.eye(OUTPUTS[out])[y]
    np.testing.assert_allclose(grads["z"][-1], (acts[-1] - onehot) / M, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(grads["a"][-1], grads["z"][-1])
    f = il.activations.get(act)
    for l in range(L - 1):
        # grads["a"][l] is d cost / d a_l: finite differences through the layers above
        tail = _tail(net, l, act, out)
        A = acts[l].copy()
        g_fd = np.array([fd_derivative(lambda: tail.cost(A, y), A, idx) for idx in np.ndindex(A.shape)])
        g = grads["a"][l].reshape(-1)
        assert max(rel_err(a, b) for a, b in zip(g, g_fd)) < 1e-6
        # chain rule through the activation, with f' from a central difference of f itself
        h = 1e-6
        df = (f(zs[l] + h) - f(zs[l] - h)) / (2 * h)
        scale = np.abs(grads["z"][l]).max()
        np.testing.assert_allclose(grads["z"][l], grads["a"][l] * df, rtol=1e-6, atol=1e-9 * scale)


@pytest.mark.parametrize("out", list(OUTPUTS))
def test_output_logit_gradient(out):
    net, X, y = probe_net([4], "tanh", out, seed=5)
    _, grads = net.backward(X, y)
    zL = net.forward_all(X)[0][-1]
    k = OUTPUTS[out]
    if out == "sigmoid":
        expected = (1 / (1 + np.exp(-zL)) - y[:, None]) / M
    elif out == "softmax":
        p = np.exp(zL - zL.max(axis=1, keepdims=True))
        expected = (p / p.sum(axis=1, keepdims=True) - np.eye(k)[y]) / M
    else:
        expected = 2 * (zL - y) / (M * k)
    np.testing.assert_allclose(grads["z"][-1], expected, rtol=1e-12, atol=1e-16)


# ---------------------------------------------------------------- forward semantics


def _selu(z):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return scale * np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1))


MANUAL = {  # written from the definitions, independent of initlab.activations
    "linear": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)),
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "elu": lambda z: np.where(z > 0, z, np.exp(np.minimum(z, 0)) - 1),
    "selu": _selu,
}
MANUAL_OUT = {
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
    "linear": lambda z: z,
}


def test_manual_forward_covers_every_activation():
    assert sorted(MANUAL) == sorted(ACTIVATIONS)


@pytest.mark.parametrize("out", list(OUTPUTS))
@pytest.mark.parametrize("act", ACTIVATIONS)
def test_forward_matches_handwritten_numpy(act, out):
    rng = np.random.default_rng(3)
    net = il.MLP([4, 7, 5, OUTPUTS[out]], activation=act, output=out, init="glorot_uniform", seed=rng)
    for b in net.biases:
        b[...] = rng.normal(0, 0.3, b.shape)
    X = rng.standard_normal((9, 4))
    zs, acts = net.forward_all(X)
    a = X
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = np.einsum("ij,mj->mi", W, a) + b  # z[m, i] = sum_j W[i, j] a[m, j] + b[i]
        a = MANUAL[act](z) if l < net.n_layers - 1 else MANUAL_OUT[out](z)
        np.testing.assert_allclose(zs[l], z, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(acts[l], a, rtol=1e-10, atol=1e-14)
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba, a[:, 0] if a.shape[1] == 1 else a, rtol=1e-10, atol=1e-14)


def test_per_layer_activations_and_inits():
    rng = np.random.default_rng(4)
    inits = ["zeros", il.initializers.get("constant", value=0.25), "he_normal"]
    net = il.MLP([3, 4, 2, 1], activation=["relu", "tanh"], init=inits, seed=rng)
    assert net.activation_names == ["relu", "tanh"]
    assert np.array_equal(net.weights[0], np.zeros((4, 3)))
    assert np.array_equal(net.weights[1], np.full((2, 4), 0.25))
    assert np.all(net.weights[2] != 0)
    X = rng.standard_normal((5, 3))
    net.weights[0] = rng.standard_normal((4, 3))
    zs, acts = net.forward_all(X)
    np.testing.assert_allclose(acts[0], np.maximum(X @ net.weights[0].T, 0), rtol=1e-14)
    np.testing.assert_allclose(acts[1], np.tanh(acts[0] @ net.weights[1].T), rtol=1e-14)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(1, 9), min_size=2, max_size=6), st.sampled_from(ACTIVATIONS),
       st.sampled_from(list(OUTPUTS)), st.integers(1, 7), st.integers(0, 2**32 - 1))
def test_shapes_and_zero_biases(sizes, act, out, m, seed):
    if out == "softmax" and sizes[-1] < 2:
        sizes = [*sizes[:-1], 2]
    net = il.MLP(sizes, activation=act, output=out, seed=seed)
    L = len(sizes) - 1
    assert net.n_layers == L and net.layer_sizes == sizes
    assert len(net.weights) == len(net.biases) == L
    for l in range(L):
        assert net.weights[l].shape == (sizes[l + 1], sizes[l])
        assert net.biases[l].shape == (sizes[l + 1],)
        assert net.weights[l].dtype == net.biases[l].dtype == np.float64
        assert np.array_equal(net.biases[l], np.zeros(sizes[l + 1]))
    X = np.random.default_rng(seed).standard_normal((m, sizes[0]))
    zs, acts = net.forward_all(X)
    assert [z.shape for z in zs] == [a.shape for a in acts] == [(m, n) for n in sizes[1:]]
    assert net.predict_proba(X).shape == ((m,) if sizes[-1] == 1 else (m, sizes[-1]))


def test_predict_proba_ranges_and_predictions():
    rng = np.random.default_rng(8)
    X = rng.standard_normal((200, 4)) * 3
    sig = il.MLP([4, 8, 1], activation="tanh", output="sigmoid", init="normal", seed=rng)
    p = sig.predict_proba(X)
    assert p.shape == (200,) and np.all((p >= 0) & (p <= 1))
    assert 0 < np.mean(p > 0.5) < 1  # both classes predicted: the checks below mean something
    pred = sig.predict(X)
    assert pred.dtype.kind == "i" and set(np.unique(pred)) == {0, 1}
    np.testing.assert_array_equal(pred, (p > 0.5).astype(int))
    y = (X[:, 0] > 0).astype(int)
    assert sig.score(X, y) == accuracy_score(y, pred)

    soft = il.MLP([4, 8, 5], activation="relu", output="softmax", init="normal", seed=rng)
    P = soft.predict_proba(X)
    assert P.shape == (200, 5) and np.all((P >= 0) & (P <= 1))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_array_equal(soft.predict(X), np.argmax(P, axis=1))
    assert len(np.unique(soft.predict(X))) > 1
    y5 = rng.integers(0, 5, 200)
    assert soft.score(X, y5) == accuracy_score(y5, soft.predict(X))

    lin = il.MLP([4, 8, 1], activation="relu", output="linear", init="he_normal", seed=rng)
    z = lin.forward_all(X)[0][-1][:, 0]
    np.testing.assert_array_equal(lin.predict(X), z)
    np.testing.assert_array_equal(lin.predict_proba(X), z)
    t = X @ np.array([1.0, -2.0, 0.5, 0.0]) + rng.standard_normal(200)
    assert lin.score(X, t) == pytest.approx(r2_score(t, z), rel=1e-12)


def test_a_probability_of_exactly_one_half_predicts_class_0():
    # the classic assignment's rule, p = 1 if a > 0.5 else 0: a zero-init net outputs exactly 1/2
    net = il.MLP([2, 3, 1], init="zeros")
    X = np.random.default_rng(0).standard_normal((10, 2))
    assert np.all(net.predict_proba(X) == 0.5)
    np.testing.assert_array_equal(net.predict(X), np.zeros(10, dtype=int))
    assert net.score(X, np.zeros(10, dtype=int)) == 1.0


def test_score_after_fit_is_accuracy_on_held_out_data():
    X, y, Xt, yt = il.datasets.gaussian(seed=2)
    net = il.MLP([2, 4, 1], activation="tanh", init="glorot_normal", seed=2)
    il.fit(net, X, y, lr=0.5, epochs=100)
    assert net.score(Xt, yt) == np.mean(net.predict(Xt) == yt) > 0.95


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("out", list(OUTPUTS))
def test_float32_stays_float32(out, optimizer):
    X, y, _, _ = il.datasets.moons(n_train=64, seed=1)
    k = OUTPUTS[out]
    y = {"sigmoid": y, "softmax": y % k, "linear": np.column_stack([y] * k).astype(float)}[out]
    net = il.MLP([2, 6, 5, k], activation="elu", output=out, seed=1, dtype=np.float32)
    net64 = il.MLP([2, 6, 5, k], activation="elu", output=out, seed=1)
    for W, W64 in zip(net.weights, net64.weights):
        assert W.dtype == np.float32
        np.testing.assert_array_equal(W, W64.astype(np.float32))  # drawn in float64, then cast
    assert all(b.dtype == np.float32 for b in net.biases)
    zs, acts = net.forward_all(X)  # X is float64
    assert all(v.dtype == np.float32 for v in zs + acts)
    assert net.predict_proba(X).dtype == np.float32
    _, grads = net.backward(X, y)
    assert all(g.dtype == np.float32 for key in "Wbaz" for g in grads[key])
    hist = il.fit(net, X, y, lr=0.05, epochs=5, batch_size=16, optimizer=optimizer, record_every=2)
    assert np.all(np.isfinite(hist.cost))
    assert all(p.dtype == np.float32 for p in net.weights + net.biases)
    assert not np.array_equal(net.weights[0], net64.weights[0].astype(np.float32))


def test_repr_names_the_architecture():
    net = il.MLP([2, 10, 5, 1], activation="tanh", output="sigmoid", init="glorot_normal",
                 dtype=np.float32)
    text = repr(net)
    for part in ("[2, 10, 5, 1]", "tanh", "sigmoid", "glorot_normal", "float32"):
        assert part in text
    mixed = repr(il.MLP([3, 4, 4, 2], activation=["relu", "selu"], output="softmax"))
    assert "[3, 4, 4, 2]" in mixed and "relu" in mixed and "selu" in mixed


def test_copy_is_independent():
    net = il.MLP([2, 3, 1], seed=1)
    twin = net.copy()
    twin.weights[0][0, 0] += 1.0
    twin.biases[1][0] += 1.0
    assert net.weights[0][0, 0] != twin.weights[0][0, 0]
    assert net.biases[1][0] == 0.0
    X = np.ones((2, 2))
    assert net.cost(X, [0, 1]) != twin.cost(X, [0, 1])


# ---------------------------------------------------------------- seeding


def test_seed_int_equals_generator_and_differs_between_seeds():
    a = il.MLP([3, 8, 4, 2], activation="tanh", output="softmax", init="glorot_normal", seed=7)
    b = il.MLP([3, 8, 4, 2], activation="tanh", output="softmax", init="glorot_normal",
               seed=np.random.default_rng(7))
    c = il.MLP([3, 8, 4, 2], activation="tanh", output="softmax", init="glorot_normal", seed=8)
    for Wa, Wb, Wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def test_random_state_replays_numpy_randn_in_layer_order():
    # the classic assignment: np.random.seed(3), then randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1}) per layer
    net = il.MLP([2, 10, 5, 1], activation="relu", seed=np.random.RandomState(3),
                 init=il.initializers.get("kaiming_normal", nonlinearity="relu"))
    rs = np.random.RandomState(3)
    for W, (n_prev, n) in zip(net.weights, [(2, 10), (10, 5), (5, 1)]):
        np.testing.assert_allclose(W, rs.randn(n, n_prev) * np.sqrt(2.0 / n_prev), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bias_gradient_is_the_sum_of_dz_over_the_examples(dtype):
    # backprop computes db as 1^T dz (a BLAS product); it must equal the plain sum
    rng = np.random.default_rng(0)
    net = il.MLP([3, 7, 5, 4], activation="tanh", output="softmax", seed=1, dtype=dtype)
    X, y = rng.standard_normal((20, 3)).astype(dtype), rng.integers(0, 4, 20)
    _, grads = net.backward(X, y)
    for gb, gz in zip(grads["b"], grads["z"]):
        assert gb.dtype == dtype and gb.shape == gz.shape[1:]
        np.testing.assert_allclose(gb, gz.sum(axis=0), rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_copy_is_deep_and_saturation_has_one_threshold():
    net = il.MLP([2, 4, 1], activation="tanh", seed=0)
    twin = net.copy()
    assert twin.output_layer is not net.output_layer and twin.weights[0] is not net.weights[0]
    twin.weights[0][:] = 0
    assert np.all(net.weights[0] != 0)
    a = np.array([[0.9699, 0.9701]])
    np.testing.assert_array_equal(net.hidden_activations[0].saturated(a, a), [[False, True]])
    t = il.activations.SATURATION
    il.activations.SATURATION = 0.5  # the rule reads the module constant, not a copy of it
    try:
        p = np.array([[0.8]])
        assert net.output_layer.saturated(p, p)[0, 0]
    finally:
        il.activations.SATURATION = t


def test_losses_have_reprs_and_get_takes_an_instance():
    for name in il.losses.OUTPUTS:
        out = il.losses.get(name)
        assert repr(out) == name.capitalize() + "()" and il.losses.get(out) is out
    assert {"plots", "widgets", "static", "fmt", "summarize"} <= set(dir(il))


@pytest.mark.parametrize("seed", [0, range(3)])
def test_forward_without_keep_holds_only_the_output_layer(seed):
    net = il.MLP([3, 6, 5, 2], activation="tanh", output="softmax", seed=seed)
    X = np.random.default_rng(0).standard_normal((9, 3))
    zs, acts = net.forward(X)
    z_out, a_out = net.forward(X, keep=False)
    assert len(zs) == 3 and len(z_out) == len(a_out) == 1
    np.testing.assert_array_equal(z_out[0], zs[-1])
    np.testing.assert_array_equal(a_out[0], acts[-1])
