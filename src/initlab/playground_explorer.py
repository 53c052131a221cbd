"""Chapter 1's live playground: a seed ensemble of small nets on 2-D data, trained step by step."""
from types import SimpleNamespace

import ipywidgets as ipw
import numpy as np

from . import activations, datasets, initializers
from .explorer import RED, Explorer
from .mlp import MLP
from .playground_view import TARGET, PlaygroundView, reached_text
from .report import fmt
from .train import fit
from .views import check_size

PLAYGROUND_INITS = initializers.PLAYGROUND_PRESETS  # label -> Initializer


def hidden_sizes(text):
    """The hidden layer sizes typed in the playground ('6,3' -> [6, 3]) (Chapter 1)."""
    try:
        sizes = [int(t) for t in text.replace(" ", "").split(",") if t]
    except ValueError:
        sizes = None
    if not sizes or min(sizes) < 1 or max(sizes) > 64 or len(sizes) > 6:
        raise ValueError("hidden layer sizes must be 1 to 6 comma-separated ints in 1..64, like '6,3'; "
                         f"got {text!r}")
    return sizes


def playground(dataset="circles", init="Appropriate", activation="relu", lr=0.1, sizes="6,3",
               epochs_per_step=100, seeds=range(8), target=TARGET, seed=0, size="notebook"):
    """The deeplearning.ai playground for a seed ensemble: every member's cost, one member's boundary (Chapter 1).

    All members (one per seed) train together in one fit; "k of K reached the target" counts the
    members whose cost is at most target; the member slider picks the network and boundary shown.
    """
    hidden_sizes(sizes)
    seeds = list(seeds)
    view = PlaygroundView(check_size(size))
    controls = {
        "dataset": ipw.Dropdown(options=datasets.NAMES, value=dataset, description="data"),
        "init": ipw.Dropdown(options=list(PLAYGROUND_INITS), value=init, description="init"),
        "activation": ipw.Dropdown(options=activations.names(), value=activation, description="activation"),
        "lr": ipw.FloatLogSlider(lr, base=10, min=-3, max=1, step=0.1, description="lr",
                                 continuous_update=False),
        "sizes": ipw.Text(sizes, description="hidden", continuous_update=False),
        "color_by": ipw.Dropdown(options=["weight", "gradient"], value="weight", description="links"),
        "member": ipw.IntSlider(0, min=0, max=len(seeds) - 1, description="member", continuous_update=False),
    }
    s = SimpleNamespace(net=None, costs=None, data=None, data_name=None, member=None)

    def draw(v, parts=("network", "boundary", "cost")):
        X, y, Xt, yt = s.data
        if s.member is None or "boundary" in parts:
            s.member = s.net[v["member"]]
        grads = s.member.backward(X, y)[1] if v["color_by"] == "gradient" else None
        view.draw(s.member, X, y, s.costs, v["member"], target, color_by=v["color_by"], grads=grads, parts=parts)
        K, epochs, now = len(seeds), len(s.costs) - 1, s.costs[-1, v["member"]]
        head = f"epoch {epochs}: {reached_text(s.costs, target)}"
        bad = int(np.count_nonzero(~np.isfinite(s.costs[-1])))
        if bad:
            head = RED.format(f"{head}; {bad} of {K} diverged (red x)")
        if not np.isfinite(now):
            return f"{head}; member {v['member']} diverged: its cost is inf or nan"
        return (f"{head}; member {v['member']}: cost {fmt(now)}, train accuracy {fmt(s.member.score(X, y), 2)}, "
                f"test accuracy {fmt(s.member.score(Xt, yt), 2)}")

    def refresh(v, changed):
        try:
            hidden = hidden_sizes(v["sizes"])
        except ValueError as e:
            return RED.format(str(e))
        if changed <= {"lr", "color_by", "member"} and s.net is not None:
            return draw(v, ("network", "boundary", "cost") if "member" in changed else ("network",))
        if s.data_name != v["dataset"]:
            s.data, s.data_name = datasets.get(v["dataset"], seed=seed), v["dataset"]
        s.net = MLP([2, *hidden, 1], activation=v["activation"], output="sigmoid",
                    init=PLAYGROUND_INITS[v["init"]], seed=seeds)
        s.costs = np.atleast_2d(s.net.cost(*s.data[:2]))
        return draw(v)

    def step(v):
        done = ~np.isfinite(s.costs[-1])
        if not done.all():
            later = fit(s.net, s.data[0], s.data[1], lr=v["lr"], epochs=epochs_per_step).cost[1:]
            s.costs = np.r_[s.costs, np.where(done, np.nan, later)]
        return draw(v), bool((~np.isfinite(s.costs[-1])).all())

    return Explorer(view, controls, refresh, step, interval=400)
