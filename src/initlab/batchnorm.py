"""BatchNorm: normalize each unit over the batch, with its exact backward pass (Chapter 9).

Training mode only: the statistics are the batch's own (Ioffe & Szegedy 2015), which is what a
net sees at initialization. Examples sit on axis -2, so an ensemble's (K, m, n) arrays work as is.
"""
import numpy as np

from ._checks import check_dtype, check_int, check_number

__all__ = ["BatchNorm", "batch_norm", "batch_norm_backward"]

EPS = 1e-5  # PyTorch's default


def batch_norm(z, gamma, beta, eps=EPS):
    """gamma * (z - mean) / sqrt(var + eps) + beta per unit, over the examples: (out, cache) (Chapter 9)."""
    d = z - z.mean(axis=-2, keepdims=True)
    inv_std = 1.0 / np.sqrt(np.mean(d * d, axis=-2, keepdims=True) + eps)
    z_hat = d * inv_std
    return z_hat * gamma[..., None, :] + beta[..., None, :], (z_hat, inv_std, gamma)


def batch_norm_backward(dout, cache):
    """Exact gradients (dz, dgamma, dbeta) from the gradient dout of batch_norm's output (Chapter 9)."""
    z_hat, inv_std, gamma = cache
    dgamma = np.sum(dout * z_hat, axis=-2)
    dbeta = np.sum(dout, axis=-2)
    dz_hat = dout * gamma[..., None, :]
    # the mean and the variance depend on every example: two projections come off dz_hat
    dz = inv_std * (dz_hat - dz_hat.mean(axis=-2, keepdims=True)
                    - z_hat * np.mean(dz_hat * z_hat, axis=-2, keepdims=True))
    return dz, dgamma, dbeta


class BatchNorm:
    """A BatchNorm layer over n_units with its own gamma (ones) and beta (zeros) (Chapter 9)."""

    def __init__(self, n_units, eps=EPS, dtype=np.float64):
        self.n_units = check_int("n_units", n_units)
        self.eps = check_number("eps", eps, minimum=0.0, strict=True)
        self.dtype = check_dtype(dtype)
        self.gamma = np.ones(self.n_units, dtype=self.dtype)
        self.beta = np.zeros(self.n_units, dtype=self.dtype)

    def __repr__(self):
        return f"BatchNorm({self.n_units}, eps={self.eps:g}, dtype={np.dtype(self.dtype).name})"

    def forward(self, z):
        """(out, cache) for z of shape (m, n_units), m >= 2 examples (Chapter 9)."""
        z = np.asarray(z)
        if z.ndim != 2 or z.shape[1] != self.n_units:
            raise ValueError(f"z must have shape (m, {self.n_units}), got {z.shape}")
        if z.shape[0] < 2:
            raise ValueError(f"BatchNorm needs a batch of >= 2 examples, got {z.shape[0]}")
        return batch_norm(z.astype(self.dtype, copy=False), self.gamma, self.beta, self.eps)

    def backward(self, dout, cache):
        """(dz, dgamma, dbeta) from the output gradient dout and forward's cache (Chapter 9)."""
        return batch_norm_backward(dout, cache)
