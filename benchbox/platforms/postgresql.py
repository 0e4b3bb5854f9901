"""PostgreSQL through psycopg 3: the classic row-store server.

Data goes in with ``COPY ... FROM STDIN``: the cached files are read as Arrow record
batches, cast to the table's types and written as CSV by pyarrow's C++ writer, so no
row passes through Python. Primary keys and foreign-key indexes are built after the
copy (faster than maintaining them row by row), then ``ANALYZE``: the correlated
subqueries of Q2, Q17 and Q20 look rows up by key, and the planner needs statistics
to choose between index and hash joins. Text columns use the "C" collation so ``ORDER BY`` sorts
by code point as DuckDB does, whatever the database's locale.

Queries keep DuckDB's meaning after translation: sqlglot turns ``/`` into floating-point
division (DuckDB's), ``date ± interval`` is cast back to a date (the intervals are whole
days, so this is exact and keeps comparisons date-to-date), and ``EXTRACT`` of an integral
field is cast to ``bigint`` (PostgreSQL returns ``numeric``, DuckDB a ``BIGINT``).

The password never sits in the config: it comes from an environment variable or a file
that the config names. Time limits use the server's ``statement_timeout``, with the
watchdog's ``cancel_safe()`` as the backstop and for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from benchbox.benchmarks.schema import Table, staged_table
from benchbox.errors import ConnectError
from benchbox.platforms.base import LOAD_STAMP_TABLE, Capabilities, package_version
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.types import column_type

if TYPE_CHECKING:
    from sqlglot import exp
else:
    from benchbox.platforms.base import lazy_exp as exp  # sqlglot on the first transform, not on import

_BATCH_ROWS = 50_000
_TYPES = {
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "DATE": "date",
    "VARCHAR": 'text COLLATE "C"',
    "DECIMAL": "numeric({p},{s})",
}
"""Text sorts by code point ("C"), as DuckDB's does, whatever the database's locale."""
_WHOLE_UNITS = {"DAY", "WEEK", "MONTH", "QUARTER", "YEAR"}
"""Interval units whose whole multiples move a date to midnight of another date."""
_INTEGRAL_FIELDS = {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DOW", "DOY", "HOUR", "MINUTE"}
"""EXTRACT fields DuckDB returns as BIGINT (PostgreSQL: numeric)."""


def _libpq(variable: str, default: str) -> str:
    """A connection default as psql finds it: libpq's environment variable, else the usual value.
    (conf/platform/postgresql.yaml says the same for Hydra; this covers a reference platform.)"""
    return os.environ.get(variable) or default


class Config(BaseModel):
    """``platform/postgresql.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["postgresql"] = "postgresql"
    host: str = Field(
        default_factory=lambda: _libpq("PGHOST", "127.0.0.1"),
        min_length=1,
        description="use a host name or IP address of the server",
    )
    port: int = Field(
        default_factory=lambda: int(_libpq("PGPORT", "5432")),
        ge=1,
        le=65535,
        description="use the server's TCP port, 1-65535 (usually 5432)",
    )
    user: str = Field(
        default_factory=lambda: _libpq("PGUSER", "postgres"),
        min_length=1,
        description="use the name of a role that may log in",
    )
    database: str = Field(
        default_factory=lambda: _libpq("PGDATABASE", "postgres"),
        min_length=1,
        description="use the name of an existing database the role may create tables in",
    )
    schema_name: str | None = Field(
        None,
        min_length=1,
        description="use a schema name (created if missing), or null for the role's search_path",
    )
    password_env: str | None = Field(
        "PGPASSWORD",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="use the NAME of an environment variable that holds the password (not the password), "
        "or null",
    )
    password_file: Path | None = Field(
        None, description="use the path of a file whose first line is the password, or null"
    )
    sslmode: Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] | None = Field(
        None, description="use one of disable, allow, prefer, require, verify-ca, verify-full, or null"
    )
    connect_timeout: int = Field(10, ge=1, description="use whole seconds >= 1")
    settings: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description="use a mapping of PostgreSQL setting names to values, e.g. {work_mem: 256MB, jit: false}",
    )


def date_arithmetic_as_date(node: exp.Expression) -> exp.Expression:
    """``DATE 'x' ± INTERVAL 'n' DAY|MONTH|YEAR`` -> ``CAST(... AS DATE)``.

    PostgreSQL (like DuckDB) makes that a timestamp, so ``l_shipdate <= <timestamp>`` casts
    every row's date; the interval is whole days, so the date cast is exact, and the planner
    folds the constant.
    """
    if not isinstance(node, (exp.Add, exp.Sub)) or isinstance(node.parent, exp.Cast):
        return node
    left, right = node.this, node.expression
    if not (isinstance(left, exp.Cast) and left.to.is_type("date") and isinstance(left.this, exp.Literal)):
        return node
    if not (isinstance(right, exp.Interval) and right.unit and right.unit.name.upper() in _WHOLE_UNITS):
        return node
    if not (isinstance(right.this, exp.Literal) and re.fullmatch(r"-?\d+", right.this.name.strip())):
        return node
    return exp.cast(node.copy(), "date")


