"""What one ``benchbox`` process costs besides the engine's work, against bare baselines in the same run.

(a) Always: a bare Hydra app (a tiny ``@hydra.main`` script composing a copy of benchbox's own
``conf/`` without its sweep callback, written to a temp folder, whose task writes its config as
JSON) against ``benchbox mode=dry_run progress=false`` (imports, composition, the spec,
planning, metadata, export, exit) and ``benchbox --help``. Target: the dry run <= 0.4 s above
the bare app.

(b) With ``--sf SF`` (0.1 for the target): the default DuckDB power run on a warm data cache against a raw
pipeline in its own process (``end_to_end.load_and_query``: DuckDB loads the same cached
Parquet files and runs the same 22 rendered queries, 1 warmup + 3 iterations; it imports no
benchbox). Target: <= 1.15x.

Each round runs every command once, in an order that rotates from round to round; medians,
the min-max spread, differences and ratios are printed, never asserted (a shared machine is too
noisy). Every command runs once untimed first, with bytecode written to a temp folder (see
``bytecode``). ``uptime``'s load is printed before and after.

Usage: python benchmarks/fixed_cost.py [--rounds 5] [--sf 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from end_to_end import benchbox_run, table_ddl

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DATA_DIR = Path(tempfile.gettempdir()) / "benchbox-bench-data"
"""The warm data cache, shared with ``overhead.py``."""

BARE_APP = """\
import json
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import OmegaConf


@hydra.main(config_path="conf", config_name="benchbox", version_base="1.3")
def task(config):
    folder = Path(HydraConfig.get().runtime.output_dir)
    (folder / "result.json").write_text(json.dumps(OmegaConf.to_container(config, resolve=True)))


task()
"""
"""The bare Hydra app: compose, resolve, write one JSON file."""

RAW_CHILD = """\
import json, sys, time
sys.path.insert(0, sys.argv[2])
import duckdb
from end_to_end import load_and_query
plan = json.loads(open(sys.argv[1]).read())
start = time.perf_counter()
steps = load_and_query(duckdb.connect(), plan["tables"], plan["queries"])
print(json.dumps({"load": steps["load"] - start, "power": steps["queries"] - steps["load"]}))
"""
"""The raw pipeline's process: DuckDB, the cached Parquet files, the rendered queries; it prints
the seconds its load and its queries took."""


def wall(command: list[str], cwd: Path, out: list[str] | None = None) -> float:
    """Seconds ``command`` takes, start to exit (it must succeed); its output appended to ``out``."""
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, cwd=cwd, text=True)
    elapsed = time.perf_counter() - start
    if out is not None:
        out.append(done.stdout)
    return elapsed


def bare_app(folder: Path) -> Path:
    """Write the bare Hydra app and its config (benchbox's ``conf/``, minus the callback that
    imports benchbox) into ``folder``; return the script."""
    import yaml

    from benchbox.configdirs import CONFIG_DIR, CONFIG_NAME

    conf = folder / "conf"
    shutil.copytree(CONFIG_DIR, conf)
    primary = conf / f"{CONFIG_NAME}.yaml"
    config = yaml.safe_load(primary.read_text())
    del config["hydra"]["callbacks"]
    primary.write_text(yaml.safe_dump(config, sort_keys=False))
    script = folder / "app.py"
    script.write_text(BARE_APP)
    return script


def raw_plan(scale_factor: float, folder: Path) -> Path:
    """Warm the data cache (generating once if needed) and write what the raw process needs:
    each table's DDL and cached files, and the rendered queries."""
    from benchbox import benchmarks
    from benchbox.benchmarks import datacache

    suite = benchmarks.get("tpch")
    benchmark = suite(suite.Config(scale_factor=scale_factor))
    dataset = datacache.ensure(DATA_DIR, benchmark, lambda _: None)
    tables = [(t.name, table_ddl(t), [str(f) for f in dataset.files(t.name)]) for t in benchmark.tables()]
    plan = folder / "plan.json"
    plan.write_text(json.dumps({"tables": tables, "queries": [q.sql for q in benchmark.queries(None)]}))
    return plan


