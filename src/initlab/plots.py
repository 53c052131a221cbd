"""Matplotlib helpers: data in, Axes out, no global state, no rcParams."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, LogLocator, MaxNLocator

from . import activations

WHAT = {
    "a_std": "activations a",
    "z_std": "pre-activations z",
    "grad_a_std": "gradients dcost/da",
    "grad_W_std": "gradients dcost/dW",
    "a_norm": "output norm ||a||",
    "grad_norm": "gradient norm ||dcost/da||",
}


def _axes(ax, figsize=(5.5, 3.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _panels(axes, n, width=2.6, height=2.6):
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


def _log_y(ax):
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(_LogLocator(10))  # the locators set_yscale("log") makes
    ax.yaxis.set_minor_locator(_LogLocator(10, None))
    ax.yaxis.set_major_formatter(LogLabels())
    ax.yaxis.set_minor_formatter(LogLabels(minor=True))


def _runs(runs, name):
    if not isinstance(runs, dict) or not runs:
        raise TypeError(f"{name} must be a non-empty dict {{label: data}}, got {type(runs).__name__}")
    return runs


def _log_line(ax, x, y, label, what="layer", **kw):
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


def _spread(v):
    """Per row of v (points, members): median (non-finite members count as +inf), finite min and max."""
    v = np.asarray(v, dtype=float)
    ok = np.isfinite(v)
    with np.errstate(all="ignore"):  # inf + inf in the median of an even count
        median = np.median(np.where(ok, v, np.inf), axis=1)
    lo, hi = np.where(ok, v, np.inf).min(axis=1), np.where(ok, v, -np.inf).max(axis=1)
    lo[~ok.any(axis=1)] = hi[~ok.any(axis=1)] = np.nan
    return median, lo, hi


def _band(ax, x, lo, hi, line, log=True):
    """Shade lo..hi (nan or, on a log axis, <= 0 leaves a gap) in the colour of line."""
    show = np.isfinite(lo) & np.isfinite(hi) & ((lo > 0) | (not log))
    return ax.fill_between(x, np.where(show, lo, np.nan), np.where(show, hi, np.nan), where=show,
                           color=line.get_color(), alpha=0.25, lw=0)


def _members(K):
    return f"median, min-max of {K} seeds"


def layer_std(profiles, ax=None, key="a_std", variance=False):
    """Std (or variance) per layer for several runs on a log scale; ensembles as a band (Chapter 4).

    A value is a layer_stats/variance_profile dict or an array: (L,) for one network, (K, L) for
    an ensemble of K seeds, drawn as the median over seeds (inf/nan members count as +inf) with a
    band from the smallest to the largest finite member.
    """
    ax = _axes(ax)
    _log_y(ax)
    n = 1
    for label, p in _runs(profiles, "profiles").items():
        if isinstance(p, dict) and key not in p:
            raise ValueError(f"profile {label!r} has no key {key!r}; keys: {', '.join(p)}")
        y = np.asarray(p[key] if isinstance(p, dict) else p, dtype=float)
        y = y.ravel() if y.ndim == 0 else y
        if y.ndim > 2:
            raise ValueError(f"profile {label!r}: {key} must be (L,) or (K, L) for K seeds, "
                             f"got shape {y.shape}")
        with np.errstate(all="ignore"):
            y = y**2 if variance else y
        x = np.arange(1, y.shape[-1] + 1)
        if y.ndim == 2:
            median, lo, hi = _spread(y.T)
            bad = int((~np.isfinite(y)).any(axis=1).sum())
            text = f"{label} ({_members(len(y))}" + (f"; inf/nan in {bad})" if bad else ")")
            _band(ax, x, lo, hi, _log_line(ax, x, median, text, marker="."))
        else:
            _log_line(ax, x, y, str(label), marker=".")
        n = max(n, len(x))
    ax.set_xlim(0.5, n + 0.5)
    ax.set_xlabel("layer")
    ax.set_ylabel(f"{'variance' if variance else 'std'} of {WHAT.get(key, key)}")
    ax.legend(fontsize="small")
    return ax


def chain_magnitude(chains, ax=None, key="a_norm"):
    """Norm against depth: {label: deep_linear_chain(...) result or array} (Chapter 2)."""
    ax = _axes(ax)
    _log_y(ax)
    for label, c in _runs(chains, "chains").items():
        y = np.asarray(c[key] if isinstance(c, dict) else c, dtype=float).ravel()
        _log_line(ax, np.arange(len(y)), y, str(label), what="depth")
    ax.set_xlabel("depth (number of layers)")
    ax.set_ylabel(WHAT.get(key, key))
    ax.legend(fontsize="small")
    return ax


def _common_range(values, range=None):
    """range if given, else (min, max) over all finite values of all layers."""
    if range is not None:
        return range
    lo = min((v.min() for v in values if v.size), default=-1.0)
    hi = max((v.max() for v in values if v.size), default=1.0)
    return (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)


class Histograms:
    """Per-layer histogram panels whose bars are updated in place (Chapter 3).

    ``Histograms(axes).update(values)`` draws the first time and afterwards only re-bins and calls
    ``StepPatch.set_data``, so an explorer can redraw many panels cheaply. ``range=None`` uses one
    common range over all layers; values outside a fixed range are not counted. Axes made with
    sharey=True get one y range; ticks set after construction are kept.
    """

    def __init__(self, axes, bins=50, range=None, saturation=None, xlabel="value"):
        self.axes = np.asarray(axes, dtype=object).ravel()
        if not isinstance(bins, (int, np.integer)) or bins < 1:
            raise ValueError(f"bins must be a positive int, got {bins!r}")
        if range is not None and not (len(range) == 2 and range[0] < range[1]):
            raise ValueError(f"range must be (low, high) with low < high, got {range!r}")
        self.bins, self.range, self.saturation = int(bins), range, saturation
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
                self.patches.append(ax.stairs(frac, edges, fill=True, color="C0"))
            ax.set_xlim(lo, hi)
            tops[ax] = max(frac.max(initial=0.0), 1e-3) * 1.1
            ax.set_title(self._title(labels[i], v, f), fontsize="small", y=1.0)  # y: no costly auto-placement
        for ax in tops:  # axes sharing y get the highest top of their group
            ax.set_ylim(0, max(tops.get(a, 0.0) for a in ax.get_shared_y_axes().get_siblings(ax)))
        return self.axes[:n]

    def _title(self, label, v, f):
        mean, std = (f.mean(), f.std()) if f.size else (np.nan, np.nan)
        text = f"{label}\nmean {mean:.2g}, std {std:.2g}"
        if self.saturation is not None:
            text += f", sat. {100 * np.count_nonzero(np.abs(f) > self.saturation) / max(f.size, 1):.0f}%"
        if f.size < v.size:
            text += f", {v.size - f.size} inf/nan"
        return text


def activation_histograms(acts, axes=None, labels=None, bins=50, range=None, saturation=activations.SATURATION):
    """An activation histogram per layer, titled with mean, std and % of ``abs(a) > saturation`` (Chapter 3)."""
    axes = _panels(axes, len(acts))
    hists = Histograms(axes, bins=bins, range=range, saturation=saturation, xlabel="activation a")
    return hists.update(acts, labels)


def gradient_histograms(grads_a, axes=None, labels=None, bins=50, range=None):
    """One histogram of back-propagated gradients dcost/da per layer (Chapter 3)."""
    axes = _panels(axes, len(grads_a))
    return Histograms(axes, bins=bins, range=range, xlabel="gradient dcost/da").update(grads_a, labels)


def activation_density(acts, ax=None, labels=None, bins=50, range=None):
    """All layers' activation histograms as lines on one Axes, as in Glorot & Bengio fig. 6 (Chapter 3)."""
    ax = _axes(ax)
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


