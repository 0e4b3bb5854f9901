"""What every platform adapter is: declared capabilities plus a handful of verbs.

The engine calls these verbs and nothing else, so adding a platform never adds a
branch to the engine. Capabilities are data the spec checks before any work.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from benchbox.errors import BenchboxError, DriverMissingError

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlglot import exp

    from benchbox.benchmarks.schema import Table

Transform = Callable[["exp.Expression"], "exp.Expression"]
LOAD_STAMP_TABLE = "benchbox_load_stamp"
"""The one-row, one-column (``stamp``, text) table in which a platform that keeps its tables records
what it loaded (``Adapter.keep_load_stamp``); no benchmark names a table like it."""


class LazyExpressions:
    """``sqlglot.exp``, imported on the first attribute read (``exp.Select``), then held as a plain
    attribute. The platform modules' transforms use it as they would the module: the spec imports
    every platform for its Config, and sqlglot (0.2 s) is only worth importing when a translation
    actually runs."""

    def __getattr__(self, name: str) -> Any:
        from sqlglot import exp as module

        value = getattr(module, name)
        setattr(self, name, value)
        return value


lazy_exp = LazyExpressions()
"""What a platform module binds to ``exp`` (``sqlglot.exp`` itself when type checking)."""


@dataclass(frozen=True)
class Capabilities:
    """What a platform can do, declared as data (the spec and the docs read it)."""

    dialect: str
    """sqlglot dialect the platform's SQL is written in."""
    storage: Literal["memory", "file", "server"]
    """Where loaded data lives by default."""
    transactions: bool
    """Multi-statement transactions with commit and rollback."""
    concurrent_sessions: bool
    """Several connections may run queries at the same time."""
    cancel: bool
    """A running query can be interrupted from another thread (timeouts, Ctrl-C)."""
    null_ordering: str | None = None
    """Where the engine sorts NULLs when a query does not say, if not where its ``dialect`` does in
    sqlglot's terms (``nulls_are_large``: first in a descending sort); translation then writes
    the benchmark's NULL order out explicitly."""


@dataclass(frozen=True)
class LoadedTable:
    """The outcome of loading one table."""

    table: str
    rows: int
    duration_ms: float


