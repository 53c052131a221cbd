"""The course's live explorers, each a mapping from sliders to an experiment and a plot (Chapters 1-5).

The framework (controls, Play/Step/Reset, PNG refresh) is explorer.Explorer; see explorer.py.
"""
from types import SimpleNamespace

import ipywidgets as ipw
import numpy as np

from . import activations, datasets, initializers, plots
from .experiments import INPUTS, deep_linear_chain, random_chain, variance_profile
from .explorer import RED, WIDE, Explorer, continued, figure, so_far, title, train_status, wipe
from .mlp import MLP
from .train import fit


# -- Chapter 3: the variance of activations and gradients through depth ----------------------------

WIDTHS = (16, 32, 64, 128, 256)
SAMPLES = 6400  # examples x width per layer: m = SAMPLES // width keeps the cost at m * width**2


def variance_explorer(depth=50, width=64, activation="tanh", init="glorot_normal", factor=1.0,
                      input="normal"):
    """Per-layer std of activations (forward) and of gradients (backward) via variance_profile (Chapter 3)."""
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
    fig, axes = figure(2, 9, 3.4)

    def refresh(v, changed):
        p = variance_profile(v["depth"], v["width"], v["activation"], v["init"], v["factor"],
                             v["input"], m=max(SAMPLES // v["width"], 8), seed=0)
        for ax in axes:
            wipe(ax)
        plots.layer_std({"activations a": p["a_std"], "pre-activations z": p["z_std"]}, ax=axes[0])
        plots.layer_std({"gradients dcost/da": p["grad_a_std"]}, ax=axes[1], key="grad_a_std")
        axes[0].set_ylabel("std")
        title(axes[0], "forward pass")
        title(axes[1], "backward pass")
        if p["diverged"]:
            return RED.format("diverged: activations or gradients overflowed (marked with a red x)")
        return (f"activation std at layer {v['depth']}: {p['a_std'][-1]:.3g}; "
                f"gradient std at layer 1: {p['grad_a_std'][0]:.3g} (input std {p['input_std']:.3g})")

    return Explorer(fig, controls, refresh)


# -- Chapter 5: activation histograms while a digits net trains --------------------------------------

HISTOGRAM_INITS = initializers.HISTOGRAM_PRESETS  # label -> Initializer
RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def histogram_explorer(init="N(0, 1/n)", activation="tanh", lr=0.1, hidden=(300, 300, 300, 300),
                       batch_size=100, epochs_per_step=1, seed=0):
    """Per-layer activation histograms of a digits net, updated while it trains (Chapter 5)."""
    X, y, _, _ = datasets.digits(seed=seed)
    X = X.astype(np.float32)
    controls = {
        "init": ipw.Dropdown(options=list(HISTOGRAM_INITS), value=init, description="init"),
        "activation": ipw.Dropdown(options=activations.names(), value=activation, description="activation"),
        "lr": ipw.FloatLogSlider(lr, base=10, min=-3, max=0, step=0.1, description="lr",
                                 continuous_update=False),
    }
    fig, axes = figure(len(hidden) + 1, 2.4 * (len(hidden) + 1), 2.9, left=0.05, bottom=0.18,
                       top=0.8, wspace=0.35)
    s = SimpleNamespace(net=None, hist=None, hists=None, act=None, Y=None)

    def draw(v):
        zs, acts = s.net.forward_all(X)
        s.hists.update(acts[:-1])
        wipe(axes[-1])
        now = s.net.output_layer.cost(zs[-1], s.Y)
        plots.cost_curves({v["init"]: so_far(s.hist, now)}, ax=axes[-1])
        if s.hist is None or not s.hist.diverged:
            axes[-1].get_legend().remove()  # it would only repeat the init; it says so when a run diverges
        title(axes[-1], "training cost")
        return train_status(s.hist, now)

    def refresh(v, changed):
        if changed == {"lr"}:
            return draw(v)
        if v["activation"] != s.act:
            for ax in axes[:-1]:
                wipe(ax)
            s.act = v["activation"]
            saturation = activations.SATURATION if s.act == "tanh" else None
            s.hists = plots.Histograms(axes[:-1], bins=40, range=RANGES.get(s.act),
                                       saturation=saturation, xlabel="activation a")
        s.net = MLP([X.shape[1], *hidden, 10], activation=s.act, output="softmax",
                    init=HISTOGRAM_INITS[v["init"]], seed=seed, dtype=np.float32)
        s.Y = s.net.check_Xy(X, y)[1]
        s.hist = None
        return draw(v)

    def step(v):
        if s.hist is None or not s.hist.diverged:
            seed = 0 if s.hist is None else s.hist.epochs_run
            s.hist = continued(s.hist, fit(s.net, X, y, lr=v["lr"], epochs=epochs_per_step,
                                           batch_size=batch_size, seed=seed))
        return draw(v), s.hist.diverged

    return Explorer(fig, controls, refresh, step)


# -- Chapter 1: the playground ---------------------------------------------------------------------

PLAYGROUND_INITS = initializers.PLAYGROUND_PRESETS  # label -> Initializer


def _hidden_sizes(text):
    try:
        sizes = [int(t) for t in text.replace(" ", "").split(",") if t]
    except ValueError:
        sizes = None
    if not sizes or min(sizes) < 1 or max(sizes) > 64 or len(sizes) > 6:
        raise ValueError("hidden layer sizes must be 1 to 6 comma-separated ints in 1..64, like '6,3'; "
                         f"got {text!r}")
    return sizes


def playground(dataset="circles", init="Appropriate", activation="relu", lr=0.1, sizes="6,3",
               epochs_per_step=100, seed=0):
    """The deeplearning.ai playground: a small net on a 2-D data set, trained step by step (Chapter 1)."""
    _hidden_sizes(sizes)
    controls = {
        "dataset": ipw.Dropdown(options=datasets.NAMES, value=dataset, description="data"),
        "init": ipw.Dropdown(options=list(PLAYGROUND_INITS), value=init, description="init"),
        "activation": ipw.Dropdown(options=activations.names(), value=activation, description="activation"),
        "lr": ipw.FloatLogSlider(lr, base=10, min=-3, max=1, step=0.1, description="lr",
                                 continuous_update=False),
        "sizes": ipw.Text(sizes, description="hidden", continuous_update=False),
        "color_by": ipw.Dropdown(options=["weight", "gradient"], value="weight", description="links"),
    }
    fig, axes = figure(3, 12, 3.9, left=0.02, wspace=0.25)
    s = SimpleNamespace(net=None, hist=None, data=None, data_name=None)

    def draw(v, parts=("network", "boundary", "cost")):
        X, y, Xt, yt = s.data
        if "network" in parts:
            wipe(axes[0])
            grads = s.net.backward(X, y)[1] if v["color_by"] == "gradient" else None
            plots.network(s.net, ax=axes[0], color_by=v["color_by"], grads=grads)
        if "boundary" in parts:
            wipe(axes[1])
            plots.decision_boundary(s.net, X, y, ax=axes[1], resolution=60)
        now = s.net.cost(X, y)
        if "cost" in parts:
            wipe(axes[2])
            plots.cost_curves({v["init"]: so_far(s.hist, now)}, ax=axes[2])
            title(axes[2], "training cost")
        acc = f", train accuracy {s.net.score(X, y):.3f}, test accuracy {s.net.score(Xt, yt):.3f}"
        return train_status(s.hist, now, acc)

    def refresh(v, changed):
        try:
            hidden = _hidden_sizes(v["sizes"])
        except ValueError as e:
            return RED.format(str(e))
        if changed <= {"lr", "color_by"} and s.net is not None:
            return draw(v, ("network",))
        if s.data_name != v["dataset"]:
            s.data, s.data_name = datasets.get(v["dataset"], seed=seed), v["dataset"]
        s.net = MLP([2, *hidden, 1], activation=v["activation"], output="sigmoid",
                    init=PLAYGROUND_INITS[v["init"]], seed=seed)
        s.hist = None
        return draw(v)

    def step(v):
        if s.hist is None or not s.hist.diverged:
            s.hist = continued(s.hist, fit(s.net, s.data[0], s.data[1], lr=v["lr"],
                                           epochs=epochs_per_step))
        return draw(v), s.hist.diverged

    return Explorer(fig, controls, refresh, step, interval=400)


# -- Chapter 2: deep linear chains -------------------------------------------------------------------

def chain_explorer(w=1.1, depth=50, kind="w*I", spectral_radius=1.0, seed=0):
    """Output and gradient norms through W = w I (exact powers) or random W (Chapter 2)."""
    controls = {
        "kind": ipw.Dropdown(options=[("W = w I (2x2)", "w*I"), ("random 4x4 W", "random")], value=kind,
                             description="W"),
        "w": ipw.FloatSlider(w, min=0.0, max=2.0, step=0.01, description="w", continuous_update=False),
        "spectral_radius": ipw.FloatSlider(spectral_radius, min=0.5, max=1.5, step=0.01, style=WIDE,
                                           description="spectral radius", continuous_update=False),
        "depth": ipw.IntSlider(depth, min=1, max=500, description="depth L", continuous_update=False),
    }
    fig, axes = figure(1, 6.5, 3.6, left=0.12)
    ax = axes[0]

    def refresh(v, changed):
        controls["w"].disabled, controls["spectral_radius"].disabled = v["kind"] != "w*I", v["kind"] == "w*I"
        wipe(ax)
        L = v["depth"]
        if v["kind"] == "w*I":
            c = deep_linear_chain(v["w"], L)
            norms = {"output ||a_l||": c["a_norm"], "gradient ||dy/da_l||": c["grad_norm"]}
            plots.chain_magnitude(norms, ax=ax)
            ax.set_ylabel("norm")
            title(ax, f"W = {v['w']:g} I, {L} layers")
            return (f"w<sup>L</sup> = {v['w']:g}<sup>{L}</sup> = {v['w'] ** L:.6g}; "
                    f"||a<sub>L</sub>|| = {c['a_norm'][-1]:.6g} = ||x|| w<sup>L</sup> with ||x|| = √2 "
                    f"(exact: {c['exact'][-1]:.6g})")
        c = random_chain(L, spectral_radius=v["spectral_radius"], seed=seed)
        plots.chain_magnitude({f"output ||a_l||, radius {v['spectral_radius']:g}": c["a_norm"]}, ax=ax)
        ax.set_ylabel("norm")
        title(ax, f"random 4x4 W, {L} layers")
        return (f"||a<sub>L</sub>|| / ||x|| = {c['a_norm'][-1] / c['a_norm'][0]:.6g}; "
                f"radius<sup>L</sup> = {v['spectral_radius'] ** L:.6g}; "
                f"||W<sub>L</sub>...W<sub>1</sub>||<sub>2</sub> = {c['product_norm']:.6g}")

    return Explorer(fig, controls, refresh)
