"""mode=tpc through the real command: power test, throughput test with a refresh stream, every
answer validated against a reference that replays the refresh functions, and the metrics
recomputed independently from queries.parquet."""

from __future__ import annotations

import json
import math

import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks.tpch.streams import stream_order

FAST = ("mode=tpc", "benchmark.scale_factor=0.01", "progress=false", "export=parquet")


def _run(tmp_path):
    (folder,) = [p.parent for p in tmp_path.glob("outputs/*/*/result.json")]
    return json.loads((folder / "result.json").read_text()), pq.read_table(
        folder / "queries.parquet"
    ).to_pylist()


@pytest.mark.e2e
@pytest.mark.parametrize("platform", ["duckdb", "sqlite"])
def test_the_performance_test_validates_and_its_metrics_follow_from_the_rows(
    benchbox, tmp_path, platform: str
) -> None:
    done = benchbox(*FAST, f"platform={platform}")
    assert done.code == 0, done.stdout + done.stderr
    record, rows = _run(tmp_path)
    power = sorted((r for r in rows if r["phase"] == "power_test"), key=lambda r: r["offset_ms"])
    # RF1, the 22 queries of stream 0 in Appendix A row 0's order, RF2: one session, serial.
    assert [r["query_id"] for r in power] == ["RF1", *(f"Q{n}" for n in stream_order(0)), "RF2"]
    test = [r for r in rows if r["phase"] == "throughput_test"]
    assert sorted({r["stream"] for r in test}) == [1, 2, 3]  # two query streams, refresh stream 3
    refresh = sorted((r for r in test if r["stream"] == 3), key=lambda r: r["offset_ms"])
    assert [(r["query_id"], r["iteration"]) for r in refresh] == [
        ("RF1", 2),
        ("RF2", 2),
        ("RF1", 3),
        ("RF2", 3),
    ]
    queries = [r for r in rows if r["query_id"].startswith("Q")]
    assert len(queries) == 66 and all(r["status"] == "ok" and r["validation"] == "ok" for r in queries)
    assert all(r["validation_source"].startswith("duckdb after ") for r in queries)
    assert {r["validation_source"] for r in power if r["query_id"].startswith("Q")} == {
        "duckdb after 1 refresh functions"
    }, "the power test's queries see RF1's rows"

    # The metrics, recomputed here from the exported rows with the spec's formulas.
    # Clause 5.4.1.4: the longest query interval sets the 1/1000 floor, and only query
    # intervals are raised to it; RF1 and RF2 enter as measured.
    queries_s = [r["duration_ms"] / 1000 for r in power if r["kind"] == "query"]
    refresh_s = [r["duration_ms"] / 1000 for r in power if r["kind"] == "maintenance"]
    floor = max(queries_s) / 1000
    product_log = sum(math.log(max(i, floor)) for i in queries_s) + sum(map(math.log, refresh_s))
    power_at_size = 3600 * 0.01 / math.exp(product_log / 24)
    ts = (max(r["offset_ms"] + r["duration_ms"] for r in test) - min(r["offset_ms"] for r in test)) / 1000
    throughput_at_size = 2 * 22 * 3600 / ts * 0.01
    metrics = record["summary"]["tpc"]
    assert metrics["power_at_size"] == pytest.approx(power_at_size)
    assert metrics["throughput_at_size"] == pytest.approx(throughput_at_size)
    assert metrics["qphh_at_size"] == pytest.approx(math.sqrt(power_at_size * throughput_at_size))
    compliance = metrics["compliance"]
    assert compliance["reportable"] is False and compliance["scale_factor_is_tpc_legal"] is False
    assert all(
        compliance[k] for k in ("refresh_functions_executed", "seeded_parameters", "validation_passed")
    )
    assert "not a reportable TPC-H result" in compliance["note"]
    # The final table says the metrics too, as the record has them.
    line = next(li for li in done.stdout.splitlines() if li.strip().startswith("tpc: "))
    assert f"qphh_at_size {metrics['qphh_at_size']:,.2f}" in line, line
    assert f"power_at_size {metrics['power_at_size']:,.2f}" in line, line


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["platform=datafusion"], "datafusion has no sessions yet"),
        (["validation.reference=answers"], "set validation.reference=duckdb"),
        (["validation.reference=polars"], "set validation.reference=duckdb"),
    ],
)
def test_impossible_performance_tests_are_refused_up_front(benchbox, tmp_path, args, message) -> None:
    done = benchbox(*FAST, *args)
    assert done.code == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("outputs/*/*/result.json"))


@pytest.mark.e2e
def test_a_rerun_reads_the_replayed_answers_it_shares_from_the_cache(benchbox, tmp_path) -> None:
    """The reference's answer in each data state is cached under the functions applied before it.
    Which states a throughput-test query could have seen depends on the timings, but the power
    test's 22 queries always see state 1 (after RF1): a second run reads those, computes only
    states the first run did not need, and reaches the same verdicts (a wrong cached answer would
    be a mismatch)."""
    data = tmp_path / "data"  # a cache of its own: the first run finds no answer cached
    details = []
    for attempt in ("first", "second"):
        folder = tmp_path / attempt
        folder.mkdir()
        done = benchbox(*FAST, "platform=sqlite", cwd=folder, env={"BENCHBOX_DATA_DIR": str(data)})
        assert done.code == 0, done.stdout + done.stderr
        record, rows = _run(folder)
        (validate,) = [p for p in record["phases"] if p["name"] == "validate"]
        details.append(validate["details"])
        assert {r["validation"] for r in rows if r["kind"] == "query"} == {"ok"}
    first, second = details
    assert first["cached"] == 0 and first["computed"] >= 66
    stored = list(data.glob("tpch/sf0.01/references/duckdb/states/*.json.gz"))
    assert len(stored) == first["computed"] + second["computed"], "every answer computed is cached"
    assert second["cached"] >= 22 and second["computed"] + second["cached"] >= 66
