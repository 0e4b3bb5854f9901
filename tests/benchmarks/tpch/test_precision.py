"""Clause 2.1.3.5's precision rules: the column table against the query text and the shipped
answers, and answers that are right by the rules (float noise in a large sum, an average 0.5%
off) accepted, wrong ones (a count off by one, a sum off by more than $100) rejected."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
import sqlglot
from sqlglot import exp

from benchbox.benchmarks.answers import Reference, Tolerance, compare
from benchbox.benchmarks.tpch import TPCH, Config
from benchbox.benchmarks.tpch import parameters as p
from benchbox.benchmarks.tpch.answers import load_reference
from benchbox.benchmarks.tpch.precision import COLUMNS, RULES, tolerances

SHIPPED = (0.01, 0.1, 1.0)


def _status(reference: Reference, rows: list) -> str:
    return compare(reference, rows).status


def _rows(reference: Reference) -> list[list]:
    return [list(row) for row in reference.rows]


def _rule_from_sql(tree: exp.Expression, projection: exp.Expression) -> str:
    """A column's rule read off the query text, by the clause and its comments."""
    value = projection.unalias()
    if isinstance(value, exp.Count):
        return "exact"  # a) COUNT
    if isinstance(value, exp.Avg):
        return "average"  # d)
    if isinstance(value, exp.Sum):
        summed = value.this
        if isinstance(summed, exp.Column) and summed.name == "l_quantity":
            return "exact"  # comment 4
        if isinstance(summed, exp.Case):
            outcomes = [i.args["true"] for i in summed.args["ifs"]] + [summed.args["default"]]
            if all(isinstance(o, exp.Literal) and o.name in ("0", "1") for o in outcomes):
                return "exact"  # comment 2: a row count as a SUM of 0s and 1s
        return "sum"  # c)
    if value.find(exp.Sum) and value.find(exp.Div):
        return "sum_ratio"  # comment 1: a SUM combined with a ratio
    assert isinstance(value, exp.Column), projection.sql()
    defined = [a for a in tree.find_all(exp.Alias) if a.alias == value.name and a is not projection]
    if any(isinstance(a.this, exp.Sum) for a in defined):
        return "sum"  # comment 3: a view's sum, selected without further computation
    return "exact"  # a) a singleton column value


@pytest.mark.parametrize("query", p.QUERY_IDS)
def test_the_rules_follow_from_the_query_text(query: int) -> None:
    tree = sqlglot.parse_one(p.render(query, p.validation_parameters(query, 1)), read="duckdb")
    derived = [_rule_from_sql(tree, projection) for projection in tree.selects]
    assert derived == [rule for _, rule in COLUMNS[query]]


@pytest.mark.parametrize("scale_factor", SHIPPED)
def test_the_table_names_every_column_of_the_shipped_answers(scale_factor: float) -> None:
    for query in p.QUERY_IDS:
        reference = load_reference(scale_factor, query)
        assert tuple(name for name, _ in COLUMNS[query]) == reference.columns, query
        assert reference.tolerances == tolerances(query)
        for (name, rule), column in zip(COLUMNS[query], zip(*reference.rows, strict=True), strict=True):
            values = {type(v) for v in column if v is not None}
            if values and (values <= {int} or values == {str}):  # keys, counts, years, names, dates
                assert rule == "exact", (query, name)


def test_the_benchmark_declares_the_rules_for_computed_references_too() -> None:
    benchmark = TPCH(Config(scale_factor=0.01))
    assert benchmark.tolerances("Q6") == (RULES["sum"],)
    assert benchmark.tolerances("Q1")[-1].exact and benchmark.tolerances("Q1")[3] == RULES["sum"]


@pytest.mark.parametrize(("query", "column"), [(6, 0), (5, 1), (7, 3), (9, 2)])
def test_float_noise_in_a_large_sum_is_accepted(query: int, column: int) -> None:
    # SF 1 revenues of 2e7 to 1.2e8: an engine summing doubles may be 1e-9 relative off (cents).
    reference = load_reference(1, query)
    rows = _rows(reference)
    for row in rows:
        row[column] *= 1 + 1e-9
    assert _status(reference, rows) == "ok"
    # The single 0.01 tolerance benchbox used before rejects the same answer.
    assert _status(dataclasses.replace(reference, tolerances=None), rows) == "mismatch"


