"""Tables for results: HTML in the book, aligned plain text in a terminal and for nbval (Chapter 1)."""
import html
import numbers
import re
import textwrap

import numpy as np

from ._checks import check_floor, check_sig
from .report import Summary, fmt

_SCALE_UNIT = re.compile(r"×10\^?([+-]?\d+)|×1e([+-]?\d+)")
_ASCII_SCALE = re.compile(r"\s*[x*]\s*1(e|0\^?)[+-]?\d+\s*")
LINE_WIDTH = 88  # plain-text tables wrap to this many characters
_MAX_TEXT = 40   # in plain text, a longer text cell is cut to 39 characters and "…"


def _cell_kind(value, where):
    if value is None:
        return "empty"
    if isinstance(value, (str, Summary)):
        return "text"
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (numbers.Real, np.bool_)):
        return "number"
    raise TypeError(f"{where} must be a number, a str, a Summary or None, "
                    f"got {type(value).__name__} {value!r}")


def _unit_scale(unit, column):
    """The factor a unit like "×1e-3" divides its column by (1 for a plain unit like "nats")."""
    if not isinstance(unit, str) or not unit.strip():
        raise TypeError(f"the unit of column {column!r} must be a non-empty str, "
                        f"got {type(unit).__name__} {unit!r}")
    if _ASCII_SCALE.fullmatch(unit):
        raise ValueError(f"unit {unit!r} of column {column!r}: write a scale with the sign ×, "
                         f"e.g. '×1e-3'")
    m = _SCALE_UNIT.fullmatch(unit.strip())
    return 10.0 ** int(m.group(1) or m.group(2)) if m else 1


