"""Per-layer statistics of a network and the experiments built on them (Chapters 2-5)."""
import numpy as np

from . import activations, initializers
from ._checks import as_rng, check_choice, check_int, check_number

FORWARD = ("z_mean", "z_std", "a_mean", "a_std", "saturation", "dead")
BACKWARD = ("grad_a_std", "grad_W_std")
INPUTS = ("normal", "uniform", "binary")


def _mean_std(x):
    """Mean and std of one array, computed in float64."""
    means, stds = moments([x])
    return means[0], stds[0]


def moments(arrays):
    """Means and stds (float64, two passes) of several arrays: few numpy calls for small ones."""
    sizes = np.array([a.size for a in arrays])
    if sizes.sum() > 100_000:  # big arrays: per-array calls cost nothing next to the arithmetic
        means = np.array([a.mean(dtype=np.float64) for a in arrays])
        stds = np.array([np.sqrt(np.mean(np.square(a - m, dtype=np.float64)))
                         for a, m in zip(arrays, means)])
        return means, stds
    flat = np.concatenate([a.reshape(-1) for a in arrays], dtype=np.float64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    means = np.add.reduceat(flat, starts) / sizes
    d = flat - np.repeat(means, sizes)  # two passes: exact even when the mean dwarfs the spread
    return means, np.sqrt(np.add.reduceat(d * d, starts) / sizes)


def _saturation_masks(net, zs, acts):
    masks = [f.saturated(z, a) for f, z, a in zip(net._acts, zs, acts)]
    out = acts[-1]
    if net.output == "sigmoid":
        masks.append(np.abs(2 * out - 1) > 0.97)
    elif net.output == "softmax":
        masks.append(np.broadcast_to(out.max(axis=1, keepdims=True) > 0.97, out.shape))
    else:
        masks.append(np.zeros(out.shape, dtype=bool))
    return masks


def from_pass(net, zs, acts, gW=None, ga=None):
    """Per-layer statistics from one forward (and backward) pass already computed (Chapter 3)."""
    L = len(zs)
    with np.errstate(all="ignore"):
        arrays = zs + acts + (ga + gW if gW is not None else [])
        means, stds = moments(arrays)
        out = {"z_mean": means[:L], "z_std": stds[:L], "a_mean": means[L:2 * L],
               "a_std": stds[L:2 * L]}
        if gW is not None:
            out["grad_a_std"], out["grad_W_std"] = stds[2 * L:3 * L], stds[3 * L:]
        sat, dead = np.empty(L), np.empty(L)
        for l, mask in enumerate(_saturation_masks(net, zs, acts)):
            sat[l] = np.count_nonzero(mask) / mask.size
            dead[l] = np.count_nonzero(mask.all(axis=0)) / mask.shape[1]
    out["saturation"], out["dead"] = sat, dead
    return out


def layer_stats(net, X, y=None):
    """Per-layer activation statistics on X and, given y, gradient statistics (Chapter 3).

    Keys (arrays of length L, one entry per weight layer): z_mean, z_std, a_mean, a_std,
    saturation (fraction of units in the flat part of their activation), dead (fraction of
    units flat on every example); with y also grad_a_std and grad_W_std. The last entry is the
    output layer, whose grad_a_std is the std of d cost / d z_L.
    """
    if y is None:
        zs, acts = net.forward_all(X)
        return from_pass(net, zs, acts)
    X, Y = net.check_Xy(X, y)
    with np.errstate(all="ignore"):
        zs, acts = net._forward(X)
        gW, _, ga, _ = net._backward(X, Y, zs, acts, keep=True)
    return from_pass(net, zs, acts, gW, ga)


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
            z_std[l], a_std[l] = _mean_std(z)[1], _mean_std(a)[1]
        g = rng.standard_normal((m, width))
        for l in range(depth - 1, -1, -1):
            g_std[l] = _mean_std(g)[1]
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
