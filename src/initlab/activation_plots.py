"""Activation functions and their derivatives, drawn side by side (Chapter 1)."""
import numpy as np
from matplotlib.axes import Axes

from . import activations
from ._checks import check_int, check_number
from .plotting import panels_for
from .report import fmt

__all__ = ["activation_curves"]

NAMES = ("sigmoid", "tanh", "relu")


def curves(name, z_max=6.0, n=601):
    """z, g(z), g'(z) and the saturated mask on [-z_max, z_max] for one activation (Chapter 1)."""
    f = activations.get(name)
    z_max = check_number("z_max", z_max, minimum=0.0, strict=True)
    z = np.linspace(-z_max, z_max, check_int("n", n, minimum=3))
    a = f(z)
    return z, a, np.asarray(f.derivative(z, a), dtype=float), f.saturated(z, a)


def activation_curves(ax=None, names=NAMES, z_max=6.0, shade=True):
    """g (solid) and g' (dashed) of each activation, one panel each; its flat part shaded (Chapter 1).

    ax: None (a new row of panels), one Axes for one name, or a sequence of Axes, one per name.
    The shaded z are those activations.get(name).saturated marks: ``|g|`` past SATURATION of its
    range for tanh and sigmoid, z <= 0 for ReLU. Returns the array of Axes.
    """
    if isinstance(names, str) or not names:
        raise TypeError(f"names must be a non-empty sequence of activation names, got {names!r}; "
                        f"valid: {', '.join(activations.names())}")
    data = [curves(name, z_max) for name in names]  # checks every name and z_max first
    if isinstance(ax, Axes):
        ax = [ax]
    if ax is not None and len(np.ravel(np.asarray(ax, dtype=object))) != len(names):
        raise ValueError(f"need one Axes per name ({len(names)}: {', '.join(names)}), "
                         f"got {len(np.ravel(np.asarray(ax, dtype=object)))}")
    axes = panels_for(ax, len(names), width=3.2, height=2.6)
    for ax_, name, (z, a, da, flat) in zip(axes, names, data):
        ax_.axhline(0, color="grey", lw=0.6)
        ax_.axvline(0, color="grey", lw=0.6)
        if shade and flat.any():
            ax_.fill_between(z, 0, 1, where=flat, transform=ax_.get_xaxis_transform(),
                             color="grey", alpha=0.2, lw=0, label="flat: g' ≈ 0")
        ax_.plot(z, a, lw=2, label="g(z)")
        ax_.plot(z, da, lw=2, ls="--", label=f"g'(z), max {fmt(np.max(da), 2)}")
        ax_.set_title(name)
        ax_.set_xlabel("z")
        ax_.set(xlim=(z[0], z[-1]), ylim=(-1.1, 1.6))
        ax_.legend(fontsize="small", loc="upper left")
    return axes
