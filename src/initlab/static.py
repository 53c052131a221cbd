"""Kernel-free sliders: every combination of a few parameters pre-rendered into self-contained HTML.

A static page (the built book) has no kernel, so a slider there can only swap images computed in
advance. ``slider`` renders one PNG per combination and wraps them with a few lines of vanilla
JavaScript; nothing is loaded from the network. Each explorer has a static twin here
(chain_slider, variance_slider, histogram_slider, playground_slider) drawn by the explorer's own View.
"""
import base64
import hashlib
import html
import io
import itertools
import json
import math

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

MAX_PARAMS = 3
PLAY_MS = 600

_SCRIPT = """(function(){
var id="%(id)s",D=%(data)s,s=document.currentScript;
var root=(s&&s.parentNode&&s.parentNode.id===id)?s.parentNode:document.getElementById(id);
if(!root)return;
var img=root.querySelector(".il-frame"),ins=root.querySelectorAll(".il-slider"),
outs=root.querySelectorAll(".il-value"),btn=root.querySelector(".il-play"),timer=null;
function show(){var i=0;for(var k=0;k<ins.length;k++){var v=+ins[k].value;i=i*D.sizes[k]+v;
outs[k].textContent=D.values[k][v];ins[k].setAttribute("aria-valuetext",D.values[k][v]);}
img.src=D.src[D.frame[i]];img.alt=D.alt[i];}
function label(t){btn.textContent=t;btn.setAttribute("aria-label",t);}
for(var k=0;k<ins.length;k++)ins[k].addEventListener("input",show);
btn.addEventListener("click",function(){
if(timer){clearInterval(timer);timer=null;label("Play");return;}
var last=ins[ins.length-1],n=D.sizes[D.sizes.length-1];
timer=setInterval(function(){last.value=(+last.value+1)%%n;show();},%(ms)d);label("Pause");});
})();"""


class StaticSlider:
    """Pre-rendered frames with sliders, as self-contained HTML; notebooks display it (Chapter 1).

    Attributes: ``html`` (str), ``n_frames`` (number of combinations), ``nbytes`` (size of the HTML),
    ``data`` (the numbers behind the frames, for assertions; {} unless the builder fills it).
    """

    def __init__(self, html_text, n_frames, data=None):
        self.html, self.n_frames, self.data = html_text, n_frames, dict(data or {})

    @property
    def nbytes(self):
        return len(self.html.encode("utf-8"))

    def _repr_html_(self):
        return self.html

    def __repr__(self):
        return f"StaticSlider(n_frames={self.n_frames}, nbytes={self.nbytes:,})"


