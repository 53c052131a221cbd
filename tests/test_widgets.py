"""widgets: every control of every explorer redraws in both sizes; ensembles; fast frames equal full ones."""
import asyncio
import concurrent.futures
import io

import ipywidgets as ipw
import numpy as np
import pytest
from matplotlib.patches import StepPatch
from PIL import Image

from initlab import frames, views, widgets
from initlab.variance_view import variance_band
from initlab.explorer import options as offered


pytestmark = pytest.mark.usefixtures("strict_warnings")
SIZES = ["notebook", "projector"]


def options(control):
    """Every option of a discrete control; min, middle and max of a continuous one."""
    if isinstance(control, (ipw.Dropdown, ipw.SelectionSlider)):
        return offered(control)
    if isinstance(control, ipw.FloatLogSlider):
        return [control.base ** e for e in (control.min, (control.min + control.max) / 2, control.max)]
    if isinstance(control, ipw.IntSlider):
        return [control.min, (control.min + control.max) // 2, control.max]
    if isinstance(control, ipw.FloatSlider):
        return [control.min, (control.min + control.max) / 2, control.max]
    return ["4", "8,4,2", "6,3"]  # the playground's hidden layer sizes


def sweep(explorer, **fixed):
    start = explorer.values
    for name, control in explorer.controls.items():
        for value in options(control):
            explorer.image.value, explorer.status.value = b"", ""  # a frame not redrawn shows
            explorer.update(**{name: value, **fixed})
            assert bytes(explorer.image.value[:4]) == b"\x89PNG", (name, value)
            assert explorer.status.value.strip(), (name, value)
        explorer.update(**{name: start[name]})


def pixels(explorer):
    import io

    return np.asarray(Image.open(io.BytesIO(bytes(explorer.image.value))).convert("RGB"), dtype=int)


def red_x(ax):
    return [l for l in ax.get_lines() if l.get_marker() == "x" and l.get_color() == "red"]


def legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_explorer_is_a_displayable_container_with_its_parts():
    ex = widgets.chain_explorer()
    assert isinstance(ex, ipw.VBox)
    assert ex.image in ex.children and ex.status in ex.children
    assert set(ex.controls) == {"kind", "w", "spectral_radius", "depth"}
    assert ex.update(depth=10) is ex.figure
    with pytest.raises(TypeError, match="does not train"):
        ex.step()


def test_update_rejects_unknown_controls_and_values():
    ex = widgets.chain_explorer()
    with pytest.raises(ValueError, match="unknown control 'depht'; valid: kind, w"):
        ex.update(depht=3)
    with pytest.raises(ValueError, match="unknown kind 'diagonal'; valid: w\\*I, random"):
        ex.update(kind="diagonal")
    with pytest.raises(ValueError, match=r"depth must be in \[1, 500\]"):
        ex.update(depth=1000)
    with pytest.raises(TypeError, match="depth must be an int"):
        ex.update(depth=2.5)
    v = widgets.variance_explorer(depth=5, seeds=range(2))
    with pytest.raises(ValueError, match=r"factor must be in \[0.01, 100\]"):
        v.update(factor=1e3)
    with pytest.raises(ValueError, match="unknown init"):
        v.update(init="xavier")


@pytest.mark.parametrize("make", [widgets.chain_explorer, widgets.variance_explorer, widgets.playground,
                                  widgets.histogram_explorer])
def test_every_explorer_takes_two_sizes_and_names_them_on_a_bad_one(make):
    with pytest.raises(ValueError, match="unknown size 'poster'; valid: notebook, projector"):
        make(size="poster")


def test_projector_size_is_wider_with_larger_type_and_readable_controls():
    small, big = widgets.chain_explorer(), widgets.chain_explorer(size="projector")
    w_small, w_big = (Image.open(__import__("io").BytesIO(bytes(e.image.value))).size[0] for e in (small, big))
    assert w_big >= 1200 > 2 * w_small / 1.5
    font = [ax.xaxis.get_ticklabels()[0].get_fontsize() for ax in (small.figure.axes[0], big.figure.axes[0])]
    assert font[1] >= 1.5 * font[0]
    assert big.figure.axes[0].get_lines()[0].get_linewidth() > small.figure.axes[0].get_lines()[0].get_linewidth()
    assert big.image.layout.width == "100%" and "il-projector" in big._dom_classes
    assert "font-size: 20px" in big.children[0].value
    assert all(c.style.description_width == "initial" for c in big.controls.values())


def test_a_moved_control_redraws_like_update():
    ex = widgets.chain_explorer()
    before = bytes(ex.image.value)
    ex.controls["depth"].value = 7  # what a user's drag does
    assert bytes(ex.image.value) != before and "<sup>7</sup>" in ex.status.value


def test_fast_frames_reuse_the_axes_and_match_a_full_render():
    ex = widgets.chain_explorer(w=1.0, depth=50)
    full = ex.frames.full_renders
    ex.update(w=1.01)  # the norms stay within the decades shown: only the lines are redrawn
    assert ex.frames.full_renders == full
    fast = pixels(ex)
    ex.image.value = ex.frames.png(ex.dpi, full=True)
    assert ex.frames.full_renders == full + 1
    assert np.mean(np.abs(fast - pixels(ex)).max(axis=2) > 32) < 0.002  # spines drawn under, not over, lines
    ex.update(w=2.0)  # 2**50 leaves the decades shown: new limits, a full render
    assert ex.frames.full_renders == full + 2 and ex.figure.axes[0].get_ylim()[1] > 1e15


def test_decades_and_nice_keep_limits_while_the_data_fit():
    assert views.decades([0.5, 3.0]) == (0.1, 10.0)
    assert views.decades([0.6, 2.0], previous=(0.1, 10.0)) == (0.1, 10.0)
    assert views.decades([0.6, 200.0], previous=(0.1, 10.0)) == (0.1, 1000.0)
    assert views.decades([np.inf, np.nan]) == (0.1, 10.0)
    assert [views.nice(n) for n in (0, 3, 10, 11, 101, 600)] == [1, 5, 10, 20, 200, 1000]


def test_minor_ticks_only_on_short_log_axes():
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullLocator

    short, long = Figure().subplots(1, 2)
    for ax, top in ((short, 100.0), (long, 1e4)):
        ax.set_yscale("log")
        ax.set_ylim(1, top)
        views.few_minor_ticks(ax)
    assert not isinstance(short.yaxis.get_minor_locator(), NullLocator)
    assert isinstance(long.yaxis.get_minor_locator(), NullLocator)


@pytest.mark.parametrize("size", SIZES)
def test_variance_explorer_every_option_with_seed_bands(size):
    ex = widgets.variance_explorer(depth=8, seeds=range(3), size=size)
    sweep(ex)
    ax = ex.figure.axes[0]
    assert ax.get_yscale() == "log" and "8 seeds" not in ex.status.value and "3 seeds" in ex.status.value
    assert len(ax.collections) == 2 and legend(ex.figure.axes[1]) == ["gradient dJ/da"]
    colors = [line.get_color() for line in ax.get_lines()]
    ex.update(depth=9)
    assert [line.get_color() for line in ax.get_lines()] == colors  # the same on every update


def test_variance_explorer_median_and_band_are_those_of_the_seeds():
    ex = widgets.variance_explorer(depth=6, width=16, seeds=range(4))
    runs = np.stack([variance_band(6, 16, seeds=[s])["a_std"][0] for s in range(4)])
    median = ex.figure.axes[0].get_lines()[0].get_ydata()
    np.testing.assert_allclose(median, np.median(runs, axis=0), rtol=1e-12)
    band = np.concatenate([p.vertices[:, 1] for p in ex.figure.axes[0].collections[0].get_paths()])
    np.testing.assert_allclose([band.min(), band.max()], [runs.min(), runs.max()], rtol=1e-12)


def test_variance_explorer_marks_overflow():
    ex = widgets.variance_explorer(seeds=range(2))
    ex.update(activation="relu", init="normal", factor=100.0, depth=100, width=256)
    assert "diverged" in ex.status.value
    assert red_x(ex.figure.axes[0])
    assert legend(ex.figure.axes[0]) == ["activation a", "pre-activation z"]  # the same whatever the data


def test_fixed_text_is_rendered_with_the_axes_and_still_matches_a_full_render():
    ex = widgets.variance_explorer(depth=20, width=16, seeds=range(2))
    title = [t for t in ex.figure.axes[0].get_children() if getattr(t, "get_text", str)() == "forward pass"]
    assert ex.frames.fixed_text and len(title) == 1 and not any(a is title[0] for a in ex.frames._dynamic())
    full = ex.frames.full_renders
    ex.update(factor=1.05)  # the same decades: no full render, titles and legends come from the background
    assert ex.frames.full_renders == full
    fast = pixels(ex)
    ex.image.value = ex.frames.png(ex.dpi, full=True)
    assert np.mean(np.abs(fast - pixels(ex)).max(axis=2) > 32) < 0.002
    ex.figure.axes[1].set_title("another title", loc="left")  # new text: the kept background no longer fits
    ex.image.value = ex.frames.png(ex.dpi)
    assert ex.frames.full_renders == full + 2


@pytest.mark.parametrize("size", SIZES)
def test_fixed_label_places_clear_the_widest_tick_labels(size):
    variance = widgets.variance_explorer(depth=50, seeds=range(1), size=size)
    variance.update(factor=0.01)  # y tick labels down to 10⁻¹⁰¹
    histogram = widgets.histogram_explorer(size=size)
    for ex in (variance, histogram):
        ex.frames.png(ex.dpi, full=True)
        renderer = ex.frames.canvas.get_renderer()
        for ax in ex.figure.axes:
            for axis, inside in ((ax.yaxis, lambda label, tick: label.x1 < tick.x0),
                                 (ax.xaxis, lambda label, tick: label.y1 < tick.y0)):
                ticks = [t.get_window_extent(renderer) for t in axis.get_ticklabels(which="both") if t.get_text()]
                if axis.get_label_text() and ticks:
                    label = axis.label.get_window_extent(renderer)
                    assert label.x0 >= 0 and all(inside(label, t) for t in ticks), (size, axis.get_label_text())


def test_rgba_png_decodes_to_the_same_pixels():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    back = np.asarray(Image.open(io.BytesIO(frames.rgba_png(rgba))))
    assert back.shape == (7, 5, 4) and np.array_equal(back, rgba)


def in_own_thread(body):
    """Run body in a thread of its own: the browser tier's Playwright may hold this thread's event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(body).result()


def test_variance_explorer_shows_some_seeds_first_and_the_rest_when_idle(monkeypatch):
    monkeypatch.setattr(widgets, "BUDGET_S", 0.0)

    def body():
        ex = widgets.variance_explorer(depth=5, width=16, seeds=range(4))
        assert "median over 4 seeds" in ex.status.value  # no event loop: all seeds at once

        async def drag():
            ex.controls["depth"].value = 6
            first = ex.status.value
            while ex.pending:
                await asyncio.sleep(0.01)
            return first, ex.status.value

        first, final = asyncio.run(drag())
        assert "1 of 4 seeds" in first and "median over 4 seeds" in final

        async def two_moves():  # a move before the rest is drawn drops the stale rest
            ex.controls["depth"].value = 7
            ex.controls["depth"].value = 8
            while ex.pending:
                await asyncio.sleep(0.01)
            return ex.figure.axes[0].get_lines()[0].get_xdata()

        assert len(asyncio.run(two_moves())) == 8 and "median over 4 seeds" in ex.status.value

    in_own_thread(body)


@pytest.mark.parametrize("size", SIZES)
def test_chain_explorer_every_option_and_exact_powers(size):
    ex = widgets.chain_explorer(size=size)
    sweep(ex)
    ex.update(kind="w*I", w=0.5, depth=10)
    assert "0.5<sup>10</sup> = 0.000976562" in ex.status.value
    ax = ex.figure.axes[0]
    assert np.allclose(ax.get_lines()[0].get_ydata()[-1], np.sqrt(2) * 0.5**10)
    ex.update(kind="random", spectral_radius=1.2)
    assert "radius<sup>L</sup>" in ex.status.value


@pytest.mark.parametrize("size", SIZES)
def test_playground_every_option_of_an_ensemble(size):
    ex = widgets.playground(size=size, seeds=range(3))
    assert ex.values == {"dataset": "circles", "init": "Appropriate", "activation": "relu", "lr": 0.1,
                         "sizes": "6,3", "color_by": "weight", "member": 0}
    assert ex.step() is ex.figure
    sweep(ex)
    net_ax, boundary_ax, cost_ax = ex.figure.axes
    assert net_ax.collections and boundary_ax.collections
    assert len([l for l in cost_ax.get_lines() if l.get_marker() != "x"]) == 3 + 1  # members and target


def test_playground_trains_eight_seeds_and_counts_those_that_reach_the_target():
    ex = widgets.playground(init="Appropriate", epochs_per_step=300)
    for _ in range(3):
        ex.step()
    cost_ax = ex.figure.axes[2]
    members = [l for l in cost_ax.get_lines() if len(l.get_xdata()) == 901]
    assert len(members) == 8
    last = np.array([l.get_ydata()[-1] for l in members])
    k = int(np.sum(last <= 0.1))
    assert 0 < k < 8  # the seeds disagree: some reach the target, some not
    assert ex.status.value.startswith(f"epoch 900: {k} of 8 seeds reached cost 0.1")
    assert cost_ax.get_title() == f"{k} of 8 seeds reached cost 0.1"
    assert [l.get_color() for l in members].count("C3") == 1  # the chosen member, in red


def test_playground_member_slider_shows_that_members_boundary():
    ex = widgets.playground(init="Appropriate", epochs_per_step=300)
    ex.step()
    titles = set()
    for member in range(8):
        ex.update(member=member)
        titles.add(ex.figure.axes[1].get_title())
        assert f"member {member}:" in ex.status.value
        red = [l for l in ex.figure.axes[2].get_lines() if l.get_color() == "C3"]
        members = [l for l in ex.figure.axes[2].get_lines() if len(l.get_xdata()) == 301]
        assert len(red) == 1 and red[0] is members[member]
    assert len(titles) > 1 and ex.status.value.startswith("epoch 300:")  # same run, other members


def test_playground_trains_incrementally_and_resets():
    ex = widgets.playground(init="he_normal", seeds=range(2))
    ex.step()
    ex.step()
    assert ex.status.value.startswith("epoch 200:")
    assert len(ex.figure.axes[2].get_lines()[0].get_xdata()) == 201  # the costs of both steps and the current one
    ex.play.value += 1  # what the Play widget's timer does in the browser
    assert ex.status.value.startswith("epoch 300:")
    ex.update(lr=0.05)  # a new learning rate continues the same run
    assert ex.status.value.startswith("epoch 300:")
    ex.buttons[1].click()  # Reset
    assert ex.status.value.startswith("epoch 0:")
    ex.buttons[0].click()  # Step
    assert ex.status.value.startswith("epoch 100:")


def test_playground_bad_sizes_is_a_message_not_an_exception():
    ex = widgets.playground(seeds=range(2))
    ex.update(sizes="6,,x")
    assert "comma-separated" in ex.status.value and "6,,x" in ex.status.value
    ex.update(sizes="8, 4")
    assert ex.status.value.startswith("epoch 0:")
    with pytest.raises(ValueError, match="comma-separated"):
        widgets.playground(sizes="0")


def test_playground_divergence_is_marked_and_stops_play():
    ex = widgets.playground(init="Too large", activation="linear", lr=10.0, seeds=range(3))
    ex.play.playing = True
    for _ in range(3):
        ex.step()
    assert "3 of 3 diverged" in ex.status.value
    assert len(red_x(ex.figure.axes[2])) == 3
    assert ex.play.playing is False
    ex.step()  # stepping a diverged run is harmless
    assert "3 of 3 diverged" in ex.status.value


@pytest.mark.parametrize("size", SIZES)
def test_histogram_explorer_every_option_one_histogram_per_layer(size):
    ex = widgets.histogram_explorer(hidden=(40, 40, 40), size=size)
    sweep(ex)
    ex.step()
    *hist_axes, cost_ax = ex.figure.axes
    assert len(hist_axes) == 3
    assert all(len([p for p in ax.patches if isinstance(p, StepPatch)]) == 1 for ax in hist_axes)
    assert "sat." in hist_axes[0].get_title() and len(cost_ax.get_lines()) == 1
    assert ("\nsat." in hist_axes[0].get_title()) == (size == "projector")  # narrow panels: its own line


def test_histogram_explorer_default_digits_net_updates_bars_in_place():
    ex = widgets.histogram_explorer()
    assert len(ex.figure.axes) == 5
    patches = [p for ax in ex.figure.axes[:4] for p in ax.patches]
    ex.update(init="Glorot uniform")
    ex.step()
    assert [p for ax in ex.figure.axes[:4] for p in ax.patches] == patches
    assert ex.status.value.startswith("epoch 1:")


def test_histogram_explorer_divergence_is_marked():
    ex = widgets.histogram_explorer(init="N(0, 1)", activation="linear", lr=1.0, hidden=(64, 64))
    for _ in range(3):
        ex.step()
    assert "diverged at epoch" in ex.status.value
    assert red_x(ex.figure.axes[-1]) and "(diverged at epoch" in legend(ex.figure.axes[-1])[0]


def test_going_back_to_an_earlier_state_reuses_its_rendered_axes():
    ex = widgets.chain_explorer(w=1.0, depth=50)
    first = pixels(ex)
    ex.update(depth=200)  # new x range: a full render
    renders = ex.frames.full_renders
    ex.update(depth=50)  # the axes of depth 50 were rendered before
    assert ex.frames.full_renders == renders and np.array_equal(pixels(ex), first)
    for depth in range(100, 500, 50):  # more states than Frames keeps: the oldest go
        ex.update(depth=depth)
    renders = ex.frames.full_renders
    ex.update(depth=50)
    assert ex.frames.full_renders == renders + 1 and len(ex.frames.backgrounds) == ex.frames.KEEP


def test_clear_caches_forgets_the_kept_profiles():
    widgets.variance_explorer(depth=4, width=16, seeds=range(2))
    assert widgets._profile.cache_info().currsize >= 2
    widgets.clear_caches()
    assert widgets._profile.cache_info().currsize == 0
