"""Chapter 8's experiments on isometry: Jacobian spectra at initialization, deep linear learning time."""
import numpy as np

from .. import activations, initializers, theory
from .._checks import check_choice, check_int, check_number, derived_rng, seed_list
from ..jacobian import jacobian_singular_values
from ..mlp import MLP
from ..report import fmt
from ..table import Table
from ..train import fit

__all__ = ["jacobian_spectra", "spectrum_variance", "saxe_depth"]

WEIGHTS = ("Gaussian", "orthogonal")
SIGMA_W2 = {"linear": 1.0, "relu": 2.0}  # tanh: critical_sigma_w2(TANH_SIGMA_B2)
TANH_SIGMA_B2 = 1e-4  # a small bias variance puts tanh's critical point at a small q* (Pennington et al.)
_HZ, _HW = np.polynomial.hermite_e.hermegauss(120)  # even: no node at relu's kink
_HW = _HW / _HW.sum()  # E over z ~ N(0, 1)


def spectrum_variance(activation, weights, depth, sigma_w2, sigma_b2=0.0):
    """Var(s^2)/mean(s^2)^2 of the Jacobian's squared singular values, wide-net limit (Chapter 8).

    Each Gaussian W adds 1, an orthogonal W 0, each hidden layer's D = diag(g'(z)) adds
    E[g'^4]/E[g'^2]^2 - 1 at q* (Pennington et al. 2017); the output layer has no D.
    """
    check_choice("weights", weights, WEIGHTS)
    depth = check_int("depth", depth)
    f = activations.get(activation)
    q = theory.fixed_point(sigma_w2, sigma_b2, f)
    u = np.sqrt(q) * _HZ
    d2 = np.asarray(f.derivative(u, f(u)), dtype=float) ** 2
    per_d = float(_HW @ d2**2 / (_HW @ d2) ** 2 - 1.0)
    per_d = per_d if per_d > 1e-12 else 0.0  # a constant slope: 0 up to rounding
    return depth * (weights == "Gaussian") + (depth - 1) * per_d


def _net(activation, weights, depth, width, sigma_w2, seeds, dtype=np.float64):
    """An ensemble of square nets with Var(W) = sigma_w2 / n (output layer: 1 / n)."""
    if weights == "Gaussian":
        hid, out = (initializers.get("normal", std=np.sqrt(s / width)) for s in (sigma_w2, 1.0))
    else:
        hid, out = (initializers.get("orthogonal", gain=np.sqrt(s)) for s in (sigma_w2, 1.0))
    return MLP([width] * (depth + 1), activation=activation, output="linear",
               init=[hid] * (depth - 1) + [out], seed=seeds, dtype=dtype)


def jacobian_spectra(depths=(2, 8, 32), width=64, activations=("linear", "tanh", "relu"), m=2, seed=range(8)):
    """Singular values of dz^[L]/dx at init, Gaussian vs orthogonal, per activation and depth (Chapter 8).

    linear sigma_w2 = 1, relu 2, tanh critical at sigma_b2 = 1e-4; m inputs with ``|x|^2 / n = q*``.
    """
    seeds, width, m = seed_list(seed), check_int("width", width), check_int("m", m)
    rows, spectra, spreads, predicted = [], {}, {}, {}
    for act in activations:
        s2 = theory.critical_sigma_w2(TANH_SIGMA_B2, act) if act == "tanh" else SIGMA_W2.get(act, 1.0)
        b2 = TANH_SIGMA_B2 if act == "tanh" else 0.0
        q = theory.fixed_point(s2, b2, act) if b2 else 1.0
        X = np.random.default_rng(1).standard_normal((m, width))
        X *= np.sqrt(q * width) / np.linalg.norm(X, axis=1, keepdims=True)
        for weights in WEIGHTS:
            for L in depths:
                net = _net(act, weights, check_int("depth", L), width, s2, seeds)
                rng = derived_rng(L, seeds)
                for b in net.biases[:-1]:
                    b[...] = np.sqrt(b2) * rng.standard_normal(b.shape)
                s = jacobian_singular_values(net, X)  # (K, m, width)
                lam = s**2
                spread = np.mean(lam.var(axis=-1) / lam.mean(axis=-1) ** 2, axis=-1)  # per seed
                spectra[act, weights, L] = s
                lo, hi = (fmt(v, 2, floor=1e-6) for v in (spread.min(), spread.max()))
                spreads[act, weights, L] = float(np.median(spread))
                predicted[act, weights, L] = spectrum_variance(act, weights, L, s2, b2)
                rows.append((act, weights, L, float(np.median(lam.mean(axis=-1))), fmt(spreads[act, weights, L],
                             2, 1e-6), f"{lo} to {hi}", fmt(predicted[act, weights, L], 2)))
    cols = ("activation", "weights", "depth L", "mean s²", "Var(s²)/mean²", "range over seeds", "predicted")
    data = {"spread": spreads, "predicted": predicted, "s": spectra, "depths": tuple(depths), "width": width}
    return Table(rows, cols, sig=2, data=data,
                 caption=f"Input-output Jacobian at init, {width} units per layer: medians of {len(seeds)} seeds "
                         f"(each the mean over {m} inputs)")


