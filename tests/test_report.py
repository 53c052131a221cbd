"""report: fmt prints only surviving digits, glue pastes exactly that text, summarize sums up seeds."""
from fractions import Fraction
from html.parser import HTMLParser

import nbformat
import numpy as np
import pytest

import initlab as il
from initlab.report import Summary, fmt, glue, summarize
from initlab.table import Table

pytestmark = pytest.mark.usefixtures("strict_warnings")


@pytest.mark.parametrize("x, sig, expected", [
    (0.000123, 3, "0.000123"),
    (1234567.0, 3, "1.23e+06"),
    (0.5, 3, "0.500"),          # trailing zeros kept: exactly sig digits
    (0.5, 1, "0.5"),
    (1.0, 3, "1.00"),
    (-0.5, 2, "-0.50"),
    (123.4, 3, "123"),
    (999.6, 3, "1.00e+03"),     # rounds up past 10**sig: scientific
    (99.96, 3, "100"),          # rounds up to 100: still fixed
    (9.9996, 3, "10.0"),
    (1000.0, 3, "1.00e+03"),
    (1e-4, 3, "0.000100"),
    (9.9999e-5, 3, "0.000100"),  # rounds up to 1e-4: fixed
    (9.99e-5, 3, "9.99e-05"),
    (1e-17, 3, "1.00e-17"),
    (-1e-17, 3, "-1.00e-17"),   # a real negative number, not a negative zero
    (2.2e-16, 2, "2.2e-16"),
    (0.0, 3, "0"),
    (-0.0, 3, "0"),
    (np.float64(-0.0), 2, "0"),
    (np.float32(0.1), 3, "0.100"),
    (np.float16(0.25), 2, "0.25"),
    (Fraction(1, 3), 2, "0.33"),
    (12345.6, 5, "12346"),
    (12345.6, 6, "12345.6"),
    (0.123456789, 1, "0.1"),
    (15.0, 1, "2e+01"),
    (np.inf, 3, "inf"),
    (-np.inf, 3, "-inf"),
    (np.nan, 3, "nan"),
    (np.float32(np.nan), 3, "nan"),
    (12, 3, "12"),              # ints exactly
    (np.int64(12), 3, "12"),
    (1234567, 2, "1234567"),
    (-7, 1, "-7"),
    (np.uint8(255), 1, "255"),
    (True, 3, "True"),
    (np.bool_(False), 3, "False"),
    (np.array(0.25), 2, "0.25"),  # 0-d array, e.g. from np.median of an array
])
def test_fmt_significant_figures(x, sig, expected):
    assert fmt(x, sig) == expected


def test_fmt_default_is_three_significant_figures():
    assert fmt(np.pi) == "3.14"
    assert fmt(-np.exp(20)) == "-4.85e+08"


@pytest.mark.parametrize("x, floor, expected", [
    (2.2e-16, 1e-12, "< 1e-12"),
    (-2.2e-16, 1e-12, "< 1e-12"),   # whatever the sign
    (-1e-17, 1e-12, "< 1e-12"),
    (0.0, 1e-12, "< 1e-12"),        # 0 on one machine, 1e-16 on another: same text
    (-0.0, 1e-12, "< 1e-12"),
    (1e-12, 1e-12, "1.00e-12"),     # strictly below the floor only
    (0.004, 0.01, "< 0.01"),
    (0.004, 5e-3, "< 0.005"),
    (0.0123, 0.01, "0.0123"),
    (np.inf, 1e-12, "inf"),
    (np.nan, 1e-12, "nan"),
    (0, 1e-12, "0"),                # ints are exact, never floored
    (np.int64(3), 10, "3"),
])
def test_fmt_floor(x, floor, expected):
    assert fmt(x, floor=floor) == expected


def test_fmt_never_prints_more_digits_than_sig():
    rng = np.random.default_rng(0)
    for x in np.concatenate([rng.standard_normal(200) * 10.0 ** rng.integers(-8, 9, 200), [9.9995, 0.99995]]):
        for sig in (1, 2, 3, 4):
            text = fmt(x, sig)
            digits = text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
            assert len(digits) <= sig, (x, sig, text)
            assert np.isclose(float(text), x, rtol=0.5 * 10.0 ** (1 - sig)), (x, sig, text)


