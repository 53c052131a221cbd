"""Pictures of one network: its decision boundary on 2-D data, its weights as links (Chapter 1)."""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D

from .plotting import axes_for


def decision_boundary(net, X, y, ax=None, resolution=120, margin=0.5):
    """Filled contour of predict_proba over a grid around X, with the points coloured by class (Chapter 1)."""
    ax = axes_for(ax, figsize=(4, 4))
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
    ax = axes_for(ax, figsize=(5, 3.5))
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
    name = "weight" if color_by == "weight" else "dJ/dW"
    ax.legend([Line2D([], [], color=cmap(1.0), lw=3), Line2D([], [], color=cmap(0.0), lw=3)],
              [f"{name} > 0", f"{name} < 0"], fontsize="small", loc="upper center",
              ncols=2, frameon=False, bbox_to_anchor=(0.5, 1.08), handlelength=1.2, columnspacing=1.0)
    ax.set(xlim=(-0.4, len(sizes) - 0.6), ylim=(-0.75, 0.6))
    ax.set_axis_off()
    return ax
