"""Apache Spark through PySpark: a local (or cluster) SparkSession, or a Spark Connect server.

Queries are translated into Spark SQL by sqlglot (its ``spark`` dialect keeps DuckDB's
semantics, e.g. ``NULLS LAST`` on ascending sorts, where Spark's default differs), and
all 22 TPC-H queries validate without further rewrites: Spark parses decimal literals
as decimals, so money arithmetic stays exact.

Each table is read from the cached files with Spark's own readers, cast to the
benchmark's types (the Parquet files hold some INTEGER keys as int64), registered as
a temporary view and, with ``cache: true``, cached and counted, so that the load
phase (not the first query) pays for reading the files.

With ``data_uri`` set, the readers get each cached file's path under that URI rather than
the local path (``<data_uri>/<path inside the data cache>``), so that the executors of a
cluster or a Connect server read the same files from a shared store.

``placement()`` says where the queries ran: ``local_process`` (``local[N]``: one JVM here),
``cluster`` (a cluster master: its executors, read from the live session) or ``remote``
(Spark Connect: what the server's ``spark.master`` tells).

A running query is cancelled from another thread by cancelling every job of the
session, again and again until the query returns: a query is a series of jobs, and a
cancel that lands between two of them (or while Spark is still planning) would
otherwise let the next one start. A query that was interrupted fails even if its
last job slipped through, because it has overrun its deadline.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import threading
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from benchbox.benchmarks.schema import Table
from benchbox.errors import DriverMissingError, PlatformError
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.base import Capabilities, package_version
from benchbox.platforms.types import column_type

_TYPES = {"DECIMAL": "DECIMAL({p},{s})"}
"""Where sqlglot's Spark types are not the ones wanted (it writes ``DECIMAL(15, 2)``)."""
_CANCEL_EVERY_S = 0.05
"""How often a running query's jobs are cancelled again after ``interrupt()``."""

_QUIET_LOGGERS = ("org.apache.spark.scheduler.TaskSetManager",)
"""Loggers set to ERROR once the driver runs: TaskSetManager warns once per task that a
timeout's cancel kills, which is expected, not news."""


def _connect_client_problem() -> str | None:
    """What pyspark's own check of the Spark Connect client would find missing or too old, or None.

    pyspark's ``connect_requirement_message`` is exactly what decides its doctest exit (it names
    the packages and minimum versions of the installed pyspark); it is read only on the remote path.
    """
    try:
        with _no_pandas_warning():  # it checks pandas' version, as the session would
            from pyspark.testing.connectutils import connect_requirement_message
    except ModuleNotFoundError as exc:  # a pyspark without that module: its own check raises ImportError
        if (exc.name or "").startswith("pyspark"):
            return None
        return str(exc)
    return connect_requirement_message or None


