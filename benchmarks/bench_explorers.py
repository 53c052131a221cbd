"""Time from a control change to a finished figure (compute + render to PNG) for every explorer.

Targets (ms on an idle 2-core machine): variance, histogram and chain explorers <= 100 per change,
a playground step (100 epochs + redraw) <= 400, the 4 in-place histogram panels of the
[64, 300, 300, 300, 300] tanh net on 1,797 digits <= 100. As in bench_engine.py, speed is judged
against a reference measured in the same run: the naive rebuild of those 4 panels, ~140 ms when
the machine is idle; "scaled" columns are ms * 140 / reference, and a target is met when the
scaled median is within it. Run: python benchmarks/bench_explorers.py [--repeats N]; exits 1 on a miss.
"""
import argparse
import io
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.figure import Figure

import initlab as il
from initlab import plots, widgets
from initlab.explorer import options as offered

REFERENCE_MS = 140
TARGETS_MS = {"variance": 100, "histogram": 100, "chain": 100, "playground step": 400, "histogram step": 500,
              "4 histograms, in place": 100}


def timed(fn):
    """Wall-clock milliseconds of one call."""
    start = time.perf_counter()
    fn()
    return 1000 * (time.perf_counter() - start)


def changes(explorer, skip=()):
    """One change per option of each control, starting from the explorer's defaults."""
    out = []
    for name, control in explorer.controls.items():
        if name in skip:
            continue
        if hasattr(control, "options"):
            values = offered(control)
        elif hasattr(control, "base"):
            values = [control.base ** e for e in np.linspace(control.min, control.max, 5)]
        else:
            values = list(np.linspace(control.min, control.max, 5).astype(type(control.value)))
        default = control.value
        for value in values:
            if value != default:
                out += [{name: value}, {name: default}]
    return out


def sweep(explorer, skip=(), repeats=1):
    todo = changes(explorer, skip)
    for change in todo:  # warm-up: font and text caches
        explorer.update(**change)
    return [timed(lambda: explorer.update(**c)) for _ in range(repeats) for c in todo]


def steps(explorer, configs, n):
    times = []
    for config in configs:
        explorer.update(**config)
        explorer.reset()
        times += [timed(explorer.step) for _ in range(n)]
    return times


def histogram_panels():
    """In-place and naive redraws of the 4 hidden-layer histograms of the [64, 300, 300, 300, 300, 10]
    tanh net on all 1,797 digits, for three inits."""
    X, _, Xt, _ = il.datasets.digits()
    X = np.r_[X, Xt]
    nets = [il.MLP([64, 300, 300, 300, 300, 10], activation="tanh", output="softmax", init=init, seed=0)
            for init in ("glorot_uniform", "normal", "lecun_normal")]
    acts = [net.forward_all(X)[1][:-1] for net in nets]
    fig = Figure(figsize=(10, 2.8), dpi=72)
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.2, top=0.8, wspace=0.3)
    hists = plots.Histograms(fig.subplots(1, 4), bins=40, range=(-1, 1), saturation=0.97)

    def in_place():
        return [timed(lambda a=a: (hists.update(a), fig.savefig(io.BytesIO(), format="png"))) for a in acts]

    def naive():
        def rebuild(a):
            new = Figure(figsize=(10, 2.8), dpi=72)
            for ax, values in zip(new.subplots(1, 4), a):
                ax.hist(values.ravel(), bins=40, range=(-1, 1))
                ax.set_title(f"mean {values.mean():.2g}, std {values.std():.2g}")
            new.savefig(io.BytesIO(), format="png")
        return [timed(lambda a=a: rebuild(a)) for a in acts]

    in_place(), naive()  # warm-up
    return in_place, naive


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    in_place, naive = histogram_panels()
    hist, pg = widgets.histogram_explorer(), widgets.playground()
    configs = [{"init": i, "dataset": d} for i in ("Appropriate", "Too large", "he_normal")
               for d in ("circles", "spiral")]
    runs = {
        "4 histograms, in place": lambda: in_place() + in_place(),
        "4 histograms, naive rebuild": lambda: naive() + naive(),
        "variance": lambda: sweep(widgets.variance_explorer(), repeats=args.repeats),
        "histogram": lambda: sweep(hist, repeats=args.repeats),
        "histogram step": lambda: steps(hist, [{"init": "N(0, 1/n)"}, {"init": "U(±1/√n)"}], 3),
        "chain": lambda: sweep(widgets.chain_explorer(), repeats=args.repeats),
        "playground change": lambda: sweep(pg, skip=("sizes",), repeats=args.repeats),
        "playground step": lambda: steps(pg, configs, 3),
    }
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores. Times in ms from a change to a "
          f"PNG; scaled = ms * {REFERENCE_MS} / reference, the naive rebuild timed just before each row")
    print(f"{'explorer':28s} {'n':>4s} {'median':>7s} {'p95':>7s} {'ref.':>6s} {'scaled':>7s} {'sc. p95':>7s} "
          f"{'target':>6s}  ok")
    missed = []
    for name, run in runs.items():
        reference = np.median(naive())
        times = np.array(run())
        med, p95, scale = np.median(times), np.percentile(times, 95), REFERENCE_MS / reference
        target = TARGETS_MS.get(name)
        ok = "-" if target is None else ("yes" if med * scale <= target else "NO")
        if ok == "NO":
            missed.append(name)
        print(f"{name:28s} {len(times):4d} {med:7.1f} {p95:7.1f} {reference:6.0f} {med * scale:7.1f} "
              f"{p95 * scale:7.1f} {target or '':>6}  {ok}", flush=True)
    if missed:
        print(f"missed targets (scaled median): {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
