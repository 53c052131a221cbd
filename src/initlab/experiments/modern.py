"""Chapter 9's experiments: output bias, BatchNorm, width and learning rate (residual stacks: residual_stacks)."""
import numpy as np

from .. import datasets, initializers, optimizers
from .._checks import check_int, check_number, seed_list
from ..mlp import MLP
from ..mup import width_scaling
from ..report import summarize
from ..residual import ResidualMLP
from ..stats import layer_stats
from ..table import Table
from ..train import fit

__all__ = ["first_loss", "checklist", "batchnorm_gradients", "lr_sweep"]


def imbalanced_digits(ratio=0.6, seed=0):
    """Digits with class k kept with probability ratio**k: (X, y, priors) (Chapter 9)."""
    X, y, _, _ = datasets.digits(seed=0)
    keep = np.random.default_rng(seed).random(len(y)) < ratio ** y
    priors = np.bincount(y[keep], minlength=10) / keep.sum()
    return X[keep], y[keep], priors


def _digits_net(factor, priors, seeds):
    """64-64-64-10 ReLU net, He init, output layer scaled by factor, output bias log(priors) or 0."""
    he = initializers.get("he_normal")
    net = MLP([64, 64, 64, 10], activation="relu", output="softmax",
              init=[he, he, initializers.scaled(he, factor)], seed=seeds)
    if priors is not None:
        net.biases[-1][...] = np.log(priors)
    return net


def first_loss(factor=5.0, small=0.1, epochs=100, lr=0.003, seed=range(8)):
    """Cost at init and its hockey stick: a large output layer, a small one, and a small one with
    the output bias at the log prior of the classes, on imbalanced digits, Adam (Chapter 9)."""
    factor = check_number("factor", factor, minimum=0.0, strict=True)
    small = check_number("small", small, minimum=0.0, strict=True)
    epochs, seeds = check_int("epochs", epochs), seed_list(seed)
    X, y, priors = imbalanced_digits()
    H = float(-(priors * np.log(priors)).sum())
    variants = {f"λ = {factor:g}, b = 0": (factor, None), f"λ = {small:g}, b = 0": (small, None),
                f"λ = {small:g}, b = ln prior": (small, priors)}
    rows, curves = [], {}
    for label, (f, p) in variants.items():
        h = fit(_digits_net(f, p, seeds), X, y, lr=lr, epochs=epochs, optimizer="adam")
        cost = h.cost.reshape(len(h.cost), -1)
        curves[label] = cost
        reach = [int(np.argmax(c <= H)) if np.any(c <= H) else np.nan for c in cost.T]
        rows.append([label, summarize(cost[0], sig=3), float(np.median(reach)), float(np.median(cost[-1]))])
    return Table(rows, ["output layer", "cost at init", "epochs to reach H", f"cost after {epochs}"],
                 caption=f"Imbalanced digits: label entropy H = {H:.3g}, ln K = {np.log(10):.3g} (nats); "
                         f"medians of {len(seeds)} seeds", sig=2,
                 data={"cost": curves, "H": H, "ln_K": float(np.log(10)), "priors": priors, "m": len(y)})


def checklist(lr=0.003, epochs=20, seed=range(8)):
    """Karpathy's checks on the net with the log-prior bias: per-layer activation and gradient
    stds at init, and the update:data ratio over the first epochs (Chapter 9)."""
    seeds = seed_list(seed)
    X, y, priors = imbalanced_digits()
    net = _digits_net(0.1, priors, seeds)
    s = layer_stats(net, X, y)
    h = fit(net, X, y, lr=lr, epochs=epochs, optimizer="adam", record_every=1)
    ratio = np.log10(h.stats["update_ratio"]).reshape(-1, len(net.weights))  # (records x seeds, L)
    rows = [[f"{l + 1}" + (" (output)" if l == len(net.weights) - 1 else "")]
            + [float(np.median(s[k][..., l])) for k in ("a_std", "dead", "grad_W_std")]
            + [float(np.median(ratio[:, l]))] for l in range(len(net.weights))]
    return Table(rows, ["layer", "std of a", "dead share", "std of dW", "log10 update:data"], sig=2,
                 caption=f"Medians of {len(seeds)} seeds at init; update:data over Adam's first {epochs} epochs",
                 data={"stats": s, "log_ratio": ratio})


