"""Chapter 8's experiments against independent computations: spectra, learning time, phases, LSUV."""
import numpy as np
import pytest
from scipy import integrate

import initlab as il
from initlab import theory
from initlab.experiments import criticality, isometry


@pytest.mark.parametrize("L", [1, 4, 30])
def test_spectrum_variance_exact_cases(L):
    assert isometry.spectrum_variance("linear", "orthogonal", L, 1.0) == pytest.approx(0.0, abs=1e-12)
    assert isometry.spectrum_variance("linear", "Gaussian", L, 1.0) == pytest.approx(L, rel=1e-12)
    assert isometry.spectrum_variance("relu", "orthogonal", L, 2.0) == pytest.approx(L - 1, rel=1e-12, abs=1e-12)
    assert isometry.spectrum_variance("relu", "Gaussian", L, 2.0) == pytest.approx(2 * L - 1, rel=1e-12)
    alpha = 0.3  # leaky relu: g'^2 is 1 or alpha^2, each half the time
    per_layer = ((1 - alpha**2) / (1 + alpha**2)) ** 2
    got = isometry.spectrum_variance(il.activations.get("leaky_relu", slope=alpha), "orthogonal", L, 1.5, 0.1)
    assert got == pytest.approx((L - 1) * per_layer, rel=1e-9, abs=1e-12)


def test_spectrum_variance_of_tanh_by_adaptive_integration():
    s2, b2 = 1.3, 0.1
    q = theory.fixed_point(s2, b2)

    def moment(k):
        def h(z):
            return (1 - np.tanh(np.sqrt(q) * z) ** 2) ** (2 * k) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
        return integrate.quad(h, -40, 40, epsabs=1e-14, limit=200)[0]

    want = 5 * (moment(2) / moment(1) ** 2 - 1)
    assert isometry.spectrum_variance("tanh", "orthogonal", 6, s2, b2) == pytest.approx(want, rel=1e-8)


def test_spectrum_variance_rejects_bad_arguments():
    with pytest.raises(ValueError, match="uniform.*Gaussian"):
        isometry.spectrum_variance("tanh", "uniform", 3, 1.0)
    with pytest.raises(ValueError, match="depth"):
        isometry.spectrum_variance("tanh", "Gaussian", 0, 1.0)


@pytest.fixture(scope="module")
def spectra():
    return il.experiments.jacobian_spectra(depths=(2, 6), width=48, seed=range(3))


def test_jacobian_spectra_measure_the_predicted_spread(spectra):
    assert len(spectra.rows) == 3 * 2 * 2
    s = spectra.data["s"]["tanh", "orthogonal", 6]
    assert s.shape == (3, 2, 48) and np.all(s[..., :-1] >= s[..., 1:])  # seeds, inputs, largest first
    spread, pred = spectra.data["spread"], spectra.data["predicted"]
    assert spread["linear", "orthogonal", 6] < 1e-12
    for key in [("linear", "Gaussian", 6), ("relu", "orthogonal", 6), ("tanh", "orthogonal", 6),
                ("relu", "Gaussian", 6)]:
        assert spread[key] == pytest.approx(pred[key], rel=0.35), key
    lam = s**2  # the table's spread is the median over seeds of the mean over inputs
    own = np.median(np.mean(lam.var(axis=-1) / lam.mean(axis=-1) ** 2, axis=-1))
    assert spread["tanh", "orthogonal", 6] == pytest.approx(own, rel=1e-12)


def test_jacobian_spectra_are_the_svd_of_the_chain_rule(spectra):
    net = isometry._net("relu", "Gaussian", 2, 48, 2.0, [1])  # seed 1 is member 1 of range(3)
    X = np.random.default_rng(1).standard_normal((2, 48))
    X *= np.sqrt(48) / np.linalg.norm(X, axis=1, keepdims=True)
    W1, W2 = net.weights[0][0], net.weights[1][0]
    J = W2 @ np.diag((X[0] @ W1.T > 0).astype(float)) @ W1
    np.testing.assert_allclose(spectra.data["s"]["relu", "Gaussian", 2][1, 0], np.linalg.svd(J, compute_uv=False),
                               rtol=1e-10)


