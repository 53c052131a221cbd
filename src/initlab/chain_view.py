"""Chapter 2's picture: activation and gradient norms through a deep linear chain, live and static."""
import numpy as np

from . import plots
from .experiments import deep_linear_chain, random_chain
from .report import fmt
from .views import View, clear, decades, few_minor_ticks

KINDS = ("w*I", "random")


def nice_depth(depth):
    """The x range shown for depth layers: depth rounded up to 10 (to 50 past 100), so drags reuse the axes."""
    step = 10 if depth <= 100 else 50
    return int(np.ceil(depth / step) * step)


def chain_norms(kind, w=1.1, depth=50, spectral_radius=1.0, seed=0):
    """{label: norms per layer} and the result dict for W = w I (exact powers) or a random 4x4 W (Chapter 2)."""
    if kind == "w*I":
        c = deep_linear_chain(w, depth)
        return {"activation ||a[l]||": c["a_norm"], "gradient ||dJ/da[l]||": c["grad_norm"]}, c
    if kind == "random":
        c = random_chain(depth, spectral_radius=spectral_radius, seed=seed)
        return {f"activation ||a[l]||, radius {spectral_radius:g}": c["a_norm"]}, c
    raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")


class ChainView(View):
    """Norm against depth on a log axis, for the chain explorer and chain_slider (Chapter 2)."""

    FIGSIZE = {"notebook": (6.5, 3.6), "projector": (12.5, 5.6)}
    ADJUST = {"notebook": {"left": 0.12, "bottom": 0.15, "top": 0.88},
              "projector": {"left": 0.09, "bottom": 0.14, "top": 0.9}}

    def __init__(self, size="notebook"):
        super().__init__(1, size)
        self.ax, self.ylim = self.axes[0], None

    def draw(self, norms, title, ylim=None, depth=None):
        """Draw {label: norms} with a title; fixed ylim (static sliders) or decade limits kept while they fit."""
        ax = self.ax
        clear(ax)
        self.ylim = ylim or decades(np.concatenate(list(norms.values())), self.ylim)
        L = depth or max(len(v) - 1 for v in norms.values())
        with self.styled():
            plots.chain_magnitude(norms, ax=ax)
            ax.legend(loc="lower left")
            ax.set(ylim=self.ylim, xlim=(0, nice_depth(L)), ylabel="norm", xlabel="layer l")
            few_minor_ticks(ax)
            ax.set_title(title, fontsize="medium", y=1.0)
        return self.figure


def chain_slider(w=(0.5, 0.7, 0.9, 1.0, 1.1, 1.3, 1.5), depth=(5, 10, 20, 50), kind="w*I",
                 spectral_radius=(0.9, 1.0, 1.1), size="notebook", seed=0, dpi=None):
    """The chain explorer as a kernel-free StaticSlider over w (or spectral radius) and depth (Chapter 2).

    kind="w*I" slides over w; kind="random" over spectral_radius, with random 4x4 W drawn from seed.
    All frames share one y range, so heights compare across frames.
    """
    from .static import slider

    knob = "w" if kind == "w*I" else "spectral_radius"
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    values = {knob: list(w if knob == "w" else spectral_radius), "depth": list(depth)}
    runs = {(v, L): chain_norms(kind, **{knob: v}, depth=L, seed=seed)[0]
            for v in values[knob] for L in values["depth"]}
    ylim = decades(np.concatenate([x for r in runs.values() for x in r.values()]))
    view = ChainView(size)

    def render(depth, **knobs):
        v = knobs[knob]
        norms = runs[v, depth]
        last = list(norms.values())[0][-1]
        name = f"W = {v:g} I" if knob == "w" else f"random W, radius {v:g}"
        return view.draw(norms, f"{name}, {depth} layers: ||a[L]|| = {fmt(last)}", ylim=ylim)

    chain = "W = {w} I" if knob == "w" else "random W, spectral radius {spectral_radius}"
    return slider(render, values, labels={"w": "w", "spectral_radius": "spectral radius", "depth": "depth L"},
                  dpi=dpi or view.dpi,
                  alt="Activation and gradient norms through a deep linear network, " + chain + ", {depth} layers")
