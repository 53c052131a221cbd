"""Chapter 6's experiments: framework initializers computed, PyTorch's default in depth, orthogonal products."""
import math

import numpy as np

from .. import datasets, initializers
from .._checks import as_rng, check_int
from ..mlp import MLP
from ..report import summarize
from ..table import Table
from ..train import fit

__all__ = ["keras_snippet", "fans_table", "framework_initializers", "torch_biases", "torch_bias_signal",
           "torch_default_training", "orthogonal_products"]


def keras_snippet(shape=(64, 128), draws=100, seed=0):
    """The notes' Dense kernel drawn `draws` times: ``glorot_uniform``, ``he_normal``, ``kaiming_normal_`` (Chapter 6)."""
    fan_in, fan_out = initializers.fans(shape)
    rng, draws = as_rng(seed), check_int("draws", draws)
    he_std = math.sqrt(2 / fan_in)
    stddev = he_std / initializers.TRUNC_STD  # Keras' std before truncating at 2 stddev
    specs = [("Keras glorot_uniform (Dense default)", "glorot_uniform", math.sqrt(2 / (fan_in + fan_out)),
              math.sqrt(6 / (fan_in + fan_out))),
             ("Keras he_normal (truncated)", "he_normal", he_std, 2 * stddev),
             ("PyTorch kaiming_normal_ (untruncated)", "kaiming_normal", he_std, None)]
    rows, data = [], {"stddev": stddev}
    for label, name, target, bound in specs:
        init = initializers.get(name)
        W = np.stack([init(shape, rng) for _ in range(draws)])
        data[label] = W
        rows.append([label, target, float(W.std()), bound, float(np.abs(W).max()),
                     100 * float(np.mean(np.abs(W) > 2 * stddev))])
    columns = ["initializer", "target std", "sampled std", "bound", "largest |w|", "beyond 2 stddev"]
    caption = (f"{draws} kernels of shape {tuple(shape)} (fan_in {fan_in}, fan_out {fan_out}); "
               f"stddev = √(2/fan_in) / {initializers.TRUNC_STD:.4f} is Keras' std before truncation.")
    return Table(rows, columns, caption=caption, units={"beyond 2 stddev": "%"}, sig=4, data=data)


def fans_table(shapes, init="he_normal"):
    """fan_in, fan_out and init's std of shapes read in PyTorch order ``(fan_out, fan_in, *kernel)`` (Chapter 6)."""
    init = initializers.resolve(init)
    rows = [[str(tuple(s)), *initializers.fans(s), init.std(s)] for s in shapes]
    return Table(rows, ["shape", "fan_in", "fan_out", f"{init!r} std"], sig=3,
                 caption="Every shape is read as (fan_out, fan_in, *kernel), PyTorch's order.")


def framework_initializers(shape=(128, 256), seed=0):
    """Keras' and PyTorch's initializers: std by the framework's formula, by init.std, of one draw (Chapter 6)."""
    fi, fo = initializers.fans(shape)
    get, glorot, he, lecun = initializers.get, math.sqrt(2 / (fi + fo)), math.sqrt(2 / fi), math.sqrt(1 / fi)
    orth = 1 / math.sqrt(max(fi, fo))
    specs = [  # label, distribution, std formula, its value, initlab initializer
        ("Keras GlorotUniform (Dense)", "uniform", "√(2/(in+out))", glorot, get("glorot_uniform")),
        ("Keras GlorotNormal", "trunc. normal", "√(2/(in+out))", glorot, get("glorot_normal")),
        ("Keras HeNormal", "trunc. normal", "√(2/in)", he, get("he_normal")),
        ("Keras HeUniform", "uniform", "√(2/in)", he, get("he_uniform")),
        ("Keras LecunNormal", "trunc. normal", "√(1/in)", lecun, get("lecun_normal")),
        ("Keras Orthogonal()", "orthogonal", "1/√max(in, out)", orth, get("orthogonal")),
        ("Keras RandomNormal()", "normal", "0.05", 0.05, get("normal", std=0.05)),
        ("Keras TruncatedNormal()", "trunc. normal", "0.05 × 0.8796", 0.05 * initializers.TRUNC_STD,
         get("truncated_normal", std=0.05)),
        ("PyTorch nn.Linear default", "uniform", "1/√(3 in)", 1 / math.sqrt(3 * fi), get("torch_linear_default")),
        ("PyTorch kaiming_uniform_(a=√5)", "uniform", "1/√(3 in)", 1 / math.sqrt(3 * fi),
         get("kaiming_uniform", a=math.sqrt(5))),
        ("PyTorch kaiming_uniform_()", "uniform", "√2 / √in", he, get("kaiming_uniform")),
        ("PyTorch kaiming_normal_()", "normal", "√2 / √in", he, get("kaiming_normal")),
        ("PyTorch xavier_uniform_()", "uniform", "√(2/(in+out))", glorot, get("xavier_uniform")),
        ("PyTorch xavier_normal_()", "normal", "√(2/(in+out))", glorot, get("xavier_normal")),
        ("PyTorch orthogonal_()", "orthogonal", "1/√max(in, out)", orth, get("orthogonal")),
        ("PyTorch normal_()", "normal", "1", 1.0, get("normal")),
        ("PyTorch uniform_()", "U(0, 1)", "1/√12", 1 / math.sqrt(12), get("uniform", low=0.0, high=1.0)),
    ]
    rng, rows = as_rng(seed), []
    for label, dist, formula, value, init in specs:
        rows.append([label, dist, formula, value, init.std(shape), float(init(shape, rng).std())])
    return Table(rows, ["initializer", "draw", "std formula", "formula", "init.std", "sampled"], sig=4,
                 caption=f"A dense layer {fi} -> {fo} (initlab shape {tuple(shape)}): in = fan_in, out = fan_out.",
                 data={"initializers": {s[0]: s[4] for s in specs}})