class Config(BaseModel):
    """``platform/spark.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["spark"] = "spark"
    master: str | None = Field(
        "local[2]",
        min_length=1,
        description="use a Spark master URL such as 'local[2]', 'local[*]' or 'spark://host:7077', "
        "or null together with platform.remote",
    )
    remote: str | None = Field(
        None,
        pattern=r"^sc://",
        description="use a Spark Connect URL such as 'sc://host:15002' (with platform.master=null), or null",
    )
    driver_memory: str | None = Field(
        None,
        pattern=r"^\d+[kKmMgGtT]$",
        description="use a JVM size such as '1g' or '512m', or null for Spark's default (1g)",
    )
    shuffle_partitions: int = Field(
        4, ge=1, description="use a whole number >= 1 (e.g. 4 on a laptop, 200 on a cluster)"
    )
    cache: bool = Field(
        True, description="use true (cache each table in memory at load) or false (scan the files)"
    )
    data_uri: str | None = Field(
        None,
        description="use a URI prefix under which the executors see the data cache, such as "
        "'file:///shared/benchbox', 'hdfs:///benchbox' or 's3a://bucket/benchbox', or null for the "
        "local path of the data cache",
    )

    @field_validator("data_uri")
    @classmethod
    def _a_plain_uri_prefix(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
            raise ValueError(
                "platform.data_uri is a URI with a scheme, such as 'file:///shared/benchbox', "
                "'hdfs:///benchbox' or 's3a://bucket/benchbox' (a plain path needs 'file://' before it)"
            )
        if re.search(r"[?#\s]", value):
            raise ValueError("platform.data_uri is a prefix of paths: no spaces, '?' query or '#' fragment")
        if re.match(r"^[^:]+://[^/]*@", value):
            raise ValueError(
                "platform.data_uri holds credentials (user@ or key:secret@): give them to Spark in its "
                "own configuration (spark-defaults.conf, the environment), never in the URI"
            )
        return value

    @field_validator("remote")
    @classmethod
    def _no_token_in_url(cls, value: str | None) -> str | None:
        if value is not None and re.search(r";\s*token\s*=", value, re.IGNORECASE):
            raise ValueError(
                "the URL holds a token; put it in the environment variable SPARK_CONNECT_AUTHENTICATE_TOKEN"
            )
        return value

    @model_validator(mode="after")
    def _one_way_to_connect(self) -> Config:
        if self.master is not None and self.remote is not None:
            raise ValueError(
                "platform.master and platform.remote are mutually exclusive: "
                "set platform.master=null to use the Spark Connect server"
            )
        if self.master is None and self.remote is None:
            raise ValueError(
                "set platform.master (e.g. 'local[2]') or platform.remote (e.g. 'sc://host:15002')"
            )
        if self.remote is not None and self.driver_memory is not None:
            raise ValueError(
                "platform.driver_memory sizes a driver that benchbox starts; a Spark Connect server's "
                "driver is sized where it runs: set platform.driver_memory=null"
            )
        return self


def spark_type(kind: str) -> str:
    """The Spark SQL type a canonical column type is stored as (every Spark column may hold NULL)."""
    return column_type(kind, "spark", overrides=_TYPES)


def ddl_schema(table: Table) -> str:
    """The table's columns as a Spark DDL schema string (the CSV reader's schema)."""
    return ", ".join(f"{c.name} {spark_type(c.type)}" for c in table.columns)


def cast_columns(table: Table) -> list[str]:
    """One ``CAST(column AS type) AS column`` per column, in the canonical order."""
    return [f"CAST({c.name} AS {spark_type(c.type)}) AS {c.name}" for c in table.columns]


class QueryCancelled(RuntimeError):
    """The running query was cancelled by ``interrupt()`` (a timeout or Ctrl-C)."""


class Adapter(BaseAdapter):
    """One SparkSession: started locally (or against a cluster master), or a Spark Connect client."""

    name = "spark"
    extra = "spark"
    driver = "pyspark"
    capabilities = Capabilities(
        dialect="spark", storage="memory", transactions=False, concurrent_sessions=True, cancel=True
    )
    type_overrides = _TYPES
    config: Config

    def connect(self) -> None:
        """Start (or reach) the SparkSession and set the shuffle partitions."""
        self.import_driver()
        self._lock = threading.Lock()
        self._done = threading.Event()  # a new one per query: a late canceller never sees the next query
        self._running = False
        self._cancelled = False
        self._sigint: Any = None
        if self.config.remote is not None:
            self._spark = self._connect_remote(self.config.remote)
        else:
            self._spark = self._start_local(self.config.master or "local[2]")
        self._spark.conf.set("spark.sql.shuffle.partitions", str(self.config.shuffle_partitions))
        self._jvm_pid = self._local_jvm_pid()

    def _connect_remote(self, url: str) -> Any:
        """A Spark Connect session (its client needs grpcio and friends: ``pyspark[connect]``).

        The client's packages are looked for first: when one is missing and the process's main
        module has no file (``python -c``, a sweep job forked from benchbox's zygote, a test
        worker), pyspark takes itself to be running doctests and exits the process with status 0.
        """
        problem = _connect_client_problem()
        if problem:
            raise DriverMissingError(
                f"platform.remote needs Spark Connect's client packages ({problem}): "
                "run `pip install 'pyspark[connect]'`"
            )
        from pyspark.sql import SparkSession

        try:
            with _no_pandas_warning():
                return SparkSession.builder.remote(url).getOrCreate()
        except ImportError as exc:
            raise DriverMissingError(
                f"platform.remote needs Spark Connect's client packages ({exc}): "
                "run `pip install 'pyspark[connect]'`"
            ) from exc

    def _start_local(self, master: str) -> Any:
        """A SparkSession whose driver JVM runs here: Spark's log at WARN, no web UI, no progress bars."""
        if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise DriverMissingError(
                "platform=spark starts a Java driver, and no Java was found: install a Java 17 or 21 "
                "runtime (e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME"
            )
        from pyspark.sql import SparkSession

        logging.getLogger("py4j").setLevel(logging.WARNING)  # it logs every connection it closes at INFO
        builder = (
            SparkSession.builder.master(master)
            .appName("benchbox")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(self.config.shuffle_partitions))
        )
        if self.config.driver_memory is not None:
            builder = builder.config("spark.driver.memory", self.config.driver_memory)
        if threading.current_thread() is threading.main_thread():
            self._sigint = signal.getsignal(signal.SIGINT)  # PySpark installs its own; restored on close
        try:
            with _no_pandas_warning():
                spark = builder.getOrCreate()
        except Exception as exc:  # PySparkRuntimeError: the JVM did not start
            raise PlatformError(f"could not start Spark's driver JVM (master={master}): {exc}") from exc
        spark.sparkContext.setLogLevel("WARN")
        jvm = spark.sparkContext._jvm
        for logger in _QUIET_LOGGERS:
            jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
                logger, jvm.org.apache.logging.log4j.Level.ERROR
            )
        return spark

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Read the files (by their ``data_uri`` paths, if set) with the canonical types, register
        a temp view, cache and count it."""
        paths = [data_path(file, self.config.data_uri) for file in files]
        if data_format == "csv":
            frame = self._spark.read.csv(
                paths, schema=ddl_schema(table), header=True, escape='"', mode="FAILFAST"
            )
        else:
            frame = self._spark.read.parquet(*paths).selectExpr(*cast_columns(table))
        self._spark.catalog.dropTempView(table.name)  # also uncaches a table loaded before
        if self.config.cache:
            frame = frame.cache()
        frame.createOrReplaceTempView(table.name)
        return frame.count()

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Run the query and collect every row as a tuple of Python values.

        Raises:
            QueryCancelled: ``interrupt()`` was called while the query ran.
        """
        with self._lock:
            self._cancelled, self._running = False, True
            done = self._done = threading.Event()
        try:
            frame = self._spark.sql(sql)
            if self._cancelled:  # interrupted while Spark analysed it: start no job
                raise QueryCancelled("query cancelled before it started")
            rows = [tuple(row) for row in frame.collect()]
        except Exception as exc:
            if self._cancelled and not isinstance(exc, QueryCancelled):
                raise QueryCancelled(f"query cancelled: {_first_line(exc)}") from exc
            raise
        finally:
            with self._lock:
                self._running = False
                done.set()
        if self._cancelled:
            raise QueryCancelled("query interrupted; its last job finished before the cancel reached it")
        return rows

    def interrupt(self) -> None:
        """Cancel the session's jobs now and, while a query runs, every 50 ms until it returns.

        Safe from another thread: it only calls the driver's own thread-safe cancel.
        """
        with self._lock:
            first = self._running and not self._cancelled
            if self._running:
                self._cancelled = True
            done = self._done
        if first:
            threading.Thread(
                target=self._cancel_until, args=(done,), name="benchbox-spark-cancel", daemon=True
            ).start()
        elif not self._running:
            self._cancel_jobs()  # e.g. Ctrl-C during the load: stop its job

    def _cancel_until(self, done: threading.Event) -> None:
        """Cancel the session's jobs until ``done`` (the interrupted query's own event) is set."""
        while True:
            self._cancel_jobs()
            if done.wait(_CANCEL_EVERY_S):
                return

    def _cancel_jobs(self) -> None:
        """Cancel every job of this session (ours alone: benchbox runs one query at a time)."""
        try:
            if self.config.remote is not None:
                self._spark.interruptAll()
            else:
                self._spark.sparkContext.cancelAllJobs()
        except Exception:  # the session may be stopping; the query's own error tells the story
            return

    def server_pid(self) -> int | None:
        """The driver JVM when it does all the work here (``local`` or ``local[N]``: its executors
        are its own threads), found at connect; None for a cluster (the executors run
        elsewhere) or Spark Connect (the server's process is not ours)."""
        return getattr(self, "_jvm_pid", None)

    def _local_jvm_pid(self) -> int | None:
        """The java process py4j's gateway started (it may sit under a launcher script), or None."""
        master = self.config.master or ""
        if self.config.remote is not None or not (master == "local" or master.startswith("local[")):
            return None
        try:
            import psutil

            launched = self._spark.sparkContext._gateway.proc  # None: a gateway benchbox did not start
            root = psutil.Process(launched.pid)
            for process in (root, *root.children(recursive=True)):
                if process.name().startswith("java"):
                    return process.pid
        except Exception:  # no gateway process, or psutil cannot see it
            return None
        return None

    def placement(self) -> dict[str, str | int | None]:
        """Where the queries run, for the metadata; a value that cannot be learnt is left out (null).

        - ``local[N]`` (or ``local``, ``local[*]``): ``local_process``, ``url`` the master, one
          executor (the driver JVM) with N cores (``local[*]``: this machine's), and the driver's
          memory (``spark.driver.memory``, else Spark's default 1g) as ``executor_memory_bytes``.
        - any other master (``spark://``, ``yarn``, ``k8s://``): ``cluster``, ``url`` the master; the
          live session's executors (the driver left out) and their cores in all, from Spark's status
          store, and ``spark.executor.memory`` (else 1g), the memory of each executor.
        - Spark Connect: ``remote``, ``url`` the remote URL with any token masked; the server tells its
          own ``spark.master`` but not its executors, so executors, cores and memory are filled in only
          when that master is ``local[N]`` (one JVM: the server's), and are null otherwise.

        Never raises: what the config says is filled in first, and a session that cannot answer
        leaves the keys it would have filled null.
        """
        from benchbox.redact import redact_text

        master = self.config.master or "local[2]"
        if self.config.remote is not None:
            found: dict[str, str | int | None] = {
                "placement": "remote",
                "url": redact_text(self.config.remote),
            }
        elif _local_cores(master) is not None:
            found = {"placement": "local_process", "url": master}
            found.update(_local_figures(master, self.config.driver_memory))
        else:
            found = {"placement": "cluster", "url": master}
        try:  # the live session's figures
            if self.config.remote is not None:
                conf = self._spark.conf
                server_master = conf.get("spark.master", None)
                found.update(_local_figures(server_master, conf.get("spark.driver.memory", None)))
            elif found["placement"] == "local_process":  # spark-defaults.conf may size the driver
                found.update(
                    _local_figures(
                        master, self._spark.sparkContext.getConf().get("spark.driver.memory", None)
                    )
                )
            else:
                memory = self._spark.sparkContext.getConf().get("spark.executor.memory", None)
                found.update(self._cluster_figures(memory))
        except Exception:  # a stopped session, a server that went away: what was found stays
            pass
        return found

    def _cluster_figures(self, executor_memory: str | None) -> dict[str, int | None]:
        """The live executors (not the driver) and their cores, from the driver's status store."""
        executors = self._spark.sparkContext._jsc.sc().statusStore().executorList(True)
        summaries = [executors.apply(i) for i in range(executors.size())]
        summaries = [e for e in summaries if e.id() != "driver"]
        return {
            "executors": len(summaries),
            "cores": sum(int(e.totalCores()) for e in summaries),
            "executor_memory_bytes": jvm_bytes(executor_memory or "1g"),
        }

    def versions(self) -> dict[str, str]:
        """Spark's version (the server's, for Spark Connect) and the pyspark package's version."""
        return {
            "engine_version": self._spark.version,
            "driver": "pyspark",
            "driver_version": package_version("pyspark"),
        }

    def close(self) -> None:
        """Stop the session (and with it the local driver's jobs) and give SIGINT back."""
        spark = getattr(self, "_spark", None)
        if spark is not None:
            done = getattr(self, "_done", None)
            if done is not None:
                done.set()
            spark.stop()
            self._spark = None
        sigint = getattr(self, "_sigint", None)
        if sigint is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, sigint)
            self._sigint = None


