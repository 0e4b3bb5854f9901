"""The RunSpec: the one validated, frozen description of a run that the engine reads.

Hydra composes YAML into a plain mapping; ``RunSpec.from_config`` validates it.
Every YAML key is backed by exactly one field, unknown keys are rejected with a
did-you-mean, and a wrong value is reported as ``key=value is not allowed: fix``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from benchbox import benchmarks, platforms
from benchbox.errors import SpecError
from benchbox.platforms.base import folder_problem
from benchbox.redact import mentions_secret, redact_override, redact_text
from benchbox.replay import LOCAL

_PLATFORM_MODULES = {name: platforms.get(name) for name in platforms.NAMES}
_BENCHMARKS = {name: benchmarks.get(name) for name in benchmarks.NAMES}
PlatformConfig = Annotated[
    Union[tuple(m.Config for m in _PLATFORM_MODULES.values())],  # noqa: UP007 - built from the registry
    Field(discriminator="name"),
]
BenchmarkConfig = Annotated[
    Union[tuple(b.Config for b in _BENCHMARKS.values())],  # noqa: UP007 - built from the registry
    Field(discriminator="name"),
]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PowerMode(_Frozen):
    """``mode/power.yaml``: warmups, then measured iterations of every query."""

    name: Literal["power"] = "power"
    warmups: int = Field(1, ge=0, description="use a whole number >= 0 (e.g. 0, 1, 2)")
    iterations: int = Field(3, ge=1, description="use a whole number >= 1 (e.g. 1, 3, 5)")
    timeout_s: float | None = Field(
        None, gt=0, description="use seconds > 0 (e.g. 30, 300), or null for none"
    )
    on_error: Literal["continue", "stop"] = Field("continue", description="use 'continue' or 'stop'")


class ThroughputMode(_Frozen):
    """``mode/throughput.yaml``: S query streams at once, each on its own session, in its own
    query order (the benchmark's stream orders) and, with seeded parameters, its own values."""

    name: Literal["throughput"] = "throughput"
    streams: int | None = Field(
        None,
        ge=1,
        description="use a whole number >= 1, or null for the benchmark's default, its spec's minimum "
        "(docs/benchmarks/<benchmark>.md)",
    )
    timeout_s: float | None = Field(
        None, gt=0, description="use seconds > 0 (e.g. 30, 300), or null for none"
    )
    """Each query's time limit, in every stream: a query past it is cancelled on its own session and
    becomes a ``timeout`` row, and its stream goes on with its next query."""


class MaintenanceMode(_Frozen):
    """``mode/maintenance.yaml``: the benchmark's refresh runs (``Benchmark.maintenance_ops``) on
    the loaded database, each maintenance function one transaction, timed and checked by
    the row counts it leaves."""

    name: Literal["maintenance"] = "maintenance"
    pairs: int = Field(1, ge=1, description="use a whole number >= 1 (refresh runs 1 to pairs are used)")


class TpcMode(_Frozen):
    """``mode/tpc.yaml``: the benchmark's performance test: a power test with its maintenance
    functions, then a throughput test with a refresh stream, then the benchmark's metrics."""

    name: Literal["tpc"] = "tpc"
    streams: int | None = Field(
        None,
        ge=1,
        description="use a whole number >= 1, or null for the benchmark's default",
    )
    timeout_s: float | None = Field(
        None, gt=0, description="use seconds > 0 (e.g. 30, 300), or null for none"
    )
    """Each query's time limit, in the power test and every query stream of the throughput test (not
    the refresh functions): a query past it is cancelled and becomes a ``timeout`` row."""


class DataOnlyMode(_Frozen):
    """``mode/data_only.yaml``: generate the data and stop."""

    name: Literal["data_only"] = "data_only"


class LoadOnlyMode(_Frozen):
    """``mode/load_only.yaml``: generate and load, run no queries."""

    name: Literal["load_only"] = "load_only"


class DryRunMode(_Frozen):
    """``mode/dry_run.yaml``: plan and render SQL; touch no data, connect to nothing."""

    name: Literal["dry_run"] = "dry_run"
    streams: int | None = Field(
        None, ge=1, description="use a whole number >= 1 for streams 0 to S, or null for stream 0 alone"
    )
    """Also render the throughput test's query streams 1 to S, each in its own order and with its own
    values (the performance test's layout: stream 0, then 1 to S); null renders stream 0 alone."""


ModeConfig = Annotated[
    Union[PowerMode, ThroughputMode, MaintenanceMode, TpcMode, DataOnlyMode, LoadOnlyMode, DryRunMode],  # noqa: UP007
    Field(discriminator="name"),
]

Format = Literal["json", "csv", "parquet"]


class ExportConfig(_Frozen):
    """``export/*.yaml``: which files the exporter writes."""

    formats: tuple[Format, ...] = Field(
        ("json",), description="list formats from json, csv, parquet; json (result.json) is always included"
    )
    report: bool = Field(True, description="use true (write report.html) or false")

    @field_validator("formats")
    @classmethod
    def _json_first(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if "json" not in value:
            raise ValueError(
                "result.json is the run record that summaries and replays read, so 'json' is required"
            )
        if len(set(value)) != len(value):
            raise ValueError("a format is listed twice")
        return value


class ValidationConfig(_Frozen):
    """``validation``: where expected answers come from."""

    reference: str = Field(
        "answers",
        description="use 'answers' (the answers that ship for the validation parameters) or an installed "
        "platform name such as 'duckdb' (it computes the expected result of every query on the same data)",
    )

    @field_validator("reference")
    @classmethod
    def _known_reference(cls, value: str) -> str:
        if value == "answers":
            return value
        if value not in _PLATFORM_MODULES or value == "sqlalchemy":  # it needs a URL: not a reference
            options = ", ".join(["answers", *(n for n in _PLATFORM_MODULES if n != "sqlalchemy")])
            guess = difflib.get_close_matches(value, options.split(", "), n=1)
            hint = f"did you mean '{guess[0]}'? " if guess else ""
            raise ValueError(f"{hint}use one of {options}")
        adapter = _PLATFORM_MODULES[value].Adapter
        if not adapter.installed():
            raise ValueError(f"its driver is not installed: run `pip install 'benchbox[{adapter.extra}]'`")
        return value


OBJECTIVES = ("geomean_ms", "total_ms")
"""The run totals (``summary.totals``) that ``objective`` may name by themselves."""


class RunContext(_Frozen):
    """Facts about the invocation, filled in by the CLI (never from YAML, never hashed)."""

    output_dir: Path
    overrides: tuple[str, ...] = ()
    """Hydra's command-line overrides, with secret values redacted on the way in."""
    config_dirs: tuple[str, ...] = ()
    experiment: str | None = None
    """The ``experiment`` config chosen, if any (Hydra's choice for that group)."""
    replay_of: dict[str, str] | None = None
    """The run this one replays (``run_id``, ``spec_hash``, ``result_path``): ``replay=`` named its
    ``result.json``, or it reran the same spec in that run's folder (see ``benchbox.replay``)."""

    @field_validator("overrides")
    @classmethod
    def _redact(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(redact_override(o) for o in value)


class RunSpec(_Frozen):
    """Everything the engine needs to execute one run."""

    platform: PlatformConfig
    benchmark: BenchmarkConfig
    mode: ModeConfig
    export: ExportConfig = ExportConfig()
    validation: ValidationConfig = ValidationConfig()
    data_dir: Path = Field(description="use a writable folder path")
    progress: bool = Field(True, description="use true or false")
    reuse_warm_process: bool = Field(False, description="use true or false")
    reuse_loaded_data: bool = Field(False, description="use true or false")
    """Skip the load when the platform's database already holds this run's data, loaded completely by
    an earlier run and changed by none since (its load stamp and every row count match); the load
    phase then says ``reused``. Only platforms that keep their tables (a database file, a server)."""
    allow_large_data: bool = Field(False, description="use true or false")
    """Generate data even when its estimated size exceeds the free disk (or, for an in-memory
    engine, the memory) the generate phase finds: the refusal's override, said explicitly."""
    objective: str | None = Field(
        None,
        description=f"use null, {' or '.join(OBJECTIVES)} (the run's totals), or a figure of the benchmark's "
        "by its place in result.json's summary, <section>.<name> (docs/configuration.md#objective)",
    )
    """What the Hydra job returns to an optimising sweeper (``hydra/sweeper=optuna``): this figure
    of the run's summary, instead of the job's outcome."""
    context: RunContext

    @field_validator("data_dir", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        """``data_dir=`` is an empty string, which a Path would read as the working folder."""
        if isinstance(value, str) and not value.strip():
            raise ValueError("it is empty, which would make the working folder the data cache")
        return value

    @field_validator("data_dir")
    @classmethod
    def _writable(cls, value: Path) -> Path:
        """A data_dir still to be made must be makeable: a file, a place under a file, a read-only or
        pseudo file system is refused before any work. An existing folder is the data cache's to
        judge: it reuses a complete dataset even on a read-only file system, and says in one line
        when it would have to write there."""
        value = value.expanduser()
        if value.is_dir():
            return value
        problem = folder_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("objective")
    @classmethod
    def _known_objective(cls, value: str | None) -> str | None:
        """A total is checked here; a benchmark's figure (``<section>.<name>``) depends on the benchmark
        and the mode, so it is checked against the run's summary when the run ends."""
        section, dot, name = (value or "").partition(".")
        if value is None or value in OBJECTIVES or (dot and name and section not in ("totals", "queries")):
            return value
        guess = difflib.get_close_matches(value.removeprefix("totals."), OBJECTIVES, n=1)
        raise ValueError(
            f"did you mean '{guess[0]}'?" if guess else "neither a total nor a benchmark's <section>.<name>"
        )

    @model_validator(mode="after")
    def _objective_is_timed(self) -> RunSpec:
        if self.objective is not None and isinstance(self.mode, (DryRunMode, DataOnlyMode, LoadOnlyMode)):
            raise ValueError(
                f"objective={self.objective} is a figure of timed executions, and mode={self.mode.name} "
                "times none: use a mode that runs queries (power, throughput, ...) or objective=null"
            )
        return self

    @model_validator(mode="after")
    def _benchmark_can(self) -> RunSpec:
        benchmark = _BENCHMARKS[self.benchmark.name]
        if self.mode.name not in benchmark.modes:
            supported = ", ".join(m for m in _UNIONS["mode"] if m in benchmark.modes)
            raise ValueError(
                f"benchmark={benchmark.name} has no mode={self.mode.name} yet: use one of {supported} "
                f"(docs/benchmarks/{benchmark.name}.md)"
            )
        return self

    @model_validator(mode="after")
    def _platform_can(self) -> RunSpec:
        adapter = _PLATFORM_MODULES[self.platform.name].Adapter
        caps = adapter.capabilities_for(self.platform)
        streams = isinstance(self.mode, (ThroughputMode, TpcMode))
        if streams and not (caps.concurrent_sessions and adapter.opens_sessions()):
            why = "cannot run concurrent sessions" if not caps.concurrent_sessions else "has no sessions yet"
            raise ValueError(
                f"mode={self.mode.name} runs concurrent query streams, one session each; "
                f"{self.platform.name} {why}: use mode=power, or a platform with concurrent sessions "
                "(docs/platforms/README.md)"
            )
        refresh = isinstance(self.mode, (MaintenanceMode, TpcMode))
        if refresh and not (caps.transactions and adapter.runs_transactions()):
            why = "has no transactions" if not caps.transactions else "has no maintenance functions yet"
            raise ValueError(
                f"mode={self.mode.name} runs the benchmark's refresh functions as transactions; "
                f"{self.platform.name} {why}: use a platform with transactions (docs/platforms/README.md)"
            )
        if isinstance(self.mode, TpcMode):
            reference = self.validation.reference
            if reference == "answers" or not _PLATFORM_MODULES[reference].Adapter.runs_transactions():
                raise ValueError(
                    "mode=tpc changes the data with the refresh functions, so its answers are checked by "
                    "a reference platform that replays them: set validation.reference=duckdb "
                    f"(not {reference!r})"
                )
        if getattr(self.mode, "timeout_s", None) is not None and not caps.cancel:
            raise ValueError(
                f"mode.timeout_s needs a platform that can cancel a query; {self.platform.name} cannot: "
                "set mode.timeout_s=null"
            )
        return self

    @classmethod
    def from_config(cls, config: Mapping[str, Any], context: RunContext) -> RunSpec:
        """Validate a composed config; raise ``SpecError`` with a one-paragraph message."""
        raw = dict(config)
        if "context" in raw:
            raise SpecError("context is not a config key: benchbox fills it in; remove it from your config")
        if isinstance(raw.get("experiment"), Mapping):
            raise SpecError(_headerless(raw["experiment"], context))
        try:
            spec = cls.model_validate({**raw, "context": context})
        except ValidationError as exc:
            raise SpecError(describe(exc, raw)) from None
        problem = _partial_performance_test(spec)
        if problem:
            raise SpecError(problem)
        return spec

    @property
    def spec_hash(self) -> str:
        """sha256 of the canonical spec, leaving out where and how it ran (context and the fields a
        replay takes from this machine, ``replay.LOCAL``: data_dir, progress, reuse_warm_process, ...),
        and whether a page is drawn of it (export.report)."""
        skip: dict[str, Any] = dict.fromkeys(("context", *LOCAL), True)
        body = self.model_dump(mode="json", exclude={**skip, "export": {"report"}})
        return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _headerless(keys: Mapping[str, Any], context: RunContext) -> str:
    """An experiment file without ``# @package _global_`` puts its keys under ``experiment.``."""
    name = context.experiment or "..."
    files = [Path(d) / "experiment" / f"{name}.yaml" for d in context.config_dirs]
    file = next((str(f) for f in files if f.is_file()), f"experiment/{name}.yaml")
    landed = ", ".join(f"experiment.{key}" for key in keys)
    return (
        f"experiment={name} set {landed} instead of {', '.join(map(str, keys))}: its file {file} lacks the "
        "header that makes an experiment's keys apply from the root of the config: make "
        "`# @package _global_` its first line"
    )


def _partial_performance_test(spec: RunSpec) -> str | None:
    """mode=tpc is the benchmark's performance test, whose metrics are defined over its whole query set
    (the queries its default config selects): a run of fewer queries would end with null metrics.

    Checked on the composed config (``from_config``), not in the model, so that a program can still
    build a spec of a few queries to exercise the mode's path. The benchmark does not yet say
    itself whether a mode's metrics need every query; the default query set stands in for that."""
    if not isinstance(spec.mode, TpcMode):
        return None
    benchmark = _BENCHMARKS[spec.benchmark.name]
    chosen = [q.id for q in benchmark(spec.benchmark).queries(None)]
    full = [q.id for q in benchmark(benchmark.Config(name=benchmark.name)).queries(None)]
    if set(chosen) >= set(full):
        return None
    return (
        f"mode=tpc is the {benchmark.title} performance test, whose metrics need all {len(full)} of its "
        f"queries, and this run selects {len(chosen)} ({', '.join(chosen)}), so they would be null: select "
        "them all (benchmark.queries=null), or time a subset with mode=power or mode=throughput"
    )


def describe(exc: ValidationError, raw: Mapping[str, Any]) -> str:
    """Turn pydantic's errors into sentences that quote the key and value and give the fix."""
    return " ".join(_sentence(error, raw) for error in exc.errors())


def _sentence(error: Any, raw: Mapping[str, Any]) -> str:
    keys, model = _resolve(error["loc"], raw)
    path = ".".join(keys)
    if error["type"] == "extra_forbidden":
        known = [".".join([*keys[:-1], n]) for n in _fields(model) if n != "context"]
        guess = difflib.get_close_matches(path, known, n=1, cutoff=0.6)
        hint = f"did you mean {guess[0]}? " if guess else ""
        return f"{path} is not a known key: {hint}Known keys here: {', '.join(sorted(known))}."
    if error["type"] == "missing":
        field = _fields(model).get(keys[-1]) if keys else None
        fix = f" ({field.description})" if field is not None and field.description else ""
        return f"{path} is missing: set it in your config or with {path}=...{fix}."
    if error["type"] in ("model_attributes_type", "dict_type") and len(keys) == 1 and keys[0] in _UNIONS:
        return (
            f"{path}={_value_of(keys, raw)!r} is a group choice, but this config has no defaults list for it "
            f"(as when replaying a .hydra/config.yaml): set its keys instead, e.g. {path}.name=..."
        )
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        options = error.get("ctx", {}).get("expected_tags", "")
        return f"{path}.name={_value_of([*keys, 'name'], raw)!r} is not known: use one of {options}."
    if not keys:  # a rule about the whole spec (an impossible combination): the reason says it all
        return error["msg"].removeprefix("Value error, ").rstrip(".") + "."
    value = _redact_value(path, _value_of(keys, raw))
    if isinstance(value, Mapping):  # a rule about a group's keys together: its reason names them
        choice = f"={value['name']}" if "name" in value else ""
        return f"{path}{choice}: {error['msg'].removeprefix('Value error, ').rstrip('.')}."
    field = _fields(model).get(keys[-1]) if model is not None and keys else None
    fix = f": {field.description}" if field is not None and field.description else ""
    reason = error["msg"].removeprefix("Value error, ")
    return f"{path}={value!r} is not allowed ({reason}){fix}."


def _redact_value(path: str, value: Any) -> Any:
    """Never echo a secret in an error message: a secret-named key's value, a URL's password or token."""
    if mentions_secret(path):
        return "***"
    return redact_text(value) if isinstance(value, str) else value


def _resolve(loc: tuple[Any, ...], raw: Mapping[str, Any]) -> tuple[list[str], type[BaseModel] | None]:
    """Map a pydantic location (which includes union tags) to config keys and the owning model."""
    keys: list[str] = []
    model: type[BaseModel] | None = RunSpec
    node: Any = raw
    tagged = False
    for part in loc:
        if not isinstance(part, str):  # a list index: the value belongs to the key before it
            break
        if isinstance(node, Mapping) and part in node:
            keys.append(part)
            node = node[part]
            if len(keys) > 1 or part not in _UNIONS:
                field = _fields(model).get(part) if model is not None else None
                sub = field.annotation if field is not None else None
                model = sub if isinstance(sub, type) and issubclass(sub, BaseModel) else model
        elif keys and keys[-1] in _UNIONS and len(keys) == 1 and not tagged:
            model = _UNIONS[keys[-1]].get(part)  # the discriminator tag names the variant
            tagged = True
        else:
            keys.append(part)  # a key the config lacks (a missing one)
    return keys, model


def _fields(model: type[BaseModel] | None) -> dict[str, Any]:
    return dict(model.model_fields) if model is not None else {}


def _value_of(keys: list[str], raw: Mapping[str, Any]) -> Any:
    node: Any = raw
    for key in keys:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


_UNIONS: dict[str, dict[str, type[BaseModel]]] = {
    "platform": {name: m.Config for name, m in _PLATFORM_MODULES.items()},
    "benchmark": {name: b.Config for name, b in _BENCHMARKS.items()},
    "mode": {
        m.model_fields["name"].default: m
        for m in (PowerMode, ThroughputMode, MaintenanceMode, TpcMode, DataOnlyMode, LoadOnlyMode, DryRunMode)
    },
}


CONFIG_ONLY_KEYS = ("replay",)
"""Keys of the config that the config -> RunSpec step reads and the spec does not hold
(``replay``: the ``result.json`` whose spec to run, ``benchbox.replay``)."""


def known_keys(choices: Mapping[str, list[str]] | None = None) -> list[str]:
    """Every dotted key a config may set.

    Where the chosen options of a group are known (``{"mode": ["dry_run"]}``; several
    in a sweep), a key must suit every one of them; otherwise any option's keys count.
    """
    keys = [name for name in RunSpec.model_fields if name != "context"] + list(CONFIG_ONLY_KEYS)
    for group, variants in {
        **_UNIONS,
        "export": {"": ExportConfig},
        "validation": {"": ValidationConfig},
    }.items():
        names = (choices or {}).get(group, [])
        if names and all(n in variants for n in names):
            fields = set.intersection(*(set(variants[n].model_fields) for n in names))
        else:
            fields = {field for model in variants.values() for field in model.model_fields}
        keys += sorted(f"{group}.{field}" for field in fields)
    return keys
