"""TPC-H query templates and substitution parameters (spec clause 2.4)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date

import pytest
import sqlglot

from benchbox.benchmarks.tpch import parameters as p
from benchbox.benchmarks.tpch import vocabulary as v

SEEDS = range(300)
"""Enough draws that every value of a small range shows up, and a broken rule shows up too."""

QUERIES = list(p.QUERY_IDS)


def _placeholders(query: int) -> set[str]:
    return set(re.findall(r"\$\{(\w+)\}", p.template(query).template))


def _drawn(query: int, scale_factor: float = 1.0) -> list[dict[str, str]]:
    return [p.seeded_parameters(query, scale_factor, seed) for seed in SEEDS]


def _month_starts(values: list[str]) -> list[date]:
    days = [date.fromisoformat(value) for value in values]
    assert all(day.day == 1 for day in days)
    return days


def test_query_ids_are_1_to_22() -> None:
    assert tuple(range(1, 23)) == p.QUERY_IDS


@pytest.mark.parametrize("query", QUERIES)
def test_template_is_one_lower_case_statement_without_semicolon(query: int) -> None:
    text = p.template(query).template
    assert not text.rstrip().endswith(";")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    code = re.sub(r"'[^']*'", "''", re.sub(r"\$\{\w+\}", "", code))  # placeholders and literals keep case
    assert code == code.lower()
    assert len(sqlglot.parse(p.render(query, p.validation_parameters(query, 1)), read="duckdb")) == 1


@pytest.mark.parametrize("query", QUERIES)
def test_both_parameter_sets_fill_exactly_the_templates_placeholders(query: int) -> None:
    assert set(p.validation_parameters(query, 0.01)) == _placeholders(query)
    assert set(p.seeded_parameters(query, 0.01, 3)) == _placeholders(query)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("kind", ["validation", "seeded"])
def test_rendered_sql_parses_in_duckdb_and_postgres(query: int, kind: str) -> None:
    for scale_factor in (0.01, 0.1, 1.0, 10.0):
        if kind == "validation":
            values = p.validation_parameters(query, scale_factor)
        else:
            values = p.seeded_parameters(query, scale_factor, seed=42)
        sql = p.render(query, values)
        assert "${" not in sql and "$" not in sql
        assert isinstance(sqlglot.parse_one(sql, read="duckdb"), sqlglot.exp.Query)
        sqlglot.parse_one(sql, read="postgres")


def test_row_limits_follow_the_spec() -> None:
    limits = {2: 100, 3: 10, 10: 20, 18: 100, 21: 100}
    for query in QUERIES:
        tree = sqlglot.parse_one(p.render(query, p.validation_parameters(query, 1)), read="duckdb")
        limit = tree.args.get("limit")
        assert (int(limit.expression.name) if limit else None) == limits.get(query), query


def test_q15_is_one_statement_with_a_revenue0_cte() -> None:
    tree = sqlglot.parse_one(p.render(15, p.validation_parameters(15, 1)), read="duckdb")
    assert [cte.alias for cte in tree.find_all(sqlglot.exp.CTE)] == ["revenue0"]


def test_values_are_substituted_raw_into_quoted_template_text() -> None:
    sql = p.render(3, {"SEGMENT": "BUILDING", "DATE": "1995-03-15"})
    assert "c_mktsegment = 'BUILDING'" in sql
    assert "o_orderdate < date '1995-03-15'" in sql
    assert "'%special%requests%'" in p.render(13, p.validation_parameters(13, 1))
    assert "p_name like 'forest%'" in p.render(20, p.validation_parameters(20, 1))
    assert "in ('13', '31', '23', '29', '30', '18', '17')" in p.render(22, p.validation_parameters(22, 1))


def test_a_missing_value_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        p.render(3, {"SEGMENT": "BUILDING"})


def test_unknown_query_is_refused() -> None:
    for bad in (0, 23):
        with pytest.raises(ValueError):
            p.validation_parameters(bad, 1)
        with pytest.raises(ValueError):
            p.seeded_parameters(bad, 1, 0)


# Validation values.


def test_validation_values_are_the_specs() -> None:
    assert p.validation_parameters(1, 1) == {"DELTA": "90"}
    assert p.validation_parameters(2, 1) == {"SIZE": "15", "TYPE": "BRASS", "REGION": "EUROPE"}
    assert p.validation_parameters(8, 1)["TYPE"] == "ECONOMY ANODIZED STEEL"
    assert p.validation_parameters(18, 1) == {"QUANTITY": "300"}
    q16 = p.validation_parameters(16, 1)
    assert (q16["BRAND"], q16["TYPE"]) == ("Brand#45", "MEDIUM POLISHED")
    assert [q16[f"SIZE{i}"] for i in range(1, 9)] == ["49", "14", "23", "45", "19", "3", "36", "9"]
    q22 = p.validation_parameters(22, 1)
    assert [q22[f"I{i}"] for i in range(1, 8)] == ["13", "31", "23", "29", "30", "18", "17"]


@pytest.mark.parametrize(
    ("scale_factor", "fraction"),
    [(0.01, "0.01"), (0.1, "0.001"), (1, "0.0001"), (1.0, "0.0001"), (10, "0.00001"), (100, "0.000001")],
)
def test_q11_fraction_is_0_0001_over_sf_without_float_noise(scale_factor: float, fraction: str) -> None:
    assert p.validation_parameters(11, scale_factor) == {"NATION": "GERMANY", "FRACTION": fraction}
    assert p.seeded_parameters(11, scale_factor, 5)["FRACTION"] == fraction


def test_q11_fraction_of_an_odd_scale_factor_is_a_short_plain_decimal() -> None:
    assert p.q11_fraction(3) == "0.0000333333333333"
    with pytest.raises(ValueError):
        p.q11_fraction(0)


def test_validation_parameters_are_fresh_dicts() -> None:
    p.validation_parameters(1, 1)["DELTA"] = "1"
    assert p.validation_parameters(1, 1) == {"DELTA": "90"}


# Seeded values: reproducible.


@pytest.mark.parametrize("query", QUERIES)
def test_seeded_values_are_reproducible_and_vary_with_the_seed(query: int) -> None:
    assert p.seeded_parameters(query, 1, 7) == p.seeded_parameters(query, 1, 7)
    assert len({json.dumps(values, sort_keys=True) for values in _drawn(query)[:20]}) > 1


def test_seeded_values_are_the_same_in_another_process() -> None:
    code = (
        "import json; from benchbox.benchmarks.tpch import parameters as p; "
        "print(json.dumps([p.seeded_parameters(q, 0.1, 11) for q in p.QUERY_IDS]))"
    )
    env_runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": h},
        ).stdout
        for h in ("1", "2")
    ]
    here = [p.seeded_parameters(q, 0.1, 11) for q in p.QUERY_IDS]
    assert json.loads(env_runs[0]) == json.loads(env_runs[1]) == here


def test_one_querys_values_do_not_depend_on_other_draws() -> None:
    before = p.seeded_parameters(9, 1, 3)
    for query in QUERIES:
        p.seeded_parameters(query, 1, 3)
    assert p.seeded_parameters(9, 1, 3) == before


# Seeded values: the rules of clause 2.4.


def test_q1_delta_range() -> None:
    assert {int(d["DELTA"]) for d in _drawn(1)} <= set(range(60, 121))


def test_q2_size_type_region() -> None:
    for values in _drawn(2):
        assert 1 <= int(values["SIZE"]) <= 50
        assert values["TYPE"] in v.TYPE_SYLLABLE_3
        assert values["REGION"] in v.REGIONS


def test_q3_segment_and_a_day_of_march_1995() -> None:
    for values in _drawn(3):
        assert values["SEGMENT"] in v.SEGMENTS
        assert date(1995, 3, 1) <= date.fromisoformat(values["DATE"]) <= date(1995, 3, 31)


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        (4, date(1993, 1, 1), date(1997, 10, 1)),
        (15, date(1993, 1, 1), date(1997, 10, 1)),
        (10, date(1993, 2, 1), date(1995, 1, 1)),
        (14, date(1993, 1, 1), date(1997, 12, 1)),
    ],
)
def test_month_start_dates(query: int, first: date, last: date) -> None:
    days = _month_starts([values["DATE"] for values in _drawn(query)])
    assert min(days) >= first and max(days) <= last
    assert min(days) == first and max(days) == last  # 300 draws reach both ends of <= 60 months


@pytest.mark.parametrize("query", [5, 6, 12, 20])
def test_january_first_of_1993_to_1997(query: int) -> None:
    assert {values["DATE"] for values in _drawn(query)} == {f"{y}-01-01" for y in range(1993, 1998)}


def test_q6_discount_and_quantity() -> None:
    drawn = _drawn(6)
    assert {d["DISCOUNT"] for d in drawn} == {f"0.0{i}" for i in range(2, 10)}
    assert {d["QUANTITY"] for d in drawn} == {"24", "25"}


def test_q7_two_different_nations() -> None:
    for values in _drawn(7):
        assert values["NATION1"] != values["NATION2"]
        assert {values["NATION1"], values["NATION2"]} <= set(v.NATION_NAMES)


def test_q8_region_is_the_nations_region() -> None:
    region_of = dict(v.NATIONS)
    for values in _drawn(8):
        assert values["REGION"] == region_of[values["NATION"]]
        first, second, third = values["TYPE"].split(" ")
        assert (first, second, third) in {
            (a, b, c) for a in v.TYPE_SYLLABLE_1 for b in v.TYPE_SYLLABLE_2 for c in v.TYPE_SYLLABLE_3
        }


@pytest.mark.parametrize(("query", "prefix"), [(9, "%"), (20, "")])
def test_colors_come_from_the_p_name_words(query: int, prefix: str) -> None:
    for values in _drawn(query):
        assert values["COLOR"] in v.COLORS
        assert f"p_name like '{prefix}{values['COLOR']}%'" in p.render(query, values)


def test_q11_nation() -> None:
    assert {d["NATION"] for d in _drawn(11)} <= set(v.NATION_NAMES)


def test_q12_two_different_ship_modes() -> None:
    for values in _drawn(12):
        assert values["SHIPMODE1"] != values["SHIPMODE2"]
        assert {values["SHIPMODE1"], values["SHIPMODE2"]} <= set(v.SHIP_MODES)


def test_q13_words() -> None:
    for values in _drawn(13):
        assert values["WORD1"] in v.Q13_WORD1 and values["WORD2"] in v.Q13_WORD2


BRAND = re.compile(r"Brand#[1-5][1-5]")


def test_q16_brand_type_and_eight_distinct_sizes() -> None:
    for values in _drawn(16):
        assert BRAND.fullmatch(values["BRAND"])
        first, second = values["TYPE"].split(" ")
        assert first in v.TYPE_SYLLABLE_1 and second in v.TYPE_SYLLABLE_2
        sizes = [int(values[f"SIZE{i}"]) for i in range(1, 9)]
        assert len(set(sizes)) == 8
        assert all(1 <= size <= 50 for size in sizes)


def test_q17_brand_and_container() -> None:
    for values in _drawn(17):
        assert BRAND.fullmatch(values["BRAND"])
        first, second = values["CONTAINER"].split(" ")
        assert first in v.CONTAINER_SYLLABLE_1 and second in v.CONTAINER_SYLLABLE_2


def test_q18_quantity_312_to_315() -> None:
    assert {d["QUANTITY"] for d in _drawn(18)} == {"312", "313", "314", "315"}


def test_q19_quantities_and_brands() -> None:
    for values in _drawn(19):
        assert 1 <= int(values["QUANTITY1"]) <= 10
        assert 10 <= int(values["QUANTITY2"]) <= 20
        assert 20 <= int(values["QUANTITY3"]) <= 30
        assert all(BRAND.fullmatch(values[f"BRAND{i}"]) for i in (1, 2, 3))


def test_q20_and_q21_nations() -> None:
    assert {d["NATION"] for d in _drawn(20)} <= set(v.NATION_NAMES)
    assert {d["NATION"] for d in _drawn(21)} <= set(v.NATION_NAMES)


def test_q22_seven_distinct_country_codes() -> None:
    for values in _drawn(22):
        codes = [values[f"I{i}"] for i in range(1, 8)]
        assert len(set(codes)) == 7
        assert all(len(code) == 2 and 10 <= int(code) <= 34 for code in codes)


# The word lists themselves.


def test_vocabulary_sizes() -> None:
    assert len(v.COLORS) == len(set(v.COLORS)) == 92
    assert tuple(sorted(v.COLORS)) == v.COLORS
    assert len(v.NATIONS) == 25 and len(v.REGIONS) == 5
    assert {region for _, region in v.NATIONS} == set(v.REGIONS)
    assert len(v.SHIP_MODES) == 7 and len(v.SEGMENTS) == 5


@pytest.mark.parametrize("number", range(1, 23))
def test_the_written_out_sort_keys_are_the_texts(number: int) -> None:
    """``tpch.ORDER_KEYS`` spares every plan 22 sqlglot parses: it must say what the texts say, for the
    validation values and for seeded ones, and the planned queries carry it."""
    from benchbox.benchmarks import answers, tpch

    for values in (p.validation_parameters(number, 1), p.seeded_parameters(number, 1, 7)):
        sql = p.render(number, values)
        assert answers.order_keys(sql) == tpch.ORDER_KEYS[number]
        assert answers.is_ordered(sql) == (tpch.ORDER_KEYS[number] is not None)
    (query,) = tpch.TPCH(tpch.Config(queries=(number,))).queries(None)
    assert (query.ordered, query.keys) == (tpch.ORDER_KEYS[number] is not None, tpch.ORDER_KEYS[number])


def test_rows_that_tie_on_q11s_sort_key_may_come_in_any_order() -> None:
    """At SF 30, Q11 has parts with equal values, which DuckDB and Polars list in different orders:
    against a reference platform's answer only the sort key's order counts."""
    from benchbox.benchmarks import answers, tpch

    (q11,) = tpch.TPCH(tpch.Config(queries=(11,))).queries(None)
    expected = [(5350537, 1000.5), (682601, 1000.5), (7, 999.0)]
    tied = [(682601, 1000.5), (5350537, 1000.5), (7, 999.0)]
    reference = answers.reference_from_rows(q11.sql, expected, ordered=q11.ordered, keys=q11.keys)
    assert answers.compare(reference, tied).status == "ok"
    wrong = [(7, 999.0), (682601, 1000.5), (5350537, 1000.5)]
    assert answers.compare(reference, wrong).status == "mismatch"
    positional = answers.reference_from_rows(q11.sql, expected, ordered=True, keys=None)
    assert answers.compare(positional, tied).status == "mismatch", "what the keys change"