def _local_cores(master: str | None) -> int | None:
    """The worker threads of a ``local`` master (``local[*]``: this machine's cores), else None."""
    found = re.fullmatch(r"local(?:\[(\d+|\*)(?:,\s*\d+)?\])?", (master or "").strip())
    if found is None:
        return None
    threads = found.group(1) or "1"
    return (os.cpu_count() or 1) if threads == "*" else int(threads)


def _local_figures(master: str | None, driver_memory: str | None) -> dict[str, int | None]:
    """One executor (the driver JVM), its threads and its memory, for a ``local`` master; else {}."""
    cores = _local_cores(master)
    if cores is None:
        return {}
    return {"executors": 1, "cores": cores, "executor_memory_bytes": jvm_bytes(driver_memory or "1g")}


def jvm_bytes(size: str) -> int | None:
    """A JVM/Spark memory size (``1g``, ``512m``, ``2048`` (MiB), ``4gb``) in bytes, or None."""
    found = re.fullmatch(r"\s*(\d+)\s*([kmgtp]?)(b?)\s*", size.lower())
    if found is None:
        return None
    if not found.group(2):  # Spark reads a bare memory size as MiB, and "512b" as bytes
        return int(found.group(1)) * (1 if found.group(3) else 1024**2)
    return int(found.group(1)) * 1024 ** ("kmgtp".index(found.group(2)) + 1)


