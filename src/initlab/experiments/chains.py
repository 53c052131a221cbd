"""Chapter 2's experiments: deep linear chains, their training, and products of random matrices."""
import numpy as np
from scipy.special import digamma

from .. import initializers
from .._checks import as_rng, check_int, check_number, seed_list
from ..mlp import MLP
from ..report import fmt
from ..table import Table
from ..train import fit

__all__ = ["deep_linear_chain", "chain_table", "random_chain", "radius_gains", "lyapunov_gain",
           "random_gains", "chain_regression", "linear_training"]


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


def chain_table(w, depth=10):
    """Per layer of the chain W = w I: ||a^[l]||, ||dz^[l]|| and ||dW^[l]|| (Chapter 2)."""
    c = deep_linear_chain(w, depth)
    grad_W = c["grad_norm"][1:] * c["a_norm"][:-1]  # dW^[l] = dz^[l] a^[l-1]T, a rank-one matrix
    return Table.from_columns(
        {"layer l": np.arange(1, depth + 1), "||a[l]||": c["a_norm"][1:],
         "||dz[l]||": c["grad_norm"][1:], "||dW[l]||": grad_W},
        caption=f"The chain W = {w:g} I, {depth} layers, x = (1, 1)", data={**c, "grad_W": grad_W})


def random_chain(depth, n=4, spectral_radius=1.0, seed=0, fresh=True):
    """Norms of x through depth random n x n matrices of a chosen spectral radius (Chapter 2).

    fresh=True draws a new matrix per layer; fresh=False repeats the first one at every layer.
    """
    depth, n = check_int("depth", depth), check_int("n", n)
    spectral_radius = check_number("spectral_radius", spectral_radius, minimum=0.0, strict=True)
    if not isinstance(fresh, bool):
        raise TypeError(f"fresh must be True or False, got {fresh!r}")
    rng = as_rng(seed)
    x = rng.standard_normal(n)
    norms, M, W = [np.linalg.norm(x)], np.eye(n), None
    with np.errstate(all="ignore"):
        for _ in range(depth):
            if fresh or W is None:
                W = rng.standard_normal((n, n))
                W *= spectral_radius / np.max(np.abs(np.linalg.eigvals(W)))
            M = W @ M
            norms.append(np.linalg.norm(M @ x))
    return {"a_norm": np.array(norms), "product_norm": float(np.linalg.norm(M, 2)),
            "spectral_radius": spectral_radius}


def _gain(norms):
    return (norms[-1] / norms[0]) ** (1 / (len(norms) - 1))


def _span(values):
    return f"{fmt(min(values), 2)} to {fmt(max(values), 2)}"


def radius_gains(radii=(0.9, 1.0, 1.1, 1.2), depth=100, n=4, seed=range(10)):
    """Per-layer gain of one repeated matrix and of fresh matrices, same spectral radius (Chapter 2)."""
    seeds = seed_list(seed)
    rows, data = [], {"repeated": {}, "fresh": {}}
    for r in radii:
        runs = {kind: [random_chain(depth, n, r, s, fresh=kind == "fresh") for s in seeds]
                for kind in ("repeated", "fresh")}
        gains = {kind: [_gain(c["a_norm"]) for c in cs] for kind, cs in runs.items()}
        for kind in runs:
            data[kind][r] = runs[kind][0]["a_norm"]
        rows.append((r, *[x for kind in runs for x in (float(np.median(gains[kind])), _span(gains[kind]))]))
        data.setdefault("gains", {})[r] = {k: np.array(v) for k, v in gains.items()}
    columns = ["spectral radius", "repeated W: gain", "repeated W: range", "fresh W: gain", "fresh W: range"]
    return Table(rows, columns, sig=2,
                 caption=f"Per-layer gain (||a[{depth}]|| / ||a[0]||)^(1/{depth}) of {n}x{n} matrices: "
                         f"median and range over {len(seeds)} seeds", data=data)


def lyapunov_gain(n, sigma):
    """Newman's typical per-layer gain exp(lambda) of n x n N(0, sigma^2) matrices (Chapter 2)."""
    n = check_int("n", n)
    sigma = check_number("sigma", sigma, minimum=0.0, strict=True)
    return float(sigma * np.exp(0.5 * (np.log(2) + digamma(n / 2))))


