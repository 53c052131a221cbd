"""Width scaling (Chapter 9): SP vs muP exponents, and muP's width-independent first step."""
import numpy as np
import pytest

import initlab as il
from initlab.mup import WidthScaling, width_scaling


def exponents(parametrization, optimizer, field, n=256):
    """d log(multiplier) / d log(width) of each layer, from widths n and 4n."""
    a = getattr(width_scaling([10, n, n, n, 3], parametrization, optimizer), field)
    b = getattr(width_scaling([10, 4 * n, 4 * n, 4 * n, 3], parametrization, optimizer), field)
    return np.log(b / a) / np.log(4)


@pytest.mark.parametrize("parametrization,optimizer,field,want", [
    # layers: input, hidden, hidden, output
    ("sp", "sgd", "init_std", [0, -0.5, -0.5, -0.5]),
    ("sp", "sgd", "lr", [0, 0, 0, 0]),
    ("sp", "adam", "lr", [0, 0, 0, 0]),
    ("mup", "sgd", "init_std", [0, -0.5, -0.5, -1]),  # output variance 1/fan_in^2
    ("mup", "sgd", "lr", [1, 0, 0, -1]),  # input lr fan_out, hidden 1, output 1/fan_in
    ("mup", "sgd", "bias_lr", [1, 1, 1, 0]),  # biases like input weights: fan_out (3 outputs: fixed)
    ("mup", "adam", "init_std", [0, -0.5, -0.5, -1]),
    ("mup", "adam", "lr", [0, -1, -1, -1]),
    ("mup", "adam", "bias_lr", [0, 0, 0, 0]),
])
def test_scaling_exponents(parametrization, optimizer, field, want):
    np.testing.assert_allclose(exponents(parametrization, optimizer, field), want, atol=1e-12)


def first_step_change(width, parametrization, seeds=range(16)):
    """Mean |output| at init, and mean |change of the output| after one SGD step (lr relative to width 64)."""
    sizes, base = [16, width, width, 1], [16, 64, 64, 1]
    s, s0 = width_scaling(sizes, parametrization), width_scaling(base, parametrization)
    inits = [il.initializers.get("normal", std=std) for std in s.init_std]
    net = il.MLP(sizes, activation="relu", output="linear", init=inits, seed=seeds)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((64, 16)), rng.standard_normal(64)
    before = net.predict(X)
    p = net.forward_backward(*net.check_Xy(X, y))
    for l in range(net.n_layers):
        net.weights[l] -= 0.05 * s.lr[l] / s0.lr[l] * p.grad_W[l]
        net.biases[l] -= 0.05 * s.bias_lr[l] / s0.bias_lr[l] * p.grad_b[l]
    return float(np.mean(np.abs(before))), float(np.mean(np.abs(net.predict(X) - before)))


def test_mup_first_step_is_width_independent_and_sp_grows_with_width():
    (sp_out, sp), (mup_out, mup) = (np.array([first_step_change(n, par) for n in (64, 1024)]).T
                                    for par in ("sp", "mup"))
    assert sp[1] / sp[0] > 3  # SP with one lr: the output's change grows with width
    assert 0.5 < mup[1] / mup[0] < 2  # muP: Theta(1) at every width
    assert 0.7 < sp_out[1] / sp_out[0] < 1.4  # SP's output at init is Theta(1)
    assert 0.15 < mup_out[1] / mup_out[0] < 0.4  # muP's shrinks like width^-1/2: (1024 / 64)^-1/2 = 0.25


def test_repr_and_errors():
    s = width_scaling([4, 8, 8, 2])
    assert isinstance(s, WidthScaling) and repr(s).startswith("WidthScaling([4, 8, 8, 2], 'mup', 'sgd', init_std=[0.5")
    with pytest.raises(ValueError, match="unknown parametrization 'ntk'; valid: mup, sp"):
        width_scaling([4, 8, 2], "ntk")
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        width_scaling([4, 8, 2], optimizer="rmsprop")
    with pytest.raises(ValueError, match="layer_sizes must list >= 3 sizes"):
        width_scaling([4, 2])
    with pytest.raises(ValueError, match="layer size must be an int >= 1, got 0"):
        width_scaling([4, 0, 2])
