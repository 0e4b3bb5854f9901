"""TPC-DS query files: every template parses and renders, its qualification values are the spec's,
and its seeded values follow its rules, reproducibly."""

from __future__ import annotations

import re
from datetime import date
from importlib.resources import files

import pytest
import sqlglot

from benchbox.benchmarks.tpcds import TPCDS, Config
from benchbox.benchmarks.tpcds import parameters as p

NUMBERS = p.QUERY_NUMBERS
TWO_PARTS = {14, 23, 24, 39}


def test_there_are_99_templates_and_103_queries() -> None:
    assert tuple(range(1, 100)) == NUMBERS
    ids = [qid for n in NUMBERS for qid in p.template(n).ids]
    assert len(ids) == 103 and len(set(ids)) == 103
    assert {n for n in NUMBERS if len(p.template(n).parts) == 2} == TWO_PARTS
    assert p.template(14).ids == ("Q14a", "Q14b") and p.template(7).ids == ("Q7",)


@pytest.mark.parametrize("number", NUMBERS)
def test_each_file_has_its_business_question_and_declares_every_placeholder(number: int) -> None:
    text = p.template(number)
    header = (files(p.__package__) / "queries" / f"q{number:02d}.sql").read_text().splitlines()[0]
    assert header.startswith(f"-- TPC-DS Q{number} (Appendix B.{number}): ")
    placeholders = {m for part in text.parts for m in re.findall(r"\$\{(\w+)\}", part.template)}
    declared = {parameter.name for parameter in text.parameters}
    assert placeholders <= declared, placeholders - declared
    assert len(declared) == len(text.parameters), "a parameter is declared twice"


@pytest.mark.parametrize("number", NUMBERS)
@pytest.mark.parametrize("kind", ["validation", "seeded"])
def test_rendered_sql_parses_and_translates_for_every_sql_platform(number: int, kind: str) -> None:
    values = p.validation_parameters(number) if kind == "validation" else p.seeded_parameters(number, 1, 7)
    for query_id, sql in p.render(number, values):
        assert "${" not in sql, query_id
        tree = sqlglot.parse_one(sql, read="duckdb")
        for dialect in ("postgres", "sqlite", "spark", "clickhouse"):
            assert tree.sql(dialect=dialect), (query_id, dialect)


# The qualification values, as Appendix B of the specification (2.10.0) prints them.
SPEC_VALUES = {
    1: {"YEAR": 2000, "STATE": "TN", "AGG_FIELD": "sr_return_amt"},
    3: {"MONTH": 11, "MANUFACT": 128, "AGGC": "ss_ext_sales_price"},
    5: {"SALES_DATE": "2000-08-23", "YEAR": 2000},
    6: {"MONTH": 1, "YEAR": 2001},
    7: {"YEAR": 2000, "ES": "College", "MS": "S", "GEN": "M"},
    14: {"DAY": 11, "YEAR": 1999},
    23: {"MONTH": 2, "YEAR": 2000, "TOPPERCENT": 50},
    39: {"YEAR": 2001, "MONTH": 1},
    52: {"MONTH": 11, "YEAR": 2000},
    98: {"YEAR": 1999, "SDATE": "1999-02-22", "CATEGORY": ["Sports", "Books", "Home"]},
    99: {"DMS": 1200},
}


@pytest.mark.parametrize("number", sorted(SPEC_VALUES))
def test_validation_values_are_the_specs(number: int) -> None:
    values = p.validation_parameters(number)
    for name, value in SPEC_VALUES[number].items():
        assert values[name] == value, (number, name)


def test_q8s_400_zip_codes_are_the_specs() -> None:
    zips = p.validation_parameters(8)["ZIP"]
    assert len(zips) == 400 and len(set(zips)) == 400
    assert (zips[0], zips[1], zips[80], zips[399]) == ("24128", "76232", "57834", "35576")


# Seeded values: each rule's domain, for a representative set of templates.


@pytest.mark.parametrize("seed", range(20))
def test_seeded_values_stay_in_their_templates_domains(seed: int) -> None:
    q1 = p.seeded_parameters(1, 1, seed)
    assert 1998 <= q1["YEAR"] <= 2002 and q1["STATE"] in p.vocabulary()["store_states"]
    assert q1["AGG_FIELD"].startswith("sr_")
    q5 = p.seeded_parameters(5, 1, seed)
    day = date.fromisoformat(q5["SALES_DATE"])
    assert (day.year, day.month) == (q5["YEAR"], 8) and 1 <= day.day <= 30
    zips = p.seeded_parameters(8, 1, seed)["ZIP"]
    assert len(set(zips)) == 400 and all(re.fullmatch(r"[1-9]\d{4}", z) for z in zips)
    q12 = p.seeded_parameters(12, 1, seed)["CATEGORY"]
    assert len(set(q12)) == 3 and set(q12) <= set(p.vocabulary()["categories"])
    q54 = p.seeded_parameters(54, 1, seed)
    assert q54["CLASS"] in p.vocabulary()["category_classes"][q54["CATEGORY"]]
    assert p.seeded_parameters(99, 1, seed)["DMS"] in range(1176, 1225)


def test_seeded_values_are_reproducible_and_differ_by_seed() -> None:
    assert p.seeded_parameters(8, 1, 3) == p.seeded_parameters(8, 1, 3)
    assert len({p.seeded_parameters(8, 1, seed)["ZIP"][0] for seed in range(5)}) > 1


def test_each_stream_draws_its_own_values_and_order() -> None:
    benchmark = TPCDS(Config(scale_factor=1, parameters="seeded", queries=[3, 7, 52]))
    streams = {s: {q.id: q.sql for q in benchmark.queries(s)} for s in (1, 2)}
    assert streams[1]["Q3"] != streams[2]["Q3"]
    assert [q.id for q in benchmark.queries(0)] == ["Q7", "Q3", "Q52"]  # stream 0: 96, 7, ..., 3, ..., 52


def test_a_rule_cannot_run_code() -> None:
    evaluator = p._Evaluator(__import__("random").Random(0), {})
    import ast

    for text in ("__import__('os')", "open('x')", "(1).__class__", "[x for x in []]", "lambda: 1"):
        with pytest.raises((NameError, SyntaxError)):
            evaluator.eval(ast.parse(text, mode="eval").body)


def test_a_missing_value_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        p.render(1, {"YEAR": 2000})


def test_list_values_render_as_sql_literals() -> None:
    assert p._sql_text(["a", "O'Hara"]) == "'a', 'O''Hara'" and p._sql_text([1, 2]) == "1, 2"
    assert p._sql_text("ss_net_paid") == "ss_net_paid"


def test_unknown_template_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 99"):
        p.template(100)


def test_the_shipped_sort_keys_are_the_texts_and_only_the_listed_templates_vary() -> None:
    """order.json (read by every plan instead of parsing 103 texts) matches the texts; a template whose
    seeded values can change its sort columns is in SORT_VARIES and is parsed per text."""
    from benchbox.benchmarks import tpcds
    from benchbox.benchmarks.answers import order_keys

    shipped = tpcds._order_keys()
    for number in NUMBERS:
        for query_id, sql in p.render(number, p.validation_parameters(number)):
            assert shipped[query_id] == order_keys(sql), query_id
        varies = any(
            [order_keys(sql) for _, sql in p.render(number, p.seeded_parameters(number, 1, seed))]
            != [shipped[qid] for qid in p.template(number).ids]
            for seed in range(6)
        )
        assert varies == (number in tpcds.SORT_VARIES), number
    assert len(shipped) == 103
