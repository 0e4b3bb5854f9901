"""Expected answers and the comparison of a query's result with them, for every benchmark.

A ``Reference`` is one query's expected result: shipped with a benchmark (read by
``load_answers`` from the benchmark's ``answers/`` folder) or computed by a reference
platform on the same data (``reference_from_rows``). ``compare`` runs after every
query execution, so it works column by column with list equality and one tight loop
per numeric column, and walks cell by cell only to explain a mismatch. It accepts
what the drivers return: ``int``, ``Decimal``, ``float``, ``str``, ``datetime.date``
and ISO-date ``str``, and ``None`` for NULL, which equals only NULL.
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

TOLERANCE = 0.01
"""How far a number may be from the reference unless the benchmark says otherwise (TPC-H's answers
are money, rounded to cents)."""

_SLACK = 1e-9  # binary doubles: a difference of exactly the tolerance must pass

Kind = Literal["int", "number", "text", "any"]
"""How a column compares: exact integers, numbers within ``TOLERANCE``, exact text, or cell by cell."""


@dataclasses.dataclass(frozen=True)
class Reference:
    """The expected result of one query."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    ordered: bool
    """Whether the query has a top-level ORDER BY, so that row order is part of the answer."""
    tolerance: float = TOLERANCE
    """How far a number may be from the expected one."""
    keys: tuple[int, ...] | None = None
    """For an ordered answer, the columns (0-based) its ORDER BY sorts on, when known: rows that tie
    on them may come in any order (engines break ties differently). None: the whole row order
    is the answer."""

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
def load_answers(package: str, file_name: str, expected_format: str) -> dict[str, Reference] | None:
    """All references in one shipped answers file of a benchmark package, read once per process.

    Returns:
        Query id -> reference, or None when no such file ships (then the caller records
        the query as not validated rather than failed).
    """
    resource = files(package) / "answers" / file_name
    if not resource.is_file():
        return None
    document = json.loads(gzip.decompress(resource.read_bytes()))
    if document.get("format") != expected_format:
        raise ValueError(f"{file_name}: unknown answers format {document.get('format')!r}")
    tolerance = float(document.get("tolerance", TOLERANCE))
    return {
        query: Reference(
            columns=tuple(entry["columns"]),
            rows=tuple(tuple(row) for row in entry["rows"]),
            ordered=bool(entry["ordered"]),
            tolerance=tolerance,
            keys=tuple(entry["keys"]) if entry.get("keys") is not None else None,
        )
        for query, entry in document["queries"].items()
    }


def reference_from_rows(
    sql: str,
    rows: Sequence[tuple[object, ...]],
    dialect: str = "duckdb",
    tolerance: float = TOLERANCE,
    ordered: bool | None = None,
    keys: tuple[int, ...] | None = None,
) -> Reference:
    """A reference answer computed elsewhere (by a reference platform) for ``sql``.

    Row order is part of the answer exactly when the query has a top-level ORDER BY
    (``ordered``, when the caller knows it already); ``keys`` as in ``Reference``. When
    ``ordered`` is None both are read from the SQL (``order_keys``).
    """
    if ordered is None:
        keys = order_keys(sql, dialect)
        ordered = keys is not None
    return Reference(_column_names(rows), tuple(rows), ordered, tolerance, keys if ordered else None)


def is_ordered(sql: str, dialect: str = "duckdb") -> bool:
    """Whether a query's result order is part of its answer: it has a top-level ORDER BY."""
    import sqlglot

    return sqlglot.parse_one(sql, read=dialect).args.get("order") is not None


