"""plots: each helper draws what it promises into the Axes it is given and returns them."""
import io

import matplotlib
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch

import initlab as il
from initlab import plots


pytestmark = pytest.mark.usefixtures("strict_warnings")


def axes(n=1):
    fig = Figure()
    return fig.subplots(1, n) if n > 1 else fig.add_subplot()


def render(ax):
    ax.figure.savefig(io.BytesIO(), format="png", dpi=40)  # drawing must not warn either


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def markers(ax, marker):
    return [l for l in ax.get_lines() if l.get_marker() == marker and l.get_linestyle() == "None"]


def test_layer_std_one_line_per_profile_on_a_log_scale():
    profiles = {name: il.variance_profile(10, 16, "tanh", name, m=50)
                for name in ("glorot_normal", "he_normal")}
    ax = plots.layer_std(profiles, ax=axes())
    assert ax.get_yscale() == "log"
    assert legend_texts(ax) == ["glorot_normal", "he_normal"]
    assert np.allclose(ax.get_lines()[1].get_ydata(), profiles["he_normal"]["a_std"])
    assert ax.get_lines()[0].get_xdata()[0] == 1  # layers are counted from 1
    render(ax)


def test_layer_std_variance_and_other_keys():
    p = {"run": {"a_std": np.array([1.0, 2.0, 4.0]), "grad_a_std": np.array([3.0, 1.0, 0.5])}}
    ax = plots.layer_std(p, ax=axes(), variance=True)
    assert np.allclose(ax.get_lines()[0].get_ydata(), [1, 4, 16])
    ax = plots.layer_std(p, ax=axes(), key="grad_a_std")
    assert np.allclose(ax.get_lines()[0].get_ydata(), [3, 1, 0.5])
    assert "gradient" in ax.get_ylabel()


def test_layer_std_marks_overflow_and_zeros_without_warnings():
    p = {"exploding": np.array([1.0, 1e200, np.inf, np.nan]), "zero": np.zeros(4)}
    ax = plots.layer_std(p, ax=axes(), variance=True)  # 1e200**2 overflows too
    texts = legend_texts(ax)
    assert texts[0] == "exploding (inf/nan from layer 2)"
    assert texts[1] == "zero (0 from layer 1)"
    (x,) = markers(ax, "x")
    assert x.get_color() == "red" and x.get_xdata()[0] == 2
    assert len(markers(ax, "v")) == 1
    render(ax)


def test_layer_std_rejects_bad_input():
    with pytest.raises(TypeError, match="dict"):
        plots.layer_std([1, 2, 3], ax=axes())
    with pytest.raises(TypeError, match="dict"):
        plots.layer_std({}, ax=axes())
    with pytest.raises(ValueError, match="no key 'z_std'.*a_std"):
        plots.layer_std({"run": {"a_std": np.ones(3)}}, ax=axes(), key="z_std")


def tanh_acts(m=200):
    X = np.random.default_rng(0).standard_normal((m, 20))
    net = il.MLP([20, 30, 30, 30, 30, 1], activation="tanh", init="normal", seed=1)
    return net, X, net.forward_all(X)[1][:-1]


def test_activation_histograms_one_panel_per_layer_with_stats_in_the_title():
    _, _, acts = tanh_acts()
    out = plots.activation_histograms(acts, axes=axes(4), range=(-1, 1))
    assert len(out) == 4
    for ax, a in zip(out, acts):
        (patch,) = [p for p in ax.patches if isinstance(p, StepPatch)]
        values, edges, _ = patch.get_data()
        assert np.isclose(values.sum(), 1.0) and edges[0] == -1 and edges[-1] == 1
        sat = 100 * np.mean(np.abs(a) > 0.97)
        assert f"mean {a.mean():.2g}, std {a.std():.2g}, sat. {sat:.0f}%" in ax.get_title()
    render(out[0])


def test_activation_histograms_makes_its_own_figure():
    _, _, acts = tanh_acts()
    out = plots.activation_histograms(acts)
    assert len(out) == 4 and all(ax.figure is out[0].figure for ax in out)
    with pytest.raises(ValueError, match="need 4 axes"):
        plots.activation_histograms(acts, axes=axes(2))


