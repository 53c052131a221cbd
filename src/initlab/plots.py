"""Matplotlib helpers: data in, Axes out, no global state, no rcParams.

Curves here (per-layer stds, chain norms, costs, update ratios); histograms in histograms.py and
pictures of a network in diagrams.py, all reachable as il.plots.<name>.
"""
import numpy as np
from matplotlib.ticker import MaxNLocator

from .diagrams import decision_boundary, network
from .histograms import Histograms, activation_density, activation_histograms, gradient_histograms
from . import activation_plots, modern_plots, signal_plots
from .activation_plots import *  # noqa: F401,F403  (Chapter 1)
from .modern_plots import *  # noqa: F401,F403  (Chapter 9)
from .signal_plots import *  # noqa: F401,F403  (Chapter 8)
from .plotting import WHAT, LogLabels, axes_for, band, check_runs, log_line, log_y, members, spread

__all__ = ["WHAT", "LogLabels", "layer_std", "chain_magnitude", "Histograms", "activation_histograms",
           "gradient_histograms", "activation_density", "cost_curves", "decision_boundary", "network",
           "update_ratio"] + activation_plots.__all__ + signal_plots.__all__ + modern_plots.__all__


def layer_std(profiles, ax=None, key="a_std", variance=False):
    """Std (or variance) per layer for several runs on a log scale; ensembles as a band (Chapter 3).

    A value is a layer_stats/variance_profile dict or an array: (L,) for one network, (K, L) for
    an ensemble of K seeds, drawn as the median over seeds (inf/nan members count as +inf) with a
    band from the smallest to the largest finite member.
    """
    ax = axes_for(ax)
    log_y(ax)
    n = 1
    for label, p in check_runs(profiles, "profiles").items():
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
            median, lo, hi = spread(y.T)
            bad = int((~np.isfinite(y)).any(axis=1).sum())
            text = f"{label} ({members(len(y))}" + (f"; inf/nan in {bad})" if bad else ")")
            band(ax, x, lo, hi, log_line(ax, x, median, text, marker="."))
        else:
            log_line(ax, x, y, str(label), marker=".")
        n = max(n, len(x))
    ax.set_xlim(0.5, n + 0.5)
    ax.set_xlabel("layer")
    ax.set_ylabel(f"{'variance' if variance else 'std'} of {WHAT.get(key, key)}")
    ax.legend(fontsize="small")
    return ax


def chain_magnitude(chains, ax=None, key="a_norm"):
    """Norm against depth: {label: deep_linear_chain(...) result or array} (Chapter 2)."""
    ax = axes_for(ax)
    log_y(ax)
    for label, c in check_runs(chains, "chains").items():
        y = np.asarray(c[key] if isinstance(c, dict) else c, dtype=float).ravel()
        log_line(ax, np.arange(len(y)), y, str(label), what="depth")
    ax.set_xlabel("depth (number of layers)")
    ax.set_ylabel(WHAT.get(key, key))
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
    ax = axes_for(ax)
    if log:
        log_y(ax)

    def shown(c):
        return np.where(np.isfinite(c) & ((c > 0) | (not log)), c, np.nan)

    for label, run in check_runs(histories, "histories").items():
        cost, at = _costs(run)
        x = np.arange(len(cost))
        if cost.ndim == 2:
            median, lo, hi = spread(cost)
            ats = [a for a in at if a is not None]
            text = f"{label} ({members(cost.shape[1])}" + (f"; {len(ats)} diverged)" if ats else ")")
            line, = ax.plot(x, shown(median), label=text, marker="." if len(x) < 2 else None)
            band(ax, x, lo, hi, line, log)
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


def update_ratio(hist, ax=None):
    """log10 of std(update)/std(W) per layer over training, with Karpathy's -3 line (Chapter 5).

    An ensemble's stats (n_records, K, L) are drawn as the median over seeds and a min-max band.
    """
    ax = axes_for(ax)
    stats = getattr(hist, "stats", None) or {}
    if "update_ratio" not in stats:
        raise ValueError("hist has no 'update_ratio' stats; train with il.fit(..., record_every=k)")
    r = np.asarray(stats["update_ratio"], dtype=float)
    K = r.shape[1] if r.ndim == 3 else None
    for l in range(r.shape[-1]):
        median, lo, hi = spread(r[:, :, l]) if K else (r[:, l], None, None)
        with np.errstate(all="ignore"):
            y = np.log10(median)
        y[~np.isfinite(y)] = np.nan
        (line,) = ax.plot(hist.stats_epochs, y, label=f"layer {l + 1}")
        if K:
            with np.errstate(all="ignore"):
                band(ax, hist.stats_epochs, np.log10(lo), np.log10(hi), line, log=False)
    ax.axhline(-3, color="k", ls="--", lw=1, label="-3 (rule of thumb)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("log10(std of update / std of W)")
    ax.legend(fontsize="small", title=members(K) if K else None, title_fontsize="small")
    return ax
