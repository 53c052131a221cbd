"""Chapter 7's experiments: the classic assignment, Glorot & Bengio, He et al., against their published numbers."""
import numbers

import numpy as np

from .. import datasets, initializers
from .._checks import check_int, check_number
from ..mlp import MLP
from ..report import fmt, summarize
from ..stats import layer_stats
from ..table import Table
from ..train import fit
from .growth import growth_factor
from .sweeps import variance_profile

__all__ = ["CLASSIC_PUBLISHED", "GLOROT_TABLE1", "classic_assignment", "glorot_profiles",
           "glorot_training", "he_ratio", "he_stall"]

# published by the assignment: (cost at iteration 0, cost at iteration 14,000, train acc., test acc.)
CLASSIC_PUBLISHED = {
    "zeros": (0.6931471805599453, 0.6931471805599453, 0.5, 0.5),
    "randn*10": (np.inf, 0.38278397192120406, 0.83, 0.86),
    "He": (0.8830537463419761, 0.07357895962677366, 0.9933, 0.96),
}
# published by Glorot & Bengio (2010), Table 1: test error % (standard init, normalized init)
GLOROT_TABLE1 = {"Shapeset-3x2": ("27.15", "15.60"), "MNIST": ("1.76", "1.64"), "CIFAR-10": ("55.9", "52.92")}
GLOROT_INITS = {"standard": "glorot_standard", "normalized": "glorot_uniform"}
HE_INITS = {"Xavier": "glorot_normal", "He": "he_normal"}


def _relative(ours, published):
    """The relative difference as a bound that survives every machine: rounding noise, or 1e-3."""
    if not np.isfinite(published):
        return "published is inf"
    rel = abs(ours - published) / abs(published)
    return "relative " + fmt(rel, 1, floor=1e-12 if rel < 1e-12 else 1e-3)


def classic_assignment(seed=3, epochs=15000, lr=0.01):
    """The classic assignment replayed with legacy RandomState(seed) draws, beside the published numbers (Chapter 7)."""
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise TypeError(f"seed must be a non-negative int (a legacy numpy seed; 3 replays the "
                        f"published run), got {seed!r}")
    epochs, lr = check_int("epochs", epochs, minimum=14001), check_number("lr", lr, minimum=0.0, strict=True)
    X, y, X_test, y_test = datasets.classic_circles()
    inits = {"zeros": initializers.get("zeros"), "randn*10": initializers.get("normal", std=10),
             "He": initializers.get("kaiming_normal", nonlinearity="relu")}
    rows, data = [], {"hist": {}, "net": {}, "untrained": {}, "relative": {},
                      "X": X, "y": y, "X_test": X_test, "y_test": y_test}
    for name, init in inits.items():
        # each of the assignment's init functions reseeds numpy: a fresh RandomState per network
        net = MLP([2, 10, 5, 1], activation="relu", output="sigmoid", init=init,
                  seed=np.random.RandomState(seed))
        data["untrained"][name] = net.copy()
        hist = fit(net, X, y, lr=lr, epochs=epochs)
        data["hist"][name], data["net"][name] = hist, net
        cost0, cost14k, acc, acc_test = CLASSIC_PUBLISHED[name]
        for what, pub, ours in (("cost, iteration 0", cost0, hist.cost[0]),
                                ("cost, iteration 14,000", cost14k, hist.cost[14000])):
            data["relative"][name, what] = abs(ours - pub) / pub if np.isfinite(pub) else np.nan
            rows.append((name, what, pub, ours, _relative(ours, pub)))
        for what, pub, Xs, ys in (("train accuracy", acc, X, y), ("test accuracy", acc_test, X_test, y_test)):
            ours = net.score(Xs, ys)
            diff = round(ours * len(ys)) - round(pub * len(ys))
            rows.append((name, what, pub, ours, f"{diff} of {len(ys)} examples"))
    return Table(rows, ["init", "quantity", "published", "ours", "difference"], sig=4, data=data,
                 caption=f"The classic assignment: published numbers and our replay "
                         f"(RandomState({seed}), one run)")


def glorot_profiles(width=1000, hidden=5, m=200, seed=0):
    """Std of a, dJ/da, dJ/dW per hidden tanh layer at init, with growth factors, standard vs normalized (Chapter 7)."""
    width, hidden, m = check_int("width", width), check_int("hidden", hidden), check_int("m", m)
    X, y = datasets.digits(seed=0)[:2]
    X, y = X[:m], y[:m]
    data, stats = {"acts": {}, "grads": {}}, {}
    for label, name in GLOROT_INITS.items():
        net = MLP([X.shape[1]] + [width] * hidden + [10], activation="tanh", output="softmax", init=name, seed=seed)
        stats[label] = layer_stats(net, X, y)
        p = net.forward_backward(*net.check_Xy(X[:100], y[:100]), keep=True)  # values for histograms
        data["acts"][label], data["grads"][label] = p.acts[:hidden], p.grad_a[:hidden]
    cols = {"layer": list(range(1, hidden + 1)) + ["growth factor"]}
    for key, what in (("a_std", "a"), ("grad_a_std", "dJ/da"), ("grad_W_std", "dJ/dW")):
        for label in GLOROT_INITS:
            s = stats[label][key][:hidden]
            g = growth_factor(s if key == "a_std" else s[::-1])  # activations upward, gradients downward
            cols[f"{what}, {label}"] = list(s) + [g]
            data[key, label], data["growth", key, label] = s, g
    return Table.from_columns(cols, data=data, units={c: "std" for c in list(cols)[1:]},
                              caption=f"{hidden} hidden tanh layers of {width} units at initialization, "
                                      f"{m} digits images; growth factor of the variance per layer: "
                                      f"activations upward, gradients downward")