def batchnorm_gradients(depth=50, width=128, m=64, seed=range(8)):
    """Norm of dJ/dx^{[k]} per layer at init: plain He net, plain BatchNorm net (Yang et al. 2019)
    and the BatchNorm net with skips; growth per layer toward the input (Chapter 9)."""
    depth, width, m, seeds = check_int("depth", depth), check_int("width", width), check_int("m", m), seed_list(seed)
    rng = np.random.default_rng(54321)
    X, y = rng.standard_normal((m, width)), rng.integers(0, 10, m)
    nets = {"plain": dict(skip=False), "plain + BN": dict(skip=False, batchnorm=True),
            "residual + BN": dict(batchnorm=True)}
    rows, norms = [], {}
    for label, kw in nets.items():
        net = ResidualMLP(width, 10, width=width, n_blocks=depth, branch_layers=1, seed=seeds, **kw)
        _, grads = net.backward(X, y)
        g = np.stack([np.linalg.norm(a.reshape(len(seeds), -1), axis=1) for a in grads["a"][:-1]], axis=1)
        norms[label] = g
        growth = (g[:, 0] / g[:, -1]) ** (1.0 / depth)
        rows.append([label, summarize(growth, sig=3), float(np.median(g[:, 0] / g[:, -1]))])
    return Table(rows, ["net", "growth per layer", f"|dJ/dx[0]| / |dJ/dx[{depth}]| (median)"], sig=2,
                 caption=f"{depth} layers, width {width}, batch {m}, ReLU; {len(seeds)} seeds",
                 data={"grad_norm": norms, "predicted": float(np.sqrt(np.pi / (np.pi - 1)))})


def _train_scaled(sizes, parametrization, base, lrs, epochs, X, y, seeds):
    """Adam with width_scaling's init and per-layer lr (relative to the base widths), every lr
    and seed at once as one ensemble: the final cost, (lrs, seeds)."""
    s, s0 = width_scaling(sizes, parametrization, "adam"), width_scaling(base, parametrization, "adam")
    init = [initializers.get("normal", std=float(std)) for std in s.init_std]
    net = MLP(sizes, activation="relu", output="linear", init=init, seed=[k for _ in lrs for k in seeds])
    lr = np.repeat(lrs, len(seeds))[:, None, None]  # one lr per member
    scale = [lr * (s.lr[l] / s0.lr[l]) for l in range(len(sizes) - 1)]
    scale += [lr[..., 0] * (s.bias_lr[l] / s0.bias_lr[l]) for l in range(len(sizes) - 1)]
    opt, params = optimizers.get("adam", 1.0), net.weights + net.biases
    X, Y = net.check_Xy(X, y)
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            p = net.forward_backward(X, Y)
            before = [q.copy() for q in params]
            opt.step(params, p.grad_W + p.grad_b)  # Adam's step at lr 1, then scaled per member
            for q, q0, c in zip(params, before, scale):
                q -= q0
                q *= c
                q += q0
        cost = net.output_layer.cost(net.forward(X, keep=False)[0][-1], Y)
    return cost.reshape(len(lrs), len(seeds))


def lr_sweep(widths=(32, 128, 512), lrs=tuple(2.0 ** np.arange(-12, 1, 2)), epochs=40, n_train=128,
             seed=range(8)):
    """Final training cost over learning rates and widths, standard parametrization vs muP (Adam,
    one hidden ReLU layer, a 2-D regression); best lr per width (Chapter 9)."""
    widths = [check_int("width", w) for w in widths]
    lrs = np.array([check_number("lr", v, minimum=0.0, strict=True) for v in lrs])
    epochs, seeds = check_int("epochs", epochs), seed_list(seed)
    X, _, _, _ = datasets.spiral(n_train=check_int("n_train", n_train, 2), noise=0.3, seed=0)
    y = np.sin(3 * X[:, 0]) * np.cos(2 * X[:, 1])
    cost, rows = {}, []
    for par in ("sp", "mup"):
        cost[par] = np.stack([_train_scaled([2, w, 1], par, [2, widths[0], 1], lrs, epochs, X, y, seeds)
                              for w in widths])  # (widths, lrs, seeds)
        for w, c in zip(widths, cost[par]):
            with np.errstate(all="ignore"):
                med = np.median(np.where(np.isfinite(c), c, np.inf), axis=1)
            rows.append([par, w, float(lrs[np.argmin(med)]), float(med.min())])
    return Table(rows, ["parametrization", "width", "best lr", "median cost at best lr"], sig=2,
                 caption=f"Adam, {epochs} full-batch epochs, {len(seeds)} seeds; lr relative to width {widths[0]}",
                 data={"cost": cost, "widths": widths, "lrs": lrs})
