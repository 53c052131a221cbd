"""Data sets: shapes, dtypes, labels, seeding, and the classic assignment's circles."""
import numpy as np
import pytest
from sklearn import datasets as skd

import initlab as il

NAMES = ["circles", "moons", "gaussian", "spiral", "xor"]


def assert_same(a, b):
    assert len(a) == len(b) == 4
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def test_names_are_the_five_toy_sets():
    assert sorted(il.datasets.NAMES) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n_train,n_test", [(300, 100), (50, 7)])
def test_shapes_dtypes_labels(name, n_train, n_test):
    X, y, Xt, yt = il.datasets.get(name, n_train=n_train, n_test=n_test, seed=0)
    assert X.shape == (n_train, 2) and Xt.shape == (n_test, 2)
    assert y.shape == (n_train,) and yt.shape == (n_test,)
    assert X.dtype == Xt.dtype == np.float64
    assert y.dtype == yt.dtype == np.int64
    assert set(np.unique(y)) == {0, 1}
    assert set(np.unique(yt)) <= {0, 1}
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Xt))
    # train and test are different points
    assert not np.any(np.all(X[:, None, :] == Xt[None, :, :], axis=2))


@pytest.mark.parametrize("name", NAMES)
def test_deterministic_under_seed(name):
    ref = il.datasets.get(name, seed=5)
    assert_same(il.datasets.get(name, seed=5), ref)
    assert_same(il.datasets.get(name, seed=np.random.default_rng(5)), ref)
    assert_same(il.datasets.get(name, seed=np.random.RandomState(5)),
                il.datasets.get(name, seed=np.random.RandomState(5)))
    other = il.datasets.get(name, seed=6)
    assert not np.array_equal(other[0], ref[0])


def test_get_is_the_named_loader():
    assert_same(il.datasets.get("moons", noise=0.2, seed=1), il.datasets.moons(noise=0.2, seed=1))


def test_circles_geometry():
    X, y, Xt, yt = il.datasets.circles(noise=0.0, factor=0.3, seed=2)
    r = np.hypot(X[:, 0], X[:, 1])
    # scikit-learn: label 0 is the outer circle (radius 1), label 1 the inner one (radius factor)
    np.testing.assert_allclose(r[y == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(r[y == 1], 0.3, rtol=1e-12)
    Xn, yn, _, _ = il.datasets.circles(n_train=2000, noise=0.05, seed=2)
    residual = np.hypot(Xn[:, 0], Xn[:, 1]) - np.where(yn == 0, 1.0, 0.5)
    assert 0.04 < np.std(residual) < 0.06  # Gaussian noise of std 0.05 per coordinate


def test_moons_geometry():
    X, y, _, _ = il.datasets.moons(noise=0.0, seed=3)
    np.testing.assert_allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1, X[y == 1, 1] - 0.5), 1.0, rtol=1e-12)


def test_gaussian_centres_and_spread():
    X, y, _, _ = il.datasets.gaussian(n_train=2000, noise=0.5, seed=4)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [2, 2], atol=0.06)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [-2, -2], atol=0.06)
    np.testing.assert_allclose(X[y == 0].std(axis=0), 0.5, rtol=0.1)


def test_xor_labels_are_the_quadrants():
    X, y, Xt, yt = il.datasets.xor(seed=5)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    np.testing.assert_array_equal(yt, (Xt[:, 0] * Xt[:, 1] > 0).astype(int))
    assert np.all(np.abs(X) <= 4)


def test_spiral_is_balanced_and_bounded():
    X, y, Xt, yt = il.datasets.spiral(noise=0.0, seed=6)
    assert np.sum(y) + np.sum(yt) == 200  # 400 points, half in each arm
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r >= 0.2 - 1e-12) & (r <= 4.0 + 1e-12))
    # the two arms are the same curve turned by pi: a point of arm 1 negated lies on arm 0's curve
    theta = np.arctan2(X[:, 0], X[:, 1])  # X = 4 r (sin t, cos t)
    expected = (2 * np.pi * 1.25 * r / 4 + np.pi * y) % (2 * np.pi)
    np.testing.assert_allclose(np.cos(theta), np.cos(expected), atol=1e-9)
    np.testing.assert_allclose(np.sin(theta), np.sin(expected), atol=1e-9)


def test_digits():
    X, y, Xt, yt = il.datasets.digits(seed=0)
    assert X.shape[1] == Xt.shape[1] == 64
    assert len(X) + len(Xt) == 1797 and len(Xt) == round(0.2 * 1797)
    assert X.dtype == np.float64 and y.dtype == yt.dtype == np.int64
    assert X.min() >= 0 and X.max() <= 1 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10)) and set(np.unique(yt)) <= set(range(10))
    # the same images and labels as scikit-learn's, shuffled
    raw, labels = skd.load_digits(return_X_y=True)
    ours = np.column_stack([np.vstack([X, Xt]) * 16, np.concatenate([y, yt])])
    theirs = np.column_stack([raw, labels])
    np.testing.assert_array_equal(ours[np.lexsort(ours.T)], theirs[np.lexsort(theirs.T)])
    assert_same(il.datasets.digits(seed=0), (X, y, Xt, yt))
    assert_same(il.datasets.digits(seed=np.random.default_rng(0)), (X, y, Xt, yt))
    assert not np.array_equal(il.datasets.digits(seed=1)[0], X)
    small = il.datasets.digits(test_size=0.5, seed=0)
    assert len(small[2]) == round(0.5 * 1797)


def test_classic_circles_is_the_assignments_data():
    X, y, Xt, yt = il.datasets.classic_circles()
    X_ref, y_ref = skd.make_circles(n_samples=300, noise=0.05, random_state=np.random.RandomState(1))
    Xt_ref, yt_ref = skd.make_circles(n_samples=100, noise=0.05, random_state=np.random.RandomState(2))
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_array_equal(Xt, Xt_ref)
    np.testing.assert_array_equal(yt, yt_ref)
    assert X.shape == (300, 2) and Xt.shape == (100, 2)
    assert y.dtype == yt.dtype == np.int64
    assert np.sum(y == 0) == np.sum(y == 1) == 150
    assert np.sum(yt == 0) == np.sum(yt == 1) == 50
    assert_same(il.datasets.classic_circles(), (X, y, Xt, yt))
