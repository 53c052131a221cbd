"""Numbers for prose and tables: significant figures, myst_nb glue, seed-ensemble summaries (Chapter 1)."""
import numbers

import numpy as np

from ._checks import check_floor, check_sig


def fmt(x, sig=3, floor=None):
    """x as text with `sig` significant figures, the same on every machine (Chapter 2).

    Rule: round to sig significant figures; if the rounded decimal exponent e satisfies
    -4 <= e < sig, print fixed notation, else scientific with sig - 1 decimals ("1.23e+06").
    Trailing zeros are kept: exactly sig digits are printed ("0.500", "1.00e-05"), except zero,
    which prints "0". Ints and bools (Python or numpy) print exactly and are never floored.
    If floor is given, a float with abs(x) < floor prints "< {floor:g}" ("< 1e-12"), whatever
    its sign. Never a negative zero; inf, -inf and nan print "inf", "-inf", "nan".
    """
    sig, floor = check_sig(sig), check_floor(floor)
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if not isinstance(x, numbers.Real):
        raise TypeError(f"fmt needs a real number, got {type(x).__name__} {x!r}")
    v = float(x)
    if not np.isfinite(v):
        return str(v)  # "inf", "-inf", "nan"
    if floor is not None and abs(v) < floor:
        return f"< {floor:g}"
    if v == 0:
        return "0"
    mantissa, e = f"{v:.{sig - 1}e}".split("e")  # the exponent after rounding: 9.999 -> 1.00e+01
    e = int(e)
    if -4 <= e < sig:
        return f"{v:.{sig - 1 - e}f}"
    return f"{mantissa}e{e:+03d}"


class _Text:
    """A glued text: {glue:text} shows it exactly, {glue:} too (via its markdown).

    myst_nb's glue:text role literal_evals text/plain, so the plain text "0.500" would come
    out as the float 0.5; the repr of a str evaluates back to the str itself, unchanged.
    """

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return repr(self.text)

    def _repr_pretty_(self, p, cycle):
        p.text(repr(self.text))

    def _repr_markdown_(self):
        return self.text


def glue(name, value, sig=3, floor=None):
    """Glue fmt(value) (a str or Summary as its text) for {glue:text}`name`; return the text (Chapter 1)."""
    if not isinstance(name, str) or not name:
        raise TypeError(f"glue name must be a non-empty str, got {type(name).__name__} {name!r}")
    text = value if isinstance(value, str) else (
        str(value) if isinstance(value, Summary) else fmt(value, sig, floor))
    from myst_nb import glue as myst_glue

    myst_glue(name, _Text(text), display=False)
    return text


def n_seeds(n):
    """'1 seed' or 'n seeds' (Chapter 1)."""
    return f"{n} seed" if n == 1 else f"{n} seeds"


class Summary:
    """Median, quartiles, range and divergences of one quantity over an ensemble of seeds (Chapter 1).

    Statistics are over the finite values (nan if there are none); n counts all members,
    n_diverged the non-finite ones; k the members meeting the threshold (None without one).
    """

    def __init__(self, n, median, q1, q3, min, max, n_diverged, k, sig):
        self.n, self.median, self.q1, self.q3 = n, median, q1, q3
        self.min, self.max, self.n_diverged, self.k, self.sig = min, max, n_diverged, k, sig

    @property
    def k_of_n(self):
        """How many members met the threshold, as the text 'k of n seeds' (Chapter 1)."""
        if self.k is None:
            raise ValueError("k_of_n needs a threshold: summarize(values, at_least=...) or at_most=...")
        return f"{self.k} of {n_seeds(self.n)}"

    def __str__(self):
        if self.n_diverged == self.n:
            return f"all {n_seeds(self.n)} diverged"
        lo, hi = fmt(self.min, self.sig), fmt(self.max, self.sig)
        dash = " to " if "-" in lo + hi else "-"
        text = f"median {fmt(self.median, self.sig)} (range {lo}{dash}{hi}, {n_seeds(self.n)}"
        return text + (f", {self.n_diverged} diverged)" if self.n_diverged else ")")

    def __repr__(self):
        f = lambda v: fmt(v, self.sig)  # noqa: E731
        return (f"Summary(n={self.n}, median={f(self.median)}, q1={f(self.q1)}, q3={f(self.q3)}, "
                f"min={f(self.min)}, max={f(self.max)}, n_diverged={self.n_diverged}, k={self.k})")


def _threshold(name, value):
    if value is None:
        return None
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or np.isnan(value):
        raise TypeError(f"{name} must be a real number or None, got {type(value).__name__} {value!r}")
    return float(value)


def summarize(values, at_least=None, at_most=None, sig=2):
    """Summary of one value per seed (nan/inf: diverged); k counts at_least <= v <= at_most (Chapter 1)."""
    sig = check_sig(sig)
    at_least, at_most = _threshold("at_least", at_least), _threshold("at_most", at_most)
    try:
        v = np.asarray(values)
    except ValueError as err:  # ragged nesting
        raise ValueError(f"values must be a 1-d sequence of numbers (one per seed): {err}") from None
    if v.dtype.kind not in "iuf":
        raise TypeError(f"values must be real numbers (one per seed), got dtype {v.dtype}: {values!r}")
    if v.ndim != 1:
        raise ValueError(f"values must be 1-d (one number per seed), got shape {v.shape}")
    if v.size == 0:
        raise ValueError("values is empty: summarize needs at least one seed")
    v = v.astype(float)
    ok = np.isfinite(v)
    finite = v[ok]
    if finite.size:
        with np.errstate(all="ignore"):  # interpolating between +-1e308 overflows to inf: shown, not raised
            q1, median, q3 = (float(q) for q in np.percentile(finite, [25, 50, 75]))
        lo, hi = float(finite.min()), float(finite.max())
    else:
        q1 = median = q3 = lo = hi = float("nan")
    k = None
    if at_least is not None or at_most is not None:
        meets = ok.copy()
        if at_least is not None:
            meets[ok] &= finite >= at_least
        if at_most is not None:
            meets[ok] &= finite <= at_most
        k = int(meets.sum())
    return Summary(int(v.size), median, q1, q3, lo, hi, int((~ok).sum()), k, sig)


# ---- Tables (Chapter 1): one renderer for every table of results ---------------------------