def _steps(cost, threshold):
    """First step whose cost is <= threshold, per member (inf: never)."""
    hit = cost <= threshold
    return np.where(hit.any(axis=0), hit.argmax(axis=0), np.inf)


def saxe_depth(depths=(1, 2, 4, 8, 16), width=16, m=128, lr=0.3, threshold=0.05, max_steps=300, chunk=25,
               seed=range(8)):
    """Full-batch steps until a deep linear net's cost is <= threshold x the zero net's (Chapter 8).

    Saxe et al. (2014): a linear teacher y = T x, T with N(0, 1/n) entries, x ~ N(0, I); weights
    N(0, 1/n) ("Gaussian") or orthogonal, both of mean squared singular value 1. Both kinds train
    side by side in one ensemble, member k of each drawn with seed k.
    """
    seeds, width, m = seed_list(seed), check_int("width", width), check_int("m", m)
    threshold = check_number("threshold", threshold, minimum=0.0, strict=True)
    max_steps, chunk, K = check_int("max_steps", max_steps), check_int("chunk", chunk), len(seeds)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((m, width))
    Y = X @ (rng.standard_normal((width, width)) / np.sqrt(width)).T
    J0 = float(np.mean(Y**2))  # the cost of predicting 0
    rows, steps, curves = [], {}, {}
    for L in depths:
        net = _net("linear", "Gaussian", check_int("depth", L), width, 1.0, seeds + seeds)
        for W, Wo in zip(net.weights, _net("linear", "orthogonal", L, width, 1.0, seeds).weights):
            W[K:] = Wo
        costs = [fit(net, X, Y, lr=lr, epochs=min(chunk, max_steps)).cost]
        while len(costs) * chunk < max_steps and not np.all(~(costs[-1][-1] > threshold * J0)):
            costs.append(fit(net, X, Y, lr=lr, epochs=min(chunk, max_steps - len(costs) * chunk)).cost[1:])
        rel = np.concatenate(costs) / J0
        row = [L]
        for i, weights in enumerate(WEIGHTS):
            steps[weights, L] = _steps(rel[:, i * K:(i + 1) * K], threshold)
            curves[weights, L] = rel[:, i * K:(i + 1) * K]
            median = float(np.median(steps[weights, L]))
            row += [f"{int(np.isfinite(steps[weights, L]).sum())} of {K}",
                    median if np.isfinite(median) else f"> {max_steps}"]
        rows.append(row)
    cols = ["depth L"] + [f"{w}: {c}" for w in WEIGHTS for c in ("reached", "median steps")]
    return Table(rows, cols, sig=2, data={"steps": steps, "cost": curves, "depths": tuple(depths),
                                          "max_steps": max_steps, "threshold": threshold},
                 caption=f"Steps until the cost is {threshold:g} x the zero net's; {width} units, lr {lr:g}, "
                         f"{K} seeds")
