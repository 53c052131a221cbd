"""Seed ensembles: K networks in one MLP, trained together, each equal to its single twin."""
import warnings

import numpy as np
import pytest

import initlab as il

SIZES = [2, 10, 5, 1]  # chapter 1's circles net
SEEDS = [3, 0, 11, 7, 5]


@pytest.fixture(scope="module")
def circles():
    return il.datasets.circles(seed=0)


def singles(seeds=SEEDS, **kw):
    return [il.MLP(SIZES, seed=s, **kw) for s in seeds]


def rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


@pytest.mark.parametrize("init", ["he_normal", "glorot_uniform", "orthogonal", "torch_linear_default"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_members_draw_what_single_nets_draw(init, dtype):
    ens = il.MLP(SIZES, init=init, seed=SEEDS, dtype=dtype)
    assert ens.n_members == len(SEEDS)
    for l, (n_prev, n) in enumerate(zip(SIZES, SIZES[1:])):
        assert ens.weights[l].shape == (len(SEEDS), n, n_prev) and ens.weights[l].dtype == dtype
        assert ens.biases[l].shape == (len(SEEDS), n)
    for i, single in enumerate(singles(init=init, dtype=dtype)):
        member = ens[i]
        assert member.n_members is None
        for W, W1 in zip(member.weights + member.biases, single.weights + single.biases):
            np.testing.assert_array_equal(W, W1)


def test_a_member_is_an_independent_copy():
    ens = il.MLP(SIZES, seed=range(3))
    member = ens[1]
    member.weights[0][:] = 0
    assert np.all(ens.weights[0][1] != 0)
    assert np.array_equal(ens[-1].weights[0], ens.weights[0][2])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_full_batch_members_train_like_single_nets(circles, optimizer):
    X, y, _, _ = circles
    lr = 0.01 if optimizer == "adam" else 0.1
    ens = il.MLP(SIZES, seed=SEEDS)
    hist = il.fit(ens, X, y, lr=lr, epochs=200, optimizer=optimizer)
    assert hist.cost.shape == (201, len(SEEDS))
    for i, single in enumerate(singles()):
        h1 = il.fit(single, X, y, lr=lr, epochs=200, optimizer=optimizer)
        assert rel(hist.cost[:, i], h1.cost) < 1e-9
        for p, p1 in zip(ens[i].weights + ens[i].biases, single.weights + single.biases):
            assert rel(p, p1) < 1e-9


def test_minibatch_member_shuffles_with_its_spawned_generator(circles):
    X, y, _, _ = circles
    ens = il.MLP(SIZES, activation="tanh", seed=SEEDS)
    hist = il.fit(ens, X, y, lr=0.1, epochs=4, batch_size=64, seed=21)
    children = np.random.default_rng(21).spawn(len(SEEDS))
    for i, single in enumerate(singles(activation="tanh")):
        h1 = il.fit(single, X, y, lr=0.1, epochs=4, batch_size=64, seed=children[i])
        assert rel(hist.cost[:, i], h1.cost) < 1e-9
        assert rel(ens[i].weights[0], single.weights[0]) < 1e-9
    # members do not share one shuffle: the first epoch's minibatch costs differ
    same = il.MLP(SIZES, activation="tanh", seed=[3, 3])
    h = il.fit(same, X, y, lr=0.1, epochs=1, batch_size=64, seed=21)
    assert h.cost[0, 0] == h.cost[0, 1] and h.cost[1, 0] != h.cost[1, 1]


@pytest.mark.parametrize("batch_size", [None, 32])
def test_a_diverging_member_stops_and_the_others_go_on(circles, batch_size):
    X, y, _, _ = circles
    ens = il.MLP(SIZES, seed=SEEDS)
    ens.weights[0][2] *= 1e155  # member 2 overflows on its first steps
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = il.fit(ens, X, y, lr=1.0, epochs=6, batch_size=batch_size)
        frozen = [W[2].copy() for W in ens.weights + ens.biases]
        il.fit(ens, X, y, lr=1.0, epochs=3, batch_size=batch_size)
    assert list(hist.diverged) == [False, False, True, False, False]
    at = hist.diverged_at[2]
    assert isinstance(at, int) and [d for i, d in enumerate(hist.diverged_at) if i != 2] == [None] * 4
    assert not np.isfinite(hist.cost[at, 2]) and np.all(np.isnan(hist.cost[at + 1:, 2]))
    assert np.all(np.isfinite(np.delete(hist.cost, 2, axis=1)))
    assert hist.cost.shape == (7, 5)
    for p, p0 in zip(ens.weights + ens.biases, frozen):  # a diverged member no longer moves
        np.testing.assert_array_equal(p[2], p0)
    if batch_size is None:
        single = il.MLP(SIZES, seed=SEEDS[0])
        h1 = il.fit(single, X, y, lr=1.0, epochs=6)
        assert rel(hist.cost[:, 0], h1.cost) < 1e-9


def test_all_members_diverged_ends_training(circles):
    X, y, _, _ = circles
    ens = il.MLP(SIZES, seed=range(2))
    ens.weights[0] *= 1e155
    hist = il.fit(ens, X, y, lr=1.0, epochs=50)
    assert hist.diverged.all() and len(hist.cost) == max(hist.diverged_at) + 1 < 51
    assert "diverged=2" in repr(hist)


def test_predictions_scores_and_statistics_have_a_member_axis(circles):
    X, y, _, _ = circles
    ens = il.MLP(SIZES, seed=SEEDS)
    il.fit(ens, X, y, lr=0.1, epochs=30)
    m = len(X)
    assert ens.predict(X).shape == (5, m) and ens.predict_proba(X).shape == (5, m)
    scores, costs = ens.score(X, y), ens.cost(X, y)
    assert scores.shape == costs.shape == (5,)
    stats = il.layer_stats(ens, X, y)
    for i in range(5):
        assert scores[i] == ens[i].score(X, y) and costs[i] == pytest.approx(ens[i].cost(X, y), rel=1e-12)
        one = il.layer_stats(ens[i], X, y)
        for key, value in one.items():
            assert stats[key].shape == (5, len(SIZES) - 1)
            np.testing.assert_allclose(stats[key][i], value, rtol=1e-9, atol=1e-15, err_msg=key)
    no_y = il.layer_stats(ens, X)
    assert no_y["a_std"].shape == (5, 3) and "grad_W_std" not in no_y


@pytest.mark.parametrize("batch_size", [None, 50])
def test_recorded_statistics_are_per_member(circles, batch_size):
    X, y, _, _ = circles
    ens = il.MLP(SIZES, activation="tanh", seed=SEEDS[:3])
    hist = il.fit(ens, X, y, lr=0.1, epochs=6, record_every=2, batch_size=batch_size, seed=4)
    children = np.random.default_rng(4).spawn(3)
    for i, single in enumerate(singles(SEEDS[:3], activation="tanh")):
        h1 = il.fit(single, X, y, lr=0.1, epochs=6, record_every=2, batch_size=batch_size,
                    seed=children[i])
        for key, value in h1.stats.items():
            assert hist.stats[key].shape == (3, 3, 3)
            np.testing.assert_allclose(hist.stats[key][:, i], value, rtol=1e-9, atol=1e-15,
                                       err_msg=key)


def test_softmax_and_linear_ensembles():
    X, y, _, _ = il.datasets.digits(seed=0)
    ens = il.MLP([64, 20, 10], output="softmax", seed=range(3), dtype=np.float32)
    hist = il.fit(ens, X[:200], y[:200], lr=0.1, epochs=3, batch_size=50)
    assert hist.cost.shape == (4, 3) and ens.predict(X[:7]).shape == (3, 7)
    assert ens.predict_proba(X[:7]).shape == (3, 7, 10)
    for i in range(3):
        assert ens[i].score(X[:50], y[:50]) == ens.score(X[:50], y[:50])[i]
    Xr = np.random.default_rng(0).standard_normal((40, 3))
    yr = Xr @ np.array([1.0, -2.0, 0.5])
    reg = il.MLP([3, 8, 1], output="linear", seed=range(2))
    il.fit(reg, Xr, yr, lr=0.05, epochs=20)
    r2 = reg.score(Xr, yr)
    assert r2.shape == (2,) and r2[1] == pytest.approx(reg[1].score(Xr, yr), rel=1e-12)


@pytest.mark.parametrize("seed,error,pattern", [
    ([], ValueError, r"non-empty"),
    ("abc", TypeError, r"sequence of them.*'abc'"),
    (1.5, TypeError, r"1\.5"),
    ([0, -1], ValueError, r"non-negative.*-1"),
])
def test_bad_seeds_are_named(seed, error, pattern):
    with pytest.raises(error, match=pattern):
        il.MLP(SIZES, seed=seed)


def test_member_indexing_errors_and_repr():
    with pytest.raises(TypeError, match="single network has no members"):
        il.MLP(SIZES, seed=0)[0]
    ens = il.MLP(SIZES, seed=range(4))
    with pytest.raises(IndexError, match=r"\[0, 3\].*4"):
        ens[4]
    assert "members=4" in repr(ens) and "members" not in repr(ens[0])
