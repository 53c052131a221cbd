"""A Figure as PNG bytes, fast enough for a slider: the speed boundary of the explorers (Chapter 1).

The axes, ticks and labels are rendered once and reused while the limits stay put; only the data
(and titles and legends, unless they are fixed) are drawn on top, and the PNG is written by a lean
encoder.
"""
import struct
import zlib

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from matplotlib.ticker import NullLocator

from .views import drawn


def _ticked(axis, limits):
    """The limits if the axis draws ticks (they move with the limits), else None: a tickless axis looks the same."""
    if isinstance(axis.get_major_locator(), NullLocator) and isinstance(axis.get_minor_locator(), NullLocator):
        return None
    return limits


class Frames:
    """PNG bytes of a Figure, re-rendering its axes only for limits, scales or labels not seen lately (Chapter 1).

    Titles and legends are drawn with the data on every frame, or, with fixed_text=True (the View's
    FIXED_TEXT), rendered once with the axes: text is most of what a frame costs.
    """

    KEEP = 8  # rendered backgrounds kept: going back to an earlier state reuses its axes

    def __init__(self, figure, fixed_text=False):
        self.figure, self.canvas, self.fixed_text = figure, FigureCanvasAgg(figure), fixed_text
        self.backgrounds, self.full_renders = {}, 0

    def _text(self, ax):
        titles = [c for c in ax.get_children() if isinstance(c, Text) and c not in ax.texts]  # left, centre, right
        return titles + ([ax.get_legend()] if ax.get_legend() is not None else [])

    def _dynamic(self):
        out = []
        for ax in self.figure.axes:
            out += drawn(ax)
            out += [] if self.fixed_text else self._text(ax)
        return sorted(out, key=lambda a: a.get_zorder())

    def _key(self, dpi):
        parts = [tuple(self.figure.get_size_inches()), dpi, tuple(t.get_text() for t in self.figure.texts)]
        if self.fixed_text:
            parts += [t.get_text() for ax in self.figure.axes for a in self._text(ax)
                      for t in (a.get_texts() if hasattr(a, "get_texts") else [a])]
        for ax in self.figure.axes:
            parts += [_ticked(ax.xaxis, ax.get_xlim()), _ticked(ax.yaxis, ax.get_ylim()), ax.get_xscale(),
                      ax.get_yscale(), ax.get_xlabel(), ax.get_ylabel(), ax.axison, ax.get_position().bounds,
                      type(ax.xaxis.get_major_locator()), type(ax.yaxis.get_major_locator())]
        return tuple(parts)

    def png(self, dpi, full=False):
        """The Figure as PNG bytes at dpi; full=True redraws everything."""
        key = self._key(dpi)
        dynamic = self._dynamic()
        if full or key not in self.backgrounds:
            self.figure.dpi = dpi
            shown = [a.get_visible() for a in dynamic]
            for a in dynamic:
                a.set_visible(False)
            self.canvas.draw()
            self.backgrounds[key] = self.canvas.copy_from_bbox(self.figure.bbox)
            for a, visible in zip(dynamic, shown):
                a.set_visible(visible)
            self.full_renders += 1
            if len(self.backgrounds) > self.KEEP:
                del self.backgrounds[next(iter(self.backgrounds))]  # the oldest
        else:
            self.backgrounds[key] = self.backgrounds.pop(key)  # now the newest
            self.canvas.restore_region(self.backgrounds[key])
        renderer = self.canvas.get_renderer()
        for a in dynamic:
            if a.get_visible():
                a.draw(renderer)
        return rgba_png(np.asarray(self.canvas.buffer_rgba()))


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgba_png(rgba):
    """A PNG of an (h, w, 4) uint8 image, rows unfiltered and lightly compressed.

    Twice as fast as Pillow's encoder, whose per-row filter search buys little on a plot's flat colours.
    """
    h, w, _ = rgba.shape
    rows = np.zeros((h, 1 + 4 * w), np.uint8)  # each row starts with its filter type, 0: none
    rows[:, 1:] = rgba.reshape(h, -1)
    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8 bits, RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 1))
            + _chunk(b"IEND", b""))
