"""Chapter 1's experiments: equal weights, zero weights by activation, too small and too large, the playground.

Training comparisons run members seed, seed + 1, ..., seed + n_seeds - 1 as one ensemble; a
constant initialization draws no random numbers, so one network stands for every seed. The
data are fixed: circles(seed=0) and moons(seed=0).
"""
import numpy as np

from .. import datasets, initializers
from .._checks import check_int, check_number
from ..mlp import MLP
from ..report import fmt, summarize
from ..stats import layer_stats
from ..table import Table
from ..train import fit

__all__ = ["row_spread", "symmetry", "zero_init", "too_small_too_large", "playground"]

LECUN = initializers.N_1_OVER_N  # N(0, 1/n^[l-1]): the notes' "Xavier"
ZEROS = initializers.get("zeros")


def _members(seed, n_seeds):
    seed, n_seeds = check_int("seed", seed, minimum=0), check_int("n_seeds", n_seeds)
    return list(range(seed, seed + n_seeds))


def row_spread(W):
    """Largest absolute difference between any row of W and its first row; one per member (Chapter 1)."""
    W = np.asarray(W, dtype=float)
    if W.ndim < 2:
        raise ValueError(f"W must be a matrix (or a stack of them), got shape {W.shape}")
    return np.abs(W - W[..., :1, :]).max(axis=(-2, -1))


def _values(x):
    return np.atleast_1d(np.asarray(x, dtype=float))


def _one_or_summary(values, **threshold):
    return float(values[0]) if len(values) == 1 else summarize(values, **threshold)


def symmetry(seed=0, n_seeds=8, epochs=300, lr=0.5):
    """Constant vs random weights in a [2, 10, 5, 1] net on the circles: rows, ranks, accuracy (Chapter 1)."""
    X, y, _, _ = datasets.circles(seed=0)
    members = _members(seed, n_seeds)
    inits = {"zeros": ZEROS, "constant 0.5": initializers.get("constant", value=0.5), "N(0, 1/n)": LECUN}
    rows, data = [], {"spread": {}, "rank": {}, "accuracy": {}}
    for act in ("tanh", "relu", "sigmoid"):
        for name, init in inits.items():
            net = MLP([2, 10, 5, 1], activation=act, init=init, seed=members if init is LECUN else seed)
            fit(net, X, y, lr=lr, epochs=epochs)
            key = (act, name)
            data["spread"][key] = max(float(np.max(row_spread(W))) for W in net.weights[:2])
            data["rank"][key] = [np.atleast_1d(np.linalg.matrix_rank(W)) for W in net.weights[:2]]
            data["accuracy"][key] = acc = _values(net.score(X, y))
            ranks = [int(r.min()) if r.min() == r.max() else f"{r.min()}-{r.max()}" for r in data["rank"][key]]
            rows.append((act, name, data["spread"][key], *ranks, _one_or_summary(acc)))
    return Table(rows, ["activation", "init", "row spread", "rank W1", "rank W2", "train accuracy"],
                 caption=f"[2, 10, 5, 1] on the circles after {epochs} epochs (lr {lr:g}); row spread: "
                         f"largest difference between rows of a hidden W; random: {n_seeds} seeds",
                 sig=2, floor=1e-12, data=data)


ZERO_RUNS = {  # label: (activation, layer sizes, init)
    "tanh, zeros": ("tanh", [2, 10, 1], ZEROS),
    "relu, zeros": ("relu", [2, 10, 1], ZEROS),
    "sigmoid, zeros": ("sigmoid", [2, 10, 1], ZEROS),
    "sigmoid, zeros, 2 hidden": ("sigmoid", [2, 10, 5, 1], ZEROS),
    "logistic regression": ("sigmoid", [2, 1], ZEROS),
    "sigmoid, N(0, 1/n)": ("sigmoid", [2, 10, 1], LECUN),
}


