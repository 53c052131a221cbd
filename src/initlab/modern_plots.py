"""Figures of initialization in modern networks: residual variance, learning-rate sweeps (Chapter 9)."""
import numpy as np

from .plotting import axes_for, band, check_runs, log_line, log_y, members, panels_for, spread

__all__ = ["stream_variance", "gradient_norms", "lr_curves"]


def _bands(ax, runs, name, what):
    """One median line and min-max band per {label: (K, n) array}, against 0..n-1, log y."""
    log_y(ax)
    for label, v in check_runs(runs, name).items():
        v = np.asarray(v, dtype=float)
        if v.ndim != 2:
            raise ValueError(f"{name}[{label!r}] must be (K, n): K seeds, got shape {v.shape}")
        x = np.arange(v.shape[1])
        median, lo, hi = spread(v.T)
        band(ax, x, lo, hi, log_line(ax, x, median, f"{label}", what=what))
    ax.legend(fontsize="small", title=members(v.shape[0]), title_fontsize="small")
    return ax


def stream_variance(var, ax=None):
    """Variance of the residual stream x^{[k]} against block k, one line per fix (Chapter 9)."""
    ax = _bands(axes_for(ax), var, "var", "block")
    ax.set_xlabel("block k")
    ax.set_ylabel("variance of x[k]")
    return ax


def gradient_norms(norms, ax=None):
    """Norm of dJ/dx^{[k]} against layer k, one line per net: growth toward the input (Chapter 9)."""
    ax = _bands(axes_for(ax), norms, "norms", "layer")
    ax.set_xlabel("layer k (input side at 0)")
    ax.set_ylabel("norm of dJ/dx[k]")
    return ax


def lr_curves(sweep, axes=None):
    """Final cost against learning rate, a line per width, one panel per parametrization, shared y
    (Chapter 9). sweep is lr_sweep's data: {'cost': {par: (widths, lrs, K)}, 'widths', 'lrs'}."""
    cost, widths, lrs = sweep["cost"], sweep["widths"], np.asarray(sweep["lrs"], dtype=float)
    axes = panels_for(axes, len(cost), width=3.4, height=2.9)
    for ax, (par, c) in zip(axes, cost.items()):
        log_y(ax)
        ax.set_xscale("log", base=2)
        for w, cw in zip(widths, c):
            median, lo, hi = spread(cw)
            line = log_line(ax, lrs, median, f"width {w}", what="lr", marker=".")
            band(ax, lrs, lo, hi, line)
            best = np.nanargmin(np.where(np.isfinite(median), median, np.nan))
            ax.plot(lrs[best], median[best], "*", ms=11, color=line.get_color())
        ax.set_title({"sp": "standard parametrization", "mup": "muP"}.get(par, par), fontsize="medium")
        ax.set_xlabel("learning rate")
    axes[0].set_ylabel("training cost (median, * = best)")
    axes[0].legend(fontsize="small", title=members(cost[next(iter(cost))].shape[-1]), title_fontsize="small")
    lo, hi = zip(*(ax.get_ylim() for ax in axes[:len(cost)]))
    for ax in axes[:len(cost)]:
        ax.set_ylim(min(lo), max(hi))
    return axes
