"""Chapter 4's experiments: the growth factor of variance per layer, by the variance recursion and measured."""
import numpy as np

from .. import activations, initializers, theory
from .._checks import as_rng, check_int
from ..table import Table

__all__ = ["growth_factor", "growth_factors"]


def growth_factor(std, axis=-1):
    """Mean growth factor of variance per layer, (std_last / std_first) ** (2 / (L - 1)) (Chapter 4).

    std holds one std per layer along axis (an ensemble (K, L) gives one factor per member); for
    a backward pass, pass the stds from the output layer down (std[..., ::-1]).
    """
    s = np.asarray(std, dtype=np.float64)
    if s.ndim == 0 or s.shape[axis] < 2:
        raise ValueError(f"std needs at least 2 layers along axis {axis}, got shape {s.shape}")
    first, last = np.take(s, 0, axis=axis), np.take(s, -1, axis=axis)
    with np.errstate(all="ignore"):
        g = (last / first) ** (2.0 / (s.shape[axis] - 1))
    return float(g) if np.ndim(g) == 0 else g


def _labelled(init):
    """{label: Initializer} from a name, an Initializer, a sequence of them or a dict label -> init."""
    if isinstance(init, (str, initializers.Initializer)):
        init = [init]
    if isinstance(init, dict):
        items = list(init.items())
    elif isinstance(init, (list, tuple)):
        items = [(i if isinstance(i, str) else repr(i), i) for i in init]
    else:
        raise TypeError(f"init must be an initializer name, an Initializer, a list of them or a dict "
                        f"label -> initializer, got {type(init).__name__} {init!r}")
    if not items or not all(isinstance(label, str) and label for label, _ in items):
        raise ValueError(f"init needs at least one initializer and non-empty str labels, got {init!r}")
    return {label: initializers.resolve(i) for label, i in items}


def _slope2(f, q):
    """E[g'(sqrt(q) xi)^2] for xi ~ N(0, 1), on theory's quadrature nodes."""
    u = np.sqrt(q) * theory.Z
    with np.errstate(all="ignore"):
        return float(theory.WEIGHTS @ np.asarray(f.derivative(u, f(u)), dtype=np.float64) ** 2)


def _predicted(sizes, init, f):
    """Var(z^[l]) by the variance recursion and Var(da^[l]) backward from Var(da^[L]) = 1."""
    L = len(sizes) - 1
    var_w = [init.std((sizes[l + 1], sizes[l])) ** 2 for l in range(L)]
    sigma_w2 = np.array([sizes[l] * var_w[l] for l in range(L)])  # n^[l-1] Var(W^[l])
    q = [sigma_w2[0]]  # x ~ N(0, 1): Var(z^[1]) = n^[0] Var(W^[1])
    for l in range(1, L):
        q.append(theory.length_map(q[-1], sigma_w2[l], 0.0, f))
    back = [sizes[l + 1] * var_w[l] * _slope2(f, q[l]) for l in range(L)]  # n^[l] Var(W^[l]) E[g'^2]
    da = np.ones(L)  # da^[1] .. da^[L]
    for l in range(L - 1, 0, -1):
        da[l - 1] = da[l] * back[l]
    return sigma_w2, np.array(q), da


def _measured(sizes, init, f, m, rng):
    """Var(z^[l]) forward from x ~ N(0, 1) and Var(da^[l]) backward from da^[L] ~ N(0, 1)."""
    L = len(sizes) - 1
    a, Ws, zs, acts = rng.standard_normal((m, sizes[0])), [], [], []
    with np.errstate(all="ignore"):
        for l in range(L):
            W = init((sizes[l + 1], sizes[l]), rng)
            z = a @ W.T
            a = f(z)
            Ws.append(W), zs.append(z), acts.append(a)
        g, da = rng.standard_normal((m, sizes[-1])), np.empty(L)
        for l in range(L - 1, -1, -1):
            da[l] = g.var()
            g = (g * f.derivative(zs[l], acts[l])) @ Ws[l]
        return np.array([z.var() for z in zs]), da


def growth_factors(init, activation="relu", depth=30, width=256, layer_sizes=None, m=500, seed=0):
    """Growth factor of variance per layer, predicted by the variance recursion and measured (Chapter 4).

    Forward: Var(z^[l]) / Var(z^[l-1]) of the pre-activations; backward: Var(da^[l-1]) / Var(da^[l])
    of the gradients dJ/da, for l = 2..L, with x ~ N(0, 1) and a N(0, 1) gradient injected at da^[L].
    The prediction iterates Var(z^[l]) = n^[l-1] Var(W^[l]) E[g(z^[l-1])^2] (z normal, zero biases)
    and Var(da^[l-1]) = n^[l] Var(W^[l]) E[g'(z^[l])^2] Var(da^[l]). init is a name, an Initializer,
    a list of them or a dict label -> initializer: one row each, the geometric mean over the layers;
    data holds the per-layer arrays {label: array}. layer_sizes [n_0, ..., n_L] overrides depth, width.
    """
    inits, f = _labelled(init), activations.get(activation)
    if layer_sizes is None:
        layer_sizes = [check_int("width", width)] * (check_int("depth", depth, minimum=2) + 1)
    if not isinstance(layer_sizes, (list, tuple)) or len(layer_sizes) < 3:
        raise ValueError(f"layer_sizes must be a list of >= 3 positive ints (2 layers), got {layer_sizes!r}")
    sizes = [check_int("layer size", n) for n in layer_sizes]
    m, rng = check_int("m", m), as_rng(seed)
    keys = ["forward_predicted", "forward_measured", "backward_predicted", "backward_measured",
            "z_std", "z_std_predicted", "grad_a_std", "grad_a_std_predicted"]
    data, rows = {k: {} for k in keys}, []
    for label, i in inits.items():
        sigma_w2, q, da_pred = _predicted(sizes, i, f)
        z_var, da_var = _measured(sizes, i, f, m, rng)
        with np.errstate(all="ignore"):
            per_layer = [q[1:] / q[:-1], z_var[1:] / z_var[:-1],
                         da_pred[:-1] / da_pred[1:], da_var[:-1] / da_var[1:]]
            for k, v in zip(keys, per_layer + [np.sqrt(z_var), np.sqrt(q), np.sqrt(da_var), np.sqrt(da_pred)]):
                data[k][label] = v
            mean = [float(np.exp(np.mean(np.log(v)))) for v in per_layer]
        rows.append([label, float(np.exp(np.mean(np.log(sigma_w2[1:]))))] + mean)
    data["layer"] = np.arange(2, len(sizes))
    caption = (f"Growth factor of variance per layer, geometric mean over layers 2-{len(sizes) - 1} "
               f"(forward: Var(z[l]) / Var(z[l-1]); backward: Var(da[l-1]) / Var(da[l])); "
               f"σ_w² = n_in Var(w); {f.name}, {_sizes_text(sizes)}, m = {m}.")
    columns = ["initializer", "σ_w²", "forward predicted", "forward measured",
               "backward predicted", "backward measured"]
    return Table(rows, columns, caption=caption, sig=3, data=data)


def _sizes_text(sizes):
    if len(set(sizes)) == 1:
        return f"{len(sizes) - 1} layers of {sizes[0]} units"
    return f"layer sizes {list(sizes)}"
