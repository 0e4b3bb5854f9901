"""The postgresql platform: translation that keeps DuckDB's meaning, COPY loading, cancelling,
and a password that never leaves the environment (or its file)."""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchbox.benchmarks.schema import Table
from benchbox.errors import PlatformError, SpecError
from benchbox.platforms import sqlalchemy
from benchbox.platforms.postgresql import Adapter, Config, _csv_chunks, _pg_type
from benchbox.spec import RunContext, RunSpec

SAMPLE = Table(
    "bb_sample",
    (("k", "BIGINT"), ("n", "INTEGER"), ("price", "DECIMAL(15,2)"), ("day", "DATE"), ("note", "VARCHAR")),
    ("k",),
    (("n",),),
)
NOTES = ["plain", 'with "quotes", and a comma', "two\nlines", "", "ünïcödé", "b", "B", "a"]


def _spec(**platform: object) -> RunSpec:
    return RunSpec.from_config(
        {
            "platform": {"name": "postgresql", **platform},
            "benchmark": {"name": "tpch"},
            "mode": {"name": "dry_run"},
            "data_dir": "/tmp",
        },
        RunContext(output_dir="out"),
    )


def _sample_parquet(folder: Path) -> Path:
    """The sample table the way tpchgen writes Parquet: int64 keys, string_view text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = len(NOTES)
    batch = pa.table(
        {
            "k": pa.array(range(1, rows + 1), pa.int64()),
            "n": pa.array([i % 3 for i in range(rows)], pa.int64()),
            "price": pa.array([Decimal(f"{i}.0{i}") for i in range(rows)], pa.decimal128(15, 2)),
            "day": pa.array([date(1996, 2, 29)] * rows, pa.date32()),
            "note": pa.array(NOTES, pa.string_view()),
        }
    )
    path = folder / "bb_sample.parquet"
    pq.write_table(batch, path)
    return path


# Config: every option validated, secrets never echoed.


def test_defaults_reach_a_local_server_and_read_the_password_from_pgpassword() -> None:
    config = Config()
    assert (config.host, config.port, config.user, config.database) == (
        "127.0.0.1",
        5432,
        "postgres",
        "postgres",
    )
    assert config.password_env == "PGPASSWORD" and config.password_file is None
    assert config.schema_name is None and config.settings == {}


@pytest.mark.parametrize(
    ("key", "value", "fix"),
    [
        ("port", 70000, "1-65535"),
        ("connect_timeout", 0, "whole seconds >= 1"),
        ("sslmode", "always", "verify-full"),
        ("host", "", "host name or IP address"),
    ],
)
def test_a_wrong_value_is_refused_with_the_fix(key: str, value: object, fix: str) -> None:
    with pytest.raises(SpecError, match=f"platform.{key}=.*{fix}"):
        _spec(**{key: value})


def test_a_password_is_no_config_key_and_is_never_echoed() -> None:
    with pytest.raises(SpecError) as caught:
        _spec(password="hunter2")
    assert "hunter2" not in str(caught.value)
    assert "platform.password_env" in str(caught.value)  # the did-you-mean points at the right key
    with pytest.raises(SpecError) as caught:
        _spec(password_env="hunter2 !")  # a password put where a variable's name belongs
    assert "hunter2" not in str(caught.value) and "NAME of an environment variable" in str(caught.value)


def test_the_password_comes_from_a_file_else_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BB_PW", "from-env")
    assert Adapter(Config(password_env="BB_PW"))._password() == "from-env"
    secret = tmp_path / "pw"
    secret.write_text("from-file\nignored second line\n")
    assert Adapter(Config(password_env="BB_PW", password_file=secret))._password() == "from-file"
    monkeypatch.delenv("BB_PW")
    assert Adapter(Config(password_env="BB_PW"))._password() is None  # libpq's own .pgpass may apply
    assert Adapter(Config(password_env=None))._password() is None
    with pytest.raises(PlatformError, match="cannot be read"):
        Adapter(Config(password_file=tmp_path / "missing"))._password()


# Translation: DuckDB's meaning in PostgreSQL's SQL.


def test_date_arithmetic_stays_a_date() -> None:
    sql = Adapter(Config()).translate(
        "select 1 from t where d <= date '1998-12-01' - interval '90' day "
        "and d < date '1995-01-01' + interval '3' month and d < date '1994-01-01' + interval '1' year"
    )
    assert "CAST(CAST('1998-12-01' AS DATE) - INTERVAL '90 DAY' AS DATE)" in sql
    assert "CAST(CAST('1995-01-01' AS DATE) + INTERVAL '3 MONTH' AS DATE)" in sql
    assert "CAST(CAST('1994-01-01' AS DATE) + INTERVAL '1 YEAR' AS DATE)" in sql


def test_sub_day_intervals_and_columns_keep_their_timestamp() -> None:
    sql = Adapter(Config()).translate(
        "select d + interval '1' day, date '1995-01-01' + interval '1' hour from t"
    )
    assert "AS DATE)" not in sql.replace("CAST('1995-01-01' AS DATE)", "")


def test_extract_is_a_bigint_and_division_is_floating_point() -> None:
    sql = Adapter(Config()).translate("select extract(year from d), extract(epoch from d), a / b from t")
    assert "CAST(EXTRACT(YEAR FROM d) AS BIGINT)" in sql
    assert "CAST(EXTRACT(EPOCH FROM d) AS BIGINT)" not in sql  # fractional: left alone
    assert "CAST(a AS DOUBLE PRECISION) / b" in sql  # DuckDB's `/` never truncates


def test_the_sqlalchemy_platform_borrows_these_rewrites_for_postgresql_urls() -> None:
    adapter = sqlalchemy.Adapter(sqlalchemy.Config(url="postgresql+psycopg://bench@host/db"))
    assert adapter.transforms == Adapter.transforms


def test_types_and_collation() -> None:
    assert _pg_type("DECIMAL(15,2)") == "numeric(15,2)"
    assert _pg_type("VARCHAR") == 'text COLLATE "C"'  # ORDER BY in code-point order, as DuckDB
    assert (_pg_type("INTEGER"), _pg_type("BIGINT"), _pg_type("DATE")) == ("integer", "bigint", "date")


def test_files_become_typed_csv_for_copy(tmp_path: Path) -> None:
    import csv
    import io

    chunks = list(_csv_chunks(SAMPLE, [_sample_parquet(tmp_path)], "parquet"))
    text = b"".join(bytes(c) for c in chunks).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["2", "1", "1.01", "1996-02-29", 'with "quotes", and a comma']
    assert rows[2][4] == "two\nlines" and len(rows) == len(NOTES)
    # The same table as CSV (with a header, as benchbox caches it) gives the same bytes.
    source = tmp_path / "bb_sample.csv"
    source.write_text("k,n,price,day,note\n" + text)
    again = b"".join(bytes(c) for c in _csv_chunks(SAMPLE, [source], "csv")).decode()
    assert again == text


def test_missing_server_binaries_fail_with_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util
    import sys

    name = "benchbox_tests_pg_server"
    if name not in sys.modules:  # loaded by conftest.py once a server was asked for
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("pg_server.py"))
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    pg_server = sys.modules[name]
    monkeypatch.setattr(pg_server.shutil, "which", lambda _: None)
    monkeypatch.setattr(pg_server.glob, "glob", lambda _: [])
    with pytest.raises(pg_server.ServerUnavailable, match="apt-get install -y postgresql"):
        pg_server.find_bindir()


# Against the session's throwaway server.


@pytest.fixture
def adapter(postgresql_server: Any):
    def make(**options: Any) -> Adapter:
        server = postgresql_server
        config = Config(
            host=server.host,
            port=server.port,
            user=server.user,
            database=server.database,
            password_env="BENCHBOX_TEST_PGPASSWORD",
            **options,
        )
        made = Adapter(config)
        made.connect()
        opened.append(made)
        return made

    opened: list[Adapter] = []
    yield make
    for made in opened:
        made.close()


def test_load_round_trips_every_type_and_builds_keys(adapter, tmp_path: Path) -> None:
    pg = adapter(schema_name="bb_test")
    files = [_sample_parquet(tmp_path)]
    assert pg.load_table(SAMPLE, files, "parquet") == len(NOTES)
    assert pg.load_table(SAMPLE, files, "parquet") == len(NOTES)  # dropped and recreated
    row = pg.execute("select k, n, price, day, note from bb_sample where k = 2")[0]
    assert row == (2, 1, Decimal("1.01"), date(1996, 2, 29), 'with "quotes", and a comma')
    assert pg.execute("select note from bb_sample where k = 4") == [("",)]  # empty, not NULL
    assert [r[0] for r in pg.execute("select note from bb_sample where k >= 6 order by note")] == [
        "B",
        "a",
        "b",
    ]
    indexes = pg.execute("select indexname from pg_indexes where schemaname = 'bb_test' order by 1")
    assert indexes == [("bb_sample_fk0",), ("bb_sample_pkey",)]
    assert pg.execute("select count(*) from pg_stats where tablename = 'bb_sample'")[0][0] == 5  # ANALYZE


def test_settings_apply_to_the_session(adapter) -> None:
    pg = adapter(settings={"work_mem": "12MB", "jit": False})
    assert pg.execute("show work_mem") == [("12MB",)]
    assert pg.execute("show jit") == [("off",)]


def test_interrupt_cancels_a_running_query_from_another_thread(adapter) -> None:
    import psycopg

    pg = adapter()
    pg.interrupt()  # idle: nothing to cancel, nothing breaks
    timer = threading.Timer(0.3, pg.interrupt)
    start = time.monotonic()
    timer.start()
    with pytest.raises(psycopg.errors.QueryCanceled) as caught:
        pg.execute("select pg_sleep(600)")
    assert time.monotonic() - start < 300  # cancelled, not slept out, however loaded the machine
    assert not pg.is_timeout(caught.value)  # no statement_timeout set: this was a cancel
    assert pg.execute("select 1") == [(1,)]  # autocommit: the connection goes on


def test_statement_timeout_is_recognised(adapter) -> None:
    pg = adapter()
    pg.apply_timeout(0.2)
    assert pg.execute("show statement_timeout") == [("200ms",)]
    start = time.monotonic()
    with pytest.raises(Exception) as caught:
        pg.execute("select pg_sleep(600)")
    assert time.monotonic() - start < 300 and pg.is_timeout(caught.value)
    assert not pg.is_timeout(ValueError("unrelated"))


def test_a_wrong_password_names_its_variable_not_its_value(
    postgresql_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BB_WRONG_PW", "not-the-password-42")
    config = Config(
        port=postgresql_server.port, user="benchbox", database="benchbox", password_env="BB_WRONG_PW"
    )
    with pytest.raises(PlatformError) as caught:
        Adapter(config).connect()
    message = str(caught.value)
    assert "password authentication failed" in message and "BB_WRONG_PW, which is set" in message
    assert "not-the-password-42" not in message


@pytest.mark.e2e
def test_the_password_never_reaches_the_results_or_logs(
    benchbox, postgresql_server: Any, postgresql_overrides: list[str], tmp_path: Path
) -> None:
    password = postgresql_server.password
    run_args = ["mode.warmups=0", "mode.iterations=1", "benchmark.scale_factor=0.01"]
    from_env = tmp_path / "env"
    from_env.mkdir()
    done = benchbox(
        "platform=postgresql", *postgresql_overrides, *run_args, "benchmark.queries=[1]", cwd=from_env
    )
    assert done.code == 0, done.stdout + done.stderr
    from_file = tmp_path / "file"
    from_file.mkdir()
    secret = tmp_path / "pgpass"
    secret.write_text(password + "\n")
    done_file = benchbox(
        "platform=postgresql",
        *postgresql_overrides,
        "platform.password_env=null",
        f"platform.password_file={secret}",
        *run_args,
        "benchmark.queries=[6]",
        cwd=from_file,
    )
    assert done_file.code == 0, done_file.stdout + done_file.stderr
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    failed = benchbox(
        "platform=postgresql",
        *postgresql_overrides,
        "platform.password_env=BB_WRONG_PW",
        *run_args,
        cwd=wrong,
        env={"BB_WRONG_PW": "wrong-secret-7781"},
    )
    assert failed.code != 0 and "password authentication failed" in failed.stderr + failed.stdout
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != secret]
    names = {p.name for p in written}
    assert {"result.json", "config.yaml", "hydra.yaml", "overrides.yaml", "benchbox.log"} <= names
    for path in written:
        text = path.read_text(errors="replace")
        assert password not in text, path
        assert "wrong-secret-7781" not in text, path
    for run in (done, done_file, failed):
        assert password not in run.stdout + run.stderr and "wrong-secret-7781" not in run.stdout + run.stderr


@pytest.mark.e2e
def test_throughput_streams_run_on_their_own_connections(benchbox, postgresql_overrides) -> None:
    done = benchbox(
        "platform=postgresql",
        *postgresql_overrides,
        "mode=throughput",
        "benchmark.scale_factor=0.01",
        "progress=false",
    )
    assert done.code == 0, done.stdout + done.stderr
    executions = done.result()["executions"]
    assert len(executions) == 44 and {e["stream"] for e in executions} == {1, 2}
    assert all(e["status"] == "ok" and e["validation"] == "ok" for e in executions)


@pytest.mark.e2e
def test_refresh_functions_run_as_transactions(benchbox, postgresql_overrides) -> None:
    done = benchbox(
        "platform=postgresql",
        *postgresql_overrides,
        "mode=maintenance",
        "benchmark.scale_factor=0.01",
        "progress=false",
    )
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    assert [(e["query_id"], e["validation"]) for e in record["executions"]] == [("RF1", "ok"), ("RF2", "ok")]
    counts = record["phases"][-1]["details"]["counts"]
    assert [c["orders"] for c in counts] == [15000, 15015, 15000]


@pytest.mark.e2e
def test_the_tpc_performance_test_validates(benchbox, postgresql_overrides) -> None:
    done = benchbox(
        "platform=postgresql",
        *postgresql_overrides,
        "mode=tpc",
        "benchmark.scale_factor=0.01",
        "progress=false",
    )
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    queries = [e for e in record["executions"] if e["query_id"].startswith("Q")]
    assert len(queries) == 66 and all(e["validation"] == "ok" for e in queries)
    assert record["summary"]["tpc"]["qphh_at_size"] > 0 and not record["summary"]["tpc"]["problems"]


@pytest.mark.e2e
def test_a_rerun_reuses_the_loaded_tables_until_maintenance_changes_them(
    benchbox, postgresql_overrides, tmp_path: Path
) -> None:
    """``reuse_loaded_data=true`` on a server: the stamp is a table in the run's database."""

    def run(folder: str, *overrides: str, reuse: bool = True) -> dict[str, Any]:
        (tmp_path / folder).mkdir()
        done = benchbox(
            "platform=postgresql",
            *postgresql_overrides,
            "benchmark.scale_factor=0.01",
            f"reuse_loaded_data={str(reuse).lower()}",
            "progress=false",
            *overrides,
            cwd=tmp_path / folder,
        )
        assert done.code == 0, done.stdout + done.stderr
        return done.result()

    def load(record: dict[str, Any]) -> dict[str, Any]:
        return next(p["details"] for p in record["phases"] if p["name"] == "load")

    power = ("benchmark.queries=[1,18]", "mode.warmups=0", "mode.iterations=1")
    # Loaded whatever another test's run left in the session's database (a TPC-H SF 0.01 load of
    # its own may be there, stamped, and would rightly be reused): that load is the one reused next.
    first = run("first", *power, reuse=False)
    assert "reused" not in load(first) and first["metadata"]["data_load"] == "loaded"
    second = run("second", *power)
    assert load(second)["reused"] is True and second["metadata"]["data_load"] == "reused"
    assert [e["validation"] for e in second["executions"]] == ["ok", "ok"]
    assert run("maintenance", "mode=maintenance")["metadata"]["data_load"] == "reused"
    after = run("after", *power)
    assert load(after)["not_reused"] == "the database holds no complete load by benchbox"
    assert [e["validation"] for e in after["executions"]] == ["ok", "ok"]


