"""Where the configs are, and the checks Hydra's own errors would make cryptic.

Hydra composes; this module only finds the shipped config folder and, before
Hydra runs, checks the command line's group choices and keys against what exists,
so that ``platform=duckbd`` or ``mode.iteratons=3`` end with a did-you-mean and
exit code 2 instead of a composition error.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

_PACKAGED = Path(__file__).parent / "conf"
CONFIG_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "conf"
"""The shipped configs: inside the wheel when installed, the repo's ``conf/`` in a checkout."""
CONFIG_NAME = "benchbox"
GROUPS = ("platform", "benchmark", "mode", "export", "experiment")
_HELP_FLAGS = {"-h", "--help", "--hydra-help", "--info", "-i", "--shell-completion", "-sc"}


def preflight(argv: list[str]) -> str | None:
    """Return a message for the first mistake on the command line, or None when it looks right."""
    if _HELP_FLAGS.intersection(argv):
        return None
    from hydra._internal.utils import get_args_parser
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    args, _ = get_args_parser().parse_known_args(argv)
    folders = [CONFIG_DIR]
    if args.config_dir is not None:
        extra = Path(args.config_dir)
        if not extra.is_dir():
            return (
                f"--config-dir {args.config_dir} is not a folder: "
                "give the folder that holds your experiment/ configs"
            )
        folders.insert(0, extra)
    try:
        overrides = OverridesParser.create().parse_overrides(args.overrides)
    except HydraException as exc:
        return f"cannot parse the overrides: {exc}"
    for override in overrides:
        key = override.key_or_group
        if key.split(".")[0] == "hydra" or override.is_delete():
            continue
        if key in GROUPS:
            problem = _check_choices(key, _values(override), folders)
        elif not override.is_add() and not override.is_force_add():
            problem = _check_key(key)
        else:
            problem = None
        if problem:
            return problem
    return None


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


def _check_key(key: str) -> str | None:
    from benchbox.spec import known_keys

    keys = known_keys()
    if key in keys:
        return None
    guess = difflib.get_close_matches(key, keys, n=1, cutoff=0.6)
    hint = f"did you mean {guess[0]}? " if guess else ""
    return f"{key} is not a known key: {hint}See `benchbox --cfg job` for the keys of your config."
