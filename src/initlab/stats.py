"""Per-layer statistics of one pass through a network: moments, saturated and dead units (Chapter 3).

The statistics only; fit records them through record.Recorder, the experiments live in experiments.
"""
import numpy as np

FORWARD = ("z_mean", "z_std", "a_mean", "a_std", "saturation", "dead")
BACKWARD = ("grad_a_std", "grad_W_std")
FLAT_MAX = 100_000  # moments concatenates up to this many numbers; beyond, one call per array


def moments(arrays):
    """Means and stds (float64, two passes) of several arrays: few numpy calls for small ones."""
    sizes = [a.size for a in arrays]
    if sum(sizes) > FLAT_MAX:  # big arrays: per-array calls cost nothing next to the arithmetic
        means = np.array([a.mean(dtype=np.float64) for a in arrays])
        stds = np.array([np.sqrt(np.mean(np.square(a - m, dtype=np.float64)))
                         for a, m in zip(arrays, means)])
        return means, stds
    flat = np.concatenate([a.reshape(-1) for a in arrays], dtype=np.float64)
    means, stds = block_moments(flat[None], sizes)
    return means[0], stds[0]


def block_moments(B, sizes):
    """Means and stds of consecutive column segments of each row of B (float64, overwritten)."""
    ends = np.cumsum(sizes)
    starts = ends - sizes
    means = np.add.reduceat(B, starts, axis=1) / sizes
    for j, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
        B[:, a:b] -= means[:, j:j + 1]  # two passes: exact even when the mean dwarfs the spread
    B *= B
    return means, np.sqrt(np.add.reduceat(B, starts, axis=1) / sizes)


def saturation(net, zs, acts):
    """Fractions of saturated units and of dead ones (saturated on every example), (K, L) (Chapter 1).

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


def as_dict(means, stds, sat, dead):
    """The statistics by name, from the moments of zs, acts[, ga, gW[, steps, W_before]], L each.

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


def pass_moments(net, arrays, zs, acts):
    """(means, stds, saturation, dead) of one pass, one row each; arrays starts with zs + acts."""
    means, stds = moments(arrays)
    sat, dead = saturation(net, [z[None] for z in zs], [a[None] for a in acts])
    return means[None], stds[None], sat, dead


def from_pass(net, zs, acts, gW=None, ga=None):
    """Per-layer statistics from one forward (and backward) pass already computed (Chapter 3)."""
    with np.errstate(all="ignore"):
        parts = pass_moments(net, zs + acts + (ga + gW if gW is not None else []), zs, acts)
        return as_dict(*(row[0] for row in parts))


def layer_stats(net, X, y=None):
    """Per-layer activation statistics on X and, given y, gradient statistics (Chapter 9).

    Keys (arrays of length L, one entry per weight layer; (K, L) for an ensemble): z_mean, z_std, a_mean, a_std,
    saturation (fraction of units in the flat part of their activation), dead (fraction of
    units flat on every example); with y also grad_a_std and grad_W_std. The last entry is the
    output layer, whose grad_a_std is the std of d cost / d z_L.
    """
    if not net.per_layer:
        raise ValueError(f"layer_stats needs a net with one z per weight layer (an MLP); a "
                         f"{type(net).__name__} has none: look at its stream with forward_all")
    if y is None:
        zs, acts = net.forward_all(X)
        gW = ga = None
    else:
        X, Y = net.check_Xy(X, y)
        with np.errstate(all="ignore"):
            p = net.forward_backward(X, Y, keep=True)
        zs, acts, gW, ga = p.zs, p.acts, p.grad_W, p.grad_a
    if net.n_members is None:
        return from_pass(net, zs, acts, gW, ga)
    members = [from_pass(net, *([a[k] for a in arrays] if arrays is not None else None
                                for arrays in (zs, acts, gW, ga)))
               for k in range(net.n_members)]
    return {key: np.stack([s[key] for s in members]) for key in members[0]}
