"""The db-benchmark's questions as SQL: 10 on the groupby table ``x``, 5 joining ``x`` with
``small``, ``medium`` and ``big``.

Written from the db-benchmark's question list (its names, columns and aggregates, as its SQL
solutions state them), in DuckDB's dialect like every benchbox query; platforms translate them.
The join questions name their columns instead of ``x.*`` with ``USING``, whose column list
differs between dialects. Each question also declares its output columns and which hold text:
that is what its answer digest is made of (``answers.digest``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Question:
    """One question: its id (``G1``...``G10``, ``J1``...``J5``), the db-benchmark's name, its SQL,
    and its output columns with whether each holds text or numbers."""

    id: str
    title: str
    sql: str
    columns: tuple[tuple[str, Literal["text", "number"]], ...]


_X = "x.id1, x.id2, x.id3, x.id4, x.id5, x.id6, x.v1"
_X_COLUMNS: tuple[tuple[str, Literal["text", "number"]], ...] = (
    ("id1", "number"),
    ("id2", "number"),
    ("id3", "number"),
    ("id4", "text"),
    ("id5", "text"),
    ("id6", "text"),
    ("v1", "number"),
)
T, N = "text", "number"

GROUPBY: tuple[Question, ...] = (
    Question("G1", "sum v1 by id1", "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1", (("id1", T), ("v1", N))),
    Question(
        "G2",
        "sum v1 by id1:id2",
        "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2",
        (("id1", T), ("id2", T), ("v1", N)),
    ),
    Question(
        "G3",
        "sum v1 mean v3 by id3",
        "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
        (("id3", T), ("v1", N), ("v3", N)),
    ),
    Question(
        "G4",
        "mean v1:v3 by id4",
        "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
        (("id4", N), ("v1", N), ("v2", N), ("v3", N)),
    ),
    Question(
        "G5",
        "sum v1:v3 by id6",
        "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
        (("id6", N), ("v1", N), ("v2", N), ("v3", N)),
    ),
    Question(
        "G6",
        "median v3 sd v3 by id4 id5",
        "SELECT id4, id5, median(v3) AS median_v3, stddev_samp(v3) AS sd_v3 FROM x GROUP BY id4, id5",
        (("id4", N), ("id5", N), ("median_v3", N), ("sd_v3", N)),
    ),
    Question(
        "G7",
        "max v1 - min v2 by id3",
        "SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3",
        (("id3", T), ("range_v1_v2", N)),
    ),
    Question(
        "G8",
        "largest two v3 by id6",
        "SELECT id6, largest2_v3 FROM (SELECT id6, v3 AS largest2_v3, "
        "row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 "
        "FROM x WHERE v3 IS NOT NULL) AS sub_query WHERE order_v3 <= 2",
        (("id6", N), ("largest2_v3", N)),
    ),
    Question(
        "G9",
        "regression v1 v2 by id2 id4",
        "SELECT id2, id4, power(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
        (("id2", T), ("id4", N), ("r2", N)),
    ),
    Question(
        "G10",
        "sum v3 count by id1:id6",
        "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count "
        "FROM x GROUP BY id1, id2, id3, id4, id5, id6",
        (("id1", T), ("id2", T), ("id3", T), ("id4", N), ("id5", N), ("id6", N), ("v3", N), ("count", N)),
    ),
)

JOIN: tuple[Question, ...] = (
    Question(
        "J1",
        "small inner on int",
        f"SELECT {_X}, small.id4 AS small_id4, small.v2 FROM x JOIN small ON x.id1 = small.id1",
        (*_X_COLUMNS, ("small_id4", T), ("v2", N)),
    ),
    Question(
        "J2",
        "medium inner on int",
        f"SELECT {_X}, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, "
        "medium.v2 FROM x JOIN medium ON x.id2 = medium.id2",
        (*_X_COLUMNS, ("medium_id1", N), ("medium_id4", T), ("medium_id5", T), ("v2", N)),
    ),
    Question(
        "J3",
        "medium outer on int",
        f"SELECT {_X}, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, "
        "medium.v2 FROM x LEFT JOIN medium ON x.id2 = medium.id2",
        (*_X_COLUMNS, ("medium_id1", N), ("medium_id4", T), ("medium_id5", T), ("v2", N)),
    ),
    Question(
        "J4",
        "medium inner on factor",
        f"SELECT {_X}, medium.id1 AS medium_id1, medium.id2 AS medium_id2, medium.id4 AS medium_id4, "
        "medium.v2 FROM x JOIN medium ON x.id5 = medium.id5",
        (*_X_COLUMNS, ("medium_id1", N), ("medium_id2", N), ("medium_id4", T), ("v2", N)),
    ),
    Question(
        "J5",
        "big inner on int",
        f"SELECT {_X}, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, big.id5 AS big_id5, "
        "big.id6 AS big_id6, big.v2 FROM x JOIN big ON x.id3 = big.id3",
        (
            *_X_COLUMNS,
            ("big_id1", N),
            ("big_id2", N),
            ("big_id4", T),
            ("big_id5", T),
            ("big_id6", T),
            ("v2", N),
        ),
    ),
)

TASKS: dict[str, tuple[Question, ...]] = {"groupby": GROUPBY, "join": JOIN}
BY_ID: dict[str, Question] = {q.id: q for q in (*GROUPBY, *JOIN)}