# What a query cost the server: its backend's CPU time and peak memory.


def test_only_addresses_of_this_machine_count_as_local() -> None:
    from benchbox.platforms.postgresql import _is_local_address

    assert _is_local_address("127.0.0.1") and _is_local_address("::1") and _is_local_address("localhost")
    assert not _is_local_address("192.0.2.1")  # TEST-NET-1: nobody's address
    assert not _is_local_address("db.example.com")


def test_each_connection_names_its_own_backend_and_its_figures(adapter) -> None:
    from benchbox.engine.timing import timed
    from benchbox.result import Execution

    pg = adapter(settings={"work_mem": "1GB"})  # the sort below stays in memory
    pid = pg.server_pid()
    assert pid == pg.execute("select pg_backend_pid()")[0][0]
    other = pg.session()
    try:
        assert other.server_pid() not in (None, pid)  # every stream's session has a backend of its own
    finally:
        other.close()

    def run(sql: str) -> Execution:
        execution = Execution("power", 0, 1, False, "Q", "ok", None, None, "2026-01-01T00:00:00+00:00")
        return timed(execution, lambda: pg.execute(sql), time.perf_counter_ns(), server_pid=pg.server_pid())

    busy = run("select count(*) from generate_series(1, 3000000)")
    assert busy.status == "ok" and busy.server_cpu_ms > 0
    assert busy.server_cpu_ms <= busy.duration_ms * (os.cpu_count() or 1) + 5.0
    assert busy.cpu_ms < busy.server_cpu_ms  # benchbox waited; the backend worked
    assert busy.server_peak_rss_bytes > 0
    asleep = run("select pg_sleep(0.2)")
    assert asleep.server_cpu_ms < asleep.duration_ms / 2
    # An in-memory sort of 100,000 texts of 1000 bytes: the backend holds them all at once.
    status = Path(f"/proc/{pid}/status").read_text()
    baseline = int(status.split("VmRSS:")[1].split()[0]) * 1024
    texts = "select repeat('x', 1000) || g as t from generate_series(1, 100000) g order by t"
    sort = run(f"select max(t) from ({texts}) s")
    assert sort.status == "ok" and sort.server_peak_rss_bytes >= baseline + 0.9 * 100_000 * 1000


@pytest.mark.e2e
def test_queries_parquet_carries_the_backend_figures(benchbox, postgresql_overrides, tmp_path: Path) -> None:
    import json

    import pyarrow.parquet as pq

    out = tmp_path / "run"
    done = benchbox(
        "platform=postgresql",
        *postgresql_overrides,
        "benchmark.scale_factor=0.01",
        "benchmark.queries=[1,6]",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
        "export=parquet",
        f"hydra.run.dir={out}",
    )
    assert done.code == 0, done.stdout + done.stderr
    rows = {r["query_id"]: r for r in pq.read_table(out / "queries.parquet").to_pylist()}
    q1 = rows["Q1"]
    assert q1["server_cpu_ms"] > 0 and q1["server_peak_rss_bytes"] > 0
    assert q1["cpu_ms"] is not None and q1["cpu_ms"] < q1["server_cpu_ms"]  # the backend did the work
    summary = json.loads((out / "result.json").read_text())["summary"]["queries"]["Q1"]
    assert summary["server_cpu_ms_median"] == q1["server_cpu_ms"]
    assert summary["server_peak_rss_bytes_max"] == q1["server_peak_rss_bytes"]
