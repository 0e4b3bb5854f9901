"""``reuse_loaded_data=true`` through the real command: a rerun on a database that holds a complete,
untouched load of the same data skips the load (and says so); anything else loads again, with the
reason in the result. The stamp lives in the database itself (``platforms.base.LOAD_STAMP_TABLE``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from benchbox.platforms.base import LOAD_STAMP_TABLE

FAST = ("benchmark.scale_factor=0.01", "benchmark.queries=[1,6]")
POWER = ("mode.warmups=0", "mode.iterations=1")
"""For a power run (the default mode); a maintenance run has no such keys."""
REUSE = "reuse_loaded_data=true"


def _run(benchbox, folder: Path, *overrides: str, code: int = 0) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    power = () if "mode=maintenance" in overrides else POWER
    done = benchbox(*FAST, *power, "progress=false", *overrides, cwd=folder)
    assert done.code == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.result()


def _load(record: dict[str, Any]) -> dict[str, Any]:
    (load,) = [p for p in record["phases"] if p["name"] == "load"]
    return load["details"]


def _validated(record: dict[str, Any]) -> list[str]:
    return [e["validation"] for e in record["executions"]]


@pytest.mark.e2e
@pytest.mark.parametrize("platform", ["duckdb", "sqlite"])
def test_a_rerun_reuses_the_loaded_file_and_says_so(benchbox, tmp_path: Path, platform: str) -> None:
    database = tmp_path / f"bench.{platform}"
    target = (f"platform={platform}", f"platform.database={database}")
    first = _run(benchbox, tmp_path / "first", *target, REUSE)
    assert _load(first)["reused"] is False
    assert _load(first)["not_reused"] == "the database holds no complete load by benchbox"
    assert first["metadata"]["data_load"] == "loaded"
    second = _run(benchbox, tmp_path / "second", *target, REUSE, "mode.iterations=2")
    load = _load(second)
    assert load["reused"] is True and load["loaded_at"], load
    assert {t["table"]: t["rows"] for t in load["tables"]} == second["data"]["tables"]
    assert second["metadata"]["data_load"] == "reused"
    assert _validated(second) == ["ok"] * 4, "the reused tables give the right answers"
    assert second["metadata"]["spec_hash"] != first["metadata"]["spec_hash"]  # iterations differ
    folders = [str(next((tmp_path / run).glob("outputs/*/*"))) for run in ("first", "second")]
    compared = benchbox("compare", *folders, "--format", "json")
    assert compared.code == 0, compared.stderr
    (pair,) = json.loads(compared.stdout)["pairs"]
    differences = {d["what"]: d for d in pair["differences"]}
    assert "data load" in differences and not pair["blocking"], differences
    third = _run(benchbox, tmp_path / "third", *target, "mode.iterations=2")
    assert "reused" not in _load(third), "without the option the data is loaded, as always"
    assert third["metadata"]["data_load"] == "loaded"
    assert third["metadata"]["spec_hash"] == second["metadata"]["spec_hash"], "how, not what: not hashed"
    (tmp_path / "fourth").mkdir()
    fourth = benchbox(*FAST, *POWER, *target, REUSE, cwd=tmp_path / "fourth")  # progress on: log lines
    assert fourth.code == 0 and _load(fourth.result())["reused"] is True, fourth.stderr
    loaded_at = _load(fourth.result())["loaded_at"]
    said = f"reusing the tables loaded at {loaded_at}: the data and every row count match"
    assert said in fourth.stdout + fourth.stderr


@pytest.mark.e2e
def test_maintenance_erases_the_stamp_so_the_changed_tables_are_loaded_again(
    benchbox, tmp_path: Path
) -> None:
    target = ("platform=duckdb", f"platform.database={tmp_path / 'bench.duckdb'}")
    _run(benchbox, tmp_path / "load", *target)
    changed = _run(benchbox, tmp_path / "maintenance", *target, REUSE, "mode=maintenance")
    assert _load(changed)["reused"] is True, "maintenance may start from the untouched load"
    rows = [e for e in changed["executions"] if e["kind"] == "maintenance"]
    assert rows and all(r["status"] == "ok" for r in rows)
    after = _run(benchbox, tmp_path / "after", *target, REUSE)
    assert _load(after)["reused"] is False
    assert _load(after)["not_reused"] == "the database holds no complete load by benchbox"
    assert _validated(after) == ["ok", "ok"]
    again = _run(benchbox, tmp_path / "again", *target, REUSE)
    assert _load(again)["reused"] is True, "a power run leaves its stamp"


def _tamper_duckdb(database: Path, statement: str) -> None:
    import duckdb

    with duckdb.connect(str(database)) as con:
        con.execute(statement)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ("DELETE FROM nation WHERE n_nationkey = 0", "nation holds 24 rows, the data has 25"),
        ("DROP TABLE region", "region cannot be read: CatalogException"),
        (f"UPDATE {LOAD_STAMP_TABLE} SET stamp = 'not json {{'", "the database holds no complete load"),
        (f"UPDATE {LOAD_STAMP_TABLE} SET stamp = '[1]'", "the database holds no complete load"),
        (
            f'UPDATE {LOAD_STAMP_TABLE} SET stamp = replace(stamp, \'"data_fingerprint": "\', '
            '\'"data_fingerprint": "x\')',
            "its load differs in data fingerprint",
        ),
        (
            f"INSERT INTO {LOAD_STAMP_TABLE} SELECT * FROM {LOAD_STAMP_TABLE}",
            "the database holds no complete",
        ),
        (
            f'UPDATE {LOAD_STAMP_TABLE} SET stamp = replace(stamp, \'"engine_version": "\', '
            '\'"engine_version": "0.\')',
            "its load differs in engine version",
        ),
        (
            f"DROP TABLE {LOAD_STAMP_TABLE}; CREATE TABLE {LOAD_STAMP_TABLE} (other INTEGER)",
            "its stamp table cannot be read: BinderException",
        ),
        (
            f"DROP TABLE {LOAD_STAMP_TABLE}; CREATE TABLE {LOAD_STAMP_TABLE} AS SELECT 7 AS stamp",
            "the database holds no complete load",
        ),
    ],
    ids=[
        "a row deleted",
        "a table dropped",
        "a broken stamp",
        "a stamp of no object",
        "other data",
        "two stamps",
        "another engine version",
        "a stamp table of another shape",
        "a stamp of no text",
    ],
)
def test_a_database_changed_behind_benchbox_is_loaded_again(
    benchbox, tmp_path: Path, tamper: str, why: str
) -> None:
    database = tmp_path / "bench.duckdb"
    target = ("platform=duckdb", f"platform.database={database}")
    _run(benchbox, tmp_path / "load", *target)
    _tamper_duckdb(database, tamper)
    again = _run(benchbox, tmp_path / "again", *target, REUSE)
    assert _load(again)["reused"] is False
    assert _load(again)["not_reused"].startswith(why), _load(again)
    assert _validated(again) == ["ok", "ok"], "loaded again, so the answers are right"
    assert _load(_run(benchbox, tmp_path / "third", *target, REUSE))["reused"] is True


@pytest.mark.e2e
def test_other_data_in_the_same_file_is_loaded_again(benchbox, tmp_path: Path) -> None:
    target = ("platform=duckdb", f"platform.database={tmp_path / 'bench.duckdb'}")
    _run(benchbox, tmp_path / "small", *target)
    other = _run(benchbox, tmp_path / "other", *target, REUSE, "benchmark.seed=7", "mode.iterations=1")
    assert _load(other)["reused"] is True, "the seed draws parameters; the data is the same"
    bigger = _run(
        benchbox,
        tmp_path / "bigger",
        *target,
        REUSE,
        "benchmark.scale_factor=0.02",
        "validation.reference=duckdb",
    )
    assert _load(bigger)["not_reused"] == "its load differs in data fingerprint"
    assert bigger["data"]["tables"]["lineitem"] > 60175 and _validated(bigger) == ["ok", "ok"]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        (("platform=duckdb",), "with platform.database=':memory:' the tables end with the run"),
        (("platform=sqlite",), "with platform.database=None the tables end with the run"),
        (("platform=polars",), "benchbox cannot reuse loaded tables on polars yet"),
    ],
    ids=["duckdb in memory", "sqlite temporary file", "polars"],
)
def test_a_platform_that_keeps_no_tables_loads_and_says_why(
    benchbox, tmp_path: Path, overrides: tuple[str, ...], why: str
) -> None:
    folder = tmp_path / "run"
    folder.mkdir()
    done = benchbox(*FAST, *POWER, *overrides, REUSE, cwd=folder)  # progress on: plain log lines
    assert done.code == 0, done.stdout + done.stderr
    assert _load(done.result())["not_reused"] == why
    assert f"the loaded tables cannot be reused ({why})" in done.stdout + done.stderr
    assert _validated(done.result()) == ["ok", "ok"]


@pytest.mark.e2e
def test_the_stamp_names_the_load_and_nothing_secret(benchbox, tmp_path: Path) -> None:
    database = tmp_path / "bench.sqlite"
    record = _run(benchbox, tmp_path / "load", "platform=sqlite", f"platform.database={database}")
    with sqlite3.connect(database) as con:
        ((stamp,),) = con.execute(f"SELECT stamp FROM {LOAD_STAMP_TABLE}").fetchall()
    stamp = json.loads(stamp)
    keys = {"data_fingerprint", "tables", "platform", "engine_version", "benchbox_version", "loaded_at"}
    assert set(stamp) == keys
    assert stamp["engine_version"] == record["metadata"]["platform_engine_version"]
    assert stamp["data_fingerprint"] == record["metadata"]["data_fingerprint"]
    assert (stamp["platform"], stamp["benchbox_version"]) == (
        "sqlite",
        record["metadata"]["benchbox_version"],
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("overrides", "said"),
    [
        (("reuse_loaded_data=maybe",), "reuse_loaded_data='maybe' is not allowed"),
        (
            ("reuse_loaded_data=true", "platform=sqlite", "platform.database=/nonexistent/dir/x.sqlite"),
            "its folder /nonexistent/dir does not exist",
        ),
    ],
    ids=["not a bool", "a database in a missing folder"],
)
def test_a_wrong_value_is_refused_before_any_work(
    benchbox, tmp_path: Path, overrides: tuple[str, ...], said: str
) -> None:
    done = benchbox(*FAST, *overrides, "progress=false")
    assert done.code == 2 and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "outputs").exists()
