"""Spark on real servers, through the real ``benchbox`` command: a standalone cluster (a master and a
worker started from pyspark's own jars) and a Spark Connect server (``spark_cluster`` and
``spark_connect`` in conftest.py; ``spark_servers.py`` starts them). No mocks.

- TPC-H SF 0.01 on the cluster, the executors reading the data through ``platform.data_uri``
  (``file://`` + the data cache): all 22 validated, and the metadata says ``cluster``.
- The same on Spark Connect (the data at its local path): ``remote``.
- A per-query timeout on the cluster: Q1, made to run for minutes (20000 shuffle partitions with
  adaptive execution off, so 20000 tasks on 2 cores), times out, and Spark's event log (written by
  the driver benchbox starts, enabled through ``spark-defaults.conf`` in ``$SPARK_CONF_DIR``, the
  documented place for Spark settings) shows its job cancelled by the cancel benchbox sent, every
  task it started ended and none started after; the master and the worker then show the
  application finished and no executor running.

All these tests share the session's servers and one run each: the module is one unit of work for
pytest-xdist (``ONE_MODULE`` in tests/conftest.py), so the servers start once.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

FAST = ("benchmark.scale_factor=0.01", "mode.warmups=0", "mode.iterations=1", "progress=false")
GIB = 1024**3
SLOW_PARTITIONS = 20000
"""Shuffle partitions that make Q1 a job of 20000 tasks (about 18 per second on this 2-core cluster)."""
TIMEOUT_S = 20
"""Long enough for Q1's planning (under a second on a quiet machine, a few on a loaded one) to end and
its job to be running on the cluster at the deadline; the job itself runs for many minutes, so the
deadline always lands inside it and no assertion depends on how far it got."""


def _run(benchbox_exe: str, data_dir: Path, folder: Path, *args: str, env: dict[str, str] | None = None):
    """One ``benchbox`` run in ``folder`` with the session's data cache; its result.json."""
    environment = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir), **(env or {})}
    done = subprocess.run(
        [benchbox_exe, *args, *FAST],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    (found,) = folder.glob("outputs/*/*/result.json")
    return json.loads(found.read_text())


@pytest.fixture(scope="module")
def cluster_run(benchbox_exe, data_dir, spark_cluster, tmp_path_factory) -> dict[str, Any]:
    data_uri = f"file://{data_dir.resolve()}"
    record = _run(
        benchbox_exe,
        data_dir,
        tmp_path_factory.mktemp("spark-cluster"),
        "platform=spark",
        f"platform.master={spark_cluster.master}",
        f"platform.data_uri={data_uri}",
    )
    spark_cluster.wait_idle()
    return record


@pytest.fixture(scope="module")
def connect_run(benchbox_exe, data_dir, spark_connect, tmp_path_factory) -> dict[str, Any]:
    return _run(
        benchbox_exe,
        data_dir,
        tmp_path_factory.mktemp("spark-connect"),
        "platform=spark",
        "platform.master=null",
        f"platform.remote={spark_connect.remote}",
    )


def _assert_all_validated(record: dict[str, Any]) -> None:
    rows = record["executions"]
    assert sorted(r["query_id"] for r in rows) == sorted(f"Q{n}" for n in range(1, 23))
    bad = [(r["query_id"], r["status"], r["validation"], r["error"]) for r in rows]
    bad = [b for b in bad if b[1:3] != ("ok", "ok")]
    assert not bad, bad


def test_tpch_validates_on_the_standalone_cluster_reading_through_data_uri(cluster_run) -> None:
    _assert_all_validated(cluster_run)
    (load,) = [p for p in cluster_run["phases"] if p["name"] == "load"]
    assert {t["table"]: t["rows"] for t in load["details"]["tables"]}["lineitem"] == 60175


def test_the_cluster_run_says_it_ran_on_the_cluster(cluster_run, spark_cluster) -> None:
    metadata = cluster_run["metadata"]
    assert metadata["platform_placement"] == "cluster"
    assert metadata["platform_url"] == spark_cluster.master
    # The worker offers 2 cores and 2g; the application takes them all, in one executor of
    # spark.executor.memory's default (1g).
    assert (metadata["platform_executors"], metadata["platform_cores"]) == (1, 2)
    assert metadata["platform_executor_memory_bytes"] == GIB
    apps = [a for a in spark_cluster.master_json()["completedapps"] if a["name"] == "benchbox"]
    assert any(a["cores"] == 2 and a["memoryperexecutor"] == 1024 for a in apps), apps


def test_tpch_validates_on_spark_connect(connect_run) -> None:
    _assert_all_validated(connect_run)


def test_the_connect_run_says_it_ran_remotely(connect_run, spark_connect) -> None:
    metadata = connect_run["metadata"]
    assert metadata["platform_placement"] == "remote"
    assert metadata["platform_url"] == spark_connect.remote
    # The server reports its own master, local[2]: one JVM, two threads, the default 1g.
    assert (metadata["platform_executors"], metadata["platform_cores"]) == (1, 2)
    assert metadata["platform_executor_memory_bytes"] == GIB
    assert metadata["platform_engine_version"] == metadata["platform_driver_version"]


def _events(folder: Path) -> list[dict[str, Any]]:
    (log,) = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert not log.name.endswith(".inprogress"), "the driver stopped cleanly and closed its event log"
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _tasks(events: list[dict[str, Any]], kind: str, stages: set[int]) -> dict[int, dict[str, Any]]:
    """Task ID -> its ``kind`` event, for the tasks of ``stages``."""
    return {e["Task Info"]["Task ID"]: e for e in events if e["Event"] == kind and e["Stage ID"] in stages}


def test_a_timeout_cancels_the_job_on_the_cluster(
    benchbox_exe, data_dir, spark_cluster, tmp_path: Path, cluster_run
) -> None:
    """``cluster_run`` first: the data is generated, and the cluster is idle before this run."""
    events_dir, conf_dir = tmp_path / "events", tmp_path / "conf"
    events_dir.mkdir()
    conf_dir.mkdir()
    (conf_dir / "spark-defaults.conf").write_text(
        "spark.sql.adaptive.enabled false\n"  # else AQE coalesces the 20000 partitions into one
        "spark.eventLog.enabled true\n"
        f"spark.eventLog.dir file://{events_dir}\n"
        "spark.eventLog.compress false\n"
        "spark.eventLog.rolling.enabled false\n"
    )
    spark_cluster.wait_idle()
    record = _run(
        benchbox_exe,
        data_dir,
        tmp_path,
        "platform=spark",
        f"platform.master={spark_cluster.master}",
        f"platform.shuffle_partitions={SLOW_PARTITIONS}",
        f"mode.timeout_s={TIMEOUT_S}",
        "benchmark.queries=[1,6]",
        env={"SPARK_CONF_DIR": str(conf_dir)},
    )
    statuses = {r["query_id"]: r["status"] for r in record["executions"]}
    assert statuses["Q1"] == "timeout", record["executions"]
    assert set(statuses) == {"Q1", "Q6"}, "the run went on after the timeout"
    assert record["metadata"]["platform_placement"] == "cluster"

    # After the run returned: the application is over on the cluster, and no executor runs.
    master = spark_cluster.wait_idle()
    events = _events(events_dir)
    (start,) = [e for e in events if e["Event"] == "SparkListenerApplicationStart"]
    (app,) = [a for a in master["completedapps"] if a["id"] == start["App ID"]]
    assert app["state"] == "FINISHED"
    assert not spark_cluster.worker_json()["executors"]

    # The event log: Q1's job (the one with a 20000-task stage) ran on the cluster and was
    # cancelled by benchbox's cancel (not by the session's shutdown), cut short.
    jobs = {e["Job ID"]: e for e in events if e["Event"] == "SparkListenerJobStart"}
    ends = {e["Job ID"]: e for e in events if e["Event"] == "SparkListenerJobEnd"}
    (slow,) = [
        j for j in jobs.values() if SLOW_PARTITIONS in {i["Number of Tasks"] for i in j["Stage Infos"]}
    ]
    stages = set(slow["Stage IDs"])
    end = ends[slow["Job ID"]]
    assert end["Job Result"]["Result"] == "JobFailed"
    message = end["Job Result"]["Exception"]["Message"]
    assert "cancelled as part of cancellation of all jobs" in message, message
    started = _tasks(events, "SparkListenerTaskStart", stages)
    ended = _tasks(events, "SparkListenerTaskEnd", stages)
    # Any of its stages: on a loaded machine the cancel may land while the scan stage still runs.
    assert started, "the job's tasks ran on the cluster"
    succeeded = [e for e in ended.values() if e["Task End Reason"]["Reason"] == "Success"]
    assert len(succeeded) < SLOW_PARTITIONS / 2, "the job was cut short, not run to its end"
    assert set(ended) == set(started), "every task the job started ended: none keeps running"
    assert all(e["Task Info"]["Launch Time"] <= end["Completion Time"] for e in started.values()), (
        "no task of the job started after its cancel"
    )
    assert "driver" not in {e["Task Info"]["Executor ID"] for e in started.values()}, "on the executors"
    later = [j for j in jobs.values() if j["Submission Time"] > end["Completion Time"]]
    assert later, "the session ran the next query's job after the cancel"
    assert all(ends[j["Job ID"]]["Completion Time"] for j in jobs.values()), "every job ended"
