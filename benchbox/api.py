"""benchbox from Python: ``run()`` makes one run exactly as the command would, ``load()`` reads
finished runs back as one table.

``run()`` takes the command's path, not a second one: the same preflight checks
(``platform=duckbd`` gets its did-you-mean), Hydra composing with the same search order
(your ``config_dir`` before the shipped ``conf/``), ``spec_from`` (the config -> RunSpec step
the command's jobs use too) and ``engine.run``. A mistake raises ``SpecError`` rather than
exiting, and a second run in the same process is handed to a fresh interpreter that never
imports your ``__main__`` (see ``engine.isolation``), so plain scripts, ``python - <
script.py`` and notebooks all work. Unlike the command, nothing sets up logging (no
``benchbox.log``) and no ``.hydra/`` folder is written: the run folder holds what the
exporter writes.

``load()`` only reads (``benchbox.report``). See docs/python.md.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from benchbox.errors import BenchboxError, SpecError

if TYPE_CHECKING:
    from benchbox.result import RunResult
    from benchbox.spec import RunSpec

log = logging.getLogger(__name__)

FORMATS = ("arrow", "pandas", "polars")
"""What ``load()`` returns: a pyarrow Table, a pandas DataFrame or a polars DataFrame."""


def run(
    overrides: Sequence[str] = (),
    config_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
) -> RunResult:
    """Make one run, composed like ``benchbox [--config-dir DIR] OVERRIDES...``, and return its result.

    Args:
        overrides: what the command line would say, e.g. ``["platform=sqlite", "mode.iterations=5"]``.
        config_dir: your config folder (``experiment/*.yaml``, ...), searched before the shipped one.
        output_dir: the run folder; by default ``outputs/<date>/<time>`` under the working folder
            (``-1``, ``-2``, ... appended when that folder exists already).

    Returns:
        The run's result: ``status``, ``exit_code`` (0 ok, 1 failed queries, 2 user error, 130
        interrupted), ``summary``, ``executions``; its files are in ``spec.context.output_dir``.

    Raises:
        SpecError: a mistake in the overrides or configs; nothing ran.
        FreshProcessError: the fresh process of a second run died without a result.
    """
    from benchbox import engine

    return engine.run(spec_for(overrides, config_dir, output_dir))


def spec_for(
    overrides: Sequence[str] = (),
    config_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
) -> RunSpec:
    """The RunSpec ``run()`` would run (composed and validated, nothing run): see ``run``."""
    from omegaconf import OmegaConf

    config = _compose(_argv(overrides, config_dir))
    hydra = config.hydra
    folder = Path(output_dir) if output_dir is not None else _run_folder(hydra)
    return spec_from(OmegaConf.masked_copy(config, [k for k in config if k != "hydra"]), hydra, folder)


def spec_from(config: Any, hydra: Any, output_dir: str | Path) -> RunSpec:
    """A composed config (without its ``hydra`` node) and Hydra's node -> the validated RunSpec.

    The one config -> RunSpec step of the command's jobs and of ``run()``: the RunContext (run
    folder, overrides, config folders, experiment) comes from Hydra's node the same way for both.

    Raises:
        SpecError: the config is not a valid RunSpec (a one-paragraph message).
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from benchbox import replay
    from benchbox.spec import RunContext, RunSpec

    try:
        raw: Any = OmegaConf.to_container(config, resolve=True, throw_on_missing=False)
    except OmegaConfBaseException as exc:
        raise SpecError(" ".join(str(exc).split())) from None
    source = raw.pop(replay.KEY, None)
    record = replay.recorded(source) if source is not None else None
    experiment = hydra.runtime.choices.get("experiment")
    if record is not None:
        raw = replay.replayed(record, raw, list(hydra.overrides.task))
        experiment = (record["spec"].get("context") or {}).get("experiment")
    folder, finished = replay.fresh_folder(Path(output_dir).absolute())
    context = RunContext(
        output_dir=folder,
        overrides=tuple(hydra.overrides.task),
        config_dirs=tuple(s.path for s in hydra.runtime.config_sources if s.schema == "file"),
        experiment=experiment,
        replay_of=replay.replay_of(record) if record is not None else None,
    )
    spec = RunSpec.from_config(_given(raw), context)
    log.debug(
        "spec %s from overrides %s, config folders %s%s",
        spec.spec_hash[:12],
        list(context.overrides),
        list(context.config_dirs),
        f", replaying {source}" if source is not None else "",
    )
    if record is None and finished is not None and finished.get("spec_hash") == spec.spec_hash:
        replayed = context.model_copy(update={"replay_of": replay.replay_of(finished)})
        spec = spec.model_copy(update={"context": replayed})  # a rerun of the same spec in its folder
    return spec


def _given(node: Any) -> Any:
    """The config without its mandatory values left unset (``???``, e.g. ``platform.url``), so that the
    spec reports each as missing, with what to set it to, rather than OmegaConf's bare message."""
    if isinstance(node, dict):
        return {key: _given(value) for key, value in node.items() if value != "???"}
    return node


def job(config: Any, hydra: Any) -> tuple[dict[str, Any], float | None]:
    """One job of the command: its outcome (``exit_code``, ``error``) and its objective's value.

    The value is None unless the spec names an ``objective`` and the run ended ok (exit code 0):
    a run with a failed, timed-out or wrong query must not look fast to a sweeper. An error
    that leaves no result (an invalid config, a dead fresh process) is one line on stderr.
    """
    from benchbox import engine

    try:
        spec = spec_from(config, hydra, hydra.runtime.output_dir)
    except SpecError as exc:
        _refused_run(hydra)
        return _refused(exc), None
    try:
        result = engine.run(spec)
    except BenchboxError as exc:
        return _refused(exc), None
    if result.exit_code == 2 and result.error:  # a mistake found as the run went (a server that is not there)
        sys.stderr.write(f"benchbox: error: {' '.join(result.error.split())}\n")
    outcome: dict[str, Any] = {"exit_code": result.exit_code, "error": result.error}
    if spec.objective is None or result.exit_code != 0:
        return outcome, None
    value = objective_value(spec.objective, result.summary)
    if value is None:
        mistake = _unknown_objective(spec.objective, result.summary)
        line = f"error: {mistake}" if mistake else f"warning: {_null(spec.objective)}"
        sys.stderr.write(f"benchbox: {line}\n")
        outcome = {"exit_code": 2, "error": mistake} if mistake else outcome
    return outcome, value


def _refused(exc: BenchboxError) -> dict[str, Any]:
    """The outcome of a job that ended with ``exc`` before it had a result, said on stderr in one line."""
    message = " ".join(str(exc).split())
    sys.stderr.write(f"benchbox: error: {message}\n")
    return {"exit_code": exc.exit_code, "error": message}


_HYDRA_FILES = {"config.yaml", "hydra.yaml", "overrides.yaml"}
"""What Hydra writes into a run's ``.hydra/`` before the job starts."""

_REFUSED_RUNS: list[tuple[Path, Path, Path | None]] = []
"""The run folder, job log and ``.hydra/`` folder of each single run whose config was refused."""


def _refused_run(hydra: Any) -> None:
    """Note a refused single run's folder for ``discard_refused_runs``; a sweep's job folder stays (its
    summary row points at it, and its ``.hydra/overrides.yaml`` says what the job was)."""
    if str(hydra.mode) != "RunMode.RUN":
        return
    folder = Path(str(hydra.runtime.output_dir))
    snapshot = folder / str(hydra.output_subdir) if hydra.output_subdir is not None else None
    _REFUSED_RUNS.append((folder, folder / f"{hydra.job.name}.log", snapshot))


def discard_refused_runs() -> None:
    """Remove the run folders Hydra made for single runs whose config was then refused, so that a
    mistake leaves nothing behind. Called once Hydra is done (its callbacks may still write there).

    Only Hydra's own files go: ``.hydra/`` with its three YAML files and an empty job log, then the
    folders above it inside the working folder that are left empty (``outputs/<date>/``). A folder
    holding anything else (a result of an earlier run, a file of the user's or of a callback) is left
    exactly as it is, and every folder is removed with ``rmdir``, which refuses one that is not empty.
    """
    while _REFUSED_RUNS:
        _discard(*_REFUSED_RUNS.pop())


def _discard(folder: Path, log: Path, snapshot: Path | None) -> None:
    try:
        expected = {p for p in (log, snapshot) if p is not None}
        if not set(folder.iterdir()) <= expected or (log.exists() and log.stat().st_size > 0):
            return
        if snapshot is not None and snapshot.is_dir():
            if {p.name for p in snapshot.iterdir()} - _HYDRA_FILES:
                return
            for name in _HYDRA_FILES:
                (snapshot / name).unlink(missing_ok=True)
            snapshot.rmdir()
        log.unlink(missing_ok=True)
        folder.rmdir()
        working = Path.cwd().absolute()
        for parent in folder.absolute().parents:  # outputs/<date>/, made for this run, if now empty
            if parent == working or working not in parent.parents or any(parent.iterdir()):
                break
            parent.rmdir()
    except OSError:
        return  # something else appeared meanwhile, or the folder cannot be changed: leave it


def objective_value(name: str, summary: Mapping[str, Any]) -> float | None:
    """The number ``name`` names in a run's summary: a total (``geomean_ms``) or a benchmark's
    figure by its place (``<section>.<name>``); None when there is none."""
    node: Any = summary.get("totals", {}) if "." not in name else summary
    for part in name.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return float(node) if isinstance(node, (int, float)) and not isinstance(node, bool) else None


def _unknown_objective(name: str, summary: Mapping[str, Any]) -> str | None:
    """Why ``name`` is no figure of this summary, with a did-you-mean; None if it is one (left null)."""
    import difflib

    names = [k for k, v in summary.get("totals", {}).items() if _numeric(v)]
    for section, block in summary.items():
        if section not in ("totals", "queries") and isinstance(block, Mapping):
            names += [f"{section}.{k}" for k, v in block.items() if _numeric(v)]
    if name in names:
        return None
    guess = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean {guess[0]}? " if guess else ""
    return f"objective={name} is not in this run's summary: {hint}Its figures: {', '.join(names)}."


def _null(name: str) -> str:
    return (
        f"objective={name} is null in this run's summary (result.json says why): "
        "the sweeper gets no number and records a failed trial"
    )


def _numeric(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def load(*paths: str | Path, format: Literal["arrow", "pandas", "polars"] = "arrow") -> Any:
    """The executions of finished runs as one table: one row per execution of every run found.

    Each path is a run folder, its ``result.json``, or a sweep folder (all its jobs, with a
    ``job`` column and a column per swept key). The columns are ``queries.parquet``'s
    (docs/results.md).

    Raises:
        ReportError: a path holds no run record, or ``format`` is not one of ``FORMATS``.
        ImportError: ``format`` names a package that is not installed (the message says which).
    """
    import importlib

    from benchbox.report import runs, tables

    if format not in FORMATS:
        raise runs.ReportError(f"format={format!r} is not known: use one of {', '.join(FORMATS)}")
    if not paths:
        raise runs.ReportError("load() needs a path: a run folder, its result.json, or a sweep folder")
    table = tables.executions([found for path in paths for found in runs.load(path)])
    if format == "arrow":
        return table
    try:
        library = importlib.import_module(format)
    except ImportError:
        raise ImportError(f"load(format={format!r}) needs {format}: pip install {format}") from None
    return table.to_pandas() if format == "pandas" else library.from_arrow(table)


def _argv(overrides: Sequence[str], config_dir: str | Path | None) -> list[str]:
    """The command line ``run()`` stands for; a flag or a lone string is refused (one run, no sweep)."""
    if isinstance(overrides, str):
        raise SpecError(f"overrides must be a list of strings, e.g. [{overrides!r}], not one string")
    flags = [o for o in overrides if str(o).startswith("-")]
    if flags:
        raise SpecError(
            f"{flags[0]} is a command-line flag, not an override: run() makes one run from key=value and "
            "group=option overrides (sweep with the command, `benchbox -m ...`)"
        )
    folder = [] if config_dir is None else ["--config-dir", str(config_dir)]
    return [*folder, *map(str, overrides)]


def _compose(argv: list[str]) -> Any:
    """Hydra's composed config, Hydra's own node included, for the command line ``argv``."""
    from hydra import compose, initialize_config_dir, initialize_config_module
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from benchbox.compose import CONFIG_NAME, hydra_problem, preflight, search_order

    early = preflight(argv)
    if early is not None:  # a mistake (Early), or a subcommand's name such as "compare"
        raise SpecError(" ".join(getattr(early, "text", f"{argv[0]} is a command, not an override").split()))
    config_path, overrides = search_order(argv)
    sweeps = [
        o.input_line for o in OverridesParser.create().parse_overrides(overrides) if o.is_sweep_override()
    ]
    if sweeps:
        raise SpecError(
            f"{sweeps[0]} is a sweep, and run() makes one run: call it once per value, or sweep with the "
            "command (`benchbox -m ...`) and read the sweep folder with benchbox.load()"
        )
    try:
        with (
            initialize_config_module(
                config_path.removeprefix("pkg://"), version_base="1.3", job_name="benchbox"
            )
            if config_path.startswith("pkg://")
            else initialize_config_dir(config_dir=config_path, version_base="1.3", job_name="benchbox")
        ):
            return compose(config_name=CONFIG_NAME, overrides=overrides, return_hydra_config=True)
    except Exception as exc:  # a mistake Hydra found (a composition error, a YAML file that does not parse)
        problem = hydra_problem(exc)
        if problem is None:
            raise
        raise SpecError(problem) from None
    finally:
        # search_order registered benchbox's primary config in Hydra's global ConfigStore; leave it
        # as it was, so the caller's own Hydra app (or config) named like it composes unchanged.
        from hydra.core.config_store import ConfigStore

        ConfigStore.instance().repo.pop(f"{CONFIG_NAME}.yaml", None)


def _run_folder(hydra: Any) -> Path:
    """``hydra.run.dir`` (default ``outputs/<date>/<time>``); the default gets ``-1``, ``-2``, ...
    when that folder exists (two runs in one second). A ``hydra.run.dir=...`` override is kept as is."""
    folder = Path(str(hydra.run.dir))
    if any(o.startswith("hydra.run.dir=") for o in hydra.overrides.hydra):
        return folder
    number, unique = 0, folder
    while unique.exists():
        number += 1
        unique = folder.with_name(f"{folder.name}-{number}")
    return unique
