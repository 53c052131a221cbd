"""widgets: every explorer builds, every option of every control redraws, divergence is a marked result."""

import ipywidgets as ipw
import numpy as np
import pytest
from matplotlib.patches import StepPatch

from initlab import widgets
from initlab.explorer import options as offered


pytestmark = pytest.mark.usefixtures("strict_warnings")


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
    v = widgets.variance_explorer(depth=5)
    with pytest.raises(ValueError, match=r"factor must be in \[0.01, 100\]"):
        v.update(factor=1e3)
    with pytest.raises(ValueError, match="unknown init"):
        v.update(init="xavier")


def test_a_moved_control_redraws_like_update():
    ex = widgets.chain_explorer()
    before = bytes(ex.image.value)
    ex.controls["depth"].value = 7  # what a user's drag does
    assert bytes(ex.image.value) != before and "<sup>7</sup>" in ex.status.value


def test_variance_explorer_every_option():
    ex = widgets.variance_explorer(depth=8)
    sweep(ex)
    assert ex.figure.axes[0].get_yscale() == "log"
    assert len(ex.figure.axes[0].get_lines()) >= 2 and legend(ex.figure.axes[1]) == ["gradients dcost/da"]
    colors = [line.get_color() for line in ex.figure.axes[0].get_lines()]
    ex.update(depth=9)
    assert [line.get_color() for line in ex.figure.axes[0].get_lines()] == colors  # the same on every update


def test_variance_explorer_marks_overflow():
    ex = widgets.variance_explorer()
    ex.update(activation="relu", init="normal", factor=100.0, depth=100, width=256)
    assert "diverged" in ex.status.value
    assert red_x(ex.figure.axes[0])
    assert "inf/nan from layer" in legend(ex.figure.axes[0])[0]


def test_chain_explorer_every_option_and_exact_powers():
    ex = widgets.chain_explorer()
    sweep(ex)
    ex.update(kind="w*I", w=0.5, depth=10)
    assert "0.5<sup>10</sup> = 0.000976562" in ex.status.value
    ax = ex.figure.axes[0]
    assert np.allclose(ax.get_lines()[0].get_ydata()[-1], np.sqrt(2) * 0.5**10)
    ex.update(kind="random", spectral_radius=1.2)
    assert "radius<sup>L</sup>" in ex.status.value


def test_playground_every_option():
    ex = widgets.playground()
    assert ex.values == {"dataset": "circles", "init": "Appropriate", "activation": "relu", "lr": 0.1,
                         "sizes": "6,3", "color_by": "weight"}
    assert ex.step() is ex.figure
    sweep(ex)
    net_ax, boundary_ax, cost_ax = ex.figure.axes
    assert net_ax.collections and boundary_ax.collections and len(cost_ax.get_lines()) == 1


def test_playground_trains_incrementally_and_resets():
    ex = widgets.playground(init="he_normal")
    ex.step()
    ex.step()
    assert ex.status.value.startswith("epoch 200:")
    (line,) = ex.figure.axes[2].get_lines()
    assert len(line.get_xdata()) == 201  # the costs of both steps and the current one
    ex.play.value += 1  # what the Play widget's timer does in the browser
    assert ex.status.value.startswith("epoch 300:")
    ex.update(lr=0.05)  # a new learning rate continues the same run
    assert ex.status.value.startswith("epoch 300:")
    ex.reset()
    assert ex.status.value.startswith("epoch 0:")


def test_playground_bad_sizes_is_a_message_not_an_exception():
    ex = widgets.playground()
    ex.update(sizes="6,,x")
    assert "comma-separated" in ex.status.value and "6,,x" in ex.status.value
    ex.update(sizes="8, 4")
    assert ex.status.value.startswith("epoch 0:")
    with pytest.raises(ValueError, match="comma-separated"):
        widgets.playground(sizes="0")


def test_playground_divergence_is_marked_and_stops_play():
    ex = widgets.playground(init="Too large", activation="linear", lr=10.0)
    ex.play.playing = True
    for _ in range(3):
        ex.step()
    assert "diverged at epoch" in ex.status.value
    cost_ax = ex.figure.axes[2]
    assert red_x(cost_ax) and "(diverged at epoch" in legend(cost_ax)[0]
    assert ex.play.playing is False
    ex.step()  # stepping a diverged run is harmless
    assert "diverged at epoch" in ex.status.value


def test_histogram_explorer_every_option_one_histogram_per_layer():
    ex = widgets.histogram_explorer(hidden=(40, 40, 40))
    sweep(ex)
    ex.step()
    *hist_axes, cost_ax = ex.figure.axes
    assert len(hist_axes) == 3
    assert all(len([p for p in ax.patches if isinstance(p, StepPatch)]) == 1 for ax in hist_axes)
    assert "sat." in hist_axes[0].get_title() and len(cost_ax.get_lines()) == 1


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
