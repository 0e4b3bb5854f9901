"""TPC-H reference answers and the comparison of a query's result with them.

The answers ship in ``answers/sf<SF>.json.gz`` for SF 0.01, 0.1 and 1. They are
the results of our own templates with the validation parameters on the data
benchbox generates (``tpchgen-cli``), and ``answers/make_answers.py`` wrote them
only after checking them against DuckDB's tpch extension and the spec's samples.

``compare`` runs after every query execution, so it works column by column with
list equality and one tight loop per numeric column, and walks cell by cell only
to explain a mismatch. It accepts what the drivers return: DuckDB's ``int``,
``Decimal``, ``float``, ``str`` and ``datetime.date``, and SQLite's ``int``,
``float`` and ISO-date ``str``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache, cached_property
from importlib.resources import files
from typing import Literal

from benchbox.benchmarks.tpch.data import sf_label

FORMAT = "benchbox.tpch.answers/1"
"""The answers-file format this module reads (written by ``answers/make_answers.py``)."""

TOLERANCE = 0.01
"""How far a number may be from the reference: TPC-H answers are money, rounded to cents."""

_LIMIT = TOLERANCE + 1e-9  # binary doubles: a difference of exactly 0.01 must pass

Kind = Literal["int", "number", "text", "any"]
"""How a column compares: exact integers, numbers within ``TOLERANCE``, exact text, or cell by cell."""


@dataclasses.dataclass(frozen=True)
class Reference:
    """The expected result of one query."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    ordered: bool
    """Whether the query has a top-level ORDER BY, so that row order is part of the answer."""

    @cached_property
    def kinds(self) -> tuple[Kind, ...]:
        """Each column's kind, from its values (computed once per reference)."""
        return tuple(_kind(column) for column in self._columns)

    @cached_property
    def _columns(self) -> list[list[object]]:
        """The rows transposed; numeric columns as floats, so every number compares with the tolerance."""
        if not self.rows:
            return [[] for _ in self.columns]
        columns = [list(column) for column in zip(*self.rows, strict=True)]
        return [_as_number(column) if _kind(column) == "number" else column for column in columns]

    @cached_property
    def _sorted_columns(self) -> list[list[object]]:
        return _sort_columns(self._columns, self.kinds)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The outcome of comparing a result with its reference."""

    status: Literal["ok", "mismatch"]
    diff: str | None = None
    """None when ok; else the row count difference or the first differing cell, expected vs actual."""


OK = Verdict("ok")


@cache
def _answers(file_name: str) -> dict[int, Reference] | None:
    """All references in one shipped file, read once per process; None when no such file ships."""
    resource = files(__package__) / "answers" / file_name
    if not resource.is_file():
        return None
    document = json.loads(gzip.decompress(resource.read_bytes()))
    if document.get("format") != FORMAT:
        raise ValueError(f"{file_name}: unknown answers format {document.get('format')!r}")
    return {
        int(query): Reference(
            columns=tuple(entry["columns"]),
            rows=tuple(tuple(row) for row in entry["rows"]),
            ordered=bool(entry["ordered"]),
        )
        for query, entry in document["queries"].items()
    }


def load_reference(scale_factor: float, query: int) -> Reference | None:
    """The reference answer of ``query`` with validation parameters at ``scale_factor``.

    Returns:
        None when no answers ship for that scale factor (only 0.01, 0.1 and 1 do),
        so the caller records the query as not validated rather than failed.
    """
    answers = _answers(f"sf{sf_label(scale_factor)}.json.gz")
    return None if answers is None else answers.get(query)


def compare(reference: Reference, rows: Sequence[Sequence[object]]) -> Verdict:
    """Compare a fetched result with its reference.

    Numbers match within ``TOLERANCE`` (an integer column matches only integral
    values exactly), text matches exactly, and dates match by ISO string. Row
    order matters only when ``reference.ordered``; otherwise both sides are sorted
    the same way and compared as multisets.

    Args:
        reference: The expected answer.
        rows: The actual rows, as the driver returned them.

    Returns:
        ``ok``, or ``mismatch`` with a one-line explanation of the first difference.
    """
    if len(rows) != len(reference.rows):
        return Verdict("mismatch", f"expected {len(reference.rows)} rows, got {len(rows)}")
    width = len(reference.columns)
    widths = {len(row) for row in rows}
    if widths - {width}:
        got = ", ".join(str(w) for w in sorted(widths - {width}))
        return Verdict("mismatch", f"expected {width} columns ({', '.join(reference.columns)}), got {got}")
    if not rows:
        return OK
    kinds = reference.kinds
    actual = [_NORMALIZE[kind](column) for kind, column in zip(kinds, zip(*rows, strict=True), strict=True)]
    if reference.ordered:
        expected = reference._columns
    else:
        expected, actual = reference._sorted_columns, _sort_columns(actual, kinds)
    bad = [i for i, kind in enumerate(kinds) if not _column_agrees(kind, expected[i], actual[i])]
    if not bad:
        return OK
    return Verdict("mismatch", _explain(reference, expected, actual, bad))


def _explain(
    reference: Reference, expected: list[list[object]], actual: list[list[object]], bad: list[int]
) -> str:
    """Name the first differing cell (row-major), and say when only the order differs."""
    row, column = min((_first_difference(expected[i], actual[i]), i) for i in bad)
    where = f"row {row + 1}" if reference.ordered else f"row {row + 1} of the sorted rows"
    text = f"{where}, column {reference.columns[column]}: expected {expected[column][row]!r}, "
    text += f"got {actual[column][row]!r}"
    if reference.ordered and compare(dataclasses.replace(reference, ordered=False), _rows(actual)) == OK:
        text = f"same rows in a different order; first at {text}"
    return text


def _rows(columns: list[list[object]]) -> list[tuple[object, ...]]:
    return list(zip(*columns, strict=True))


# Column kinds and normalization: actual values are brought to the reference's types first.


def _kind(values: Sequence[object]) -> Kind:
    types = {type(value) for value in values if value is not None}
    if types == {int}:
        return "int"
    if types and types <= {int, float}:
        return "number"
    if types == {str}:
        return "text"
    return "any"


def _iso(value: object) -> object:
    """Dates (and midnight timestamps) as ISO text; anything else unchanged."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _integral(value: object) -> object:
    """An integral float or Decimal as int (so it equals a reference integer); anything else unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _number(value: object) -> object:
    """An int or Decimal as float (bools stay bools, and so mismatch); anything else unchanged."""
    return float(value) if _is_number(value) else value  # type: ignore[arg-type]


def _as_text(values: Sequence[object]) -> list[object]:
    return [value if type(value) is str else _iso(value) for value in values]


def _as_int(values: Sequence[object]) -> list[object]:
    return [value if type(value) is int else _integral(value) for value in values]


def _as_number(values: Sequence[object]) -> list[object]:
    return [value if type(value) is float else _number(value) for value in values]


def _as_any(values: Sequence[object]) -> list[object]:
    return [value if type(value) is str else _iso(value) for value in values]


_NORMALIZE: dict[Kind, Callable[[Sequence[object]], list[object]]] = {
    "int": _as_int,
    "number": _as_number,
    "text": _as_text,
    "any": _as_any,
}


# Comparison.


def _same(expected: object, actual: object) -> bool:
    """One cell, after normalization: a float within the tolerance, an int exactly, anything else equal."""
    if type(expected) is float:
        return _is_number(actual) and abs(expected - float(actual)) <= _LIMIT  # type: ignore[arg-type]
    if type(expected) is int:
        return _is_number(actual) and actual == expected
    return type(actual) is type(expected) and actual == expected


def _column_agrees(kind: Kind, expected: list[object], actual: list[object]) -> bool:
    if kind == "number":
        try:
            return all(abs(e - a) <= _LIMIT for e, a in zip(expected, actual, strict=True))  # type: ignore[operator]
        except TypeError:  # a None, or a value of the wrong type: decide cell by cell
            return all(map(_same, expected, actual))
    if kind == "any":
        return all(map(_same, expected, actual))
    return expected == actual  # int and text columns: already normalized to the reference's type


def _first_difference(expected: list[object], actual: list[object]) -> int:
    pairs = enumerate(zip(expected, actual, strict=True))
    return next((i for i, (e, a) in pairs if not _same(e, a)), 0)


def _sort_key(value: object) -> tuple[int, object]:
    """A key that orders any mix of None, numbers and text without comparing across types."""
    if value is None:
        return (0, 0)
    if _is_number(value):
        return (1, float(value))  # type: ignore[arg-type]
    if isinstance(value, str):
        return (2, value)
    return (3, repr(value))


def _sort_columns(columns: list[list[object]], kinds: Sequence[Kind]) -> list[list[object]]:
    """Reorder the rows by exact columns first, then numeric ones, so near-equal numbers pair up."""
    priority = sorted(range(len(columns)), key=lambda i: kinds[i] == "number")
    keys = list(zip(*(columns[i] for i in priority), strict=True))
    try:
        order = sorted(range(len(keys)), key=keys.__getitem__)
    except TypeError:  # None or mixed types in a column: rank every value by its type first
        keys = list(zip(*([_sort_key(v) for v in columns[i]] for i in priority), strict=True))
        order = sorted(range(len(keys)), key=keys.__getitem__)
    return [[column[i] for i in order] for column in columns]