def _costs(run):
    cost = np.asarray(getattr(run, "cost", run), dtype=float)
    cost = cost if cost.ndim == 2 else cost.ravel()
    if cost.ndim == 2:  # an ensemble: each member's diverged_at is its first non-finite epoch
        return cost, [int(np.argmax(b)) if b.any() else None for b in ~np.isfinite(cost.T)]
    at = getattr(run, "diverged_at", None)
    if not hasattr(run, "cost") and not np.isfinite(cost[-1:]).all():
        at = int(np.flatnonzero(np.isfinite(cost))[-1] + 1) if np.isfinite(cost).any() else 0
    return cost, at


def _diverged_x(ax, cost, ats, shown):
    """A red x at each diverged_at: on the run's last drawn cost, or at the top edge if there is none."""
    on, top = [], []
    for c, at in zip(cost, ats):
        before = shown(c[:at])
        before = before[np.isfinite(before)]
        (on if before.size else top).append((at, before[-1] if before.size else 0.96))
    style = dict(color="red", ms=10, mew=2.5, ls="none", marker="x")
    if on:
        ax.plot(*zip(*on), zorder=3, **style)
    if top:
        ax.plot(*zip(*top), clip_on=False, transform=ax.get_xaxis_transform(), **style)


def cost_curves(histories, ax=None, log=True):
    """Cost per epoch, one line per run (ensembles: median and band); a red x where one diverged (Chapter 1).

    Values are History objects (or anything with ``.cost`` and ``.diverged_at``) or plain cost arrays:
    (epochs + 1,) for one network, (epochs + 1, K) for K seeds. An ensemble is drawn as its median
    (a diverged member counts as +inf, so the line stops once half have diverged) with a band
    from the lowest to the highest cost of the members still finite, and an x per diverged member.
    """
    ax = _axes(ax)
    if log:
        _log_y(ax)

    def shown(c):
        return np.where(np.isfinite(c) & ((c > 0) | (not log)), c, np.nan)

    for label, run in _runs(histories, "histories").items():
        cost, at = _costs(run)
        x = np.arange(len(cost))
        if cost.ndim == 2:
            median, lo, hi = _spread(cost)
            ats = [a for a in at if a is not None]
            text = f"{label} ({_members(cost.shape[1])}" + (f"; {len(ats)} diverged)" if ats else ")")
            line, = ax.plot(x, shown(median), label=text, marker="." if len(x) < 2 else None)
            _band(ax, x, lo, hi, line, log)
            _diverged_x(ax, [c for c, a in zip(cost.T, at) if a is not None], ats, shown)
            continue
        label = str(label) if at is None else f"{label} (diverged at epoch {at})"
        ax.plot(x, shown(cost), label=label, marker="." if len(cost) < 2 else None)
        if at is not None:
            _diverged_x(ax, [cost], [at], shown)
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost")
    ax.legend(fontsize="small")
    return ax


