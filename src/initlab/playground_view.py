"""Chapter 1's picture: an ensemble's cost curves, how many reached the target, one member's boundary."""
import numpy as np
from matplotlib.ticker import MaxNLocator

from . import datasets, initializers, plots
from .mlp import MLP
from .report import fmt, n_seeds
from .train import fit
from .views import View, clear, few_minor_ticks, nice

ARTICLE_INITS = ("Zero", "Too small", "Appropriate", "Too large")
TARGET = 0.1  # the cost a member must reach


def reached(costs, target=TARGET):
    """How many members' latest cost is at most target: costs (epochs + 1, K) -> int (Chapter 1)."""
    last = np.asarray(costs, dtype=float)[-1]
    return int(np.count_nonzero(np.isfinite(last) & (last <= target)))


def reached_text(costs, target=TARGET):
    """'k of K seeds reached cost target', from costs (epochs + 1, K) (Chapter 1)."""
    return f"{reached(costs, target)} of {n_seeds(np.shape(costs)[1])} reached cost {target:g}"


class PlaygroundView(View):
    """Network and decision boundary of one member and every member's cost curve (Chapter 1).

    network=False leaves out the network diagram (the static slider's two panels).
    """

    def __init__(self, size="notebook", network=True):
        n = 3 if network else 2
        notebook = (12, 3.9) if network else (8.4, 3.7)
        super().__init__(n, size, figsize=notebook if size == "notebook" else (12.5, 5.4 if network else 5.6),
                         adjust={"left": 0.02 if network else 0.08, "bottom": 0.12, "top": 0.78,
                                 "wspace": 0.3 if size == "notebook" else 0.38})
        self.network = network

    def draw(self, net, X, y, costs, member=0, target=TARGET, color_by="weight", grads=None,
             parts=("network", "boundary", "cost"), epochs=None):
        """Draw member `member` (net is that single network) and the ensemble's costs (epochs + 1, K)."""
        axes = list(self.axes)
        cost_ax, boundary_ax = axes[-1], axes[-2]
        with self.styled():
            if self.network and "network" in parts:
                clear(axes[0])
                plots.network(net, ax=axes[0], color_by=color_by, grads=grads)
            if "boundary" in parts:
                clear(boundary_ax)
                plots.decision_boundary(net, X, y, ax=boundary_ax, resolution=50)
                boundary_ax.set(xlabel=None, ylabel=None)
                boundary_ax.xaxis.set_major_locator(MaxNLocator(4))
                boundary_ax.yaxis.set_major_locator(MaxNLocator(4))
                acc = float(np.mean(net.predict(X) == np.asarray(y).ravel()))
                boundary_ax.set_title(f"member {member}: train accuracy {fmt(acc, 2)}", fontsize="medium",
                                      y=1.09 if self.size == "notebook" else 1.12)
            if "cost" in parts:
                self._costs(cost_ax, np.asarray(costs, dtype=float), member, target, epochs)
        return self.figure

    def _costs(self, ax, costs, member, target, epochs):
        clear(ax)
        if ax.get_yscale() != "log":
            plots.log_y(ax)
        x = np.arange(len(costs))
        with np.errstate(all="ignore"):
            shown = np.where(np.isfinite(costs) & (costs > 0), costs, np.nan)
        for k in range(costs.shape[1]):
            ax.plot(x, shown[:, k], color="C3" if k == member else "0.6", lw=None if k == member else 1,
                    zorder=3 if k == member else 2, marker="." if len(x) < 2 else None)
            bad = np.flatnonzero(~np.isfinite(costs[:, k]))
            if bad.size:
                ax.plot([bad[0]], [0.96], "x", color="red", ms=10, mew=2.5, clip_on=False,
                        transform=ax.get_xaxis_transform())
        ax.axhline(target, color="k", ls="--", lw=1)
        end = epochs or nice(max(len(x) - 1, 100))
        ax.set(ylim=(1e-3, 1e2), xlim=(-0.02 * end, end * 1.02), xlabel="epoch", ylabel="cost")
        few_minor_ticks(ax)
        ax.set_title(reached_text(costs, target), fontsize="medium", y=1.0)


def playground_runs(inits=ARTICLE_INITS, data_sets=datasets.NAMES, epochs=(0, 300, 1000), hidden=(6, 3),
                    activation="relu", lr=0.1, seeds=range(8), seed=0):
    """{(init, dataset, epoch): (ensemble, costs so far (epoch + 1, K))} for the playground presets (Chapter 1)."""
    out = {}
    for name in inits:
        for data in data_sets:
            X, y, _, _ = datasets.get(data, seed=seed)
            net = MLP([2, *hidden, 1], activation=activation, output="sigmoid",
                      init=initializers.PLAYGROUND_PRESETS[name], seed=seeds)
            costs, done = np.atleast_2d(net.cost(X, y)), 0
            for epoch in sorted(epochs):
                if epoch > done:
                    costs, done = np.r_[costs, fit(net, X, y, lr=lr, epochs=epoch - done).cost[1:]], epoch
                out[name, data, epoch] = net.copy(), costs
    return out


def playground_slider(inits=ARTICLE_INITS, data_sets=datasets.NAMES, epochs=(0, 300, 1000), member=0,
                      hidden=(6, 3), activation="relu", lr=0.1, seeds=range(8), target=TARGET,
                      size="notebook", seed=0, dpi=None):
    """The playground as a kernel-free StaticSlider: init x data set x epoch, every seed's cost (Chapter 1).

    Each frame shows the cost curves of all members (member `member` in red), how many reached
    `target`, and that member's decision boundary. Training costs 20 ensembles x max(epochs).
    ``.data["costs"][init, dataset]`` holds the costs (max(epochs) + 1, K) behind the frames.
    """
    from .static import slider

    runs = playground_runs(inits, data_sets, epochs, hidden, activation, lr, seeds, seed)
    data = {d: datasets.get(d, seed=seed)[:2] for d in data_sets}
    view = PlaygroundView(size, network=False)
    title = view.frame_title(top=0.72)

    def render(init, dataset, epoch):
        net, costs = runs[init, dataset, epoch]
        X, y = data[dataset]
        title.set_text(f"{init} initialization, {dataset} data, epoch {epoch}")
        return view.draw(net[member], X, y, costs, member, target, epochs=max(epochs))

    params = {"init": list(inits), "dataset": list(data_sets), "epoch": sorted(epochs)}
    alt = (f"Training cost of each of the seeds up to epoch {{epoch}} and the decision boundary of member {member}, "
           "{init} initialization, {dataset} data")
    result = slider(render, params, labels={"init": "initialization", "dataset": "data", "epoch": "epoch"},
                    dpi=dpi or 56, alt=alt)
    result.data = {"costs": {(i, d): runs[i, d, max(epochs)][1] for i in inits for d in data_sets}}
    return result

