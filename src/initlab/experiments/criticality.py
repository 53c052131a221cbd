"""Chapter 8's experiments on criticality: the tanh phase diagram, trainable depth, LSUV's rescue."""
import numpy as np

from .. import activations, datasets, theory
from .._checks import check_int, derived_rng, seed_list
from ..lsuv import lsuv
from ..mlp import MLP
from ..stats import layer_stats
from ..table import Table
from ..train import fit

__all__ = ["phase_diagram", "trainability", "lsuv_rescue"]


def phase_diagram(activation="tanh", sigma_w2=np.linspace(0.25, 4.0, 16), sigma_b2=np.linspace(0.0, 0.3, 13),
                  table_b2=(0.0, 0.05, 0.1, 0.3)):
    """chi_1 over the (sigma_w2, sigma_b2) plane; critical sigma_w2 and q* for a few sigma_b2 (Chapter 8)."""
    chi = np.array([[theory.chi1(w, b, activation) for w in sigma_w2] for b in sigma_b2])
    rows = []
    for b in table_b2:
        w = theory.critical_sigma_w2(b, activation)
        rows.append((b, w, theory.fixed_point(w, b, activation)))
    return Table(rows, ("σ_b²", "critical σ_w²", "q* there"), sig=3, caption=f"The edge of chaos, {activation}",
                 data={"chi1": chi, "sigma_w2": np.asarray(sigma_w2), "sigma_b2": np.asarray(sigma_b2),
                       "activation": activation})


def _standardized_digits(m):
    X, y, _, _ = datasets.digits(seed=0)
    sd = X.std(axis=0)
    return (X[:m] - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0), y[:m]


def trainability(sigma_w2=(0.5, 1.0, 1.5, 2.5, 4.0), depths=(4, 8, 16), sigma_b2=0.05, width=24, m=64,
                 steps=40, lr=0.004, at_least=0.5, seed=range(8)):
    """Train tanh nets over a grid of sigma_w2 and depth: seeds reaching train accuracy at_least (Chapter 8).

    Schoenholz et al. (2017): nets train up to about 6 xi_c layers. Here: m standardized digits,
    full-batch Adam for `steps` steps, W ~ N(0, sigma_w2 / n_in), b ~ N(0, sigma_b2). Member k of
    every sigma_w2 draws the same standard normals (seed k), scaled.
    """
    seeds, G = seed_list(seed), len(sigma_w2)
    X, y = _standardized_digits(check_int("m", m))
    scale = np.repeat(np.sqrt(np.asarray(sigma_w2, dtype=float)), len(seeds))
    acc = np.zeros((G, len(depths), len(seeds)))
    for j, L in enumerate(depths):
        net = MLP([X.shape[1]] + [width] * (check_int("depth", L) - 1) + [10], activation="tanh", output="softmax",
                  init="normal", seed=list(seeds) * G)
        rng = derived_rng(L, seeds)
        for W, b in zip(net.weights, net.biases):
            W *= (scale / np.sqrt(W.shape[-1]))[:, None, None]
            b[...] = np.sqrt(sigma_b2) * np.tile(rng.standard_normal((len(seeds),) + b.shape[1:]), (G, 1))
        fit(net, X, y, lr=lr, epochs=check_int("steps", steps), optimizer="adam")
        acc[:, j] = net.score(X, y).reshape(G, len(seeds))
    k = (acc >= at_least).sum(axis=-1)
    xi = np.array([theory.xi_c(s, sigma_b2, "tanh") for s in sigma_w2])
    crit = theory.critical_sigma_w2(sigma_b2, "tanh")
    ordered = np.linspace(min(sigma_w2), crit, 24)[:-1]
    curve = sorted([(w, theory.xi_c(w, sigma_b2, "tanh")) for w in ordered] + [(crit, np.inf)]
                   + [(w, x) for w, x in zip(sigma_w2, xi) if w > crit])
    rows = []
    for g, s in enumerate(sigma_w2):
        ok = [L for L, kk in zip(depths, k[g]) if 2 * kk > len(seeds)]
        rows.append([s, theory.chi1(s, sigma_b2, "tanh"), 6 * xi[g]]
                    + [f"{kk} of {len(seeds)}" for kk in k[g]] + [max(ok) if ok else "none"])
    cols = ["σ_w²", "χ₁", "6 ξ_c"] + [f"L = {L}" for L in depths] + ["deepest L trained (most seeds)"]
    return Table(rows, cols, sig=2, caption=f"tanh nets, σ_b² = {sigma_b2:g}: seeds reaching train accuracy "
                                            f"{at_least:g} after {steps} Adam steps on {m} digits",
                 data={"accuracy": acc, "k": k, "sigma_w2": np.asarray(sigma_w2, dtype=float),
                       "depths": tuple(depths),
                       "xi_c": xi, "xi_curve": tuple(np.array(curve).T), "sigma_b2": sigma_b2,
                       "at_least": at_least})


