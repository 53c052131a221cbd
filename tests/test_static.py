"""static: one frame per combination, sliders wired to them, byte-identical output, a size budget."""
import base64
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from initlab import static


pytestmark = pytest.mark.usefixtures("strict_warnings")


def render(a, b=1, c="x"):
    fig = Figure(figsize=(2, 1.5))
    ax = fig.add_subplot()
    ax.plot(np.arange(5) ** (a / 2) * b)
    ax.set_title(f"{a} {b} {c}")
    return fig


class Parsed(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.tags, self.script, self._in_script = [], "", False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script += data

    def find(self, tag, cls=None):
        return [a for t, a in self.tags if t == tag and (cls is None or cls in a.get("class", "").split())]

    def data(self):
        return json.loads(re.search(r"D=(\{.*?\}),s=document", self.script, re.S).group(1))


PARAMS = {"a": [1, 2, 3], "b": [0.5, 1.0]}


def test_one_frame_per_combination_and_one_slider_per_parameter():
    s = static.slider(render, PARAMS, dpi=30)
    page = Parsed(s.html)
    (root,) = page.find("div", "il-static-slider")
    assert root["data-n-frames"] == "6" and s.n_frames == 6
    assert re.fullmatch(r"ilss-[0-9a-f]{12}", root["id"])
    sliders = page.find("input", "il-slider")
    assert [x["data-param"] for x in sliders] == ["a", "b"]
    assert [x["max"] for x in sliders] == ["2", "1"]
    assert all((x["type"], x["min"], x["step"], x["value"]) == ("range", "0", "1", "0") for x in sliders)
    assert [x["aria-label"] for x in sliders] == ["a", "b"]
    data = page.data()
    assert data["sizes"] == [3, 2] and len(data["frame"]) == 6 and len(data["alt"]) == 6
    assert len(set(data["frame"])) == len(data["src"]) == 6
    assert data["values"] == [["1", "2", "3"], ["0.5", "1"]]
    (img,) = page.find("img", "il-frame")
    assert img["src"] == data["src"][data["frame"][0]]
    (button,) = page.find("button", "il-play")
    assert button["aria-label"] == "Play" and button["type"] == "button"
    assert s._repr_html_() == s.html and s.nbytes == len(s.html.encode())


def test_frames_follow_itertools_product_order():
    s = static.slider(render, PARAMS, dpi=30, quantize=False)
    data = Parsed(s.html).data()
    expected = [static.png_bytes(render(a, b), 30, quantize=False) for a in PARAMS["a"] for b in PARAMS["b"]]
    got = [base64.b64decode(data["src"][i].split(",", 1)[1]) for i in data["frame"]]
    assert got == expected


def test_same_input_gives_byte_identical_html_and_other_input_another_id():
    one, two = static.slider(render, PARAMS, dpi=30), static.slider(render, PARAMS, dpi=30)
    assert one.html == two.html
    other = static.slider(render, {"a": [1, 2]}, dpi=30)
    ids = [Parsed(x.html).find("div", "il-static-slider")[0]["id"] for x in (one, other)]
    assert ids[0] != ids[1]
    assert ids[0] in Parsed(one.html).script  # the script is scoped to its own container


def test_identical_frames_are_stored_once():
    s = static.slider(lambda a, c: render(a), {"a": [1, 2], "c": ["x", "y", "z"]}, dpi=30)
    data = Parsed(s.html).data()
    assert len(data["frame"]) == 6 and len(data["src"]) == 2
    assert data["frame"] == [0, 0, 0, 1, 1, 1]


def test_self_contained_no_external_urls():
    s = static.slider(render, PARAMS, dpi=30)
    assert not re.search(r"https?:|//[a-z]", s.html.replace("data:image/png;base64,", ""))
    page = Parsed(s.html)
    assert all(a["src"].startswith("data:image/png;base64,") for a in page.find("img"))
    assert not page.find("script")[0].get("src")


def test_frames_are_deterministic_pngs_without_metadata():
    fig = render(2)
    png = static.png_bytes(fig, dpi=30)
    assert png == static.png_bytes(render(2), dpi=30)
    assert png.startswith(b"\x89PNG") and b"tIME" not in png and b"Software" not in png
    assert Image.open(io.BytesIO(png)).mode == "P"  # palette-quantized
    raw = static.png_bytes(render(2), dpi=30, quantize=False)
    assert b"Software" not in raw and Image.open(io.BytesIO(raw)).mode == "RGBA"


def test_labels_and_alt_text():
    s = static.slider(render, PARAMS, labels={"a": "depth"}, alt="depth {a}, gain {b}", dpi=30)
    page = Parsed(s.html)
    assert page.find("input", "il-slider")[0]["aria-label"] == "depth"
    assert re.search(r"<label>depth: <input", s.html)
    assert page.data()["alt"][:2] == ["depth 1, gain 0.5", "depth 1, gain 1.0"]
    assert page.find("img")[0]["alt"] == "depth 1, gain 0.5"
    s = static.slider(render, {"a": [1, 2]}, alt=lambda a: f"curve {a}", dpi=30)
    assert Parsed(s.html).find("img")[0]["alt"] == "curve 1"
    default = Parsed(static.slider(render, {"a": [1, 2]}, dpi=30).html).find("img")[0]["alt"]
    assert default == "Figure for a = 1"
    assert '<output class="il-value">1</output>' in s.html


def test_html_in_labels_and_values_is_escaped():
    s = static.slider(lambda c: render(1, c=c), {"c": ["<b>", "</script>"]}, alt="{c}", dpi=30)
    assert "</script>" not in s.html.split("<script>", 1)[1].rsplit("</script>", 1)[0]
    assert '<output class="il-value">&lt;b&gt;</output>' in s.html


def test_size_budget_is_enforced():
    with pytest.raises(ValueError, match=r"MB.*max_bytes=10,000.*dpi"):
        static.slider(render, PARAMS, max_bytes=10_000, dpi=30)
    assert static.slider(render, PARAMS, max_bytes=2_000_000, dpi=30).nbytes < 2_000_000


def test_pyplot_figures_are_closed():
    def pyplot_render(a):
        fig, ax = plt.subplots(figsize=(2, 1.5))
        ax.plot([0, a])
        return fig

    static.slider(pyplot_render, {"a": [1, 2, 3]}, dpi=30)
    assert plt.get_fignums() == []


def test_bad_arguments():
    with pytest.raises(ValueError, match="1 to 3"):
        static.slider(render, {"a": [1, 2], "b": [1, 2], "c": [1, 2], "d": [1, 2]})
    with pytest.raises(ValueError, match="1 to 3 entries with two or more values"):
        static.slider(render, {"a": [1], "b": [1]})  # a slider that moves nothing is a dead control
    with pytest.raises(ValueError, match="1 to 3"):
        static.slider(render, {})
    with pytest.raises(ValueError, match="non-empty list"):
        static.slider(render, {"a": []})
    with pytest.raises(ValueError, match="identifiers"):
        static.slider(render, {"not a name": [1]})
    with pytest.raises(TypeError, match="Figure"):
        static.slider(lambda a: None, {"a": [1, 2]})
    with pytest.raises(ValueError, match="valid fields: a"):
        static.slider(render, {"a": [1, 2]}, alt="{depth}")
    with pytest.raises(ValueError, match="need 2 frames"):
        static.frames_html([b"x"], {"a": [1, 2]})


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_script_is_valid_javascript(tmp_path):
    script = Parsed(static.slider(render, PARAMS, dpi=30).html).script
    path = tmp_path / "slider.js"
    path.write_text(script)
    subprocess.run(["node", "--check", str(path)], check=True, capture_output=True)


def test_an_explorer_can_render_the_frames():
    from initlab import widgets

    explorer = widgets.chain_explorer()
    s = static.slider(lambda depth: explorer.update(depth=depth), {"depth": [5, 50]}, dpi=30)
    assert s.n_frames == 2 and len(Parsed(s.html).data()["src"]) == 2
    assert explorer.update(depth=7) is explorer.figure  # the explorer still works afterwards


# the explorers' static twins ------------------------------------------------------------------------

def frame_widths(s):
    pngs = [base64.b64decode(src.split(",", 1)[1]) for src in Parsed(s.html).data()["src"]]
    return {Image.open(io.BytesIO(png)).size[0] for png in pngs}


def test_chain_slider_one_frame_per_w_and_depth_on_one_y_range():
    s = static.chain_slider(w=(0.9, 1.1), depth=(5, 50), dpi=30)
    assert s.n_frames == 4 and Parsed(s.html).data()["values"] == [["0.9", "1.1"], ["5", "50"]]
    r = static.chain_slider(kind="random", spectral_radius=(0.9, 1.1), depth=(5,), dpi=30)
    assert r.n_frames == 2 and "spectral radius" in r.html
    with pytest.raises(ValueError, match="unknown kind 'diagonal'; valid: w\\*I, random"):
        static.chain_slider(kind="diagonal")
    with pytest.raises(ValueError, match="unknown size 'poster'; valid: notebook, projector"):
        static.chain_slider(size="poster")


def test_projector_frames_are_wider():
    small = static.chain_slider(w=(1.0, 1.1), depth=(5,))
    big = static.chain_slider(w=(1.0, 1.1), depth=(5,), size="projector")
    assert min(frame_widths(big)) >= 1200 > 2 * max(frame_widths(small))


def test_variance_slider_frames_and_the_bands_behind_them():
    s = static.variance_slider({"activation": ["tanh", "relu"], "init": {"LeCun": "lecun_normal", "He": "he_normal"}},
                               seeds=range(3), depth=6, width=16, dpi=30)
    assert s.n_frames == 4 and Parsed(s.html).data()["values"] == [["tanh", "relu"], ["LeCun", "He"]]
    band = s.data["bands"]["relu", "He"]
    assert band["a_std"].shape == (3, 6)
    from initlab.variance_view import variance_band
    np.testing.assert_array_equal(band["a_std"][2], variance_band(6, 16, "relu", "he_normal", seeds=[2])["a_std"][0])
    with pytest.raises(ValueError, match="unknown knob 'lr'; valid: depth, width"):
        static.variance_slider({"lr": [0.1]})
    with pytest.raises(ValueError, match="sliders must be a dict"):
        static.variance_slider(["depth"])


def test_histogram_slider_frames_and_the_runs_behind_them():
    from initlab.initializers import HISTOGRAM_PRESETS

    inits = {k: HISTOGRAM_PRESETS[k] for k in ("N(0, 1/n)", "N(0, 1)")}
    s = static.histogram_slider(inits=inits, epochs=(0, 1), hidden=(20, 20), probe=50, dpi=30)
    assert s.n_frames == 4 and Parsed(s.html).data()["values"] == [["N(0, 1/n)", "N(0, 1)"], ["0", "1"]]
    acts, costs = s.data["runs"]["N(0, 1)", 1]
    assert [a.shape for a in acts] == [(50, 20), (50, 20)] and costs.shape == (2,)
    assert np.abs(acts[1]).max() > np.abs(s.data["runs"]["N(0, 1/n)", 1][0][1]).max()  # N(0, 1) saturates more


def test_playground_slider_shows_every_seed_and_counts_the_target():
    s = static.playground_slider(inits=("Zero", "Appropriate"), data_sets=("circles", "moons"), epochs=(0, 50),
                                 seeds=range(3), dpi=30)
    assert s.n_frames == 8
    assert Parsed(s.html).data()["values"] == [["Zero", "Appropriate"], ["circles", "moons"], ["0", "50"]]
    costs = s.data["costs"]["Zero", "moons"]
    assert costs.shape == (51, 3) and np.allclose(costs[0], np.log(2))  # zero weights: p = 0.5 at first
    assert np.all(costs == costs[:, :1]) and costs[-1, 0] > 0.69  # zeros draw nothing: every seed alike, stuck
    assert "member 0" in Parsed(s.html).find("img", "il-frame")[0]["alt"]


def test_static_twins_draw_with_the_explorers_views():
    from initlab import chain_view, histogram_view, playground_view, variance_view, widgets

    assert isinstance(widgets.chain_explorer().view, chain_view.ChainView)
    assert isinstance(widgets.variance_explorer(depth=3, seeds=range(2)).view, variance_view.VarianceView)
    assert isinstance(widgets.histogram_explorer(hidden=(8,)).view, histogram_view.HistogramView)
    assert isinstance(widgets.playground(seeds=range(2)).view, playground_view.PlaygroundView)


def test_a_single_value_gets_no_slider_but_reaches_render_and_alt():
    seen = []

    def draw(a, b):
        seen.append((a, b))
        return render(a, b)

    s = static.slider(draw, {"a": [1, 2, 3], "b": [0.5]}, dpi=30)
    page = Parsed(s.html)
    assert [x["data-param"] for x in page.find("input", "il-slider")] == ["a"] and s.n_frames == 3
    assert seen == [(1, 0.5), (2, 0.5), (3, 0.5)] and page.data()["alt"][0] == "Figure for a = 1, b = 0.5"


def test_playground_slider_shows_no_control_for_a_single_value():
    one = static.playground_slider(inits=("Zero", "Appropriate"), data_sets=["circles"], epochs=(0, 10),
                                      seeds=range(2))
    page = one._repr_html_()
    assert one.n_frames == 4 and page.count('type="range"') == 2 and ">data<" not in page
    assert "circles data" in page  # the fixed value still names every frame
