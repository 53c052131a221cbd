"""A residual MLP: blocks x + alpha * branch(x), with branch scaling and gates (Chapter 9).

The stream x^{[0]} = W_in x + b_in goes through B blocks x^{[k]} = x^{[k-1]} + alpha_k F_k(x^{[k-1]}),
each branch F_k being m dense layers after the activation ("pre-activation": g, then W):
F(x) = W_m g(... W_1 g(x) + b_1 ...) + b_m, optionally with BatchNorm before each g. The head
reads W_out g(x^{[B]}) + b_out. skip=False drops the identity path: a plain deep MLP.
"""
import numpy as np

from . import activations, initializers, losses
from ._checks import as_rng, check_choice, check_dtype, check_int, member_seeds
from .batchnorm import batch_norm, batch_norm_backward
from .mlp import MLP, Pass

__all__ = ["ResidualMLP"]

# none: every layer drawn by init; fixup: branch layers times B^(-1/(2m-2)) (Zhang et al. 2019;
# B^(-1/2) when m = 1); zero: the last layer of each branch is zero; gate: alpha_k learned, from 0
FIXES = ("none", "fixup", "zero", "gate")


class ResidualMLP(MLP):
    """Residual MLP of n_blocks blocks of branch_layers dense layers of size width (Chapter 9).

    Fits like an MLP (il.fit, seed=range(K) ensembles). biases lists the dense layers' biases,
    then (batchnorm=True) every gamma and every beta, then (fix="gate") the gates alpha, so that
    fit updates them all. zs and acts of a Pass hold the stream x^{[0..B]}, then the logits.
    """

    per_layer = False  # a Pass holds the stream between blocks, not one z per weight layer

    def __init__(self, n_in, n_out, width=64, n_blocks=10, branch_layers=2, activation="relu",
                 output="softmax", init="he_normal", fix="none", skip=True, batchnorm=False,
                 seed=0, dtype=np.float64):
        n_in, n_out, width = (check_int(k, v) for k, v in (("n_in", n_in), ("n_out", n_out), ("width", width)))
        self.n_blocks, self.branch_layers = check_int("n_blocks", n_blocks), check_int("branch_layers", branch_layers)
        self.fix = check_choice("fix", fix, FIXES)
        for name, flag in (("skip", skip), ("batchnorm", batchnorm)):
            if not isinstance(flag, bool):
                raise TypeError(f"{name} must be True or False, got {flag!r}")
        if not skip and fix != "none":
            raise ValueError(f"fix={fix!r} acts on residual branches; with skip=False use fix='none'")
        self.skip, self.batchnorm, self.dtype = skip, batchnorm, check_dtype(dtype)
        n_dense = n_blocks * branch_layers  # the branches' layers; the g's are one more (the head's)
        self.layer_sizes = [n_in] + [width] * (n_dense + 1) + [n_out]
        self._g, self._out = activations.get(activation), losses.get(output)
        self._acts = [self._g] * (n_dense + 1)
        self.activation_names, self.output = [self._g.name] * (n_dense + 1), self._out.name
        self.init = initializers.resolve(init)
        self.inits = [self.init] * (n_dense + 2)
        seeds = member_seeds(seed)
        self.n_members = None if seeds is None else len(seeds)
        drawn = [self._draw(s) for s in ([seed] if seeds is None else seeds)]
        self.weights = drawn[0] if seeds is None else [np.stack(Ws) for Ws in zip(*drawn)]
        lead = () if seeds is None else (len(seeds),)
        self.biases = [np.zeros(W.shape[:-1], dtype=self.dtype) for W in self.weights]
        self._norm_at = len(self.biases)  # gammas from here, then betas
        if batchnorm:
            self.biases += [np.ones(lead + (width,), self.dtype) for _ in range(n_dense + 1)]
            self.biases += [np.zeros(lead + (width,), self.dtype) for _ in range(n_dense + 1)]
        if fix == "gate":
            self.biases.append(np.zeros(lead + (n_blocks,), self.dtype))

    def _draw(self, seed):
        """One network's weights: every layer drawn (whatever the fix), then the fix applied."""
        rng, m, sizes = as_rng(seed), self.branch_layers, self.layer_sizes
        Ws = [self.init((n, n_prev), rng, dtype=self.dtype) for n_prev, n in zip(sizes, sizes[1:])]
        for j in range(1, len(Ws) - 1):
            if self.fix == "fixup":
                Ws[j] *= self.n_blocks ** (-1.0 / (2 * m - 2) if m > 1 else -0.5)
            elif self.fix == "zero" and j % m == 0:
                Ws[j][...] = 0.0
        return Ws

    def __repr__(self):
        members = "" if self.n_members is None else f", members={self.n_members}"
        return (f"ResidualMLP({self.layer_sizes[0]}, {self.layer_sizes[-1]}, width={self.layer_sizes[1]}, "
                f"n_blocks={self.n_blocks}, branch_layers={self.branch_layers}, activation={self._g.name!r}, "
                f"output={self.output!r}, init={self.init!r}, fix={self.fix!r}, skip={self.skip}, "
                f"batchnorm={self.batchnorm}, dtype={np.dtype(self.dtype).name}{members})")

    @property
    def alpha(self):
        """The gates alpha_k, one per block (and member), learned with fix='gate', else ones (Chapter 9)."""
        if self.fix == "gate":
            return self.biases[-1]
        return np.ones(self.biases[0].shape[:-1] + (self.n_blocks,), dtype=self.dtype)

    def check_X(self, X):
        X = super().check_X(X)
        if self.batchnorm and len(X) < 2:
            raise ValueError(f"batchnorm=True needs a batch of >= 2 examples, got {len(X)}")
        return X

    def _gate(self, k):
        return self.biases[-1][..., k, None, None] if self.fix == "gate" else 1.0

    def _activate(self, i, h, tape):
        """a = g(BN(h)) at the i-th activation of the net, taped for backprop."""
        u, cache = h, None
        if self.batchnorm:
            n = len(self._acts)
            u, cache = batch_norm(h, self.biases[self._norm_at + i], self.biases[self._norm_at + n + i])
        a = self._g.f(u)
        tape.append((cache, u, a))
        return a

    def forward(self, X, keep=True):
        """The stream x^{[0..B]} and the logits (zs), the same with the output activation (acts),
        and the tape backprop needs (Chapter 9). keep is accepted for fit; everything is kept."""
        W, b, m = self.weights, self.biases, self.branch_layers
        x = X @ W[0].mT + b[0][..., None, :]
        zs, tape, branches = [x], [], []
        for k in range(self.n_blocks):
            h = x
            for j in range(1 + k * m, 1 + (k + 1) * m):
                h = self._activate(j - 1, h, tape) @ W[j].mT + b[j][..., None, :]
            branches.append(h)
            x = x + self._gate(k) * h if self.skip else h
            zs.append(x)
        z = self._activate(len(self._acts) - 1, x, tape) @ W[-1].mT + b[len(W) - 1][..., None, :]
        return zs + [z], zs + [self._out.activate(z)], (tape, branches)

    def backprop(self, X, Y, zs, acts, taped, keep=False):
        """grad_W, grad_b (biases, gammas, betas, gates as in biases), and with keep the
        gradients dJ/dx^{[k]} of the stream then dJ/dz of the logits (Chapter 9)."""
        (tape, branches), W, m = taped, self.weights, self.branch_layers
        gW, gb = [None] * len(W), [None] * len(self.biases)
        n = len(self._acts)

        def back(j, dh):  # through h = g(BN(u)) W_j^T + b_j, back to u
            cache, u, a = tape[j - 1]
            gW[j], gb[j] = dh.mT @ a, dh.sum(axis=-2)
            du = (dh @ W[j]) * self._g.derivative(u, a)
            if cache is None:
                return du
            du, gb[self._norm_at + j - 1], gb[self._norm_at + n + j - 1] = batch_norm_backward(du, cache)
            return du

        dz = self._out.grad(zs[-1], acts[-1], Y)
        dx = back(len(W) - 1, dz)
        ga = [dx, dz]
        if self.fix == "gate":
            gb[-1] = np.empty_like(self.biases[-1])
        for k in range(self.n_blocks - 1, -1, -1):
            if self.fix == "gate":
                gb[-1][..., k] = np.sum(dx * branches[k], axis=(-2, -1))
            dh = dx * self._gate(k) if self.skip else dx
            for j in range((k + 1) * m, k * m, -1):
                dh = back(j, dh)
            dx = dx + dh if self.skip else dh
            ga.insert(0, dx)
        gW[0], gb[0] = dx.mT @ X, dx.sum(axis=-2)
        return gW, gb, (ga if keep else None), (ga if keep else None)

    def forward_backward(self, X, Y, keep=False):
        """Forward, cost and backward: a Pass, as MLP.forward_backward (Chapter 9)."""
        zs, acts, taped = self.forward(X)
        return Pass(self._out.cost(zs[-1], Y), zs, acts, *self.backprop(X, Y, zs, acts, taped, keep))

    def forward_all(self, X):
        """The stream x^{[0..B]} and the logits, and their activations (Chapter 9)."""
        with np.errstate(all="ignore"):
            return self.forward(self.check_X(X))[:2]
