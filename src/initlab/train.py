"""The training loop: full-batch or minibatch, cost every epoch, layer statistics on request (Chapter 1)."""
import math

import numpy as np

from . import optimizers, stats
from ._checks import as_rng, check_int
from ._memory import keep_freed_memory


class History:
    """What one call of fit recorded (Chapter 1).

    cost[i] is the training cost after i epochs; cost[0] is the cost at initialization. With
    minibatches cost[i] (i >= 1) is the mean of the i-th epoch's minibatch costs, each taken
    before its own update. diverged_at is the first i whose cost[i] was not finite (inf or nan),
    or None. An ensemble has a column per member (cost of shape (epochs + 1, K)); a member that
    diverged stopped there, and its later entries are nan. A single net's cost ends at
    diverged_at. stats maps a statistic name to an array (n_records, L), or (n_records, K, L),
    recorded at stats_epochs.
    """

    def __init__(self, cost, diverged_at, stats_epochs, stats, config):
        self.cost = cost
        self.diverged_at = diverged_at
        self.diverged = (diverged_at is not None if cost.ndim == 1
                         else np.array([d is not None for d in diverged_at]))
        self.stats_epochs = np.array(stats_epochs, dtype=np.int64)
        self.stats = stats
        self.config = config

    def extend(self, later):
        """Append the History of a fit that continued this one; returns self (Chapter 1).

        later.cost[0] is the cost this run ended with, so it is not repeated; later's epochs
        (stats_epochs, diverged_at) are shifted by this run's epochs_run.
        """
        if not isinstance(later, History) or later.cost.shape[1:] != self.cost.shape[1:]:
            raise TypeError(f"can only extend by the History of the same net's next fit, got {later!r}")
        if np.any(self.diverged):
            raise ValueError(f"{self!r} diverged: a continued fit would start from inf or nan")
        shift = self.epochs_run
        self.cost = np.concatenate([self.cost, later.cost[1:]])
        at = [None if d is None else d + shift for d in np.atleast_1d(np.array(later.diverged_at, dtype=object))]
        self.diverged_at = at[0] if self.cost.ndim == 1 else np.array(at, dtype=object)
        self.diverged = later.diverged
        self.stats_epochs = np.concatenate([self.stats_epochs, later.stats_epochs + shift])
        keys = set(self.stats) | set(later.stats)
        self.stats = {k: np.concatenate([s[k] for s in (self.stats, later.stats) if k in s]) for k in keys}
        return self

    @property
    def epochs_run(self):
        """Epochs trained: len(cost) - 1."""
        return len(self.cost) - 1

    def __repr__(self):
        if self.cost.ndim == 2:
            n = int(np.sum(self.diverged))
            return f"History(epochs={self.epochs_run}, members={self.cost.shape[1]}, diverged={n})"
        end = f"diverged at epoch {self.diverged_at}" if self.diverged else (
            f"cost {self.cost[0]:.4g} -> {self.cost[-1]:.4g}")
        return f"History(epochs={self.epochs_run}, {end})"


class _Divergence:
    """Which members' cost stopped being finite, and when; diverged members stop updating."""

    def __init__(self, params, n_members):
        self.params, self.K = params, n_members
        self.at = np.full(() if n_members is None else n_members, -1)
        self.frozen = {}  # member -> its parameters when it diverged

    def check(self, epoch, cost):
        """Mark members whose cost is not finite; True when none is left to train."""
        if self.K is None and math.isfinite(cost):  # the common case, kept cheap
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
    m = len(X)
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size)
        if batch_size > m:
            raise ValueError(f"batch_size={batch_size} exceeds the {m} training examples")
    if record_every is not None:
        record_every = check_int("record_every", record_every)
    probe_size = check_int("probe_size", probe_size)
    K = net.n_members
    keep_freed_memory()  # steps reuse the memory the last one freed instead of faulting it in
    rng = as_rng(seed)
    rngs = [rng] if K is None else rng.spawn(K)
    params = net.weights + net.biases
    costs = np.full((epochs + 1,) if K is None else (epochs + 1, K), np.nan)
    div = _Divergence(params, K)
    recorder = stats.Recorder(net)
    last = epochs
    with np.errstate(all="ignore"):
        if batch_size is not None:
            costs[0] = net._out.cost(net._forward(X)[0][-1], Y)
            if div.check(0, costs[0]):
                last = 0
        for epoch in range(epochs if last else 0):
            record = record_every is not None and epoch % record_every == 0
            if batch_size is None:
                cost, zs, acts, (gW, gb, ga, _) = net._pass(X, Y, keep=record)
                costs[epoch] = cost
                if div.check(epoch, cost):
                    last = epoch
                    break
                before = [W.copy() for W in net.weights] if record else None
                opt.step(params, gW + gb)
                div.restore()
                if record:
                    recorder.add(epoch, zs, acts, gW, ga, before)
                continue
            if record:  # statistics of a fixed probe set, update ratio of the epoch's first step
                probe = net._pass(X[:probe_size], Y[:probe_size], keep=True)
                before = [W.copy() for W in net.weights]
            order = np.stack([r.permutation(m) for r in rngs])
            total = 0.0
            for start in range(0, m, batch_size):
                idx = order[:, start:start + batch_size]
                batch = idx[0] if K is None else idx  # a member's own examples
                cost, _, _, (gW, gb, _, _) = net._pass(X[batch], Y[batch])
                total += cost * (idx.shape[1] / m)
                if div.check(epoch + 1, cost):
                    break
                opt.step(params, gW + gb)
                div.restore()
                if record and start == 0:
                    after = [W.copy() for W in net.weights]
            costs[epoch + 1] = total
            if np.all(div.at >= 0):
                last = epoch + 1
                break
            if record:
                _, zs, acts, (pW, _, pa, _) = probe
                recorder.add(epoch, zs, acts, pW, pa, before, after)
        if batch_size is None and last == epochs:  # the cost after the last update
            costs[epochs] = net._out.cost(net._forward(X)[0][-1], Y)
            div.check(epochs, costs[epochs])
        recorded = recorder.stats()
    n = last + 1 if K is not None or div.at < 0 else int(div.at) + 1
    config = {"lr": lr, "epochs": epochs, "batch_size": batch_size, "optimizer": optimizer,
              "seed": seed, "record_every": record_every}
    return History(div.mask(costs[:n].copy()), div.epochs(), recorder.epochs, recorded, config)
