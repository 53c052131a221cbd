"""The residual MLP (Chapter 9): exact gradients, the fixes at init, ensembles, fit, errors."""
import warnings

import numpy as np
import pytest

import initlab as il

rng = np.random.default_rng(5)
X = rng.standard_normal((7, 3))
y = rng.integers(0, 3, 7)


def _grad_error(net):
    """Relative error of every gradient (weights, biases, gammas, betas, gates) vs central differences."""
    Xc, Y = net.check_Xy(X, y)
    p = net.forward_backward(Xc, Y)
    exact, numeric = [], []
    for params, grads in ((net.weights, p.grad_W), (net.biases, p.grad_b)):
        for P, G in zip(params, grads, strict=True):
            for i in np.ndindex(P.shape):
                old = P[i]
                P[i] = old + 1e-6
                up = np.sum(net.forward_backward(Xc, Y).cost)  # an ensemble: each member's own cost
                P[i] = old - 1e-6
                numeric.append((up - np.sum(net.forward_backward(Xc, Y).cost)) / 2e-6)
                P[i] = old
            exact.append(G.ravel())
    exact, numeric = np.concatenate(exact), np.array(numeric)
    return np.linalg.norm(exact - numeric) / (np.linalg.norm(exact) + np.linalg.norm(numeric))


@pytest.mark.parametrize("kwargs", [
    {}, {"fix": "fixup"}, {"fix": "zero"}, {"fix": "gate"}, {"branch_layers": 1, "fix": "gate"},
    {"branch_layers": 3, "activation": "tanh"}, {"batchnorm": True}, {"batchnorm": True, "fix": "gate"},
    {"skip": False}, {"skip": False, "batchnorm": True}, {"seed": range(2), "fix": "gate", "batchnorm": True},
])
def test_gradients_match_finite_differences(kwargs):
    kwargs = {"seed": 1, **kwargs}
    net = il.ResidualMLP(3, 3, width=4, n_blocks=3, **kwargs)
    for b in net.biases:  # move gates, gammas, betas and biases off their initial values
        b += 0.3 * rng.standard_normal(b.shape)
    if kwargs.get("fix") == "zero":
        net.weights[2] += 0.3 * rng.standard_normal(net.weights[2].shape)
    assert _grad_error(net) < 1e-6


def test_layout_of_parameters():
    net = il.ResidualMLP(3, 2, width=5, n_blocks=4, branch_layers=2, batchnorm=True, fix="gate")
    assert len(net.weights) == 1 + 4 * 2 + 1
    assert [W.shape for W in net.weights[:2]] + [net.weights[-1].shape] == [(5, 3), (5, 5), (2, 5)]
    n_act = 4 * 2 + 1  # a g (and a BatchNorm) before every branch layer and before the head
    assert len(net.biases) == len(net.weights) + 2 * n_act + 1
    np.testing.assert_array_equal(net.alpha, np.zeros(4))
    assert net.biases[-1] is net.alpha
    np.testing.assert_array_equal(il.ResidualMLP(3, 2, n_blocks=4).alpha, np.ones(4))


def test_fixes_act_on_the_same_draws():
    nets = {fix: il.ResidualMLP(3, 2, width=6, n_blocks=9, branch_layers=3, fix=fix, seed=4)
            for fix in il.residual.FIXES}
    plain = nets["none"].weights
    for j, W in enumerate(plain):
        branch = 0 < j < len(plain) - 1
        scale = 9 ** (-1 / (2 * 3 - 2)) if branch else 1.0  # Fixup: B^(-1/(2m-2))
        np.testing.assert_allclose(nets["fixup"].weights[j], scale * W, rtol=1e-15)
        last = branch and j % 3 == 0
        np.testing.assert_array_equal(nets["zero"].weights[j], 0 * W if last else W)
        np.testing.assert_array_equal(nets["gate"].weights[j], W)


