"""Any database with a SQLAlchemy URL: where users of Trino, Snowflake and friends start.

The URL's backend names the sqlglot dialect (``postgresql`` -> ``postgres``; override
with ``platform.dialect``), and a platform module of benchbox that speaks the same
dialect lends its SQL rewrites (SQLite's date folding, for instance) and its connection setup, so answers stay
right. Tables are created and filled through SQLAlchemy Core, which works on any
backend; queries run on the driver's own connection so SQLAlchemy adds nothing to
the timed region. A password never sits in the URL: it comes from an environment
variable or a file named by the config.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from benchbox.benchmarks.schema import Table, decimal_digits
from benchbox.errors import ConnectError, DriverMissingError
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.base import Capabilities, package_version
from benchbox.redact import redact_text

_DIALECTS = {"postgresql": "postgres", "mssql": "tsql", "mariadb": "mysql", "awsathena": "athena"}
"""SQLAlchemy backend names that differ from sqlglot's dialect names."""
_SQLALCHEMY_BACKENDS = ("mssql", "mysql", "oracle", "postgresql", "sqlite")
"""The backends SQLAlchemy itself ships (the did-you-mean of a mistyped URL)."""
_CANCELS = ("interrupt", "cancel")
"""Driver-connection methods that cancel a running statement from another thread."""
_BATCH_ROWS = 50_000


class Config(BaseModel):
    """``platform/sqlalchemy.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["sqlalchemy"] = "sqlalchemy"
    url: str = Field(
        description="use a SQLAlchemy URL such as 'sqlite:///bench.db' or 'postgresql+psycopg://u@host/db'"
    )
    dialect: str | None = Field(
        None,
        description="use a sqlglot dialect (e.g. postgres, trino, snowflake), or null to use the URL's",
    )
    password_env: str | None = Field(
        None, description="use the name of an environment variable that holds the password, or null"
    )
    password_file: Path | None = Field(
        None, description="use the path of a file that holds the password, or null"
    )

    @field_validator("url")
    @classmethod
    def _no_password_in_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(f"not a SQLAlchemy URL ({exc})") from None
        if url.password is not None:
            raise ValueError(
                "the URL holds a password; put it in platform.password_env or platform.password_file"
            )
        return value

    @field_validator("dialect")
    @classmethod
    def _known_dialect(cls, value: str | None) -> str | None:
        from sqlglot.dialects.dialect import Dialect

        if value is not None and value not in Dialect.classes:
            raise ValueError(f"sqlglot knows no dialect '{value}'")
        return value

    @model_validator(mode="after")
    def _translatable(self) -> Config:
        """Queries are translated into the URL's dialect before any connection: a backend that sqlglot
        does not know (a typo, or a database it has no dialect for) would fail the plan phase."""
        from sqlglot.dialects.dialect import Dialect

        if self.sqlglot_dialect in Dialect.classes:
            return self
        backend = self.backend
        known = sorted({*Dialect.classes, *_DIALECTS, *_SQLALCHEMY_BACKENDS} - {""})
        guess = difflib.get_close_matches(backend, known, n=1)
        hint = f"did you mean {guess[0]}://...? " if guess else ""
        raise ValueError(
            f"platform.url={redact_text(self.url)!r} names the backend '{backend}', which is no SQL dialect "
            f"benchbox can translate the queries into: {hint}fix the URL's backend, or set platform.dialect "
            "to the sqlglot dialect the database speaks (e.g. postgres, trino, snowflake)"
        )

    @property
    def backend(self) -> str:
        """The URL's backend name (``postgresql`` for ``postgresql+psycopg://...``)."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).get_backend_name()

    @property
    def sqlglot_dialect(self) -> str:
        """The dialect queries are translated into."""
        return self.dialect or _DIALECTS.get(self.backend, self.backend)