@pytest.mark.parametrize("bad", ["0.5", None, [1.0], np.ones(2), 1 + 2j, object()])
def test_fmt_rejects_non_numbers_naming_them(bad):
    with pytest.raises(TypeError, match="real number, got " + type(bad).__name__):
        fmt(bad)


@pytest.mark.parametrize("sig", [0, -1, 2.0, "3", None, True])
def test_fmt_sig_must_be_a_positive_int(sig):
    with pytest.raises(ValueError, match=r"sig must be an int >= 1, got " + repr(sig).replace("(", r"\(")):
        fmt(0.5, sig)


def test_fmt_floor_must_be_a_positive_number():
    for floor in (0, -1e-12, np.inf, np.nan):
        with pytest.raises(ValueError, match=r"floor must be a positive number or None, got"):
            fmt(0.5, floor=floor)
    for floor in ("1e-12", True):
        with pytest.raises(TypeError, match=r"floor must be a positive number or None, got (str|bool)"):
            fmt(0.5, floor=floor)


# glue ---------------------------------------------------------------------------------------

@pytest.fixture
def glued(monkeypatch):
    """Capture what myst_nb.glue would send to the notebook: {name: (mimebundle, metadata)}."""
    import myst_nb.ext.glue

    out = {}

    def display(bundle, raw, metadata):
        assert raw
        out[metadata["scrapbook"]["name"]] = (bundle, metadata)

    monkeypatch.setattr(myst_nb.ext.glue, "ipy_display", display)
    return out


