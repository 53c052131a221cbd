"""Activation functions, their derivatives and their PyTorch gains (Chapter 1)."""
import math

import numpy as np
from scipy.special import expit

from ._checks import check_choice, check_number


class Activation:
    """A nonlinearity f with its derivative f'(z) and PyTorch gain (Chapter 1)."""

    def __init__(self, name, f, df, gain, saturated, **params):
        self.name, self.f, self._df, self.gain, self._saturated = name, f, df, gain, saturated
        self.params = params

    def __call__(self, z):
        return self.f(z)

    def derivative(self, z, a):
        """f'(z), given z and a = f(z) (whichever is cheaper); relu's is a boolean mask."""
        return self._df(z, a)

    def saturated(self, z, a):
        """Boolean mask of units in the flat part of f (no gradient flows)."""
        return self._saturated(z, a)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.name}({args})"


SATURATION = 0.97  # |a| past this share of the output range counts as saturated (the flat part)


def _relu_df(z, a):
    return z > 0  # a boolean mask multiplies like 0/1 and saves a cast in the hot loop


def _leaky(slope):
    def f(z):
        return np.where(z > 0, z, slope * z)

    def df(z, a):
        return np.where(z > 0, 1.0, slope).astype(z.dtype)

    return f, df


def _elu(alpha):
    def f(z):
        return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))

    def df(z, a):
        return np.where(z > 0, 1.0, a + alpha).astype(z.dtype)

    return f, df


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772, 1.0507009873554805


def _selu_f(z):
    return _SELU_SCALE * np.where(z > 0, z, _SELU_ALPHA * np.expm1(np.minimum(z, 0)))


def _selu_df(z, a):
    return np.where(z > 0, _SELU_SCALE, a + _SELU_SCALE * _SELU_ALPHA).astype(z.dtype)


def _never(z, a):
    return np.zeros(z.shape, dtype=bool)


def _negative(z, a):
    return z <= 0


def _very_negative(z, a):
    return z < -3


def get(name, **params):
    """Return the activation called name (Chapter 1)."""
    if isinstance(name, Activation):
        return name
    check_choice("activation", name, NAMES)
    allowed = {"leaky_relu": {"slope"}, "elu": {"alpha"}}.get(name, set())
    for key in params:
        if key not in allowed:
            valid = ", ".join(sorted(allowed)) or "none"
            raise ValueError(f"unknown parameter {key!r} for activation {name!r}; valid: {valid}")
    if name == "linear":
        return Activation("linear", lambda z: z, lambda z, a: np.ones_like(z), 1.0, _never)
    if name == "sigmoid":
        return Activation("sigmoid", expit, lambda z, a: a * (1 - a), 1.0,
                          lambda z, a: np.abs(2 * a - 1) > SATURATION)
    if name == "tanh":
        return Activation("tanh", np.tanh, lambda z, a: 1 - a * a, 5.0 / 3,
                          lambda z, a: np.abs(a) > SATURATION)
    if name == "relu":
        return Activation("relu", lambda z: np.maximum(z, 0), _relu_df, math.sqrt(2.0), _negative)
    if name == "leaky_relu":
        slope = check_number("slope", params.get("slope", 0.01), minimum=0.0)
        f, df = _leaky(slope)
        return Activation("leaky_relu", f, df, math.sqrt(2.0 / (1 + slope**2)), _negative,
                          slope=slope)
    if name == "elu":
        alpha = check_number("alpha", params.get("alpha", 1.0), minimum=0.0)
        f, df = _elu(alpha)
        return Activation("elu", f, df, 1.0, _very_negative, alpha=alpha)
    return Activation("selu", _selu_f, _selu_df, 0.75, _very_negative)


NAMES = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")


def names():
    """Every activation name (Chapter 1)."""
    return list(NAMES)
