"""The folders configs come from, in the order they are searched.

1. ``--config-dir DIR`` (Hydra's flag), then the ``file://`` entries of ``hydra.searchpath=[...]``:
   what this command names;
2. the standing folders, searched on every command without being named: each folder in
   ``BENCHBOX_CONFIG_DIR`` (several separated by ``:``), then ``$XDG_CONFIG_HOME/benchbox``
   (``~/.config/benchbox``) when it exists, so a team's or a user's experiments and platforms
   need not be named on every command;
3. the shipped ``conf/``.

An option (``experiment/nightly.yaml``) in an earlier folder shadows one of the same name in a
later folder. benchbox puts these folders on Hydra's search path itself (``compose.search_order``)
rather than through a Hydra SearchPathPlugin: a plugin would apply to every Hydra application in
the environment, and the preflight checks must read the very same list.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

_PACKAGED = Path(__file__).parent / "conf"
CONFIG_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "conf"
"""The shipped configs: inside the wheel when installed, the repo's ``conf/`` in a checkout."""
CONFIG_NAME = "benchbox"

ENV = "BENCHBOX_CONFIG_DIR"
"""The environment variable naming standing config folders (``:``-separated)."""


def user_folder() -> Path:
    """``$XDG_CONFIG_HOME/benchbox``, by default ``~/.config/benchbox``."""
    base = os.environ.get("XDG_CONFIG_HOME") or "~/.config"
    return Path(base).expanduser() / "benchbox"


def standing() -> list[Path]:
    """The standing folders that exist, in search order (``BENCHBOX_CONFIG_DIR``'s, then the user's)."""
    named = [Path(entry).expanduser() for entry in os.environ.get(ENV, "").split(os.pathsep) if entry]
    folders = [*named, user_folder()]
    return [folder for folder in dict.fromkeys(folders) if _readable_folder(folder)]


def _readable_folder(path: Path) -> bool:
    """A folder this user can list (one it may not enter, such as another user's ``~/.config``,
    holds no configs for it)."""
    try:
        return path.is_dir() and os.access(path, os.R_OK | os.X_OK)
    except OSError:  # a parent it may not enter
        return False


def standing_problem() -> str | None:
    """A ``BENCHBOX_CONFIG_DIR`` entry that is not a folder (a typo would silently search nothing)."""
    for entry in os.environ.get(ENV, "").split(os.pathsep):
        if entry and not _readable_folder(Path(entry).expanduser()):
            return (
                f"{ENV}={os.environ[ENV]}: {entry} is not a folder this user can read: name the "
                "folder that holds your experiment/ (or platform/, ...) files, or unset it"
            )
    return None


def after_mine() -> list[str]:
    """The ``hydra.searchpath`` entries searched after the command's own folders: standing, shipped."""
    return [f"file://{folder}" for folder in [*standing(), CONFIG_DIR]]


def config_folders(config_dir: str | None, searchpath: Iterable[str] = ()) -> list[Path]:
    """Every folder an option may come from, in search order (see the module's docstring)."""
    mine = [Path(config_dir)] if config_dir is not None else []
    mine += [Path(entry.removeprefix("file://")) for entry in searchpath if entry.startswith("file://")]
    return list(dict.fromkeys([*mine, *standing(), CONFIG_DIR]))


def checked_folders(config_dir: str | None, searchpath: list[str]) -> list[Path]:
    """The folders whose options the checks (and a glob) go by: every folder an option may come from,
    or none when a ``hydra.searchpath`` entry is not a folder (``pkg://``), whose options only
    Hydra lists: then Hydra checks the choices, and expands the globs itself."""
    if any(not entry.startswith("file://") for entry in searchpath):
        return []
    return config_folders(config_dir, searchpath)


def searchpath_entries(arg: str) -> list[str] | None:
    """The entries of a ``hydra.searchpath=[...]`` override (``+``/``++`` too), else None."""
    key, eq, _ = arg.partition("=")
    if not eq or key.lstrip("+") != "hydra.searchpath":
        return None
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    try:
        value = OverridesParser.create().parse_override(arg).value()
    except HydraException:
        return None  # the preflight reports what cannot be parsed
    return [str(v) for v in value] if isinstance(value, list) else None


def with_standing(arg: str) -> str:
    """``hydra.searchpath=[file:///mine]`` -> ``hydra.searchpath=['file:///mine', <standing>, <shipped>]``:
    a user's list replaces the primary config's, which holds the standing and shipped folders."""
    entries = searchpath_entries(arg)
    if entries is None:
        return arg
    listed = ",".join(repr(entry) for entry in dict.fromkeys([*entries, *after_mine()]))
    return f"{arg.partition('=')[0]}=[{listed}]"
