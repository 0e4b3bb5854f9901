"""Every error message the docs quote is the one the command prints today: each ``$ benchbox ...``
line of a text block followed by a ``benchbox: error: ...`` line is run, and its stderr compared.

Lines whose command needs files the docs only describe (``--config-dir bench`` with a YAML file a
comment names) are listed in ``NEEDS_FILES`` and not run; every other quoted command is.
"""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
NEEDS_FILES = re.compile(r"--config-dir bench(\s|$)|#")
"""A command with a user's folder that the docs describe in a comment: not reproducible here."""


def _quoted() -> list[tuple[str, str, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        lines = page.read_text().splitlines()
        for number, (line, after) in enumerate(itertools.pairwise(lines), 1):
            quoted = line.startswith("$ benchbox ") and after.startswith("benchbox: error: ")
            if quoted and not NEEDS_FILES.search(line):
                found.append((f"{page.relative_to(DOCS)}:{number}", line[2:], after))
    return found


QUOTED = _quoted()

ELIDED = re.compile(r" \.\.\. |\(\.\.\.\)")
"""Where the docs leave out what depends on the machine (a driver's own words): `` ... `` and ``(...)``."""


def _pattern(expected: str) -> re.Pattern[str]:
    parts = ELIDED.split(expected)
    gaps = ELIDED.findall(expected)
    body = re.escape(parts[0])
    for gap, part in zip(gaps, parts[1:], strict=True):
        body += (" .+ " if gap.startswith(" ") else r"\(.+\)") + re.escape(part)
    return re.compile(body)


def test_the_docs_quote_errors() -> None:
    assert len(QUOTED) >= 30, "the parser found the quoted errors"


@pytest.mark.parametrize(("where", "command", "expected"), QUOTED, ids=[q[0] for q in QUOTED])
def test_a_quoted_error_is_what_the_command_prints(
    benchbox, monkeypatch: pytest.MonkeyPatch, where: str, command: str, expected: str
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)  # the docs quote a machine without one
    done = benchbox(*shlex.split(command)[1:])
    assert done.code == 2, f"{where}: {command}\n{done.stdout}{done.stderr}"
    assert _pattern(expected).fullmatch(done.stderr.strip()), f"{where}: {command}\n{done.stderr}"
