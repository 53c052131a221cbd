"""Per-layer statistics of a network and the experiments built on them (Chapters 2-5)."""
import numpy as np

from . import activations, initializers
from ._checks import as_rng, check_choice, check_int, check_number

FORWARD = ("z_mean", "z_std", "a_mean", "a_std", "saturation", "dead")
BACKWARD = ("grad_a_std", "grad_W_std")
INPUTS = ("normal", "uniform", "binary")
FLAT_MAX = 100_000  # moments concatenates up to this many numbers; beyond, one call per array
RECORD_BUFFER = 400_000  # numbers fit's records are gathered in before their statistics are computed


def _mean_std(x):
    """Mean and std of one array, computed in float64."""
    means, stds = moments([x])
    return means[0], stds[0]


def moments(arrays):
    """Means and stds (float64, two passes) of several arrays: few numpy calls for small ones."""
    sizes = [a.size for a in arrays]
    if sum(sizes) > FLAT_MAX:  # big arrays: per-array calls cost nothing next to the arithmetic
        means = np.array([a.mean(dtype=np.float64) for a in arrays])
        stds = np.array([np.sqrt(np.mean(np.square(a - m, dtype=np.float64)))
                         for a, m in zip(arrays, means)])
        return means, stds
    flat = np.concatenate([a.reshape(-1) for a in arrays], dtype=np.float64)
    means, stds = _block_moments(flat[None], sizes)
    return means[0], stds[0]


def _block_moments(B, sizes):
    """Means and stds of consecutive column segments of each row of B (float64, overwritten)."""
    ends = np.cumsum(sizes)
    starts = ends - sizes
    means = np.add.reduceat(B, starts, axis=1) / sizes
    for j, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
        B[:, a:b] -= means[:, j:j + 1]  # two passes: exact even when the mean dwarfs the spread
    B *= B
    return means, np.sqrt(np.add.reduceat(B, starts, axis=1) / sizes)


def _saturation(net, zs, acts):
    """Fractions of saturated units and of dead ones (saturated on every example), (K, L).

    zs and acts hold one (K, m, n_l) array per layer: K passes over the same m examples.
    """
    K, L = len(zs[0]), len(zs)
    sat, dead = np.empty((K, L)), np.empty((K, L))
    for l, (z, a) in enumerate(zip(zs, acts)):
        layer = net.hidden_activations[l] if l < L - 1 else net.output_layer
        mask = layer.saturated(z, a)
        sat[:, l] = mask.reshape(K, -1).sum(axis=1) / mask[0].size
        by_unit = np.ascontiguousarray(mask.transpose(0, 2, 1))  # all() is 4x faster along rows
        dead[:, l] = by_unit.all(axis=2).sum(axis=1) / a.shape[2]
    return sat, dead


def _record(means, stds, sat, dead):
    """The statistics dict from the moments of zs, acts[, ga, gW[, steps, W_before]], L each.

    Works on one pass (1-d arrays) or on K passes at once (one row each).
    """
    L = sat.shape[-1]
    out = {"z_mean": means[..., :L], "z_std": stds[..., :L], "a_mean": means[..., L:2 * L],
           "a_std": stds[..., L:2 * L]}
    if stds.shape[-1] > 2 * L:
        out["grad_a_std"], out["grad_W_std"] = stds[..., 2 * L:3 * L], stds[..., 3 * L:4 * L]
    out["saturation"], out["dead"] = sat, dead
    if stds.shape[-1] > 4 * L:  # Karpathy's update:data ratio: std of the step over std of the weights
        out["update_ratio"] = stds[..., 4 * L:5 * L] / np.maximum(stds[..., 5 * L:], 1e-300)
    return out


def _one_pass(net, arrays, zs, acts):
    """(means, stds, saturation, dead) of one pass, one row each; arrays starts with zs + acts."""
    means, stds = moments(arrays)
    sat, dead = _saturation(net, [z[None] for z in zs], [a[None] for a in acts])
    return means[None], stds[None], sat, dead


def from_pass(net, zs, acts, gW=None, ga=None):
    """Per-layer statistics from one forward (and backward) pass already computed (Chapter 3)."""
    with np.errstate(all="ignore"):
        parts = _one_pass(net, zs + acts + (ga + gW if gW is not None else []), zs, acts)
        return _record(*(row[0] for row in parts))


