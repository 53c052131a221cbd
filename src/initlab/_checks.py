"""Argument checks shared by every public function: clear errors that name the bad value."""
import numbers

import numpy as np

DTYPES = (np.float32, np.float64)


def as_rng(seed, name="seed"):
    """Return a numpy Generator or legacy RandomState from an int seed, a Generator or a RandomState."""
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        if seed < 0:
            raise ValueError(f"{name} must be a non-negative int, got {seed!r}")
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"{name} must be an int, a numpy Generator or a numpy RandomState, "
        f"got {type(seed).__name__} {seed!r}"
    )


def seed_list(seed):
    """The member seeds of an ensemble, or [seed] for one network."""
    return member_seeds(seed) or [seed]


def derived_rng(salt, seeds):
    """A Generator determined by an int salt and a list of int seeds (e.g. the biases of an ensemble)."""
    return np.random.default_rng([int(salt)] + [int(s) for s in seeds])


def member_seeds(seed):
    """None for one network (an int, Generator or RandomState), else the list of member seeds."""
    if isinstance(seed, (numbers.Integral, np.random.Generator, np.random.RandomState)):
        return None
    if isinstance(seed, (range, list, tuple, np.ndarray)):
        seeds = list(seed)
        if not seeds:
            raise ValueError("seed must be an int or a non-empty sequence of seeds, got an empty one")
        return seeds
    raise TypeError(f"seed must be an int, a Generator, a RandomState or a sequence of them "
                    f"(an ensemble), got {type(seed).__name__} {seed!r}")


def check_int(name, value, minimum=1):
    """Check that value is an int >= minimum and return it."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def check_number(name, value, minimum=None, maximum=None, strict=False):
    """Check that value is a real number in range and return it as a float."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        bound = ">" if strict else ">="
        raise ValueError(f"{name} must be {bound} {minimum}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}")
    return value


def check_choice(name, value, choices):
    """Check that value is one of choices and return it."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"unknown {name} {value!r}; valid: {', '.join(sorted(choices))}")
    return value


def check_params(kind, name, params, valid):
    """Check that every key of params is one of valid (a sequence, listed in the error)."""
    for key in params:
        if key not in valid:
            raise ValueError(f"unknown parameter {key!r} for {kind} {name!r}; valid: {', '.join(valid) or 'none'}")


def as_given(kind, obj, params):
    """obj, passed where a name may stand (losses.get and the like), when no params came with it."""
    if params:
        raise ValueError(f"parameters {sorted(params)} go with {kind} name, not with {obj!r}")
    return obj


def check_dtype(dtype):
    """Return np.float32 or np.float64; anything else is a TypeError."""
    try:
        dt = np.dtype(dtype).type
    except TypeError:
        dt = None
    if dt not in DTYPES:
        raise TypeError(f"dtype must be np.float32 or np.float64, got {dtype!r}")
    return dt


def check_shape(shape):
    """Check a weight shape: a non-empty tuple of positive ints."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or len(shape) == 0:
        raise ValueError(f"shape must be a non-empty tuple of positive ints, got {shape!r}")
    for s in shape:
        if not isinstance(s, numbers.Integral) or isinstance(s, bool) or s < 1:
            raise ValueError(f"shape must be a non-empty tuple of positive ints, got {shape!r}")
    return tuple(int(s) for s in shape)


def check_X(X, n_features=None, dtype=None, name="X"):
    """Check a 2-D finite array-like of numbers, shape (m, n_features); return it as an array of dtype."""
    if not isinstance(X, np.ndarray):  # lists and other array-likes, as for y
        try:
            array = np.asarray(X)
        except ValueError:  # ragged nested lists
            array = None
        if array is None or array.dtype == object:
            raise TypeError(f"{name} must be a 2-D array-like of numbers, got {type(X).__name__} {X!r:.60}")
        X = array
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (m, n_features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} has no rows (shape {X.shape})")
    if not np.issubdtype(X.dtype, np.number) or np.issubdtype(X.dtype, np.complexfloating):
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(
            f"{name} has {X.shape[1]} features but the network expects {n_features} "
            f"(shape {X.shape})"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf values")
    return np.asarray(X, dtype=dtype) if dtype is not None else X


def check_sig(sig):
    """Check a number of significant figures: an int >= 1."""
    if not isinstance(sig, numbers.Integral) or isinstance(sig, bool) or sig < 1:
        raise ValueError(f"sig must be an int >= 1, got {sig!r}")
    return int(sig)


def check_floor(floor):
    """Check a noise floor: a positive number or None."""
    if floor is None:
        return None
    if not isinstance(floor, numbers.Real) or isinstance(floor, bool):
        raise TypeError(f"floor must be a positive number or None, "
                        f"got {type(floor).__name__} {floor!r}")
    if not 0 < floor < np.inf:
        raise ValueError(f"floor must be a positive number or None, got {floor!r}")
    return float(floor)
