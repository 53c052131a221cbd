"""Chapter 8's figures: what each signal_plots helper draws, from small hand-made data."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import initlab as il  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def spectra_data():
    s = {("tanh", "Gaussian", 4): np.array([[[3.0, 1.0, 1e-9]]]), ("tanh", "orthogonal", 4): np.ones((1, 1, 3)),
         ("relu", "Gaussian", 4): np.ones((1, 1, 3))}
    return {"s": s, "depths": (4,)}


def test_jacobian_spectrum_draws_one_histogram_per_weight_kind():
    ax = il.plots.jacobian_spectrum(spectra_data(), "tanh", depth=4)
    assert isinstance(ax, matplotlib.axes.Axes) and ax.get_title() == "tanh, L = 4"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Gaussian", "orthogonal"]
    heights = [p.get_path().vertices[:, 1].max() for p in ax.patches]
    assert heights == pytest.approx([1 / 3, 1.0])  # shares: Gaussian's three values in three bins
    first_bin = ax.patches[0].get_path().vertices  # the tiny 1e-9 lands in the first bin
    assert first_bin[:, 1][np.argmin(first_bin[:, 0]) + 1] == pytest.approx(1 / 3)


def test_jacobian_spectrum_rejects_unknown_keys_and_data():
    with pytest.raises(ValueError, match="activation='linear'.*valid"):
        il.plots.jacobian_spectrum(spectra_data(), "linear", depth=4)
    with pytest.raises(ValueError, match="jacobian_spectra"):
        il.plots.jacobian_spectrum({"x": 1})


def test_steps_to_threshold_draws_medians_capped_at_max_steps():
    steps = {("Gaussian", 1): np.array([10.0, 20.0, 30.0]), ("Gaussian", 2): np.array([np.inf, np.inf, 50.0]),
             ("orthogonal", 1): np.array([5.0, 5.0, 7.0]), ("orthogonal", 2): np.array([4.0, 6.0, 8.0])}
    ax = il.plots.steps_to_threshold({"steps": steps, "depths": (1, 2), "max_steps": 100})
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    np.testing.assert_array_equal(lines["Gaussian (median, min-max)"].get_ydata(), [20.0, 100.0])
    np.testing.assert_array_equal(lines["orthogonal (median, min-max)"].get_ydata(), [5.0, 6.0])
    assert ax.get_yscale() == "log" and "not reached within 100 steps" in lines


def test_phase_diagram_draws_chi1_and_the_critical_contour():
    w, b = np.linspace(0.5, 3.0, 6), np.array([0.0, 0.1, 0.2])
    chi = np.array([[il.theory.chi1(x, y) for x in w] for y in b])
    ax = il.plots.phase_diagram({"chi1": chi, "sigma_w2": w, "sigma_b2": b, "activation": "tanh"}, mark=(1.5, 0.1))
    mesh = [c for c in ax.collections if isinstance(c, matplotlib.collections.QuadMesh)][0]
    np.testing.assert_allclose(np.asarray(mesh.get_array()).ravel(), np.log2(chi).ravel())
    assert any(ln.get_label().startswith("σ_w² = 1.5") for ln in ax.get_lines())
    assert ax.get_xlabel() == "σ_w²" and ax.get_ylabel() == "σ_b²"


def test_trainability_marks_every_cell_and_draws_six_xi():
    k = np.array([[2, 0], [2, 2]])
    data = {"k": k, "accuracy": np.zeros((2, 2, 2)), "sigma_w2": np.array([0.5, 2.0]), "depths": (4, 8),
            "xi_curve": (np.array([0.5, 1.0, 1.76, 2.0]), np.array([1.2, 3.6, np.inf, 4.2]))}
    ax = il.plots.trainability(data)
    assert sorted(t.get_text() for t in ax.texts) == ["0", "2", "2", "2"]
    line = [ln for ln in ax.get_lines() if ln.get_label().startswith("6 ξ_c")][0]
    np.testing.assert_allclose(line.get_ydata(), [7.2, 21.6, 1e6, 25.2])
    with pytest.raises(ValueError, match="trainability"):
        il.plots.trainability({"k": k})


def test_the_helpers_draw_into_a_given_axes():
    fig, ax = plt.subplots()
    assert il.plots.jacobian_spectrum(spectra_data(), "relu", depth=4, ax=ax) is ax
