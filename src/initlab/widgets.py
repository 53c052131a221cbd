"""The course's live explorers, each a mapping from sliders to an experiment and a View (Chapters 1-5).

The framework (controls, Play/Step/Reset, PNG refresh) is explorer.Explorer; the drawing, shared
with each explorer's static twin in il.static, is in chain_view, variance_view, histogram_view and
playground_view. Every explorer takes size="notebook" or "projector".
"""
import functools
import time
from types import SimpleNamespace

import ipywidgets as ipw
import numpy as np

from . import activations, datasets, initializers
from .chain_view import ChainView, chain_norms
from .experiments import INPUTS
from .explorer import RED, WIDE, Explorer, continued, so_far, train_status
from .histogram_view import HistogramView
from .mlp import MLP
from .report import fmt, n_seeds
from .playground_explorer import PLAYGROUND_INITS, playground
from .train import fit
from .variance_view import VarianceView, variance_band
from .views import check_size

__all__ = ["variance_explorer", "histogram_explorer", "playground", "chain_explorer", "clear_caches",
           "HISTOGRAM_INITS", "PLAYGROUND_INITS"]

HISTOGRAM_INITS = initializers.HISTOGRAM_PRESETS  # label -> Initializer
WIDTHS = (16, 32, 64, 128, 256)
BUDGET_S = 0.025  # seeds computed before the first image; the rest follow when the kernel is idle


@functools.lru_cache(maxsize=512)
def _profile(depth, width, activation, init, factor, input, seed):
    return variance_band(depth, width, activation, init, factor, input, seeds=[seed])


def clear_caches():
    """Forget the variance explorer's kept profiles (benchmarks time cold moves)."""
    _profile.cache_clear()


def variance_explorer(depth=50, width=64, activation="tanh", init="glorot_normal", factor=1.0, input="normal",
                      seeds=range(8), size="notebook"):
    """Per-layer std of activations (forward) and gradients (backward), median and band of the seeds (Chapter 3)."""
    seeds, view = list(seeds), VarianceView(check_size(size))
    controls = {
        "depth": ipw.IntSlider(depth, min=1, max=100, description="depth", continuous_update=False),
        "width": ipw.SelectionSlider(options=WIDTHS, value=width, description="width",
                                     continuous_update=False),
        "activation": ipw.Dropdown(options=activations.names(), value=activation, description="activation"),
        "init": ipw.Dropdown(options=initializers.names(), value=init, description="init"),
        "factor": ipw.FloatLogSlider(factor, base=10, min=-2, max=2, step=0.05, style=WIDE,
                                     description="factor (std x)", continuous_update=False),
        "input": ipw.Dropdown(options=INPUTS, value=input, description="input"),
    }

    def refresh(v, changed, more=None):
        knobs = tuple(v[k] for k in ("depth", "width", "activation", "init", "factor", "input"))
        start, runs = time.perf_counter(), []
        for s in seeds:
            spent = time.perf_counter() - start
            if runs and more is not None and spent * (len(runs) + 1) / len(runs) > BUDGET_S:
                more(lambda: refresh(v, changed))  # the full band once the kernel is idle
                break  # (one more seed would overrun the budget)
            runs.append(_profile(*knobs, s))
        band = {k: np.concatenate([r[k] for r in runs]) for k in ("a_std", "z_std", "grad_a_std")}
        view.draw(band)
        of = f"{len(runs)} of {n_seeds(len(seeds))}" if len(runs) < len(seeds) else n_seeds(len(seeds))
        if any(r["diverged"] for r in runs):
            return RED.format(f"diverged: activations or gradients overflowed (marked with a red x); {of}")
        return (f"median over {of}: activation std at layer {v['depth']}: {fmt(np.median(band['a_std'][:, -1]))}; "
                f"gradient std at layer 1: {fmt(np.median(band['grad_a_std'][:, 0]))} "
                f"(input std {fmt(runs[0]['input_std'])})")

    return Explorer(view, controls, refresh)


