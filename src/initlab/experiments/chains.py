"""The course's experiments on chains of layers: variance profiles, deep linear and random chains (Chapters 2-4)."""
import numpy as np

from .. import activations, initializers, stats
from .._checks import as_rng, check_choice, check_int, check_number

__all__ = ["INPUTS", "variance_profile", "deep_linear_chain", "random_chain"]

INPUTS = ("normal", "uniform", "binary")


def _std(x):
    """Std of one array, computed in float64 as stats.moments does."""
    return stats.moments([x])[1][0]


def _inputs(kind, m, n, rng):
    check_choice("input", kind, INPUTS)
    if kind == "normal":
        return rng.standard_normal((m, n))
    if kind == "uniform":
        return rng.uniform(-np.sqrt(3), np.sqrt(3), size=(m, n))  # unit variance
    return rng.integers(0, 2, size=(m, n)).astype(np.float64)


def variance_profile(depth, width, activation="tanh", init="glorot_normal", factor=1.0,
                     input="normal", m=500, seed=0):
    """Std of activations forward and of gradients backward through depth layers (Chapter 3).

    A stack of `depth` square layers of `width` units; a N(0, 1) gradient is injected at the
    last layer and propagated back. Returns arrays of length depth (layer 1 first).
    """
    depth, width, m = check_int("depth", depth), check_int("width", width), check_int("m", m)
    factor = check_number("factor", factor, minimum=0.0)
    f = activations.get(activation)
    base = initializers.resolve(init)
    rng = as_rng(seed)
    X = _inputs(input, m, width, rng)
    a_std, z_std, g_std = np.empty(depth), np.empty(depth), np.empty(depth)
    Ws, zs, acts = [], [], []
    a = X
    with np.errstate(all="ignore"):
        for l in range(depth):
            W = base((width, width), rng) * factor
            z = a @ W.T
            a = f(z)
            Ws.append(W), zs.append(z), acts.append(a)
            z_std[l], a_std[l] = _std(z), _std(a)
        g = rng.standard_normal((m, width))
        for l in range(depth - 1, -1, -1):
            g_std[l] = _std(g)
            g = (g * f.derivative(zs[l], acts[l])) @ Ws[l]
    diverged = not (np.all(np.isfinite(a_std)) and np.all(np.isfinite(g_std)))
    return {"a_std": a_std, "z_std": z_std, "grad_a_std": g_std, "input_std": float(X.std()),
            "diverged": diverged}


def deep_linear_chain(w, depth, x=None):
    """The notes' deep linear net y = W^[L] ... W^[1] x with W = w I (2x2) (Chapter 2).

    Returns the activation norm after each layer (index 0 is x) and the norm of the gradient
    of y's sum with respect to each layer's input; both are exact powers of w.
    """
    w = check_number("w", w)
    depth = check_int("depth", depth)
    x = np.ones(2) if x is None else np.asarray(x, dtype=np.float64)
    if x.shape != (2,):
        raise ValueError(f"x must have shape (2,) (the chain is 2x2), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x contains NaN or inf values: {x!r}")
    W = w * np.eye(2)
    a = [x]
    with np.errstate(all="ignore"):
        for _ in range(depth):
            a.append(W @ a[-1])
        g = [np.ones(2)]
        for _ in range(depth):
            g.append(W.T @ g[-1])
    return {"a_norm": np.array([np.linalg.norm(v) for v in a]),
            "grad_norm": np.array([np.linalg.norm(v) for v in g[::-1]]),
            "exact": np.linalg.norm(x) * np.abs(w) ** np.arange(depth + 1), "w": w}


def random_chain(depth, n=4, spectral_radius=1.0, seed=0):
    """Norms of x through a product of depth random n x n matrices of a chosen spectral radius (Chapter 2)."""
    depth, n = check_int("depth", depth), check_int("n", n)
    spectral_radius = check_number("spectral_radius", spectral_radius, minimum=0.0, strict=True)
    rng = as_rng(seed)
    x = rng.standard_normal(n)
    norms, M = [np.linalg.norm(x)], np.eye(n)
    with np.errstate(all="ignore"):
        for _ in range(depth):
            W = rng.standard_normal((n, n))
            W *= spectral_radius / np.max(np.abs(np.linalg.eigvals(W)))
            M = W @ M
            norms.append(np.linalg.norm(M @ x))
    return {"a_norm": np.array(norms), "product_norm": float(np.linalg.norm(M, 2)),
            "spectral_radius": spectral_radius}
