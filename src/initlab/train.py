"""The training loop: full-batch or minibatch, cost every epoch, layer statistics on request (Chapter 1)."""
import math

import numpy as np

from . import optimizers, stats
from ._checks import as_rng, check_int


class History:
    """What one call of fit recorded (Chapter 1).

    cost[i] is the cost at the start of epoch i, before its update(s); cost[0] is the cost at
    initialization. With minibatches it is the mean of the minibatch costs of epoch i, each taken
    before its own update. If training diverged (an inf or nan cost), diverged_at is the epoch
    whose cost was not finite, cost ends with that value and training stopped there.
    stats maps a statistic name to an array (n_records, L) recorded at stats_epochs.
    """

    def __init__(self, cost, diverged_at, stats_epochs, stats, config):
        self.cost = cost
        self.diverged_at = diverged_at
        self.diverged = diverged_at is not None
        self.stats_epochs = np.array(stats_epochs, dtype=np.int64)
        self.stats = stats
        self.config = config

    @property
    def epochs_run(self):
        return len(self.cost)

    def __repr__(self):
        end = f"diverged at epoch {self.diverged_at}" if self.diverged else (
            f"cost {self.cost[0]:.4g} -> {self.cost[-1]:.4g}")
        return f"History(epochs={self.epochs_run}, {end})"


def fit(net, X, y, lr=0.01, epochs=100, batch_size=None, optimizer="sgd", seed=0,
        record_every=None, probe_size=256, **optimizer_params):
    """Train net in place on (X, y) and return its History (Chapter 1).

    batch_size=None is full-batch gradient descent (one update per epoch). seed drives the
    minibatch shuffles. record_every=k records layer statistics (stats.from_pass keys plus
    update_ratio) at epochs 0, k, 2k, ...: full-batch from that epoch's own pass, minibatch on
    the first probe_size training examples (256 x n_l numbers per layer: stds to about 1%, for
    a fifth of an epoch of digits). Calling fit again continues training the same net.
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
    rng = as_rng(seed)
    params = net.weights + net.biases
    grads = net._grad_arrays()
    costs = np.empty(epochs)
    recorder, diverged_at = stats.Recorder(net), None
    with np.errstate(all="ignore"):
        for epoch in range(epochs):
            record = record_every is not None and epoch % record_every == 0
            if batch_size is None:
                cost, zs, acts, (gW, gb, ga, _) = net._pass(X, Y, keep=record, out=grads)
                costs[epoch] = cost
                if not math.isfinite(cost):
                    diverged_at = epoch
                    break
                before = [W.copy() for W in net.weights] if record else None
                opt.step(params, gW + gb)
                if record:
                    recorder.add(epoch, zs, acts, gW, ga, before)
            else:
                if record:  # statistics of a fixed probe set, update ratio of the first step
                    probe = net._pass(X[:probe_size], Y[:probe_size], keep=True)
                    before = [W.copy() for W in net.weights]
                order = rng.permutation(m)
                total = 0.0
                for start in range(0, m, batch_size):
                    idx = order[start:start + batch_size]
                    cost, _, _, (gW, gb, _, _) = net._pass(X[idx], Y[idx], out=grads)
                    if not math.isfinite(cost):
                        break
                    total += cost * (len(idx) / m)
                    opt.step(params, gW + gb)
                    if record and start == 0:
                        after = [W.copy() for W in net.weights]
                costs[epoch] = total if math.isfinite(cost) else cost
                if not math.isfinite(costs[epoch]):
                    diverged_at = epoch
                    break
                if record:
                    _, zs, acts, (pW, _, pa, _) = probe
                    recorder.add(epoch, zs, acts, pW, pa, before, after)
        recorded = recorder.stats()
    n = epochs if diverged_at is None else diverged_at + 1
    config = {"lr": lr, "epochs": epochs, "batch_size": batch_size, "optimizer": optimizer,
              "seed": seed, "record_every": record_every}
    return History(costs[:n].copy(), diverged_at, recorder.epochs, recorded, config)