def decision_boundary(net, X, y, ax=None, resolution=120, margin=0.5):
    """Filled contour of predict_proba over a grid around X, with the points coloured by class (Chapter 1)."""
    ax = _axes(ax, figsize=(4, 4))
    X, y = np.asarray(X, dtype=float), np.asarray(y).ravel()
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary needs 2-D inputs X of shape (m, 2), got shape {X.shape}")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    with np.errstate(all="ignore"):
        p = np.asarray(net.predict_proba(np.c_[xx.ravel(), yy.ravel()]), dtype=float)
    if p.ndim == 1:  # P(y=1)
        z, levels, cmap, vmax = p, np.linspace(0, 1, 11), "RdBu", 1
    else:
        z, levels, cmap, vmax = p.argmax(axis=1).astype(float), np.arange(p.shape[1] + 1) - 0.5, "tab10", 9
        z[~np.isfinite(p).all(axis=1)] = np.nan
    z = np.ma.masked_invalid(z.reshape(xx.shape))
    if z.count():
        ax.contourf(xx, yy, z, levels=levels, cmap=cmap, alpha=0.75, vmin=0, vmax=vmax)
    else:
        ax.text(0.5, 0.5, "prediction is nan", transform=ax.transAxes, ha="center", color="red")
    points = ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=0, vmax=vmax, s=14, edgecolors="k",
                        linewidths=0.5)
    handles, _ = points.legend_elements()
    ax.legend(handles, [f"class {c}" for c in np.unique(y)], fontsize="small", loc="lower center",
              bbox_to_anchor=(0.5, 1.0), ncols=min(len(handles), 5), frameon=False, handletextpad=0.1)
    ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), xlabel="x1", ylabel="x2")
    return ax


