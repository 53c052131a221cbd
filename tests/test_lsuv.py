"""LSUV (Chapter 8): unit variance on the batch, per layer and per member, from an explicit seed."""
import numpy as np
import pytest

import initlab as il
from initlab.lsuv import LSUVResult, lsuv

rng = np.random.default_rng(0)
X = rng.standard_normal((200, 30))
N_1_OVER_N = il.initializers.N_1_OVER_N


def z_var(net, X):
    """Var(z_l) of every layer, shape (L,) or (K, L)."""
    return np.stack([np.var(z, axis=(-2, -1)) for z in net.forward_all(X)[0]], axis=-1)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "selu"])
@pytest.mark.parametrize("seed", [0, range(3)])
def test_every_layer_has_unit_variance_on_the_batch(activation, seed):
    net = il.MLP([30, 40, 40, 20, 3], activation=activation, output="softmax", seed=seed)
    out, result = lsuv(net, X, tol=0.05, seed=1)
    assert out is net and isinstance(result, LSUVResult)
    v = z_var(net, X)
    assert v.shape == ((4,) if net.n_members is None else (3, 4))
    assert np.all(np.abs(v - 1) <= 0.05) and result.converged.all()
    np.testing.assert_allclose(result.variances, v, rtol=1e-12)
    assert np.all(result.passes <= 10) and result.passes.sum() >= 1  # a layer already within tol takes 0


def with_biases(net, std, seed=3):
    r = np.random.default_rng(seed)
    for b in net.biases:
        b[...] = r.normal(0.0, std, b.shape)
    return net


def test_biases_are_kept_and_take_more_passes():
    net = with_biases(il.MLP([30, 40, 40, 20, 3], activation="tanh", seed=range(3)), 0.5)
    biases = [b.copy() for b in net.biases]
    _, res = lsuv(net, X, tol=1e-4, max_passes=50, seed=2)
    for b, kept in zip(net.biases, biases):
        np.testing.assert_array_equal(b, kept)
    assert res.converged.all() and np.all(np.abs(z_var(net, X) - 1) <= 1e-4)
    assert res.passes.max() > 1


def test_a_bias_variance_above_one_cannot_converge_and_warns_nothing():
    net = with_biases(il.MLP([30, 20, 1], activation="tanh"), 2.0)
    _, res = lsuv(net, X, max_passes=7)
    assert not res.converged[0] and res.passes[0] == 7 and res.variances[0] > 1.1


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_lsuv_fixes_the_deep_forward_variance_that_n_1_over_n_loses(activation):
    Xd = rng.standard_normal((300, 100))
    net = il.MLP([100] * 21, activation=activation, output="linear", init=N_1_OVER_N, seed=range(4))
    before = z_var(net, Xd)
    assert np.all(before[:, -1] < 0.5)  # tanh: ~1/(2l); sigmoid: ~E[sigmoid(z)^2] ~ 0.3
    lsuv(net, Xd, seed=0)
    after = z_var(net, Xd)
    assert np.all(np.abs(after - 1) <= 0.1)
    X_new = rng.standard_normal((300, 100))  # and on fresh inputs of the same kind
    assert np.all(np.abs(z_var(net, X_new)[:, -1] - 1) < 0.2)


def test_starts_from_the_orthonormal_draw_of_its_seed_and_no_global_rng():
    state = np.random.get_state()
    a, ra = lsuv(il.MLP([30, 30, 30, 1], activation="tanh", seed=5), X, seed=7)
    b, rb = lsuv(il.MLP([30, 30, 30, 1], activation="tanh", seed=6), X, seed=7)
    c, _ = lsuv(il.MLP([30, 30, 30, 1], activation="tanh", seed=5), X, seed=8)
    assert np.all(np.random.get_state()[1] == state[1])
    for Wa, Wb, Wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(Wa, Wb)  # the net's own draw is replaced
        assert not np.allclose(Wa, Wc)
    # layer 1 is the orthonormal draw times one scalar
    ortho = il.initializers.get("orthogonal")((30, 30), np.random.default_rng(7))
    ratio = a.weights[0] / ortho
    np.testing.assert_allclose(ratio, ratio[0, 0], rtol=1e-12)


def test_ensemble_member_i_is_lsuv_of_the_single_net_with_its_spawned_seed():
    ens = with_biases(il.MLP([30, 20, 10, 2], activation="relu", seed=range(3)), 0.6)
    singles = [ens[i] for i in range(3)]
    ens, res = lsuv(ens, X, tol=1e-3, seed=4)
    assert len({tuple(p) for p in res.passes.tolist()}) > 1  # members needed different passes
    seeds = np.random.default_rng(4).spawn(3)
    for i in range(3):
        single, r = lsuv(singles[i], X, tol=1e-3, seed=seeds[i])
        for We, Ws in zip(ens.weights, single.weights):
            np.testing.assert_allclose(We[i], Ws, rtol=1e-12)
        np.testing.assert_array_equal(res.passes[i], r.passes)