def pasted(bundle):
    """The text {glue:text}`name` (no format spec) puts in the page, by myst_nb's own function."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(bundle["application/papermill.record/text/plain"], "s")


@pytest.mark.parametrize("value, kw, text", [
    (0.5, {}, "0.500"),                 # plain "0.500" would be pasted as the float 0.5
    (1234567.0, {}, "1.23e+06"),        # ... and this as 1230000.0
    (0.000100, {}, "0.000100"),
    (-2.2e-16, {"floor": 1e-12}, "< 1e-12"),
    (np.int64(8), {}, "8"),
    (0.91234, {"sig": 2}, "0.91"),
    (np.nan, {}, "nan"),
    ("8 of 8 seeds", {}, "8 of 8 seeds"),  # strings as is, no quotes
    ("it's \"quoted\"", {}, "it's \"quoted\""),
])
def test_glue_pastes_exactly_the_formatted_text(glued, value, kw, text):
    assert glue("key", value, **kw) == text
    bundle, metadata = glued["key"]
    assert metadata["scrapbook"] == {"name": "key", "mime_prefix": "application/papermill.record/"}
    assert pasted(bundle) == text  # {glue:text}`key`
    assert bundle["application/papermill.record/text/markdown"] == text  # {glue:}`key`
    assert set(bundle) == {"application/papermill.record/text/plain",
                           "application/papermill.record/text/markdown"}


def test_glue_a_summary_as_its_text(glued):
    s = summarize([0.9, 0.88, 0.91])
    assert glue("s", s) == str(s) == "median 0.90 (range 0.88-0.91, 3 seeds)"
    assert pasted(glued["s"][0]) == str(s)


def test_glue_rejects_bad_names_and_values(glued):
    with pytest.raises(TypeError, match="glue name must be a non-empty str, got int 3"):
        glue(3, 0.5)
    with pytest.raises(TypeError, match="glue name must be a non-empty str"):
        glue("", 0.5)
    with pytest.raises(TypeError, match="real number, got list"):
        glue("x", [0.5])
    assert glued == {}


def test_glue_in_a_kernel_stores_the_text_in_the_notebook():
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import initlab as il\nil.glue('half', 0.5)\nil.glue('w', 'as is');")]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert [o.metadata.scrapbook.name for o in outputs] == ["half", "w"]
    assert [pasted(o.data) for o in outputs] == ["0.500", "as is"]


# summarize ----------------------------------------------------------------------------------

def test_summarize_statistics_over_finite_values():
    v = np.array([0.9, 0.88, np.nan, 0.91, 0.9, np.inf, 0.89, -np.inf])
    s = summarize(v)
    finite = v[np.isfinite(v)]
    assert s.n == 8 and s.n_diverged == 3 and s.k is None
    assert s.median == np.median(finite) and s.min == 0.88 and s.max == 0.91
    assert (s.q1, s.q3) == tuple(np.percentile(finite, [25, 75]))
    assert str(s) == "median 0.90 (range 0.88-0.91, 8 seeds, 3 diverged)"
    assert repr(s) == ("Summary(n=8, median=0.90, q1=0.89, q3=0.90, min=0.88, max=0.91, "
                       "n_diverged=3, k=None)")
    assert isinstance(s, Summary) and il.summarize is summarize


def test_summarize_text_goes_through_fmt():
    s = summarize([0.9, 0.88, 0.91], sig=2)
    assert str(s) == "median 0.90 (range 0.88-0.91, 3 seeds)"
    assert str(summarize([0.9, 0.88, 0.91], sig=3)) == "median 0.900 (range 0.880-0.910, 3 seeds)"
    assert str(summarize([3e-6, 1e-5])) == "median 6.5e-06 (range 3.0e-06 to 1.0e-05, 2 seeds)"
    assert str(summarize([-0.5, 0.25])) == "median -0.12 (range -0.50 to 0.25, 2 seeds)"
    assert str(summarize([7])) == "median 7.0 (range 7.0-7.0, 1 seed)"


def test_summarize_ints_are_summarized_as_floats():
    s = summarize(np.arange(5))
    assert s.median == 2.0 and s.min == 0.0 and s.max == 4.0
    assert str(s) == "median 2.0 (range 0-4.0, 5 seeds)"


def test_summarize_thresholds_count_members():
    v = [0.95, 0.80, np.nan, 0.99, 0.90, np.inf]
    assert summarize(v, at_least=0.9).k == 3
    assert summarize(v, at_least=0.9).k_of_n == "3 of 6 seeds"
    assert summarize(v, at_most=0.9).k == 2
    assert summarize(v, at_least=0.85, at_most=0.96).k == 2
    assert summarize(v, at_least=-np.inf).k == 4  # non-finite members never meet it
    assert summarize([1.0], at_most=2).k_of_n == "1 of 1 seed"
    assert summarize(v, at_least=2.0).k == 0


def test_summarize_all_diverged():
    s = summarize([np.nan, np.inf], at_most=1.0)
    assert s.n == 2 and s.n_diverged == 2 and s.k == 0
    assert np.isnan([s.median, s.q1, s.q3, s.min, s.max]).all()
    assert str(s) == "all 2 seeds diverged"
    assert s.k_of_n == "0 of 2 seeds"


def test_summarize_huge_values_without_warnings():
    s = summarize([-1e308, 1e308])
    assert s.min == -1e308 and s.max == 1e308


def test_k_of_n_needs_a_threshold():
    with pytest.raises(ValueError, match="k_of_n needs a threshold: summarize.*at_least"):
        summarize([0.9]).k_of_n


@pytest.mark.parametrize("values, error, message", [
    ([], ValueError, "values is empty"),
    (np.ones((2, 3)), ValueError, r"1-d \(one number per seed\), got shape \(2, 3\)"),
    (np.float64(3.0), ValueError, r"got shape \(\)"),
    (["a", "b"], TypeError, "real numbers .*got dtype <U1"),
    ([True, False], TypeError, "got dtype bool"),
    ([1 + 1j], TypeError, "got dtype complex"),
    ([[1.0], [1.0, 2.0]], ValueError, "1-d sequence of numbers"),
    ([None, 1.0], TypeError, "got dtype object"),
])
def test_summarize_rejects_bad_values(values, error, message):
    with pytest.raises(error, match=message):
        summarize(values)


def test_summarize_rejects_bad_settings():
    with pytest.raises(ValueError, match="sig must be an int >= 1, got 0"):
        summarize([1.0], sig=0)
    with pytest.raises(TypeError, match="at_least must be a real number or None, got str '0.9'"):
        summarize([1.0], at_least="0.9")
    with pytest.raises(TypeError, match="at_most must be a real number or None, got float nan"):
        summarize([1.0], at_most=np.nan)


# ---- Table ------------------------------------------------------------------------------------

class _TableHTML(HTMLParser):
    """The structure of a Table's HTML: caption, header cells, body rows (tag, attrs, text)."""

    def __init__(self, markup):
        super().__init__()
        self.caption, self.head, self.body, self.stack, self.tags = None, [], [], [], []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.stack.append((tag, dict(attrs), []))
        if tag == "tr" and "tbody" in [t for t, _, _ in self.stack]:
            self.body.append([])

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][2].append(data)

    def handle_endtag(self, tag):
        name, attrs, text = self.stack.pop()
        assert name == tag, f"<{name}> closed by </{tag}>"
        text = "".join(text)
        inside = [t for t, _, _ in self.stack]
        if tag == "caption":
            self.caption = text
        elif tag in ("th", "td") and "thead" in inside:
            self.head.append((tag, attrs, text))
        elif tag in ("th", "td"):
            self.body[-1].append((tag, attrs, text))