class Recorder:
    """The statistics fit records: from_pass's keys plus update_ratio (Chapter 5). Call it
    inside np.errstate(all="ignore"), as fit does: diverging runs record inf and nan.

    Small nets make arrays of a few thousand numbers, on which numpy's cost is per call and a
    fresh temporary faults its pages in: a record computed on its own costs about a training
    step. So the recorder copies each record into a row of one buffer and computes the
    statistics of up to `budget` numbers together (records over FLAT_MAX numbers: at once).
    """

    def __init__(self, net, budget=RECORD_BUFFER):
        self.net, self.budget = net, budget
        self.epochs = []
        self._buf, self._sizes, self._shapes = None, None, None  # a row per pending record
        self._n = 0  # pending records
        self._done = []  # (means, stds, saturation, dead) of computed records, a row each

    def add(self, epoch, zs, acts, gW, ga, W_before, W_after=None):
        """Record a pass and the update that followed it (W_after defaults to net.weights)."""
        W_after = self.net.weights if W_after is None else W_after
        arrays = zs + acts + ga + gW + [W - W0 for W, W0 in zip(W_after, W_before)] + W_before
        self.epochs.append(epoch)
        if self.net.n_members is None:
            self._add(arrays, zs, acts)
        else:  # a row per member, each like a single network's record
            for k in range(self.net.n_members):
                self._add([a[k] for a in arrays], [z[k] for z in zs], [a[k] for a in acts])

    def _add(self, arrays, zs, acts):
        sizes = [a.size for a in arrays]
        n = sum(sizes)
        if n > FLAT_MAX:  # big arrays: per-array calls cost nothing, as in moments
            self.flush()
            self._done.append(_one_pass(self.net, arrays, zs, acts))
            return
        if self._n and (sizes != self._sizes or self._n == len(self._buf)):
            self.flush()
        if self._buf is None or sizes != self._sizes:
            self._buf = np.empty((max(1, self.budget // n), n))
            self._sizes, self._shapes = sizes, [z.shape for z in zs]
        np.concatenate([a.reshape(-1) for a in arrays], out=self._buf[self._n])
        self._n += 1

    def flush(self):
        """Compute the pending records."""
        if not self._n:
            return
        B, L = self._buf[:self._n], len(self._shapes)
        starts = np.cumsum([0] + self._sizes).tolist()
        # the net's own precision, in which layer_stats compares with the saturation thresholds
        zs, acts = ([B[:, starts[l]:starts[l + 1]].reshape(self._n, *self._shapes[l % L])
                     .astype(self.net.dtype, copy=False) for l in range(first, first + L)]
                    for first in (0, L))
        sat, dead = _saturation(self.net, zs, acts)
        means, stds = _block_moments(B, self._sizes)  # overwrites B
        self._done.append((means, stds, sat, dead))
        self._n = 0

    def stats(self):
        """Everything recorded: statistic name -> array (records, L)."""
        self.flush()
        if not self._done:
            return {}
        out = _record(*(np.concatenate(parts) for parts in zip(*self._done)))
        if self.net.n_members is not None:  # rows were (record, member): (n_records, K, L)
            out = {k: v.reshape(len(self.epochs), self.net.n_members, -1) for k, v in out.items()}
        return out


def layer_stats(net, X, y=None):
    """Per-layer activation statistics on X and, given y, gradient statistics (Chapter 3).

    Keys (arrays of length L, one entry per weight layer; (K, L) for an ensemble): z_mean, z_std, a_mean, a_std,
    saturation (fraction of units in the flat part of their activation), dead (fraction of
    units flat on every example); with y also grad_a_std and grad_W_std. The last entry is the
    output layer, whose grad_a_std is the std of d cost / d z_L.
    """
    if y is None:
        zs, acts = net.forward_all(X)
        gW = ga = None
    else:
        X, Y = net.check_Xy(X, y)
        with np.errstate(all="ignore"):
            _, zs, acts, (gW, _, ga, _) = net._pass(X, Y, keep=True)
    if net.n_members is None:
        return from_pass(net, zs, acts, gW, ga)
    members = [from_pass(net, *([a[k] for a in arrays] if arrays is not None else None
                                for arrays in (zs, acts, gW, ga)))
               for k in range(net.n_members)]
    return {key: np.stack([s[key] for s in members]) for key in members[0]}


def _inputs(kind, m, n, rng):
    check_choice("input", kind, INPUTS)
    if kind == "normal":
        return rng.standard_normal((m, n))
    if kind == "uniform":
        return rng.uniform(-np.sqrt(3), np.sqrt(3), size=(m, n))  # unit variance
    return rng.integers(0, 2, size=(m, n)).astype(np.float64)


def variance_profile(depth, width, activation="tanh", init="glorot_normal", factor=1.0,
                     input="normal", m=500, seed=0):
    """Std of activations forward and of gradients backward through depth layers (Chapter 3).

    A stack of `depth` square layers of `width` units; a N(0, 1) gradient is injected at the
    last layer and propagated back. Returns arrays of length depth (layer 1 first).
    """
    depth, width, m = check_int("depth", depth), check_int("width", width), check_int("m", m)
    factor = check_number("factor", factor, minimum=0.0)
    f = activations.get(activation)
    base = initializers.resolve(init)
    rng = as_rng(seed)
    X = _inputs(input, m, width, rng)
    a_std, z_std, g_std = np.empty(depth), np.empty(depth), np.empty(depth)
    Ws, zs, acts = [], [], []
    a = X
    with np.errstate(all="ignore"):
        for l in range(depth):
            W = base((width, width), rng) * factor
            z = a @ W.T
            a = f(z)
            Ws.append(W), zs.append(z), acts.append(a)
            z_std[l], a_std[l] = _mean_std(z)[1], _mean_std(a)[1]
        g = rng.standard_normal((m, width))
        for l in range(depth - 1, -1, -1):
            g_std[l] = _mean_std(g)[1]
            g = (g * f.derivative(zs[l], acts[l])) @ Ws[l]
    diverged = not (np.all(np.isfinite(a_std)) and np.all(np.isfinite(g_std)))
    return {"a_std": a_std, "z_std": z_std, "grad_a_std": g_std, "input_std": float(X.std()),
            "diverged": diverged}


def deep_linear_chain(w, depth, x=None):
    """The notes' deep linear net y = W^[L] ... W^[1] x with W = w I (2x2) (Chapter 2).

    Returns the activation norm after each layer (index 0 is x) and the norm of the gradient
    of y's sum with respect to each layer's input; both are exact powers of w.
    """
    w = check_number("w", w)
    depth = check_int("depth", depth)
    x = np.ones(2) if x is None else np.asarray(x, dtype=np.float64)
    if x.shape != (2,):
        raise ValueError(f"x must have shape (2,) (the chain is 2x2), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x contains NaN or inf values: {x!r}")
    W = w * np.eye(2)
    a = [x]
    with np.errstate(all="ignore"):
        for _ in range(depth):
            a.append(W @ a[-1])
        g = [np.ones(2)]
        for _ in range(depth):
            g.append(W.T @ g[-1])
    return {"a_norm": np.array([np.linalg.norm(v) for v in a]),
            "grad_norm": np.array([np.linalg.norm(v) for v in g[::-1]]),
            "exact": np.linalg.norm(x) * np.abs(w) ** np.arange(depth + 1), "w": w}


def random_chain(depth, n=4, spectral_radius=1.0, seed=0):
    """Norms of x through a product of depth random n x n matrices of a chosen spectral radius (Chapter 2)."""
    depth, n = check_int("depth", depth), check_int("n", n)
    spectral_radius = check_number("spectral_radius", spectral_radius, minimum=0.0, strict=True)
    rng = as_rng(seed)
    x = rng.standard_normal(n)
    norms, M = [np.linalg.norm(x)], np.eye(n)
    with np.errstate(all="ignore"):
        for _ in range(depth):
            W = rng.standard_normal((n, n))
            W *= spectral_radius / np.max(np.abs(np.linalg.eigvals(W)))
            M = W @ M
            norms.append(np.linalg.norm(M @ x))
    return {"a_norm": np.array(norms), "product_norm": float(np.linalg.norm(M, 2)),
            "spectral_radius": spectral_radius}
