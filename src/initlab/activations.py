"""Activation functions, their derivatives and their PyTorch gains (Chapter 1)."""
import numpy as np
from scipy.special import expit

from . import initializers
from ._checks import as_given, check_choice, check_number, check_params


class Activation:
    """A nonlinearity f with its derivative f'(z) and PyTorch gain (Chapter 1)."""

    def __init__(self, name, f, df, saturated, **params):
        self.name, self.f, self._df, self._saturated = name, f, df, saturated
        self.params = params

    @property
    def gain(self):
        """PyTorch's gain for f, from initializers.gain (Chapter 4); elu has none (ValueError)."""
        return initializers.gain(self.name, self.params.get("slope"))

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
    """The activation called name with params, or name itself if it is an Activation (Chapter 1)."""
    if isinstance(name, Activation):
        return as_given("an activation", name, params)
    check_choice("activation", name, NAMES)
    check_params("activation", name, params, {"leaky_relu": ["slope"], "elu": ["alpha"]}.get(name, []))
    if name == "linear":
        return Activation("linear", lambda z: z, lambda z, a: np.ones_like(z), _never)
    if name == "sigmoid":
        return Activation("sigmoid", expit, lambda z, a: a * (1 - a),
                          lambda z, a: np.abs(2 * a - 1) > SATURATION)
    if name == "tanh":
        return Activation("tanh", np.tanh, lambda z, a: 1 - a * a, lambda z, a: np.abs(a) > SATURATION)
    if name == "relu":
        return Activation("relu", lambda z: np.maximum(z, 0), _relu_df, _negative)
    if name == "leaky_relu":
        slope = check_number("slope", params.get("slope", initializers.LEAKY_SLOPE), minimum=0.0)
        f, df = _leaky(slope)
        return Activation("leaky_relu", f, df, _negative, slope=slope)
    if name == "elu":
        alpha = check_number("alpha", params.get("alpha", 1.0), minimum=0.0)
        f, df = _elu(alpha)
        return Activation("elu", f, df, _very_negative, alpha=alpha)
    return Activation("selu", _selu_f, _selu_df, _very_negative)


NAMES = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")


def names():
    """Every activation name (Chapter 1)."""
    return list(NAMES)
