"""What every platform adapter is: declared capabilities plus a handful of verbs.

The engine calls these verbs and nothing else, so adding a platform never adds a
branch to the engine. Capabilities are data the spec checks before any work.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from benchbox.errors import DriverMissingError

if TYPE_CHECKING:
    from sqlglot import exp

    from benchbox.benchmarks.schema import Table

CANONICAL_DIALECT = "duckdb"
"""The dialect the benchmark query templates are written in."""

Transform = Callable[["exp.Expression"], "exp.Expression"]


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


@dataclass(frozen=True)
class Gap:
    """A known way a platform falls short on one query, declared rather than hidden.

    ``notimpl``: benchbox could fix it; ``notyet``: the engine itself must change.
    The contract tests turn each gap into a strict expected failure, so a fixed gap
    fails until its declaration is removed.
    """

    kind: Literal["notimpl", "notyet"]
    reason: str


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
    known_gaps: ClassVar[dict[str, Gap]] = {}
    """Query id -> declared gap (see ``Gap``); empty when every query validates."""
    transforms: ClassVar[tuple[Transform, ...]] = ()
    """sqlglot rewrites applied after parsing, before SQL is generated for the platform."""

    def __init__(self, config: Any) -> None:
        self.config = config

    def translate(self, sql: str) -> str:
        """Translate canonical SQL into this platform's dialect (done before any timing)."""
        if self.capabilities.dialect == CANONICAL_DIALECT and not self.transforms:
            return sql
        import sqlglot

        tree = sqlglot.parse_one(sql, read=CANONICAL_DIALECT)
        for transform in self.transforms:
            tree = tree.transform(transform)
        return tree.sql(dialect=self.capabilities.dialect, pretty=True)

    @classmethod
    def capabilities_for(cls, config: Any) -> Capabilities:
        """The capabilities for one config: the declared ones, unless the config decides them
        (a SQLAlchemy URL names its dialect)."""
        return cls.capabilities

    def session(self) -> Adapter:
        """Another connection to the same loaded data, for a concurrent query stream (it needs
        ``execute``, ``interrupt`` and ``close``). Platforms that can open one override this."""
        raise NotImplementedError(f"benchbox cannot open a second session on {self.name} yet")

    def refresh_insert(self, orders: Any, lineitem: Any) -> None:
        """RF1: insert the new orders and lineitems (Arrow tables) in one transaction."""
        raise NotImplementedError(f"benchbox cannot run refresh functions on {self.name} yet")

    def refresh_delete(self, keys: Any) -> None:
        """RF2: delete the orders whose keys are given (an Arrow table with ``o_orderkey``) and
        their lineitems, in one transaction."""
        raise NotImplementedError(f"benchbox cannot run refresh functions on {self.name} yet")

    @classmethod
    def runs_refresh(cls) -> bool:
        """Whether the platform has transactions and benchbox can run RF1/RF2 on it."""
        return cls.capabilities.transactions and cls.refresh_insert is not Adapter.refresh_insert

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
        """Create ``table`` and load ``files`` into it; timed per table."""
        start = time.perf_counter_ns()
        rows = self.load_table(table, files, data_format)
        return LoadedTable(table.name, rows, (time.perf_counter_ns() - start) / 1e6)

    def apply_timeout(self, timeout_s: float | None) -> None:
        """Called once before the queries run: a platform with an engine-side limit
        (e.g. PostgreSQL's ``statement_timeout``) sets it here; the watchdog's
        ``interrupt()`` stays the backstop. The default does nothing."""
        return None

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


def package_version(distribution: str) -> str:
    """The installed version of a distribution, or "unknown"."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"
