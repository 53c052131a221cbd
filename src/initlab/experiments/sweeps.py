"""Chapter 3's experiments: variance profiles through deep nets, the six-initialization sweep, the bias study, fan modes."""
import numpy as np

from .. import activations, initializers, stats
from .._checks import as_rng, check_choice, check_int, check_number, seed_list
from ..table import Table

__all__ = ["INPUTS", "SIX_INITS", "variance_profile", "scale_sweep", "bias_study", "fan_modes"]

INPUTS = ("normal", "uniform", "binary")
LECUN = initializers.get("variance_scaling", scale=1.0, mode="fan_in", distribution="untruncated_normal")
SIX_INITS = {  # Chapter 3's six initializations, named as their sources name them
    "N(0, 1)": initializers.get("normal"),
    "standard U(±1/√n_in)": initializers.get("torch_linear_default"),
    "LeCun N(0, 1/n_in)": LECUN,
    "Glorot normal": initializers.get("glorot_normal"),
    "Glorot uniform": initializers.get("glorot_uniform"),
    "N(0, 0.01²)": initializers.get("normal", std=0.01),
}


def _std(x):
    """Std of one array, computed in float64 as stats.moments does."""
    return stats.moments([x])[1][0]


def _inputs(kind, m, n, rng):
    check_choice("input", kind, INPUTS)
    if kind == "normal":
        return rng.standard_normal((m, n))
    if kind == "uniform":
        return rng.uniform(-np.sqrt(3), np.sqrt(3), size=(m, n))  # unit variance
    return rng.integers(0, 2, size=(m, n)).astype(np.float64)


def variance_profile(depth, width, activation="tanh", init="glorot_normal", factor=1.0,
                     input="normal", m=500, seed=0, bias=0.0):
    """Std of activations forward and of gradients backward through depth layers (Chapter 3).

    A stack of `depth` square layers of `width` units, every bias set to `bias`; a N(0, 1)
    gradient is injected at the last layer and propagated back. Returns arrays of length depth
    (layer 1 first): a_std, z_std, a_mean, saturation (fraction of units in the flat part), grad_a_std.
    """
    depth, width, m = check_int("depth", depth), check_int("width", width), check_int("m", m)
    factor = check_number("factor", factor, minimum=0.0)
    bias = check_number("bias", bias)
    f = activations.get(activation)
    base = initializers.resolve(init)
    rng = as_rng(seed)
    X = _inputs(input, m, width, rng)
    out = {k: np.empty(depth) for k in ("a_std", "z_std", "a_mean", "saturation", "grad_a_std")}
    Ws, zs, acts = [], [], []
    a = X
    with np.errstate(all="ignore"):
        for l in range(depth):
            W = base((width, width), rng) * factor
            z = a @ W.T + bias
            a = f(z)
            Ws.append(W), zs.append(z), acts.append(a)
            out["z_std"][l], out["a_std"][l], out["a_mean"][l] = _std(z), _std(a), a.mean()
            out["saturation"][l] = f.saturated(z, a).mean()
        g = rng.standard_normal((m, width))
        for l in range(depth - 1, -1, -1):
            out["grad_a_std"][l] = _std(g)
            g = (g * f.derivative(zs[l], acts[l])) @ Ws[l]
    diverged = not (np.all(np.isfinite(out["a_std"])) and np.all(np.isfinite(out["grad_a_std"])))
    return {**out, "input_std": float(X.std()), "diverged": diverged}


def _profiles(seed, **kwargs):
    """variance_profile per seed, stacked: each key an array (K, depth)."""
    runs = [variance_profile(seed=s, **kwargs) for s in seed_list(seed)]
    return {k: np.stack([r[k] for r in runs]) for k in ("a_std", "z_std", "a_mean", "saturation", "grad_a_std")}


def _median(x):
    return float(np.median(x))