def test_saturation_count_is_exact():
    a = np.array([0.0, 0.5, 0.98, -0.99])
    (ax,) = plots.activation_histograms([a], axes=[axes()])
    assert "sat. 50%" in ax.get_title()
    (ax,) = plots.activation_histograms([a], axes=[axes()], saturation=None)
    assert "sat." not in ax.get_title()


def test_histograms_update_bars_in_place():
    _, _, acts = tanh_acts()
    ax4 = axes(4)
    hists = plots.Histograms(ax4, bins=30, range=(-1, 1), saturation=0.97)
    hists.update(acts)
    patches = list(hists.patches)
    n_artists = [len(ax.get_children()) for ax in ax4]
    hists.update([0.1 * a for a in acts])
    assert hists.patches == patches  # same artists, new heights
    assert [len(ax.get_children()) for ax in ax4] == n_artists
    expected = np.histogram(0.1 * acts[0], 30, (-1, 1))[0] / acts[0].size
    assert np.allclose(patches[0].get_data().values, expected)


def test_histograms_free_range_is_shared_and_follows_the_data():
    hists = plots.Histograms(axes(2), bins=10)
    hists.update([np.array([0.0, 1.0]), np.array([2.0, 3.0])])
    assert hists.patches[0].get_data().edges[[0, -1]].tolist() == [0.0, 3.0]
    hists.update([np.array([10.0, 20.0]), np.array([0.0, 5.0])])
    assert hists.patches[1].get_data().edges[[0, -1]].tolist() == [0.0, 20.0]
    assert hists.axes[1].get_xlim() == (0.0, 20.0)


def test_histograms_count_inf_and_nan_without_warnings():
    a = np.array([np.nan, np.inf, 0.5, -0.5])
    (ax,) = plots.activation_histograms([a], axes=[axes()])
    assert "2 inf/nan" in ax.get_title()
    (ax,) = plots.activation_histograms([np.full(3, np.nan)], axes=[axes()])
    assert "3 inf/nan" in ax.get_title()
    render(ax)


def test_histograms_reject_bad_settings():
    with pytest.raises(ValueError, match="bins"):
        plots.Histograms(axes(), bins=0)
    with pytest.raises(ValueError, match="range"):
        plots.Histograms(axes(), range=(1, -1))


def test_gradient_histograms_from_backward():
    net, X, _ = tanh_acts()
    y = (X[:, 0] > 0).astype(int)
    _, grads = net.backward(X, y)
    out = plots.gradient_histograms(grads["a"][:-1], axes=axes(4))
    assert all(len([p for p in ax.patches if isinstance(p, StepPatch)]) == 1 for ax in out)
    assert "gradient" in out[0].get_xlabel() and "sat." not in out[0].get_title()


def test_activation_density_one_line_per_layer():
    _, _, acts = tanh_acts()
    ax = plots.activation_density(acts, ax=axes(), range=(-1, 1))
    assert len([p for p in ax.patches if isinstance(p, StepPatch)]) == 4
    assert legend_texts(ax) == ["layer 1", "layer 2", "layer 3", "layer 4"]


def diverging_history():
    X = np.random.default_rng(0).standard_normal((50, 2))
    y = X @ np.array([1.0, -2.0])
    net = il.MLP([2, 8, 1], activation="linear", output="linear", init="normal", seed=0)
    return il.fit(net, X, y, lr=5.0, epochs=300)


def test_cost_curves_one_line_per_run_and_a_red_x_where_a_run_diverged():
    X, y, _, _ = il.datasets.circles()
    good = il.fit(il.MLP([2, 6, 1], seed=0), X, y, lr=0.1, epochs=30)
    bad = diverging_history()
    assert bad.diverged and not good.diverged
    ax = plots.cost_curves({"he": good, "too large": bad}, ax=axes())
    assert legend_texts(ax) == ["he", f"too large (diverged at epoch {bad.diverged_at})"]
    (x,) = markers(ax, "x")
    assert x.get_xdata()[0] == bad.diverged_at and x.get_color() == "red"
    assert np.isfinite(x.get_ydata()[0])
    assert ax.get_yscale() == "log"
    render(ax)