def test_saxe_depth_counts_steps_like_one_uninterrupted_fit():
    t = il.experiments.saxe_depth(depths=(1, 3), m=64, max_steps=120, chunk=7, seed=range(2))
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 16))
    Y = X @ (rng.standard_normal((16, 16)) / 4.0).T
    for weights in isometry.WEIGHTS:
        net = isometry._net("linear", weights, 3, 16, 1.0, [0, 1])
        rel = il.fit(net, X, Y, lr=0.3, epochs=120).cost / np.mean(Y**2)
        want = [np.argmax(r <= 0.05) if (r <= 0.05).any() else np.inf for r in rel.T]
        got = t.data["steps"][weights, 3]
        np.testing.assert_array_equal(got, want)
        assert t.data["cost"][weights, 3].shape[1] == 2
    assert t.columns[0] == "depth L" and t.rows[0][0] == 1 and t.rows[0][1] == "2 of 2"


def test_saxe_depth_rejects_bad_arguments():
    with pytest.raises(ValueError, match="threshold"):
        il.experiments.saxe_depth(threshold=0.0)
    with pytest.raises(TypeError, match="seed"):
        il.experiments.saxe_depth(seed="all")


def test_phase_diagram_is_chi1_on_the_grid():
    t = il.experiments.phase_diagram("tanh", sigma_w2=np.array([0.5, 2.0, 3.0]), sigma_b2=np.array([0.0, 0.2]),
                                     table_b2=(0.0, 0.1))
    chi = t.data["chi1"]
    assert chi.shape == (2, 3) and chi[1, 2] == theory.chi1(3.0, 0.2)
    assert (chi[:, 0] < 1).all() and (chi[:, 2] > 1).all()
    assert t.column("critical σ_w²")[0] == pytest.approx(1.0, abs=1e-6)
    assert theory.chi1(t.column("critical σ_w²")[1], 0.1) == pytest.approx(1.0, abs=1e-9)


def test_trainability_counts_seeds_and_uses_the_mean_field_depth():
    t = il.experiments.trainability(sigma_w2=(0.5, 2.0), depths=(3, 5), m=32, steps=4, width=8, seed=range(3))
    acc, k = t.data["accuracy"], t.data["k"]
    assert acc.shape == (2, 2, 3) and np.array_equal(k, (acc >= 0.5).sum(axis=-1))
    np.testing.assert_allclose(t.data["xi_c"], [theory.xi_c(0.5, 0.05), theory.xi_c(2.0, 0.05)], rtol=1e-12)
    assert t.column("L = 3") == tuple(f"{kk} of 3" for kk in k[:, 0])
    again = il.experiments.trainability(sigma_w2=(0.5, 2.0), depths=(3, 5), m=32, steps=4, width=8, seed=range(3))
    np.testing.assert_array_equal(again.data["accuracy"], acc)


def test_lsuv_rescue_sets_unit_variance_and_trains_only_what_it_is_asked():
    t = il.experiments.lsuv_rescue(depth=4, hidden=2, width=16, m=64, epochs=1, seed=range(2))
    rows = {(r[0], r[1]): r for r in t.rows}
    assert rows["sigmoid", "glorot_uniform"][2] == "-" and rows["tanh", "LSUV"][2] in ("0 to 1", "1 to 1")
    for how in criticality.RESCUES[1:]:
        for act in ("sigmoid", "tanh"):
            np.testing.assert_allclose(t.data["z_std"][f"{act}, {how}"], 1.0, atol=0.05)
    assert rows["tanh", "LSUV"][5:] == (None, None, None)
    assert set(t.data["accuracy"]) == {f"sigmoid, {how}" for how in criticality.RESCUES}


def test_the_exercise_checks_the_trainable_depth(capsys):
    il.check("c8_trainable_depth", -6 / np.log(theory.chi1(1.2, 0.05)))
    il.check("c8_trainable_depth", 6 * theory.xi_c(1.2, 0.05))
    il.check("c8_trainable_depth", 10.0)
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["correct", "correct"] and out[2].startswith("not quite")


def test_trainability_members_of_one_sigma_w2_train_as_if_alone():
    both = il.experiments.trainability(sigma_w2=(0.5, 2.0), depths=(3,), m=32, steps=4, width=8, seed=range(3))
    alone = il.experiments.trainability(sigma_w2=(2.0,), depths=(3,), m=32, steps=4, width=8, seed=range(3))
    np.testing.assert_array_equal(both.data["accuracy"][1], alone.data["accuracy"][0])
    assert not np.array_equal(both.data["accuracy"][0], both.data["accuracy"][1])


def test_lsuv_rescue_centring_is_what_frees_the_sigmoid_gradient():
    t = il.experiments.lsuv_rescue(activations=("sigmoid",), trained=(), depth=6, width=32, m=64, seed=range(2))
    ratio = {r[1]: r[4] for r in t.rows}  # std dJ/da, layer 1 / layer 6
    assert ratio["LSUV + centred biases"] > 3 * ratio["LSUV"] > 3 * ratio["glorot_uniform"]
