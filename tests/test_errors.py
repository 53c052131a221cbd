"""Bad input: every public function rejects it with an error that names the bad value (and what
is valid), and a rejected call leaves nothing half-built behind."""
import re

import numpy as np
import pytest

import initlab as il

rng = np.random.default_rng(0)
X = rng.standard_normal((20, 2))
Y = (X[:, 0] > 0).astype(np.int64)


def net(**kw):
    args = {"layer_sizes": [2, 4, 1]} | kw
    return il.MLP(args.pop("layer_sizes"), **args)


def fit(**kw):
    args = {"X": X, "y": Y, "lr": 0.1, "epochs": 3} | kw
    return il.fit(net(), args.pop("X"), args.pop("y"), **args)


def _nan_X():
    bad = X.copy()
    bad[3, 1] = np.nan
    return bad


CASES = [  # id, call, exception, pattern the message must match
    # names: the bad name and the valid ones
    ("activation", lambda: net(activation="swish"), ValueError, r"'swish'.*valid: .*relu.*tanh"),
    ("activation in list", lambda: net(layer_sizes=[2, 3, 3, 1], activation=["relu", "gelu"]),
     ValueError, r"'gelu'.*valid:"),
    ("activation param", lambda: il.activations.get("relu", slope=0.1), ValueError, r"'slope'"),
    ("output", lambda: net(output="relu"), ValueError, r"'relu'.*valid: linear, sigmoid, softmax"),
    ("loss", lambda: il.losses.get("mse"), ValueError, r"'mse'.*valid: linear, sigmoid, softmax"),
    ("init", lambda: net(init="xavier"), ValueError, r"'xavier'.*valid: .*glorot_normal.*he_normal"),
    ("init number", lambda: net(init=0.5), TypeError, r"0\.5.*constant"),
    ("optimizer", lambda: fit(optimizer="rmsprop"), ValueError, r"'rmsprop'.*valid: adam, momentum, sgd"),
    ("optimizer param", lambda: fit(optimizer="momentum", gamma=0.9), ValueError, r"'gamma'.*valid: beta"),
    ("adam beta1", lambda: fit(optimizer="adam", beta1=1.5), ValueError, r"beta1.*1\.5"),
    ("dataset", lambda: il.datasets.get("blobs"), ValueError, r"'blobs'.*valid: circles, moons"),
    ("profile activation", lambda: il.variance_profile(3, 4, activation="gelu"), ValueError, r"'gelu'.*valid"),
    ("profile init", lambda: il.variance_profile(3, 4, init="xavier"), ValueError, r"'xavier'.*valid"),
    ("profile input", lambda: il.variance_profile(3, 4, input="laplace"), ValueError,
     r"'laplace'.*valid: binary, normal, uniform"),
    # layer sizes
    ("size zero", lambda: net(layer_sizes=[2, 0, 1]), ValueError, r"layer size.*>= 1.*got 0"),
    ("size negative", lambda: net(layer_sizes=[2, -3, 1]), ValueError, r"got -3"),
    ("size float", lambda: net(layer_sizes=[2, 2.5, 1]), TypeError, r"layer size.*int.*2\.5"),
    ("size bool", lambda: net(layer_sizes=[2, True, 1]), TypeError, r"layer size.*True"),
    ("one size", lambda: net(layer_sizes=[2]), ValueError, r">= 2.*\[2\]"),
    ("no sizes", lambda: net(layer_sizes=[]), ValueError, r">= 2.*\[\]"),
    ("sizes not a list", lambda: net(layer_sizes=5), ValueError, r"layer_sizes.*5"),
    # per-layer lists
    ("activation count", lambda: net(layer_sizes=[2, 3, 3, 1], activation=["relu"]), ValueError,
     r"need 2 hidden activations.*got 1"),
    ("init count", lambda: net(init=["zeros", "ones", "zeros"]), ValueError, r"need 2 init.*got 3"),
    # X and y
    ("X features", lambda: net().predict(np.ones((5, 3))), ValueError, r"3 features.*expects 2"),
    ("X 1-D", lambda: net().cost(np.ones(4), np.ones(4)), ValueError, r"2-D.*\(4,\)"),
    ("X 3-D", lambda: net().forward_all(np.ones((2, 2, 2))), ValueError, r"2-D.*\(2, 2, 2\)"),
    ("X empty", lambda: net().predict_proba(np.ones((0, 2))), ValueError, r"no rows.*\(0, 2\)"),
    ("X ragged list", lambda: net().predict([[1.0, 2.0], [1.0]]), TypeError, r"X must be a 2-D array-like.*list"),
    ("X None", lambda: net().predict(None), TypeError, r"X must be a 2-D array-like.*None"),
    ("X strings", lambda: net().predict(np.array([["a", "b"]])), TypeError, r"real numbers.*<U1"),
    ("X NaN", lambda: fit(X=_nan_X()), ValueError, r"NaN"),
    ("X inf", lambda: net().predict(np.array([[np.inf, 0.0]])), ValueError, r"inf"),
    ("X y length", lambda: fit(y=Y[:-1]), ValueError, r"20 rows.*y has 19"),
    ("y not 0/1", lambda: fit(y=np.where(Y == 1, 2, 0)), ValueError, r"\{0, 1\}.*\[2\]"),
    ("y -1/1", lambda: net().backward(X, 2 * Y - 1), ValueError, r"\{0, 1\}.*\[-1\]"),
    ("y NaN", lambda: net(output="linear").cost(X, np.where(Y == 1, np.nan, 0.0)), ValueError, r"NaN"),
    ("y wrong columns", lambda: net(output="linear").cost(X, np.zeros((20, 3))), ValueError,
     r"\(20, 3\).*1 output"),
    ("class id too big", lambda: net(layer_sizes=[2, 4, 3], output="softmax").cost(X, np.full(20, 3)),
     ValueError, r"\[0, 2\] for 3 outputs.*\[3, 3\]"),
    ("class id negative", lambda: net(layer_sizes=[2, 4, 3], output="softmax").score(X, np.full(20, -1)),
     ValueError, r"\[0, 2\].*\[-1, -1\]"),
    ("class id fractional", lambda: net(layer_sizes=[2, 4, 3], output="softmax").cost(X, np.full(20, 0.5)),
     ValueError, r"integer class ids"),
    ("softmax y 2-D", lambda: net(layer_sizes=[2, 4, 3], output="softmax").cost(X, np.zeros((20, 3))),
     ValueError, r"shape \(m,\).*\(20, 3\)"),
    # fit arguments
    ("lr zero", lambda: fit(lr=0), ValueError, r"lr must be > 0.*got 0"),
    ("lr negative", lambda: fit(lr=-0.1), ValueError, r"lr must be > 0.*-0\.1"),
    ("lr string", lambda: fit(lr="0.1"), TypeError, r"lr must be a real number.*'0\.1'"),
    ("lr None", lambda: fit(lr=None), TypeError, r"lr must be a real number.*None"),
    ("lr nan", lambda: fit(lr=float("nan")), ValueError, r"lr must be finite.*nan"),
    ("epochs zero", lambda: fit(epochs=0), ValueError, r"epochs must be an int >= 1.*got 0"),
    ("epochs float", lambda: fit(epochs=10.0), TypeError, r"epochs must be an int.*10\.0"),
    ("batch too big", lambda: fit(batch_size=21), ValueError, r"batch_size=21.*20 training examples"),
    ("batch zero", lambda: fit(batch_size=0), ValueError, r"batch_size.*got 0"),
    ("record_every zero", lambda: fit(record_every=0), ValueError, r"record_every.*got 0"),
    ("probe_size zero", lambda: fit(record_every=1, probe_size=0), ValueError, r"probe_size.*got 0"),
    # dtypes
    ("dtype float16", lambda: net(dtype=np.float16), TypeError, r"float32 or .*float64.*float16"),
    ("dtype int", lambda: net(dtype=int), TypeError, r"float32 or .*float64.*int"),
    ("dtype str", lambda: net(dtype="complex128"), TypeError, r"complex128"),
    # seeds
    ("seed float", lambda: net(seed=1.5), TypeError, r"seed must be an int, a Generator.*1\.5"),
    ("seed str", lambda: net(seed="42"), TypeError, r"seed.*'42'"),
    ("seed bool", lambda: net(seed=True), TypeError, r"seed.*True"),
    ("seed negative", lambda: net(seed=-1), ValueError, r"seed must be a non-negative int.*-1"),
    ("fit seed", lambda: fit(batch_size=5, seed=2.0), TypeError, r"seed.*2\.0"),
    ("fit seed negative", lambda: fit(seed=-1), ValueError, r"seed.*-1"),
    ("dataset seed", lambda: il.datasets.circles(seed=-3), ValueError, r"seed.*-3"),
    ("digits seed", lambda: il.datasets.digits(seed=[1]), TypeError, r"seed.*\[1\]"),
    ("profile seed", lambda: il.variance_profile(3, 4, seed=0.5), TypeError, r"seed.*0\.5"),
    ("chain seed", lambda: il.random_chain(3, seed=-2), ValueError, r"seed.*-2"),
    # datasets
    ("n_train", lambda: il.datasets.moons(n_train=1), ValueError, r"n_train.*>= 2.*got 1"),
    ("n_test", lambda: il.datasets.spiral(n_test=0), ValueError, r"n_test.*got 0"),
    ("noise", lambda: il.datasets.xor(noise=-0.1), ValueError, r"noise.*-0\.1"),
    ("factor", lambda: il.datasets.circles(factor=1.5), ValueError, r"factor.*1\.5"),
    ("test_size", lambda: il.datasets.digits(test_size=0), ValueError, r"test_size.*got 0"),
    ("dataset kwarg", lambda: il.datasets.get("xor", turns=2), TypeError, r"turns"),
    # experiments
    ("profile depth", lambda: il.variance_profile(0, 4), ValueError, r"depth.*got 0"),
    ("profile width", lambda: il.variance_profile(3, 2.5), TypeError, r"width.*2\.5"),
    ("profile factor", lambda: il.variance_profile(3, 4, factor=-1), ValueError, r"factor.*-1"),
    ("chain w", lambda: il.deep_linear_chain("2", 3), TypeError, r"w must be a real number.*'2'"),
    ("chain w inf", lambda: il.deep_linear_chain(np.inf, 3), ValueError, r"w must be finite.*inf"),
    ("chain depth", lambda: il.deep_linear_chain(1.0, 0), ValueError, r"depth.*got 0"),
    ("random radius", lambda: il.random_chain(3, spectral_radius=0), ValueError,
     r"spectral_radius must be > 0.*0"),
    ("random n", lambda: il.random_chain(3, n=0), ValueError, r"n must be.*got 0"),
    ("layer_stats X", lambda: il.layer_stats(net(), np.ones((3, 5))), ValueError, r"5 features"),
    ("layer_stats y", lambda: il.layer_stats(net(), X, Y[:3]), ValueError, r"20 rows.*y has 3"),
]