def small_table(**kwargs):
    rows = [["he_normal", 0.0042137, 12.5], ["lecun_normal", None, np.inf], ["N(0, 1)", 1e-9, 3]]
    return Table(rows, ["init", "std", "cost"], **kwargs)


def test_table_text_is_exact():
    table = small_table(caption="Costs after 100 epochs", units={"std": "×1e-3", "cost": "nats"})
    assert str(table) == (
        "Costs after 100 epochs\n"
        "init          std (×1e-3)  cost (nats)\n"
        "------------  -----------  -----------\n"
        "he_normal            4.21         12.5\n"
        "lecun_normal                       inf\n"
        "N(0, 1)          1.00e-06            3")
    assert repr(table) == str(table)  # nbval compares text/plain, the repr


def test_table_text_without_units_and_caption():
    assert str(Table([["a", 1.0], ["bb", -0.25]], ["name", "x"], sig=2)) == (
        "name      x\n"
        "----  -----\n"
        "a       1.0\n"
        "bb    -0.25")


def test_table_sig_and_floor_go_through_fmt():
    text = str(Table([[1e-15], [12], [0.123456]], ["v"], sig=2, floor=1e-12))
    assert text.splitlines()[2:] == ["< 1e-12", "     12", "   0.12"]  # ints exactly


def test_table_shows_a_summary_as_its_text():
    s = summarize([0.5, 0.25, 1.0])
    assert str(Table([["he", s]], ["init", "cost"])).splitlines()[-1] == f"he    {s}"


def test_table_from_columns_equals_rows():
    by_columns = Table.from_columns({"init": ["a", "b"], "cost": [0.5, 0.25]}, caption="c")
    by_rows = Table([["a", 0.5], ["b", 0.25]], ["init", "cost"], caption="c")
    assert str(by_columns) == str(by_rows) and by_columns._repr_html_() == by_rows._repr_html_()


def test_table_html_structure():
    markup = small_table(caption="Costs <after> 100 epochs", units={"cost": "nats"})._repr_html_()
    parsed = _TableHTML(markup)
    assert parsed.tags[:2] == ["table", "caption"]
    assert parsed.caption == "Costs <after> 100 epochs"  # escaped in the markup, text again
    assert "&lt;after&gt;" in markup
    assert [(tag, attrs.get("scope"), text) for tag, attrs, text in parsed.head] == [
        ("th", "col", "init"), ("th", "col", "std"), ("th", "col", "cost (nats)")]
    assert [[text for _, _, text in row] for row in parsed.body] == [
        ["he_normal", "0.00421", "12.5"], ["lecun_normal", "", "inf"], ["N(0, 1)", "1.00e-09", "3"]]
    for row in parsed.body:
        assert row[0][0] == "th" and row[0][1]["scope"] == "row"  # the first column labels rows
        assert [tag for tag, _, _ in row[1:]] == ["td", "td"]
    aligns = [[attrs["style"] for _, attrs, _ in row] for row in parsed.body]
    assert aligns[0] == ["text-align: left", "text-align: right", "text-align: right"]
    assert [attrs["style"] for _, attrs, _ in parsed.head] == [
        "text-align: left", "text-align: right", "text-align: right"]


def test_table_html_escapes_cells_and_headers():
    markup = Table([["<b>a</b> & c", 1]], ["name <i>", "v"])._repr_html_()
    parsed = _TableHTML(markup)
    assert parsed.body[0][0][2] == "<b>a</b> & c" and parsed.head[0][2] == "name <i>"
    assert "<b>" not in markup and "<i>" not in markup


def test_table_html_is_deterministic():
    assert small_table()._repr_html_() == small_table()._repr_html_()
    assert " id=" not in small_table()._repr_html_()


