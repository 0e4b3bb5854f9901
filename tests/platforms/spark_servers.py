"""Throwaway Spark servers for the tests: a standalone master with one worker, and a Connect server.

The distributed tests run the real ``benchbox`` command against real Spark processes, so this
module starts them from the installed PySpark's own jars and scripts (``SPARK_HOME`` is pyspark's
package folder, which holds ``bin/spark-class``, ``bin/spark-submit`` and ``jars/``): each in the
foreground, in a process group of its own (so that ``stop`` ends it, and only it, by PID),
listening on 127.0.0.1 on free ports, with its logs, work and scratch folders in a temporary
directory of its own that ``stop`` removes. Readiness is polled with generous deadlines (the
machine may be loaded): the master's JSON must list the worker as ALIVE; the Connect server's
port must accept a connection.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INSTALL_HINT = (
    "pip install 'benchbox[spark]' 'pyspark[connect]', and a Java 17 or 21 runtime "
    "(apt-get install -y openjdk-17-jre-headless)"
)
START_DEADLINE_S = 240.0
"""How long a server may take to be ready: a JVM start on a loaded 2-core machine can take a minute."""
CONNECT_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"


class ServerUnavailable(RuntimeError):
    """The server cannot be started here; the message says what to install or fix."""


def spark_home() -> Path:
    """The installed pyspark's package folder, which is a complete SPARK_HOME (bin/, jars/)."""
    try:
        import pyspark
    except ModuleNotFoundError:
        raise ServerUnavailable(f"pyspark is not installed: {INSTALL_HINT}") from None
    home = Path(pyspark.__file__).resolve().parent
    if not (home / "bin" / "spark-class").is_file() or not list((home / "jars").glob("spark-core_*.jar")):
        raise ServerUnavailable(f"{home} has no bin/spark-class or jars/spark-core_*.jar: {INSTALL_HINT}")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise ServerUnavailable(f"no Java runtime (java on PATH or JAVA_HOME): {INSTALL_HINT}")
    return home


