"""Where the configs are, and the checks Hydra's own errors would make cryptic.

Hydra composes; this module only puts the config folders (``configdirs``) on Hydra's
search path in their order and, before Hydra runs, checks the command line's group
choices and keys against what exists, so that ``platform=duckbd`` or
``mode.iteratons=3`` end with a did-you-mean and exit code 2 instead of a composition
error, and refuses secrets on the command line before Hydra copies it into the run
folder. The checks read Hydra's whole override grammar (``glob()``, ``interval()``, the
optimising sweepers' forms) and leave what they cannot enumerate to Hydra. While Hydra
runs, ``hydra_reports`` turns the mistakes only Hydra finds (a YAML file that does not
parse, a run folder it cannot create) into the same one line and exit code 2.
"""

from __future__ import annotations

import difflib
import functools
import os
import shlex
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from benchbox.configdirs import (
    CONFIG_DIR,
    CONFIG_NAME,
    after_mine,
    checked_folders,
    config_folders,
    searchpath_entries,
    standing_problem,
    with_standing,
)

GROUPS = ("platform", "benchmark", "mode", "export", "experiment")
_HYDRA_INFO_FLAGS = {"--hydra-help", "--info", "-i", "--shell-completion", "-sc"}


@dataclass(frozen=True)
class Subcommand:
    """``benchbox compare ...``: a results command, which reads finished runs and never starts one."""

    name: str
    argv: list[str]

    def exit(self) -> NoReturn:
        """Run the command and exit with its code."""
        import importlib

        sys.exit(importlib.import_module(f"benchbox.report.{self.name}").main(self.argv))


@dataclass(frozen=True)
class Early:
    """The command ends before Hydra runs: with help text (exit 0) or a user error (exit 2)."""

    text: str
    code: int

    def exit(self) -> NoReturn:
        """Print the text (help to stdout, errors to stderr on one line) and exit."""
        if self.code == 0:
            sys.stdout.write(self.text)
        else:
            sys.stderr.write(f"benchbox: error: {' '.join(self.text.split())}\n")
        sys.exit(self.code)


def preflight(argv: list[str]) -> Early | Subcommand | None:
    """Answer ``--help`` quickly, hand a results command (``compare``) its arguments, or report the
    first mistake on the command line; else None (Hydra runs)."""
    from benchbox.report import SUBCOMMANDS

    if argv and argv[0] in SUBCOMMANDS:
        return Subcommand(argv[0], argv[1:])
    if "--version" in argv:  # Hydra's own flag would print Hydra's version
        return Early(version(), 0)
    if {"-h", "--help"}.intersection(argv):
        return Early(usage(argv), 0)
    if _HYDRA_INFO_FLAGS.intersection(argv):
        return None
    problem = _problem(argv)
    return Early(problem, 2) if problem else None


def version() -> str:
    """``benchbox --version``: benchbox's version, and the Hydra and Python it runs on."""
    import platform
    from importlib.metadata import version as installed

    from benchbox import __version__

    return (
        f"benchbox {__version__} (hydra-core {installed('hydra-core')}, Python {platform.python_version()})\n"
    )


def search_order(argv: list[str]) -> tuple[str, list[str]]:
    """Set up Hydra's search path in benchbox's order (``configdirs``): the command's folders, the
    standing ones, the shipped one.

    Hydra searches its config path before any ``hydra.searchpath`` entry, so the config path is
    the first folder in that order: ``--config-dir``, else the first ``file://`` entry of a
    ``hydra.searchpath=[...]`` (a ``pkg://`` one when it comes first), else the first standing
    folder, else the shipped ``conf/`` itself; never benchbox's Python package, whose
    subpackages tab completion would offer as config groups. The folders after it come through
    ``hydra.searchpath``, set in the primary config, which is registered in Hydra's ConfigStore
    (searched last, and only the primary lives there). A ``hydra.searchpath=[...]`` of the
    user's would replace the primary's entries, so the standing and shipped folders are appended
    to it.

    Tab completion (``-sc query=bash``) gets the words being completed in ``COMP_LINE``, not in
    ``argv``: their ``--config-dir`` and ``hydra.searchpath`` count too, so a user folder's
    options are offered.

    Hydra's ``glob()`` lists only the search path Hydra starts with, which holds none of the
    ``hydra.searchpath`` entries (a glob would sweep too little), so a ``glob()`` of one of
    benchbox's groups becomes the ``choice()`` of the options it matches in the same folders
    the preflight checks read.

    Returns Hydra's ``config_path`` and the arguments without ``--config-dir``.
    """
    config_dir, rest = _without_config_dir(argv)
    searchpath = [entry for arg in rest for entry in searchpath_entries(arg) or []]
    folders = checked_folders(config_dir, searchpath)
    rest = [_choice_of_glob(with_standing(arg), folders) for arg in rest]
    config_path = _first(config_dir, searchpath, completing=bool(_HYDRA_INFO_FLAGS.intersection(argv)))
    if config_path != str(CONFIG_DIR.resolve()):  # else the shipped benchbox.yaml is the primary itself
        from hydra.core.config_store import ConfigStore
        from omegaconf import OmegaConf

        primary = OmegaConf.load(CONFIG_DIR / f"{CONFIG_NAME}.yaml")
        primary.hydra.searchpath = after_mine()
        ConfigStore.instance().store(name=CONFIG_NAME, node=primary)
    return config_path, rest


