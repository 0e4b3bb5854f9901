"""The generic answer comparison: NULLs, empty results, ordering with ties, tolerance, sort keys."""

from __future__ import annotations

import pytest

from benchbox.benchmarks.answers import Reference, compare, order_keys, reference_from_rows


def _verdict(reference: Reference, rows: list) -> tuple[str, str | None]:
    verdict = compare(reference, rows)
    return verdict.status, verdict.diff


def test_null_equals_only_null() -> None:
    reference = Reference(("a", "b"), ((1, None), (2, 3.5)), ordered=True)
    assert _verdict(reference, [(1, None), (2, 3.5)]) == ("ok", None)
    for wrong in ([(1, 0), (2, 3.5)], [(1, 0.0), (2, 3.5)], [(1, ""), (2, 3.5)]):
        status, diff = _verdict(reference, wrong)
        assert status == "mismatch" and "column b" in diff and "None" in diff, wrong
    text = Reference(("t",), ((None,), ("x",)), ordered=False)
    assert _verdict(text, [("",), ("x",)])[0] == "mismatch"


def test_an_empty_answer_must_be_empty() -> None:
    empty = Reference(("a",), (), ordered=True)
    assert _verdict(empty, []) == ("ok", None)
    assert _verdict(empty, [(1,)]) == ("mismatch", "expected 0 rows, got 1")


def test_rows_that_tie_on_the_sort_keys_may_come_in_any_order() -> None:
    rows = ((10, "a", 1), (10, "b", 2), (7, "c", 3))
    by_first = Reference(("n", "s", "k"), rows, ordered=True, keys=(0,))
    assert _verdict(by_first, [(10, "b", 2), (10, "a", 1), (7, "c", 3)]) == ("ok", None)
    status, diff = _verdict(by_first, [(7, "c", 3), (10, "a", 1), (10, "b", 2)])
    assert status == "mismatch" and diff.startswith("same rows in a different order")
    # the same rows are still required
    assert _verdict(by_first, [(10, "a", 1), (10, "b", 9), (7, "c", 3)])[0] == "mismatch"
    strict = Reference(("n", "s", "k"), rows, ordered=True)  # keys unknown: the whole order counts
    assert _verdict(strict, [(10, "b", 2), (10, "a", 1), (7, "c", 3)])[0] == "mismatch"


def test_the_tolerance_is_the_references() -> None:
    loose = Reference(("x",), ((100.0,),), ordered=False, tolerance=1.0)
    assert _verdict(loose, [(100.9,)])[0] == "ok" and _verdict(loose, [(101.5,)])[0] == "mismatch"
    tight = Reference(("x",), ((100.0,),), ordered=False)
    assert _verdict(tight, [(100.01,)])[0] == "ok" and _verdict(tight, [(100.02,)])[0] == "mismatch"


@pytest.mark.parametrize(
    ("sql", "keys"),
    [
        ("select a, b as x, sum(c) from t group by 1, 2 order by x desc, 1, sum(c)", (1, 0, 2)),
        ("select a, b from t order by c, a", ()),  # c is not an output column: nothing after it counts
        ("select a from t union all select b from u order by 1", (0,)),
        ("select t.a, u.b from t, u order by t.a, b", (0, 1)),
        ("select a from t", None),
        ("select a from (select a from t order by a) s", None),  # only a top-level ORDER BY orders
    ],
)
def test_order_keys_map_the_order_by_to_output_columns(sql: str, keys: tuple[int, ...] | None) -> None:
    assert order_keys(sql) == keys


def test_a_reference_from_rows_keeps_its_keys_only_when_ordered() -> None:
    assert reference_from_rows("select a from t order by a", [(1,)], keys=(0,)).keys == (0,)
    assert reference_from_rows("select a from t", [(1,)], keys=(0,)).keys is None
