"""What a fit recorded: the cost every epoch, divergence, layer statistics (Chapter 1)."""
import numpy as np


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
        """The number of epochs trained, len(cost) - 1 (Chapter 1)."""
        return len(self.cost) - 1

    def __repr__(self):
        if self.cost.ndim == 2:
            n = int(np.sum(self.diverged))
            return f"History(epochs={self.epochs_run}, members={self.cost.shape[1]}, diverged={n})"
        end = f"diverged at epoch {self.diverged_at}" if self.diverged else (
            f"cost {self.cost[0]:.4g} -> {self.cost[-1]:.4g}")
        return f"History(epochs={self.epochs_run}, {end})"
