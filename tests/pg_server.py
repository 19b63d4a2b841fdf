"""A throw-away PostgreSQL server for the tests, started from the system's binaries.

Multi-workstation clinics run on PostgreSQL, so the rules that matter across connections
(schema, constraints, no double booking) are tested on a real server, not assumed. The
server lives in a temporary folder on a free loopback port and is gone after the run.
Debian's ``postgresql`` package provides the binaries (see the README).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


def _bindir() -> str:
    found = shutil.which("initdb")
    if found:
        # Through a symlink to the real folder, where pg_dump and psql of the same version are.
        return os.path.dirname(os.path.realpath(found))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError(
            "PostgreSQL server binaries not found: install Debian's 'postgresql' package "
            "(the README lists the system packages the tests need)."
        )
    return os.path.dirname(candidates[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bindir: str
    datadir: str
    port: int
    user: str | None  # OS user the server runs as (PostgreSQL refuses to run as root)

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, text=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://frontdesk@127.0.0.1:{self.port}/{database}"

    def _postmaster(self) -> int:
        with open(os.path.join(self.datadir, "postmaster.pid")) as f:
            return int(f.readline())

    def _children(self, parent: int) -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:  # ended meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry))
        return found

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The whole server stopped (SIGSTOP) while the block runs: connections are still
        accepted (by the kernel) but nothing answers, like a hung server. Always continued
        after, whatever the block raised, or the rest of the run would hang on it."""
        stopped: list[int] = []
        try:
            postmaster = self._postmaster()
            os.kill(postmaster, signal.SIGSTOP)  # first: it starts no new backend meanwhile
            stopped.append(postmaster)
            for pid in self._children(postmaster):
                with contextlib.suppress(ProcessLookupError):  # one that just ended
                    os.kill(pid, signal.SIGSTOP)
                    stopped.append(pid)
            yield
        finally:
            for pid in reversed(stopped):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        try:
            self._run(f"{self.bindir}/pg_ctl", "-D", self.datadir, "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.datadir, ignore_errors=True)


def start(*, fsync: bool = False, max_connections: int = 60) -> PgServer:
    """A running server; ``fsync=False`` suits tests, a benchmark keeps the default (on)
    so its figures include what a clinic's server pays for durability."""
    bindir = _bindir()
    datadir = tempfile.mkdtemp(prefix="frontdesk-pg-")
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        try:
            pw = pwd.getpwnam(user)
        except KeyError as exc:
            raise RuntimeError("running as root needs the 'postgres' OS user") from exc
        os.chown(datadir, pw.pw_uid, pw.pw_gid)
        os.chmod(datadir, 0o700)
    server = PgServer(bindir, datadir, _free_port(), user)
    server._run(
        f"{bindir}/initdb",
        "-D",
        datadir,
        "-U",
        "frontdesk",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
    )
    opts = (
        f"-p {server.port} -k {datadir} -c listen_addresses=127.0.0.1 "
        f"-c fsync={'on' if fsync else 'off'} -c max_connections={max_connections}"
    )
    server._run(
        f"{bindir}/pg_ctl", "-D", datadir, "-o", opts, "-l", f"{datadir}/log", "-w", "start"
    )
    return server
