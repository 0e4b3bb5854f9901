"""Per-platform fixtures for the contract suite: the overrides that point benchbox at each platform.

Embedded platforms need none. A platform that needs a server adds a fixture here
that starts it and returns the overrides (the contract suite asks for it by name).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchbox import platforms

SERVER_FIXTURES: dict[str, str] = {"postgresql": "postgresql_overrides"}
"""Platform name -> fixture returning the overrides that reach its (throwaway) server."""


@pytest.fixture
def platform_overrides(request: pytest.FixtureRequest):
    """``platform_overrides(name)``: the command-line overrides that select and reach ``name``."""

    def overrides(name: str) -> list[str]:
        adapter = platforms.get(name).Adapter
        if not adapter.installed():
            message = (
                f"{name}: driver '{adapter.driver}' not installed (pip install 'benchbox[{adapter.extra}]')"
            )
            if os.environ.get("BENCHBOX_REQUIRE_ALL_PLATFORMS") == "1":
                pytest.fail(message)
            pytest.skip(message)
        extra = request.getfixturevalue(SERVER_FIXTURES[name]) if name in SERVER_FIXTURES else []
        return [f"platform={name}", *extra]

    return overrides


@functools.cache
def _sibling_module(name: str) -> Any:
    """``<name>.py`` next to this file (tests are not a package under --import-mode=importlib)."""
    spec = importlib.util.spec_from_file_location(
        f"benchbox_tests_{name}", Path(__file__).with_name(f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _pg_server_module() -> Any:
    """``pg_server.py`` next to this file."""
    return _sibling_module("pg_server")


def spark_servers_module() -> Any:
    """``spark_servers.py`` next to this file (its ``SparkCluster``, ``SparkConnect``, helpers)."""
    return _sibling_module("spark_servers")


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[Any]:
    """A throwaway PostgreSQL server for the session (``pg_server.PgServer``), its password in
    ``$BENCHBOX_TEST_PGPASSWORD`` for the ``benchbox`` subprocesses; stopped and removed at the end.
    Fails (never skips) when the server binaries are missing: CI installs them."""
    pg_server = _pg_server_module()
    try:
        server = pg_server.PgServer.start()
    except pg_server.ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    previous = os.environ.get(pg_server.PASSWORD_ENV)
    os.environ[pg_server.PASSWORD_ENV] = server.password
    try:
        yield server
    finally:
        if previous is None:
            os.environ.pop(pg_server.PASSWORD_ENV, None)
        else:
            os.environ[pg_server.PASSWORD_ENV] = previous
        server.stop()


@pytest.fixture(scope="session")
def postgresql_overrides(postgresql_server: Any) -> list[str]:
    """The overrides that point ``platform=postgresql`` at the session's throwaway server."""
    return postgresql_server.overrides()


@pytest.fixture(scope="session")
def spark_cluster() -> Iterator[Any]:
    """A throwaway standalone Spark master with one worker (2 cores, 2g) for the session
    (``spark_servers.SparkCluster``: ``.master`` is its ``spark://`` URL), stopped and removed at
    the end. Every test that uses it is in tests/platforms/test_spark_distributed.py, which runs on
    one worker (``ONE_MODULE``), so it starts once. Fails (never skips) when it cannot start."""
    spark_servers = spark_servers_module()
    try:
        cluster = spark_servers.SparkCluster.start()
    except spark_servers.ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def spark_connect() -> Iterator[Any]:
    """A throwaway Spark Connect server (``local[2]``) for the session (``spark_servers.SparkConnect``:
    ``.remote`` is its ``sc://`` URL), stopped and removed at the end; like ``spark_cluster``,
    used by tests/platforms/test_spark_distributed.py only. Fails (never skips) when it cannot start."""
    spark_servers = spark_servers_module()
    try:
        server = spark_servers.SparkConnect.start()
    except spark_servers.ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()
