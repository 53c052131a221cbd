"""The statistics recorder fit uses: stats.from_pass's numbers, computed in blocks (Chapter 5).

The one performance boundary of the statistics: it computes exactly what stats.from_pass
computes (tests/test_train.py checks the two agree), in fewer numpy calls.
"""
import numpy as np

from . import stats

RECORD_BUFFER = 400_000  # numbers fit's records are gathered in before their statistics are computed


class Recorder:
    """The statistics fit records: from_pass's keys plus update_ratio (Chapter 5). Call it
    inside np.errstate(all="ignore"), as fit does: diverging runs record inf and nan.

    Small nets make arrays of a few thousand numbers, on which numpy's cost is per call and a
    fresh temporary faults its pages in: a record computed on its own costs about a training
    step. So the recorder copies each record into a row of one buffer and computes the
    statistics of up to `budget` numbers together (records over FLAT_MAX numbers: at once).
    """

    def __init__(self, net, budget=RECORD_BUFFER):
        self.net, self.budget = net, budget
        self.epochs = []
        self._buf, self._sizes, self._shapes = None, None, None  # a row per pending record
        self._n = 0  # pending records
        self._done = []  # (means, stds, saturation, dead) of computed records, a row each

    def add(self, epoch, zs, acts, gW, ga, W_before, W_after=None):
        """Record a pass and the update that followed it (W_after defaults to net.weights)."""
        W_after = self.net.weights if W_after is None else W_after
        arrays = zs + acts + ga + gW + [W - W0 for W, W0 in zip(W_after, W_before)] + W_before
        self.epochs.append(epoch)
        if self.net.n_members is None:
            self._add(arrays, zs, acts)
        else:  # a row per member, each like a single network's record
            for k in range(self.net.n_members):
                self._add([a[k] for a in arrays], [z[k] for z in zs], [a[k] for a in acts])

    def _add(self, arrays, zs, acts):
        sizes = [a.size for a in arrays]
        n = sum(sizes)
        if n > stats.FLAT_MAX:  # big arrays: per-array calls cost nothing, as in moments
            self.flush()
            self._done.append(stats.pass_moments(self.net, arrays, zs, acts))
            return
        if self._n and (sizes != self._sizes or self._n == len(self._buf)):
            self.flush()
        if self._buf is None or sizes != self._sizes:
            self._buf = np.empty((max(1, self.budget // n), n))
            self._sizes, self._shapes = sizes, [z.shape for z in zs]
        np.concatenate([a.reshape(-1) for a in arrays], out=self._buf[self._n])
        self._n += 1

    def flush(self):
        """Compute the pending records."""
        if not self._n:
            return
        B, L = self._buf[:self._n], len(self._shapes)
        starts = np.cumsum([0] + self._sizes).tolist()
        # the net's own precision, in which layer_stats compares with the saturation thresholds
        zs, acts = ([B[:, starts[l]:starts[l + 1]].reshape(self._n, *self._shapes[l % L])
                     .astype(self.net.dtype, copy=False) for l in range(first, first + L)]
                    for first in (0, L))
        sat, dead = stats.saturation(self.net, zs, acts)
        means, stds = stats.block_moments(B, self._sizes)  # overwrites B
        self._done.append((means, stds, sat, dead))
        self._n = 0

    def stats(self):
        """Everything recorded: statistic name -> array (records, L)."""
        self.flush()
        if not self._done:
            return {}
        out = stats.as_dict(*(np.concatenate(parts) for parts in zip(*self._done)))
        if self.net.n_members is not None:  # rows were (record, member): (n_records, K, L)
            out = {k: v.reshape(len(self.epochs), self.net.n_members, -1) for k, v in out.items()}
        return out