def random_gains(n, sigma, depth=100, chains=1000, seed=0):
    """Measured typical gain exp(mean log ||Wa||/||a||) and mean-square gain, fresh W per layer (Chapter 2)."""
    n, depth, chains = check_int("n", n), check_int("depth", depth), check_int("chains", chains)
    sigma = check_number("sigma", sigma, minimum=0.0, strict=True)
    rng = as_rng(seed)
    a = rng.standard_normal((chains, n))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    logs, squares = np.zeros(chains), np.zeros(depth)
    for l in range(depth):
        a = np.einsum("cij,cj->ci", sigma * rng.standard_normal((chains, n, n)), a)
        r = np.linalg.norm(a, axis=1)
        logs += np.log(r)
        squares[l] = np.mean(r**2)
        a /= r[:, None]
    return {"typical": float(np.exp(logs.mean() / depth)), "mean_square": float(squares.mean()),
            "log_norms": logs}


A_TRUE = np.array([[1.0, 0.5], [-0.5, 1.0]])


def chain_regression(seed=0, m=200):
    """m inputs x ~ N(0, I_2) and targets y = A x + 0.1 noise (Chapter 2's regression data)."""
    rng = as_rng(seed)
    X = rng.standard_normal((check_int("m", m), 2))
    return X, X @ A_TRUE.T + 0.1 * rng.standard_normal((m, 2))


def _rises(cost):
    """Epochs in which a finite cost went up by more than 1e-6 relative."""
    c = cost[np.isfinite(cost)]
    return int(np.sum(c[1:] > c[:-1] * (1 + 1e-6)))


def linear_training(gains=(0.5, 1.0, 1.5), lrs=(0.01,), depth=10, epochs=300, seed=range(8)):
    """Train the linear chain W = gain I on one regression data set per seed, per gain and lr (Chapter 2)."""
    depth, epochs = check_int("depth", depth), check_int("epochs", epochs)
    seeds = seed_list(seed)
    data_sets = [chain_regression(s) for s in seeds]
    rows, data = [], {}
    for g in gains:
        g = check_number("gain", g)
        init = initializers.get("identity", gain=g)
        for lr in lrs:
            r = {k: [] for k in ("grad", "cost", "rises", "size", "at")}
            for X, Y in data_sets:
                net = MLP([2] * (depth + 1), activation="linear", output="linear", init=init)
                r["grad"].append([np.linalg.norm(gW) for gW in net.backward(X, Y)[1]["W"]])
                h = fit(net, X, Y, lr=lr, epochs=epochs)
                cost = np.full(epochs + 1, np.inf)
                cost[:len(h.cost)] = h.cost
                r["cost"].append(cost), r["rises"].append(_rises(h.cost)), r["at"].append(h.diverged_at)
                r["size"].append(np.nan if h.diverged else np.linalg.norm(np.linalg.multi_dot(net.weights[::-1]), 2))
            r = data[g, lr] = {k: np.array(v, dtype=float if k != "at" else object) for k, v in r.items()}
            finite = np.isfinite(r["cost"][:, -1])
            final = r["cost"][finite, -1]
            rows.append((g, lr, float(np.median(r["grad"][:, 0])), float(np.median(r["cost"][:, 0])),
                         float(np.median(r["cost"][:, 1])), float(np.median(final)) if finite.any() else None,
                         int((~finite).sum()), int(r["rises"][finite].max()) if finite.any() else None,
                         float(np.nanmedian(r["size"])) if finite.any() else None))
    columns = ["gain", "lr", "|dW[1]| at init", "cost, epoch 0", "cost, epoch 1", f"cost, epoch {epochs}",
               "diverged", "rises", "|W[L]...W[1]| after"]
    return Table(rows, columns, sig=2, data=data,
                 caption=f"{depth}-layer linear chain W = gain I on {len(seeds)} data sets: medians over "
                         f"the runs that stayed finite; diverged: runs; rises: the most epochs a finite "
                         f"cost went up")
