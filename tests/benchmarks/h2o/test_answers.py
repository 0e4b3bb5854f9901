"""H2O's answer digest (benchbox/benchmarks/h2o/answers.py) and its config's refusals."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from benchbox.benchmarks.answers import compare, reference_from_rows
from benchbox.benchmarks.h2o import H2O, Config
from benchbox.benchmarks.h2o.answers import digest, digest_columns, tolerances
from benchbox.benchmarks.h2o.questions import BY_ID, GROUPBY, JOIN


def _reference(question_id: str, rows: list[tuple]) -> object:
    question = BY_ID[question_id]
    return reference_from_rows("", digest(question, rows), ordered=False, tolerances=tolerances(question))


def test_the_digest_counts_rows_sums_numbers_and_text_lengths_and_counts_nulls() -> None:
    rows = [("id001", "id002", 3), ("id001", None, 4), ("id0002", "id002", None)]
    assert digest(BY_ID["G2"], rows) == [(3, 16, 0, 10, 1, 7.0, 1)]
    assert digest_columns(BY_ID["G2"]) == (
        "rows",
        *("length(id1)", "nulls(id1)", "length(id2)", "nulls(id2)", "sum(v1)", "nulls(v1)"),
    )


def test_a_nan_counts_as_a_null_and_the_order_of_rows_does_not_matter() -> None:
    expected = _reference("G9", [("id001", 1, 0.5), ("id002", 2, None)])
    assert compare(expected, digest(BY_ID["G9"], [("id002", 2, math.nan), ("id001", 1, 0.5)])).status == "ok"


def test_sums_agree_within_the_relative_tolerance_and_counts_exactly() -> None:
    rows = [("id001", 10**6 * 1.0)]
    expected = _reference("G1", rows)
    assert compare(expected, digest(BY_ID["G1"], [("id001", 10**6 * (1 + 1e-12))])).status == "ok"
    assert compare(expected, digest(BY_ID["G1"], [("id001", 10**6 * (1 + 1e-6))])).status == "mismatch"
    assert compare(expected, digest(BY_ID["G1"], [*rows, ("id002", 0.0)])).status == "mismatch"


def test_a_result_of_the_wrong_width_or_with_text_for_numbers_mismatches() -> None:
    expected = _reference("G1", [("id001", 3)])
    assert compare(expected, digest(BY_ID["G1"], [("id001", 3, 1)])).status == "mismatch"
    assert compare(expected, digest(BY_ID["G1"], [("id001", "3")])).status == "mismatch"


def test_every_question_declares_the_columns_its_sql_returns() -> None:
    import sqlglot

    for question in (*GROUPBY, *JOIN):
        select = sqlglot.parse_one(question.sql, read="duckdb")
        assert [e.alias_or_name for e in select.expressions] == [c for c, _ in question.columns]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"task": "join", "k": 10}, "k and na_percent shape the groupby data only"),
        ({"task": "join", "rows": 1_500_000}, "whole millions"),
        ({"k": 10**7}, "more groups than rows"),
        ({"queries": ["G11"]}, "task=groupby has questions G1"),
        ({"task": "join", "queries": ["G1"]}, "task=join has questions J1"),
        ({"queries": ["G1", "1"]}, "listed twice"),
        ({"rows": "many"}, "rows"),
    ],
)
def test_settings_that_cannot_work_are_refused(settings: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Config(**settings)


def test_rows_accept_scientific_notation_and_questions_numbers() -> None:
    config = Config(rows="1e7", queries=[1, "g10"])
    assert config.rows == 10**7 and config.queries == ("G1", "G10")
    assert [q.id for q in H2O(config).queries(None)] == ["G1", "G10"]
    assert H2O(Config(task="join")).answers_file() == "join-1000000-seed0.json.gz"
    assert H2O(Config(seed=3)).answers_file() is None
