"""H2O's answers are checked the way the db-benchmark checks them, by a digest, not row by row: its
answers run to millions of rows (G10 groups nearly every row, the joins return about ``rows``
rows), too many to keep through a run or to ship.

The digest of a result (``digest``) is one row: the row count, then for every output column the
sum of its numbers (the db-benchmark's ``chk``, there for the measure columns only) or the total
length of its texts, and how many of its values are NULL (a NaN counts as NULL, as engines return
either for an undefined statistic). Counts must be equal; sums agree within a relative
``SUM_TOLERANCE``, since engines add doubles in different orders. Digests ship for the default
settings of both tasks (``answers/<task>-<rows>-k<k>-na<na>-seed<seed>.json.gz``, made by
``tools/make_h2o_answers.py`` only where DuckDB and DataFusion agreed); elsewhere a reference
platform computes them on the same data.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any

from benchbox.benchmarks.answers import Reference, Tolerance, load_answers
from benchbox.benchmarks.h2o.questions import Question

FORMAT = "benchbox.h2o.answers/1"
"""The answers-file format this module reads (written by ``tools/make_h2o_answers.py``)."""
SUM_TOLERANCE = 1e-9
"""How far (relatively) a column's sum may be from the expected one: far above the rounding of
adding a million doubles in another order (about 1e-13 here), far below any wrong answer."""
EXACT = Tolerance(absolute=0)
CLOSE = Tolerance(relative=SUM_TOLERANCE)


def digest_columns(question: Question) -> tuple[str, ...]:
    """The names of the digest's columns for ``question``."""
    names = ["rows"]
    for name, kind in question.columns:
        names += [f"length({name})" if kind == "text" else f"sum({name})", f"nulls({name})"]
    return tuple(names)


def tolerances(question: Question) -> tuple[Tolerance, ...]:
    """Each digest column's rule: counts and lengths exact, sums within ``SUM_TOLERANCE``."""
    rules = [EXACT]
    for _, kind in question.columns:
        rules += [EXACT if kind == "text" else CLOSE, EXACT]
    return tuple(rules)


def digest(question: Question, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The one-row digest of a fetched result of ``question``, one C-speed pass per column where it
    holds no NULL (about 0.6 s for a million rows of 14 columns). A result of the wrong width
    digests to a row naming its widths, which no expected digest equals."""
    width = len(question.columns)
    widths = set(map(len, rows))
    if widths - {width}:
        return [(len(rows), f"widths {sorted(widths)}, not {width} columns")]
    values: list[Any] = [len(rows)]
    for i, (_, kind) in enumerate(question.columns):
        get = itemgetter(i)
        try:  # no NULL: one pass (a NULL fails it with a TypeError)
            total, nulls = _total(kind, map(get, rows)), 0
        except TypeError:
            present = [v for v in map(get, rows) if v is not None]
            nulls = len(rows) - len(present)
            try:
                total = _total(kind, present)
            except TypeError:
                total = f"not {kind}: {next(v for v in present if not _fits(kind, v))!r}"
        if isinstance(total, float) and math.isnan(total):  # NaNs count as NULLs
            numbers = [
                v for v in map(get, rows) if v is not None and not (isinstance(v, float) and math.isnan(v))
            ]
            total, nulls = math.fsum(numbers), len(rows) - len(numbers)
        values += [total, nulls]
    return [tuple(values)]


def _total(kind: str, values: Iterable[Any]) -> float | int:
    """A text column's total length in characters, or a number column's sum as a double with
    ``math.fsum`` (exact for integers below 2**53, no rounding of its own for doubles)."""
    if kind == "text":
        return sum(map(len, values))
    return math.fsum(values)


def _fits(kind: str, value: Any) -> bool:
    if kind == "text":
        return isinstance(value, str)
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def load_reference(file_name: str, question: Question) -> Reference | None:
    """The shipped digest of ``question`` in ``answers/<file_name>``, with its tolerances; None when
    no answers ship for these settings."""
    answers = load_answers(__package__, file_name, FORMAT)
    reference = None if answers is None else answers.get(question.id)
    return None if reference is None else dataclasses.replace(reference, tolerances=tolerances(question))
