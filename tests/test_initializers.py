import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import stats

from initlab import initializers as I

C = 0.87962566103423978  # std of N(0, 1) truncated to [-2, 2]
SHAPE = (400, 500)  # fan_in 500, fan_out 400: different, so swapping them shows
N = 400 * 500
FAN_IN, FAN_OUT, FAN_AVG = 500, 400, 450

# (name, params, kind, mean, spread): spread is std for "normal", pre-truncation std for
# "truncated", the half-width for "uniform" (centred on mean), the value for "constant".
CASES = [
    ("zeros", {}, "constant", 0.0, 0.0),
    ("ones", {}, "constant", 1.0, 1.0),
    ("constant", {"value": -0.3}, "constant", -0.3, -0.3),
    ("normal", {}, "normal", 0.0, 1.0),
    ("normal", {"mean": 2.0, "std": 0.5}, "normal", 2.0, 0.5),
    ("uniform", {}, "uniform", 0.0, 1.0),
    ("uniform", {"low": 0.0, "high": 3.0}, "uniform", 1.5, 1.5),
    ("truncated_normal", {}, "truncated", 0.0, 1.0),
    ("truncated_normal", {"mean": 1.0, "std": 0.2}, "truncated", 1.0, 0.2),
    ("variance_scaling", {}, "truncated", 0.0, math.sqrt(1 / FAN_IN) / C),
    ("variance_scaling", {"distribution": "normal"}, "truncated", 0.0, math.sqrt(1 / FAN_IN) / C),
    ("variance_scaling", {"scale": 3.0, "mode": "fan_out", "distribution": "uniform"},
     "uniform", 0.0, math.sqrt(9 / FAN_OUT)),
    ("variance_scaling", {"scale": 0.5, "mode": "fan_avg", "distribution": "untruncated_normal"},
     "normal", 0.0, math.sqrt(0.5 / FAN_AVG)),
    ("glorot_uniform", {}, "uniform", 0.0, math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("glorot_normal", {}, "truncated", 0.0, math.sqrt(2 / (FAN_IN + FAN_OUT)) / C),
    ("he_uniform", {}, "uniform", 0.0, math.sqrt(6 / FAN_IN)),
    ("he_normal", {}, "truncated", 0.0, math.sqrt(2 / FAN_IN) / C),
    ("lecun_uniform", {}, "uniform", 0.0, math.sqrt(3 / FAN_IN)),
    ("lecun_normal", {}, "truncated", 0.0, math.sqrt(1 / FAN_IN) / C),
    ("xavier_uniform", {}, "uniform", 0.0, math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("xavier_uniform", {"gain": 2.0}, "uniform", 0.0, 2 * math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("xavier_normal", {}, "normal", 0.0, math.sqrt(2 / (FAN_IN + FAN_OUT))),
    ("xavier_normal", {"gain": 1.5}, "normal", 0.0, 1.5 * math.sqrt(2 / (FAN_IN + FAN_OUT))),
    ("kaiming_uniform", {}, "uniform", 0.0, math.sqrt(6 / FAN_IN)),
    ("kaiming_uniform", {"a": math.sqrt(5)}, "uniform", 0.0, 1 / math.sqrt(FAN_IN)),
    ("kaiming_normal", {}, "normal", 0.0, math.sqrt(2 / FAN_IN)),
    ("kaiming_normal", {"mode": "fan_out"}, "normal", 0.0, math.sqrt(2 / FAN_OUT)),
    ("kaiming_normal", {"nonlinearity": "tanh"}, "normal", 0.0, 5 / 3 / math.sqrt(FAN_IN)),
    ("kaiming_normal", {"nonlinearity": "leaky_relu", "a": 0.2}, "normal", 0.0,
     math.sqrt(2 / 1.04) / math.sqrt(FAN_IN)),
    ("torch_linear_default", {}, "uniform", 0.0, 1 / math.sqrt(FAN_IN)),
    ("glorot_standard", {}, "uniform", 0.0, 1 / math.sqrt(FAN_IN)),
]
IDS = [f"{n}-{'-'.join(map(str, p.values()))}" for n, p, *_ in CASES]
EXPECTED_NAMES = sorted({c[0] for c in CASES} | {"orthogonal", "identity"})


def true_std(kind, spread):
    return {"constant": 0.0, "normal": spread, "truncated": spread * C,
            "uniform": spread / math.sqrt(3)}[kind]


def exact_dist(kind, mean, spread):
    if kind == "normal":
        return stats.norm(loc=mean, scale=spread)
    if kind == "truncated":
        return stats.truncnorm(-2, 2, loc=mean, scale=spread)
    return stats.uniform(loc=mean - spread, scale=2 * spread)


@pytest.fixture(scope="module")
def draws():
    return {i: I.get(n, **p)(SHAPE, 1234) for i, (n, p, *_) in zip(IDS, CASES)}


def test_names_lists_every_initializer():
    assert I.names() == EXPECTED_NAMES  # in sorted order: EXPECTED_NAMES is sorted
    for name in I.names():  # and each listed name is one that get accepts and draws with
        W = I.get(name)((4, 4), 0)
        assert W.shape == (4, 4) and np.all(np.isfinite(W)), name


def test_get_unknown_name_lists_valid():
    with pytest.raises(ValueError, match="'he_nromal'") as err:
        I.get("he_nromal")
    assert "he_normal" in str(err.value) and "kaiming_uniform" in str(err.value)


@pytest.mark.parametrize("name, params, bad, listed", [
    ("normal", {"sd": 1.0}, "'sd'", "mean, std"),
    ("he_normal", {"scale": 2.0}, "'scale'", "none"),
    ("kaiming_normal", {"slope": 0.1}, "'slope'", "a, mode, nonlinearity"),
])
def test_get_unknown_param_lists_valid(name, params, bad, listed):
    with pytest.raises(ValueError, match=bad) as err:
        I.get(name, **params)
    assert listed in str(err.value)


@pytest.mark.parametrize("name, params, match", [
    ("normal", {"std": -1.0}, "std"),
    ("truncated_normal", {"std": -0.1}, "std"),
    ("uniform", {"low": 1.0, "high": 1.0}, "low"),
    ("variance_scaling", {"scale": 0.0}, "scale"),
    ("variance_scaling", {"mode": "fan"}, "fan_avg"),
    ("variance_scaling", {"distribution": "gauss"}, "untruncated_normal"),
    ("kaiming_uniform", {"mode": "fan_avg"}, "fan_out"),
    ("kaiming_normal", {"nonlinearity": "gelu"}, "leaky_relu"),
    ("xavier_normal", {"gain": float("nan")}, "gain"),
    ("orthogonal", {"gain": -1.0}, "gain"),
])
def test_get_bad_param_value(name, params, match):
    with pytest.raises(ValueError, match=match):
        I.get(name, **params)


@pytest.mark.parametrize("shape", [0, -3, 2.5, (), (3, 0), (3, -1), (3, 2.0), "3", None, True])
def test_bad_shape(shape):
    with pytest.raises(ValueError, match="shape"):
        I.get("he_normal")(shape, 0)
    with pytest.raises(ValueError, match="shape"):
        I.get("he_normal").std(shape)


@pytest.mark.parametrize("rng", [1.5, "7", None, [1, 2], np.random.default_rng])
def test_bad_rng_type(rng):
    with pytest.raises(TypeError, match="rng"):
        I.get("glorot_uniform")((3, 4), rng)


@pytest.mark.parametrize("dtype", [np.int32, "int64", np.float16, complex, "nope"])
def test_bad_dtype(dtype):
    with pytest.raises(TypeError, match="dtype"):
        I.get("glorot_uniform")((3, 4), 0, dtype=dtype)


@pytest.mark.parametrize("shape, expected", [
    ((7,), (7, 7)), (7, (7, 7)), ((3, 5), (5, 3)), ((16, 3, 5), (15, 80)),
    ((16, 3, 3, 3), (27, 144)), ((8, 4, 2, 3, 5), (120, 240)), ((1, 1), (1, 1)),
])
def test_fans(shape, expected):
    assert I.fans(shape) == expected


@pytest.mark.parametrize("nonlinearity, param, expected", [
    ("linear", None, 1.0), ("conv1d", None, 1.0), ("conv2d", None, 1.0), ("conv3d", None, 1.0),
    ("conv_transpose1d", None, 1.0), ("conv_transpose2d", None, 1.0),
    ("conv_transpose3d", None, 1.0), ("sigmoid", None, 1.0), ("tanh", None, 5.0 / 3),
    ("relu", None, math.sqrt(2.0)), ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
    ("leaky_relu", 0, math.sqrt(2.0)), ("leaky_relu", 0.2, math.sqrt(2 / 1.04)),
    ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)), ("selu", None, 0.75),
])
def test_gain(nonlinearity, param, expected):
    assert I.gain(nonlinearity, param) == pytest.approx(expected, rel=1e-15)


def test_gain_exact_and_unknown():
    assert I.gain("tanh") == 5 / 3
    assert I.gain("relu") == math.sqrt(2)
    with pytest.raises(ValueError, match="'gelu'") as err:
        I.gain("gelu")
    assert "leaky_relu" in str(err.value) and "tanh" in str(err.value)


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_shape_and_dtype(case, dtype):
    init = I.get(case[0], **case[1])
    for shape in [(3, 4), (5,), 6, (2, 3, 4, 5)]:
        W = init(shape, 0, dtype=dtype)
        assert W.shape == ((shape,) if isinstance(shape, int) else shape) and W.dtype == dtype
        assert np.all(np.isfinite(W))
    assert init((2, 3), 0).dtype == np.float64


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_moments_bounds_and_std(case, draws):
    name, params, kind, mean, spread = case
    W = draws[IDS[CASES.index(case)]]
    init, sigma = I.get(name, **params), true_std(kind, spread)
    assert init.std(SHAPE) == pytest.approx(sigma, rel=1e-12, abs=1e-300)
    if kind == "constant":
        assert np.all(W == mean)
        return
    assert abs(W.mean() - mean) < 5 * sigma / math.sqrt(N)
    # the normal's 4th moment bounds those of the uniform and the truncated normal
    assert abs(W.var() - sigma**2) < 5 * sigma**2 * math.sqrt(2 / N)
    assert abs(W.std() - init.std(SHAPE)) < 5 * sigma / math.sqrt(2 * N)
    if kind == "uniform":
        assert np.all(np.abs(W - mean) <= spread) and np.abs(W - mean).max() > 0.999 * spread
    if kind == "truncated":
        assert np.all(np.abs(W - mean) <= 2 * spread) and np.abs(W - mean).max() > 1.99 * spread
    if kind == "normal":
        assert np.abs(W - mean).max() > 3.5 * spread
    assert stats.kstest(W.ravel(), exact_dist(kind, mean, spread).cdf).pvalue > 1e-3


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_float32_is_rounded_float64_and_seed_is_deterministic(case):
    init = I.get(case[0], **case[1])
    W = init((30, 20, 3), 99)
    assert np.array_equal(W, init((30, 20, 3), 99))
    assert np.array_equal(W, init((30, 20, 3), np.random.default_rng(99)))
    assert np.array_equal(init((30, 20, 3), 99, dtype=np.float32), W.astype(np.float32))


def test_generator_advances_and_randomstate_works():
    init, rng = I.get("he_normal"), np.random.default_rng(0)
    assert not np.array_equal(init((5, 5), rng), init((5, 5), rng))
    rs1, rs2 = np.random.RandomState(5), np.random.RandomState(5)
    assert np.array_equal(init((5, 5), rs1), init((5, 5), rs2))


def test_fresh_array_and_no_draws_for_deterministic():
    zeros = I.get("zeros")
    W = zeros((2, 2), 0)
    W[0, 0] = 5.0
    assert np.all(zeros((2, 2), 0) == 0)
    for name in ["zeros", "ones", "constant", "identity"]:
        rng = np.random.default_rng(1)
        state = rng.bit_generator.state
        I.get(name)((3, 3), rng)
        assert rng.bit_generator.state == state


@pytest.mark.parametrize("g", [1.0, 2.5])
@pytest.mark.parametrize("shape", [(30, 30), (50, 20), (20, 50), (16, 3, 3, 3), (64, 3, 3, 3), (1, 7)])
def test_orthogonal(shape, g):
    init = I.get("orthogonal", gain=g)
    W = init(shape, 3)
    assert W.shape == shape
    M = W.reshape(shape[0], -1)
    rows, cols = M.shape
    G = M @ M.T if rows <= cols else M.T @ M
    np.testing.assert_allclose(G, g**2 * np.eye(min(rows, cols)), rtol=0, atol=1e-10)
    assert init.std(shape) == pytest.approx(g / math.sqrt(max(rows, cols)), rel=1e-15)
    assert math.sqrt(np.mean(W**2)) == pytest.approx(init.std(shape), rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape", [(40, 6), (6, 40), (6, 4, 5)])
def test_orthogonal_documented_draw_and_sign_fix(shape, seed):
    # one standard_normal((max, min)) draw A = q r; q *= sign(diag(r)) makes r = q.T @ A upper
    # triangular with a positive diagonal
    rows, cols = shape[0], math.prod(shape[1:])
    A = np.random.default_rng(seed).standard_normal((max(rows, cols), min(rows, cols)))
    M = I.get("orthogonal", gain=2.0)(shape, seed).reshape(rows, cols) / 2.0
    R = (M if rows >= cols else M.T).T @ A
    np.testing.assert_allclose(np.tril(R, -1), 0, atol=1e-10)
    assert np.all(np.diag(R) > 0)


def test_orthogonal_is_haar_random_and_needs_a_matrix():
    # each entry of a Haar orthogonal n x n matrix is a coordinate of a uniform point on the sphere
    n = 100
    W = I.get("orthogonal")((n, n), 0)
    sphere = stats.beta((n - 1) / 2, (n - 1) / 2, loc=-1, scale=2)
    assert stats.kstest(W.ravel(), sphere.cdf).pvalue > 1e-3
    assert not np.allclose(W, I.get("orthogonal")((n, n), 1))
    with pytest.raises(ValueError, match="orthogonal"):
        I.get("orthogonal")((5,), 0)


@pytest.mark.parametrize("shape", [(3, 3), (3, 5), (6, 2), (1, 1)])
def test_identity(shape):
    init = I.get("identity", gain=2.0)
    W = init(shape, 0)
    np.testing.assert_array_equal(W, 2.0 * np.eye(*shape))
    assert init.std(shape) == pytest.approx(W.std(), rel=1e-12, abs=1e-15)
    with pytest.raises(ValueError, match="2-D"):
        init((3, 3, 3), 0)
    with pytest.raises(ValueError, match="2-D"):
        init.std((4,))


def test_specific_formulas():
    shape, fan_in, fan_out = (300, 700), 700, 300
    W = I.get("glorot_uniform")(shape, 0)
    limit = math.sqrt(6 / (fan_in + fan_out))
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.999 * limit
    W = I.get("lecun_uniform")(shape, 0)
    limit = math.sqrt(3 / fan_in)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.999 * limit
    W = I.get("torch_linear_default")(shape, 0)
    limit = 1 / math.sqrt(fan_in)
    assert np.abs(W).max() <= limit and np.abs(W).max() > 0.999 * limit
    tol = 5 / math.sqrt(2 * W.size)
    assert I.get("he_normal")(shape, 0).std() == pytest.approx(math.sqrt(2 / fan_in), rel=tol)
    W = I.get("kaiming_normal", mode="fan_out")(shape, 0)
    assert W.std() == pytest.approx(math.sqrt(2 / fan_out), rel=tol)
    W = I.get("xavier_normal", gain=3.0)(shape, 0)
    assert W.std() == pytest.approx(3 * math.sqrt(2 / (fan_in + fan_out)), rel=tol)


def test_repr_name_params():
    assert repr(I.get("he_normal")) == "he_normal()"
    init = I.get("kaiming_normal", nonlinearity="relu")
    assert repr(init) == "kaiming_normal(a=0, mode='fan_in', nonlinearity='relu')"
    assert init.name == "kaiming_normal"
    assert init.params == {"a": 0, "mode": "fan_in", "nonlinearity": "relu"}
    assert "std=10" in repr(I.get("normal", std=10))
    assert isinstance(init, I.Initializer)


def test_scaled():
    base = I.get("he_normal")
    for s in [I.scaled(base, 10), base * 10, 10 * base]:
        assert isinstance(s, I.Initializer)
        assert repr(s) == s.name == "scaled(he_normal(), 10)"
        assert np.array_equal(s((20, 30), 4), 10 * base((20, 30), 4))
        assert s.std((20, 30)) == pytest.approx(10 * base.std((20, 30)), rel=1e-15)
    assert np.array_equal((base * np.float64(5))((3, 3), 1), 5 * base((3, 3), 1))
    zero = I.scaled(base, 0)
    assert np.all(zero((20, 30), 4) == 0) and zero.std((20, 30)) == 0.0
    assert np.array_equal(I.scaled(base, 10)((4, 4), 2, np.float32), (10 * base((4, 4), 2)).astype(np.float32))
    with pytest.raises(TypeError):
        I.scaled(lambda shape, rng: 0, 2.0)
    with pytest.raises(TypeError):
        base * "2"
    with pytest.raises(ValueError, match="factor"):
        I.scaled(base, float("inf"))


def test_replay_published_randomstate_runs():
    init = I.get("kaiming_normal", nonlinearity="relu")
    ours, theirs = np.random.RandomState(3), np.random.RandomState(3)
    for shape in [(10, 2), (5, 10), (1, 5)]:
        expected = theirs.randn(*shape) * np.sqrt(2.0 / shape[1])
        np.testing.assert_allclose(init(shape, ours), expected, rtol=1e-15, atol=0)
    ours, theirs = np.random.RandomState(3), np.random.RandomState(3)
    np.testing.assert_array_equal(I.get("normal", std=10)((4, 6), ours), theirs.randn(4, 6) * 10)


@st.composite
def shapes(draw, budget=20_000):
    dims, size = [], 1
    for _ in range(draw(st.integers(1, 4))):
        dims.append(draw(st.integers(1, min(50, budget // size))))
        size *= dims[-1]
    return tuple(dims)


DTYPES = st.sampled_from([np.float32, np.float64])


def within(W, bound):  # |W| <= bound once bound is rounded like W (rounding is monotone)
    return np.all(np.abs(W) <= W.dtype.type(bound * (1 + 1e-12)))


@settings(max_examples=60, deadline=None)
@given(shapes(), st.floats(0.01, 10, exclude_min=True), st.sampled_from(["fan_in", "fan_out", "fan_avg"]),
       st.sampled_from(["truncated_normal", "untruncated_normal", "normal", "uniform"]), DTYPES,
       st.integers(0, 2**32))
def test_property_variance_scaling(shape, scale, mode, distribution, dtype, seed):
    W = I.get("variance_scaling", scale=scale, mode=mode, distribution=distribution)(shape, seed, dtype)
    assert W.shape == shape and W.dtype == dtype and np.all(np.isfinite(W))
    fan_in, fan_out = I.fans(shape)
    fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    variance = scale / max(1.0, fan)
    if distribution == "uniform":
        assert within(W, math.sqrt(3 * variance))
    elif distribution != "untruncated_normal":
        assert within(W, 2 * math.sqrt(variance) / C)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(EXPECTED_NAMES), shapes(), DTYPES, st.integers(0, 2**32))
def test_property_every_initializer(name, shape, dtype, seed):
    init = I.get(name)
    if (name == "identity" and len(shape) != 2) or (name == "orthogonal" and len(shape) < 2):
        with pytest.raises(ValueError):
            init(shape, seed, dtype)
        return
    W = init(shape, seed, dtype)
    assert W.shape == shape and W.dtype == dtype and np.all(np.isfinite(W))
    assert math.isfinite(init.std(shape)) and init.std(shape) >= 0
    if name.endswith("uniform") or name in ("torch_linear_default", "glorot_standard"):
        assert within(W, init.std(shape) * math.sqrt(3))
    if name.endswith("normal") and not name.startswith(("xavier", "kaiming")) and name != "normal":
        assert within(W, 2 * init.std(shape) / C)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["kaiming_uniform", "kaiming_normal"]), st.floats(-5, 5),
       st.sampled_from(["fan_in", "fan_out"]), st.sampled_from(sorted(I.GAINS)), shapes(),
       st.floats(-10, 10), st.integers(0, 2**32))
def test_property_kaiming_and_scaled(name, a, mode, nonlinearity, shape, factor, seed):
    base = I.get(name, a=a, mode=mode, nonlinearity=nonlinearity)
    W = base(shape, seed)
    fan = I.fans(shape)[0 if mode == "fan_in" else 1]
    std = I.gain(nonlinearity, a) / math.sqrt(fan)
    assert base.std(shape) == pytest.approx(std, rel=1e-12)
    if name == "kaiming_uniform":
        assert within(W, math.sqrt(3) * std)
    S = base * factor
    assert np.array_equal(S(shape, seed), W * factor)
    assert S.std(shape) == pytest.approx(abs(factor) * base.std(shape), rel=1e-12, abs=1e-300)