def order_keys(sql: str, dialect: str = "duckdb") -> tuple[int, ...] | None:
    """The output columns (0-based) a query's top-level ORDER BY sorts on, in order.

    Each sort key is matched to the select list: by position (``order by 2``), by output
    name (an alias or a column's name), or by the same expression. The keys stop at the
    first one that is not an output column (rows that tie on the keys before it may then
    come in any visible order). None when the query has no ORDER BY.
    """
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read=dialect)
    order = tree.args.get("order")
    if order is None:
        return None
    select = tree
    while isinstance(select, exp.SetOperation):  # a UNION's columns are its first branch's
        select = select.this
    if isinstance(select, exp.Subquery):
        select = select.unnest()
    projections = list(select.expressions) if isinstance(select, exp.Select) else []
    names = [p.alias_or_name for p in projections]
    bare = [p.unalias() if isinstance(p, exp.Alias) else p for p in projections]
    keys: list[int] = []
    for ordered in order.expressions:
        key = ordered.this
        if isinstance(key, exp.Literal) and key.is_int and 1 <= int(key.name) <= len(projections):
            keys.append(int(key.name) - 1)
        elif isinstance(key, exp.Column) and key.name in names:
            keys.append(names.index(key.name))
        elif key in bare:
            keys.append(bare.index(key))
        else:
            break
    return tuple(keys)


def _column_names(rows: Sequence[tuple[object, ...]]) -> tuple[str, ...]:
    width = len(rows[0]) if rows else 0
    return tuple(f"column{i + 1}" for i in range(width))


def compare(reference: Reference, rows: Sequence[Sequence[object]]) -> Verdict:
    """Compare a fetched result with its reference.

    Numbers match within ``reference.tolerance`` (an integer column matches only integral
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
    limit = reference.tolerance + _SLACK
    if reference.ordered and reference.keys is not None:
        # The same rows, and in the same order as far as the sort keys decide it.
        verdict = _agree(
            dataclasses.replace(reference, ordered=False),
            reference._sorted_columns,
            _sort_columns(actual, kinds),
            limit,
        )
        if verdict is not OK:
            return verdict
        keys = list(reference.keys)
        bad = [i for i in keys if not _column_agrees(kinds[i], reference._columns[i], actual[i], limit)]
        if not bad:
            return OK
        return Verdict("mismatch", _explain(reference, reference._columns, actual, bad))
    if reference.ordered:
        return _agree(reference, reference._columns, actual, limit)
    return _agree(reference, reference._sorted_columns, _sort_columns(actual, kinds), limit)


def _agree(
    reference: Reference, expected: list[list[object]], actual: list[list[object]], limit: float
) -> Verdict:
    bad = [
        i for i, kind in enumerate(reference.kinds) if not _column_agrees(kind, expected[i], actual[i], limit)
    ]
    if not bad:
        return OK
    return Verdict("mismatch", _explain(reference, expected, actual, bad))


def _explain(
    reference: Reference, expected: list[list[object]], actual: list[list[object]], bad: list[int]
) -> str:
    """Name the first differing cell (row-major), and say when only the order differs."""
    limit = reference.tolerance + _SLACK
    row, column = min((_first_difference(expected[i], actual[i], limit), i) for i in bad)
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


def _same(expected: object, actual: object, limit: float = TOLERANCE + _SLACK) -> bool:
    """One cell, after normalization: a float within ``limit``, an int exactly, anything else equal."""
    if type(expected) is float:
        return _is_number(actual) and abs(expected - float(actual)) <= limit  # type: ignore[arg-type]
    if type(expected) is int:
        return _is_number(actual) and actual == expected
    return type(actual) is type(expected) and actual == expected


def _column_agrees(kind: Kind, expected: list[object], actual: list[object], limit: float) -> bool:
    if kind == "number":
        try:
            return all(abs(e - a) <= limit for e, a in zip(expected, actual, strict=True))  # type: ignore[operator]
        except TypeError:  # a None, or a value of the wrong type: decide cell by cell
            return all(_same(e, a, limit) for e, a in zip(expected, actual, strict=True))
    if kind == "any":
        return all(_same(e, a, limit) for e, a in zip(expected, actual, strict=True))
    return expected == actual  # int and text columns: already normalized to the reference's type


def _first_difference(expected: list[object], actual: list[object], limit: float) -> int:
    pairs = enumerate(zip(expected, actual, strict=True))
    return next((i for i, (e, a) in pairs if not _same(e, a, limit)), 0)


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