def test_table_scale_unit_divides_the_column():
    table = Table([["a", 0.0042]], ["init", "std"], units={"std": "×1e-3"})
    assert str(table).splitlines()[-1] == "a            4.20"
    assert Table([["a", 4200]], ["n", "m"], units={"m": "×10^3"}).rows == (("a", 4200),)
    assert str(Table([["a", 4200]], ["n", "m"], units={"m": "×10^3"})).endswith("4.20")


def test_table_wraps_headers_only_when_too_wide():
    columns = ["init"] + [f"reached 0.1 at epoch {k}" for k in range(4)]
    narrow = Table([["he", 1, 2]], columns[:3])
    assert len(str(narrow).splitlines()) == 3  # fits in 88 characters: one header line
    wide = str(Table([["he", 1, 2, 3, 4]], columns))  # 100 characters unwrapped
    assert wide == (
        "      reached  reached  reached  reached\n"
        "       0.1 at   0.1 at   0.1 at   0.1 at\n"
        "init  epoch 0  epoch 1  epoch 2  epoch 3\n"
        "----  -------  -------  -------  -------\n"
        "he          1        2        3        4")


def test_table_wraps_wide_tables_and_cuts_long_text():
    columns = ["name"] + [f"column number {i}" for i in range(12)]
    table = Table([["x" * 60] + [1.5 * i for i in range(12)]], columns)
    lines = str(table).splitlines()
    assert max(len(line) for line in lines) <= 88
    assert sum(line.startswith("----") for line in lines) >= 2  # continued in a second block
    assert all(line.startswith("x" * 39 + "…") for line in lines if line.startswith("x"))
    assert "x" * 60 in table._repr_html_()  # HTML keeps the whole text
    assert "10.5" in str(table) and "16.5" in str(table)  # no column lost


@pytest.mark.parametrize("rows, columns, kwargs, error, message", [
    ([["a", 1.0], ["b"]], ["n", "v"], {}, ValueError, r"row 1 has 1 cells, expected 2"),
    ([["a", 1.0]], ["n", "v"], {"units": {"cost": "nats"}}, ValueError,
     r"units name unknown column\(s\) \['cost'\]; the columns are \['n', 'v'\]"),
    ([["a", 1.0]], ["n", "v"], {"units": {"v": 3}}, TypeError, "unit of column 'v' must be a non-empty str"),
    ([["a", 1.0]], ["n", "v"], {"units": {"v": ""}}, TypeError, "non-empty str"),
    ([["a", 1.0]], ["n", "v"], {"units": {"v": "x1e-3"}}, ValueError, "write a scale with the sign ×"),
    ([["a", "b"]], ["n", "v"], {"units": {"v": "×1e-3"}}, TypeError, "scale unit '×1e-3' needs numbers"),
    ([["a", [1.0]]], ["n", "v"], {}, TypeError, r"row 0, column 'v' must be a number, a str"),
    ([["a", 1 + 2j]], ["n", "v"], {}, TypeError, "got complex"),
    ([["a", 1.0]], ["n", "n"], {}, ValueError, "distinct"),
    ([["a", 1.0]], "nv", {}, TypeError, "columns must be a sequence of non-empty str"),
    ([["a", 1.0]], ["n", "v"], {"sig": 0}, ValueError, "sig must be an int >= 1"),
    ([["a", 1.0]], ["n", "v"], {"caption": 3}, TypeError, "caption must be a str"),
    ({"n": ["a"]}, ["n"], {}, TypeError, "Table.from_columns"),
])
def test_table_rejects_bad_input(rows, columns, kwargs, error, message):
    with pytest.raises(error, match=message):
        Table(rows, columns, **kwargs)


def test_table_from_columns_rejects_unequal_lengths():
    with pytest.raises(ValueError, match=r"different lengths: \{'a': 2, 'b': 1\}"):
        Table.from_columns({"a": [1, 2], "b": [3]})


def test_table_is_exported():
    assert il.Table is Table and "Table" in il.__all__


def test_table_keeps_its_data_and_gives_columns_back_unformatted():
    t = il.Table.from_columns({"init": ["a", "b"], "std": [0.012345, 2.0]}, data={"curve": np.arange(3)})
    assert t.column("std") == (0.012345, 2.0) and t.column("init") == ("a", "b")
    assert list(t.data["curve"]) == [0, 1, 2]
    with pytest.raises(ValueError, match="unknown column 'x'.*'init', 'std'"):
        t.column("x")
    with pytest.raises(TypeError, match="data must be a dict"):
        il.Table([[1]], ["a"], data=[1, 2])