def test_cost_curves_accepts_arrays_and_linear_scale():
    ax = plots.cost_curves({"a": [1.0, 0.5, 0.25], "b": [1.0, 2.0, np.inf]}, ax=axes(), log=False)
    assert ax.get_yscale() == "linear"
    assert legend_texts(ax) == ["a", "b (diverged at epoch 2)"]
    ax = plots.cost_curves({"at once": SimpleNamespace(cost=np.array([np.inf]), diverged_at=0)}, ax=axes())
    assert len(markers(ax, "x")) == 1
    render(ax)


def test_decision_boundary_contour_and_points():
    X, y, _, _ = il.datasets.moons()
    net = il.MLP([2, 6, 3, 1], seed=0)
    ax = plots.decision_boundary(net, X, y, ax=axes(), resolution=30)
    assert any(isinstance(c, ContourSet) for c in ax.collections)
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points.get_offsets()) == len(X)
    assert legend_texts(ax) == ["class 0", "class 1"]
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        plots.decision_boundary(net, np.ones((5, 3)), np.ones(5), ax=axes())


def test_decision_boundary_softmax_and_nan_predictions():
    X, y, _, _ = il.datasets.spiral()
    y3 = (np.arange(len(y)) % 3)
    net = il.MLP([2, 5, 3], output="softmax", seed=0)
    ax = plots.decision_boundary(net, X, y3, ax=axes(), resolution=20)
    assert legend_texts(ax) == ["class 0", "class 1", "class 2"]
    net.weights[0][:] = np.nan
    ax = plots.decision_boundary(net, X, y3, ax=axes(), resolution=20)
    assert "prediction is nan" in [t.get_text() for t in ax.texts]
    render(ax)


def test_network_links_coloured_by_sign_and_sized_by_magnitude():
    net = il.MLP([2, 6, 3, 1], seed=0)
    ax = plots.network(net, ax=axes())
    (links,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(links.get_segments()) == 2 * 6 + 6 * 3 + 3 * 1
    w = np.concatenate([W.ravel() for W in net.weights])
    widths = np.asarray(links.get_linewidths())
    assert widths[np.argmax(np.abs(w))] == widths.max()
    colors = links.get_colors()
    pos, neg = np.argmax(w), np.argmin(w)
    assert colors[pos][2] > colors[pos][0] and colors[neg][0] > colors[neg][2]  # blue positive, red negative
    nodes = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in nodes) == 12
    render(ax)


def test_network_by_gradient_and_bad_arguments():
    X, y, _, _ = il.datasets.circles()
    net = il.MLP([2, 6, 3, 1], seed=0)
    _, grads = net.backward(X, y)
    ax = plots.network(net, ax=axes(), color_by="gradient", grads=grads)
    assert "dJ/dW" in legend_texts(ax)[0]
    with pytest.raises(ValueError, match="needs grads"):
        plots.network(net, ax=axes(), color_by="gradient")
    with pytest.raises(ValueError, match="valid: gradient, weight"):
        plots.network(net, ax=axes(), color_by="bias")


def test_update_ratio_one_line_per_layer_and_the_rule_of_thumb():
    X, y, _, _ = il.datasets.circles()
    net = il.MLP([2, 6, 3, 1], seed=0)
    hist = il.fit(net, X, y, lr=0.1, epochs=20, record_every=5)
    ax = plots.update_ratio(hist, ax=axes())
    assert len(ax.get_lines()) == 3 + 1
    ref = ax.get_lines()[-1]
    assert np.all(np.asarray(ref.get_ydata()) == -3)
    expected = np.log10(hist.stats["update_ratio"][:, 0])
    assert np.allclose(ax.get_lines()[0].get_ydata(), expected)
    with pytest.raises(ValueError, match="record_every"):
        plots.update_ratio(il.fit(net, X, y, epochs=2), ax=axes())


def test_chain_magnitude_follows_exact_powers_and_marks_zero():
    chains = {f"w = {w}": il.deep_linear_chain(w, 30) for w in (0.9, 1.1)}
    chains["w = 0"] = il.deep_linear_chain(0.0, 30)
    ax = plots.chain_magnitude(chains, ax=axes())
    assert ax.get_yscale() == "log"
    assert np.allclose(ax.get_lines()[1].get_ydata(), np.sqrt(2) * 1.1 ** np.arange(31))
    assert legend_texts(ax)[2] == "w = 0 (0 from depth 1)"
    ax = plots.chain_magnitude({"grad": il.deep_linear_chain(0.5, 5)}, ax=axes(), key="grad_norm")
    assert "gradient" in ax.get_ylabel()
    render(ax)