def interleaved(commands: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run every command once untimed (bytecode written, files in the page cache), then once per
    round, the order rotated each round; seconds per command."""
    for command in commands.values():
        command()
    samples: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for n in range(rounds):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            samples[name].append(commands[name]())
        print(f"round {n + 1}: " + ", ".join(f"{k} {v[-1]:.3f} s" for k, v in samples.items()), flush=True)
    return samples


def line(name: str, values: list[float]) -> str:
    """``name``: median and min-max spread."""
    return (
        f"  {name:<38} median {statistics.median(values):6.3f} s  "
        f"(min {min(values):.3f}, max {max(values):.3f}, n {len(values)})"
    )


def compare(what: str, ours: list[float], base: list[float], target: str) -> str:
    """The difference and ratio of two medians."""
    a, b = statistics.median(ours), statistics.median(base)
    return f"  {what}: +{a - b:.3f} s, ratio {a / b:.2f}x ({target})"


def medians(runs: list[dict[str, float]], keys: list[str]) -> str:
    """Each key's median over the runs."""
    return ", ".join(f"{k} {statistics.median(run[k] for run in runs):.3f} s" for k in keys)


def load() -> str:
    """The load averages ``uptime`` shows (1, 5, 15 minutes)."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def bytecode(folder: Path) -> None:
    """Let every child process write and reuse bytecode, in ``folder``: an installed benchbox has its
    ``.pyc`` files, but with ``PYTHONDONTWRITEBYTECODE`` set (as in some dev shells) an editable
    checkout would compile all of benchbox in every process (0.1-0.2 s), a cost no user pays."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)


def fixed_cost(rounds: int, tmp: Path) -> None:
    """Part (a): the bare Hydra app, the dry run and ``--help``."""
    app = bare_app(tmp / "bare")
    work = tmp / "work"
    work.mkdir()
    benchbox = str(BIN / "benchbox")
    commands = {
        "bare hydra app": lambda: wall([sys.executable, str(app)], work),
        "benchbox mode=dry_run progress=false": lambda: wall(
            [benchbox, "mode=dry_run", "progress=false"], work
        ),
        "benchbox --help": lambda: wall([benchbox, "--help"], work),
        "python -c pass": lambda: wall([sys.executable, "-c", "pass"], work),
    }
    samples = interleaved(commands, rounds)
    print(f"fixed cost, {rounds} rounds interleaved:")
    for name, values in samples.items():
        print(line(name, values))
    dry, bare = samples["benchbox mode=dry_run progress=false"], samples["bare hydra app"]
    print(compare("dry run vs bare hydra app", dry, bare, "target: <= +0.4 s"))


def warm_run(rounds: int, scale_factor: float, tmp: Path) -> None:
    """Part (b): the default power run on a warm cache against the raw pipeline."""
    plan = raw_plan(scale_factor, tmp)
    raw = [sys.executable, "-c", RAW_CHILD, str(plan), str(HERE)]
    printed: list[str] = []
    phases: list[dict[str, float]] = []

    def ours() -> float:
        with tempfile.TemporaryDirectory() as out:
            phases.append(benchbox_run("tpch", {"scale_factor": scale_factor}, out, DATA_DIR))
        return phases[-1]["total"]

    samples = interleaved({"raw pipeline": lambda: wall(raw, tmp, printed), "benchbox power": ours}, rounds)
    print(f"TPC-H SF {scale_factor:g}, warm data cache, {rounds} rounds interleaved:")
    for name, values in samples.items():
        print(line(name, values))
    steps = [json.loads(text) for text in printed[1:]]  # the first was the untimed run
    print("  raw steps (medians):      " + medians(steps, ["load", "power"]))
    print("  benchbox phases (medians): " + medians(phases[1:], [k for k in phases[0] if k != "total"]))
    print(compare("benchbox vs raw", samples["benchbox power"], samples["raw pipeline"], "target: <= 1.15x"))


def main() -> None:
    """Parse the arguments; measure (a), then (b) if asked."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sf", type=float, default=None, help="also measure a warm power run at this SF")
    args = parser.parse_args()
    print(f"load average before: {load()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        bytecode(Path(tmp) / "pycache")
        fixed_cost(args.rounds, Path(tmp))
        if args.sf is not None:
            warm_run(args.rounds, args.sf, Path(tmp))
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
