"""H2O's answers are checked the way the db-benchmark checks them, by a digest, not row by row: its
answers run to millions of rows (G10 groups nearly every row, the joins return about ``rows``
rows), too many to keep through a run or to ship.

The digest of a result (``digest``) is one row: the row count, then for every output column the
sum of its numbers (the db-benchmark's ``chk``, there for the measure columns only) or the number
of distinct texts, and how many of its values are NULL (a NaN counts as NULL, as engines return
either for an undefined statistic). Counts must be equal; sums agree within a relative
``SUM_TOLERANCE``, since engines add doubles in different orders. Digests ship for the default
settings of both tasks (``answers/<task>-<rows>-k<k>-na<na>-seed<seed>.json.gz``, made by
``tools/make_h2o_answers.py`` only where DuckDB and DataFusion agreed); elsewhere a reference
platform computes them on the same data.
"""

from __future__ import annotations

import dataclasses
import math
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
        names += [f"distinct({name})" if kind == "text" else f"sum({name})", f"nulls({name})"]
    return tuple(names)


def tolerances(question: Question) -> tuple[Tolerance, ...]:
    """Each digest column's rule: counts exact, sums within ``SUM_TOLERANCE``."""
    rules = [EXACT]
    for _, kind in question.columns:
        rules += [EXACT if kind == "text" else CLOSE, EXACT]
    return tuple(rules)


def digest(question: Question, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The one-row digest of a fetched result of ``question``, column by column at C speed (about
    1.5 s for a million rows of 13 columns). A result of the wrong width digests to a row naming
    its width, which no expected digest equals."""
    width = len(question.columns)
    if any(len(row) != width for row in rows):
        return [(len(rows), f"{len({len(row) for row in rows})} widths, not {width} columns")]
    values: list[Any] = [len(rows)]
    for i, (_, kind) in enumerate(question.columns):
        column = list(map(itemgetter(i), rows))
        nulls = column.count(None)
        present = [v for v in column if v is not None] if nulls else column
        if kind == "text":
            values += [len(set(present)), nulls]
            continue
        total = _sum(present)
        if isinstance(total, float) and math.isnan(total):  # NaNs count as NULLs
            numbers = [v for v in present if not (isinstance(v, float) and math.isnan(v))]
            total, nulls = _sum(numbers), nulls + len(present) - len(numbers)
        values += [total, nulls]
    return [tuple(values)]


def _sum(numbers: list[Any]) -> Any:
    """The sum as a double, with ``math.fsum``: exact for integers below 2**53, no rounding of its
    own for doubles. A value that is no number makes the sum a text, which no expected sum equals."""
    try:
        total = math.fsum(numbers)
    except (TypeError, ValueError):
        bad = next(n for n in numbers if not isinstance(n, (int, float, Decimal)) or isinstance(n, bool))
        return f"not numbers: {bad!r}"
    return total


def load_reference(file_name: str, question: Question) -> Reference | None:
    """The shipped digest of ``question`` in ``answers/<file_name>``, with its tolerances; None when
    no answers ship for these settings."""
    answers = load_answers(__package__, file_name, FORMAT)
    reference = None if answers is None else answers.get(question.id)
    return None if reference is None else dataclasses.replace(reference, tolerances=tolerances(question))