def test_helpers_draw_into_the_given_axes_only():
    before = plt.get_fignums()
    ax = axes()
    assert plots.layer_std({"a": np.ones(3)}, ax=ax) is ax
    assert plots.cost_curves({"a": np.ones(3)}, ax=ax) is ax
    assert plt.get_fignums() == before
    assert isinstance(plots.layer_std({"a": np.ones(3)}), matplotlib.axes.Axes)


def test_histograms_keep_user_ticks_and_share_y():
    fig = Figure()
    hists = plots.Histograms(fig.subplots(1, 2, sharey=True), bins=10, range=(-1, 1))
    hists.axes[0].set_xticks([-1, 0, 1])
    hists.update([np.zeros(10), np.linspace(-1, 1, 10)])
    assert list(hists.axes[0].get_xticks()) == [-1, 0, 1]
    # the spike of zeros, 1.0, plus a tenth of headroom, rounded up to 1.5: the y range moves in steps
    assert hists.axes[0].get_ylim() == hists.axes[1].get_ylim() == (0, 1.5)


def test_histogram_tops_move_in_steps_and_wrap_puts_saturation_on_its_own_line():
    fig = Figure()
    hists = plots.Histograms(fig.subplots(1, 1), bins=10, range=(-1, 1), saturation=0.97, wrap=True)
    tops = []
    for k in (0, 3, 4, 6):  # (10 + k) / (100 + k) of the values in the first bin
        hists.update([np.r_[np.full(k, -0.95), np.linspace(-0.99, 0.99, 100)]])
        tops.append(hists.axes[0].get_ylim()[1])
    assert tops == pytest.approx([0.15, 0.15, 0.15, 0.2], rel=1e-12)
    hists.update([np.linspace(-0.99, 0.99, 100)])
    assert hists.axes[0].get_title().split("\n")[-1] == "sat. 2%"  # -0.99 and 0.99 of the 100


# ensembles: median line, min-max band, an x per diverged member -------------------------------

def bands(ax):
    """The shaded bands (fill_between) of ax."""
    return [c for c in ax.collections if type(c).__name__ in ("FillBetweenPolyCollection", "PolyCollection")]


def band_limits(band, x):
    """(lowest, highest) y of the band's outline at each x (nan where the band has a gap)."""
    v = np.concatenate([p.vertices for p in band.get_paths()])
    out = np.full((len(x), 2), np.nan)
    for i, xi in enumerate(x):
        ys = v[np.isclose(v[:, 0], xi), 1]
        if ys.size:
            out[i] = ys.min(), ys.max()
    return out


def test_cost_curves_ensemble_array_is_median_and_min_max_band():
    rng = np.random.default_rng(0)
    cost = np.exp(-np.linspace(0, 2, 11))[:, None] * rng.uniform(0.5, 2.0, (11, 4))  # (epochs + 1, K)
    ax = plots.cost_curves({"he": cost, "one": cost[:, 0]}, ax=axes())
    assert legend_texts(ax) == ["he (median, min-max of 4 seeds)", "one"]
    median, single = ax.get_lines()
    assert np.allclose(median.get_ydata(), np.median(cost, axis=1))
    assert np.allclose(single.get_ydata(), cost[:, 0])  # a single run is drawn as before
    (band,) = bands(ax)
    assert np.allclose(band_limits(band, np.arange(11)), np.c_[cost.min(axis=1), cost.max(axis=1)])
    assert np.allclose(band.get_facecolor()[0][:3], matplotlib.colors.to_rgb(median.get_color()))
    assert markers(ax, "x") == []
    render(ax)