def torch_biases(net, seed=0):
    """Set every bias of net as nn.Linear does, U(±1/√fan_in), in place; return net (Chapter 6)."""
    rng = as_rng(seed)
    for W, b in zip(net.weights, net.biases):
        bound = 1 / math.sqrt(W.shape[-1])  # fan_in, also for an ensemble's (K, out, in)
        b[...] = initializers.get("uniform", low=-bound, high=bound)(b.shape, rng)
    return net


def _digits_net(depth, width, init, seed):
    depth, width = check_int("depth", depth), check_int("width", width)
    return MLP([64] + [width] * depth + [10], activation="relu", output="softmax", init=init, seed=seed)


def torch_bias_signal(depth=20, width=100, layers=(1, 2, 5, 10, 20), seed=0):
    """Std of z^[l] on the digits and its input-dependent part under nn.Linear's default and biases (Chapter 6).

    The input-dependent part ("signal") is each unit's std over the images, averaged over units.
    """
    seed, depth = check_int("seed", seed, minimum=0), check_int("depth", depth)
    if not layers or not all(isinstance(l, int) and 1 <= l <= depth for l in layers):
        raise ValueError(f"layers must be layer numbers in 1..{depth}, got {layers!r}")
    X = datasets.digits(seed=0)[0]
    net = _digits_net(depth, width, "torch_linear_default", seed)
    nets = {"zero biases": net, "PyTorch biases": torch_biases(net.copy(), seed=seed + 1)}
    columns, data = {"layer": list(layers)}, {"fixed_point": math.sqrt(2 / (5 * width))}
    for label, n in nets.items():
        zs = n.forward_all(X)[0]
        columns[f"std z, {label}"] = [float(zs[l - 1].std()) for l in layers]
        columns[f"signal, {label}"] = [float(zs[l - 1].std(axis=0).mean()) for l in layers]
    return Table.from_columns(columns, sig=3, data=data, caption=(
        f"{depth} ReLU layers of {width} units under nn.Linear's default, on the digits; "
        f"signal = std over the images, averaged over units; the bias fixed point is √(2/(5n)) = "
        f"{math.sqrt(2 / (5 * width)):.4f}."))


def torch_default_training(seeds=range(8), depth=20, width=100, epochs=5, lr=0.01, seed=0):
    """Train a deep ReLU net on the digits from nn.Linear's default (zero or PyTorch biases) and He's (Chapter 6)."""
    X, y, X_test, y_test = datasets.digits(seed=0)
    default = _digits_net(depth, width, "torch_linear_default", seeds)
    starts = {"nn.Linear default, zero biases": default,
              "nn.Linear default, PyTorch biases": torch_biases(default.copy(), seed=1),
              "kaiming_uniform_ (He), zero biases": _digits_net(depth, width, "kaiming_uniform", seeds)}
    rows, data = [], {"histories": {}, "test_accuracy": {}}
    for label, net in starts.items():
        hist = fit(net, X, y, lr=lr, epochs=epochs, batch_size=64, seed=seed)
        acc = summarize(net.score(X_test, y_test), at_least=0.2)
        data["histories"][label], data["test_accuracy"][label] = hist, acc
        rows.append([label, float(np.median(hist.cost[0])), float(np.median(hist.cost[-1])), acc, acc.k])
    columns = ["start", "cost at init (median)", f"cost after {epochs} epochs (median)", "test accuracy",
               "seeds above 0.2"]
    return Table(rows, columns, sig=3, data=data, caption=(
        f"{depth} ReLU layers of {width} units on the digits, {rows[0][3].n} seeds each, "
        f"SGD (batch 64, lr {lr}), {epochs} epochs; chance is about 0.1."))


def orthogonal_products(width=64, depths=(1, 5, 10, 20, 50), seed=0):
    """Singular values of a product of random width x width layers: orthogonal vs N(0, 1/n) (Chapter 6).

    A float64 SVD resolves singular values down to about 1e-16 of the largest: below 1e-10 of it,
    the smallest singular value and the condition number print as bounds. The geometric mean
    comes from the determinants, exact at any depth.
    """
    n, depths = check_int("width", width), sorted(check_int("depth", d) for d in depths)
    inits = {"orthogonal": initializers.get("orthogonal"), "N(0, 1/n)": initializers.N_1_OVER_N}
    rows, data = [], {"spectra": {}}
    for label, init in inits.items():
        rng, M, log_det = as_rng(seed), np.eye(n), 0.0
        for d in range(1, depths[-1] + 1):
            W = init((n, n), rng)
            M, log_det = W @ M, log_det + np.linalg.slogdet(W)[1]
            if d in depths:
                s = np.linalg.svd(M, compute_uv=False)
                ok = s[-1] > 1e-10 * s[0]
                data["spectra"][label, d] = s
                rows.append([label, d, float(s[0]), float(np.median(s)), float(np.exp(log_det / n)),
                             float(s[-1]) if ok else "< 1e-10 σ_max", float(s[0] / s[-1]) if ok else "> 1e10"])
    columns = ["initializer", "depth", "σ_max", "median σ", "geometric mean σ", "σ_min", "condition number"]
    return Table(rows, columns, sig=3, data=data,
                 caption=f"Singular values σ of the product of depth random {n} x {n} layers, seed {seed}.")
