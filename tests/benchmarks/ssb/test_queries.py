"""SSB's config, its 13 queries and their shipped answers: ids, order keys, stream orders, and each
query checked against the answers on freshly derived data."""

from __future__ import annotations

import math
import re

import pytest
from pydantic import ValidationError

from benchbox.benchmarks import answers
from benchbox.benchmarks.ssb import ORDER_KEYS, QUERY_IDS, SHIPPED_ANSWERS, SSB, Config, stream_order
from benchbox.benchmarks.ssb.answers import load_reference


def test_the_defaults_run_all_13_queries_at_sf_0_1() -> None:
    config = Config()
    assert (config.scale_factor, config.queries, config.data_format, config.label) == (
        0.1,
        None,
        "parquet",
        "SF 0.1",
    )
    assert [q.id for q in SSB(config).queries(None)] == list(QUERY_IDS) and len(QUERY_IDS) == 13
    assert SSB(config).data_key() == ("sf0.1", "parquet")
    assert SSB.modes == {"power", "throughput", "data_only", "load_only", "dry_run"}


@pytest.mark.parametrize("given", [["Q1.1", "Q3.4"], ["q1.1", "3.4"], [1.1, 3.4], ("Q1.1", 3.4)])
def test_query_ids_may_be_written_several_ways(given) -> None:
    assert Config(queries=given).queries == ("Q1.1", "Q3.4")
    assert [q.id for q in SSB(Config(queries=given)).queries(None)] == ["Q1.1", "Q3.4"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"scale_factor": 0}, "greater than 0"),
        ({"scale_factor": -1}, "greater than 0"),
        ({"scale_factor": math.inf}, "finite number"),
        ({"scale_factor": "big"}, "valid number"),
        ({"queries": ["Q5.1"]}, "SSB has queries Q1.1, Q1.2"),
        ({"queries": [2.4]}, "not ['Q2.4']"),
        ({"queries": []}, "the list is empty"),
        ({"queries": ["Q1.1", 1.1]}, "listed twice"),
        ({"queries": "Q1.1"}, "valid tuple"),
        ({"data_format": "csv"}, "'parquet'"),
        ({"seed": 3}, "Extra inputs are not permitted"),
    ],
)
def test_bad_config_values_are_refused_with_the_reason(values: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        Config(**values)


def test_order_keys_are_the_query_texts() -> None:
    for query in SSB(Config()).queries(None):
        assert answers.order_keys(query.sql) == ORDER_KEYS[query.id], query.id
        assert query.ordered == (ORDER_KEYS[query.id] is not None)
        assert query.sql.lstrip().upper().startswith("SELECT") and "--" not in query.sql


def test_streams_run_every_query_in_their_own_fixed_order() -> None:
    benchmark = SSB(Config())
    orders = {s: [q.id for q in benchmark.queries(s)] for s in range(0, 5)}
    assert orders[0] == list(QUERY_IDS)
    assert all(sorted(order) == sorted(QUERY_IDS) for order in orders.values())
    assert len({tuple(order) for order in orders.values()}) == 5, "each stream its own order"
    assert orders == {s: [q.id for q in SSB(Config()).queries(s)] for s in range(0, 5)}, "reproducible"
    subset = ("Q4.3", "Q1.1", "Q2.2")
    assert [q.id for q in SSB(Config(queries=subset)).queries(2)] == [
        q for q in stream_order(2, QUERY_IDS) if q in subset
    ]


@pytest.mark.parametrize("sf", SHIPPED_ANSWERS)
def test_answers_ship_for_every_query(sf: float) -> None:
    benchmark = SSB(Config(scale_factor=sf))
    for query in benchmark.queries(None):
        reference = benchmark.reference(query)
        assert reference is not None and reference.ordered == query.ordered, query.id
        assert reference.keys == ORDER_KEYS[query.id]
        empty = sf == 0.01 and query.id in ("Q3.3", "Q3.4")  # SF 0.01 has 100 suppliers: no UK city pair
        assert bool(reference.rows) != empty, (sf, query.id, len(reference.rows))
    assert SSB(Config(scale_factor=0.5)).reference(benchmark.queries(None)[0]) is None


@pytest.mark.parametrize("qid", QUERY_IDS)
def test_each_query_matches_its_shipped_answer_on_freshly_derived_data(con, qid: str) -> None:
    (query,) = SSB(Config(scale_factor=0.01, queries=[qid])).queries(None)
    verdict = answers.compare(load_reference(0.01, qid), con.execute(query.sql).fetchall())
    assert verdict.status == "ok", verdict.diff