def _first(config_dir: str | None, searchpath: list[str], completing: bool) -> str:
    """Hydra's config path: the first folder in benchbox's search order (see ``search_order``)."""
    if config_dir is None and completing:
        completed, _ = _without_config_dir(_words(os.environ.get("COMP_LINE", ""))[1:])
        if completed is not None and Path(completed).is_dir():  # the line being completed names it
            config_dir = completed
    if config_dir is not None:
        return str(Path(config_dir).resolve())
    first = next((entry for entry in searchpath if entry.startswith(("file://", "pkg://"))), None)
    if first is not None:
        return first if first.startswith("pkg://") else str(Path(first[len("file://") :]).resolve())
    return str(config_folders(None)[0].resolve())


def _words(line: str) -> list[str]:
    """A shell line's words; a line cut inside a quote (as it is while being typed) too."""
    try:
        return shlex.split(line)
    except ValueError:
        return line.split()


def _without_config_dir(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--config-dir DIR`` (or ``-cd DIR``, ``--config-dir=DIR``) and the other arguments."""
    for i, arg in enumerate(argv):
        flag, eq, value = arg.partition("=")
        if flag in ("-cd", "--config-dir"):
            if eq:
                return value, argv[:i] + argv[i + 1 :]
            if i + 1 < len(argv):
                return argv[i + 1], argv[:i] + argv[i + 2 :]
    return None, list(argv)


def _choice_of_glob(arg: str, folders: list[Path]) -> str:
    """``platform=glob(duck*)`` -> ``platform=choice(duckdb)``: the options it matches in ``folders``."""
    if "glob(" not in arg:
        return arg
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.core.override_parser.types import Glob
    from hydra.errors import HydraException

    try:
        override = OverridesParser.create().parse_override(arg)
    except HydraException:
        return arg  # not an override (or not one Hydra parses): left to Hydra
    if override.key_or_group not in GROUPS or not isinstance(override.value(), Glob):
        return arg
    matches = _values(override, folders) if folders else []
    return f"{override.get_key_element()}=choice({','.join(matches)})" if matches else arg


@contextmanager
def hydra_reports() -> Iterator[None]:
    """Run Hydra with its failures raised to benchbox rather than printed (``HYDRA_FULL_ERROR=1``).

    A mistake that only Hydra finds (a config file that is not valid YAML, a run folder it
    cannot create, a composition error) then ends like every other user mistake: one line
    on stderr and exit code 2 (``Early``). Anything else, a failure of benchbox code that
    Hydra called included, is reported exactly as Hydra would report it (its shortened
    traceback, exit code 1), or re-raised if the user set ``HYDRA_FULL_ERROR`` themselves.
    """
    previous = os.environ.get("HYDRA_FULL_ERROR")
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        yield
    except Exception as exc:
        _restore("HYDRA_FULL_ERROR", previous)
        problem = hydra_problem(exc) or _sweeper_gave_up(exc)
        if problem is not None:
            Early(problem, 2).exit()
        from hydra._internal.utils import run_and_report

        run_and_report(functools.partial(_reraise, exc))  # exits 1, or raises with HYDRA_FULL_ERROR=1
        raise
    finally:
        _restore("HYDRA_FULL_ERROR", previous)


def _sweeper_gave_up(exc: BaseException) -> str | None:
    """An optimising sweeper that stops because no trial gave it a number (optuna: "No trials are
    completed yet") after every job's config was refused (a search space of values the keys refuse,
    such as fractions for an integer): the jobs' own lines above say why, this one says what ended."""
    from benchbox.exit_codes import CODES

    if not CODES or any(code != 2 for code in CODES) or _through_benchbox(exc):
        return None
    return (
        f"the sweeper stopped ({' '.join(str(exc).split()) or type(exc).__name__}): every one of its "
        f"{len(CODES)} jobs was refused, for the reasons above; fix the search space or the config"
    )


def _reraise(exc: BaseException) -> NoReturn:
    raise exc


def _restore(variable: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = value


def hydra_problem(exc: BaseException) -> str | None:
    """The one-line message for a user's mistake that Hydra (or OmegaConf, or YAML) raised itself, or
    None: an exception that passed through benchbox code Hydra called (a job, a callback) is not
    Hydra's finding, and neither is one of a kind that no user can cause."""
    import yaml
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    chain: list[BaseException] = []
    while exc is not None and exc not in chain:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    if any(_through_benchbox(e) for e in chain):
        return None
    first = chain[0]
    if isinstance(first, yaml.YAMLError):
        return _yaml_problem(first)
    if isinstance(first, OSError):
        where = f"{first.filename}: " if first.filename else ""
        return (
            f"Hydra cannot create the run folder or its files ({where}{first.strerror or first}): set "
            "hydra.run.dir=... (hydra.sweep.dir=... with -m) to a folder you can write, e.g. "
            "hydra.run.dir=outputs/run1"
        )
    if isinstance(first, (HydraException, OmegaConfBaseException)):
        causes = [str(e) for e in chain[1:2] if isinstance(e, OmegaConfBaseException)]
        causes = [cause for cause in causes if cause not in str(first)]
        return " ".join(" ".join([str(first), *causes]).split())
    if _raised_in(first, ("hydra", "omegaconf")) and not isinstance(first, AssertionError) and str(first):
        # Hydra refusing the command line in a plain exception (``--resolve`` without ``--cfg``)
        return " ".join(str(first).split())
    return None


def _raised_in(exc: BaseException, packages: tuple[str, ...]) -> bool:
    """Whether the innermost frame of ``exc`` belongs to one of ``packages``."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__name__", "").split(".")[0] in packages


def _through_benchbox(exc: BaseException) -> bool:
    """Whether ``exc`` was raised in benchbox code below a Hydra frame (so not by Hydra itself)."""
    tb, below_hydra = exc.__traceback__, False
    while tb is not None:
        ours = tb.tb_frame.f_globals.get("__name__", "").split(".")[0] == "benchbox"
        if ours and below_hydra:
            return True
        below_hydra = below_hydra or not ours
        tb = tb.tb_next
    return False


def _yaml_problem(exc: Any) -> str:
    """``bench/experiment/bad.yaml is not valid YAML (expected ',' or ']', but got ':' at line 4, ...)``."""
    mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    name = mark.name if mark is not None else "a config file"
    what = f"{getattr(exc, 'problem', None) or exc}"
    what += f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    if getattr(exc, "context", None) and context is not None:
        what += f", {exc.context} that starts at line {context.line + 1}, column {context.column + 1}"
    return f"{name} is not valid YAML ({what}): fix the file there"


def usage(argv: list[str]) -> str:
    """``benchbox --help``: built from the config folders without composing (Hydra's help takes ~1 s)."""
    config_dir = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-cd", "--config-dir")), None)
    searchpath = [entry for arg in argv for entry in searchpath_entries(arg) or []]
    folders = [f for f in config_folders(config_dir, searchpath) if f.is_dir()]
    groups = "\n".join(f"  {group:<11} {', '.join(options(group, folders))}" for group in GROUPS)
    return _USAGE.format(groups=groups)


_USAGE = """\
benchbox: analytic database benchmarks from declarative configs.

Usage: benchbox [--config-dir DIR] [-m] [--cfg job] [group=option ...] [key=value ...]
       benchbox compare BASELINE CANDIDATE [--fail-on-regression 10%] [--format markdown]

With no arguments: TPC-H SF 0.1 on in-memory DuckDB, 1 warmup + 3 iterations,
every answer validated; results in outputs/<date>/<time>/.

Config groups (group=option):
{groups}

Examples:
  benchbox platform=sqlite benchmark.scale_factor=0.01 mode.iterations=5 export=all
  benchbox benchmark.queries=[1,6,14] mode.timeout_s=30
  benchbox mode=dry_run                       render every query's SQL into <run>/sql/
  benchbox -m platform=duckdb,sqlite benchmark.scale_factor=0.01,0.1
  benchbox --config-dir ./bench experiment=nightly
  benchbox replay=outputs/DATE/TIME/result.json   run a finished run's spec again
  benchbox compare outputs/DAY/BEFORE outputs/DAY/AFTER --fail-on-regression 10%

Flags:
  --cfg job      show the composed config and exit
  --version      benchbox's version
  -m             multirun: sweep over comma-separated values
  --hydra-help   Hydra's own flags (hydra.run.dir=..., launchers, ...)

Exit codes: 0 ok, 1 failed/timed-out/mismatched queries, 2 config error, 130 interrupted.
Docs: docs/configuration.md, docs/results.md
"""


def _problem(argv: list[str]) -> str | None:
    from hydra._internal.utils import get_args_parser
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    from benchbox.redact import holds_secret

    args, _ = get_args_parser().parse_known_args(argv)
    searchpath = [e for arg in args.overrides for e in searchpath_entries(arg) or []]
    if args.config_dir is not None and not Path(args.config_dir).is_dir():
        return f"--config-dir {args.config_dir} is not a folder: give the folder with your experiment/ files"
    if standing_problem():
        return standing_problem()
    missing = [e for e in searchpath if e.startswith("file://") and not Path(e[len("file://") :]).is_dir()]
    if missing:
        return (
            f"hydra.searchpath entry {missing[0]} is not a folder: give file:// and the folder with "
            "your experiment/ files"
        )
    try:
        overrides = OverridesParser.create().parse_overrides(args.overrides)
    except HydraException as exc:
        return f"cannot parse the overrides: {exc}"
    folders = checked_folders(args.config_dir, searchpath)
    choices = _choices(overrides, folders)
    for override in overrides:
        key = override.key_or_group
        values = _values(override, folders)
        if not override.is_delete() and any(holds_secret(key, v) for v in values):
            return (
                f"{key}=... holds a secret: benchbox takes none on the command line, because Hydra "
                "records the command line in the run folder. Put the password in an environment variable "
                "or a file and name it with platform.password_env or platform.password_file "
                "(Spark Connect: SPARK_CONNECT_AUTHENTICATE_TOKEN)"
            )
        if key.split(".")[0].split("/")[0] == "hydra" or override.is_delete():
            continue
        if key in GROUPS:
            problem = _check_choices(override, values, folders)
        elif not override.is_add() and not override.is_force_add():
            problem = _check_key(key, choices)
        else:
            problem = None
        if problem:
            return problem
    return None


def _choices(overrides: list, folders: list[Path]) -> dict[str, list[str]]:
    """The options each group will use: from the command line, else the primary config's defaults.

    An experiment may switch any group, so with one on the command line only the
    groups chosen explicitly are known; a choice that is not a list of values (an optimising
    sweeper's ``interval()``) leaves its group unknown.
    """
    import yaml

    chosen = {o.key_or_group: _values(o, folders) for o in overrides if o.key_or_group in GROUPS}
    chosen = {group: values for group, values in chosen.items() if values}
    if chosen.get("experiment", ["null"]) != ["null"]:
        return chosen
    defaults = yaml.safe_load((CONFIG_DIR / f"{CONFIG_NAME}.yaml").read_text())["defaults"]
    for entry in defaults:
        if isinstance(entry, dict):
            for group, value in entry.items():
                chosen.setdefault(group, [str(value)])
    return chosen


def _values(override: Any, folders: list[Path]) -> list[str]:
    """The values an override sets, as strings: one, a sweep's list, the options a ``glob()`` of a group
    matches in ``folders``; none for what only a sweeper enumerates (``interval()``) or where the
    options are not known here (no folders)."""
    from hydra.core.override_parser.types import Glob

    if not override.is_sweep_override():
        return [str(override.value())]
    if isinstance(override.value(), Glob):
        return override.value().filter(options(override.key_or_group, folders)) if folders else []
    if not override.is_discrete_sweep():
        return []
    return list(override.sweep_string_iterator())


def options(group: str, folders: Iterable[Path]) -> list[str]:
    """The choices a config group has across the given config folders."""
    return sorted({f.stem for folder in folders for f in (folder / group).glob("*.yaml")})


def _check_choices(override: Any, values: list[str], folders: list[Path]) -> str | None:
    from hydra.core.override_parser.types import Glob

    if not folders:
        return None
    group = override.key_or_group
    available = options(group, folders)
    if isinstance(override.value(), Glob) and not values:
        listed = ", ".join(available) or "none"
        return f"{override.input_line} matches no option of {group}: Available: {listed}."
    for value in values:
        if value not in available and value != "null":
            guess = difflib.get_close_matches(value, available, n=1)
            hint = f"did you mean {group}={guess[0]}? " if guess else ""
            return f"{group}={value} does not exist: {hint}Available: {', '.join(available) or 'none'}."
    return None


def _check_key(key: str, choices: dict[str, list[str]]) -> str | None:
    from benchbox.spec import known_keys

    keys = known_keys(choices)
    if key in keys:
        return None
    group, _, leaf = key.rpartition(".")
    siblings = {k.rpartition(".")[2]: k for k in keys if k.rpartition(".")[0] == group}
    guess = difflib.get_close_matches(leaf, list(siblings), n=1, cutoff=0.6)
    hint = f"did you mean {siblings[guess[0]]}? " if guess else ""
    which = f" with {group}={','.join(choices[group])}" if group in choices else ""
    return f"{key} is not a known key{which}: {hint}See `benchbox --cfg job` for the keys of your config."
