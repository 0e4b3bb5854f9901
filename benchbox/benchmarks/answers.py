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
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache, cached_property
from importlib.resources import files
from typing import Literal

TOLERANCE = 0.01
"""How far a number may be from the reference unless the benchmark says otherwise (most answers
are money, rounded to cents)."""

_SLACK = 1e-9  # binary doubles: a difference of exactly the tolerance must pass
_HALF_SLACK = 1e-9  # relative: how close to a half a value must be to round both ways

Kind = Literal["int", "number", "text", "any"]
"""How a column compares: exact integers, numbers within the column's ``Tolerance``, exact text,
or cell by cell."""


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """How far a number may be from its expected value. Every bound that is set must hold, so a
    column can demand an absolute and a relative closeness at once (a benchmark's rules may
    combine them).

    A relative bound with ``digits`` compares both values rounded to that many decimals, as
    rules phrased "within 1% when rounded to the nearest 1/100th" ask. A value that binary
    floating point puts within a hair of a half rounds both ways, so that an engine whose
    double lands on the other side of the half from the reference's decimal is not rejected.
    """

    absolute: float | None = None
    """``|actual - expected| <= absolute``; 0 demands equality."""
    relative: float | None = None
    """``|actual - expected| <= relative x |expected|`` (after rounding, with ``digits``)."""
    digits: int | None = None
    """Round both values to this many decimals before applying ``relative``."""

    def __post_init__(self) -> None:
        if self.absolute is None and self.relative is None:
            raise ValueError("a Tolerance needs an absolute or a relative bound")
        if any(bound is not None and not bound >= 0 for bound in (self.absolute, self.relative)):
            raise ValueError(f"tolerance bounds must be >= 0, got {self}")
        if self.digits is not None and self.relative is None:
            raise ValueError("digits round the values for the relative bound: set relative too")

    @property
    def exact(self) -> bool:
        """Whether only equal values pass."""
        return self.absolute == 0 and self.relative is None

    @cached_property
    def _limit(self) -> float:
        return (self.absolute or 0.0) + _SLACK

    def allows(self, expected: float, actual: float) -> bool:
        """Whether ``actual`` is close enough to ``expected`` (NaN never is; an infinity only
        equals itself)."""
        if not (math.isfinite(expected) and math.isfinite(actual)):
            return expected == actual
        if self.absolute is not None and not abs(expected - actual) <= self._limit:
            return False
        if self.relative is None:
            return True
        if self.digits is None:
            return abs(expected - actual) <= self.relative * abs(expected) + _SLACK
        # In units of the last kept decimal, so the bound compares integers and the edge passes.
        return any(
            abs(a - e) <= self.relative * abs(e) + _SLACK
            for e in _roundings(expected, self.digits)
            for a in _roundings(actual, self.digits)
        )

    def describe(self) -> str:
        """The rule in words, for a mismatch's explanation."""
        if self.exact:
            return "exactly"
        parts = [f"within {self.absolute:g}"] if self.absolute is not None else []
        if self.relative is not None:
            rounded = f" after rounding to {self.digits} decimals" if self.digits is not None else ""
            parts.append(f"within {self.relative:.0%}{rounded}")
        return " and ".join(parts)


def _roundings(value: float, digits: int) -> tuple[int, ...]:
    """``value`` rounded half up to ``digits`` decimals, in units of the last decimal; both
    neighbours when it sits within a hair of the half (binary doubles cannot hold most halves)."""
    scaled = value * 10**digits
    hair = _HALF_SLACK * max(1.0, abs(scaled))
    low, high = math.floor(scaled + 0.5 - hair), math.floor(scaled + 0.5 + hair)
    return (low,) if low == high else (low, high)


