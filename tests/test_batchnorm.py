"""BatchNorm (Chapter 9): normalized outputs, exact backward against finite differences, errors."""
import numpy as np
import pytest

import initlab as il

rng = np.random.default_rng(3)


def _numeric(f, x, h=1e-6):
    """Central differences of the scalar f() with respect to every entry of x (changed in place)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        g[i] = (up - f()) / (2 * h)
        x[i] = old
    return g


def _rel(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4)])  # one net, and an ensemble of 3
def test_backward_matches_finite_differences(shape):
    z = rng.standard_normal(shape) * 3 + 1
    gamma, beta = rng.standard_normal(shape[:-2] + shape[-1:]), rng.standard_normal(shape[:-2] + shape[-1:])
    dout = rng.standard_normal(shape)

    def loss():  # a scalar whose gradient with respect to the output is dout
        return float(np.sum(il.batch_norm(z, gamma, beta)[0] * dout))

    dz, dgamma, dbeta = il.batch_norm_backward(dout, il.batch_norm(z, gamma, beta)[1])
    for exact, x in ((dz, z), (dgamma, gamma), (dbeta, beta)):
        assert _rel(exact, _numeric(loss, x)) < 1e-6


def test_output_has_mean_beta_and_std_gamma_per_unit():
    z = rng.standard_normal((200, 3)) * [1.0, 10.0, 0.1] + [5.0, -2.0, 0.0]
    gamma, beta = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0])
    out, _ = il.batch_norm(z, gamma, beta, eps=0.0)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-12)


def test_gradient_is_blind_to_shifts_and_scales_of_a_unit():
    # with eps = 0 the output ignores a unit's shift and scale: dz sums to 0, is orthogonal to z - mean
    z = rng.standard_normal((10, 4))
    cache = il.batch_norm(z, np.ones(4), np.zeros(4), eps=0.0)[1]
    dz, _, _ = il.batch_norm_backward(rng.standard_normal((10, 4)), cache)
    np.testing.assert_allclose(dz.sum(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(np.sum(dz * (z - z.mean(axis=0)), axis=0), 0, atol=1e-10)


def test_layer_forward_backward_and_repr():
    bn = il.BatchNorm(4, eps=1e-3)
    z = rng.standard_normal((8, 4))
    out, cache = bn.forward(z)
    np.testing.assert_allclose(out, il.batch_norm(z, np.ones(4), np.zeros(4), eps=1e-3)[0])
    dz, dgamma, dbeta = bn.backward(np.ones_like(out), cache)
    np.testing.assert_allclose(dbeta, 8.0)
    assert repr(bn) == "BatchNorm(4, eps=0.001, dtype=float64)"


@pytest.mark.parametrize("args,kwargs,error,match", [
    ((0,), {}, ValueError, "n_units must be an int >= 1, got 0"),
    ((2.5,), {}, TypeError, "n_units must be an int"),
    ((4,), {"eps": 0.0}, ValueError, "eps must be > 0"),
    ((4,), {"dtype": np.int32}, TypeError, "dtype must be np.float32 or np.float64"),
])
def test_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        il.BatchNorm(*args, **kwargs)


def test_bad_inputs():
    bn = il.BatchNorm(4)
    with pytest.raises(ValueError, match=r"shape \(m, 4\), got \(8, 3\)"):
        bn.forward(np.zeros((8, 3)))
    with pytest.raises(ValueError, match=">= 2 examples, got 1"):
        bn.forward(np.zeros((1, 4)))