def glorot_training(width=100, hidden=5, epochs=5, lr=0.1, batch_size=100, seed=range(8)):
    """Test error after brief training on digits, standard vs normalized init, next to Table 1 (Chapter 7)."""
    width, hidden, epochs = check_int("width", width), check_int("hidden", hidden), check_int("epochs", epochs)
    X, y, X_test, y_test = datasets.digits(seed=0)
    data = {"hist": {}, "error": {}, "scale": f"digits, {hidden} x {width} tanh, {epochs} epochs"}
    for label, name in GLOROT_INITS.items():
        net = MLP([X.shape[1]] + [width] * hidden + [10], activation="tanh", output="softmax", init=name,
                  seed=seed)
        data["hist"][label] = fit(net, X, y, lr=lr, epochs=epochs, batch_size=batch_size, seed=0)
        data["error"][label] = 100 * (1 - np.atleast_1d(net.score(X_test, y_test)))
    gap = data["error"]["standard"] - data["error"]["normalized"]
    data["better"] = summarize(gap, at_least=0.01)
    rows = [(f"{d} (published)", s, n, "yes") for d, (s, n) in GLOROT_TABLE1.items()]
    rows.append((f"digits, {hidden} x {width}, {epochs} epochs (ours)", summarize(data["error"]["standard"]),
                 summarize(data["error"]["normalized"]), data["better"].k_of_n))
    return Table(rows, ["data set", "standard", "normalized", "normalized lower?"], data=data,
                 caption="Test error (%) of tanh networks: Glorot & Bengio's Table 1, and ours over seeds")


def he_ratio(depth=30, width=100, seed=0, layers=(1, 2, 3, 5, 10, 15, 20, 25, 30)):
    """Std of ReLU activations under Xavier (1/n) and He (2/n) init, and their ratio against 2^(-L/2) (Chapter 7)."""
    depth, seed = check_int("depth", depth), check_int("seed", seed, minimum=0)  # an int: both inits redraw it
    if not layers or not all(isinstance(l, numbers.Integral) and 1 <= l <= depth for l in layers):
        raise ValueError(f"layers must be ints in [1, {depth}], got {layers!r}")
    xavier, he = (variance_profile(depth, width, "relu", name, seed=seed)["a_std"] for name in HE_INITS.values())
    he_other = variance_profile(depth, width, "relu", "he_normal", seed=seed + 1)["a_std"]
    predicted = 2.0 ** (-np.arange(1, depth + 1) / 2)
    same, other = xavier / he / predicted, xavier / he_other / predicted
    rows = [(l, xavier[l - 1], he[l - 1], predicted[l - 1], fmt(abs(same[l - 1] - 1), 1, floor=1e-12),
             other[l - 1]) for l in layers]
    return Table(rows, ["layer", "std, Xavier", "std, He", "2^(-L/2)", "same seed: deviation",
                        "other seed: ratio / 2^(-L/2)"],
                 data={"xavier": xavier, "he": he, "he_other": he_other, "predicted": predicted,
                       "deviation": np.abs(same - 1), "other": other},
                 caption=f"{depth} ReLU layers of {width} units, Gaussian inputs: activation std; deviation "
                         f"= |(Xavier / He) / 2^(-L/2) - 1|; ratio = Xavier / He, He from another seed")


def he_stall(depth=30, width=64, epochs=6, lr=0.005, batch_size=64, seed=range(8)):
    """Train depth-layer ReLU nets on digits with Xavier and He init, momentum SGD, over seeds (Chapter 7)."""
    depth, width, epochs = check_int("depth", depth, minimum=2), check_int("width", width), check_int("epochs", epochs)
    X, y, X_test, y_test = datasets.digits(seed=0)
    at = sorted({0, epochs // 3, 2 * epochs // 3, epochs})
    data, rows = {"hist": {}, "acc": {}, "at": at, "scale": f"digits, {depth} x {width} dense, {epochs} epochs"}, []
    for label, name in HE_INITS.items():
        net = MLP([X.shape[1]] + [width] * (depth - 1) + [10], activation="relu", output="softmax",
                  init=name, seed=seed)
        hist = fit(net, X, y, lr=lr, epochs=epochs, batch_size=batch_size, seed=0, optimizer="momentum", beta=0.9)
        acc = np.atleast_1d(net.score(X_test, y_test))
        data["hist"][f"{label} ({name})"], data["acc"][label] = hist, acc
        cost = np.median(hist.cost.reshape(len(hist.cost), -1), axis=1)
        rows.append((f"{label} ({name})", *cost[at], summarize(100 * acc), summarize(acc, at_least=0.2).k_of_n))
    return Table(rows, ["init"] + [f"cost, epoch {e}" for e in at] + ["test accuracy", ">= twice chance"],
                 units={"test accuracy": "%"}, data=data, caption=f"{depth} ReLU layers of {width} units on digits, momentum SGD: "
                                    f"median training cost, and test accuracy over seeds")


# Published claims beyond the notes, measured in chapters 8 and 9: (paper, what they report, their
# scale, chapter, the function below that runs a cheap setting of that chapter's experiment)
