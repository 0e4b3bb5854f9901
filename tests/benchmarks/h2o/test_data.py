"""H2O's data: falsa's generators with benchbox's fixes (benchbox/benchmarks/h2o/data.py), checked
on the files the data cache keeps."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks import datacache
from benchbox.benchmarks.h2o import H2O, Config


def _dataset(root: Path, **settings: object) -> datacache.Dataset:
    return datacache.ensure(root, H2O(Config(**settings)), lambda _: None)


@pytest.fixture(scope="module")
def join(tmp_path_factory: pytest.TempPathFactory) -> datacache.Dataset:
    return _dataset(tmp_path_factory.mktemp("h2o"), task="join", rows=1_000_000)


def test_the_join_tables_have_the_db_benchmark_sizes_and_unique_right_keys(join: datacache.Dataset) -> None:
    """Fix 1: falsa 0.0.6's join command makes the left table with the small table's row count."""
    sizes = {name: join.rows(name) for name in ("x", "small", "medium", "big")}
    assert sizes == {"x": 10**6, "small": 1, "medium": 1000, "big": 10**6}
    for table, key in (("small", "id1"), ("medium", "id2"), ("big", "id3")):
        column = pq.read_table(join.files(table)[0], columns=[key])[key]
        assert pc.count_distinct(column).as_py() == len(column), f"{table}.{key} is its key"


def test_the_small_table_shares_its_key_with_x_at_1e6(join: datacache.Dataset) -> None:
    """Fix 4: below 1e7 rows falsa's key split leaves the small table no key shared with x."""
    small = pq.read_table(join.files("small")[0])["id1"].to_pylist()
    x = pq.read_table(join.files("x")[0], columns=["id1"])["id1"]
    assert pc.sum(pc.is_in(x, value_set=pq.read_table(join.files("small")[0])["id1"])).as_py() > 0, small


def test_groupby_id2_has_k_levels_and_the_measures_get_nulls(tmp_path: Path) -> None:
    """Fixes 2 and 3: id2 is drawn from k levels like id1, and na_percent reaches v1, v2 and v3."""
    dataset = _dataset(tmp_path, rows=20_000, k=10, na_percent=10)
    table = pq.read_table(dataset.files("x")[0])
    assert table.num_rows == 20_000
    levels = set(table["id2"].drop_null().to_pylist())
    assert levels == {f"id{n:03d}" for n in range(1, 11)}
    for name in ("id1", "id2", "v1", "v2", "v3"):
        share = table[name].null_count / table.num_rows
        assert 0.08 < share < 0.12, (name, share)
    assert pc.count_distinct(table["id3"]).as_py() > 1000, "id3 keeps rows / k levels"


def test_the_same_settings_give_the_same_bytes_and_the_seed_changes_them(tmp_path: Path) -> None:
    first = _dataset(tmp_path / "a", rows=5000, k=10, na_percent=5)
    again = _dataset(tmp_path / "b", rows=5000, k=10, na_percent=5)
    other = _dataset(tmp_path / "c", rows=5000, k=10, na_percent=5, seed=1)
    read = lambda d: pq.read_table(d.files("x")[0])  # noqa: E731
    assert read(first).equals(read(again))
    assert not read(first).equals(read(other))
    assert first.manifest["generator"]["name"] == "falsa + benchbox fixes"


def _verdicts(dataset: datacache.Dataset, shipped: H2O) -> dict[str, str]:
    """Each question of ``shipped``'s settings run by DuckDB on ``dataset``, judged against the
    digests that ship for ``shipped``."""
    import duckdb

    from benchbox.benchmarks.answers import compare

    con = duckdb.connect()
    con.execute(f"CREATE VIEW x AS SELECT * FROM read_parquet('{dataset.files('x')[0]}')")
    verdicts = {}
    for query in shipped.queries(None):
        answer = shipped.answer_rows(query.id, con.execute(query.sql).fetchall())
        verdicts[query.id] = compare(shipped.reference(query), answer).status
    return verdicts


def test_the_shipped_digests_match_todays_data_and_catch_other_data(tmp_path: Path) -> None:
    """The generator still makes the data the digests were made from (falsa, numpy and the fixes
    unchanged), and a digest tells other data apart: seed 1's answers mismatch seed 0's digests."""
    shipped = H2O(Config())
    assert set(_verdicts(_dataset(tmp_path / "a"), shipped).values()) == {"ok"}
    other = _verdicts(_dataset(tmp_path / "b", seed=1), shipped)
    assert set(other.values()) == {"mismatch"}, other