def _fmt(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_params(params, fixed_ok=False):
    """params, checked: {identifier: non-empty list}, 1 to MAX_PARAMS of them (not counting one-value
    entries when fixed_ok)."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict {{name: list of values}}, got {params!r}")
    for name, values in params.items():
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"parameter names must be Python identifiers, got {name!r}")
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) == 0:
            raise ValueError(f"params[{name!r}] must be a non-empty list of values, got {values!r}")
    moving = [name for name, values in params.items() if len(values) > 1 or not fixed_ok]
    if not 1 <= len(moving) <= MAX_PARAMS:
        what = "with two or more values " if fixed_ok else ""
        raise ValueError(f"params must have 1 to {MAX_PARAMS} entries {what}(a slider each), got {params!r}")
    return {name: list(values) for name, values in params.items()}


def _alt_text(alt, combo, labels):
    if alt is None:
        return "Figure for " + ", ".join(f"{labels.get(k, k)} = {_fmt(v)}" for k, v in combo.items())
    if callable(alt):
        return str(alt(**combo))
    try:
        return alt.format(**combo)
    except (KeyError, IndexError) as e:
        raise ValueError(f"alt template {alt!r} names {e}; valid fields: {', '.join(combo)}") from None


def png_bytes(fig, dpi=80, quantize=True):
    """A figure as deterministic PNG bytes (no metadata), palette-quantized to 256 colours by default."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if not quantize:
        return buf.getvalue()
    from PIL import Image

    out = io.BytesIO()
    Image.open(buf).convert("RGB").quantize(256).save(out, format="png", optimize=True)
    return out.getvalue()


def frames_html(frames, params, alts=None, labels=None):
    """Self-contained HTML for PNG frames, one per combination of params in itertools.product order."""
    params, labels = _check_params(params), dict(labels or {})
    names, sizes = list(params), [len(v) for v in params.values()]
    n = math.prod(sizes)
    if len(frames) != n:
        raise ValueError(f"need {n} frames (one per combination of {', '.join(names)}), got {len(frames)}")
    alts = list(alts) if alts is not None else [
        _alt_text(None, dict(zip(names, c)), labels) for c in itertools.product(*params.values())]
    if len(alts) != n:
        raise ValueError(f"need {n} alt texts, got {len(alts)}")
    unique = {}
    frame = [unique.setdefault(png, len(unique)) for png in frames]  # identical frames stored once
    src = ["data:image/png;base64," + base64.b64encode(png).decode("ascii") for png in unique]
    data = {"sizes": sizes, "values": [[_fmt(v) for v in vs] for vs in params.values()],
            "frame": frame, "alt": alts, "src": src}
    data = json.dumps(data, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = [labels.get(k, k) for k in names]
    uid = "ilss-" + hashlib.sha256((data + json.dumps(text)).encode()).hexdigest()[:12]
    esc = html.escape
    controls = "".join(
        f'    <label>{esc(t)}: <input type="range" class="il-slider" data-param="{esc(k)}" min="0" '
        f'max="{size - 1}" step="1" value="0" aria-label="{esc(t)}"> '
        f'<output class="il-value">{esc(_fmt(params[k][0]))}</output></label>\n'
        for k, t, size in zip(names, text, sizes))
    return (
        f'<div class="il-static-slider" id="{uid}" data-n-frames="{n}">\n'
        f'  <img class="il-frame" alt="{esc(alts[0])}" src="{src[frame[0]]}">\n'
        f'  <div class="il-controls">\n{controls}'
        f'    <button type="button" class="il-play" aria-label="Play">Play</button>\n'
        f'  </div>\n'
        f'  <script>{_SCRIPT % {"id": uid, "data": data, "ms": PLAY_MS}}</script>\n'
        f'</div>\n')


def slider(render, params, labels=None, alt=None, max_bytes=2_000_000, dpi=80, figsize=None, quantize=True):
    """Render every combination of params and return a kernel-free StaticSlider (Chapter 1).

    ``render(**combo)`` must return a matplotlib Figure (pyplot or not); the helper saves and closes it.
    params is an ordered dict {name: list of values}, 1 to 3 of them with a slider each; Play steps the
    last one. A name with a single value gets no slider (it would move nothing) and is passed to
    render as it is. labels maps a name to the text shown beside its slider; alt is the image's alt
    text: a format string over the names ("depth {depth}"), a ``callable(**combo)`` or None for a
    default. Raises ValueError if the HTML would exceed max_bytes.
    """
    params, labels = _check_params(params, fixed_ok=True), dict(labels or {})
    if not callable(render):
        raise TypeError(f"render must be a callable returning a matplotlib Figure, got {render!r}")
    names = list(params)
    fixed = {name: values[0] for name, values in params.items() if len(values) == 1}
    params = {name: values for name, values in params.items() if name not in fixed}
    frames, alts, seen, size = [], [], set(), 0
    for values in itertools.product(*params.values()):
        combo = {**fixed, **dict(zip(params, values))}
        combo = {name: combo[name] for name in names}  # in the caller's order, for the default alt text
        fig = render(**combo)
        try:
            if not isinstance(fig, Figure):
                raise TypeError(f"render must return a matplotlib Figure, got {type(fig).__name__}")
            if figsize is not None:
                fig.set_size_inches(figsize)
            png = png_bytes(fig, dpi, quantize)
        finally:
            if isinstance(fig, Figure):
                plt.close(fig)
        if png not in seen:  # base64 grows 4/3; the first frame is also the <img> src
            seen.add(png)
            size += 4 * math.ceil(len(png) / 3) * (1 if frames else 2)
        if size > max_bytes:
            _too_big(size, len(frames) + 1, max_bytes, dpi, partial=True)
        frames.append(png)
        alts.append(_alt_text(alt, combo, labels))
    result = StaticSlider(frames_html(frames, params, alts, labels), len(frames))
    if result.nbytes > max_bytes:
        _too_big(result.nbytes, len(frames), max_bytes, dpi)
    return result


def _too_big(size, n, max_bytes, dpi, partial=False):
    what = f"already {size / 1e6:.2f} MB after" if partial else f"{size / 1e6:.2f} MB for"
    raise ValueError(f"static slider would be {what} {n} frames, over max_bytes={max_bytes:,}; "
                     f"use fewer values per parameter, a lower dpi (now {dpi}) or a smaller figsize")


# each explorer's static twin, drawn by the explorer's own View
from .chain_view import chain_slider  # noqa: E402  (Chapter 2)
from .histogram_view import histogram_slider  # noqa: E402  (Chapter 5)
from .playground_view import playground_slider  # noqa: E402  (Chapter 1)
from .variance_view import variance_slider  # noqa: E402  (Chapter 3)
