"""Histograms of activations and gradients, one panel per layer, redrawn in place (Chapters 5 and 7)."""
import numpy as np
from matplotlib.patches import StepPatch
from matplotlib.ticker import MaxNLocator

from . import activations
from .plotting import axes_for, panels_for


def _common_range(values, range=None):
    """range if given, else (min, max) over all finite values of all layers."""
    if range is not None:
        return range
    lo = min((v.min() for v in values if v.size), default=-1.0)
    hi = max((v.max() for v in values if v.size), default=1.0)
    return (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)


def _nice_top(y):
    """y rounded up to 1, 1.5, 2, 3, 5 or 7 times a power of ten: the y range moves less, so redraws are cheaper."""
    scale = 10.0 ** np.floor(np.log10(y))
    return scale * next(m for m in (1, 1.5, 2, 3, 5, 7, 10) if m * scale >= y * (1 - 1e-12))


class Histograms:
    """Per-layer histogram panels whose bars are updated in place (Chapter 5).

    ``Histograms(axes).update(values)`` draws the first time and afterwards only re-bins and calls
    ``StepPatch.set_data``, so an explorer can redraw many panels cheaply. ``range=None`` uses one
    common range over all layers; values outside a fixed range are not counted. Axes made with
    sharey=True get one y range; ticks set after construction are kept. wrap=True puts the
    saturation on a line of its own in each title (narrow panels).
    """

    def __init__(self, axes, bins=50, range=None, saturation=None, xlabel="value", wrap=False):
        self.axes = np.asarray(axes, dtype=object).ravel()
        if not isinstance(bins, (int, np.integer)) or bins < 1:
            raise ValueError(f"bins must be a positive int, got {bins!r}")
        if range is not None and not (len(range) == 2 and range[0] < range[1]):
            raise ValueError(f"range must be (low, high) with low < high, got {range!r}")
        self.bins, self.range, self.saturation, self.wrap = int(bins), range, saturation, wrap
        self.patches = []
        for ax in self.axes:
            ax.xaxis.set_major_locator(MaxNLocator(3))  # few tick labels: text dominates redraw time
            ax.yaxis.set_major_locator(MaxNLocator(3))
        self.axes[0].set_xlabel(xlabel)  # the panels share both quantities; each label costs redraw time
        self.axes[0].set_ylabel("fraction of values")

    def update(self, values, labels=None):
        """Re-bin values (a list of arrays, one per panel) and return the Axes."""
        n = len(values)
        if n > len(self.axes):
            raise ValueError(f"got {n} arrays but only {len(self.axes)} axes")
        labels = labels or [f"layer {i + 1}" for i in range(n)]
        raw = [np.asarray(v).ravel() for v in values]
        finite = [v if np.isfinite(v).all() else v[np.isfinite(v)] for v in raw]
        lo, hi = _common_range(finite, self.range)
        edges = np.linspace(lo, hi, self.bins + 1)
        tops = {}
        for i, (ax, v, f) in enumerate(zip(self.axes, raw, finite)):
            counts, _ = np.histogram(f, bins=self.bins, range=(lo, hi))
            frac = counts / max(v.size, 1)
            if i < len(self.patches):
                self.patches[i].set_data(frac, edges)
            else:
                # not ax.stairs, whose data-limit update costs more than the bars: update sets the limits
                self.patches.append(ax.add_artist(StepPatch(frac, edges, fill=True, facecolor="C0", linewidth=0)))
            ax.set_xlim(lo, hi)
            tops[ax] = _nice_top(max(frac.max(initial=0.0), 1e-3) * 1.1)
            ax.set_title(self._title(labels[i], v, f), fontsize="small", y=1.0)  # y: no costly auto-placement
        for ax in tops:  # axes sharing y get the highest top of their group
            ax.set_ylim(0, max(tops.get(a, 0.0) for a in ax.get_shared_y_axes().get_siblings(ax)))
        return self.axes[:n]

    def _title(self, label, v, f):
        mean, std = (f.mean(), f.std()) if f.size else (np.nan, np.nan)
        text = f"{label}\nmean {mean:.2g}, std {std:.2g}"
        if self.saturation is not None:
            share = 100 * np.count_nonzero(np.abs(f) > self.saturation) / max(f.size, 1)
            text += ("\n" if self.wrap else ", ") + f"sat. {share:.0f}%"
        if f.size < v.size:
            text += f", {v.size - f.size} inf/nan"
        return text


def activation_histograms(acts, axes=None, labels=None, bins=50, range=None, saturation=activations.SATURATION):
    """An activation histogram per layer, titled with mean, std and % of ``abs(a) > saturation`` (Chapter 7)."""
    axes = panels_for(axes, len(acts))
    hists = Histograms(axes, bins=bins, range=range, saturation=saturation, xlabel="activation a")
    return hists.update(acts, labels)


def gradient_histograms(grads_a, axes=None, labels=None, bins=50, range=None):
    """One histogram of back-propagated gradients dcost/da per layer (Chapter 7)."""
    axes = panels_for(axes, len(grads_a))
    return Histograms(axes, bins=bins, range=range, xlabel="gradient dcost/da").update(grads_a, labels)


def activation_density(acts, ax=None, labels=None, bins=50, range=None):
    """All layers' activation histograms as lines on one Axes, as in Glorot & Bengio fig. 6 (Chapter 7)."""
    ax = axes_for(ax)
    labels = labels or [f"layer {i + 1}" for i, _ in enumerate(acts)]
    finite = [np.asarray(a).ravel() for a in acts]
    finite = [f[np.isfinite(f)] for f in finite]
    lo, hi = _common_range(finite, range)
    for f, label in zip(finite, labels):
        counts, edges = np.histogram(f, bins=bins, range=(lo, hi))
        ax.stairs(counts / max(f.size, 1), edges, label=label, lw=1.5)
    ax.set_xlabel("activation a")
    ax.set_ylabel("fraction of values")
    ax.legend(fontsize="small")
    return ax
