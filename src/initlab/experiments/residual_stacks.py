"""Chapter 9's residual-stack experiments: the variance of the stream at init, training, and the first steps."""
import numpy as np

from .. import datasets
from .._checks import check_int, seed_list
from ..report import summarize
from ..residual import FIXES, ResidualMLP
from ..table import Table
from ..train import fit

__all__ = ["residual_variance", "residual_training", "first_steps"]


def _stream_variance(net, X):
    zs, _ = net.forward_all(X)
    stream = np.stack(zs[:-1], axis=-3)  # (K, B + 1, m, n)
    return stream.var(axis=(-2, -1))


def residual_variance(n_blocks=100, width=64, m=64, branch_layers=2, seed=range(8)):
    """Variance of the residual stream x^{[k]} per block, for each fix, at init; He init, ReLU;
    the prediction 2^B (none), (1 + B^-2)^B (fixup, two-layer branches), 1 (zero, gate) (Chapter 9)."""
    n_blocks, width, m = check_int("n_blocks", n_blocks), check_int("width", width), check_int("m", m)
    seeds = seed_list(seed)
    X = np.random.default_rng(12345).standard_normal((m, width))
    rows, var = [], {}
    predicted = {"none": 2.0**n_blocks, "zero": 1.0, "gate": 1.0,
                 "fixup": (1 + n_blocks ** -2.0) ** n_blocks if branch_layers == 2 else None}
    for fix in FIXES:
        net = ResidualMLP(width, 2, width=width, n_blocks=n_blocks, branch_layers=branch_layers,
                          fix=fix, seed=seeds)
        v = _stream_variance(net, X).reshape(len(seeds), -1)
        var[fix] = v
        ratio = v[:, -1] / v[:, 0]
        rows.append([fix, float(np.median(ratio)), predicted[fix], summarize(ratio ** (1 / n_blocks), sig=3)])
    return Table(rows, ["fix", f"Var(x[{n_blocks}]) / Var(x[0])", "predicted", "growth per block"], sig=2,
                 caption=f"{n_blocks} blocks of {branch_layers} He layers, width {width}, {m} inputs",
                 data={"var": var, "n_blocks": n_blocks})


def residual_training(n_blocks=30, width=16, epochs=100, lr=0.01, n_train=128, seed=range(8)):
    """Train the residual net with each fix on the spiral, Adam, full batch: train accuracy and
    cost over seeds (Chapter 9)."""
    seeds = seed_list(seed)
    X, y, _, _ = datasets.spiral(n_train=check_int("n_train", n_train, 2), seed=0)
    rows, costs = [], {}
    for fix in FIXES:
        net = ResidualMLP(2, 2, width=width, n_blocks=n_blocks, fix=fix, seed=seeds)
        h = fit(net, X, y, lr=lr, epochs=epochs, optimizer="adam")
        costs[fix] = h.cost.reshape(len(h.cost), -1)
        acc = np.where(np.asarray(h.diverged).ravel(), np.nan, np.ravel(net.score(X, y)))
        s = summarize(acc, at_least=0.95)
        rows.append([fix, s, s.k_of_n, float(np.median(costs[fix][-1]))])
    return Table(rows, ["fix", "train accuracy", "accuracy >= 0.95", f"cost after {epochs} (median)"], sig=2,
                 caption=f"{n_blocks} blocks, width {width}, spiral ({n_train} points), Adam lr {lr:g}",
                 data={"cost": costs})


def first_steps(n_blocks=30, width=16, steps=(0, 1, 3, 10), lr=0.01, n_train=128, seed=range(8)):
    """Var(x^{[B]}) / Var(x^{[0]}) on the spiral after k full-batch Adam steps, for each fix: how fast the
    branches switch on in residual_training's nets (Chapter 9)."""
    steps = [check_int("steps", k, 0) for k in steps]
    seeds = seed_list(seed)
    X, y, _, _ = datasets.spiral(n_train=check_int("n_train", n_train, 2), seed=0)
    rows, ratio = [], {}
    for fix in FIXES:
        after = []
        for k in steps:  # a fresh net per k: the same deterministic run, stopped after k steps
            net = ResidualMLP(2, 2, width=width, n_blocks=n_blocks, fix=fix, seed=seeds)
            if k:
                fit(net, X, y, lr=lr, epochs=k, optimizer="adam")
            v = _stream_variance(net, X).reshape(len(seeds), -1)
            after.append(v[:, -1] / v[:, 0])
        ratio[fix] = np.stack(after, axis=1)  # (seeds, steps)
        rows.append([fix, *[float(np.median(r)) for r in after]])
    return Table(rows, ["fix", *[f"after {k} step{'s' * (k != 1)}" for k in steps]], sig=2,
                 caption=f"Var(x[{n_blocks}]) / Var(x[0]), median of {len(seeds)} seeds; width {width}, "
                         f"spiral ({n_train} points), Adam lr {lr:g}",
                 data={"ratio": ratio, "steps": steps})
