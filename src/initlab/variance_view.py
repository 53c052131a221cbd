"""Chapter 3's picture: per-layer std of activations (forward) and gradients (backward), with seed bands."""
import itertools

import numpy as np

from . import initializers, plots
from .plotting import members
from .experiments import variance_profile
from .views import View, clear, decades, few_minor_ticks

KEYS = ("a_std", "z_std", "grad_a_std")
SAMPLES = 6400  # examples x width per layer and seed: m = SAMPLES // width keeps the cost at m * width**2
KNOBS = {"depth": 50, "width": 64, "activation": "tanh", "init": "glorot_normal", "factor": 1.0, "input": "normal"}


def variance_band(depth=50, width=64, activation="tanh", init="glorot_normal", factor=1.0, input="normal",
                  seeds=range(8), m=None):
    """variance_profile for each seed, stacked: {key: (K, depth)}, plus "diverged" and "input_std" (Chapter 3)."""
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must name at least one seed, e.g. range(8)")
    m = m or max(SAMPLES // width, 8)
    runs = [variance_profile(depth, width, activation, init, factor, input, m=m, seed=s) for s in seeds]
    out = {k: np.stack([r[k] for r in runs]) for k in KEYS}
    return {**out, "diverged": any(r["diverged"] for r in runs), "input_std": runs[0]["input_std"]}


class VarianceView(View):
    """Forward and backward std per layer, median and min-max band over seeds (Chapter 3)."""

    FIGSIZE = {"notebook": (9, 3.6), "projector": (12.5, 5.6)}
    ADJUST = {"notebook": {"left": 0.09, "top": 0.84, "bottom": 0.15},
              "projector": {"left": 0.1, "top": 0.85, "bottom": 0.13, "wspace": 0.3}}
    FIXED_TEXT = True
    SERIES = ({"activation a": "a_std", "pre-activation z": "z_std"}, {"gradient dJ/da": "grad_a_std"})

    def __init__(self, size="notebook"):
        super().__init__(2, size)
        self.ylims = [None, None]
        self.place_labels("10⁻¹⁰⁰")

    def draw(self, band, ylims=None):
        """Draw a variance_band result; fixed ylims (static sliders) or decade limits kept while they fit."""
        for i, (ax, series) in enumerate(zip(self.axes, self.SERIES)):
            clear(ax)
            with self.styled():
                plots.layer_std({label: band[key] for label, key in series.items()}, ax=ax,
                                key=next(iter(series.values())))
                # the same legend above the panel whatever the data: Frames renders it once with the axes
                ax.legend(ax.get_legend_handles_labels()[0], list(series), loc="lower right",
                          bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False, labelspacing=0.2,
                          borderaxespad=0.1, handlelength=1.2, handletextpad=0.4, columnspacing=0.8)
                title = ("forward pass", "backward pass")[i]
                ax.set_title(title, fontsize="medium", loc="left", y=1.0)  # y: no costly auto-placement
            self.ylims[i] = (ylims or [None, None])[i] or decades(
                np.concatenate([band[k].ravel() for k in series.values()]), self.ylims[i])
            depth = band["a_std"].shape[-1]
            ax.set(ylim=self.ylims[i], xlim=(0.5, _nice(depth) + 0.5), ylabel="std", xlabel="layer l")
            few_minor_ticks(ax)
        return self.figure


def _nice(depth):
    step = 10 if depth > 20 else 5
    return int(np.ceil(depth / step) * step)


def _name(init):
    return init if isinstance(init, str) else repr(initializers.resolve(init))


def variance_slider(sliders, seeds=range(8), size="notebook", labels=None, dpi=None, m=None, **fixed):
    """The variance explorer as a kernel-free StaticSlider (Chapter 3).

    sliders maps 1-3 of depth, width, activation, init, factor, input to a list of values
    (init may be a dict {label: initializer}); fixed sets the others (defaults: depth 50, width 64,
    tanh, glorot_normal, factor 1, normal inputs). Each frame shows the median and min-max band of the
    seeds, on y ranges of whole decades around the frame's data. ``.data["bands"]`` maps
    each combination (a tuple in slider order) to its variance_band result.
    """
    from .static import slider

    if not isinstance(sliders, dict) or not sliders:
        raise ValueError(f"sliders must be a dict {{knob: list of values}}, got {sliders!r}")
    seeds = list(seeds)
    for name in [*sliders, *fixed]:
        if name not in KNOBS:
            raise ValueError(f"unknown knob {name!r}; valid: {', '.join(KNOBS)}")
    inits = sliders.get("init")
    inits = dict(inits) if isinstance(inits, dict) else {_name(i): i for i in (inits or [])}
    params = {k: (list(inits) if k == "init" else list(v)) for k, v in sliders.items()}
    bands = {}
    for combo in itertools.product(*params.values()):
        knobs = {**KNOBS, **fixed, **dict(zip(params, combo))}
        if "init" in params:
            knobs["init"] = inits[knobs["init"]]
        bands[combo] = variance_band(**knobs, seeds=seeds, m=m)
    view = VarianceView(size)
    title = view.frame_title(top=0.76)

    def render(**combo):
        what = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in combo.items())
        title.set_text(f"{what}: {members(len(seeds))}")
        view.ylims = [None, None]  # each frame its own decades: one scale for all would flatten most curves
        return view.draw(bands[tuple(combo.values())])

    what = ", ".join(f"{k} {{{k}}}" for k in params)
    result = slider(render, params, labels=labels, dpi=dpi or view.dpi,
                    alt=f"Per-layer std of activations and gradients, median and range of the seeds, {what}")
    result.data = {"bands": bands}  # {values in slider order: variance_band result}
    return result