class Adapter(ABC):
    """One connection to one platform, driven by the engine."""

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    extra: ClassVar[str]
    """The pip extra that installs the driver (named in the missing-driver message)."""
    driver: ClassVar[str]
    """The driver's import name, e.g. ``duckdb`` or ``psycopg``."""
    transforms: ClassVar[tuple[Transform, ...]] = ()
    """sqlglot rewrites applied after parsing, before SQL is generated for the platform."""
    type_overrides: ClassVar[Mapping[str, str]] = {}
    """Canonical type name -> this platform's DDL type where sqlglot's rendering is not wanted
    (see ``benchbox.platforms.types``)."""
    in_memory_when: ClassVar[tuple[str, Any] | None] = None
    """The config key and value with which loading holds every table in this process's memory
    (DuckDB's ``("database", ":memory:")``); None: never (a file, a server, lazy scans, or a cache
    that spills to disk). The generate phase then checks the data's estimated size against the
    available memory before any work (see ``memory_setting``)."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def translate(self, sql: str, read: str = "duckdb") -> str:
        """Translate SQL written in dialect ``read`` (a benchmark's) into this platform's dialect
        (done before any timing). SQL that needs no rewriting is returned before sqlglot is
        imported (0.2 s), so a run on the benchmark's own dialect never loads it."""
        dialect, ordering = self.capabilities.dialect, self.capabilities.null_ordering
        plain = dialect == read and not self.transforms
        if plain and ordering is None:
            return sql
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(sql, read=read)
        if plain and tree.find(exp.Ordered) is None:
            return sql  # only the NULL order needed writing out, and nothing is sorted
        for transform in self.transforms:
            tree = tree.transform(transform)
        return tree.sql(dialect=_writer(dialect, ordering), pretty=True)

    @classmethod
    def prepare_connection(cls, connection: Any) -> None:
        """Set up a new connection of this platform's driver, e.g. register the functions the
        engine lacks. The sqlalchemy platform calls it on its own connections to the same
        kind of database. The default does nothing."""
        return None

    def memory_setting(self) -> str | None:
        """The setting that makes this run hold its tables in memory, as the user writes it
        (``platform.database=':memory:'``, quoted in the size check's refusal), or None."""
        if self.in_memory_when is None:
            return None
        key, value = self.in_memory_when
        return f"platform.{key}={value!r}" if getattr(self.config, key, None) == value else None

    @classmethod
    def capabilities_for(cls, config: Any) -> Capabilities:
        """The capabilities for one config: the declared ones, unless the config decides them
        (a SQLAlchemy URL names its dialect)."""
        return cls.capabilities

    def session(self) -> Adapter:
        """Another connection to the same loaded data, for a concurrent query stream (it needs
        ``execute``, ``interrupt`` and ``close``). Platforms that can open one override this."""
        raise NotImplementedError(f"benchbox cannot open a second session on {self.name} yet")

    def run_transaction(self, statements: Sequence[str], staged: Mapping[str, pa.Table]) -> None:
        """Run ``statements`` (already in this platform's dialect) in ONE transaction, with each
        staged Arrow table readable under its name while they run; roll back on failure.
        This call is a maintenance function's timed region. Platforms with transactions
        override it."""
        raise NotImplementedError(f"benchbox cannot run maintenance functions on {self.name} yet")

    @classmethod
    def runs_transactions(cls) -> bool:
        """Whether the platform has transactions and benchbox can run maintenance functions on it."""
        return cls.capabilities.transactions and cls.run_transaction is not Adapter.run_transaction

    def reuse_problem(self) -> str | None:
        """Why a later run could not reuse the tables this run loads (``reuse_loaded_data``), or None
        when it can: the platform keeps its tables after the run and records what it loaded with
        ``load_stamp``/``keep_load_stamp``. The default: it cannot (no stamp methods), or, when
        the config holds the tables in memory, they end with the run."""
        if type(self).load_stamp is Adapter.load_stamp:
            return f"benchbox cannot reuse loaded tables on {self.name} yet"
        setting = self.memory_setting()
        return f"with {setting} the tables end with the run" if setting else None

    def load_stamp(self) -> str | None:
        """The stamp the last complete load left in this (connected) database, or None: none was
        left, or a benchbox run has changed the tables since (see ``keep_load_stamp``)."""
        return None

    def keep_load_stamp(self, stamp: str | None) -> None:
        """Keep ``stamp`` in the database itself, in the table ``LOAD_STAMP_TABLE``, so that it lives
        and dies with the loaded tables (a copied, replaced or deleted file takes it along);
        None erases it, before a load or anything else that changes the tables. Only called
        when ``reuse_problem`` is None."""
        raise NotImplementedError(f"benchbox cannot reuse loaded tables on {self.name} yet")

    @classmethod
    def opens_sessions(cls) -> bool:
        """Whether the platform runs concurrent sessions and benchbox can open them."""
        return cls.capabilities.concurrent_sessions and cls.session is not Adapter.session

    @classmethod
    def installed(cls) -> bool:
        """Whether the driver can be imported (checked without importing it)."""
        from importlib.util import find_spec

        return find_spec(cls.driver) is not None

    def import_driver(self, module: str | None = None) -> Any:
        """Import the driver (or another module it needs), naming the extra when it is missing."""
        import importlib

        module = module or self.driver
        try:
            return importlib.import_module(module)
        except ImportError as exc:
            raise DriverMissingError(
                f"platform={self.name} needs the '{module}' package, which is not installed: "
                f"run `pip install 'benchbox[{self.extra}]'`"
            ) from exc

    def load(self, table: Table, files: Sequence[Path], data_format: str) -> LoadedTable:
        """Create ``table`` and load ``files`` into it; timed per table.

        Raises:
            DataError: the load failed because a cached file is damaged (a disk error the cache's
                cheap check could not see): one line naming the folder to delete, not the
                driver's traceback. Any other failure is raised as it came.
        """
        start = time.perf_counter_ns()
        try:
            rows = self.load_table(table, files, data_format)
        except BenchboxError:
            raise  # benchbox's own verdict (a missing driver, a refused login): nothing to diagnose
        except Exception as exc:
            from benchbox.benchmarks.datacache import damaged

            problem = damaged(files, data_format)
            if problem is None:
                raise
            raise problem from exc
        return LoadedTable(table.name, rows, (time.perf_counter_ns() - start) / 1e6)

    def apply_timeout(self, timeout_s: float | None) -> None:
        """Called once before the queries run: a platform with an engine-side limit
        (e.g. PostgreSQL's ``statement_timeout``) sets it here; the watchdog's
        ``interrupt()`` stays the backstop. The default does nothing."""
        return None

    def server_pid(self) -> int | None:
        """The id of the process on this machine that executes this connection's queries and no
        other connection's (a local server's backend, a local driver JVM), or None: the engine
        then measures its CPU time and peak memory around every timed call (the
        ``server_*`` columns). Called once per execution, so return a value found at
        ``connect``, never ask the server here. The default, for engines that run inside
        benchbox's own process (or on another machine): None."""
        return None

    def placement(self) -> dict[str, str | int | None]:
        """Where this connection's queries run, for the metadata (``PLACEMENT_KEYS``): ``placement``
        (``in_process``; ``local_process``: a server or JVM on this machine; ``cluster``: executors
        a cluster manager gave; ``remote``: a server elsewhere), ``url`` (the address
        reached, never with a password or token), ``executors``, ``cores`` (the engine's cores in
        all) and ``executor_memory_bytes``. Called after the load, when a cluster's executors have
        registered. The default, for engines inside benchbox's own process: ``in_process``."""
        return {"placement": "in_process"}

    def is_timeout(self, error: Exception) -> bool:
        """Whether a driver error means the engine's own time limit struck (then the
        execution is a ``timeout``, not a failure). The default: never."""
        return False

    @abstractmethod
    def connect(self) -> None:
        """Open the connection (imports the driver)."""

    @abstractmethod
    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Create and fill one table; return the row count now in it."""

    @abstractmethod
    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one query and fetch its full result. This call is the timed region."""

    @abstractmethod
    def interrupt(self) -> None:
        """Interrupt the running query; safe to call from another thread."""

    @abstractmethod
    def versions(self) -> dict[str, str]:
        """``engine_version``, ``driver`` and ``driver_version`` for the metadata."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection and anything temporary."""


PLACEMENT_KEYS = ("placement", "url", "executors", "cores", "executor_memory_bytes")
"""What ``Adapter.placement`` may say; each becomes a ``platform_<key>`` metadata column."""


@functools.cache
def _writer(dialect: str, null_ordering: str | None) -> Any:
    """The sqlglot dialect to write: ``dialect``, or a variant of it that sorts NULLs the engine's way
    (so that sqlglot writes ``NULLS LAST`` wherever the benchmark's order needs it)."""
    if null_ordering is None:
        return dialect
    from sqlglot.dialects.dialect import Dialect

    base = type(Dialect.get_or_raise(dialect))
    return type(f"{base.__name__}_{null_ordering}", (base,), {"NULL_ORDERING": null_ordering})


def package_version(distribution: str) -> str:
    """The installed version of a distribution, or "unknown"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


# Checks of local paths, shared by the Config classes (and the spec's data_dir): a path that
# cannot work is refused when the config is validated, not by a driver in the middle of a run.

_NOT_A_PATH = re.compile(r"^(:memory:|[A-Za-z][A-Za-z0-9+.-]*:)")
"""Values a driver reads as something other than a local file: ``:memory:``, ``md:db``, ``s3://``."""


def folder_problem(path: Path) -> str | None:
    """Why no files could be written in the folder ``path`` (created with its parents when missing), or
    None when they could.

    The nearest part of the path that exists must be a folder in which a folder can be made. The
    check makes one and removes it at once, because permissions, read-only mounts and /proc or
    /sys refuse in different ways, and root passes every permission check but the last two.
    """
    path = path.absolute()
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{path} is a file, not a folder" if existing == path else f"it lies under the file {existing}"
    if os.statvfs(existing).f_flag & os.ST_RDONLY:
        return f"{existing} is on a read-only file system"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    try:
        probe = tempfile.mkdtemp(prefix=".benchbox-probe-", dir=existing)
    except OSError as exc:
        return f"no folder can be created in {existing}: {exc.strerror}"
    os.rmdir(probe)
    return None


def database_file_problem(value: str) -> str | None:
    """Why ``value`` cannot be a database file an embedded engine creates or opens, or None: it must not
    be a folder, and its folder must exist (the engines create the file, not the folder) and be
    writable. Values that are no local path (``:memory:``, ``md:...``) are the driver's to judge."""
    if not value.strip():
        return "it is empty"
    if _NOT_A_PATH.match(value):
        return None
    path = Path(value).absolute()
    if path.is_dir():
        return f"{path} is a folder: name a file in it, e.g. {path / 'bench.db'}"
    folder = path.parent
    if not folder.exists():
        under = next((p for p in folder.parents if p.exists()), None)
        if under is not None and not under.is_dir():
            return f"it lies under the file {under}"
        return f"its folder {folder} does not exist: create it (mkdir -p {folder}) or name a file elsewhere"
    if not folder.is_dir():
        return f"it lies under the file {folder}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    return folder_problem(folder)
