"""The explorer framework: controls, Play/Step/Reset and a fast PNG refresh of one reused Figure (Chapter 1).

Every explorer (widgets.py) returns an ``Explorer``: the ipywidgets VBox to display, plus ``.figure`` (one
matplotlib Figure reused between updates, shown as PNG in an ``ipywidgets.Image``, so ipympl is
not needed), ``.controls`` ({name: widget}), ``.status`` (an HTML line) and ``.update(**values)``,
which sets controls from code and redraws once. Training explorers add ``.play``, ``.step()``,
``.reset()`` and ``.buttons`` (Step, Reset); Play, Step and Reset continue or restart the same run.
``.size`` is "notebook" or "projector" (full width, large type and controls), ``.view`` the
views.View that draws, ``.frames`` the frames.Frames that turns it into PNG.
"""
import asyncio
import contextlib
import functools
import inspect
from types import SimpleNamespace

import ipywidgets as ipw
import numpy as np

from .frames import Frames


WIDE = {"description_width": "initial"}
RED = '<span style="color:#b00020;font-weight:bold">{}</span>'


@functools.cache
def _blas():
    try:
        from threadpoolctl import ThreadpoolController  # installed with scikit-learn
    except ImportError:
        return None
    return ThreadpoolController()


def _quick():
    # float warnings off, and one BLAS thread: the explorers' matrices are small, and on a busy
    # 2-core machine a multithreaded OpenBLAS made one training step 20-80x slower
    stack = contextlib.ExitStack()
    stack.enter_context(np.errstate(all="ignore"))
    if _blas() is not None:
        stack.enter_context(_blas().limit(limits=1, user_api="blas"))
    return stack


def options(widget):
    """The values a Dropdown or SelectionSlider offers."""
    return [o[1] if isinstance(o, tuple) else o for o in widget.options]


def _check_value(name, widget, value):
    if isinstance(widget, (ipw.Dropdown, ipw.SelectionSlider)):
        if value not in options(widget):
            raise ValueError(f"unknown {name} {value!r}; valid: {', '.join(map(str, options(widget)))}")
    elif isinstance(widget, ipw.FloatLogSlider):
        lo, hi = widget.base ** widget.min, widget.base ** widget.max
        if not lo <= value <= hi:
            raise ValueError(f"{name} must be in [{lo:g}, {hi:g}], got {value!r}")
    elif isinstance(widget, ipw.IntSlider) and not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    elif isinstance(widget, (ipw.IntSlider, ipw.FloatSlider)) and not widget.min <= value <= widget.max:
        raise ValueError(f"{name} must be in [{widget.min}, {widget.max}], got {value!r}")


PROJECTOR_CSS = """<style>
.il-projector .widget-label, .il-projector .widget-readout, .il-projector select,
.il-projector input, .il-projector button, .il-projector .widget-html-content
  {font-size: 20px !important; line-height: 30px !important; height: auto !important;}
.il-projector .widget-inline-hbox, .il-projector .widget-button {min-height: 34px; height: auto;}
.il-projector .widget-hslider {width: 440px;}
</style>"""


class Explorer(ipw.VBox):
    """An explorer: the widget to display, with ``.figure``, ``.controls``, ``.status`` and ``.update(**values)`` (Chapter 1).

    view is a views.View (its Figure, size and dpi). refresh(values, changed) redraws view.figure
    after the controls named in `changed` moved and returns a status line; step(values), for
    training explorers, trains a little, redraws and returns (status, stop). The PNG comes from
    frames.Frames, which re-renders the axes only when their limits or labels change.
    """

    def __init__(self, view, controls, refresh, step=None, interval=500):
        super().__init__()
        self.view, self.figure, self.controls, self.dpi = view, view.figure, controls, view.dpi
        self.size, self.frames = view.size, Frames(view.figure, view.FIXED_TEXT)
        self._refresh, self._step, self._quiet, self._generation = refresh, step, False, 0
        self._progressive = "more" in inspect.signature(refresh).parameters
        self.pending = 0  # redraws scheduled for when the kernel is idle (the rest of a progressive refresh)
        self.image, self.status = ipw.Image(format="png"), ipw.HTML()
        for name, control in controls.items():
            control.observe(lambda change, name=name: self._changed({name}), names="value")
        rows = [ipw.HBox(list(controls.values()), layout=ipw.Layout(flex_flow="row wrap"))]
        if step is not None:
            self.play = ipw.Play(value=0, min=0, max=10**9, interval=interval, show_repeat=False,
                                 description="Play")
            self.play.observe(self._played, names="value")
            self.buttons = ipw.Button(description="Step"), ipw.Button(description="Reset")
            self.buttons[0].on_click(lambda _: self.step())
            self.buttons[1].on_click(lambda _: self.reset())
            rows.append(ipw.HBox([self.play, *self.buttons]))
        self.children = rows + [self.image, self.status]
        if self.size == "projector":
            for control in controls.values():
                control.style.description_width = "initial"
            self.image.layout.width = "100%"
            self.layout.width = "100%"
            self.add_class("il-projector")
            self.children = [ipw.HTML(PROJECTOR_CSS), *self.children]
        self.reset()

    @property
    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values):
        """Set controls by name (values as the widgets hold them), redraw once, return the Figure."""
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"unknown control {name!r}; valid: {', '.join(self.controls)}")
            _check_value(name, self.controls[name], value)
        self._quiet = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False
        return self._changed(set(values))

    def reset(self):
        """Redraw from scratch (a training explorer restarts its run); return the Figure."""
        return self._changed(set(self.controls))

    def step(self):
        """One training step (training explorers only); return the Figure."""
        if self._step is None:
            raise TypeError("this explorer does not train; it has no step()")
        with _quick():
            status, stop = self._step(self.values)
            if stop and self.play.playing:
                self.play.playing = False
            return self._show(status)

    def _changed(self, names):
        if self._quiet:
            return self.figure
        self._generation += 1
        with _quick():
            if self._progressive:
                return self._show(self._refresh(self.values, names, more=self._scheduler()))
            return self._show(self._refresh(self.values, names))

    def _scheduler(self):
        """In a running kernel, a function that runs work() (a redraw returning a status) once the kernel is idle,
        unless the controls moved again before; None without an event loop (then refresh does all now)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        generation = self._generation

        def run(work):
            self.pending -= 1
            if generation == self._generation:
                with _quick():
                    self._show(work())

        def schedule(work):
            self.pending += 1
            loop.call_later(0.001, run, work)

        return schedule

    def _played(self, change):
        if change["new"] > change["old"]:
            self.step()

    def _show(self, status):
        self.status.value = status
        self.image.value = self.frames.png(self.dpi)
        return self.figure


def so_far(hist, now):
    """The run so far for cost_curves: its History, or just the cost at initialization."""
    return hist if hist is not None else SimpleNamespace(cost=np.array([now]), diverged_at=None)


def continued(hist, later):
    """The History of a run continued by a later fit."""
    return later if hist is None else hist.extend(later)


def train_status(hist, cost, extra=""):
    """The status line of a training explorer: epoch and cost, or where it diverged."""
    if hist is not None and hist.diverged:
        return RED.format(f"diverged at epoch {hist.diverged_at}: the cost is inf or nan; press Reset")
    return f"epoch {0 if hist is None else hist.epochs_run}: cost {cost:.4g}{extra}"
