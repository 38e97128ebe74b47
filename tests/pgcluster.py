"""A PostgreSQL primary and a streaming replica of it, each a server of its own on a port of
its own in a temporary folder, for tests that need real replication (tests/core/test_replicas.py).

Built from Debian's PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`): `initdb` the
primary, start it, `pg_basebackup -R` the replica from it (which writes the standby's
connection settings and `standby.signal`), start the replica. Run as root (as CI runs), the
servers run as the `postgres` account, which PostgreSQL insists on. Durability is off
(`fsync`), since the data is thrown away: about three seconds to start both.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def binaries() -> Path | None:
    """The newest Debian PostgreSQL bin folder with everything needed, or None."""
    found = [
        folder
        for folder in Path("/usr/lib/postgresql").glob("*/bin")
        if all((folder / name).exists() for name in NEEDED)
    ]
    return max(found, key=lambda folder: int(folder.parent.name), default=None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Servers:
    """A temporary folder for servers, owned by the account they run as."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="agora-pg-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, name: str, *args: str) -> None:
        command = [str(self.bindir / name), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def _initdb(self, folder: Path, more_settings: str = "") -> None:
        self._run(
            "initdb", "-D", str(folder), "-U", "postgres", "-A", "trust",
            "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        with (folder / "postgresql.conf").open("a") as conf:
            conf.write(
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "fsync = off\nfull_page_writes = off\nshared_buffers = 16MB\n" + more_settings
            )

    def _pg_ctl(self, folder: Path, port: int, action: str, *more: str) -> None:
        self._run(
            "pg_ctl", "-D", str(folder), "-l", f"{folder}.log", "-o", f"-p {port}", "-w",
            action, *more,
        )  # fmt: skip

    def _remove(self) -> None:
        # Some 40 MB a server in thousands of files: removed while the suite goes on.
        subprocess.Popen(["rm", "-rf", str(self.root)], start_new_session=True)


class StreamingPair(_Servers):
    def __init__(self, bindir: Path):
        super().__init__(bindir)
        self.primary_port = _free_port()
        self.replica_port = _free_port()
        self.primary_dir = self.root / "primary"
        self.replica_dir = self.root / "replica"

    @property
    def primary_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.primary_port}/postgres"

    @property
    def replica_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.replica_port}/postgres"

    def start(self) -> "StreamingPair":
        self._initdb(self.primary_dir, "wal_level = replica\nmax_wal_senders = 4\n")
        self._pg_ctl(self.primary_dir, self.primary_port, "start")
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(self.replica_dir), "-R", "-X", "stream", "--checkpoint=fast",
        )  # fmt: skip
        self.start_replica()
        return self

    def start_replica(self) -> None:
        self._pg_ctl(self.replica_dir, self.replica_port, "start")
        self.replica_running = True

    def stop_replica(self) -> None:
        _stop_now(self.replica_dir)
        self.replica_running = False

    def stop(self) -> None:
        _stop_now(self.replica_dir)
        _stop_now(self.primary_dir)
        self._remove()


class LoneServer(_Servers):
    """One server, no replica, that a test shuts down and starts again."""

    def __init__(self, bindir: Path):
        super().__init__(bindir)
        self.port = _free_port()
        self.folder = self.root / "server"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> "LoneServer":
        """Made on first use; returns once the server accepts connections."""
        if not self.folder.exists():
            self._initdb(self.folder)
        self._pg_ctl(self.folder, self.port, "start")
        return self

    def shut_down(self, mode: str) -> None:
        """pg_ctl's shutdown in this mode, returning once the server is gone: "fast" (a
        service manager's stop or restart: sessions are ended, a checkpoint written) or
        "immediate" (as a crash: every process quits at once and the next start replays the
        write-ahead log)."""
        self._pg_ctl(self.folder, self.port, "stop", "-m", mode)

    def remove(self) -> None:
        _stop_now(self.folder)
        self._remove()


def _stop_now(folder: Path) -> None:
    """An immediate shutdown (SIGQUIT to the postmaster), as a crash would be, without
    pg_ctl's coarse waiting."""
    try:
        pid = int((folder / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGQUIT)
    except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
        return
    wait_for(lambda: not _alive(pid), what=f"the server in {folder} stopping")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child of ours that exited is gone once reaped; the postmaster is not our child.
    return Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except FileNotFoundError:
        return "zombie"


def wait_for(condition, *, seconds: float = 10.0, what: str = "the condition"):
    """Poll until `condition()` is true; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.02)
