"""A throw-away PostgreSQL server for the tests, started from the system's binaries.

Multi-workstation clinics run on PostgreSQL, so the rules that matter across connections
(schema, constraints, no double booking) are tested on a real server, not assumed. The
server lives in a temporary folder on a free loopback port and is gone after the run.
Debian's ``postgresql`` package provides the binaries (see the README).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
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
