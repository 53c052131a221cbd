"""Chapter 5's experiments: shape vs scale, the tanh gain, the sigmoid's slope vs mean, dead ReLUs."""
import numpy as np
from scipy.special import expit

from .. import datasets, initializers
from .._checks import check_int, check_number
from ..activations import SATURATION, Activation
from ..mlp import MLP
from ..report import fmt, summarize
from ..stats import layer_stats
from ..table import Table
from ..train import fit

__all__ = ["kurtosis", "shifted_sigmoid", "init_shapes", "init_scales", "tanh_gain", "sigmoid_slope_mean",
           "dead_units", "dead_units_training"]

SEEDS = range(8)


def kurtosis(v, axis=None):
    """E[(v - mean)^4] / Var(v)^2 over axis: 1.8 for a uniform, 3 for a normal (Chapter 5)."""
    v = np.asarray(v, dtype=np.float64)
    v = v - v.mean(axis=axis, keepdims=True)
    return np.mean(v**4, axis=axis) / np.mean(v**2, axis=axis) ** 2


def shifted_sigmoid(slope, mean):
    """g(z) = 4 slope (sigmoid(z) - 1/2) + mean: slope g'(0), value g(0) = mean (Chapter 5)."""
    slope = check_number("slope", slope, minimum=0.0, strict=True)
    mean = check_number("mean", mean)
    c, d = 4 * slope, mean - 2 * slope  # g = c sigmoid(z) + d

    def df(z, a):
        s = (a - d) / c
        return c * s * (1 - s)

    return Activation("shifted_sigmoid", lambda z: c * expit(z) + d, df,
                      lambda z, a: np.abs(2 * (a - d) / c - 1) > SATURATION, slope=slope, mean=mean)


def _spread(values):
    """Median and range of one value per seed, as the text "0.93 (0.90-0.97)"."""
    v = summarize(values)
    return f"{fmt(v.median, 2)} ({fmt(v.min, 2)}-{fmt(v.max, 2)})"


def _digits_net(hidden, activation, init, seed):
    """A digits classifier; an int seed is an ensemble of one, so every result has a seed axis."""
    seed = [seed] if isinstance(seed, (int, np.integer)) else seed
    return MLP([64] + list(hidden) + [10], activation=activation, output="softmax", init=init, seed=seed)


def _train(net, lr, epochs):
    """Minibatch SGD on digits (batch 64, shuffles from seed 0); the History and the test accuracies."""
    X, y, X_test, y_test = datasets.digits(seed=0)
    hist = fit(net, X, y, lr=lr, epochs=epochs, batch_size=64, seed=0)
    return hist, net.score(X_test, y_test)


def init_shapes(epochs=1, seed=SEEDS):
    """Uniform vs normal weights of equal variance: kurtosis of W[2] and z[2], and training (Chapter 5)."""
    epochs = check_int("epochs", epochs)
    r = np.sqrt(3) * 0.1  # Var U(-r, r) = r^2 / 3 = 0.1^2
    inits = {"U(-√3σ, √3σ), σ = 0.1": initializers.get("uniform", low=-r, high=r),
             "N(0, σ²), σ = 0.1": initializers.get("normal", std=0.1),
             "glorot_uniform": initializers.get("glorot_uniform"),
             "glorot_normal": initializers.get("glorot_normal")}
    X = datasets.digits(seed=0)[0]
    rows, data = [], {}
    for name, init in inits.items():
        net = _digits_net([100, 100, 100], "tanh", init, seed)
        zs = net.forward_all(X)[0]  # (seeds, images, units) per layer
        k_W, k_z = kurtosis(net.weights[1], axis=(1, 2)), kurtosis(zs[1], axis=(1, 2))
        _, acc = _train(net, 0.1, epochs)
        data[name] = {"kurtosis_W": k_W, "kurtosis_z": k_z, "test": acc}
        rows.append((name, np.median(k_W), np.median(k_z), _spread(acc)))
    return Table(rows, ["init", "kurtosis W[2]", "kurtosis z[2]", "test accuracy"],
                 caption=f"Tanh net [64, 100, 100, 100, 10], {len(acc)} seeds: kurtosis (median), test "
                         f"accuracy after {epochs} epoch{'s' * (epochs > 1)} (median, range)", data=data)