def data_path(file: Path, data_uri: str | None) -> str:
    """The path Spark's readers get for a file of the data cache: the local path, or with
    ``data_uri`` that URI followed by the file's path inside the data cache.

    The adapter is handed the files only, not the data cache's root, so the root is found from
    the layout the cache keeps: ``<root>/<benchmark>/<data key...>/``, the dataset folder being the
    one that holds the manifest, and ``<benchmark>`` the nearest folder at or above it named like a
    registered benchmark.

    Raises:
        PlatformError: the file is not inside a dataset of benchbox's data cache.
    """
    if data_uri is None:
        return str(file)
    from benchbox.benchmarks import NAMES
    from benchbox.benchmarks.datacache import MANIFEST

    dataset = next((p for p in file.parents if (p / MANIFEST).is_file()), None)
    suite = next((p for p in (dataset, *dataset.parents) if p.name in NAMES), None) if dataset else None
    if suite is None:
        raise PlatformError(
            f"platform.data_uri maps the files of benchbox's data cache, and {file} is not in a dataset "
            f"of it (no {MANIFEST} above it under a folder named like a benchmark)"
        )
    base = data_uri.rstrip("/")
    if base.endswith(":"):  # 'file:///': the root of the scheme's file system
        base += "//"
    return f"{base}/{file.relative_to(suite.parent).as_posix()}"


@contextlib.contextmanager
def _no_pandas_warning() -> Iterator[None]:
    """PySpark warns about the pandas version on its first start; benchbox uses none of its pandas API."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pandas", category=FutureWarning)
        yield


def _first_line(exc: BaseException) -> str:
    """The first line of a (often very long, JVM-stack-bearing) driver error."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