RESCUES = ("glorot_uniform", "LSUV", "LSUV + centred biases")


def _rescued(sizes, activation, how, X, seeds):
    net = MLP(sizes, activation=activation, output="softmax", init="glorot_uniform", seed=seeds)
    passes = None
    if how != "glorot_uniform":
        net, result = lsuv(net, X, seed=seeds[0], center=how == "LSUV + centred biases")
        passes = result.passes
    return net, passes


def lsuv_rescue(activations=("sigmoid", "tanh"), trained=("sigmoid",), depth=20, hidden=4, width=100, m=256,
                lr=0.1, epochs=3, batch_size=64, seed=range(8)):
    """LSUV (Mishkin & Matas 2016) on the deep nets of chapters 3 and 5: at init, and trained (Chapter 8).

    At init: `depth` hidden layers on m standardized digits (chapter 3's net); trained (activations
    in `trained`): chapter 5's `hidden` hidden layers on all digits, minibatch SGD. glorot_uniform
    vs LSUV vs LSUV with centred biases (il.lsuv(center=True)). Medians over the seeds.
    """
    seeds = seed_list(seed)
    X, y = _standardized_digits(check_int("m", m))
    Xtr, ytr, Xte, yte = datasets.digits(seed=0)
    rows, z_std, grads, costs, accs = [], {}, {}, {}, {}
    for act in activations:
        for how in RESCUES:
            label = f"{act}, {how}"
            net, passes = _rescued([64] + [width] * check_int("depth", depth) + [10], act, how, X, seeds)
            st = layer_stats(net, X, y)
            z_std[label], grads[label] = st["z_std"][:, :-1], st["grad_a_std"][:, :-1]
            row = [act, how, "-" if passes is None else f"{passes.min()} to {passes.max()}",
                   float(np.median(st["z_std"][:, -2] ** 2)),
                   float(np.median(grads[label][:, 0] / grads[label][:, -1]))]
            if act in trained:
                net, _ = _rescued([64] + [width] * check_int("hidden", hidden) + [10], act, how, Xtr[:m], seeds)
                costs[label] = fit(net, Xtr, ytr, lr=lr, epochs=check_int("epochs", epochs),
                                   batch_size=batch_size, seed=0).cost
                accs[label] = net.score(Xte, yte)
                row += [float(np.median(costs[label][-1])), float(np.median(accs[label])),
                        f"{int(np.sum(accs[label] >= 0.5))} of {len(seeds)}"]
            rows.append(row + [None] * (8 - len(row)))
    cols = ("activation", "init", "LSUV passes per layer", f"Var(z) at layer {depth}",
            f"std dJ/da, layer 1 / layer {depth}", f"cost after {epochs} epochs", "test accuracy",
            "test accuracy >= 0.5")
    return Table(rows, cols, sig=2, data={"z_std": z_std, "grad_a_std": grads, "cost": costs, "accuracy": accs},
                 caption=f"Medians of {len(seeds)} seeds. At init: {depth} hidden layers of {width}; "
                         f"trained: {hidden} hidden layers, {epochs} epochs, lr {lr:g}")