def init_scales(depth=10, width=100, seed=SEEDS):
    """Zero and N(0, σ²) weights in a deep tanh net at initialization: signal, gradient, cost (Chapter 5)."""
    depth, width = check_int("depth", depth), check_int("width", width)
    X, y, _, _ = datasets.digits(seed=0)
    X, y = X[:500], y[:500]
    rows, data = [], {}
    for std in (0.0, 0.1 / np.sqrt(width), 1 / np.sqrt(width), 10 / np.sqrt(width)):
        init = initializers.get("zeros") if std == 0 else initializers.get("normal", std=std)
        net = _digits_net([width] * depth, "tanh", init, seed)
        s = layer_stats(net, X, y)
        name = "zeros" if std == 0 else f"N(0, {std:.2g}²)"
        data[name] = {"a_std": s["a_std"][:, :-1], "grad_W_std": s["grad_W_std"], "cost": net.cost(X, y)}
        rows.append((name, std * np.sqrt(width), np.median(s["a_std"][:, depth - 1]),
                     np.median(s["grad_W_std"][:, 0]), np.median(data[name]["cost"])))
    cols = ["init", "σ√n", f"a std, layer {depth}", "dJ/dW std, layer 1", "cost at init"]
    return Table(rows, cols, caption=f"Tanh net of {depth} hidden layers of {width} at initialization, "
                                     "500 digits (medians of the seeds)", data=data)


def tanh_gain(depth=20, width=100, gains=(1.0, 5 / 3), lrs=(0.003, 0.1), epochs=2, seed=SEEDS):
    """PyTorch's tanh gain 5/3 vs 1 (xavier_normal) in a deep tanh net: forward std, then SGD at each lr (Chapter 5)."""
    depth, width, epochs = check_int("depth", depth), check_int("width", width), check_int("epochs", epochs)
    lrs = [check_number("lr", lr, minimum=0.0, strict=True) for lr in lrs]
    X, y, _, _ = datasets.digits(seed=0)
    rows, data = [], {}
    for g in gains:
        init = initializers.get("xavier_normal", gain=check_number("gain", g, minimum=0.0, strict=True))
        s = layer_stats(_digits_net([width] * depth, "tanh", init, seed), X[:500], y[:500])  # on 500 images
        run = {"a_std": s["a_std"][:, :-1], "saturation": s["saturation"][:, :-1],
               "grad_W_std": s["grad_W_std"], "cost": {}, "test": {}}
        for lr in lrs:  # the same initial nets, trained at each learning rate
            hist, run["test"][lr] = _train(_digits_net([width] * depth, "tanh", init, seed), lr, epochs)
            run["cost"][lr] = hist.cost
        data[f"gain {g:.3g}"] = run
        rows.append((f"gain {g:.3g}", np.median(s["a_std"][:, 0]), np.median(s["a_std"][:, depth - 1]),
                     np.median(s["saturation"][:, depth - 1]), np.median(s["grad_W_std"][:, 0]),
                     np.median(run["cost"][lrs[0]][0]), *(_spread(run["test"][lr]) for lr in lrs)))
    cols = ["init", "a std, layer 1", f"a std, layer {depth}", f"saturated, layer {depth}",
            "dJ/dW std, layer 1", "cost at init", *(f"test accuracy, lr {lr:g}" for lr in lrs)]
    return Table(rows, cols, caption=f"xavier_normal(gain), tanh, {depth} hidden layers of {width}, "
                                     f"{len(run['test'][lrs[0]])} seeds: medians at initialization; test accuracy after "
                                     f"{epochs} epochs of SGD (median, range)", data=data)


