"""The error hierarchy: one root, so the CLI can tell a user's mistake from a bug.

A ``BenchboxError`` carries a message meant for people (what failed, the value, the
fix) and the process exit code it maps to. Anything that is not a ``BenchboxError``
is a bug and may show a traceback.
"""

from __future__ import annotations


class BenchboxError(Exception):
    """Root of every error benchbox raises on purpose."""

    exit_code = 1


class SpecError(BenchboxError):
    """The composed configuration is not a valid RunSpec (a user's mistake)."""

    exit_code = 2


class PlatformError(BenchboxError):
    """A platform could not be used or failed outside a single query."""


class DriverMissingError(PlatformError):
    """The platform's driver package is not installed (the user must install an extra)."""

    exit_code = 2


class ConnectError(PlatformError):
    """The platform's server cannot be reached, or refuses the login, with the config's settings (host,
    port, user, database, password): a mistake the user fixes in the config (or a server to
    start), found when the run connects, so a user error like the spec's."""

    exit_code = 2


class DataError(BenchboxError):
    """Benchmark data could not be generated or read."""


class PhaseError(BenchboxError):
    """A lifecycle phase failed; wraps the cause once and names the phase."""

    def __init__(self, phase: str, cause: BaseException) -> None:
        super().__init__(f"phase '{phase}' failed: {cause}")
        self.phase = phase
        self.cause = cause
        self.exit_code = getattr(cause, "exit_code", 1)  # a missing driver stays a user error (2)


class ExportError(BenchboxError):
    """Results could not be written."""


class RunInterrupted(KeyboardInterrupt):
    """SIGTERM arrived: handled like Ctrl-C so that a partial result is still written."""