def extract_as_bigint(node: exp.Expression) -> exp.Expression:
    """``EXTRACT(YEAR FROM d)`` -> ``CAST(EXTRACT(YEAR FROM d) AS BIGINT)``: DuckDB's type."""
    if not isinstance(node, exp.Extract) or isinstance(node.parent, exp.Cast):
        return node
    if node.this.name.upper() not in _INTEGRAL_FIELDS:
        return node
    return exp.cast(node.copy(), "bigint")


def round_as_numeric(node: exp.Expression) -> exp.Expression:
    """``ROUND(x, n)`` -> ``ROUND(CAST(x AS NUMERIC), n)``: PostgreSQL rounds to ``n`` places only a
    numeric, and DuckDB's float division (see above) makes ``x`` a double."""
    if not isinstance(node, exp.Round) or node.args.get("decimals") is None:
        return node
    if isinstance(node.this, exp.Cast) and node.this.to.is_type("decimal"):
        return node
    node.set("this", exp.cast(node.this, "numeric"))
    return node


class Adapter(BaseAdapter):
    """A PostgreSQL server through one psycopg 3 connection (autocommit)."""

    name = "postgresql"
    extra = "postgresql"
    driver = "psycopg"
    capabilities = Capabilities(
        dialect="postgres", storage="server", transactions=True, concurrent_sessions=True, cancel=True
    )
    transforms = (date_arithmetic_as_date, extract_as_bigint, round_as_numeric)
    type_overrides = _TYPES
    config: Config

    def connect(self) -> None:
        """Connect (password from the environment or a file), then apply the schema and settings.

        Raises:
            ConnectError: the server cannot be reached, refuses the login, or refuses the schema or a
                setting (exit code 2: the config names them).
        """
        psycopg = self.import_driver()
        self._psycopg = psycopg
        self._timeout_ms: int | None = None
        config = self.config
        options: dict[str, Any] = {
            "host": config.host,
            "port": config.port,
            "user": config.user,
            "dbname": config.database,
            "connect_timeout": config.connect_timeout,
            "application_name": "benchbox",
        }
        password = self._password()
        if password is not None:
            options["password"] = password
        if config.sslmode is not None:
            options["sslmode"] = config.sslmode
        try:
            # autocommit: a failed query must not abort the queries after it.
            # prepare_threshold=None: every iteration is parsed and planned alike.
            self._conn = psycopg.connect(**options, autocommit=True, prepare_threshold=None)
        except psycopg.OperationalError as exc:
            raise ConnectError(
                f"cannot connect to PostgreSQL at {config.host}:{config.port} as {config.user!r}, "
                f"database {config.database!r}: {' '.join(str(exc).split())} -- check platform.host, "
                f"platform.port, platform.user, platform.database and the password "
                f"({self._password_source()})"
            ) from None
        from psycopg import sql

        if config.schema_name is not None:
            schema = sql.Identifier(config.schema_name)
            try:
                self._conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(schema))
                self._conn.execute(sql.SQL("SET search_path TO {}").format(schema))
            except psycopg.Error as exc:
                raise ConnectError(
                    f"platform.schema_name={config.schema_name!r} cannot be used by {config.user!r}: "
                    f"{' '.join(str(exc).split())} -- name a schema the role may create tables in, or null"
                ) from None
        for setting, value in config.settings.items():
            text = ("on" if value else "off") if isinstance(value, bool) else str(value)
            try:
                self._conn.execute("SELECT set_config(%s, %s, false)", (setting, text))
            except psycopg.Error as exc:
                raise ConnectError(
                    f"platform.settings: {setting}={text!r} is refused by the server: "
                    f"{' '.join(str(exc).split())} -- use a setting the role may change (SHOW ALL lists them)"
                ) from None
        self._backend = _local_backend(self._conn)

    def _password(self) -> str | None:
        """The password: the file's first line if a file is named, else the variable's value, else None
        (then libpq's own ~/.pgpass or a trust rule apply)."""
        if self.config.password_file is not None:
            try:
                lines = self.config.password_file.read_text().splitlines()
            except OSError as exc:
                raise ConnectError(
                    f"platform.password_file={str(self.config.password_file)!r} cannot be read "
                    f"({exc.strerror}): use the path of a readable file holding the password"
                ) from None
            return lines[0] if lines else ""
        if self.config.password_env is not None:
            return os.environ.get(self.config.password_env)
        return None

    def _password_source(self) -> str:
        if self.config.password_file is not None:
            return f"read from platform.password_file={str(self.config.password_file)!r}"
        name = self.config.password_env
        if name is None:
            return "none given: platform.password_env and platform.password_file are null"
        state = "is set" if name in os.environ else "is NOT set"
        return f"from the environment variable {name}, which {state}"

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Drop and recreate the table, COPY the files in, then add its keys and ANALYZE it."""
        from psycopg import sql

        name = sql.Identifier(table.name)
        names = sql.SQL(", ").join(sql.Identifier(column) for column in table.names)
        with self._conn.transaction():
            self._conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(name))
            self._conn.execute(sql.SQL("CREATE TABLE {} ({})").format(name, _columns(table)))
            # FREEZE: the table is new in this transaction, so rows are written frozen
            # and all-visible (no hint-bit rewrites or vacuum later; index-only scans work).
            copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, FREEZE)").format(name, names)
            with self._conn.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for chunk in _csv_chunks(table, files, data_format):
                    copy.write(chunk)
        with self._conn.transaction():
            if table.primary_key:  # a table may have none (H2O's x)
                key = sql.SQL(", ").join(map(sql.Identifier, table.primary_key))
                self._conn.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY ({})").format(name, key))
            for number, foreign in enumerate(table.foreign_keys):
                self._conn.execute(
                    sql.SQL("CREATE INDEX {} ON {} ({})").format(
                        sql.Identifier(f"{table.name}_fk{number}"),
                        name,
                        sql.SQL(", ").join(map(sql.Identifier, foreign)),
                    )
                )
        self._conn.execute(sql.SQL("ANALYZE {}").format(name))
        return self._conn.execute(sql.SQL("SELECT count(*) FROM {}").format(name)).fetchone()[0]

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Execute and fetch every row (numeric -> Decimal, date -> datetime.date)."""
        with self._conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def server_pid(self) -> int | None:
        """This connection's backend process when it runs on this machine (found at connect:
        ``_local_backend``), else None. Only the backend: parallel workers are other processes."""
        return getattr(self, "_backend", None)

    def apply_timeout(self, timeout_s: float | None) -> None:
        """``SET statement_timeout`` (whole milliseconds, at least 1); None leaves the server's own."""
        if timeout_s is None:
            return
        self._timeout_ms = max(1, math.ceil(timeout_s * 1000))
        self._conn.execute(f"SET statement_timeout = {self._timeout_ms}")

    def is_timeout(self, error: Exception) -> bool:
        """A cancelled statement once benchbox set ``statement_timeout`` is the time limit striking
        (a cancel from the watchdog is recognised by the engine itself)."""
        return self._timeout_ms is not None and isinstance(error, self._psycopg.errors.QueryCanceled)

    def run_transaction(self, statements: Sequence[str], staged: Mapping[str, Any]) -> None:
        """One transaction: each staged Arrow table goes by COPY into a temporary table of its
        name (dropped at commit), then the statements run."""
        from psycopg import sql

        with self._conn.transaction():
            for name, rows in staged.items():
                temporary = sql.Identifier(name)
                columns = _columns(staged_table(name, rows.schema))
                self._conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(temporary))
                self._conn.execute(
                    sql.SQL("CREATE TEMPORARY TABLE {} ({}) ON COMMIT DROP").format(temporary, columns)
                )
                copy_sql = sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(temporary)
                with self._conn.cursor() as cursor, cursor.copy(copy_sql) as copy:
                    copy.write(_csv_bytes(rows))
            for statement in statements:
                self._conn.execute(statement)

    def session(self) -> Adapter:
        """A second connection with the same options, schema and settings."""
        other = Adapter(self.config)
        other.connect()
        return other

    def reuse_problem(self) -> str | None:
        """A server keeps its tables: a later run to the same database and schema can reuse them."""
        return None

    def load_stamp(self) -> str | None:
        """The stamp row, if the table is in the run's schema (``to_regclass`` follows the search path)."""
        if self._conn.execute("SELECT to_regclass(%s)", [LOAD_STAMP_TABLE]).fetchone()[0] is None:
            return None
        rows = self._conn.execute(f"SELECT stamp FROM {LOAD_STAMP_TABLE}").fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def keep_load_stamp(self, stamp: str | None) -> None:
        """Replace the stamp table (dropped for None) in one transaction."""
        with self._conn.transaction():
            self._conn.execute(f"DROP TABLE IF EXISTS {LOAD_STAMP_TABLE}")
            if stamp is not None:
                self._conn.execute(f"CREATE TABLE {LOAD_STAMP_TABLE} (stamp text)")
                self._conn.execute(f"INSERT INTO {LOAD_STAMP_TABLE} VALUES (%s)", [stamp])

    def interrupt(self) -> None:
        """Ask the server to cancel the running statement; thread-safe, and harmless when idle."""
        conn = getattr(self, "_conn", None)
        if conn is None or conn.closed:
            return
        with contextlib.suppress(self._psycopg.Error):  # the watchdog thread must survive a failed cancel
            conn.cancel_safe(timeout=10)

    def placement(self) -> dict[str, str | int | None]:
        """The server's address (user, host, port and database; the password is never in it)."""
        config = self.config
        local = config.host in ("127.0.0.1", "::1", "localhost") or config.host.startswith("/")
        return {
            "placement": "local_process" if local else "remote",
            "url": f"postgresql://{config.user}@{config.host}:{config.port}/{config.database}",
        }

    def versions(self) -> dict[str, str]:
        """The server's version (``SHOW server_version``) and psycopg's package version."""
        return {
            "engine_version": self._conn.execute("SHOW server_version").fetchone()[0],
            "driver": "psycopg",
            "driver_version": package_version("psycopg"),
        }

    def close(self) -> None:
        """Close the connection (the loaded tables stay in the database)."""
        conn = getattr(self, "_conn", None)
        if conn is not None:
            conn.close()