def network(net, ax=None, color_by="weight", grads=None):
    """Nodes per layer and links coloured by sign and sized by ``abs(weight)`` (or ``abs(gradient)``) (Chapter 1)."""
    ax = _axes(ax, figsize=(5, 3.5))
    if color_by == "weight":
        values = net.weights
    elif color_by == "gradient":
        if grads is None:
            raise ValueError("color_by='gradient' needs grads, e.g. grads=net.backward(X, y)[1]")
        values = grads["W"] if isinstance(grads, dict) else grads
    else:
        raise ValueError(f"unknown color_by {color_by!r}; valid: gradient, weight")
    sizes = list(net.layer_sizes)
    ys = [(np.arange(n) - (n - 1) / 2) / max(max(sizes) - 1, 1) for n in sizes]
    segments = []
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):  # W.ravel() runs over inputs fastest
        y0, y1 = np.tile(ys[l], n_out), np.repeat(ys[l + 1], n_in)
        segments.append(np.stack([np.c_[np.full(y0.size, l), y0], np.c_[np.full(y1.size, l + 1), y1]], 1))
    v = np.concatenate([np.asarray(W_, dtype=float).ravel() for W_ in values])
    finite = np.isfinite(v)
    vmax = np.abs(v[finite]).max(initial=0.0) or 1.0
    cmap = plt.get_cmap("RdBu")
    colors = cmap(Normalize(-vmax, vmax)(np.where(finite, v, 0.0)))
    colors[~finite] = (0.5, 0.5, 0.5, 1.0)
    widths = 0.3 + 3.0 * np.abs(np.where(finite, v, 0.0)) / vmax
    ax.add_collection(LineCollection(np.concatenate(segments), colors=colors, linewidths=widths, zorder=1))
    for l, (n, y_) in enumerate(zip(sizes, ys)):
        ax.scatter(np.full(n, l), y_, s=120, c="white", edgecolors="k", zorder=2)
        act = "input" if l == 0 else (net.output if l == len(sizes) - 1 else net.activation_names[l - 1])
        ax.text(l, -0.62, f"{n} {act}", ha="center", va="top", fontsize="small")
    name = "weight" if color_by == "weight" else "gradient dcost/dW"
    ax.legend([Line2D([], [], color=cmap(1.0), lw=3), Line2D([], [], color=cmap(0.0), lw=3)],
              [f"positive {name}", f"negative {name}"], fontsize="small", loc="upper center",
              ncols=2, frameon=False, bbox_to_anchor=(0.5, 1.08))
    ax.set(xlim=(-0.4, len(sizes) - 0.6), ylim=(-0.75, 0.6))
    ax.set_axis_off()
    return ax


def update_ratio(hist, ax=None):
    """log10 of std(update)/std(W) per layer over training, with Karpathy's -3 line (Chapter 5).

    An ensemble's stats (n_records, K, L) are drawn as the median over seeds and a min-max band.
    """
    ax = _axes(ax)
    stats = getattr(hist, "stats", None) or {}
    if "update_ratio" not in stats:
        raise ValueError("hist has no 'update_ratio' stats; train with il.fit(..., record_every=k)")
    r = np.asarray(stats["update_ratio"], dtype=float)
    K = r.shape[1] if r.ndim == 3 else None
    for l in range(r.shape[-1]):
        median, lo, hi = _spread(r[:, :, l]) if K else (r[:, l], None, None)
        with np.errstate(all="ignore"):
            y = np.log10(median)
        y[~np.isfinite(y)] = np.nan
        (line,) = ax.plot(hist.stats_epochs, y, label=f"layer {l + 1}")
        if K:
            with np.errstate(all="ignore"):
                _band(ax, hist.stats_epochs, np.log10(lo), np.log10(hi), line, log=False)
    ax.axhline(-3, color="k", ls="--", lw=1, label="-3 (rule of thumb)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("log10(std of update / std of W)")
    ax.legend(fontsize="small", title=_members(K) if K else None, title_fontsize="small")
    return ax
