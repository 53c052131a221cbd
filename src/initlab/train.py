"""The training loop: forward, cost, backward, step; full-batch or minibatch (Chapter 1).

Each epoch is a pass of net.forward_backward and an optimizer step; layer statistics are recorded
on request (record.Recorder) and members whose cost stops being finite stop there (_Divergence).
"""
import math

import numpy as np

from . import optimizers
from ._checks import as_rng, check_int
from ._memory import keep_freed_memory
from .history import History
from .record import Recorder


def fit(net, X, y, lr=0.01, epochs=100, batch_size=None, optimizer="sgd", seed=0,
        record_every=None, probe_size=256, **optimizer_params):
    """Train net (a single network or an ensemble) in place on (X, y); return its History (Chapter 1).

    batch_size=None is full-batch gradient descent (one update per epoch). seed drives the
    minibatch shuffles: a single net draws them from as_rng(seed); ensemble member i from
    as_rng(seed).spawn(K)[i], its own generator. record_every=k records layer statistics
    (stats.from_pass keys plus update_ratio) at epochs 0, k, 2k, ...: full-batch from that
    epoch's own pass, minibatch on the first probe_size training examples. Calling fit again
    continues training the same net.
    """
    X, Y = net.check_Xy(X, y)
    epochs = check_int("epochs", epochs)
    opt = optimizers.get(optimizer, lr, **optimizer_params)
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size)
        if batch_size > len(X):
            raise ValueError(f"batch_size={batch_size} exceeds the {len(X)} training examples")
    if record_every is not None:
        record_every = check_int("record_every", record_every)
        if not net.per_layer:
            raise ValueError(f"record_every needs a net with one z per weight layer (an MLP); a "
                             f"{type(net).__name__} has none: fit it with record_every=None")
    probe_size = check_int("probe_size", probe_size)
    rng = as_rng(seed)
    rngs = [rng] if net.n_members is None else rng.spawn(net.n_members)
    keep_freed_memory()  # steps reuse the memory the last one freed instead of faulting it in
    run = _Run(net, opt, epochs, record_every)
    with np.errstate(all="ignore"):
        if batch_size is None:
            last = _full_batch(run, X, Y)
        else:
            last = _minibatch(run, X, Y, batch_size, rngs, probe_size)
        recorded = run.recorder.stats()
    div = run.div
    n = last + 1 if net.n_members is not None or div.at < 0 else int(div.at) + 1
    config = {"lr": lr, "epochs": epochs, "batch_size": batch_size, "optimizer": optimizer,
              "seed": seed, "record_every": record_every}
    return History(div.mask(run.costs[:n].copy()), div.epochs(), run.recorder.epochs, recorded, config)


def _full_batch(run, X, Y):
    """One update per epoch on all of X; returns the last epoch with a cost."""
    net = run.net
    for epoch in range(run.epochs):
        record = run.records(epoch)
        p = net.forward_backward(X, Y, keep=record)
        run.costs[epoch] = p.cost
        if run.div.check(epoch, p.cost):
            return epoch
        before = [W.copy() for W in net.weights] if record else None
        run.step(p)
        if record:
            run.recorder.add(epoch, p.zs, p.acts, p.grad_W, p.grad_a, before)
    last = net.forward(X, keep=False)[0][-1]  # the output layer after the last update
    run.costs[run.epochs] = net.output_layer.cost(last, Y)
    run.div.check(run.epochs, run.costs[run.epochs])
    return run.epochs


def _minibatch(run, X, Y, batch_size, rngs, probe_size):
    """An update per minibatch of a fresh shuffle every epoch; returns the last epoch with a cost."""
    net, m = run.net, len(X)
    run.costs[0] = net.output_layer.cost(net.forward(X, keep=False)[0][-1], Y)
    if run.div.check(0, run.costs[0]):
        return 0
    for epoch in range(run.epochs):
        record = run.records(epoch)
        if record:  # statistics of a fixed probe set, update ratio of the epoch's first step
            probe = net.forward_backward(X[:probe_size], Y[:probe_size], keep=True)
            before = [W.copy() for W in net.weights]
        order = np.stack([r.permutation(m) for r in rngs])
        total = 0.0
        for start in range(0, m, batch_size):
            idx = order[:, start:start + batch_size]
            batch = idx[0] if net.n_members is None else idx  # a member's own examples
            p = net.forward_backward(X[batch], Y[batch])
            total += p.cost * (idx.shape[1] / m)
            if run.div.check(epoch + 1, p.cost):
                break
            run.step(p)
            if record and start == 0:
                after = [W.copy() for W in net.weights]
        run.costs[epoch + 1] = total
        if np.all(run.div.at >= 0):
            return epoch + 1
        if record:
            run.recorder.add(epoch, probe.zs, probe.acts, probe.grad_W, probe.grad_a, before, after)
    return run.epochs


class _Run:
    """What the epochs of one fit share: the net, its optimizer, the costs, divergence, records."""

    def __init__(self, net, opt, epochs, record_every):
        self.net, self.opt, self.epochs, self.every = net, opt, epochs, record_every
        self.params = net.weights + net.biases  # the arrays the optimizer updates in place
        K = net.n_members
        self.costs = np.full((epochs + 1,) if K is None else (epochs + 1, K), np.nan)
        self.div = _Divergence(self.params, K)
        self.recorder = Recorder(net)

    def records(self, epoch):
        return self.every is not None and epoch % self.every == 0

    def step(self, p):
        """The optimizer's update from a Pass; members that diverged keep their parameters."""
        self.opt.step(self.params, p.grad_W + p.grad_b)
        self.div.restore()


class _Divergence:
    """Which members' cost stopped being finite, and when; diverged members stop updating."""

    def __init__(self, params, n_members):
        self.params, self.K = params, n_members
        self.at = np.full(() if n_members is None else n_members, -1)
        self.frozen = {}  # member -> its parameters when it diverged

    def check(self, epoch, cost):
        """Mark members whose cost is not finite; True when none is left to train."""
        if math.isfinite(cost) if self.K is None else np.isfinite(cost).all():  # the common case
            return False
        new = ~np.isfinite(cost) & (self.at < 0)
        if np.any(new):
            self.at[new] = epoch
            for k in np.flatnonzero(new) if self.K is not None else ():
                self.frozen[k] = [p[k].copy() for p in self.params]
        return bool(np.all(self.at >= 0))

    def restore(self):
        """Undo the last step for diverged members."""
        for k, saved in self.frozen.items():
            for p, p0 in zip(self.params, saved):
                p[k] = p0

    def mask(self, costs):
        """costs with every member's entries after its divergence set to nan."""
        for k, e in enumerate(np.atleast_1d(self.at)):
            if e >= 0 and costs.ndim == 2:
                costs[e + 1:, k] = np.nan
        return costs

    def epochs(self):
        """diverged_at: None or an int, or an object array of them for an ensemble."""
        at = [None if e < 0 else int(e) for e in np.atleast_1d(self.at)]
        return at[0] if self.K is None else np.array(at, dtype=object)