def _local_backend(conn: Any) -> int | None:
    """``pg_backend_pid()`` when that process is this connection's backend on this machine: the
    connection goes to a Unix socket or to an address of this machine, and ``/proc/<pid>`` is a
    ``postgres`` process whose title names this connection (``[local]``, or this client's port,
    as PostgreSQL's default ``update_process_title`` shows it). A server in a container, behind
    a pooler or on another machine has other pids: None."""
    host = conn.info.host or ""
    client_port = None
    if not host.startswith(("/", "@")):  # TCP, not a Unix socket
        try:
            address = conn.info.hostaddr  # the address connected to (libpq >= 12)
        except conn.NotSupportedError:
            address = ""
        if not _is_local_address(address or host):
            return None
        client_port = _client_port(conn)
        if client_port is None:
            return None
    import psycopg

    try:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    except psycopg.Error:  # a server that speaks PostgreSQL's protocol but lacks the function
        return None
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:  # no /proc (another OS), or the process is not visible here
        return None
    mark = "[local]" if client_port is None else f"({client_port})"
    return pid if name == "postgres" and mark in title else None


def _is_local_address(host: str) -> bool:
    """Whether ``host`` (an IP address, or a name) is this machine: loopback, or one of its interfaces."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    if address.is_loopback:
        return True
    import psutil

    mine = {a.address.split("%")[0] for nic in psutil.net_if_addrs().values() for a in nic}
    return str(address) in mine


def _client_port(conn: Any) -> int | None:
    """The local TCP port of the connection's socket, or None."""
    import socket

    try:
        fd = os.dup(conn.pgconn.socket)
    except (OSError, ValueError):
        return None
    try:
        sock = socket.socket(fileno=fd)
    except OSError:
        os.close(fd)
        return None
    try:
        name = sock.getsockname()
    except OSError:
        return None
    finally:
        sock.close()
    return name[1] if isinstance(name, tuple) else None


