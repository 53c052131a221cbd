"""A multilayer perceptron with exact backprop, in the notes' notation (Chapter 1)."""
import copy
import numbers
from typing import NamedTuple

import numpy as np

from . import activations, initializers, losses
from ._checks import as_rng, check_dtype, check_int, check_X, member_seeds
from .scoring import Scoring


class Pass(NamedTuple):
    """One forward and backward pass (Chapter 1): lists with an entry per layer, output layer last.

    grad_a and grad_z, the gradients with respect to each layer's a and z, are None unless kept.
    """

    cost: object  # a float, or an array with one cost per ensemble member
    zs: list
    acts: list
    grad_W: list
    grad_b: list
    grad_a: list = None
    grad_z: list = None

    def __repr__(self):
        cost = np.round(self.cost, 4) if np.ndim(self.cost) else f"{self.cost:.4g}"
        kept = "" if self.grad_a is None else ", grad_a, grad_z"
        return f"Pass(cost={cost}, layers={len(self.zs)}: zs, acts, grad_W, grad_b{kept})"


class MLP(Scoring):
    """Fully connected net: z = a_prev @ W.T + b, a = f(z); W has shape (n_l, n_{l-1}) (Chapter 1).

    seed=int gives one network; seed=range(K) (any sequence) gives an ensemble of K members
    trained together: every array gains a leading member axis, and member i is the network
    MLP(..., seed=seeds[i]) would draw.
    """

    per_layer = True  # every weight layer has its own z and a: fit can record them, layer_stats report them

    def __init__(self, layer_sizes, activation="relu", output="sigmoid", init="he_normal",
                 seed=0, dtype=np.float64):
        if not isinstance(layer_sizes, (list, tuple)) or len(layer_sizes) < 2:
            raise ValueError(f"layer_sizes must be a list of >= 2 positive ints, got {layer_sizes!r}")
        self.layer_sizes = [check_int("layer size", n) for n in layer_sizes]
        L = len(self.layer_sizes) - 1
        self.dtype = check_dtype(dtype)
        self._out = losses.get(output)
        self.output = self._out.name
        acts = activation if isinstance(activation, (list, tuple)) else [activation] * (L - 1)
        if len(acts) != L - 1:
            raise ValueError(f"need {L - 1} hidden activations for {L} layers, got {len(acts)}")
        self._acts = [activations.get(a) for a in acts]
        self.activation_names = [a.name for a in self._acts]
        inits = init if isinstance(init, (list, tuple)) else [init] * L
        if len(inits) != L:
            raise ValueError(f"need {L} initializers (one per layer), got {len(inits)}")
        self.inits = [initializers.resolve(i) for i in inits]
        seeds = member_seeds(seed)
        self.n_members = None if seeds is None else len(seeds)
        drawn = [self._draw(s) for s in ([seed] if seeds is None else seeds)]
        self.weights = drawn[0] if seeds is None else [np.stack(Ws) for Ws in zip(*drawn)]
        self.biases = [np.zeros(W.shape[:-1], dtype=self.dtype) for W in self.weights]

    def _draw(self, seed):
        """One network's weights, drawn layer by layer from one generator."""
        rng = as_rng(seed)
        shapes = zip(self.layer_sizes[1:], self.layer_sizes)
        return [f(shape, rng, dtype=self.dtype) for shape, f in zip(shapes, self.inits)]

    def __repr__(self):
        acts = sorted(set(self.activation_names))
        act = acts[0] if len(acts) == 1 else self.activation_names
        inits = sorted({repr(i) for i in self.inits})
        init = inits[0] if len(inits) == 1 else [repr(i) for i in self.inits]
        members = "" if self.n_members is None else f", members={self.n_members}"
        return (f"MLP({self.layer_sizes}, activation={act!r}, output={self.output!r}, "
                f"init={init}, dtype={np.dtype(self.dtype).name}{members})")

    def __getitem__(self, i):
        """Member i of an ensemble, as an independent single network (Chapter 1)."""
        if self.n_members is None:
            raise TypeError("a single network has no members; build an ensemble with seed=range(K)")
        if not isinstance(i, numbers.Integral) or not -self.n_members <= i < self.n_members:
            raise IndexError(f"member index must be an int in [0, {self.n_members - 1}], got {i!r}")
        new = copy.copy(self)
        new.weights = [W[i] for W in self.weights]  # views, copied by the deepcopy below
        new.biases = [b[i] for b in self.biases]
        new.n_members = None
        return copy.deepcopy(new)

    @property
    def n_layers(self):
        return len(self.weights)

    @property
    def hidden_activations(self):
        """The Activation of each hidden layer (Chapter 1)."""
        return list(self._acts)

    @property
    def output_layer(self):
        """The output layer with its loss, a losses.Sigmoid, Softmax or Linear (Chapter 1)."""
        return self._out

    def copy(self):
        """A deep copy: the same parameters, shared with nothing (Chapter 1)."""
        return copy.deepcopy(self)

    def check_X(self, X):
        return check_X(X, self.layer_sizes[0], self.dtype)

    def check_Xy(self, X, y):
        X = self.check_X(X)
        if np.ndim(y) == 0:
            raise TypeError(f"y must be an array of {len(X)} targets, got {y!r}")
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
        return X, self._out.targets(y, self.layer_sizes[-1], self.dtype)

    def forward(self, X, keep=True):
        """Pre-activations zs and activations acts of every layer, output layer last (Chapter 1).

        Shapes (m, n_l), or (K, m, n_l) for an ensemble: matmul broadcasts over the member axis.
        X as check_X returns it; forward_all checks X and silences overflow warnings.
        keep=False keeps the output layer only (for a cost or a prediction on many examples).
        """
        zs, acts = [], []
        a = X
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W.mT
            z += b[..., None, :]
            a = self._acts[l].f(z) if l < len(self._acts) else self._out.activate(z)
            if keep or l == len(self._acts):
                zs.append(z)
                acts.append(a)
        return zs, acts

    def backprop(self, X, Y, zs, acts, keep=False):
        """Gradients of the cost, layer by layer from the output down: grad_W, grad_b, grad_a, grad_z.

        grad_a and grad_z are None unless keep (Chapter 1).
        """
        L = len(self.weights)
        gW, gb = [None] * L, [None] * L
        ga, gz = ([None] * L, [None] * L) if keep else (None, None)
        dz = self._out.grad(zs[-1], acts[-1], Y)
        ones = np.ones(dz.shape[-2], dtype=dz.dtype)
        for l in range(L - 1, -1, -1):
            if keep:
                gz[l] = dz
            a_prev = acts[l - 1] if l > 0 else X
            gW[l] = dz.mT @ a_prev  # dW = dz^T a_prev
            gb[l] = ones @ dz  # db = 1^T dz: dz summed over the examples (a BLAS product: 5x .sum)
            if l > 0:
                da = dz @ self.weights[l]
                dz = da * self._acts[l - 1].derivative(zs[l - 1], acts[l - 1])
                if keep:
                    ga[l - 1] = da
        if keep:
            ga[-1] = gz[-1]  # at the output, the gradient with respect to the logits z_L
        return gW, gb, ga, gz

    def forward_backward(self, X, Y, keep=False):
        """Forward, cost and backward: a Pass; keep=True keeps grad_a and grad_z (Chapter 1).

        X, Y as check_Xy returns them; call it in np.errstate(all="ignore") as fit does.
        """
        zs, acts = self.forward(X)
        cost = self._out.cost(zs[-1], Y)
        return Pass(cost, zs, acts, *self.backprop(X, Y, zs, acts, keep=keep))

    def forward_all(self, X):
        """Pre-activations and activations of every layer, lists of length L (Chapter 1)."""
        with np.errstate(all="ignore"):
            return self.forward(self.check_X(X))

    def backward(self, X, y):
        """Cost and exact gradients: dict of per-layer lists 'W', 'b', 'a', 'z' (Chapter 1)."""
        X, Y = self.check_Xy(X, y)
        with np.errstate(all="ignore"):
            p = self.forward_backward(X, Y, keep=True)
        return p.cost, {"W": p.grad_W, "b": p.grad_b, "a": p.grad_a, "z": p.grad_z}

    def cost(self, X, y):
        """The training cost on (X, y): a float, or one per member (Chapter 1)."""
        X, Y = self.check_Xy(X, y)
        with np.errstate(all="ignore"):
            return self._out.cost(self.forward(X, keep=False)[0][-1], Y)