class Table:
    """Rows of numbers and labels: an HTML table in the book, aligned text elsewhere (Chapter 1).

    Numbers go through fmt(value, sig, floor) and are right-aligned, text (str, or a Summary as
    its str) left-aligned, None is an empty cell. units maps a column to a unit shown in its
    header, "cost (nats)"; a scale unit "×1e-3" also divides the column's numbers by 1e-3, so
    "std (×1e-3)" reads 4.20 for 0.0042. The first column labels the rows (th scope="row").
    Plain text keeps to LINE_WIDTH (88) characters: text cells longer than 40 characters are cut
    with "…"; if the table is still too wide, headers wrap at spaces to the width of their column,
    and columns that still do not fit continue in blocks below, each repeating the first column.
    An experiment keeps the arrays behind its table in data (for plots); column(name) gives a
    column's values back unformatted.
    """

    def __init__(self, rows, columns, caption=None, units=None, sig=3, floor=None, data=None):
        self.sig, self.floor = check_sig(sig), check_floor(floor)
        if data is not None and not isinstance(data, dict):
            raise TypeError(f"data must be a dict of arrays behind the table or None, got {type(data).__name__}")
        self.data = dict(data or {})
        if isinstance(columns, str) or not all(isinstance(c, str) and c for c in columns):
            raise TypeError(f"columns must be a sequence of non-empty str, got {columns!r}")
        self.columns = tuple(columns)
        if not self.columns or len(set(self.columns)) < len(self.columns):
            raise ValueError(f"columns must be non-empty and distinct, got {list(self.columns)}")
        if caption is not None and not isinstance(caption, str):
            raise TypeError(f"caption must be a str or None, got {type(caption).__name__} {caption!r}")
        self.caption = caption
        units = dict(units or {})
        unknown = [c for c in units if c not in self.columns]
        if unknown:
            raise ValueError(f"units name unknown column(s) {unknown}; "
                             f"the columns are {list(self.columns)}")
        self.units = {c: units[c] for c in self.columns if c in units}
        scales = {c: _unit_scale(u, c) for c, u in self.units.items()}
        if isinstance(rows, (str, dict)):
            raise TypeError(f"rows must be a sequence of rows (a dict: Table.from_columns), got {rows!r}")
        self.rows = tuple(tuple(row) for row in rows)
        self._cells = []  # per row, per column: (text, kind), kind "number", "text" or "empty"
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {i} has {len(row)} cells, expected {len(self.columns)} "
                                 f"(columns {list(self.columns)}): {list(row)!r}")
            self._cells.append([self._cell(value, i, c, scales.get(c, 1))
                                for c, value in zip(self.columns, row)])

    def _cell(self, value, i, column, scale):
        """(text, kind) of one cell; kind is "number", "text" or "empty"."""
        where = f"row {i}, column {column!r}"
        kind = _cell_kind(value, where)
        if kind == "empty":
            return "", kind
        if scale != 1 and (kind != "number" or isinstance(value, (bool, np.bool_))):
            raise TypeError(f"{where}: the scale unit {self.units[column]!r} needs numbers, "
                            f"got {value!r}")
        if kind == "text":
            return str(value), kind
        return fmt(value / scale if scale != 1 else value, self.sig, self.floor), kind

    @classmethod
    def from_columns(cls, columns, caption=None, units=None, sig=3, floor=None, data=None):
        """A Table from {column name: sequence of values}, all of one length; data as in Table."""
        table_data, data = data, columns
        if not isinstance(data, dict):
            raise TypeError(f"from_columns needs a dict of columns, got {type(data).__name__}")
        lengths = {name: len(values) for name, values in data.items()}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"columns have different lengths: {lengths}")
        return cls(list(zip(*data.values())), list(data), caption, units, sig, floor, table_data)

    def column(self, name):
        """The unformatted values of one column, a tuple in row order."""
        if name not in self.columns:
            raise ValueError(f"unknown column {name!r}; the columns are {list(self.columns)}")
        j = self.columns.index(name)
        return tuple(row[j] for row in self.rows)

    def header(self, column):
        """The header text of a column: its name and unit, "cost (nats)"."""
        return f"{column} ({self.units[column]})" if column in self.units else column

    def _numeric(self, j):
        kinds = {cells[j][1] for cells in self._cells} - {"empty"}
        return kinds == {"number"}

    def _repr_html_(self):
        def cell(tag, text, right, scope=""):
            scope = f' scope="{scope}"' if scope else ""
            align = "right" if right else "left"
            return f'<{tag}{scope} style="text-align: {align}">{html.escape(text)}</{tag}>'

        out = ['<table class="il-table">']
        if self.caption:
            out.append(f"<caption>{html.escape(self.caption)}</caption>")
        out.append("<thead><tr>" + "".join(cell("th", self.header(c), self._numeric(j), "col")
                                           for j, c in enumerate(self.columns)) + "</tr></thead>")
        out.append("<tbody>")
        for cells in self._cells:
            (text, kind), rest = cells[0], cells[1:]
            out.append("<tr>" + cell("th", text, kind == "number", "row")
                       + "".join(cell("td", t, k == "number") for t, k in rest) + "</tr>")
        out.append("</tbody></table>")
        return "\n".join(out)

    def _text_columns(self, wrap):
        """Per column: (header lines, cells cut for plain text, width, numeric)."""
        cols = []
        for j, column in enumerate(self.columns):
            cells = [(t[:_MAX_TEXT - 1] + "…" if k == "text" and len(t) > _MAX_TEXT else t, k)
                     for t, k in (row[j] for row in self._cells)]
            head = self.header(column)
            lines = [head]
            if wrap:
                width = max([len(t) for t, _ in cells] + [len(w) for w in head.split()])
                lines = textwrap.wrap(head, width, break_long_words=False, break_on_hyphens=False)
            width = max(len(s) for s in lines + [t for t, _ in cells])
            cols.append((lines, cells, width, self._numeric(j)))
        return cols

    def __str__(self):
        cols = self._text_columns(wrap=False)
        if sum(c[2] for c in cols) + 2 * (len(cols) - 1) > LINE_WIDTH:
            cols = self._text_columns(wrap=True)
        blocks, used = [[0]], cols[0][2]
        for j in range(1, len(cols)):
            if used + 2 + cols[j][2] > LINE_WIDTH and len(blocks[-1]) > 1:
                blocks.append([0])
                used = cols[0][2]
            blocks[-1].append(j)
            used += 2 + cols[j][2]
        out = textwrap.wrap(self.caption, LINE_WIDTH) if self.caption else []
        for block in blocks:
            if len(out) and block is not blocks[0]:
                out.append("")
            depth = max(len(cols[j][0]) for j in block)
            for h in range(depth):  # headers bottom-aligned: a shorter one starts lower down
                out.append(_line(cols, block, lambda j: _at(cols[j][0], h - depth + len(cols[j][0]))))
            out.append("  ".join("-" * cols[j][2] for j in block))
            for i in range(len(self._cells)):
                out.append(_line(cols, block, lambda j: cols[j][1][i][0],
                                 lambda j: cols[j][1][i][1] == "number"))
        return "\n".join(out)

    __repr__ = __str__


def _at(lines, i):
    return lines[i] if 0 <= i < len(lines) else ""


def _line(cols, block, text, right=None):
    """One line of plain text: numbers (in headers: numeric columns) right-aligned."""
    right = right or (lambda j: cols[j][3])
    return "  ".join(text(j).rjust(cols[j][2]) if right(j) else text(j).ljust(cols[j][2])
                     for j in block).rstrip()
