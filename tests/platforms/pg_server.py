"""A throwaway PostgreSQL server for the tests: its own data directory, port and password.

The contract suite runs the real ``benchbox`` command against a real server, so this
module starts one from the PostgreSQL binaries on the machine (``initdb``, ``pg_ctl``):
listening only on 127.0.0.1 on a free port, password (SCRAM) authentication for the
``benchbox`` role over TCP, and a Unix socket in the server's own 0700 directory for
the setup. ``initdb`` refuses to run as root, so as root the binaries run as the
``postgres`` OS user. ``stop`` shuts the server down and removes every file.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "apt-get install -y postgresql"
PASSWORD_ENV = "BENCHBOX_TEST_PGPASSWORD"
"""The variable the fixture puts the benchbox role's password in (the runs read it via password_env)."""
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    # A throwaway server: durability costs load time and buys nothing here.
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "20",
}


class ServerUnavailable(RuntimeError):
    """The server cannot be started here; the message says what to install or fix."""


def find_bindir() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``: on PATH, else the newest in /usr/lib/postgresql."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(d) for d in versions), key=lambda d: _major(d.parent.name), reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise ServerUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in "
        f"/usr/lib/postgresql/*/bin; the postgresql platform's tests start a throwaway server: "
        f"install them with `{INSTALL_HINT}`"
    )


def _major(name: str) -> int:
    return int(name) if name.isdigit() else -1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PgServer:
    """A running throwaway server and the role and database the tests use."""

    root: Path
    bindir: Path
    port: int
    password: str
    host: str = "127.0.0.1"
    user: str = "benchbox"
    database: str = "benchbox"

    @classmethod
    def start(cls) -> PgServer:
        """initdb, start, create the ``benchbox`` role (with a random password) and its database."""
        bindir = find_bindir()
        as_root = os.geteuid() == 0
        if as_root:
            try:
                import pwd

                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise ServerUnavailable(
                    "initdb refuses to run as root and there is no 'postgres' OS user to run it as: "
                    f"`{INSTALL_HINT}` creates one (or run the tests as a non-root user)"
                ) from None
        # Under /tmp: the postgres user must reach it, and the socket path must stay short.
        root = Path(tempfile.mkdtemp(prefix="benchbox-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
        if as_root:
            os.chown(root, owner.pw_uid, owner.pw_gid)
        server = cls(root, bindir, _free_port(), secrets.token_urlsafe(24))
        try:
            server._init_and_start()
            server._create_role()
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*prefix, *args], cwd=self.root, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise ServerUnavailable(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}{tail}")

    @property
    def data(self) -> Path:
        """The data directory."""
        return self.root / "data"

    def _init_and_start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--no-locale",
            "--encoding=UTF8",
            "--no-sync",
            "--auth-local=trust",  # only through the socket in self.root, which is 0700
            "--auth-host=scram-sha-256",
        )
        settings = {**_SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.root}'"}
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "start",
        )

    def _create_role(self) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(
            host=str(self.root), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(self.user), sql.Literal(self.password)
                )
            )
            admin.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(self.database), sql.Identifier(self.user)
                )
            )

    def overrides(self) -> list[str]:
        """The command-line overrides that point ``platform=postgresql`` at this server."""
        return [
            f"platform.host={self.host}",
            f"platform.port={self.port}",
            f"platform.user={self.user}",
            f"platform.database={self.database}",
            f"platform.password_env={PASSWORD_ENV}",
        ]

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its directory."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
