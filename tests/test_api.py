"""The engine's public surface: the named pass, array-likes, get functions, presets, module boundaries."""
import ast
import pathlib

import numpy as np
import pytest

import initlab as il

SRC = pathlib.Path(il.__file__).parent
rng = np.random.default_rng(0)
X = rng.standard_normal((30, 3))
y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)


@pytest.mark.parametrize("seed", [1, range(3)])
def test_forward_backward_is_backward_with_names(seed):
    net = il.MLP([3, 6, 4, 1], activation="tanh", seed=seed)
    cost, grads = net.backward(X, y)
    Xc, Y = net.check_Xy(X, y)
    p = net.forward_backward(Xc, Y, keep=True)
    assert isinstance(p, il.Pass) and p._fields == ("cost", "zs", "acts", "grad_W", "grad_b", "grad_a", "grad_z")
    np.testing.assert_array_equal(p.cost, cost)
    for field, key in [("grad_W", "W"), ("grad_b", "b"), ("grad_a", "a"), ("grad_z", "z")]:
        for got, want in zip(getattr(p, field), grads[key], strict=True):
            np.testing.assert_array_equal(got, want)
    zs, acts = net.forward_all(X)
    for got, want in zip(p.zs + p.acts, zs + acts, strict=True):
        np.testing.assert_array_equal(got, want)
    lean = net.forward_backward(Xc, Y)
    assert lean.grad_a is None and lean.grad_z is None
    for got, want in zip(lean.grad_W + lean.grad_b, p.grad_W + p.grad_b, strict=True):
        np.testing.assert_array_equal(got, want)


def test_fit_steps_along_forward_backward():
    # one full-batch SGD epoch of fit is p -= lr * g with the gradients of forward_backward
    net = il.MLP([3, 5, 1], seed=2)
    replay = net.copy()
    il.fit(net, X, y, lr=0.3, epochs=1)
    p = replay.forward_backward(*replay.check_Xy(X, y))
    for param, g in zip(replay.weights + replay.biases, p.grad_W + p.grad_b):
        param -= 0.3 * g
    for a, b in zip(net.weights + net.biases, replay.weights + replay.biases, strict=True):
        np.testing.assert_array_equal(a, b)


def test_pass_repr_is_short():
    net = il.MLP([3, 50, 1], seed=0)
    text = repr(net.forward_backward(*net.check_Xy(X, y), keep=True))
    assert text.startswith("Pass(cost=") and "grad_z" in text and "array" not in text and len(text) < 120


@pytest.mark.parametrize("seed", [0, range(2)])
def test_X_and_y_accept_array_likes_alike(seed):
    net, twin = (il.MLP([3, 4, 1], seed=seed) for _ in range(2))
    Xl, yl = X.tolist(), tuple(y.tolist())
    np.testing.assert_array_equal(net.predict(Xl), net.predict(X))
    np.testing.assert_array_equal(net.score(Xl, yl), net.score(X, y))
    np.testing.assert_array_equal(net.cost(Xl, list(yl)), net.cost(X, y))
    for key, v in il.layer_stats(net, Xl, yl).items():
        np.testing.assert_array_equal(v, il.layer_stats(net, X, y)[key], err_msg=key)
    h1, h2 = il.fit(net, Xl, yl, lr=0.1, epochs=5), il.fit(twin, X, y, lr=0.1, epochs=5)
    np.testing.assert_array_equal(h1.cost, h2.cost)


@pytest.mark.parametrize("module,name,params,cls", [
    (il.activations, "leaky_relu", {"slope": 0.2}, il.activations.Activation),
    (il.initializers, "he_normal", {}, il.initializers.Initializer),
    (il.initializers, "normal", {"std": 2.0}, il.initializers.Initializer),
    (il.losses, "softmax", {}, il.losses.Softmax),
])
def test_get_takes_a_name_or_an_instance_alike(module, name, params, cls):
    made = module.get(name, **params)
    assert isinstance(made, cls) and made.name == name
    assert module.get(made) is made
    with pytest.raises(ValueError, match="'nope'.*valid:"):
        module.get("nope")
    if params:
        with pytest.raises(ValueError, match="go with .* name"):
            module.get(made, **params)


def test_mlp_takes_instances_of_every_part():
    net = il.MLP([3, 4, 2], activation=il.activations.get("tanh"), output=il.losses.get("softmax"),
                 init=il.initializers.get("glorot_uniform"), seed=0)
    named = il.MLP([3, 4, 2], activation="tanh", output="softmax", init="glorot_uniform", seed=0)
    assert net.output == "softmax"
    np.testing.assert_array_equal(net.predict(X), named.predict(X))


def test_activation_gain_is_the_gain_table():
    for name in il.activations.names():
        act = il.activations.get(name)
        if name in il.initializers.GAINS:
            assert act.gain == il.initializers.gain(name)
        else:  # PyTorch defines no gain for elu
            with pytest.raises(ValueError, match=repr(name)):
                act.gain
    assert il.activations.get("leaky_relu", slope=0.2).gain == il.initializers.gain("leaky_relu", 0.2)


def test_explorer_presets_are_the_initializers_presets():
    pytest.importorskip("ipywidgets")
    assert il.widgets.HISTOGRAM_INITS is il.initializers.HISTOGRAM_PRESETS
    assert il.widgets.PLAYGROUND_INITS is il.initializers.PLAYGROUND_PRESETS
    p, shape = il.initializers.PLAYGROUND_PRESETS, (30, 40)
    assert p["Appropriate"].std(shape) == pytest.approx(1 / np.sqrt(40), rel=1e-12)  # N(0, 1/n_in)
    assert p["Too small"].std(shape) == pytest.approx(0.1 * p["Appropriate"].std(shape), rel=1e-12)
    assert p["Too large"].std(shape) == pytest.approx(10 * p["Appropriate"].std(shape), rel=1e-12)


def _private_reaches(path):
    """obj._name with obj neither self nor cls, and `from .module import _name`, in one source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.level:
            found += [f"{path.name}:{node.lineno} import {a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_no_module_reaches_into_another_modules_private_members():
    reaches = [r for path in sorted(SRC.glob("*.py")) for r in _private_reaches(path)]
    assert reaches == []


def test_the_private_member_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from .mlp import _x\n\ndef f(net):\n    return net._out\n")
    assert len(_private_reaches(bad)) == 2
