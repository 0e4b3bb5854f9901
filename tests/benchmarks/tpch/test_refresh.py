"""Refresh sets (RF1/RF2): sizes, key ranges against the generated base data, column rules,
comments from the spec's grammar, determinism, and the order count an RF1/RF2 pair leaves."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from benchbox.benchmarks import datacache
from benchbox.benchmarks.tpch import TPCH, Config, refresh, text
from benchbox.benchmarks.tpch import vocabulary as v

SF = 0.01
SF1 = refresh.Sizes(orders=1_500_000, customer=150_000, part=200_000, supplier=10_000)
"""The SF 1 base data's sizes: sets of 1500 orders, without generating SF 1 data."""


@pytest.fixture(scope="module")
def base(data_dir: Path) -> tuple[duckdb.DuckDBPyConnection, refresh.Sizes]:
    """The SF 0.01 base data in an in-memory DuckDB, and its sizes from the manifest."""
    dataset = datacache.ensure(data_dir, TPCH(Config(scale_factor=SF)), lambda _: None)
    con = duckdb.connect()
    for table in ("orders", "lineitem", "customer", "partsupp"):
        files = [str(f) for f in dataset.files(table)]
        con.execute(f"create table {table} as select * from read_parquet({files})")
    sizes = refresh.Sizes(*(dataset.rows(t) for t in ("orders", "customer", "part", "supplier")))
    return con, sizes


def test_sparse_keys_match_dbgen() -> None:
    # dbgen's MK_SPARSE, worked by hand: rows 1-7 -> keys 1-7, row 8 -> 32; seq 1 shifts by 8.
    assert [refresh.sparse_key(r, 0) for r in (1, 7, 8, 9, 16)] == [1, 7, 32, 33, 64]
    assert [refresh.sparse_key(r, 1) for r in (1, 7, 8)] == [9, 15, 40]
    assert refresh.orders_per_set(1) == 1500 and refresh.orders_per_set(0.01) == 15
    assert refresh.set_rows(2, 1, 1_500_000) == range(1501, 3001)
    with pytest.raises(ValueError, match="sets 1 to 999"):
        refresh.set_rows(1000, 1, 1_500_000)
    with pytest.raises(ValueError, match="sets 1 to 10"):
        refresh.set_rows(11, 0.01, 150)  # no more sets than base orders to delete


def test_the_base_data_uses_the_first_8_keys_of_every_32(base) -> None:
    con, sizes = base
    (count, outside, largest) = con.execute(
        "select count(*), count(*) filter (where o_orderkey % 32 >= 8), max(o_orderkey) from orders"
    ).fetchall()[0]
    assert (count, outside, largest) == (sizes.orders, 0, refresh.sparse_key(sizes.orders, 0))


def test_set_sizes_and_key_ranges(base) -> None:
    con, sizes = base
    first = refresh.refresh_set(1, SF, 0, sizes)
    assert first.orders.num_rows == 15 and first.delete_keys.num_rows == 15
    lines = first.lineitem.group_by("l_orderkey").aggregate(
        [("l_linenumber", "max"), ("l_linenumber", "count")]
    )
    assert all(1 <= n <= 7 for n in lines["l_linenumber_count"].to_pylist())
    assert lines["l_linenumber_max"].to_pylist() == lines["l_linenumber_count"].to_pylist()
    new_keys = first.orders["o_orderkey"].to_pylist()
    assert all(8 <= k % 32 < 16 for k in new_keys), "RF1 uses the keys the base data leaves unused"
    con.register("new_orders", first.orders)
    assert con.execute("select count(*) from orders join new_orders using (o_orderkey)").fetchall()[0] == (0,)
    # RF2 of set 1 deletes the first 15 base orders, which exist; set 2 the next 15.
    first15 = [k for (k,) in con.execute("select o_orderkey from orders order by 1 limit 30").fetchall()]
    assert first.delete_keys["o_orderkey"].to_pylist() == first15[:15]
    second = refresh.refresh_set(2, SF, 0, sizes)
    assert second.delete_keys["o_orderkey"].to_pylist() == first15[15:]
    assert not set(second.orders["o_orderkey"].to_pylist()) & set(new_keys)


