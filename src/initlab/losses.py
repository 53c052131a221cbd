"""Output layers and their losses, computed stably from the logits z (Chapter 1)."""
import numpy as np
from scipy.special import expit

from . import activations
from ._checks import check_choice

OUTPUTS = ("sigmoid", "softmax", "linear")


class Sigmoid:
    """Sigmoid output with binary cross-entropy: y in {0, 1} (Chapter 1)."""

    name = "sigmoid"

    def activate(self, z):
        return expit(z)

    def cost(self, z, Y):
        # log(1 + e^z) - y z, written so that no exp overflows: exact for |z| up to 1e308
        return _mean(np.maximum(z, 0) - z * Y + np.log1p(np.exp(-np.abs(z))), z.shape[-2])

    def grad(self, z, a, Y):
        return (a - Y) / z.shape[-2]

    def saturated(self, z, a):
        """Outputs within 1.5% of 0 or 1 (the sigmoid's flat part)."""
        return np.abs(2 * a - 1) > activations.SATURATION

    def __repr__(self):
        return "Sigmoid()"

    def targets(self, y, n_out, dtype):
        Y = _column(y, n_out)
        if not np.all((Y == 0) | (Y == 1)):
            bad = np.unique(Y[(Y != 0) & (Y != 1)])[:5]
            raise ValueError(f"output='sigmoid' needs y in {{0, 1}}, got values {bad.tolist()}")
        return Y.astype(dtype)


class Softmax:
    """Softmax output with cross-entropy: y holds integer class ids (Chapter 3)."""

    name = "softmax"

    def activate(self, z):
        return np.exp(_log_softmax(z))

    def cost(self, z, Y):
        return _mean(-_log_softmax(z) * Y, z.shape[-2])

    def grad(self, z, a, Y):
        return (a - Y) / z.shape[-2]

    def saturated(self, z, a):
        """Every unit of an example whose top probability passes the threshold."""
        return np.broadcast_to(a.max(axis=-1, keepdims=True) > activations.SATURATION, a.shape)

    def __repr__(self):
        return "Softmax()"

    def targets(self, y, n_out, dtype):
        y = np.asarray(y)
        if y.ndim != 1:
            raise ValueError(f"output='softmax' needs y of shape (m,) with class ids, got {y.shape}")
        if not np.issubdtype(y.dtype, np.integer):
            if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
                raise ValueError("output='softmax' needs integer class ids in y")
        if y.min() < 0 or y.max() >= n_out:
            raise ValueError(
                f"class ids must lie in [0, {n_out - 1}] for {n_out} outputs, "
                f"got range [{y.min()}, {y.max()}]"
            )
        Y = np.zeros((len(y), n_out), dtype=dtype)
        Y[np.arange(len(y)), y.astype(np.intp)] = 1
        return Y


class Linear:
    """Identity output with mean squared error (Chapter 2)."""

    name = "linear"

    def activate(self, z):
        return z

    def cost(self, z, Y):
        d = z - Y
        return _mean(d * d, z.shape[-2] * z.shape[-1])

    def grad(self, z, a, Y):
        return (2.0 / (z.shape[-2] * z.shape[-1])) * (z - Y)

    def saturated(self, z, a):
        """Never: the identity has no flat part."""
        return np.zeros(a.shape, dtype=bool)

    def __repr__(self):
        return "Linear()"

    def targets(self, y, n_out, dtype):
        Y = _column(y, n_out)
        if not np.all(np.isfinite(Y)):
            raise ValueError("y contains NaN or inf values")
        return Y.astype(dtype)


def _mean(terms, n):
    """Sum of the per-example terms over n: a float, or one per ensemble member (leading axis)."""
    total = terms.sum(axis=(-2, -1)).astype(np.float64) / n  # float32 nets too: divide in float64
    return float(total) if total.ndim == 0 else total


def _log_softmax(z):
    s = z - z.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def _column(y, n_out):
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.number) and y.dtype != bool:
        raise TypeError(f"y must hold numbers, got dtype {y.dtype}")
    Y = y.reshape(-1, 1) if y.ndim == 1 else y
    if Y.ndim != 2 or Y.shape[1] != n_out:
        raise ValueError(f"y of shape {y.shape} does not fit a network with {n_out} output(s)")
    return Y


def get(name):
    """Return the output layer called name: 'sigmoid', 'softmax' or 'linear', or name itself if it is one (Chapter 1)."""
    if isinstance(name, (Sigmoid, Softmax, Linear)):
        return name
    check_choice("output", name, OUTPUTS)
    return {"sigmoid": Sigmoid, "softmax": Softmax, "linear": Linear}[name]()
