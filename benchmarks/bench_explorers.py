"""Time from a control change to the new image, for every explorer, in a real Jupyter kernel.

Each run starts a fresh kernel (jupyter_client) and drives the explorers through the widgets' own
event path: ``control.value = v`` (what a slider drag sends) or the Step button's ``click()``, and
times until ``explorer.image`` holds the new PNG. The variance explorer draws as many seeds as fit
in its budget first and the rest once the kernel is idle: "first" is the time to the first image,
"full" to the image with every seed. Each control visits each of its values once, then returns
to its default; the explorers' caches (profiles, rendered axes) are cleared after the warm-up, so only the returns
can hit them.

Targets (raw ms, p95 of the first image): variance, histogram and chain explorers <= 100; a
playground step (100 epochs of the 8-seed ensemble + redraw) <= 250. Printed per run and as the
median of the runs. "ref." is a same-run reference, the naive rebuild of 4 histogram panels of
the [64, 300, 300, 300, 300] tanh net (~140 ms on an idle machine): "ratio" = ref. / 140 says how
much slower this machine was while the row ran. Run: python benchmarks/bench_explorers.py [--runs 3]
[--sizes notebook projector] [--only variance ...]; exits 1 if a target is missed (median of runs, raw ms).
"""
import argparse
import json
import os
import sys

import numpy as np
from jupyter_client.manager import start_new_kernel

REFERENCE_MS = 140
TARGETS_MS = {"variance": 100, "histogram": 100, "chain": 100, "playground step": 250}

KERNEL_SETUP = r'''
import asyncio, io, json, time
import matplotlib
matplotlib.use("Agg")
import numpy as np
from matplotlib.figure import Figure
import initlab as il
from initlab import plots, widgets
from initlab.explorer import options as offered

def changes(explorer, skip=()):
    """Each value of each control once (5 points of a slider), then back to the default."""
    out = []
    for name, control in explorer.controls.items():
        if name in skip:
            continue
        if hasattr(control, "options"):
            values = offered(control)
        elif hasattr(control, "base"):
            values = [float(control.base ** e) for e in np.linspace(control.min, control.max, 5)]
        else:
            values = [type(control.value)(v) for v in np.linspace(control.min, control.max, 5)]
        default = control.value
        out += [(name, v) for v in values if v != default] + [(name, default)]
    return out

async def drive(explorer, todo):
    first, full = [], []
    for name, value in todo:
        start = time.perf_counter()
        explorer.controls[name].value = value  # what the browser's comm message does
        first.append(1000 * (time.perf_counter() - start))
        while getattr(explorer, "pending", 0):
            await asyncio.sleep(0.0005)
        full.append(1000 * (time.perf_counter() - start))
    return first, full

def steps(explorer, configs, n):
    times = []
    for config in configs:
        explorer.update(**config)
        explorer.buttons[1].click()  # Reset
        for _ in range(n):
            start = time.perf_counter()
            explorer.buttons[0].click()  # Step
            times.append(1000 * (time.perf_counter() - start))
    return times

X, _, Xt, _ = il.datasets.digits()
ACTS = [il.MLP([64, 300, 300, 300, 300, 10], activation="tanh", output="softmax", init=i, seed=0)
        .forward_all(np.r_[X, Xt])[1][:-1] for i in ("glorot_uniform", "normal", "lecun_normal")]

def reference():
    """Median ms of the naive rebuild of 4 histogram panels (new Figure, ax.hist, savefig)."""
    times = []
    for a in ACTS:
        start = time.perf_counter()
        fig = Figure(figsize=(10, 2.8), dpi=72)
        for ax, values in zip(fig.subplots(1, 4), a):
            ax.hist(values.ravel(), bins=40, range=(-1, 1))
            ax.set_title(f"mean {values.mean():.2g}, std {values.std():.2g}")
        fig.savefig(io.BytesIO(), format="png")
        times.append(1000 * (time.perf_counter() - start))
    return float(np.median(times))

reference()
'''