def test_new_rows_follow_the_column_rules(base) -> None:
    con, sizes = base
    rows = refresh.refresh_set(3, SF, 42, sizes)
    con.register("new_orders", rows.orders)
    con.register("new_lineitem", rows.lineitem)
    assert con.execute(
        "select count(*) from new_orders "
        "where o_custkey % 3 = 0 or o_custkey not in (select c_custkey from customer)"
    ).fetchall()[0] == (0,)
    assert con.execute(
        "select count(*) from new_lineitem l anti join partsupp p "
        "on l.l_partkey = p.ps_partkey and l.l_suppkey = p.ps_suppkey"
    ).fetchall()[0] == (0,), "every (partkey, suppkey) is a partsupp row"
    orders = {o["o_orderkey"]: o for o in rows.orders.to_pylist()}
    by_order: dict[int, list[dict]] = {}
    for line in rows.lineitem.to_pylist():
        order = orders[line["l_orderkey"]]
        ordered = order["o_orderdate"]
        assert timedelta(1) <= line["l_shipdate"] - ordered <= timedelta(121)
        assert timedelta(30) <= line["l_commitdate"] - ordered <= timedelta(90)
        assert timedelta(1) <= line["l_receiptdate"] - line["l_shipdate"] <= timedelta(30)
        assert (line["l_returnflag"] == "N") == (line["l_receiptdate"] > refresh.CURRENT_DATE)
        assert line["l_linestatus"] == ("O" if line["l_shipdate"] > refresh.CURRENT_DATE else "F")
        assert line["l_extendedprice"] == line["l_quantity"] * refresh.retail_price(line["l_partkey"])
        assert Decimal("0") <= line["l_discount"] <= Decimal("0.10") and line["l_tax"] <= Decimal("0.08")
        by_order.setdefault(line["l_orderkey"], []).append(line)
    for key, items in by_order.items():
        total = sum(i["l_extendedprice"] * (1 + i["l_tax"]) * (1 - i["l_discount"]) for i in items)
        assert orders[key]["o_totalprice"] == total.quantize(Decimal("0.01"))
        statuses = {i["l_linestatus"] for i in items}
        assert orders[key]["o_orderstatus"] == (statuses.pop() if len(statuses) == 1 else "P")
    # Retail prices of real parts match the generator's (clause 4.2.3 formula).
    assert refresh.retail_price(1) == Decimal("901.00") and refresh.retail_price(1999) == Decimal("1900.99")


def test_sets_are_deterministic_from_the_seed(base) -> None:
    _, sizes = base
    a, b = refresh.refresh_set(1, SF, 7, sizes), refresh.refresh_set(1, SF, 7, sizes)
    assert a.orders.equals(b.orders) and a.lineitem.equals(b.lineitem)
    assert not refresh.refresh_set(1, SF, 8, sizes).lineitem.equals(a.lineitem)


def test_an_rf1_rf2_pair_restores_the_order_count(base) -> None:
    con, sizes = base
    rows = refresh.refresh_set(4, SF, 0, sizes)
    con.execute("create temp table o as select * from orders; create temp table l as select * from lineitem")
    before = con.execute("select (select count(*) from o), (select count(*) from l)").fetchall()[0]
    con.register("rf1_orders", rows.orders)
    con.register("rf1_lineitem", rows.lineitem)
    con.register("rf2_keys", rows.delete_keys)
    con.execute("insert into o select * from rf1_orders; insert into l select * from rf1_lineitem")
    assert con.execute("select count(*) from o").fetchall()[0] == (before[0] + 15,)
    deleted_lines = con.execute(
        "select count(*) from l where l_orderkey in (select o_orderkey from rf2_keys)"
    ).fetchall()[0][0]
    con.execute(
        "delete from l where l_orderkey in (select o_orderkey from rf2_keys);"
        "delete from o where o_orderkey in (select o_orderkey from rf2_keys)"
    )
    after = con.execute("select (select count(*) from o), (select count(*) from l)").fetchall()[0]
    assert after == (before[0], before[1] + rows.lineitem.num_rows - deleted_lines)


def _words(comments: list[str]) -> Counter:
    """The whole words of comments (the first and last may be cut), without the punctuation the
    grammar adds (a comma after an adjective, a terminator after a sentence's last word)."""
    found: Counter = Counter()
    for comment in comments:
        for token in comment.split(" ")[1:-1]:
            word = re.sub(r"[.,;:?!-]+$", "", token)
            found.update([word] if word else [])
    return found


GRAMMAR_WORDS = {
    word
    for words in (v.NOUNS, v.VERBS, v.ADJECTIVES, v.ADVERBS, v.PREPOSITIONS, v.AUXILIARIES)
    for phrase in words
    for word in phrase.split(" ")
} | {"the"}  # the prepositional phrase's article


def test_the_grammar_words_are_the_base_datas(base) -> None:
    # The lists are dbgen's (dists.dss; clause 4.2.2.13's plus the Q13 words); the base data's
    # comments use exactly these words, except dbgen's spelling of one preposition.
    con, _ = base
    sql = "select o_comment from orders union all select l_comment from lineitem"
    comments = [c for (c,) in con.execute(sql).fetchall()]
    found = set(_words(comments))
    assert found - GRAMMAR_WORDS == {"whithout"} and GRAMMAR_WORDS - found == {"without"}


