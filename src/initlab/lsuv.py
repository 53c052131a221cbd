"""Layer-sequential unit-variance initialization, LSUV (Mishkin & Matas 2016) (Chapter 8).

Orthonormal weights first; then, layer by layer from the input, W_l is divided by the std of z_l
on a batch X until Var(z_l) is within tol of 1. Biases are kept (MLP's are zero, and then one pass
per layer is exact); a bias with Var(b) > 1 + tol leaves its layer unconverged after max_passes.
center=True is our addition, not in the paper: each unit's bias is first set so that its z has
mean 0 on the batch, and each rescaling divides W_l and b_l together (one pass is then exact too).
"""
import numpy as np

from . import initializers
from ._checks import as_rng, check_int, check_number
from .mlp import MLP


class LSUVResult:
    """What lsuv did: rescaling passes and final Var(z) per layer, (L,) or (K, L) (Chapter 8)."""

    def __init__(self, passes, variances, tol):
        self.passes, self.variances, self.tol = passes, variances, tol
        with np.errstate(invalid="ignore"):
            self.converged = np.abs(variances - 1.0) <= tol  # False for a dead (zero) or non-finite layer

    def __repr__(self):
        ok = "all" if self.converged.all() else f"{int(self.converged.sum())} of {self.converged.size} layers"
        return f"LSUVResult(passes={self.passes.tolist()}, converged={ok}, tol={self.tol:g})"


def _var(z):
    """Var(z) over examples and units: a float, or one per member."""
    v = np.var(z.astype(np.float64), axis=(-2, -1))
    return float(v) if v.ndim == 0 else v


def _layer(a, W, b):
    z = a @ W.mT  # as MLP.forward computes it, so the variances are those of a forward pass
    z += b[..., None, :]
    return z


def lsuv(net, X, tol=0.1, max_passes=10, seed=0, center=False):
    """Re-initialize net in place by LSUV on the batch X; returns (net, LSUVResult) (Chapter 8).

    seed drives the orthonormal draw, layer by layer as MLP draws: a single net from as_rng(seed),
    ensemble member i from as_rng(seed).spawn(K)[i]. center=True also centres each unit's z on X
    through its bias (our addition).
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an initlab MLP, got {type(net).__name__} {net!r:.60}")
    X = net.check_X(X)
    tol = check_number("tol", tol, minimum=0.0, strict=True)
    max_passes = check_int("max_passes", max_passes)
    if not isinstance(center, (bool, np.bool_)):
        raise TypeError(f"center must be True or False, got {type(center).__name__} {center!r}")
    rng = as_rng(seed)
    rngs = [rng] if net.n_members is None else rng.spawn(net.n_members)
    ortho = initializers.get("orthogonal")
    for l, (n_out, n_in) in enumerate(zip(net.layer_sizes[1:], net.layer_sizes)):
        drawn = [ortho((n_out, n_in), r, dtype=net.dtype) for r in rngs]
        net.weights[l][...] = drawn[0] if net.n_members is None else np.stack(drawn)
    L = net.n_layers
    shape = (L,) if net.n_members is None else (net.n_members, L)
    passes, variances = np.zeros(shape, dtype=np.int64), np.zeros(shape)
    a, acts = X, net.hidden_activations
    with np.errstate(all="ignore"):
        for l, (W, b) in enumerate(zip(net.weights, net.biases)):
            if center:
                b -= _layer(a, W, b).mean(axis=-2).astype(net.dtype)
            for _ in range(max_passes):
                z = _layer(a, W, b)
                v = np.asarray(_var(z))
                variances[..., l] = v
                todo = np.isfinite(v) & (v > 0) & (np.abs(v - 1.0) > tol)  # dead or diverged: nothing to scale
                if not todo.any():
                    break
                scale = np.where(todo, 1.0 / np.sqrt(np.where(todo, v, 1.0)), 1.0).astype(net.dtype)
                W *= scale[..., None, None] if scale.ndim else scale
                if center:
                    b *= scale[..., None] if scale.ndim else scale
                passes[..., l] += todo
            else:
                z = _layer(a, W, b)
                variances[..., l] = _var(z)
            if l < L - 1:
                a = acts[l].f(z)
    return net, LSUVResult(passes, variances, tol)
