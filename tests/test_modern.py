"""Chapter 9's experiments and figures, on small sizes: their claims against theory, and errors."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import initlab as il  # noqa: E402

ex = il.experiments


def test_first_loss_reads_the_label_entropy_with_the_log_prior_bias():
    t = ex.first_loss(epochs=3, seed=range(2))
    H, cost = t.data["H"], t.data["cost"]
    p = t.data["priors"]
    assert abs(H + np.sum(p * np.log(p))) < 1e-12 and H < t.data["ln_K"]
    big, small, prior = cost.values()
    assert np.all(big[0] > 3) and np.all(np.abs(small[0] - np.log(10)) < 0.05)
    assert np.all(np.abs(prior[0] - H) < 0.03)
    assert t.column("epochs to reach H")[2] <= 1


def test_checklist_rows_per_layer():
    t = ex.checklist(epochs=2, seed=range(2))
    assert len(t.rows) == 3 and t.data["log_ratio"].shape == (2 * 2, 3)
    assert np.all(np.array(t.column("std of a")) > 0)


def test_residual_variance_matches_the_prediction():
    t = ex.residual_variance(n_blocks=8, width=128, m=128, seed=range(2))
    none, fixup, zero, gate = t.column(t.columns[1])
    assert abs(np.log2(none) / 8 - 1) < 0.1 and t.column("predicted")[0] == 2.0**8
    assert abs(fixup - (1 + 8**-2) ** 8) < 0.05 and zero == 1.0 and gate == 1.0
    assert t.data["var"]["none"].shape == (2, 9)


def test_batchnorm_gradients_grow_without_skips():
    t = ex.batchnorm_gradients(depth=12, width=64, m=32, seed=range(2))
    plain, bn, res = (s.median for s in t.column("growth per layer"))
    assert abs(bn - t.data["predicted"]) < 0.05 and abs(plain - 1) < 0.05 and res < bn - 0.05


def test_residual_training_runs_every_fix():
    t = ex.residual_training(n_blocks=2, width=4, epochs=3, n_train=20, seed=range(2))
    assert [r[0] for r in t.rows] == list(il.residual.FIXES)
    assert t.data["cost"]["gate"].shape == (4, 2)


def test_first_steps_zero_branches_switch_on_together_and_the_gate_does_not():
    t = ex.first_steps(steps=(0, 1), seed=range(3))  # the chapter's nets, 3 seeds
    r = t.data["ratio"]
    assert r["zero"].shape == (3, 2) and list(t.columns[1:]) == ["after 0 steps", "after 1 step"]
    np.testing.assert_allclose(r["zero"][:, 0], 1.0)  # at init a zero branch adds nothing
    np.testing.assert_allclose(r["gate"][:, 0], 1.0)
    assert r["zero"][:, 1].min() > 1.5 and np.abs(r["gate"][:, 1] - 1).max() < 0.1
    assert r["none"][:, 0].min() > 10  # the plain stack has grown already


def test_lr_sweep_shapes():
    t = ex.lr_sweep(widths=(8, 16), lrs=(0.01, 0.1), epochs=3, seed=range(2))
    assert t.data["cost"]["sp"].shape == (2, 2, 2) and len(t.rows) == 4
    assert set(t.column("best lr")) <= {0.01, 0.1}


@pytest.mark.parametrize("call,error,match", [
    (lambda: ex.residual_variance(n_blocks=0), ValueError, "n_blocks must be an int >= 1"),
    (lambda: ex.first_steps(steps=(0, -1)), ValueError, "steps must be an int >= 0"),
    (lambda: ex.lr_sweep(lrs=(0.1, -1.0)), ValueError, "lr must be > 0"),
    (lambda: ex.first_loss(factor="big"), TypeError, "factor must be a real number"),
    (lambda: ex.batchnorm_gradients(width=1.5), TypeError, "width must be an int"),
])
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_plots_draw_what_they_are_given():
    var = {"none": np.array([[1.0, 2.0, 4.0], [1.0, 2.0, 3.0]]), "gate": np.ones((2, 3))}
    ax = il.plots.stream_variance(var)
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [1.0, 2.0, 3.5])
    ax = il.plots.gradient_norms({"a": np.ones((2, 4))})
    assert ax.get_xlabel().startswith("layer")
    sweep = {"cost": {"sp": np.ones((2, 3, 2)), "mup": np.ones((2, 3, 2))}, "widths": [8, 16],
             "lrs": [0.1, 0.2, 0.4]}
    axes = il.plots.lr_curves(sweep)
    assert len(axes) == 2 and axes[0].get_xscale() == "log" and axes[1].get_title() == "muP"
    with pytest.raises(ValueError, match=r"must be \(K, n\)"):
        il.plots.stream_variance({"x": np.ones(3)})
    plt.close("all")
