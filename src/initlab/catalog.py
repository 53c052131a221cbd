"""The registered initializers: plain draws, Keras' VarianceScaling family, PyTorch's init functions (Chapter 6).

Each entry registers a factory returning (draw(shape, rng), std(shape)); initializers.get builds
an Initializer from it. The rng is consumed in the order the initializers module documents.
"""
import math

import numpy as np

from ._checks import check_choice, check_number
from .initializers import DISTRIBUTIONS, MODES, TRUNC_STD, fans, gain, register


def _normal(mean, std, truncate=False):  # std(shape) is the pre-truncation std
    def draw(shape, rng):
        z = rng.standard_normal(shape)
        if truncate:  # redraw the values beyond 2 std, in C order, until none is left
            bad = np.flatnonzero(np.abs(z) > 2)
            while bad.size:
                z.flat[bad] = rng.standard_normal(bad.size)
                bad = bad[np.abs(z.flat[bad]) > 2]
        z *= std(shape)
        z += mean
        return z
    return draw, (lambda shape: std(shape) * TRUNC_STD) if truncate else std


def _uniform(limit):
    def draw(shape, rng):
        bound = limit(shape)
        return rng.uniform(-bound, bound, size=shape)
    return draw, lambda shape: limit(shape) / math.sqrt(3)


def _fan(shape, mode):
    fan_in, fan_out = fans(shape)
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]


def _fill(value):
    return (lambda shape, rng: np.full(shape, value)), lambda shape: 0.0


register("zeros")(lambda: _fill(0.0))
register("ones")(lambda: _fill(1.0))
register("constant", value=0.0)(lambda value: _fill(check_number("value", value)))


@register("normal", mean=0.0, std=1.0)
def _normal_init(mean, std, truncate=False):
    mean, std = check_number("mean", mean), check_number("std", std, minimum=0)
    return _normal(mean, lambda shape: std, truncate)


register("truncated_normal", mean=0.0, std=1.0)(lambda mean, std: _normal_init(mean, std, True))


@register("uniform", low=-1.0, high=1.0)
def _uniform_init(low, high):
    low, high = check_number("low", low), check_number("high", high)
    if not low < high:
        raise ValueError(f"uniform needs low < high, got low={low!r}, high={high!r}")
    std = (high - low) / math.sqrt(12)
    return (lambda shape, rng: rng.uniform(low, high, size=shape)), lambda shape: std


@register("variance_scaling", scale=1.0, mode="fan_in", distribution="truncated_normal")
def _variance_scaling(scale, mode, distribution):
    scale = check_number("scale", scale, minimum=0, strict=True)
    check_choice("mode", mode, MODES)
    check_choice("distribution", distribution, DISTRIBUTIONS)

    def variance(shape):  # Keras divides by max(1, fan)
        return scale / max(1.0, _fan(shape, mode))

    if distribution == "uniform":
        return _uniform(lambda shape: math.sqrt(3 * variance(shape)))
    if distribution == "untruncated_normal":
        return _normal(0.0, lambda shape: math.sqrt(variance(shape)))
    # "normal" is Keras' alias of "truncated_normal"; dividing by TRUNC_STD restores the variance
    return _normal(0.0, lambda shape: math.sqrt(variance(shape)) / TRUNC_STD, truncate=True)


for _name, _scale, _mode, _dist in [
    ("glorot_uniform", 1.0, "fan_avg", "uniform"), ("glorot_normal", 1.0, "fan_avg", "truncated_normal"),
    ("he_uniform", 2.0, "fan_in", "uniform"), ("he_normal", 2.0, "fan_in", "truncated_normal"),
    ("lecun_uniform", 1.0, "fan_in", "uniform"), ("lecun_normal", 1.0, "fan_in", "truncated_normal"),
]:
    register(_name)(lambda s=_scale, m=_mode, d=_dist: _variance_scaling(s, m, d))


def _rows_cols(shape, name, exactly_2d=False):
    if len(shape) < 2 or (exactly_2d and len(shape) > 2):
        raise ValueError(f"{name} needs a {'2-D' if exactly_2d else 'matrix or conv'} shape, got {shape!r}")
    return shape[0], math.prod(shape[1:])  # rows are output units


@register("orthogonal", gain=1.0)
def _orthogonal(gain):
    """std(shape) is gain/sqrt(max(rows, cols)): the exact rms of an orthogonal matrix (Chapter 6)."""
    g = check_number("gain", gain, minimum=0)

    def draw(shape, rng):
        rows, cols = _rows_cols(shape, "orthogonal")
        q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
        q *= np.sign(np.diag(r))
        return g * (q.T if rows < cols else q).reshape(shape)
    return draw, lambda shape: g / math.sqrt(max(_rows_cols(shape, "orthogonal")))


@register("identity", gain=1.0)
def _identity(gain):
    """std(shape) is the std of the matrix's own entries: gain*sqrt(p*(1-p)), p = min/size (Chapter 6)."""
    g = check_number("gain", gain, minimum=0)

    def std(shape):
        p = min(_rows_cols(shape, "identity", True)) / math.prod(shape)
        return g * math.sqrt(p * (1 - p))
    return (lambda shape, rng: g * np.eye(*_rows_cols(shape, "identity", True))), std


@register("xavier_uniform", gain=1.0)
def _xavier_uniform(gain):
    g = check_number("gain", gain, minimum=0)
    return _uniform(lambda shape: g * math.sqrt(6.0 / sum(fans(shape))))


@register("xavier_normal", gain=1.0)
def _xavier_normal(gain):
    g = check_number("gain", gain, minimum=0)
    return _normal(0.0, lambda shape: g * math.sqrt(2.0 / sum(fans(shape))))


def _kaiming(a, mode, nonlinearity):
    a = check_number("a", a)
    check_choice("mode", mode, MODES[:2])
    g = gain(nonlinearity, a)
    return lambda shape: g / math.sqrt(_fan(shape, mode))  # the std, as torch computes it


@register("kaiming_uniform", a=0, mode="fan_in", nonlinearity="leaky_relu")
def _kaiming_uniform(a, mode, nonlinearity):
    return _uniform(lambda shape, std=_kaiming(a, mode, nonlinearity): math.sqrt(3.0) * std(shape))


@register("kaiming_normal", a=0, mode="fan_in", nonlinearity="leaky_relu")
def _kaiming_normal(a, mode, nonlinearity):
    return _normal(0.0, _kaiming(a, mode, nonlinearity))


@register("torch_linear_default")
@register("glorot_standard")
def _torch_linear_default():
    """nn.Linear's kaiming_uniform(a=sqrt(5)) is exactly U(+-1/sqrt(fan_in)) (Chapter 6)."""
    return _uniform(lambda shape: 1.0 / math.sqrt(fans(shape)[0]))