@pytest.mark.parametrize("fix", ["zero", "gate"])
def test_zero_and_gate_leave_the_stream_unchanged_at_init(fix):
    zs, _ = il.ResidualMLP(3, 2, n_blocks=6, fix=fix, seed=0).forward_all(X)
    for x in zs[1:-1]:
        np.testing.assert_array_equal(x, zs[0])


def test_plain_stream_variance_doubles_per_block():
    # pre-activation branch with He layers: Var(F(x)) = Var(x), so Var(x[k]) = 2^k Var(x[0])
    net = il.ResidualMLP(256, 2, width=256, n_blocks=6, seed=range(4))
    zs, _ = net.forward_all(np.random.default_rng(0).standard_normal((256, 256)))
    growth = (zs[-2].var() / zs[0].var()) ** (1 / 6)
    assert abs(growth - 2) < 0.1


def test_ensemble_member_is_the_single_net():
    kw = dict(width=5, n_blocks=3, fix="gate", batchnorm=True)
    ens = il.ResidualMLP(3, 3, seed=[4, 7], **kw)
    single = il.ResidualMLP(3, 3, seed=7, **kw)
    for a, b in zip(ens[1].weights + ens[1].biases, single.weights + single.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ens.predict_proba(X)[1], single.predict_proba(X), rtol=1e-12)


def test_fit_steps_along_forward_backward_and_trains_the_gates():
    net = il.ResidualMLP(3, 3, width=5, n_blocks=3, fix="gate", batchnorm=True, seed=2)
    replay = net.copy()
    il.fit(net, X, y, lr=0.1, epochs=1)
    p = replay.forward_backward(*replay.check_Xy(X, y))
    assert np.all(p.grad_b[-1] != 0)
    for a, param, g in zip(net.weights + net.biases, replay.weights + replay.biases, p.grad_W + p.grad_b, strict=True):
        np.testing.assert_array_equal(a, param - 0.1 * g)
    assert np.all(net.alpha != 0)


def test_divergence_is_a_result_without_warnings():
    net = il.ResidualMLP(3, 3, width=8, n_blocks=40, seed=range(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = il.fit(net, X * 1e3, y, lr=1e3, epochs=5)
    assert np.all(hist.diverged)


def test_repr():
    text = repr(il.ResidualMLP(3, 2, width=8, n_blocks=5, fix="fixup", seed=range(3)))
    assert text.startswith("ResidualMLP(3, 2, width=8, n_blocks=5, branch_layers=2, activation='relu'")
    assert "fix='fixup'" in text and text.endswith("members=3)")


@pytest.mark.parametrize("kwargs,error,match", [
    ({"fix": "rezero"}, ValueError, "unknown fix 'rezero'; valid: fixup, gate, none, zero"),
    ({"skip": "yes"}, TypeError, "skip must be True or False, got 'yes'"),
    ({"batchnorm": 1}, TypeError, "batchnorm must be True or False, got 1"),
    ({"skip": False, "fix": "gate"}, ValueError, "with skip=False use fix='none'"),
    ({"n_blocks": 0}, ValueError, "n_blocks must be an int >= 1, got 0"),
    ({"width": 2.0}, TypeError, "width must be an int"),
    ({"activation": "nope"}, ValueError, "'nope'.*valid"),
])
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        il.ResidualMLP(3, 2, **kwargs)


def test_batchnorm_needs_two_examples():
    with pytest.raises(ValueError, match=">= 2 examples, got 1"):
        il.ResidualMLP(3, 2, batchnorm=True).predict(X[:1])


def test_per_layer_statistics_are_refused_for_a_residual_net():
    net = il.ResidualMLP(2, 2, width=4, n_blocks=2, seed=0)
    X, y = np.ones((4, 2)), np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="record_every needs a net with one z per weight layer.*ResidualMLP"):
        il.fit(net, X, y, epochs=1, record_every=1)
    with pytest.raises(ValueError, match="layer_stats needs a net with one z per weight layer.*ResidualMLP"):
        il.layer_stats(net, X, y)
    il.fit(net, X, y, epochs=1)  # without records it trains
