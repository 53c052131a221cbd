"""Chapter 5's picture: per-layer activation histograms of a digits net and its training cost."""
import numpy as np
from matplotlib.ticker import NullLocator

from . import activations, datasets, initializers, plots
from .mlp import MLP
from .report import fmt
from .train import fit
from .views import View, clear, decades, nice

RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


class HistogramView(View):
    """One histogram panel per hidden layer, bars updated in place, and a training-cost panel (Chapter 5)."""

    def __init__(self, layers=4, size="notebook"):
        n = layers + 1
        figsize = (2.4 * n, 2.9) if size == "notebook" else (12.5, 5.4)
        adjust = {"left": 0.05, "top": 0.8, "wspace": 0.35} if size == "notebook" else \
            {"left": 0.07, "top": 0.74, "wspace": 0.55}
        super().__init__(n, size, figsize=figsize, adjust={"bottom": 0.18, **adjust})
        self.activation, self.hists, self.ylim = None, None, None
        self.place_labels([""] * layers + ["0.05"])  # no y ticks on the histograms; labels of the cost axis

    def _panels(self, activation):
        if activation != self.activation:
            for ax in self.axes[:-1]:
                for patch in list(ax.patches):
                    patch.remove()
            saturation = activations.SATURATION if activation == "tanh" else None
            with self.styled():
                self.hists = plots.Histograms(self.axes[:-1], bins=40, range=RANGES.get(activation),
                                              saturation=saturation, xlabel="activation a",
                                              wrap=self.size == "projector")
            for ax in self.axes[:-1]:  # shapes, not heights, carry the lesson; no y ticks to redraw when they move
                ax.yaxis.set_major_locator(NullLocator())
                ax.yaxis.set_minor_locator(NullLocator())
            self.axes[0].set_ylabel("share of values")
            self.activation = activation
        return self.hists

    def draw(self, acts, run, label, activation="tanh", epochs=None, title="training cost"):
        """Histograms of acts (one array per hidden layer) and the cost of run (History or costs) so far."""
        with self.styled():
            self._panels(activation).update(acts)
            ax = self.axes[-1]
            clear(ax)
            plots.cost_curves({label: run}, ax=ax)
            diverged = getattr(run, "diverged", False)
            if not np.any(diverged):
                ax.get_legend().remove()  # it would only repeat the init; it says so when a run diverges
            cost = np.asarray(getattr(run, "cost", run), dtype=float)
            self.ylim = decades(cost, self.ylim, pad=0.1)
            end = nice(epochs or len(cost) - 1)
            ax.set(ylim=self.ylim, xlim=(-0.02 * end, end))
            ax.set_title(title, fontsize="medium", y=1.0)
        return self.figure


def histogram_runs(inits, epochs=(0, 1, 3), hidden=(100, 100, 100, 100), activation="tanh", lr=0.1,
                   batch_size=100, probe=500, seed=0):
    """{(label, epoch): (activations of the first probe digits, costs so far)} for {label: init} (Chapter 5)."""
    X, y, _, _ = datasets.digits(seed=seed)
    X = X.astype(np.float32)
    out = {}
    for label, init in inits.items():
        net = MLP([X.shape[1], *hidden, 10], activation=activation, output="softmax", init=init, seed=seed,
                  dtype=np.float32)
        costs, done = [float(net.cost(X, y))], 0
        for epoch in sorted(epochs):
            if epoch > done:
                h = fit(net, X, y, lr=lr, epochs=epoch - done, batch_size=batch_size, seed=done)
                costs, done = costs + list(h.cost[1:]), epoch
            out[label, epoch] = net.forward_all(X[:probe])[1][:-1], np.array(costs)
    return out


def histogram_slider(inits=None, epochs=(0, 1, 3), hidden=(100, 100, 100, 100), activation="tanh", lr=0.1,
                     batch_size=100, probe=500, size="notebook", seed=0, dpi=None):
    """The histogram explorer as a kernel-free StaticSlider over initialization and epochs trained (Chapter 5).

    inits is {label: initializer}, by default the explorer's six (initializers.HISTOGRAM_PRESETS).
    ``.data["runs"][init, epoch]`` holds (activations per hidden layer, costs so far) behind each frame.
    """
    from .static import slider

    inits = dict(initializers.HISTOGRAM_PRESETS if inits is None else inits)
    runs = histogram_runs(inits, epochs, hidden, activation, lr, batch_size, probe, seed)
    view = HistogramView(len(hidden), size)
    title = view.frame_title(top=0.68)

    def render(init, epoch):
        acts, costs = runs[init, epoch]
        title.set_text(f"init {init}, after {epoch} epoch{'' if epoch == 1 else 's'}: "
                       f"training cost {fmt(costs[-1])}")
        return view.draw(acts, costs, init, activation, epochs=max(epochs))

    result = slider(render, {"init": list(inits), "epoch": sorted(epochs)},
                    labels={"init": "initialization", "epoch": "epochs trained"}, dpi=dpi or view.dpi,
                    alt=lambda init, epoch: f"Activation histograms of the {len(hidden)} hidden {activation} "
                                            f"layers and the training cost, init {init}, after {epoch} epochs")
    result.data = {"runs": runs}  # {(init, epoch): (activations per hidden layer, costs so far)}
    return result
