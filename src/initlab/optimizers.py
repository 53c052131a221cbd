"""Optimizers that update parameter arrays in place: sgd, momentum, adam (Chapter 1)."""
import numpy as np

from ._checks import check_choice, check_number, check_params


class SGD:
    """Plain gradient descent: p -= lr * g (Chapter 1)."""

    name = "sgd"

    def __init__(self, lr):
        self.lr = check_number("lr", lr, minimum=0.0, strict=True)

    def step(self, params, grads):
        lr = self.lr
        for p, g in zip(params, grads):
            p -= lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr})"


class Momentum:
    """Heavy-ball momentum, PyTorch's form: v = beta v + g; p -= lr v (Chapter 5)."""

    name = "momentum"

    def __init__(self, lr, beta=0.9):
        self.lr = check_number("lr", lr, minimum=0.0, strict=True)
        self.beta = check_number("beta", beta, minimum=0.0, maximum=1.0)
        self.v = None

    def step(self, params, grads):
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v *= self.beta
            v += g
            p -= self.lr * v

    def __repr__(self):
        return f"Momentum(lr={self.lr}, beta={self.beta})"


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction (Chapter 5)."""

    name = "adam"

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_number("lr", lr, minimum=0.0, strict=True)
        self.beta1 = check_number("beta1", beta1, minimum=0.0, maximum=1.0)
        self.beta2 = check_number("beta2", beta2, minimum=0.0, maximum=1.0)
        self.eps = check_number("eps", eps, minimum=0.0, strict=True)
        self.m = self.v = None
        self.t = 0

    def step(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        c1, c2 = 1 - self.beta1**self.t, 1 - self.beta2**self.t
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            p -= (self.lr / c1) * m / (np.sqrt(v / c2) + self.eps)

    def __repr__(self):
        return f"Adam(lr={self.lr}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def get(name, lr, **params):
    """Return the optimizer called name with learning rate lr (Chapter 1)."""
    check_choice("optimizer", name, OPTIMIZERS)
    cls = OPTIMIZERS[name]
    check_params("optimizer", name, params, cls.__init__.__code__.co_varnames[2:cls.__init__.__code__.co_argcount])
    return cls(lr, **params)