def test_cost_curves_ensemble_marks_each_diverged_member():
    cost = np.array([[4.0, 3.0, 2.0, 1.0],     # epoch 0
                     [2.0, 5.0, np.inf, 1.0],  # member 2 diverges at 1
                     [1.0, np.nan, np.nan, 1.0],  # member 1 at 2
                     [0.5, np.nan, np.nan, np.inf]])  # member 3 at 3
    ax = plots.cost_curves({"lr 5": cost}, ax=axes(), log=False)
    assert legend_texts(ax) == ["lr 5 (median, min-max of 4 seeds; 3 diverged)"]
    (x,) = markers(ax, "x")
    assert x.get_color() == "red"
    assert sorted(zip(x.get_xdata(), x.get_ydata())) == [(1, 2.0), (2, 5.0), (3, 1.0)]  # last finite cost
    # a diverged member counts as +inf: (1, 2, 5, inf) -> 3.5; (1, 1, inf, inf) -> inf, not drawn
    assert np.allclose(ax.get_lines()[0].get_ydata(), [2.5, 3.5, np.nan, np.nan], equal_nan=True)
    (band,) = bands(ax)
    assert np.allclose(band_limits(band, range(4)), [[1, 4], [1, 5], [1, 1], [0.5, 0.5]])
    render(ax)


def test_cost_curves_ensemble_diverged_at_once_is_marked_at_the_top():
    cost = np.array([[1.0, np.inf], [0.5, np.nan]])
    ax = plots.cost_curves({"r": SimpleNamespace(cost=cost, diverged_at=np.array([None, 0], dtype=object))},
                           ax=axes())
    (x,) = markers(ax, "x")
    assert x.get_xdata()[0] == 0 and x.get_ydata()[0] == 0.96  # axes fraction: top edge
    assert legend_texts(ax) == ["r (median, min-max of 2 seeds; 1 diverged)"]
    render(ax)


def test_cost_curves_of_a_real_ensemble():
    X, y, _, _ = il.datasets.circles()
    hist = il.fit(il.MLP([2, 4, 1], seed=range(3)), X, y, lr=0.1, epochs=20)
    assert hist.cost.shape == (21, 3)
    ax = plots.cost_curves({"3 seeds": hist}, ax=axes())
    assert legend_texts(ax) == ["3 seeds (median, min-max of 3 seeds)"]
    assert np.allclose(ax.get_lines()[0].get_ydata(), np.median(hist.cost, axis=1))
    assert np.allclose(band_limits(bands(ax)[0], range(21)), np.c_[hist.cost.min(1), hist.cost.max(1)])
    render(ax)


def test_cost_curves_of_a_real_ensemble_with_diverged_members():
    X = np.random.default_rng(0).standard_normal((50, 2))
    y = X @ np.array([1.0, -2.0])
    net = il.MLP([2, 8, 1], activation="linear", output="linear", init="normal", seed=range(5))
    hist = il.fit(net, X, y, lr=0.15, epochs=40)
    ats = [a for a in hist.diverged_at if a is not None]
    assert 0 < len(ats) < 5
    ax = plots.cost_curves({"lr 0.15": hist}, ax=axes())
    assert legend_texts(ax) == [f"lr 0.15 (median, min-max of 5 seeds; {len(ats)} diverged)"]
    (x,) = markers(ax, "x")
    assert sorted(x.get_xdata()) == sorted(ats)
    last = [hist.cost[a - 1, i] for i, a in enumerate(hist.diverged_at) if a is not None]
    assert sorted(x.get_ydata()) == sorted(last)
    render(ax)


def test_layer_std_ensemble_is_median_and_band():
    y = np.array([[1.0, 2.0, 4.0], [2.0, 3.0, 8.0], [3.0, 1.0, np.inf]])  # (K, L), member 2 overflows
    ax = plots.layer_std({"ens": y, "single": y[0]}, ax=axes())
    assert legend_texts(ax) == ["ens (median, min-max of 3 seeds; inf/nan in 1)", "single"]
    assert np.allclose(ax.get_lines()[0].get_ydata(), [2.0, 2.0, 8.0])  # inf counts as the largest
    assert np.allclose(band_limits(bands(ax)[0], [1, 2, 3]), [[1, 3], [1, 3], [4, 8]])
    ax = plots.layer_std({"ens": y}, ax=axes(), variance=True)
    assert np.allclose(ax.get_lines()[0].get_ydata(), [4.0, 4.0, 64.0])
    ax = plots.layer_std({"gone": np.array([[1.0, np.inf], [1.0, np.nan]])}, ax=axes())
    assert legend_texts(ax) == ["gone (median, min-max of 2 seeds; inf/nan in 2) (inf/nan from layer 2)"]
    assert len(markers(ax, "x")) == 1
    render(ax)
    with pytest.raises(ValueError, match=r"\(L,\) or \(K, L\).*got shape \(2, 2, 2\)"):
        plots.layer_std({"bad": np.ones((2, 2, 2))}, ax=axes())