def zero_init(seed=0, n_seeds=8, epochs=600, lr=4.0, plateau=0.6):
    """Zero weights by activation on the moons, against logistic regression and random weights (Chapter 1)."""
    X, y, X_test, y_test = datasets.moons(seed=0)
    members = _members(seed, n_seeds)
    q = float(np.mean(y))
    data = {"q": q, "entropy": -(q * np.log(q) + (1 - q) * np.log(1 - q)), "X": X, "y": y, "nets": {},
            "grad_norm": {}, "left": {}, "spread": {}, "cost": {}, "accuracy": {}, "test_accuracy": {}}
    rows = []
    for label, (act, sizes, init) in ZERO_RUNS.items():
        net = MLP(sizes, activation=act, init=init, seed=members if init is LECUN else seed)
        grads = net.backward(X, y)[1]["W"]
        data["grad_norm"][label] = g0 = [float(np.median(np.linalg.norm(g, axis=(-2, -1)))) for g in grads]
        cost = fit(net, X, y, lr=lr, epochs=epochs).cost.reshape(epochs + 1, -1)
        below = cost < plateau
        data["left"][label] = int(np.median(np.argmax(below, axis=0))) if below.any(axis=0).all() else None
        data["spread"][label] = max((float(np.max(row_spread(W))) for W in net.weights[:-1]), default=None)
        data["cost"][label] = cost[-1]
        data["accuracy"][label] = acc = _values(net.score(X, y))
        data["test_accuracy"][label] = _values(net.score(X_test, y_test))
        data["nets"][label] = net if net.n_members is None else net[0]
        rows.append((label, ", ".join(fmt(g, 2) for g in g0), data["left"][label],
                     data["spread"][label], float(np.median(cost[-1])), float(np.median(acc)),
                     float(np.median(data["test_accuracy"][label]))))
    return Table(rows, ["run", "|dW| at init", f"cost < {plateau:g} at epoch", "row spread", "final cost",
                        "train accuracy", "test accuracy"],
                 caption=f"Moons, lr {lr:g}, {epochs} epochs; |dW|: norm of each layer's weight gradient; "
                         f"random weights: {n_seeds} seeds (medians)", sig=2, floor=1e-12, data=data)


def too_small_too_large(factors=(0.1, 1.0, 10.0, 30.0), seed=0, n_seeds=8, epochs=300, lr=1.0,
                        target=0.1, chaos=1e-6):
    """N(0, 1/n) times a factor in a [2, 10, 10, 10, 1] net on the circles, per activation (Chapter 1).

    Each ensemble also trains a twin of every member, its initial weights moved up by one unit in
    the last place; a setting is chaotic when a twin's final cost differs by more than chaos
    (relative), and the table then prints "varies" instead of machine-dependent numbers.
    """
    factors = [check_number("factor", f, minimum=0.0, strict=True) for f in factors]
    target, chaos = check_number("target", target, minimum=0.0), check_number("chaos", chaos, minimum=0.0)
    X, y, _, _ = datasets.circles(seed=0)
    members = _members(seed, n_seeds)
    K = len(members)
    rows, data = [], {"cost": {}, "stats": {}, "k": {}, "drift": {}, "dead": {}, "chaotic": []}
    for act in ("tanh", "sigmoid", "relu"):
        data["cost"][act] = {}
        for f in factors:
            net = MLP([2, 10, 10, 10, 1], activation=act, init=initializers.scaled(LECUN, f), seed=2 * members)
            for W in net.weights:
                W[K:] = np.nextafter(W[K:], np.inf)
            s0 = {k: v[:K] for k, v in layer_stats(net, X, y).items()}
            cost, twin = np.split(fit(net, X, y, lr=lr, epochs=epochs).cost, 2, axis=1)
            dead = 100 * layer_stats(net, X)["dead"][:K, :-1].mean(axis=1)
            drift = float(np.max(np.abs(twin[-1] / cost[-1] - 1)))
            k = int((cost < target).any(axis=0).sum())
            key, chaotic = (act, f), drift > chaos
            data["cost"][act][f"λ = {f:g}"], data["stats"][key], data["dead"][key] = cost, s0, dead
            data["k"][key], data["drift"][key] = k, drift
            data["chaotic"] += [key] if chaotic else []
            rows.append((act, f, float(np.median(cost[0])), float(np.median(s0["grad_W_std"][:, 0])),
                         float(np.median(s0["grad_W_std"][:, -1])),
                         float(np.median(100 * s0["saturation"][:, :-1].mean(axis=1))),
                         "some" if chaotic and 0 < k < K else f"{k} of {K}",
                         "varies" if chaotic else float(np.median(cost[-1])),
                         "varies" if chaotic else float(np.median(dead))))
    return Table(rows, ["activation", "λ", "cost at init", "std dW1", "std dW4", "flat at init (%)",
                        f"cost < {target:g}", "final cost", "dead after (%)"],
                 caption=f"[2, 10, 10, 10, 1] on the circles, lr {lr:g}, {epochs} epochs, medians over "
                         f"{K} seeds; varies: chaotic setting (a 1-ulp nudge of the weights changes the "
                         f"final cost)", sig=2, data=data)