def scale_sweep(activation="tanh", depth=50, width=100, inits=None, m=200, seed=range(8)):
    """Per-layer std forward and backward for each initialization, over seeds (Chapter 3).

    data["a_std"] and data["grad_a_std"] map an initializer's name to an array (seeds, depth)
    for il.plots.layer_std; data["saturation"] and data["a_mean"] likewise.
    """
    inits = SIX_INITS if inits is None else {str(k): initializers.resolve(v) for k, v in inits.items()}
    data = {k: {} for k in ("a_std", "grad_a_std", "saturation", "a_mean")}
    rows = []
    for name, init in inits.items():  # a diverged profile (inf/nan) is a result: its medians are inf/nan
        p = _profiles(seed, depth=depth, width=width, activation=activation, init=init, m=m)
        for k in data:
            data[k][name] = p[k]
        with np.errstate(all="ignore"):
            rows.append((name, width * init.std((width, width)) ** 2, _median(p["a_std"][:, 0]),
                         _median(p["a_std"][:, -1]), 100 * _median(p["saturation"][:, -1]),
                         _median(p["grad_a_std"][:, 0] / p["grad_a_std"][:, -1])))
    K = len(seed_list(seed))
    columns = ["initializer", "n_in Var(W)", "std a[1]", f"std a[{depth}]", f"saturated a[{depth}] (%)",
               f"std dJ/da[1] / std dJ/da[{depth}]"]
    return Table(rows, columns, sig=2, data=data,
                 caption=f"{depth} {activation} layers of {width} units, N(0, 1) inputs: medians over {K} seeds")


def bias_study(bias=0.5, depth=50, width=100, init=LECUN, m=200, seed=range(8)):
    """Mean, spread and gradient flow of tanh with zero and nonzero biases, and of sigmoid (Chapter 3)."""
    bias = check_number("bias", bias)
    if bias == 0:
        raise ValueError("bias must be nonzero, got 0.0 (the zero-bias network is already the first row)")
    runs = {"tanh, b = 0": ("tanh", 0.0), f"tanh, b = {bias:g}": ("tanh", bias), "sigmoid, b = 0": ("sigmoid", 0.0)}
    rows, data = [], {}
    for label, (activation, b) in runs.items():
        p = data[label] = _profiles(seed, depth=depth, width=width, activation=activation, init=init, m=m, bias=b)
        p["grad_ratio"] = p["grad_a_std"][:, 0] / p["grad_a_std"][:, -1]
        rows.append((label, _median(p["a_mean"][:, -1]), _median(p["z_std"][:, -1]), _median(p["grad_ratio"])))
    K = len(seed_list(seed))
    return Table(rows, ["network", f"mean a[{depth}]", f"std z[{depth}]", f"std dJ/da[1] / std dJ/da[{depth}]"],
                 sig=2, data=data, caption=f"{depth} layers of {width} units, LeCun weights: medians over {K} seeds")


MODES = {"fan_in (LeCun)": "fan_in", "fan_out": "fan_out", "fan_avg (Glorot & Bengio)": "fan_avg"}


def fan_modes(widths=(64, 400, 100, 400, 10), m=500, seed=0):
    """Forward and backward variance factors of linear layers under fan-in, fan-out and fan-avg (Chapter 3).

    Forward factor of layer l: Var(z^[l]) / Var(a^[l-1]); backward: Var(dJ/da^[l-1]) / Var(dJ/dz^[l]),
    measured with N(0, 1) inputs and an N(0, 1) gradient injected at the top; predicted
    n_in Var(W) and n_out Var(W).
    """
    widths = [check_int("width", n) for n in widths]
    if len(widths) < 2:
        raise ValueError(f"widths needs at least 2 sizes (input and output), got {widths!r}")
    rows, data = [], {}
    for label, mode in MODES.items():
        init = initializers.get("variance_scaling", scale=1.0, mode=mode, distribution="untruncated_normal")
        rng = as_rng(seed)
        Ws = [init((n_out, n_in), rng) for n_in, n_out in zip(widths, widths[1:])]
        var_w = np.array([init.std(W.shape) ** 2 for W in Ws])
        a, fwd = rng.standard_normal((m, widths[0])), []
        for W in Ws:
            z = a @ W.T
            fwd.append(z.var() / a.var())
            a = z
        g, bwd = rng.standard_normal((m, widths[-1])), []
        for W in Ws[::-1]:
            g_prev = g @ W
            bwd.append(g_prev.var() / g.var())
            g = g_prev
        d = data[label] = {"fwd": np.array(fwd), "bwd": np.array(bwd[::-1]),
                           "fwd_predicted": np.array(widths[:-1]) * var_w,
                           "bwd_predicted": np.array(widths[1:]) * var_w}
        rows.append((label, np.prod(d["fwd"]), np.prod(d["fwd_predicted"]),
                     np.prod(d["bwd"]), np.prod(d["bwd_predicted"])))
    net = " → ".join(map(str, widths))
    return Table(rows, ["rule", "forward", "forward predicted", "backward", "backward predicted"], sig=3, data=data,
                 caption=f"Linear {net}: variance factor over the whole net, forward and backward")
