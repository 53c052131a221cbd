"""The input-output Jacobian of an MLP and its singular values, exact by the chain rule (Chapter 8).

J = W_L D_{L-1} W_{L-1} ... D_1 W_1 with D_l = diag(phi'(z_l)): the derivative of the output
layer's pre-activation z_L (the logits) with respect to the input x. Saxe et al. (2014) and
Pennington et al. (2017): learning is fast when all its singular values are near 1 (isometry).
"""
import numpy as np

from .mlp import MLP


def _check_net(net):
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an initlab MLP, got {type(net).__name__} {net!r:.60}")


def jacobians(net, X):
    """dz_L/dx for every row of X: shape (m, n_L, n_0), (K, m, n_L, n_0) for an ensemble (Chapter 8)."""
    _check_net(net)
    zs, acts = net.forward_all(X)
    lead = zs[0].shape[:-1]  # (m,) or (K, m)
    with np.errstate(all="ignore"):
        W = net.weights[0]
        J = np.broadcast_to(W[..., None, :, :], lead + W.shape[-2:]).copy()  # layer 1: dz_1/dx = W_1
        for l, act in enumerate(net.hidden_activations):
            d = np.asarray(act.derivative(zs[l], acts[l]), dtype=J.dtype)  # phi'(z_l), (..., m, n_l)
            W = net.weights[l + 1]
            J = W[..., None, :, :] @ (d[..., :, None] * J)
    return J


def input_output_jacobian(net, x):
    """dz_L/dx at one input x of shape (n_0,): shape (n_L, n_0), (K, n_L, n_0) for an ensemble (Chapter 8)."""
    _check_net(net)
    x = np.asarray(x)
    if x.ndim != 1:
        raise ValueError(f"x must be one input of shape ({net.layer_sizes[0]},), got shape {x.shape}; "
                         f"for many inputs use jacobian_singular_values or jacobians")
    return jacobians(net, x[None, :])[..., 0, :, :]


def jacobian_singular_values(net, X):
    """Singular values of dz_L/dx for each row of X, largest first: (m, r) or (K, m, r), r = min(n_L, n_0) (Chapter 8)."""
    J = jacobians(net, X)
    with np.errstate(all="ignore"):
        if not np.all(np.isfinite(J)):  # a diverged network: no SVD, nan where J is not finite
            ok = np.all(np.isfinite(J), axis=(-2, -1))
            s = np.full(J.shape[:-2] + (min(J.shape[-2:]),), np.nan)
            s[ok] = np.linalg.svd(J[ok], compute_uv=False)
            return s
        return np.linalg.svd(J, compute_uv=False)