@pytest.mark.parametrize("call,exc,pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_argument_is_named(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


MORE = [  # once engine bugs (the call failed with numpy's or Python's words); each reason says which
    ("profile init number", lambda: il.variance_profile(3, 4, init=0.5), TypeError, r"init.*0\.5",
     "stats.variance_profile passes a non-initializer init on and calls it: "
     "TypeError 'float' object is not callable"),
    ("chain x shape", lambda: il.deep_linear_chain(1.5, 3, x=[1.0, 2.0, 3.0]), ValueError,
     r"x .*\(3,\)", "stats.deep_linear_chain does not check x: numpy's matmul shape error"),
    ("chain x NaN", lambda: il.deep_linear_chain(1.5, 3, x=[np.nan, 1.0]), ValueError, r"x .*NaN",
     "stats.deep_linear_chain does not check x: NaN norms come back silently"),
    ("y scalar", lambda: net().cost(X, 1), (TypeError, ValueError), r"y .*1",
     "MLP.check_Xy calls len(y) first: TypeError object of type 'int' has no len()"),
]


@pytest.mark.parametrize("call,exc,pattern,reason", [b[1:] for b in MORE], ids=[b[0] for b in MORE])
def test_bad_argument_is_named_regressions(call, exc, pattern, reason, request):
    with pytest.raises(exc, match=pattern):
        call()


def test_unknown_name_errors_list_every_valid_choice():
    for get, bad, valid in [
        (lambda: il.MLP([2, 1], output="tanh"), "tanh", il.losses.OUTPUTS),
        (lambda: il.MLP([2, 3, 1], activation="soft"), "soft", il.activations.names()),
        (lambda: il.MLP([2, 3, 1], init="he"), "he", il.initializers.names()),
        (lambda: il.datasets.get("mnist"), "mnist", il.datasets.NAMES),
    ]:
        with pytest.raises(ValueError) as err:
            get()
        message = str(err.value)
        assert repr(bad) in message
        listed = re.search(r"valid: (.*)$", message).group(1).split(", ")
        assert sorted(listed) == sorted(valid)


# ---------------------------------------------------------------- nothing half-built


FAILED_FITS = {
    "lr": {"lr": -1.0}, "lr type": {"lr": "fast"}, "epochs": {"epochs": 0},
    "batch_size": {"batch_size": 999}, "record_every": {"record_every": 0},
    "optimizer": {"optimizer": "lbfgs"}, "optimizer param": {"optimizer": "adam", "beta3": 0.5},
    "seed": {"seed": -1}, "labels": {"y": np.full(20, 2)}, "X": {"X": np.ones((20, 3))},
    "probe_size": {"record_every": 1, "probe_size": -5},
}


@pytest.mark.parametrize("bad", list(FAILED_FITS))
def test_failed_fit_leaves_the_net_unchanged(bad):
    model = il.MLP([2, 4, 1], activation="tanh", seed=3)
    before = [p.copy() for p in model.weights + model.biases]
    args = {"X": X, "y": Y, "lr": 0.5, "epochs": 5} | FAILED_FITS[bad]
    with pytest.raises((TypeError, ValueError)):
        il.fit(model, args.pop("X"), args.pop("y"), **args)
    after = model.weights + model.biases
    assert len(after) == len(before)
    for p, q in zip(before, after):
        np.testing.assert_array_equal(p, q)
    # and the net still trains normally afterwards
    hist = il.fit(model, X, Y, lr=0.5, epochs=5)
    assert hist.cost[-1] < hist.cost[0]


def test_failed_call_does_not_consume_a_generator():
    g = np.random.default_rng(1)
    with pytest.raises(ValueError):
        il.MLP([2, 0, 1], seed=g)
    with pytest.raises(ValueError):
        il.MLP([2, 3, 1], init=["zeros"], seed=g)
    np.testing.assert_array_equal(g.standard_normal(3), np.random.default_rng(1).standard_normal(3))