ROW = r'''
size = {size!r}
ex = {make}
await drive(ex, changes(ex, {skip!r}))  # warm-up: fonts, text layout, imports
widgets.clear_caches()
ex.frames.backgrounds.clear()
ref = reference()
{run}
print(json.dumps({{"ref": ref, "first": first, "full": full}}))
'''

ROWS = {
    "variance": ("widgets.variance_explorer(size=size)", (), "first, full = await drive(ex, changes(ex))"),
    "histogram": ("widgets.histogram_explorer(size=size)", (), "first, full = await drive(ex, changes(ex))"),
    "chain": ("widgets.chain_explorer(size=size)", (), "first, full = await drive(ex, changes(ex))"),
    "playground change": ("widgets.playground(size=size)", ("sizes",),
                          "first, full = await drive(ex, changes(ex, ('sizes',)))"),
    "playground step": ("widgets.playground(size=size)", ("sizes",),
                        "first = full = steps(ex, [{'init': i, 'dataset': d} for i in ('Appropriate', 'Too large')"
                        " for d in ('circles', 'spiral')], 3)"),
}


def execute(kc, code):
    """Run code in the kernel; return its stdout, raising on an error."""
    out = []
    reply = kc.execute_interactive(code, timeout=1800, output_hook=lambda m: out.append(m))
    for m in out:
        if m["msg_type"] == "error":
            raise RuntimeError("\n".join(m["content"]["traceback"]))
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"kernel error: {reply['content']}")
    return "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")


def one_run(sizes, rows=tuple(ROWS)):
    """{(row, size): (ref ms, first ms list, full ms list)} measured in one fresh kernel."""
    km, kc = start_new_kernel(kernel_name="python3", env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    try:
        execute(kc, KERNEL_SETUP)
        out = {}
        for size in sizes:
            for name in rows:
                make, skip, run = ROWS[name]
                text = execute(kc, ROW.format(size=size, make=make, skip=skip, run=run))
                r = json.loads(text.strip().splitlines()[-1])
                out[name, size] = r["ref"], np.array(r["first"]), np.array(r["full"])
        return out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", nargs="+", default=["notebook", "projector"])
    parser.add_argument("--only", nargs="+", choices=list(ROWS), default=list(ROWS), help="rows to run")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; ms from a change to the new PNG")
    head = (f"{'run':>3} {'explorer':18s} {'size':9s} {'n':>4s} {'median':>7s} {'p95':>7s} {'full p95':>8s} "
            f"{'ref.':>6s} {'ratio':>5s}")
    runs = []
    for i in range(args.runs):
        runs.append(one_run(args.sizes, args.only))
        if i == 0:
            print(head, flush=True)
        for (name, size), (ref, first, full) in runs[-1].items():
            print(f"{i + 1:>3} {name:18s} {size:9s} {len(first):4d} {np.median(first):7.1f} "
                  f"{np.percentile(first, 95):7.1f} {np.percentile(full, 95):8.1f} {ref:6.0f} "
                  f"{ref / REFERENCE_MS:5.2f}", flush=True)
    print(f"\nmedian of {args.runs} runs (raw ms; target on the p95 of the first image)")
    print(f"{'explorer':18s} {'size':9s} {'median':>7s} {'p95':>7s} {'full p95':>8s} {'ratio':>5s} {'target':>6s}  ok")
    missed = []
    for key in runs[0]:
        name, size = key
        med = np.median([np.median(r[key][1]) for r in runs])
        p95 = np.median([np.percentile(r[key][1], 95) for r in runs])
        full = np.median([np.percentile(r[key][2], 95) for r in runs])
        ratio = np.median([r[key][0] / REFERENCE_MS for r in runs])
        target = TARGETS_MS.get(name)
        ok = "-" if target is None else ("yes" if p95 <= target else "NO")
        if ok == "NO":
            missed.append(f"{name} ({size})")
        print(f"{name:18s} {size:9s} {med:7.1f} {p95:7.1f} {full:8.1f} {ratio:5.2f} {target or '':>6}  {ok}")
    if missed:
        print(f"missed targets (p95, raw ms): {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
