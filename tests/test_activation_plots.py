"""activation_plots: g and g' of each activation against the formulas, the flat part shaded (Chapter 1)."""
import io

import numpy as np
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

import initlab as il
from initlab import activation_plots

pytestmark = pytest.mark.usefixtures("strict_warnings")


def lines(ax, label):
    return [l for l in ax.get_lines() if l.get_label().startswith(label)]


def test_curves_match_the_formulas():
    z, a, da, flat = activation_plots.curves("tanh", z_max=5.0, n=101)
    assert z[0] == -5.0 and z[-1] == 5.0 and len(z) == 101
    np.testing.assert_allclose(a, np.tanh(z), rtol=1e-15)
    np.testing.assert_allclose(da, 1 / np.cosh(z) ** 2, rtol=1e-12, atol=1e-15)
    z, a, da, flat = activation_plots.curves("sigmoid")
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(da, s * (1 - s), rtol=1e-12, atol=1e-15)
    assert da.max() == pytest.approx(0.25)  # at z = 0, one of the 601 points
    z, a, da, flat = activation_plots.curves("relu")
    np.testing.assert_array_equal(da, (z > 0).astype(float))


def test_flat_part_is_where_the_activation_saturates():
    z, a, da, flat = activation_plots.curves("tanh")
    np.testing.assert_array_equal(flat, np.abs(z) > np.arctanh(il.activations.SATURATION))
    assert np.all(da[flat] < 1 - il.activations.SATURATION ** 2)  # |g'| small where shaded
    z, a, da, flat = activation_plots.curves("sigmoid")
    edge = np.log((1 + il.activations.SATURATION) / (1 - il.activations.SATURATION))  # |2s - 1| = 0.97
    np.testing.assert_array_equal(flat, np.abs(z) > edge)
    z, a, da, flat = activation_plots.curves("relu")
    np.testing.assert_array_equal(flat, z <= 0)


def test_one_panel_per_activation_with_g_and_its_derivative():
    axes = il.plots.activation_curves()
    assert [ax.get_title() for ax in axes] == ["sigmoid", "tanh", "relu"]
    for ax, name in zip(axes, ["sigmoid", "tanh", "relu"]):
        (g,), (dg,) = lines(ax, "g(z)"), lines(ax, "g'(z)")
        z = g.get_xdata()
        f = il.activations.get(name)
        np.testing.assert_allclose(g.get_ydata(), f(z))
        np.testing.assert_allclose(dg.get_ydata(), np.asarray(f.derivative(z, f(z)), dtype=float))
        (shade,) = [c for c in ax.collections if isinstance(c, PolyCollection)]
        shaded_z = np.concatenate([p.vertices[:, 0] for p in shade.get_paths()])
        assert np.all(f.saturated(shaded_z, f(shaded_z)))  # only the flat part is shaded
    assert lines(axes[0], "g'(z)")[0].get_label() == "g'(z), max 0.25"
    axes[0].figure.savefig(io.BytesIO(), format="png", dpi=30)


def test_draws_into_the_given_axes_and_can_skip_the_shading():
    fig = Figure()
    given = fig.subplots(1, 2)
    out = il.plots.activation_curves(given, names=["tanh", "elu"], z_max=3.0, shade=False)
    assert list(out) == list(given) and [ax.get_title() for ax in given] == ["tanh", "elu"]
    assert not any(isinstance(c, PolyCollection) for ax in given for c in ax.collections)
    assert given[0].get_xlim() == (-3.0, 3.0)
    one = Figure().add_subplot()
    assert il.plots.activation_curves(one, names=["relu"])[0] is one


def test_bad_arguments_name_the_valid_ones():
    with pytest.raises(ValueError, match="'swish'.*valid:.*tanh"):
        il.plots.activation_curves(names=["tanh", "swish"])
    with pytest.raises(TypeError, match="sequence of activation names.*valid:"):
        il.plots.activation_curves(names="tanh")
    with pytest.raises(ValueError, match="z_max must be > 0"):
        il.plots.activation_curves(z_max=0)
    with pytest.raises(ValueError, match="one Axes per name"):
        il.plots.activation_curves(Figure().subplots(1, 2))
    assert "activation_curves" in il.plots.__all__
