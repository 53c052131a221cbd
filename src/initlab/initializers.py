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
    """(fan_in, fan_out) of a PyTorch-order shape; a vector (n,) gives (n, n) as in Keras (Chapter 6)."""
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
        return np.asarray(self._draw(shape, rng), dtype=np.float64).astype(dtype, copy=False)

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


from . import catalog  # noqa: E402,F401  (fills REGISTRY: it needs register, defined above)

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
