"""Data sets: 2-D toy problems, scikit-learn's digits, the classic assignment's circles (Chapter 1).

Every loader returns (X_train, y_train, X_test, y_test) with X of shape (m, n_0) and integer y,
deterministic under seed.
"""
import numpy as np

from ._checks import as_rng, check_int, check_number

NAMES = ("circles", "moons", "gaussian", "spiral", "xor")


def _sk():
    # scikit-learn takes a second to import: load it when a data set is first asked for
    from sklearn import datasets

    return datasets


def _split(X, y, n_train):
    return X[:n_train], y[:n_train].astype(np.int64), X[n_train:], y[n_train:].astype(np.int64)


def _sizes(n_train, n_test, noise):
    n_train, n_test = check_int("n_train", n_train, 2), check_int("n_test", n_test, 1)
    return n_train, n_test, check_number("noise", noise, minimum=0.0)


def _seed(seed):
    # scikit-learn generators take a legacy RandomState; derive one from our rng
    rng = as_rng(seed)
    if isinstance(rng, np.random.RandomState):
        return rng
    return np.random.RandomState(rng.integers(2**32 - 1))


def circles(n_train=300, n_test=100, noise=0.05, factor=0.5, seed=0):
    """Two concentric circles (scikit-learn make_circles) (Chapter 1)."""
    n_train, n_test, noise = _sizes(n_train, n_test, noise)
    factor = check_number("factor", factor, minimum=0.0, strict=True, maximum=0.999)
    X, y = _sk().make_circles(n_train + n_test, noise=noise, factor=factor, random_state=_seed(seed))
    return _split(X, y, n_train)


def moons(n_train=300, n_test=100, noise=0.1, seed=0):
    """Two interleaving half moons (scikit-learn make_moons) (Chapter 1)."""
    n_train, n_test, noise = _sizes(n_train, n_test, noise)
    X, y = _sk().make_moons(n_train + n_test, noise=noise, random_state=_seed(seed))
    return _split(X, y, n_train)


def gaussian(n_train=300, n_test=100, noise=1.0, seed=0):
    """Two Gaussian blobs centred at (2, 2) and (-2, -2), std noise (Chapter 1)."""
    n_train, n_test, noise = _sizes(n_train, n_test, noise)
    X, y = _sk().make_blobs(n_train + n_test, centers=[[2, 2], [-2, -2]], cluster_std=noise,
                          random_state=_seed(seed))
    return _split(X, y, n_train)


def spiral(n_train=300, n_test=100, noise=0.1, turns=1.25, seed=0):
    """Two interleaved spirals, the hardest 2-D set here (Chapter 1)."""
    n_train, n_test, noise = _sizes(n_train, n_test, noise)
    rng = as_rng(seed)
    m = n_train + n_test
    y = rng.permutation(np.arange(m) % 2)
    r = rng.uniform(0.05, 1.0, m)
    theta = 2 * np.pi * turns * r + np.pi * y
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)]) * 4
    X += noise * rng.standard_normal(X.shape)
    return _split(X, y, n_train)


def xor(n_train=300, n_test=100, noise=0.0, seed=0):
    """Points in a square, labelled by the sign of x1 * x2 (the article's "square") (Chapter 1)."""
    n_train, n_test, noise = _sizes(n_train, n_test, noise)
    rng = as_rng(seed)
    X = rng.uniform(-4, 4, size=(n_train + n_test, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    X += noise * rng.standard_normal(X.shape)
    return _split(X, y, n_train)


def get(name, **kwargs):
    """The 2-D data set called name (Chapter 1)."""
    if name not in NAMES:
        raise ValueError(f"unknown dataset {name!r}; valid: {', '.join(NAMES)}")
    return globals()[name](**kwargs)


def digits(test_size=0.2, seed=0):
    """scikit-learn's 8x8 digits (1,797 images, shipped with scikit-learn), pixels in [0, 1] (Chapter 3)."""
    test_size = check_number("test_size", test_size, minimum=0.0, strict=True, maximum=0.9)
    X, y = _sk().load_digits(return_X_y=True)
    X = X / 16.0
    order = as_rng(seed).permutation(len(X))
    n_train = len(X) - int(round(test_size * len(X)))
    return _split(X[order], y[order], n_train)


def classic_circles():
    """The classic assignment's data: make_circles(300, noise=.05) with numpy seed 1, test seed 2 (Chapter 7).

    The assignment seeds numpy's global generator; a legacy RandomState with the same seed
    draws the same numbers without touching global state.
    """
    X, y = _sk().make_circles(n_samples=300, noise=0.05, random_state=np.random.RandomState(1))
    Xt, yt = _sk().make_circles(n_samples=100, noise=0.05, random_state=np.random.RandomState(2))
    return X, y.astype(np.int64), Xt, yt.astype(np.int64)
