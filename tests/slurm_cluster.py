"""A throwaway single-node Slurm cluster for the tests: its own munge key, database and ports.

The Slurm tests run the real ``benchbox -m hydra/launcher=submitit_slurm`` command as real jobs,
so this module starts every daemon a Slurm cluster needs from the binaries on the machine
(Debian's ``slurm-wlm``, ``slurmdbd``, ``munge`` and ``mariadb-server``), each in the foreground
as a child of the test process, with everything in one temporary folder:

- ``munged`` with a key of its own and its socket in that folder (Slurm finds it through
  ``AuthInfo=socket=...``), so the machine's own munge (if any) is never touched;
- ``mariadbd`` on a free port on 127.0.0.1, and ``slurmdbd`` storing job accounting in it:
  submitit asks ``sacct`` how a job without a result ended (``CANCELLED``, ``TIMEOUT``), and
  ``sacct`` answers only from a database;
- ``slurmctld`` and ``slurmd`` (node ``localhost`` at 127.0.0.1, partition ``debug``) on free
  ports, ``proctrack/linuxproc`` and ``task/none`` (no cgroups in a container).

``SLURM_CONF`` points the clients (``sbatch``, ``squeue``, ``scancel``, ``sacct``) at it. Every
wait polls for a condition with a generous deadline. ``stop`` cancels every job, ends each
daemon by its PID and removes the folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = "apt-get install -y slurm-wlm slurmdbd munge mariadb-server"
BINARIES = (
    "munged", "mungekey", "mariadbd", "mariadb-install-db", "mariadb",
    "slurmdbd", "slurmctld", "slurmd", "sacctmgr", "sbatch", "squeue", "scancel", "sinfo", "sacct",
)  # fmt: skip
CLUSTER = "benchbox"
PARTITION = "debug"
NODE = "localhost"
DEADLINE = 300.0
"""Seconds any one wait may take before the cluster counts as not starting (a loaded machine is slow)."""


class ServerUnavailable(RuntimeError):
    """The cluster cannot be started here; the message says what to install or fix."""


def find_binaries() -> dict[str, str]:
    """Each binary the cluster needs, by name -> path (``/usr/sbin`` too: root's tools live there)."""
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin", "/usr/local/sbin"])
    found = {name: shutil.which(name, path=search) for name in BINARIES}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise ServerUnavailable(
            f"{', '.join(missing)} not found: the Slurm tests start a throwaway single-node cluster "
            f"(munge, MariaDB for slurmdbd, slurmctld, slurmd): install it with `{INSTALL_HINT}`"
        )
    return found  # type: ignore[return-value]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _memory_mb() -> int:
    """What the node offers jobs: half the machine's memory, at most 4 GiB (slurmd drains a node
    that has less than its configured ``RealMemory``)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return max(256, min(4096, total // 2))


@dataclass
class SlurmCluster:
    """A running cluster: its folder, config and daemons."""

    root: Path
    bins: dict[str, str]
    daemons: dict[str, subprocess.Popen] = field(default_factory=dict)
    """name -> the daemon's process (each runs in the foreground: its PID is the daemon's)."""

    @property
    def conf(self) -> Path:
        return self.root / "slurm.conf"

    @property
    def env(self) -> dict[str, str]:
        """The environment the clients (and the jobs, which inherit it) need to reach the cluster."""
        return {"SLURM_CONF": str(self.conf)}

    @classmethod
    def start(cls) -> SlurmCluster:
        bins = find_binaries()
        if os.geteuid() != 0:
            raise ServerUnavailable("the throwaway Slurm cluster runs its daemons as root (SlurmUser=root)")
        # munged insists that every folder above its socket is searchable by all.
        root = Path(tempfile.mkdtemp(prefix="benchbox-slurm-", dir="/tmp" if os.path.isdir("/tmp") else None))
        root.chmod(0o755)
        cluster = cls(root, bins)
        try:
            cluster._start_munge()
            cluster._start_database()
            cluster._write_configs()
            cluster._start_slurm()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    # -- daemons ---------------------------------------------------------------------------------

    def _spawn(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.root / f"{name}.out").open("ab")
        env = {**os.environ, **self.env} if self.conf.exists() else dict(os.environ)
        process = subprocess.Popen(
            [self.bins.get(name, name), *args],
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the test run reaches pytest, which stops them in order
        )
        log.close()
        self.daemons[name] = process
        return process

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [self.bins.get(args[0], args[0]), *args[1:]],
            cwd=self.root,
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise ServerUnavailable(
                f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
        return done

    def _wait(self, condition: Callable[[], object], what: str, daemons: tuple[str, ...]) -> object:
        """Poll ``condition`` until it holds; fail at once when one of ``daemons`` has exited."""
        deadline, last = time.monotonic() + DEADLINE, ""
        while time.monotonic() < deadline:
            for name in daemons:
                if self.daemons[name].poll() is not None:
                    raise ServerUnavailable(
                        f"{name} exited ({self.daemons[name].returncode}) {self._tail(name)}"
                    )
            try:
                found = condition()
            except (OSError, subprocess.SubprocessError, ServerUnavailable) as exc:
                found, last = None, f"\nlast try: {exc}"
            if found:
                return found
            time.sleep(0.2)
        raise ServerUnavailable(
            f"gave up after {DEADLINE:.0f} s waiting for {what}{last}{self._tail(*daemons)}"
        )

    def _tail(self, *names: str) -> str:
        text = ""
        for name in names:
            for path in (self.root / f"{name}.out", self.root / f"{name}.log"):
                if path.exists():
                    text += f"\n--- {path.name}\n" + path.read_text(errors="replace")[-2000:]
        return text

    def _start_munge(self) -> None:
        key = self.root / "munge.key"
        self._run("mungekey", "--create", f"--keyfile={key}")
        self._spawn(
            "munged",
            "--foreground",
            f"--socket={self.socket}",
            f"--key-file={key}",
            f"--pid-file={self.root / 'munged.pid'}",
            f"--log-file={self.root / 'munged.log'}",
            f"--seed-file={self.root / 'munged.seed'}",
        )
        self._wait(self.socket.exists, "munged's socket", ("munged",))

    @property
    def socket(self) -> Path:
        return self.root / "munge.socket"

    def _start_database(self) -> None:
        data, scratch = self.root / "mysql", self.root / "mysql-tmp"
        scratch.mkdir()  # its own: two servers bootstrapping at once collide in /tmp's temporary tables
        self._run(
            "mariadb-install-db", "--no-defaults", f"--datadir={data}", f"--tmpdir={scratch}", "--user=root",
            "--auth-root-authentication-method=socket", "--skip-test-db", timeout=300,
        )  # fmt: skip
        self.db_port, self.db_password = _free_port(), secrets.token_hex(16)
        self.db_socket = self.root / "mysql.sock"
        self._spawn(
            "mariadbd", "--no-defaults", f"--datadir={data}", f"--tmpdir={scratch}", "--user=root",
            f"--socket={self.db_socket}",
            f"--port={self.db_port}", "--bind-address=127.0.0.1", f"--pid-file={self.root / 'mariadbd.pid'}",
            "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0",
        )  # fmt: skip
        grant = (
            f"CREATE USER 'slurm'@'127.0.0.1' IDENTIFIED BY '{self.db_password}';"
            "GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"
        )
        client = ("mariadb", "--no-defaults", f"--socket={self.db_socket}", "-u", "root")
        self._wait(lambda: self._run(*client, "-e", "SELECT 1", timeout=30), "MariaDB", ("mariadbd",))
        self._run(*client, "-e", grant)

    def _write_configs(self) -> None:
        self.dbd_port, self.ctld_port, self.slurmd_port = _free_port(), _free_port(), _free_port()
        for folder in ("state", "spool"):
            (self.root / folder).mkdir()
        r = self.root
        auth = f"AuthType=auth/munge\nAuthInfo=socket={self.socket}\n"
        dbd = self.root / "slurmdbd.conf"  # next to slurm.conf: slurmdbd looks for it there
        dbd.write_text(
            f"{auth}DbdHost=localhost\nDbdAddr=127.0.0.1\nDbdPort={self.dbd_port}\nSlurmUser=root\n"
            f"PidFile={r}/slurmdbd.pid\nLogFile={r}/slurmdbd.log\n"
            f"StorageType=accounting_storage/mysql\nStorageHost=127.0.0.1\nStoragePort={self.db_port}\n"
            f"StorageUser=slurm\nStoragePass={self.db_password}\nStorageLoc=slurm_acct_db\n"
        )
        dbd.chmod(0o600)  # slurmdbd refuses a config others can read (it holds the password)
        self.conf.write_text(
            f"ClusterName={CLUSTER}\nSlurmctldHost={NODE}(127.0.0.1)\n"
            f"SlurmctldPort={self.ctld_port}\nSlurmdPort={self.slurmd_port}\n{auth}CredType=cred/munge\n"
            "SlurmUser=root\nSlurmdUser=root\n"
            f"StateSaveLocation={r}/state\nSlurmdSpoolDir={r}/spool\n"
            f"SlurmctldPidFile={r}/slurmctld.pid\nSlurmdPidFile={r}/slurmd.pid\n"
            f"SlurmctldLogFile={r}/slurmctld.log\nSlurmdLogFile={r}/slurmd.log\n"
            "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\nMpiDefault=none\n"
            "SwitchType=switch/none\nSelectType=select/cons_tres\nSelectTypeParameters=CR_Core\n"
            "ReturnToService=2\nKillWait=30\nJobAcctGatherType=jobacct_gather/none\n"
            "AccountingStorageType=accounting_storage/slurmdbd\n"
            f"AccountingStorageHost=localhost\nAccountingStoragePort={self.dbd_port}\n"
            # What reaches slurmdbd (sacct, sacctmgr, slurmctld) finds munged here, not in AuthInfo.
            f"AccountingStoragePass={self.socket}\n"
            f"JobCompType=jobcomp/filetxt\nJobCompLoc={r}/jobcomp.log\n"
            f"NodeName={NODE} NodeAddr=127.0.0.1 CPUs={min(os.cpu_count() or 1, 2)} "
            f"RealMemory={_memory_mb()} State=UNKNOWN\n"
            f"PartitionName={PARTITION} Nodes={NODE} Default=YES MaxTime=INFINITE State=UP\n"
        )

    def _start_slurm(self) -> None:
        self._spawn("slurmdbd", "-D")
        self._wait(
            lambda: self._run("sacctmgr", "-n", "list", "cluster", timeout=30), "slurmdbd", ("slurmdbd",)
        )
        self._run("sacctmgr", "-i", "-n", "add", "cluster", CLUSTER, timeout=60)
        self._spawn("slurmctld", "-D", "-i", "-f", str(self.conf))
        self._spawn("slurmd", "-D", "-N", NODE, "-f", str(self.conf))
        self._wait(
            lambda: self._run("sinfo", "-h", "-o", "%T", timeout=30).stdout.split() == ["idle"],
            "the node to be idle (`sinfo -h -o %T`)",
            ("slurmctld", "slurmd"),
        )

    # -- for the tests ---------------------------------------------------------------------------

    def squeue(self) -> list[tuple[str, str]]:
        """(job id, state) of each job in the queue, e.g. ``("5_0", "RUNNING")``."""
        out = self._run("squeue", "-h", "-r", "-o", "%i %T", timeout=60).stdout
        return [tuple(line.split()) for line in out.splitlines() if line.strip()]  # type: ignore[misc]

    def sacct(self, job_id: str) -> list[dict[str, str]]:
        """What the accounting database (which submitit reads) has for ``job_id`` (a job, an array,
        or a task's own id): one dict per job or array task, with ``JobIDRaw``, ``JobID`` (``5_0``
        for a task), ``State`` and ``NodeList``."""
        fields = ("JobIDRaw", "JobID", "State", "NodeList")
        out = self._run("sacct", "-n", "-X", "-P", "-o", ",".join(fields), "-j", job_id, timeout=60).stdout
        return [dict(zip(fields, line.split("|"), strict=True)) for line in out.splitlines() if line.strip()]

    def scancel(self, *job_ids: str) -> None:
        self._run("scancel", *job_ids, timeout=60)

    def stop(self) -> None:
        """Cancel every job, end each daemon by its PID (the last started first), remove the folder."""
        try:
            if "slurmctld" in self.daemons and self.daemons["slurmctld"].poll() is None:
                try:
                    jobs = [jid for jid, _ in self.squeue()]
                    if jobs:
                        self.scancel(*jobs)
                        deadline = time.monotonic() + 60
                        while self.squeue() and time.monotonic() < deadline:
                            time.sleep(0.2)
                except (OSError, subprocess.SubprocessError, ServerUnavailable):
                    pass
            for _name, process in reversed(list(self.daemons.items())):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait(timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
