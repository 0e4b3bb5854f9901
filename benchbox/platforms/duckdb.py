"""DuckDB, embedded: the default platform.

Data is loaded with DuckDB's own Parquet/CSV readers into typed tables;
queries run on one connection and are cancelled with ``Connection.interrupt()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from benchbox.benchmarks.schema import Table
from benchbox.platforms.base import LOAD_STAMP_TABLE, Capabilities, database_file_problem, package_version
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.types import create_table_sql


class Config(BaseModel):
    """``platform/duckdb.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["duckdb"] = "duckdb"
    database: str = Field(
        ":memory:", description="use ':memory:' or the path of a file in an existing, writable folder"
    )
    threads: int | None = Field(None, ge=1, description="use a whole number >= 1, or null for all cores")
    memory_limit: str | None = Field(
        None, pattern=r"^\d+(\.\d+)?\s*[KMGT]i?B$", description="use a size such as '512MB' or '4GB', or null"
    )

    @field_validator("database")
    @classmethod
    def _usable_file(cls, value: str) -> str:
        """DuckDB creates the file but not its folder, and reports a folder given as a file only when
        it connects, in the middle of the run: both are refused here."""
        problem = database_file_problem(value)
        if problem:
            raise ValueError(problem)
        return value


class Adapter(BaseAdapter):
    """DuckDB through its Python client."""

    name = "duckdb"
    extra = "duckdb"
    driver = "duckdb"
    capabilities = Capabilities(
        dialect="duckdb", storage="memory", transactions=True, concurrent_sessions=True, cancel=True
    )
    in_memory_when = ("database", ":memory:")
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
        reader = "read_parquet" if data_format == "parquet" else "read_csv"
        options = "" if data_format == "parquet" else ", header = true"
        self._con.execute(create_table_sql(table, "duckdb", verb="CREATE OR REPLACE TABLE"))
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

    def run_transaction(self, statements: Sequence[str], staged: Mapping[str, Any]) -> None:
        """One transaction; the staged Arrow tables are registered and scanned in place."""
        con = self._con
        for name, table in staged.items():
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
            for name in staged:
                con.unregister(name)

    def load_stamp(self) -> str | None:
        """The stamp row, if the table exists (a file loaded by an older benchbox has none)."""
        found = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
            "AND table_type = 'BASE TABLE' AND table_schema = current_schema() "
            "AND table_catalog = current_database()",
            [LOAD_STAMP_TABLE],
        ).fetchall()[0][0]
        if not found:
            return None
        rows = self._con.execute(f"SELECT stamp FROM {LOAD_STAMP_TABLE}").fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def keep_load_stamp(self, stamp: str | None) -> None:
        """Replace the stamp table (dropped for None) and checkpoint, so that the file holds it."""
        if stamp is None:
            self._con.execute(f"DROP TABLE IF EXISTS {LOAD_STAMP_TABLE}")
        else:
            self._con.execute(f"CREATE OR REPLACE TABLE {LOAD_STAMP_TABLE} (stamp VARCHAR)")
            self._con.execute(f"INSERT INTO {LOAD_STAMP_TABLE} VALUES (?)", [stamp])
        self._con.execute("CHECKPOINT")

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
