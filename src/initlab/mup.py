"""Width scaling: standard parametrization (SP) vs maximal update parametrization, muP (Chapter 9).

Yang et al. (2022), Tensor Programs V, Table 3, with every constant 1. The first layer maps the
fixed input size to the width ("input weights"), the last maps the width to the fixed output size
("output weights"), the layers between are "hidden weights"; all biases scale like input weights.
Multipliers are relative: a global lr tuned on a small base net carries over to wider ones when
each layer's lr is global lr * lr[l] / lr_base[l].
"""
import numpy as np

from ._checks import check_choice, check_int

PARAMETRIZATIONS = ("sp", "mup")
OPTIMIZERS = ("sgd", "adam")


class WidthScaling:
    """Per-layer init std and lr multipliers of weights and biases, input layer first (Chapter 9)."""

    def __init__(self, layer_sizes, parametrization, optimizer, init_std, lr, bias_lr):
        self.layer_sizes, self.parametrization, self.optimizer = layer_sizes, parametrization, optimizer
        self.init_std, self.lr, self.bias_lr = np.array(init_std), np.array(lr), np.array(bias_lr)

    def __repr__(self):
        def show(a):
            return "[" + ", ".join(f"{v:.3g}" for v in a) + "]"
        return (f"WidthScaling({self.layer_sizes}, {self.parametrization!r}, {self.optimizer!r}, "
                f"init_std={show(self.init_std)}, lr={show(self.lr)}, bias_lr={show(self.bias_lr)})")


def width_scaling(layer_sizes, parametrization="mup", optimizer="sgd"):
    """Init std and lr multipliers per layer for SP or muP under SGD or Adam (Yang et al. 2022) (Chapter 9)."""
    if not isinstance(layer_sizes, (list, tuple)) or len(layer_sizes) < 3:
        raise ValueError(f"layer_sizes must list >= 3 sizes (input, hidden..., output), got {layer_sizes!r}")
    sizes = [check_int("layer size", n) for n in layer_sizes]
    check_choice("parametrization", parametrization, PARAMETRIZATIONS)
    check_choice("optimizer", optimizer, OPTIMIZERS)
    L = len(sizes) - 1
    init_std, lr, bias_lr = [], [], []
    for l, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        kind = "input" if l == 0 else ("output" if l == L - 1 else "hidden")
        if parametrization == "sp":  # every layer N(0, 1/fan_in), one global lr
            init_std.append(fan_in**-0.5)
            lr.append(1.0)
            bias_lr.append(1.0)
            continue
        init_std.append(1.0 / fan_in if kind == "output" else fan_in**-0.5)
        if optimizer == "sgd":
            lr.append({"input": float(fan_out), "hidden": 1.0, "output": 1.0 / fan_in}[kind])
            bias_lr.append(float(fan_out))
        else:
            lr.append(1.0 if kind == "input" else 1.0 / fan_in)
            bias_lr.append(1.0)
    return WidthScaling(sizes, parametrization, optimizer, init_std, lr, bias_lr)
