"""The sqlalchemy platform: any URL, the dialect from the URL, rewrites borrowed, no password in sight."""

from __future__ import annotations

import json

import pytest

from benchbox.errors import SpecError
from benchbox.platforms import sqlite
from benchbox.platforms.sqlalchemy import Adapter, Config
from benchbox.spec import RunContext, RunSpec


def _spec(**platform: object) -> RunSpec:
    return RunSpec.from_config(
        {
            "platform": {"name": "sqlalchemy", **platform},
            "benchmark": {"name": "tpch"},
            "mode": {"name": "dry_run"},
            "data_dir": "/tmp",
        },
        RunContext(output_dir="out"),
    )


@pytest.mark.parametrize(
    ("url", "dialect"),
    [
        ("sqlite:///tpch.db", "sqlite"),
        ("duckdb:///:memory:", "duckdb"),
        ("postgresql+psycopg://bench@127.0.0.1:5432/tpch", "postgres"),
        ("mssql+pyodbc://bench@dsn", "tsql"),
        ("trino://bench@host:8080/hive", "trino"),
    ],
)
def test_the_dialect_comes_from_the_url(url: str, dialect: str) -> None:
    assert Adapter(Config(url=url)).capabilities.dialect == dialect


def test_the_dialect_can_be_overridden() -> None:
    assert (
        Adapter(Config(url="postgresql://bench@host/db", dialect="redshift")).capabilities.dialect
        == "redshift"
    )
    with pytest.raises(SpecError, match="sqlglot knows no dialect 'nosuch'"):
        _spec(url="sqlite:///x.db", dialect="nosuch")


def test_a_sqlite_url_borrows_sqlites_rewrites() -> None:
    adapter = Adapter(Config(url="sqlite:///x.db"))
    assert adapter.transforms == sqlite.Adapter.transforms
    assert "1998-09-02" in adapter.translate("select date '1998-12-01' - interval '90' day")


def test_a_password_in_the_url_is_refused_and_not_echoed() -> None:
    with pytest.raises(SpecError) as caught:
        _spec(url="postgresql://bench:hunter2@host/db")
    assert "hunter2" not in str(caught.value)
    assert "password_env" in str(caught.value)


def test_password_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("BENCH_PW", "s3cret")
    assert Adapter(Config(url="sqlite://", password_env="BENCH_PW"))._password() == "s3cret"
    secret = tmp_path / "pw"
    secret.write_text("fromfile\n")
    assert Adapter(Config(url="sqlite://", password_file=secret))._password() == "fromfile"


@pytest.mark.e2e
@pytest.mark.parametrize("url", ["sqlite:///tpch.sqlite", "duckdb:///tpch.duckdb"])
def test_all_22_answers_through_a_url(benchbox, url: str) -> None:
    done = benchbox(
        "platform=sqlalchemy",
        f"platform.url={url}",
        "benchmark.scale_factor=0.01",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
    )
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    totals = record["summary"]["totals"]
    assert (totals["ok"], totals["validated"]) == (22, 22)
    assert record["metadata"]["platform_driver"].startswith("sqlalchemy+")


@pytest.mark.e2e
def test_all_22_answers_through_a_postgresql_url(benchbox, postgresql_server) -> None:
    """A server URL: the dialect comes from the URL, the password from the environment."""
    server = postgresql_server
    url = f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{server.database}"
    done = benchbox(
        "platform=sqlalchemy",
        f"platform.url={url}",
        "platform.password_env=BENCHBOX_TEST_PGPASSWORD",  # set by the server fixture
        "benchmark.scale_factor=0.01",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
    )
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    totals = record["summary"]["totals"]
    assert (totals["ok"], totals["validated"]) == (22, 22)
    assert record["metadata"]["platform_driver"].startswith("sqlalchemy+")
    (plan,) = [p for p in record["phases"] if p["name"] == "plan"]
    assert plan["details"]["dialect"] == "postgres"
    assert server.password not in json.dumps(record)