def _pg_type(kind: str) -> str:
    """A canonical column type as PostgreSQL DDL."""
    return column_type(kind, "postgres", overrides=_TYPES)


def _columns(table: Table) -> Any:
    """The column list of ``CREATE TABLE`` as composed SQL (names quoted as identifiers)."""
    from psycopg import sql

    return sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(_pg_type(c.type))) for c in table.columns
    )


def _csv_bytes(rows: Any) -> bytes:
    """An Arrow table as CSV without a header, as COPY reads it."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    sink = pa.BufferOutputStream()  # in memory: the bytes go straight to the server
    with pcsv.CSVWriter(sink, rows.schema, write_options=pcsv.WriteOptions(include_header=False)) as writer:
        for batch in rows.to_batches():
            writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _csv_chunks(table: Table, files: Sequence[Path], data_format: str) -> Any:
    """Yield the files as CSV bytes (no header) for ``COPY ... (FORMAT csv)``, batch by batch.

    Each batch is cast to the table's types first (tpchgen's Parquet has int64 keys and
    string_view text; a CSV file is parsed with the table's types), so the server parses
    exactly what the schema says, and an empty unquoted field would be NULL.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    schema = table.arrow_schema()
    options = pcsv.WriteOptions(include_header=False)
    for file in files:
        if data_format == "parquet":
            batches = pq.ParquetFile(file).iter_batches(batch_size=_BATCH_ROWS)
        else:
            batches = pcsv.open_csv(
                file, convert_options=pcsv.ConvertOptions(column_types=schema, strings_can_be_null=False)
            )
        for batch in batches:
            batch = batch.select(schema.names).cast(schema)
            sink = pa.BufferOutputStream()  # in memory: the bytes go straight to the server
            with pcsv.CSVWriter(sink, schema, write_options=options) as writer:
                writer.write_batch(batch)
            yield sink.getvalue()