class Adapter(BaseAdapter):
    """A SQLAlchemy engine: Core for loading, the driver connection for queries."""

    name = "sqlalchemy"
    extra = "sqlalchemy"
    driver = "sqlalchemy"
    capabilities = Capabilities(
        dialect="postgres", storage="server", transactions=True, concurrent_sessions=True, cancel=True
    )
    """The defaults; ``capabilities_for`` derives the real ones from the URL."""
    config: Config

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        self.capabilities = self.capabilities_for(config)
        self._peer = _peer_for(self.capabilities.dialect)
        self.transforms = self._peer.transforms if self._peer is not None else ()

    @classmethod
    def capabilities_for(cls, config: Config) -> Capabilities:
        """The dialect comes from the URL; cancelling is assumed for drivers that offer it."""
        return Capabilities(
            dialect=config.sqlglot_dialect,
            storage="server",
            transactions=True,
            concurrent_sessions=True,
            cancel=True,
        )

    def connect(self) -> None:
        """Create the engine (with the password from the environment or a file) and connect.

        Raises:
            DriverMissingError: SQLAlchemy has no dialect for the URL's backend, or its driver
                module is not installed (exit code 2).
            ConnectError: the database cannot be reached or refuses the login (exit code 2).
        """
        sqlalchemy = self.import_driver()
        url = sqlalchemy.engine.make_url(self.config.url)
        shown = repr(redact_text(self.config.url))
        password = self._password()
        if password is not None:
            url = url.set(password=password)
        try:
            self._engine = sqlalchemy.create_engine(url)
        except sqlalchemy.exc.NoSuchModuleError:
            raise DriverMissingError(
                f"platform.url={shown}: SQLAlchemy has no dialect '{url.get_backend_name()}' installed: "
                "install the database's SQLAlchemy package (e.g. `pip install trino`, "
                "`pip install snowflake-sqlalchemy`), or fix the URL's backend name"
            ) from None
        except ImportError as exc:
            raise DriverMissingError(
                f"platform.url={shown} needs the driver module '{exc.name or exc}', which is not installed: "
                "install it, or name an installed driver in the URL (e.g. postgresql+psycopg://...)"
            ) from None
        # raw_connection() raises the driver's own exception (PEP 249's module.Error), not SQLAlchemy's.
        driver_errors = getattr(self._engine.dialect.loaded_dbapi, "Error", sqlalchemy.exc.DBAPIError)
        try:
            self._pooled = self._engine.raw_connection()
        except (sqlalchemy.exc.DBAPIError, driver_errors) as exc:
            where = f"{url.host}:{url.port}" if url.port else str(url.host or url.database or "")
            orig = getattr(exc, "orig", None) or exc
            cause = " ".join(str(orig).split()) or type(orig).__name__
            raise ConnectError(
                f"cannot connect to {shown} ({where}): {cause} -- check platform.url (host, port, user, "
                f"database) and the password ({self._password_source()})"
            ) from None
        self._db = self._pooled.driver_connection
        if self._peer is not None:
            self._peer.prepare_connection(self._db)
        self._cancel = next((getattr(self._db, n) for n in _CANCELS if hasattr(self._db, n)), None)

    def _password(self) -> str | None:
        if self.config.password_env is not None:
            return os.environ.get(self.config.password_env)
        if self.config.password_file is not None:
            try:
                return self.config.password_file.read_text().strip()
            except OSError as exc:
                raise ConnectError(
                    f"platform.password_file={str(self.config.password_file)!r} cannot be read "
                    f"({exc.strerror}): use the path of a readable file holding the password"
                ) from None
        return None

    def _password_source(self) -> str:
        if self.config.password_env is not None:
            state = "is set" if self.config.password_env in os.environ else "is NOT set"
            return f"from the environment variable {self.config.password_env}, which {state}"
        if self.config.password_file is not None:
            return f"read from platform.password_file={str(self.config.password_file)!r}"
        return "none: platform.password_env and platform.password_file are null"

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Drop and recreate the table with its keys through SQLAlchemy Core, insert in batches, index."""
        import sqlalchemy as sa

        metadata = sa.MetaData()
        columns = [
            sa.Column(c.name, _sa_type(c.type), primary_key=c.name in table.primary_key, autoincrement=False)
            for c in table.columns
        ]
        target = sa.Table(table.name, metadata, *columns)
        for number, key in enumerate(table.foreign_keys):
            sa.Index(f"{table.name}_fk{number}", *(target.c[c] for c in key))
        native_decimal = self._engine.dialect.supports_native_decimal
        with self._engine.begin() as conn:
            target.drop(conn, checkfirst=True)
            target.create(conn)
            for batch in _batches(files, data_format):
                conn.execute(target.insert(), _rows(batch, native_decimal))
        with self._engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(target)).scalar_one()

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Execute on a DBAPI cursor and fetch every row."""
        cursor = self._db.cursor()
        try:
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            cursor.close()

    def interrupt(self) -> None:
        """Cancel through the driver connection's ``interrupt()`` or ``cancel()``, if it has one."""
        if self._cancel is not None:
            self._cancel()

    def placement(self) -> dict[str, str | int | None]:
        """The URL as SQLAlchemy renders it with the password hidden; a file or in-memory
        database's engine runs inside this process, a server's where its host is."""
        url = self._engine.url
        host = url.host or ""
        if not host:
            where = "in_process"
        elif host in ("127.0.0.1", "::1", "localhost"):
            where = "local_process"
        else:
            where = "remote"
        return {"placement": where, "url": url.render_as_string(hide_password=True)}

    def versions(self) -> dict[str, str]:
        """The server's version as SQLAlchemy reports it, and the driver package's version."""
        info = self._engine.dialect.server_version_info
        dbapi = self._engine.dialect.driver
        return {
            "engine_version": ".".join(map(str, info)) if info else self._engine.dialect.name,
            "driver": f"sqlalchemy+{dbapi}",
            "driver_version": package_version("sqlalchemy"),
        }

    def close(self) -> None:
        """Return the connection and dispose of the engine."""
        if getattr(self, "_pooled", None) is not None:
            self._pooled.close()
            self._engine.dispose()


def _peer_for(dialect: str) -> type[BaseAdapter] | None:
    """The benchbox platform that speaks ``dialect``, if any: its SQL rewrites and its connection
    setup (SQLite's STDDEV_SAMP) are borrowed."""
    from benchbox import platforms

    for name in platforms.NAMES:
        adapter = platforms.get(name).Adapter
        if name != Adapter.name and adapter.capabilities.dialect == dialect:
            return adapter
    return None


def _sa_type(kind: str) -> Any:
    """SQLAlchemy's type for a canonical one: Core writes each backend's own DDL from it."""
    import sqlalchemy as sa

    digits = decimal_digits(kind)
    if digits:
        return sa.Numeric(*digits)
    types = {
        "INTEGER": sa.Integer,
        "BIGINT": sa.BigInteger,
        "DOUBLE": sa.Double,
        "DATE": sa.Date,
        "VARCHAR": sa.String,
    }
    return types[kind]()


def _rows(batch: Any, native_decimal: bool) -> list[dict[str, Any]]:
    """A record batch as the list of dicts Core's executemany takes; decimals as floats where unsupported."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = {}
    for name, array in zip(batch.schema.names, batch.columns, strict=True):
        if pa.types.is_decimal(array.type) and not native_decimal:
            array = pc.cast(array, pa.float64())
        columns[name] = array.to_pylist()
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _batches(files: Sequence[Path], data_format: str) -> Any:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    for file in files:
        if data_format == "parquet":
            yield from pq.ParquetFile(file).iter_batches(batch_size=_BATCH_ROWS)
        else:
            yield from pcsv.open_csv(file)
