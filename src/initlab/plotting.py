"""What the plots share: Axes on demand, log axes with plain labels, lines that mark inf/nan, bands.

Helpers for plots.py, histograms.py and diagrams.py; data in, Axes out, no global state, no rcParams.
"""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.ticker import Formatter, LogLocator

WHAT = {
    "a_std": "activations a",
    "z_std": "pre-activations z",
    "grad_a_std": "gradients dcost/da",
    "grad_W_std": "gradients dcost/dW",
    "a_norm": "output norm ||a||",
    "grad_norm": "gradient norm ||dcost/da||",
}


def axes_for(ax, figsize=(5.5, 3.5)):
    """ax, or a new Axes in a constrained-layout Figure if ax is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def panels_for(axes, n, width=2.6, height=2.6):
    """axes as a flat array of at least n, or a new row of n panels if axes is None."""
    if axes is None:
        _, axes = plt.subplots(1, n, figsize=(width * n, height), layout="constrained", squeeze=False)
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) < n:
        raise ValueError(f"need {n} axes (one per layer), got {len(axes)}")
    return axes


class LogLabels(Formatter):
    """Log-axis tick labels in plain text (10⁻⁵, 0.6): cheap to draw, unlike mathtext."""

    SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

    def __init__(self, minor=False):
        self.minor = minor

    def __call__(self, x, pos=None):
        if not 0 < x < np.inf:
            return ""
        lo, hi = sorted(self.axis.get_view_interval())
        decades = np.log10(hi) - np.log10(lo) if lo > 0 else np.inf
        e = np.log10(x)
        if not self.minor and abs(e - round(e)) < 1e-9:
            return "10" + str(round(e)).translate(self.SUPERSCRIPT)
        if not self.minor or decades > 2:
            return ""
        mantissa = x / 10.0 ** np.floor(e + 1e-9)
        if decades > 0.4 and round(mantissa) not in (2, 5):  # a few labels on a short axis
            return ""
        digits = 3 if decades > 0.05 else int(np.ceil(-np.log10(decades))) + 2
        return f"{x:.{digits}g}"


class _LogLocator(LogLocator):
    """matplotlib's LogLocator without its overflow warning on an axis spanning ~300 decades (a diverged run)."""

    def tick_values(self, vmin, vmax):
        with np.errstate(over="ignore"):
            return super().tick_values(vmin, vmax)


def log_y(ax):
    """A log y axis with plain-text labels and no overflow warnings."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(_LogLocator(10))  # the locators set_yscale("log") makes
    ax.yaxis.set_minor_locator(_LogLocator(10, None))
    ax.yaxis.set_major_formatter(LogLabels())
    ax.yaxis.set_minor_formatter(LogLabels(minor=True))


def check_runs(runs, name):
    """runs, checked to be a non-empty dict {label: data}."""
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"{name} must be a non-empty dict {{label: data}}, got {type(runs).__name__}")
    return runs


def log_line(ax, x, y, label, what="layer", **kw):
    """Plot y on a log axis; mark the first inf/nan (red x, top edge) and the first 0 (triangle, bottom)."""
    y = np.asarray(y, dtype=float)
    bad, zero = ~np.isfinite(y), np.isfinite(y) & (y <= 0)
    if bad.any():
        label += f" (inf/nan from {what} {x[bad][0]})"
    elif zero.any():
        label += f" (0 from {what} {x[zero][0]})"
    (line,) = ax.plot(x, np.where(bad | zero, np.nan, y), label=label, **kw)
    edge = ax.get_xaxis_transform()  # x in data, y in axes fraction
    if bad.any():
        ax.plot(x[bad][:1], [0.96], "x", color="red", ms=9, mew=2, transform=edge, clip_on=False)
    if zero.any():
        ax.plot(x[zero][:1], [0.04], "v", color=line.get_color(), ms=8, transform=edge, clip_on=False)
    return line


def spread(v):
    """Per row of v (points, members): median (non-finite members count as +inf), finite min and max."""
    v = np.asarray(v, dtype=float)
    ok = np.isfinite(v)
    with np.errstate(all="ignore"):  # inf + inf in the median of an even count
        median = np.median(np.where(ok, v, np.inf), axis=1)
    lo, hi = np.where(ok, v, np.inf).min(axis=1), np.where(ok, v, -np.inf).max(axis=1)
    lo[~ok.any(axis=1)] = hi[~ok.any(axis=1)] = np.nan
    return median, lo, hi


def band(ax, x, lo, hi, line, log=True):
    """Shade lo..hi (nan or, on a log axis, <= 0 leaves a gap) in the colour of line."""
    show = np.isfinite(lo) & np.isfinite(hi) & ((lo > 0) | (not log))
    return ax.fill_between(x, np.where(show, lo, np.nan), np.where(show, hi, np.nan), where=show,
                           color=line.get_color(), alpha=0.25, lw=0)


def members(K):
    """The legend note of an ensemble drawn as median and band."""
    return f"median, min-max of {K} seeds"