@dataclasses.dataclass(frozen=True)
class Reference:
    """The expected result of one query."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    ordered: bool
    """Whether the query has a top-level ORDER BY, so that row order is part of the answer."""
    tolerance: float = TOLERANCE
    """How far a number may be from the expected one, in every column (unless ``tolerances``)."""
    keys: tuple[int, ...] | None = None
    """For an ordered answer, the columns (0-based) its ORDER BY sorts on, when known: rows that tie
    on them may come in any order (engines break ties differently). None: the whole row order
    is the answer."""
    tolerances: tuple[Tolerance, ...] | None = None
    """One rule per column, where a benchmark's rules differ by column (a count exact, a sum
    within some amount); None: ``tolerance`` for every number."""

    def __post_init__(self) -> None:
        if self.tolerances is not None and self.columns and len(self.tolerances) != len(self.columns):
            raise ValueError(f"{len(self.tolerances)} tolerances for {len(self.columns)} columns")

    @cached_property
    def bounds(self) -> tuple[Tolerance, ...]:
        """Each column's tolerance."""
        if self.tolerances is not None and self.columns:
            return self.tolerances
        return (Tolerance(absolute=self.tolerance),) * len(self.columns)

    @cached_property
    def kinds(self) -> tuple[Kind, ...]:
        """Each column's kind, from its values (computed once per reference). Integers compare
        exactly, except in a column given its own tolerance that is not exact (a sum that happens
        to be whole): there they compare as numbers, within it."""
        kinds = tuple(map(_kind, self._raw_columns))
        if self.tolerances is None:
            return kinds
        return tuple(
            "number" if kind == "int" and not bound.exact else kind
            for kind, bound in zip(kinds, self.bounds, strict=True)
        )

    @cached_property
    def _raw_columns(self) -> list[list[object]]:
        if not self.rows:
            return [[] for _ in self.columns]
        return [list(column) for column in zip(*self.rows, strict=True)]

    @cached_property
    def _columns(self) -> list[list[object]]:
        """The rows transposed; numeric columns as floats, so every number compares with its tolerance."""
        return [
            _as_number(column) if kind == "number" else column
            for kind, column in zip(self.kinds, self._raw_columns, strict=True)
        ]

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
    tolerances: tuple[Tolerance, ...] | None = None,
) -> Reference:
    """A reference answer computed elsewhere (by a reference platform) for ``sql``.

    Row order is part of the answer exactly when the query has a top-level ORDER BY
    (``ordered``, when the caller knows it already); ``keys`` and ``tolerances`` as in
    ``Reference``. When ``ordered`` is None both are read from the SQL (``order_keys``).
    """
    if ordered is None:
        keys = order_keys(sql, dialect)
        ordered = keys is not None
    columns = _column_names(rows)
    return Reference(
        columns, tuple(rows), ordered, tolerance, keys if ordered else None, tolerances if columns else None
    )


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

    Numbers match within their column's tolerance (``reference.bounds``; an integer column
    with an exact one matches only integral values exactly), text matches exactly, and dates
    match by ISO string. Row
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
    kinds, bounds = reference.kinds, reference.bounds
    actual = [_NORMALIZE[kind](column) for kind, column in zip(kinds, zip(*rows, strict=True), strict=True)]
    if actual == reference._columns:  # the very rows in the very order: within every tolerance, no sort
        return OK
    if reference.ordered and reference.keys is not None:
        # The same rows, and in the same order as far as the sort keys decide it.
        verdict = _agree(
            dataclasses.replace(reference, ordered=False),
            reference._sorted_columns,
            _sort_columns(actual, kinds),
        )
        if verdict is not OK:
            return verdict
        keys = list(reference.keys)
        bad = [i for i in keys if not _column_agrees(kinds[i], reference._columns[i], actual[i], bounds[i])]
        if not bad:
            return OK
        return Verdict("mismatch", _explain(reference, reference._columns, actual, bad))
    if reference.ordered:
        return _agree(reference, reference._columns, actual)
    return _agree(reference, reference._sorted_columns, _sort_columns(actual, kinds))


def _agree(reference: Reference, expected: list[list[object]], actual: list[list[object]]) -> Verdict:
    bounds = reference.bounds
    bad = [
        i
        for i, kind in enumerate(reference.kinds)
        if not _column_agrees(kind, expected[i], actual[i], bounds[i])
    ]
    if not bad:
        return OK
    return Verdict("mismatch", _explain(reference, expected, actual, bad))


def _explain(
    reference: Reference, expected: list[list[object]], actual: list[list[object]], bad: list[int]
) -> str:
    """Name the first differing cell (row-major), and say when only the order differs."""
    bounds = reference.bounds
    row, column = min((_first_difference(expected[i], actual[i], bounds[i]), i) for i in bad)
    where = f"row {row + 1}" if reference.ordered else f"row {row + 1} of the sorted rows"
    text = f"{where}, column {reference.columns[column]}: expected {expected[column][row]!r}, "
    text += f"got {actual[column][row]!r}"
    if reference.tolerances is not None and reference.kinds[column] in ("number", "any"):
        text += f" (allowed: {bounds[column].describe()})"
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


_DEFAULT = Tolerance(absolute=TOLERANCE)


def _same(expected: object, actual: object, bound: Tolerance = _DEFAULT) -> bool:
    """One cell, after normalization: a float within ``bound``, an int exactly, anything else equal."""
    if type(expected) is float:
        return _is_number(actual) and bound.allows(expected, float(actual))  # type: ignore[arg-type]
    if type(expected) is int:
        return _is_number(actual) and actual == expected
    return type(actual) is type(expected) and actual == expected


def _column_agrees(kind: Kind, expected: list[object], actual: list[object], bound: Tolerance) -> bool:
    pairs = zip(expected, actual, strict=True)
    if kind == "number" and bound.relative is None:
        limit = bound._limit  # the common case: one tight loop over the column
        try:
            return all(abs(e - a) <= limit for e, a in pairs)  # type: ignore[operator]
        except TypeError:  # a None, or a value of the wrong type: decide cell by cell
            return all(_same(e, a, bound) for e, a in zip(expected, actual, strict=True))
    if kind in ("number", "any"):
        return all(_same(e, a, bound) for e, a in pairs)
    return expected == actual  # int and text columns: already normalized to the reference's type


def _first_difference(expected: list[object], actual: list[object], bound: Tolerance) -> int:
    pairs = enumerate(zip(expected, actual, strict=True))
    return next((i for i, (e, a) in pairs if not _same(e, a, bound)), 0)


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