def sigmoid_slope_mean(depth=4, width=100, lr=0.1, epochs=4, seed=SEEDS):
    """The sigmoid's slope 1/4 and mean 1/2, varied one at a time, with glorot_uniform (Chapter 5)."""
    depth, width, epochs = check_int("depth", depth), check_int("width", width), check_int("epochs", epochs)
    lr = check_number("lr", lr, minimum=0.0, strict=True)
    X = datasets.digits(seed=0)[0]
    cells = {"sigmoid(z)": (0.25, 0.5), "sigmoid(z) - 1/2": (0.25, 0.0),
             "4 sigmoid(z) - 3/2": (1.0, 0.5), "4 sigmoid(z) - 2": (1.0, 0.0)}
    rows, data = [], {}
    for name, (slope, mean) in cells.items():
        net = _digits_net([width] * depth, shifted_sigmoid(slope, mean), "glorot_uniform", seed)
        acts = net.forward_all(X)[1][:-1]
        signal = np.stack([a.std(axis=1).mean(axis=1) for a in acts], axis=1)  # (seeds, layers)
        hist, acc = _train(net, lr, epochs)
        data[name] = {"signal": signal, "cost": hist.cost, "test": acc}
        rows.append((name, slope, mean, np.median(signal[:, -1]), np.median(hist.cost[0]),
                     np.median(hist.cost[-1]), _spread(acc)))
    cols = ["g(z)", "g'(0)", "g(0)", f"signal, layer {depth}", "cost at init",
            f"cost, {epochs} epochs", "test accuracy"]
    return Table(rows, cols, caption=f"{depth} hidden layers of {width}, glorot_uniform, SGD at lr {lr:g}, "
                                     f"{len(acc)} seeds: medians (test accuracy: median, range); signal: "
                                     "std over the images, averaged over the units", data=data)


def _dead(net, X):
    return layer_stats(net, X)["dead"][:, :-1]  # (seeds, hidden layers)


def dead_units(depth=6, width=100, seed=SEEDS):
    """Dead ReLU units at initialization: the same units for every scale of the same draw (Chapter 5)."""
    depth, width = check_int("depth", depth), check_int("width", width)
    X = datasets.digits(seed=0)[0]
    he = initializers.get("he_normal")
    inits = {"he_normal": he, "glorot_normal": initializers.get("glorot_normal"),
             "he_normal × 2": he * 2, "he_uniform": initializers.get("he_uniform")}
    dead = {name: _dead(_digits_net([width] * depth, "relu", init, seed), X) for name, init in inits.items()}
    rows = []
    for name, d in dead.items():
        same = np.all(d == dead["he_normal"], axis=1)  # per seed: every layer's fraction equal
        rows.append((name, _spread(d.mean(axis=1)), summarize(same.astype(float), at_least=1).k_of_n))
    return Table(rows, ["init", "dead fraction", "same as he_normal"],
                 caption=f"ReLU net of {depth} hidden layers of {width} at initialization: dead fraction "
                         "(mean of the layers; median, range of the seeds)",
                 data={"dead": dead})


def dead_units_training(lrs=(0.1, 0.5), depth=6, width=100, epochs=4, seed=SEEDS):
    """Dead ReLU units of he_normal nets before and after SGD at each learning rate (Chapter 5)."""
    depth, width, epochs = check_int("depth", depth), check_int("width", width), check_int("epochs", epochs)
    X = datasets.digits(seed=0)[0]
    rows, data = [], {}
    for lr in lrs:
        lr = check_number("lr", lr, minimum=0.0, strict=True)
        net = _digits_net([width] * depth, "relu", "he_normal", seed)
        before = _dead(net, X).mean(axis=1)
        _, acc = _train(net, lr, epochs)
        after = _dead(net, X).mean(axis=1)
        data[lr] = {"before": before, "after": after, "test": acc}
        # counts only: at a large lr training is chaotic, and a seed's exact numbers vary by machine
        rows.append((f"lr {lr:g}", summarize(before - after, at_least=1e-9).k_of_n,
                     summarize(after - before, at_least=1e-9).k_of_n, summarize(acc, at_least=0.6).k_of_n))
    cols = ["he_normal", "fewer dead units", "more dead units", "test accuracy >= 0.6"]
    return Table(rows, cols, caption=f"ReLU net of {depth} hidden layers of {width}, after {epochs} epochs "
                                     "of SGD: seeds with fewer or more dead units than at initialization",
                 data=data)