def histogram_explorer(init="N(0, 1/n)", activation="tanh", lr=0.1, hidden=(300, 300, 300, 300),
                       batch_size=100, epochs_per_step=1, seed=0, size="notebook"):
    """Per-layer activation histograms of a digits net, updated while it trains (Chapter 5)."""
    X, y, _, _ = datasets.digits(seed=seed)
    X = X.astype(np.float32)
    view = HistogramView(len(hidden), check_size(size))
    controls = {
        "init": ipw.Dropdown(options=list(HISTOGRAM_INITS), value=init, description="init"),
        "activation": ipw.Dropdown(options=activations.names(), value=activation, description="activation"),
        "lr": ipw.FloatLogSlider(lr, base=10, min=-3, max=0, step=0.1, description="lr",
                                 continuous_update=False),
    }
    s = SimpleNamespace(net=None, hist=None, Y=None, acts=None, now=None)

    def draw(v):
        if s.acts is None:  # the net changed: a new forward pass; a new lr alone only changes the steps to come
            zs, acts = s.net.forward_all(X)
            s.acts, s.now = acts[:-1], s.net.output_layer.cost(zs[-1], s.Y)
        view.draw(s.acts, so_far(s.hist, s.now), v["init"], v["activation"], title=f"cost, lr {v['lr']:.2g}")
        return train_status(s.hist, s.now)

    def refresh(v, changed):
        if changed != {"lr"}:
            s.net = MLP([X.shape[1], *hidden, 10], activation=v["activation"], output="softmax",
                        init=HISTOGRAM_INITS[v["init"]], seed=seed, dtype=np.float32)
            s.Y, s.hist, s.acts = s.net.check_Xy(X, y)[1], None, None
        return draw(v)

    def step(v):
        if s.hist is None or not s.hist.diverged:
            start = 0 if s.hist is None else s.hist.epochs_run
            s.hist = continued(s.hist, fit(s.net, X, y, lr=v["lr"], epochs=epochs_per_step,
                                           batch_size=batch_size, seed=start))
            s.acts = None
        return draw(v), s.hist.diverged

    return Explorer(view, controls, refresh, step)


def chain_explorer(w=1.1, depth=50, kind="w*I", spectral_radius=1.0, seed=0, size="notebook"):
    """Output and gradient norms through W = w I (exact powers) or random W (Chapter 2)."""
    view = ChainView(check_size(size))
    controls = {
        "kind": ipw.Dropdown(options=[("W = w I (2x2)", "w*I"), ("random 4x4 W", "random")], value=kind,
                             description="W"),
        "w": ipw.FloatSlider(w, min=0.0, max=2.0, step=0.01, description="w", continuous_update=False),
        "spectral_radius": ipw.FloatSlider(spectral_radius, min=0.5, max=1.5, step=0.01, style=WIDE,
                                           description="spectral radius", continuous_update=False),
        "depth": ipw.IntSlider(depth, min=1, max=500, description="depth L", continuous_update=False),
    }

    def refresh(v, changed):
        controls["w"].disabled, controls["spectral_radius"].disabled = v["kind"] != "w*I", v["kind"] == "w*I"
        L, w, r = v["depth"], v["w"], v["spectral_radius"]
        norms, c = chain_norms(v["kind"], w, L, r, seed)
        if v["kind"] == "w*I":
            view.draw(norms, f"W = {w:g} I, {L} layers", depth=L)
            return (f"w<sup>L</sup> = {w:g}<sup>{L}</sup> = {w ** L:.6g}; "
                    f"||a<sub>L</sub>|| = {c['a_norm'][-1]:.6g} = ||x|| w<sup>L</sup> with ||x|| = √2 "
                    f"(exact: {c['exact'][-1]:.6g})")
        view.draw(norms, f"random 4x4 W, {L} layers", depth=L)
        return (f"||a<sub>L</sub>|| / ||x|| = {c['a_norm'][-1] / c['a_norm'][0]:.6g}; "
                f"radius<sup>L</sup> = {r ** L:.6g}; "
                f"||W<sub>L</sub>...W<sub>1</sub>||<sub>2</sub> = {c['product_norm']:.6g}")

    return Explorer(view, controls, refresh)
