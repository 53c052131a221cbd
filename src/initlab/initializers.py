"""Fans, gains and the initializer registry: Keras names keep Keras semantics, PyTorch names PyTorch's.

Shapes are in PyTorch order ``(fan_out, fan_in, *kernel)``. Every draw is made in float64 and then
cast. The rng is consumed in a fixed order, so a seed reproduces a draw bit for bit:

- normal families: one ``rng.standard_normal(shape)``, then ``* std + mean``;
- truncated normals: one ``rng.standard_normal(shape)``, then, while any ``abs(z) > 2``, one
  ``rng.standard_normal(k)`` for the k offending values (in C order), then ``* std + mean``;
- uniform families: one ``rng.uniform(low, high, size=shape)``;
- orthogonal: one ``rng.standard_normal((max(rows, cols), min(rows, cols)))``;
- zeros, ones, constant, identity: no draws.

An int seed means ``np.random.default_rng(seed)``: ``init(shape, 7)`` equals
``init(shape, default_rng(7))``.
"""
import math
import numbers

import numpy as np

from ._checks import as_given, as_rng, check_choice, check_dtype, check_number, check_params, check_shape

TRUNC_STD = 0.87962566103423978  # std of a standard normal truncated to [-2, 2]
LEAKY_SLOPE = 0.01  # leaky_relu's default negative slope, as in PyTorch
GAINS = {
    "linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0, "conv_transpose1d": 1.0,
    "conv_transpose2d": 1.0, "conv_transpose3d": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3,
    "relu": math.sqrt(2.0), "leaky_relu": None, "selu": 3.0 / 4,
}
MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "normal", "uniform")
REGISTRY = {}  # name -> (make, defaults); make(**params) -> (draw(shape, rng), std(shape))


def fans(shape):
    """(fan_in, fan_out) of a PyTorch-order shape; a vector (n,) gives (n, n) as in Keras (Chapter 4)."""
    shape = check_shape(shape)
    if len(shape) == 1:
        return shape[0], shape[0]
    rf = math.prod(shape[2:])
    return shape[1] * rf, shape[0] * rf


def gain(nonlinearity, param=None):
    """PyTorch's calculate_gain: the std factor that keeps a nonlinearity's variance (Chapter 4)."""
    check_choice("nonlinearity", nonlinearity, GAINS)
    if nonlinearity != "leaky_relu":
        return GAINS[nonlinearity]
    slope = LEAKY_SLOPE if param is None else check_number("param", param)
    return math.sqrt(2.0 / (1 + slope**2))


def _fmt(value):
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = int(value) if isinstance(value, numbers.Integral) else float(value)
    return repr(value)


class Initializer:
    """A named weight initializer: init(shape, rng, dtype) draws, init.std(shape) predicts (Chapter 1)."""

    def __init__(self, name, params, draw, std, text=None):
        self.name, self.params = name, dict(params)
        self._draw, self._std = draw, std
        self._text = text or f"{name}({', '.join(f'{k}={_fmt(v)}' for k, v in params.items())})"

    def __call__(self, shape, rng, dtype=np.float64):
        shape, dtype, rng = check_shape(shape), check_dtype(dtype), as_rng(rng, "rng")
        return np.asarray(self._draw(shape, rng), dtype=np.float64).astype(dtype)

    def std(self, shape):
        """The exact std of one drawn value for this shape (Chapter 1)."""
        return float(self._std(check_shape(shape)))

    def __mul__(self, factor):
        if not isinstance(factor, numbers.Real) or isinstance(factor, bool):
            return NotImplemented
        return scaled(self, factor)

    __rmul__ = __mul__

    def __repr__(self):
        return self._text


def register(name, **defaults):
    """Add an initializer factory to the registry under name (Chapter 1)."""
    def decorate(make):
        REGISTRY[name] = (make, defaults)
        return make
    return decorate


def names():
    """Sorted names of every registered initializer (Chapter 1)."""
    return sorted(REGISTRY)


def get(name, **params):
    """The initializer registered as name, with params overriding its defaults; an Initializer as is (Chapter 1)."""
    if isinstance(name, Initializer):
        return as_given("an initializer", name, params)
    check_choice("initializer", name, REGISTRY)
    make, defaults = REGISTRY[name]
    check_params("initializer", name, params, list(defaults))
    params = {**defaults, **params}
    draw, std = make(**params)
    return Initializer(name, params, draw, std)


def resolve(init):
    """get(init) for a registered name or an Initializer; anything else is a TypeError (Chapter 1)."""
    if isinstance(init, (str, Initializer)):
        return get(init)
    hint = "; use get('constant', value=...)" if isinstance(init, numbers.Number) else ""
    raise TypeError(f"init must be an initializer name or an Initializer, got {init!r}{hint}")


def scaled(init, factor):
    """init with every drawn value multiplied by factor (variance times factor**2) (Chapter 1)."""
    if not isinstance(init, Initializer):
        raise TypeError(f"init must be an Initializer, got {type(init).__name__} {init!r}")
    f = check_number("factor", factor)
    text = f"scaled({init!r}, {_fmt(factor)})"
    return Initializer(text, {"init": init, "factor": f},
                       lambda shape, rng: init(shape, rng) * f,
                       lambda shape: abs(f) * init.std(shape), text=text)


def _normal(mean, std, truncate=False):  # std(shape) is the pre-truncation std
    def draw(shape, rng):
        z = rng.standard_normal(shape)
        if truncate:
            while (bad := np.abs(z) > 2).any():
                z[bad] = rng.standard_normal(int(bad.sum()))
        return z * std(shape) + mean
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


# -- presets: the initializers the chapters and explorers offer under a short label ------------------

N_1_OVER_N = get("variance_scaling", distribution="untruncated_normal")  # N(0, 1/n_{l-1}), untruncated
HISTOGRAM_PRESETS = {  # Chapter 5's activation histograms
    "zero": get("zeros"),
    "U(±1/√n)": get("torch_linear_default"),
    "N(0, 1/n)": N_1_OVER_N,
    "N(0, 1)": get("normal"),
    "Glorot uniform": get("glorot_uniform"),
    "He normal": get("he_normal"),
}
PLAYGROUND_PRESETS = {  # Chapter 1's playground: the article's four scales, then the registry's classics
    "Zero": get("zeros"),
    "Too small": scaled(N_1_OVER_N, 0.1),  # variance x 0.01
    "Appropriate": N_1_OVER_N,
    "Too large": scaled(N_1_OVER_N, 10.0),  # variance x 100
    **{name: get(name) for name in ("glorot_uniform", "glorot_normal", "he_normal", "he_uniform",
                                    "lecun_normal", "torch_linear_default", "orthogonal")},
}
