"""Where the configs are, and the checks Hydra's own errors would make cryptic.

Hydra composes; this module only finds the shipped config folder and, before
Hydra runs, checks the command line's group choices and keys against what exists,
so that ``platform=duckbd`` or ``mode.iteratons=3`` end with a did-you-mean and
exit code 2 instead of a composition error, and refuses secrets on the command line
before Hydra copies it into the run folder.
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

_PACKAGED = Path(__file__).parent / "conf"
CONFIG_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "conf"
"""The shipped configs: inside the wheel when installed, the repo's ``conf/`` in a checkout."""
CONFIG_NAME = "benchbox"
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
    if {"-h", "--help"}.intersection(argv):
        return Early(usage(argv), 0)
    if _HYDRA_INFO_FLAGS.intersection(argv):
        return None
    problem = _problem(argv)
    return Early(problem, 2) if problem else None


def search_order(argv: list[str]) -> tuple[str | None, list[str]]:
    """Set up Hydra's search path so that a user's ``--config-dir`` is searched first.

    Hydra searches its config path before any ``--config-dir``, so a user's
    ``experiment/nightly.yaml`` would be shadowed by a shipped one of the same name.
    Instead, the user's folder becomes the config path, the shipped groups come after
    it through ``hydra.searchpath``, and the primary config is registered in Hydra's
    ConfigStore (searched last, and only the primary lives there). Returns Hydra's
    ``config_path`` and the arguments without ``--config-dir``.
    """
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    primary = OmegaConf.load(CONFIG_DIR / f"{CONFIG_NAME}.yaml")
    primary.hydra.searchpath = [f"file://{CONFIG_DIR}"]
    ConfigStore.instance().store(name=CONFIG_NAME, node=primary)
    for i, arg in enumerate(argv):
        flag, eq, value = arg.partition("=")
        if flag in ("-cd", "--config-dir"):
            folder, rest = (
                (value, argv[:i] + argv[i + 1 :]) if eq else (argv[i + 1], argv[:i] + argv[i + 2 :])
            )
            return str(Path(folder).resolve()), rest
    return None, argv


def _config_folders(config_dir: str | None) -> list[Path]:
    return [CONFIG_DIR] if config_dir is None else [Path(config_dir), CONFIG_DIR]


def usage(argv: list[str]) -> str:
    """``benchbox --help``: built from the config folders without composing (Hydra's help takes ~1 s)."""
    config_dir = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-cd", "--config-dir")), None)
    folders = [f for f in _config_folders(config_dir) if f.is_dir()]
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
  benchbox mode=dry_run                       render every query's SQL; touch no data
  benchbox -m platform=duckdb,sqlite benchmark.scale_factor=0.01,0.1
  benchbox --config-dir ./bench experiment=nightly
  benchbox --config-dir outputs/DATE/TIME/.hydra --config-name config   (replay)
  benchbox compare outputs/DAY/BEFORE outputs/DAY/AFTER --fail-on-regression 10%

Flags:
  --cfg job      show the composed config and exit
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
    folders = _config_folders(args.config_dir)
    if not folders[0].is_dir():
        return f"--config-dir {args.config_dir} is not a folder: give the folder with your experiment/ files"
    try:
        overrides = OverridesParser.create().parse_overrides(args.overrides)
    except HydraException as exc:
        return f"cannot parse the overrides: {exc}"
    choices = _choices(overrides)
    for override in overrides:
        key = override.key_or_group
        if not override.is_delete() and any(holds_secret(key, v) for v in _values(override)):
            return (
                f"{key}=... holds a secret: benchbox takes none on the command line, because Hydra "
                "records the command line in the run folder. Put the password in an environment variable "
                "or a file and name it with platform.password_env or platform.password_file "
                "(Spark Connect: SPARK_CONNECT_AUTHENTICATE_TOKEN)"
            )
        if key.split(".")[0].split("/")[0] == "hydra" or override.is_delete():
            continue
        if key in GROUPS:
            problem = _check_choices(key, _values(override), folders)
        elif not override.is_add() and not override.is_force_add():
            problem = _check_key(key, choices)
        else:
            problem = None
        if problem:
            return problem
    return None


def _choices(overrides: list) -> dict[str, list[str]]:
    """The options each group will use: from the command line, else the primary config's defaults.

    An experiment may switch any group, so with one on the command line only the
    groups chosen explicitly are known.
    """
    import yaml

    chosen = {o.key_or_group: _values(o) for o in overrides if o.key_or_group in GROUPS}
    if chosen.get("experiment", ["null"]) != ["null"]:
        return chosen
    defaults = yaml.safe_load((CONFIG_DIR / f"{CONFIG_NAME}.yaml").read_text())["defaults"]
    for entry in defaults:
        if isinstance(entry, dict):
            for group, value in entry.items():
                chosen.setdefault(group, [str(value)])
    return chosen


def _values(override: object) -> list[str]:
    if override.is_sweep_override():  # type: ignore[attr-defined]
        return list(override.sweep_string_iterator())  # type: ignore[attr-defined]
    return [str(override.value())]  # type: ignore[attr-defined]


def options(group: str, folders: Iterable[Path]) -> list[str]:
    """The choices a config group has across the given config folders."""
    return sorted({f.stem for folder in folders for f in (folder / group).glob("*.yaml")})


def _check_choices(group: str, values: list[str], folders: list[Path]) -> str | None:
    available = options(group, folders)
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