def test_comments_are_text_strings_of_the_spec_lengths() -> None:
    # Clause 4.2.3: O_COMMENT text string[19, 78], L_COMMENT text string[10, 43] (the earlier
    # word strings came out 19-31 and 10-22 characters long).
    rows = refresh.refresh_set(1, 1, 0, SF1)
    for table, column, (shortest, longest) in (
        (rows.orders, "o_comment", refresh.O_COMMENT),
        (rows.lineitem, "l_comment", refresh.L_COMMENT),
    ):
        lengths = Counter(len(c) for c in table[column].to_pylist())
        assert (min(lengths), max(lengths)) == (shortest, longest), column
        assert len(lengths) == longest - shortest + 1, f"{column}: every length in range occurs"
        assert set(_words(table[column].to_pylist())) <= GRAMMAR_WORDS
    comments = rows.orders["o_comment"].to_pylist()
    assert any(re.search(r"[a-z]+, [a-z]+ [a-z]+", c) for c in comments), "two adjectives, a comma"
    assert any(" the " in c for c in comments) and any(
        re.search(r"[a-z](\.|;|:|\?|!|--)( |$)", c) for c in comments
    )


def test_a_prepositional_phrase_ends_in_a_noun_phrase() -> None:
    # Clause 4.2.2.14 (and dbgen's text.c): prepositional phrase = preposition "the" noun phrase,
    # so an adjective or an adverb may follow "the". (It was always a bare noun before.)
    rng = random.Random(3)
    after_the = Counter(
        match.group(1)
        for s in (text.text_string(rng, 40, 80) for _ in range(500))
        for match in re.finditer(r"(?:^| )the ([a-z]+)[ ,]", s)
    )
    modifiers = set(v.ADJECTIVES) | set(v.ADVERBS)
    assert set(after_the) & set(v.ADJECTIVES) and set(after_the) & set(v.ADVERBS)
    assert sum(n for word, n in after_the.items() if word in modifiers) > sum(after_the.values()) / 2
    # Two adjectives after "the": "the <adjective>, <adjective> <noun>".
    adjective = "|".join(v.ADJECTIVES)
    two = re.compile(rf" the ({adjective}), ({adjective}) ")
    assert any(two.search(text.text_string(rng, 60, 80)) for _ in range(500))


def test_a_text_string_is_cut_from_grammar_text() -> None:
    rng = random.Random(1)
    strings = [text.text_string(rng, 10, 43) for _ in range(2000)]
    assert {len(s) for s in strings} == set(range(10, 44))
    # Cut at a random offset: some start or end mid-word, as the base data's do.
    first_words = [re.sub(r"[.,;:?!-]+$", "", s.split(" ")[0]) for s in strings]
    assert any(word and word not in GRAMMAR_WORDS for word in first_words)
    assert all(set(_words([s])) <= GRAMMAR_WORDS for s in strings)


def test_clerks_span_the_base_datas_range(base) -> None:
    con, _ = base
    ((first, last),) = con.execute("select min(o_clerk), max(o_clerk) from orders").fetchall()
    assert (first, last) == ("Clerk#000000001", f"Clerk#{refresh.clerks(SF):09d}")  # 1000, not SF x 1000
    numbers = [
        int(clerk[6:])
        for n in range(1, 11)
        for clerk in refresh.refresh_set(n, SF, 0, base[1]).orders["o_clerk"].to_pylist()
    ]
    assert min(numbers) >= 1 and max(numbers) <= refresh.clerks(SF)
    assert max(numbers) > 500, "drawn from the whole range (it was 1 to 10 at SF 0.01)"
    assert refresh.clerks(1) == 1000 and refresh.clerks(10) == 10_000


def test_customer_keys_have_the_base_datas_proportions(base) -> None:
    # The base data's orders: no key divisible by 3 (clause 4.2.3), and keys 1 more than a
    # multiple of 3 twice as common as keys 2 more. A loop that rejects multiples of 3 gives 1:1.
    con, _ = base
    ((share,),) = con.execute(
        "select avg(case when o_custkey % 3 = 1 then 1.0 else 0 end) from orders"
    ).fetchall()
    assert share == pytest.approx(2 / 3, abs=0.01)
    keys = [
        k for n in (1, 2, 3, 4) for k in refresh.refresh_set(n, 1, 0, SF1).orders["o_custkey"].to_pylist()
    ]
    residues = Counter(k % 3 for k in keys)
    assert residues[0] == 0 and residues[1] / len(keys) == pytest.approx(share, abs=0.03)
    assert min(keys) >= 1 and max(keys) <= SF1.customer
    rng = random.Random(0)
    assert {refresh.customer_key(rng, 3) for _ in range(100)} == {1, 2}  # the last key moves back


class _Draws(random.Random):
    """A generator whose ``randint`` returns the given values in turn."""

    def __init__(self, *values: int) -> None:
        super().__init__(0)
        self._values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self._values.pop(0)
        assert a <= value <= b
        return value


def test_customer_keys_move_off_multiples_of_3_as_dbgen_does() -> None:
    # dbgen's mk_order: a multiple of 3 becomes the next key; the last key (here 1500, a multiple
    # of 3) would pass the end, so it is clamped and then moved back by one, to 1499 (not 1498).
    assert refresh.customer_key(_Draws(1500), 1500) == 1499
    assert refresh.customer_key(_Draws(3), 3) == 2
    assert [refresh.customer_key(_Draws(k), 1500) for k in (1, 2, 3, 1497, 1498, 1499)] == [
        1,
        2,
        4,
        1498,
        1498,
        1499,
    ]
