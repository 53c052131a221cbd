"""Figures of signal propagation: Jacobian spectra, learning time, the phase diagram, trainability (Chapter 8).

Each takes the data of a chapter 8 experiment (Table.data) and draws one Axes (ax=None: a new one).
"""
import numpy as np
from matplotlib.colors import TwoSlopeNorm

from .plotting import axes_for, log_y

__all__ = ["jacobian_spectrum", "steps_to_threshold", "phase_diagram", "trainability"]

FLOOR = 1e-4  # singular values below it are drawn in the first bin


def _need(data, keys, what):
    if not isinstance(data, dict) or any(k not in data for k in keys):
        raise ValueError(f"{what} needs the data of il.experiments.{what} (a dict with keys {', '.join(keys)}), "
                         f"got {type(data).__name__}")


def jacobian_spectrum(data, activation="tanh", depth=None, ax=None, bins=48):
    """Histogram of log10 of the Jacobian's singular values, Gaussian vs orthogonal, at one depth (Chapter 8)."""
    _need(data, ("s", "depths"), "jacobian_spectra")
    depth = data["depths"][-1] if depth is None else depth
    keys = [k for k in data["s"] if k[0] == activation and k[2] == depth]
    if not keys:
        valid = sorted({(k[0], k[2]) for k in data["s"]})
        raise ValueError(f"no spectrum for activation={activation!r}, depth={depth!r}; valid: {valid}")
    ax = axes_for(ax)
    edges = np.linspace(np.log10(FLOOR), 1.0, bins + 1)
    for key in keys:
        s = np.asarray(data["s"][key], dtype=float).ravel()
        logs = np.clip(np.log10(np.maximum(s, FLOOR)), edges[0], edges[-1])
        ax.hist(logs, bins=edges, histtype="step", lw=1.8, weights=np.full(len(s), 1.0 / len(s)), label=key[1])
    ax.axvline(0.0, color="grey", ls=":", lw=1)
    ax.set_xlabel(f"log10 singular value (s < {FLOOR:g} in the first bin)")
    ax.set_ylabel("share of singular values")
    ax.set_title(f"{activation}, L = {depth}")
    ax.legend(fontsize="small")
    return ax


def steps_to_threshold(data, ax=None):
    """Median steps to the threshold against depth, min-max band over seeds; not reached: at the cap (Chapter 8)."""
    _need(data, ("steps", "depths", "max_steps"), "saxe_depth")
    ax = axes_for(ax)
    log_y(ax)
    depths, cap = np.asarray(data["depths"]), data["max_steps"]
    for weights in sorted({k[0] for k in data["steps"]}):
        s = np.array([np.minimum(data["steps"][weights, L], cap) for L in depths], dtype=float)
        median = np.median(s, axis=1)
        (line,) = ax.plot(depths, median, marker="o", label=f"{weights} (median, min-max)")
        ax.fill_between(depths, s.min(axis=1), s.max(axis=1), color=line.get_color(), alpha=0.2, lw=0)
        capped = median >= cap
        ax.plot(depths[capped], median[capped], "^", ms=11, color=line.get_color(), mfc="none")
    ax.axhline(cap, color="grey", ls=":", lw=1, label=f"not reached within {cap} steps")
    ax.set_xscale("log", base=2)
    ax.set_xticks(depths, [str(d) for d in depths])
    ax.set_xlabel("depth L (linear layers)")
    ax.set_ylabel("steps to the threshold")
    ax.legend(fontsize="small")
    return ax


def phase_diagram(data, ax=None, mark=None):
    """chi_1 over (sigma_w2, sigma_b2): ordered (blue) and chaotic (red) phases, the critical line (Chapter 8).

    mark: optional (sigma_w2, sigma_b2) drawn as a black dot.
    """
    _need(data, ("chi1", "sigma_w2", "sigma_b2"), "phase_diagram")
    ax = axes_for(ax)
    w, b, chi = data["sigma_w2"], data["sigma_b2"], np.asarray(data["chi1"])
    mesh = ax.pcolormesh(w, b, np.log2(chi), cmap="coolwarm", norm=TwoSlopeNorm(0.0, -2.0, 1.0),
                         shading="nearest")
    ax.figure.colorbar(mesh, ax=ax, label="log2 χ₁")
    ax.contour(w, b, chi, levels=[1.0], colors="k", linewidths=1.5)
    ax.plot([], [], "k-", label="χ₁ = 1, the edge of chaos")
    if mark is not None:
        ax.plot(*mark, "ko", ms=7, label=f"σ_w² = {mark[0]:g}, σ_b² = {mark[1]:g}")
    ax.text(0.04, 0.9, "ordered", transform=ax.transAxes, color="navy")
    ax.text(0.8, 0.1, "chaotic", transform=ax.transAxes, color="darkred")
    ax.set_xlabel("σ_w²")
    ax.set_ylabel("σ_b²")
    ax.set_title(f"{data.get('activation', '')}: χ₁ = σ_w² E[g'(z)²] at q*")
    ax.legend(fontsize="small", loc="upper right")
    return ax


def trainability(data, ax=None):
    """Seeds that trained per (sigma_w2, depth), with the predicted trainable depth 6 xi_c (Chapter 8)."""
    _need(data, ("k", "sigma_w2", "depths", "xi_curve"), "trainability")
    ax = axes_for(ax)
    k, w, depths = np.asarray(data["k"]), data["sigma_w2"], np.asarray(data["depths"])
    K = data["accuracy"].shape[-1] if "accuracy" in data else int(k.max())
    W, D = np.meshgrid(w, depths, indexing="ij")
    sc = ax.scatter(W.ravel(), D.ravel(), c=k.ravel() / K, cmap="viridis", vmin=0, vmax=1, s=260, marker="s")
    for x, d, kk in zip(W.ravel(), D.ravel(), k.ravel()):
        ax.annotate(str(kk), (x, d), ha="center", va="center", fontsize=8, color="w" if kk < K / 2 else "k")
    ax.figure.colorbar(sc, ax=ax, label=f"share of {K} seeds trained")
    cw, cxi = data["xi_curve"]
    ax.plot(cw, np.minimum(6 * np.asarray(cxi), 1e6), "r-", lw=2, label="6 ξ_c (Schoenholz et al.)")
    ax.set_yscale("log", base=2)
    ax.set_yticks(depths, [str(d) for d in depths])
    ax.set_ylim(depths[0] / 1.6, depths[-1] * 4)
    ax.set_xlabel("σ_w²")
    ax.set_ylabel("depth L")
    ax.legend(fontsize="small", loc="lower right")
    return ax