def test_layer_std_of_real_ensemble_layer_stats():
    X, y, _, _ = il.datasets.circles()
    net = il.MLP([2, 6, 6, 1], activation="tanh", seed=range(4))
    st = il.layer_stats(net, X, y)
    assert st["a_std"].shape == (4, 3)
    ax = plots.layer_std({"tanh": st}, ax=axes())
    assert np.allclose(ax.get_lines()[0].get_ydata(), np.median(st["a_std"], axis=0))
    assert np.allclose(band_limits(bands(ax)[0], [1, 2, 3]),
                       np.c_[st["a_std"].min(0), st["a_std"].max(0)])
    render(ax)


def test_update_ratio_of_an_ensemble():
    X, y, _, _ = il.datasets.circles()
    hist = il.fit(il.MLP([2, 6, 3, 1], seed=range(3)), X, y, lr=0.1, epochs=20, record_every=5)
    r = hist.stats["update_ratio"]
    assert r.shape == (4, 3, 3)
    ax = plots.update_ratio(hist, ax=axes())
    assert len(ax.get_lines()) == 3 + 1
    assert ax.get_legend().get_title().get_text() == "median, min-max of 3 seeds"
    assert np.allclose(ax.get_lines()[1].get_ydata(), np.log10(np.median(r[:, :, 1], axis=1)))
    assert np.allclose(band_limits(bands(ax)[1], hist.stats_epochs),
                       np.log10(np.c_[r[:, :, 1].min(1), r[:, :, 1].max(1)]))
    render(ax)


def test_update_ratio_ensemble_with_dead_and_diverged_members():
    stats = {"update_ratio": np.array([[[1e-3, 0.0], [1e-2, np.nan]], [[np.inf, 0.0], [1e-4, np.nan]]])}
    ax = plots.update_ratio(SimpleNamespace(stats=stats, stats_epochs=np.array([0, 5])), ax=axes())
    assert np.allclose(ax.get_lines()[0].get_ydata(), [np.log10(5.5e-3), np.nan], equal_nan=True)
    assert np.isnan(ax.get_lines()[1].get_ydata()).all()  # log10(0) and nan are not drawn
    render(ax)


def test_ensemble_plots_make_their_own_axes_and_leave_rcparams_alone():
    before = dict(matplotlib.rcParams)
    ax = plots.cost_curves({"a": np.ones((3, 2))})
    assert isinstance(ax, matplotlib.axes.Axes)
    assert isinstance(plots.layer_std({"a": np.ones((2, 3))}), matplotlib.axes.Axes)
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("height", [3, 4.8])
def test_log_axes_spanning_300_decades_draw_without_overflow_warnings(height):
    fig = Figure(figsize=(5, height))
    ax = plots.cost_curves({"diverging": [1e-39, 1.0, 1e10, 1e273, np.inf]}, ax=fig.add_subplot())
    render(ax)
    lo, hi = ax.get_ylim()
    ticks = ax.get_yticks()
    assert np.count_nonzero((ticks >= lo) & (ticks <= hi)) >= 3  # labelled decades in view


def test_log_axes_tick_like_matplotlib_elsewhere():
    for lo, hi in [(1e-3, 10.0), (0.5, 0.9), (1e-12, 1e12), (2.0, 2.2)]:
        ours, theirs = axes(), axes()
        plots.cost_curves({"c": [lo, hi]}, ax=ours)
        theirs.set_yscale("log")
        ours.set_ylim(lo, hi), theirs.set_ylim(lo, hi)
        assert np.array_equal(ours.get_yticks(), theirs.get_yticks())
        assert np.array_equal(ours.yaxis.get_minorticklocs(), theirs.yaxis.get_minorticklocs())