def test_float32_and_max_passes():
    net, res = lsuv(il.MLP([30, 50, 50, 1], activation="tanh", dtype=np.float32), X, tol=1e-3, max_passes=1)
    assert net.weights[0].dtype == np.float32 and np.all(res.passes == 1)
    net, res = lsuv(net, X, tol=1e-3)
    assert res.converged.all() and np.all(np.abs(z_var(net, X) - 1) <= 1e-3)


def test_a_dead_batch_is_reported_not_scaled_and_warns_nothing():
    net, res = lsuv(il.MLP([30, 10, 1], activation="relu"), np.zeros((5, 30)))
    assert not res.converged.any() and np.all(res.passes == 0) and np.all(np.isfinite(net.weights[0]))
    assert "converged=0 of 2 layers" in repr(res)


def test_repr():
    _, res = lsuv(il.MLP([30, 10, 1], activation="tanh"), X)
    assert repr(res) == f"LSUVResult(passes={res.passes.tolist()}, converged=all, tol=0.1)"
    assert res.passes[-1] == 1  # the one-unit output of tanh units: Var(z) far from 1


@pytest.mark.parametrize("kwargs,err,match", [
    ({"tol": 0}, ValueError, "tol must be > 0.0, got 0.0"),
    ({"tol": "big"}, TypeError, "tol must be a real number"),
    ({"max_passes": 0}, ValueError, "max_passes must be an int >= 1, got 0"),
    ({"seed": -1}, ValueError, "seed must be a non-negative int, got -1"),
    ({"seed": 1.5}, TypeError, "seed must be an int"),
    ({"X": np.zeros((5, 4))}, ValueError, "X has 4 features but the network expects 30"),
    ({"net": "mlp"}, TypeError, "net must be an initlab MLP, got str"),
])
def test_bad_arguments(kwargs, err, match):
    args = {"net": il.MLP([30, 10, 1]), "X": X, **kwargs}
    with pytest.raises(err, match=match):
        lsuv(**args)


def lsuv_by_full_forwards(net, X, tol=0.1, max_passes=10, seed=0):
    """The plain algorithm: a full forward pass of the net for every layer and pass."""
    rng = np.random.default_rng(seed)
    rngs = [rng] if net.n_members is None else rng.spawn(net.n_members)
    ortho = il.initializers.get("orthogonal")
    for l, (n_out, n_in) in enumerate(zip(net.layer_sizes[1:], net.layer_sizes)):
        drawn = [ortho((n_out, n_in), r) for r in rngs]
        net.weights[l][...] = drawn[0] if net.n_members is None else np.stack(drawn)
    for l in range(net.n_layers):
        for _ in range(max_passes):
            v = np.var(net.forward_all(X)[0][l], axis=(-2, -1))
            todo = np.isfinite(v) & (v > 0) & (np.abs(v - 1.0) > tol)
            if not todo.any():
                break
            scale = np.where(todo, 1.0 / np.sqrt(np.where(todo, v, 1.0)), 1.0)
            net.weights[l] *= scale[..., None, None] if scale.ndim else scale
    return net


@pytest.mark.parametrize("seed", [4, range(3)])
@pytest.mark.parametrize("bias_std", [0.0, 0.5])
def test_one_forward_per_layer_gives_the_full_forward_result_exactly(seed, bias_std):
    make = lambda: with_biases(il.MLP([30, 40, 40, 20, 3], activation="tanh", seed=seed), bias_std)  # noqa: E731
    fast, _ = lsuv(make(), X, tol=1e-3, seed=9)
    slow = lsuv_by_full_forwards(make(), X, tol=1e-3, seed=9)
    for a, b in zip(fast.weights, slow.weights, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", [0, range(3)])
def test_center_gives_every_unit_mean_zero_and_every_layer_unit_variance(seed):
    Xs = rng.uniform(0, 1, (200, 30))  # inputs of mean 1/2, like pixels
    net = il.MLP([30, 40, 40, 20, 3], activation="sigmoid", output="softmax", seed=seed)
    _, res = lsuv(net, Xs, tol=1e-6, seed=1, center=True)
    for z in net.forward_all(Xs)[0]:
        np.testing.assert_allclose(z.mean(axis=-2), 0.0, atol=1e-12)
    np.testing.assert_allclose(z_var(net, Xs), 1.0, atol=1e-6)
    assert res.converged.all() and res.passes.max() == 1  # W and b scaled together: one pass is exact
    plain, _ = lsuv(il.MLP([30, 40, 40, 20, 3], activation="sigmoid", output="softmax", seed=seed), Xs, seed=1)
    assert all(np.all(b == 0) for b in plain.biases)  # the default keeps the zero biases
    means = np.abs(plain.forward_all(Xs)[0][1].mean(axis=-2))
    assert np.median(means) > 0.1  # ... and the sigmoid's offset stays in z


def test_center_must_be_a_bool():
    with pytest.raises(TypeError, match="center must be True or False, got str 'yes'"):
        lsuv(il.MLP([30, 5, 1]), X, center="yes")