PLAYGROUND = {name: initializers.PLAYGROUND_PRESETS[name] for name in ("Zero", "Too small", "Appropriate",
                                                                      "Too large")}


def playground(seed=0, n_seeds=8, checkpoints=(0, 100, 300, 600, 1000, 1500), lr=0.1, rises_within=200):
    """The article's playground, [2, 6, 3, 1] ReLU on the circles: cost at checkpoints, snapshots (Chapter 1).

    data: cost {init: (epochs + 1, seeds)}, nets {init: {epoch: seed's network}}, accuracy, rises
    (per seed, epochs among the first rises_within whose cost went up by more than 1e-6 relative).
    """
    checkpoints = [check_int("checkpoint", c, minimum=0) for c in checkpoints]
    if checkpoints[0] != 0 or np.any(np.diff(checkpoints) <= 0):
        raise ValueError(f"checkpoints must start at 0 and increase, got {checkpoints}")
    X, y, _, _ = datasets.circles(seed=0)
    members = _members(seed, n_seeds)
    data = {"X": X, "y": y, "checkpoints": checkpoints, "cost": {}, "nets": {}, "accuracy": {}, "rises": {}}
    rows = []
    for name, init in PLAYGROUND.items():
        net = MLP([2, 6, 3, 1], activation="relu", init=init, seed=seed if name == "Zero" else members)
        pick = (lambda n: n.copy()) if net.n_members is None else (lambda n: n[0])
        nets, costs = {0: pick(net)}, []
        for start, stop in zip(checkpoints, checkpoints[1:]):
            cost = fit(net, X, y, lr=lr, epochs=stop - start).cost.reshape(stop - start + 1, -1)
            costs.append(cost if start == 0 else cost[1:])
            nets[stop] = pick(net)
        cost = np.concatenate(costs)
        n = min(rises_within, len(cost) - 1)
        data["rises"][name] = np.sum(cost[1:n + 1] > cost[:n] * (1 + 1e-6), axis=0)
        data["cost"][name], data["nets"][name] = cost, nets
        data["accuracy"][name] = _values(net.score(X, y))
        rows.append((name, *(float(np.median(cost[e])) for e in checkpoints),
                     float(np.median(data["accuracy"][name])), float(np.median(data["rises"][name]))))
    return Table(rows, ["init", *(f"epoch {e}" for e in checkpoints), "train accuracy",
                        f"rises in {rises_within}"],
                 caption=f"Playground, [2, 6, 3, 1] ReLU on the circles, lr {lr:g}: median cost over "
                         f"{n_seeds} seeds; rises: epochs whose cost went up", sig=2, data=data)