def test_a_sum_more_than_100_off_is_rejected() -> None:
    reference = load_reference(1, 1)
    rows = _rows(reference)
    rows[0][3] += 99.99
    assert _status(reference, rows) == "ok"
    rows[0][3] += 0.02
    diff = compare(reference, rows).diff
    assert "column sum_base_price" in diff and "(allowed: within 100)" in diff


def test_a_count_off_by_one_is_rejected() -> None:
    reference = load_reference(1, 1)
    rows = _rows(reference)
    rows[2][9] += 1
    assert "column count_order" in compare(reference, rows).diff
    q13 = load_reference(1, 13)
    rows = _rows(q13)
    rows[0][1] -= 1
    assert _status(q13, rows) == "mismatch"


def test_singleton_values_and_sums_of_quantities_are_exact() -> None:
    q18 = load_reference(1, 18)
    for column, delta in ((4, 0.01), (5, 1.0)):  # o_totalprice, sum(l_quantity): comment 4
        rows = _rows(q18)
        rows[0][column] += delta
        assert _status(q18, rows) == "mismatch", column
    q2 = load_reference(1, 2)
    rows = _rows(q2)
    rows[0][0] = Decimal(str(rows[0][0])) + Decimal("0.01")  # s_acctbal
    assert _status(q2, rows) == "mismatch"
    rows[0][0] = Decimal(str(q2.rows[0][0]))  # the same value as a DECIMAL
    assert _status(q2, rows) == "ok"


def test_averages_within_one_percent_after_rounding() -> None:
    reference = load_reference(1, 1)  # avg_price 38273.13: 1% is 382.73
    rows = _rows(reference)
    rows[0][7] = 38273.13 + 382.73
    assert _status(reference, rows) == "ok"
    rows[0][7] = 38273.13 + 382.75
    assert "(allowed: within 1% after rounding to 2 decimals)" in compare(reference, rows).diff
    # avg_disc 0.04999 rounds to 0.05, and 1% of 0.05 leaves only 0.05: 0.0549 is fine, 0.0551 not.
    rows = _rows(reference)
    rows[0][8] = 0.0549
    assert _status(reference, rows) == "ok"
    rows[0][8] = 0.0551
    assert _status(reference, rows) == "mismatch"


def test_ratios_of_sums_keep_both_rules() -> None:
    q8 = load_reference(1, 8)  # mkt_share 0.0344 rounds to 0.03
    rows = _rows(q8)
    rows[0][1] = 0.0349
    assert _status(q8, rows) == "ok"
    rows[0][1] = 0.0351  # rounds to 0.04: 33% off
    assert _status(q8, rows) == "mismatch"
    q17 = load_reference(1, 17)  # avg_yearly 348406.05: 1% would allow 3484, the $100 of c) do not
    assert _status(q17, [(348406.05 + 99,)]) == "ok"
    assert _status(q17, [(348406.05 + 101,)]) == "mismatch"
    q14 = load_reference(1, 14)  # promo_revenue 16.38: within 1% is 16.22 to 16.54
    assert _status(q14, [(16.54,)]) == "ok" and _status(q14, [(16.55,)]) == "mismatch"


def test_a_value_on_a_half_rounds_both_ways() -> None:
    # 0.035 as a DECIMAL is a half; as a double it is 0.03499999... or 0.03500000...1.
    ratio = Tolerance(relative=0.01, digits=2)
    assert ratio.allows(0.035, 0.034999999999999996) and ratio.allows(0.034999999999999996, 0.035)
    assert ratio.allows(1.0, 1.01) and not ratio.allows(1.0, 1.02)  # the bound itself passes
    assert not ratio.allows(0.05, float("nan"))


def test_whole_numbers_in_a_sum_column_compare_within_its_rule() -> None:
    reference = Reference(
        ("n", "total"), ((3, 1000),), ordered=True, tolerances=(RULES["exact"], RULES["sum"])
    )
    assert _status(reference, [(3, 1050)]) == "ok" and _status(reference, [(3, 1101)]) == "mismatch"
    assert _status(reference, [(4, 1000)]) == "mismatch"


def test_tolerances_must_fit_the_columns() -> None:
    with pytest.raises(ValueError, match="2 tolerances for 1 columns"):
        Reference(("x",), ((1.0,),), ordered=True, tolerances=(RULES["sum"], RULES["sum"]))
    with pytest.raises(ValueError, match="absolute or a relative bound"):
        Tolerance()
