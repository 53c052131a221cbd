"""What an explorer and its static twin share: a sized Figure, its style and its axis limits (Chapter 1).

A ``View`` owns one Figure laid out for a size ("notebook" or "projector": larger type and lines,
readable from the back of a room at 1280x720) and draws data into it; the live explorer and the
static slider of the same chapter call the same ``draw``. frames.Frames turns the Figure into PNG
bytes quickly.
"""
import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import NullLocator
from matplotlib.transforms import ScaledTranslation

SIZES = ("notebook", "projector")
STYLE = {
    "notebook": {"font.size": 10},
    "projector": {"font.size": 16, "lines.linewidth": 2.6, "lines.markersize": 8, "axes.linewidth": 1.4,
                  "xtick.major.width": 1.4, "ytick.major.width": 1.4, "xtick.major.size": 6,
                  "ytick.major.size": 6, "legend.fontsize": 14, "axes.titlesize": 17},
}
DPI = {"notebook": 72, "projector": 100}


def check_size(size):
    """size, checked to be one of SIZES."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; valid: {', '.join(SIZES)}")
    return size


class View:
    """One Figure of n panels in a row for a size, drawn by an explorer and its static twin (Chapter 1).

    Subclasses set FIGSIZE and ADJUST ({size: ...}) and define draw(...), which returns the Figure;
    figsize and adjust (subplots_adjust's arguments) override them for one instance.
    FIXED_TEXT = True says its titles and legends never depend on the data (legends at a fixed place),
    so frames.Frames can render them once with the axes.
    """

    FIGSIZE = {"notebook": (9, 3.4), "projector": (12.5, 5.4)}
    ADJUST = {"notebook": {}, "projector": {}}
    FIXED_TEXT = False

    def __init__(self, n, size="notebook", figsize=None, adjust=None):
        self.size = check_size(size)
        self.dpi = DPI[size]
        with self.styled():
            self.figure = Figure(figsize=figsize or self.FIGSIZE[size])
            self.axes = self.figure.subplots(1, n, squeeze=False)[0]
        base = {"left": 0.07, "right": 0.98, "bottom": 0.16, "top": 0.86, "wspace": 0.3}
        self.figure.subplots_adjust(**{**base, **self.ADJUST[size], **(adjust or {})})

    def styled(self):
        """A context in which new artists get this size's fonts and line widths."""
        return matplotlib.rc_context(STYLE[self.size])

    def place_labels(self, widest):
        """Fix where the axis labels go, leaving room for y tick labels as wide as `widest` (a string, or one
        per panel, "" for none): placing them by measuring every tick label is a sixth of a render."""
        widest = [widest] * len(self.axes) if isinstance(widest, str) else widest
        with self.styled():
            rc = matplotlib.rcParams
            size = FontProperties(size=rc["ytick.labelsize"]).get_size_in_points()
            below = rc["xtick.major.size"] + rc["xtick.major.pad"] + 1.3 * size
            for ax, text in zip(self.axes, widest):
                width = TextToPath().get_text_width_height_descent(text, FontProperties(size=size), False)[0]
                left = rc["ytick.major.size"] + rc["ytick.major.pad"] + width + 0.3 * size

                def shifted(dx, dy, ax=ax):  # the Axes' corner, moved by points
                    return ax.transAxes + ScaledTranslation(dx / 72, dy / 72, self.figure.dpi_scale_trans)

                ax.xaxis.set_label_coords(0.5, 0, transform=shifted(0, -below))  # the label's top
                ax.yaxis.set_label_coords(0, 0.5, transform=shifted(-left, 0))  # the rotated label's bottom

    def frame_title(self, top):
        """The suptitle that names each frame of a static twin, with the panels' tops lowered to top."""
        self.figure.subplots_adjust(top=top)
        return self.figure.suptitle("", fontsize="medium")

    def __repr__(self):
        return f"{type(self).__name__}(size={self.size!r})"


def drawn(ax):
    """What a draw puts on ax besides titles and legend: lines, collections, patches, texts, images."""
    return [*ax.lines, *ax.collections, *ax.patches, *ax.texts, *ax.images]


def clear(ax):
    """Remove what the last draw put on ax (drawn(ax) and the legend), keeping the Axes, its ticks and
    limits: cheaper than ax.clear(), and Frames can reuse the rendered axes."""
    for artist in drawn(ax):
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_prop_cycle(None)  # the same colours on every draw


def few_minor_ticks(ax, decades_shown=3):
    """No minor ticks on a log y axis spanning more than decades_shown decades: they carry no labels there,
    and drawing them is a fifth of a render."""
    lo, hi = ax.get_ylim()
    if ax.get_yscale() == "log" and lo > 0 and np.log10(hi / lo) > decades_shown:
        ax.yaxis.set_minor_locator(NullLocator())


def nice(n):
    """The smallest of 1, 2, 5, 10, 20, 50, ... at least n: an axis end that moves less while n grows."""
    n = max(float(n), 1.0)
    scale = 10.0 ** np.floor(np.log10(n))
    return scale * next(m for m in (1, 2, 5, 10) if m * scale >= n)


def decades(values, previous=None, pad=0.3):
    """y limits for a log axis in whole decades around the finite positive values; previous if they still fit.

    Keeping the limits while the data stay inside (and fill more than a third of them) lets Frames
    reuse the rendered axes.
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return previous or (0.1, 10.0)
    lo, hi = np.floor(np.log10(v.min()) - pad), np.ceil(np.log10(v.max()) + pad)
    lo, hi = max(lo, -300.0), min(hi, 300.0)
    if previous is not None:
        plo, phi = np.log10(previous)
        if plo <= lo and hi <= phi and (hi - lo) >= (phi - plo) / 3:
            return previous
    return 10.0**lo, 10.0**hi
