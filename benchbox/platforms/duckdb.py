"""DuckDB, embedded: the default platform.

Data is loaded with DuckDB's own Parquet/CSV readers into typed tables;
queries run on one connection and are cancelled with ``Connection.interrupt()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from benchbox.benchmarks.schema import Table
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.base import Capabilities, package_version


class Config(BaseModel):
    """``platform/duckdb.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["duckdb"] = "duckdb"
    database: str = Field(":memory:", description="use ':memory:' or a path to a database file")
    threads: int | None = Field(None, ge=1, description="use a whole number >= 1, or null for all cores")
    memory_limit: str | None = Field(
        None, pattern=r"^\d+(\.\d+)?\s*[KMGT]i?B$", description="use a size such as '512MB' or '4GB', or null"
    )


class Adapter(BaseAdapter):
    """DuckDB through its Python client."""

    name = "duckdb"
    extra = "duckdb"
    driver = "duckdb"
    capabilities = Capabilities(
        dialect="duckdb", storage="memory", transactions=True, concurrent_sessions=True, cancel=True
    )
    config: Config

    def connect(self) -> None:
        """Open the database and apply the thread and memory settings."""
        duckdb = self.import_driver()
        self._con = duckdb.connect(self.config.database)
        if self.config.threads is not None:
            self._con.execute(f"SET threads = {self.config.threads}")
        if self.config.memory_limit is not None:
            self._con.execute("SET memory_limit = ?", [self.config.memory_limit])

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Replace the table and fill it with DuckDB's reader for the format."""
        columns = ", ".join(f"{name} {kind}" for name, kind in table.columns)
        reader = "read_parquet" if data_format == "parquet" else "read_csv"
        options = "" if data_format == "parquet" else ", header = true"
        self._con.execute(f"CREATE OR REPLACE TABLE {table.name} ({columns})")
        self._con.execute(
            f"INSERT INTO {table.name} SELECT * FROM {reader}(?{options})", [[str(f) for f in files]]
        )
        return self._con.execute(f"SELECT count(*) FROM {table.name}").fetchall()[0][0]

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Execute and fetch every row."""
        return self._con.execute(sql).fetchall()

    def session(self) -> Adapter:
        """A cursor: DuckDB's own second connection to the same database, in memory or not."""
        other = Adapter(self.config)
        other._con = self._con.cursor()
        return other

    def refresh_insert(self, orders: Any, lineitem: Any) -> None:
        """RF1 in one transaction: the Arrow tables are scanned in place by ``INSERT ... SELECT``."""
        self._in_transaction(
            {"benchbox_rf_orders": orders, "benchbox_rf_lineitem": lineitem},
            "INSERT INTO orders SELECT * FROM benchbox_rf_orders",
            "INSERT INTO lineitem SELECT * FROM benchbox_rf_lineitem",
        )

    def refresh_delete(self, keys: Any) -> None:
        """RF2 in one transaction: lineitems first, then their orders."""
        self._in_transaction(
            {"benchbox_rf_keys": keys},
            "DELETE FROM lineitem WHERE l_orderkey IN (SELECT o_orderkey FROM benchbox_rf_keys)",
            "DELETE FROM orders WHERE o_orderkey IN (SELECT o_orderkey FROM benchbox_rf_keys)",
        )

    def _in_transaction(self, views: dict[str, Any], *statements: str) -> None:
        con = self._con
        for name, table in views.items():
            con.register(name, table)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                for statement in statements:
                    con.execute(statement)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            for name in views:
                con.unregister(name)

    def interrupt(self) -> None:
        """Cancel the running query (thread-safe in DuckDB)."""
        self._con.interrupt()

    def versions(self) -> dict[str, str]:
        """DuckDB's own version string and the Python package's version."""
        return {
            "engine_version": self._con.execute("SELECT version()").fetchall()[0][0],
            "driver": "duckdb",
            "driver_version": package_version("duckdb"),
        }

    def close(self) -> None:
        """Close the connection."""
        con = getattr(self, "_con", None)
        if con is not None:
            con.close()