def connect_jar(home: Path) -> Path:
    """The Spark Connect server's jar, which the pyspark 4 wheel ships in ``jars/``."""
    found = sorted((home / "jars").glob("spark-connect_*.jar"))
    if not found:
        raise ServerUnavailable(
            f"{home / 'jars'} holds no spark-connect_*.jar, the Connect server's classes (pyspark 4's "
            "wheel ships it; pyspark 3.5's does not, the server there comes with a Spark distribution "
            f"or --packages): {INSTALL_HINT}"
        )
    return found[0]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str) -> Any:
    """The JSON document at ``url`` (a Spark web UI's ``/json``)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def wait_until(condition: Callable[[], Any], what: str, deadline_s: float = START_DEADLINE_S) -> Any:
    """Poll ``condition`` (exceptions count as not yet) until it returns something true; its value."""
    deadline = time.monotonic() + deadline_s
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception as exc:  # not up yet: connection refused, half-written JSON, ...
            last, value = exc, None
        if value:
            return value
        time.sleep(0.25)
    raise TimeoutError(f"{what} not within {deadline_s:.0f} s (last error: {last})")


@dataclass
class _Process:
    """One server process, started in its own process group, its output in ``log``."""

    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def check_alive(self) -> bool:
        if self.popen.poll() is not None:
            raise ServerUnavailable(f"{self.name} exited with {self.popen.returncode}:\n{self.tail()}")
        return True

    def stop(self) -> None:
        """SIGTERM to the process group by its PID, then SIGKILL if it lingers; reaped either way."""
        if self.popen.poll() is None:
            for sig, grace in ((signal.SIGTERM, 30), (signal.SIGKILL, 30)):
                try:
                    os.killpg(self.popen.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.popen.wait(grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # a child of its group that outlived it


@dataclass
class _Servers:
    """Shared by both kinds: a temp root with log/work/scratch folders and the processes."""

    root: Path
    home: Path
    processes: list[_Process] = field(default_factory=list)

    def _env(self) -> dict[str, str]:
        conf = self.root / "conf"  # empty: no spark-defaults.conf of the tester's leaks in
        for folder in ("conf", "logs", "work", "local"):
            (self.root / folder).mkdir(exist_ok=True)
        return {
            **os.environ,
            "SPARK_HOME": str(self.home),
            "SPARK_CONF_DIR": str(conf),
            "SPARK_LOG_DIR": str(self.root / "logs"),
            "SPARK_WORKER_DIR": str(self.root / "work"),
            "SPARK_LOCAL_DIRS": str(self.root / "local"),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_NO_DAEMONIZE": "1",
        }

    def _start(self, name: str, args: list[str]) -> _Process:
        env = self._env()
        log = self.root / "logs" / f"{name}.out"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                args,
                cwd=self.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stop() kills exactly it
            )
        process = _Process(name, popen, log)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        """Stop every process (the last started first) and remove the temp dir."""
        try:
            for process in reversed(self.processes):
                process.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}:\n{p.tail()}" for p in self.processes)


@dataclass
class SparkCluster(_Servers):
    """A standalone master and one worker (2 cores, 2g) on 127.0.0.1."""

    port: int = 0
    webui_port: int = 0
    worker_webui_port: int = 0

    @property
    def master(self) -> str:
        """The master URL benchbox's driver connects to."""
        return f"spark://127.0.0.1:{self.port}"

    def master_json(self) -> dict[str, Any]:
        """The master's state: ``workers``, ``activeapps``, ``completedapps``, ..."""
        return get_json(f"http://127.0.0.1:{self.webui_port}/json/")

    def worker_json(self) -> dict[str, Any]:
        """The worker's state: ``executors`` (running), ``finishedexecutors``, ``coresused``, ..."""
        return get_json(f"http://127.0.0.1:{self.worker_webui_port}/json/")

    @classmethod
    def start(cls) -> SparkCluster:
        home = spark_home()
        root = Path(tempfile.mkdtemp(prefix="benchbox-spark-cluster-"))
        cluster = cls(root, home, port=free_port(), webui_port=free_port(), worker_webui_port=free_port())
        spark_class = str(home / "bin" / "spark-class")
        try:
            master = cluster._start(
                "master",
                [
                    spark_class,
                    "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1",
                    "--port", str(cluster.port),
                    "--webui-port", str(cluster.webui_port),
                ],
            )  # fmt: skip
            wait_until(
                lambda: master.check_alive() and cluster.master_json().get("status") == "ALIVE",
                "the Spark master's JSON saying ALIVE",
            )
            worker = cluster._start(
                "worker",
                [
                    spark_class,
                    "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1",
                    "--cores", "2",
                    "--memory", "2g",
                    "--webui-port", str(cluster.worker_webui_port),
                    "--work-dir", str(root / "work"),
                    cluster.master,
                ],
            )  # fmt: skip
            wait_until(
                lambda: (
                    worker.check_alive()
                    and any(w.get("state") == "ALIVE" for w in cluster.master_json().get("workers", []))
                ),
                "the worker ALIVE in the master's JSON",
            )
        except TimeoutError as exc:
            logs = cluster.logs()
            cluster.stop()
            raise ServerUnavailable(f"the Spark cluster did not start: {exc}\n{logs}") from None
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def wait_idle(self, deadline_s: float = 120.0) -> dict[str, Any]:
        """Poll until no application is active on the master and no executor runs on the worker
        (an application's executors are killed when its driver stops); the master's JSON then."""
        wait_until(
            lambda: not self.master_json()["activeapps"] and not self.worker_json()["executors"],
            "the cluster idle (no active application, no running executor)",
            deadline_s,
        )
        return self.master_json()


@dataclass
class SparkConnect(_Servers):
    """A Spark Connect server (``local[2]``) on 127.0.0.1."""

    port: int = 0

    @property
    def remote(self) -> str:
        """The URL benchbox's Connect client uses."""
        return f"sc://127.0.0.1:{self.port}"

    @classmethod
    def start(cls) -> SparkConnect:
        home = spark_home()
        connect_jar(home)
        root = Path(tempfile.mkdtemp(prefix="benchbox-spark-connect-"))
        server = cls(root, home, port=free_port())
        try:
            process = server._start(
                "connect",
                [
                    str(home / "bin" / "spark-submit"),
                    "--class", CONNECT_CLASS,
                    "--name", "benchbox test Spark Connect server",
                    "--master", "local[2]",
                    "--conf", f"spark.connect.grpc.binding.port={server.port}",
                    "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    "--conf", f"spark.local.dir={root / 'local'}",
                    "--conf", "spark.driver.host=127.0.0.1",
                ],
            )  # fmt: skip
            wait_until(lambda: process.check_alive() and _accepts(server.port), "the Connect port accepting")
        except TimeoutError as exc:
            logs = server.logs()
            server.stop()
            raise ServerUnavailable(f"the Spark Connect server did not start: {exc}\n{logs}") from None
        except BaseException:
            server.stop()
            raise
        return server


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0
