"""A throw-away PostgreSQL server from Debian's ``postgresql`` package, for one test session.

``initdb`` creates a cluster in a temporary directory; the server listens on 127.0.0.1 only, on
a free port, with its socket in that directory, and is stopped (and the directory removed) at
the end. As root, every server command runs as the ``postgres`` user (the server refuses root).
Authentication is ``trust`` on loopback: the cluster lives only as long as the session.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scaffold_gates import free_port

SUPERUSER = "postgres"


def server_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` that has ``initdb`` and ``pg_ctl``."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def missing_reason() -> str | None:
    """Why no server can be started here, or None when one can."""
    if server_bin_dir() is None:
        return "PostgreSQL is not installed (`make tools` installs Debian's postgresql as root)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return f"running as root without a {SUPERUSER!r} user to run PostgreSQL as"
    return None


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and how to reach it."""

    host: str
    port: int
    user: str
    bin_dir: Path
    socket_dir: Path

    def url(self, database: str, driver: str) -> str:
        """A SQLAlchemy URL for ``database`` with ``driver`` (``psycopg``, ``asyncpg``)."""
        return f"postgresql+{driver}://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, prefix: str) -> str:
        """Create an empty database with a unique name starting with ``prefix``; return the name."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        self.sql(f'CREATE DATABASE "{name}"')
        return name

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one SQL statement with ``psql`` and return its unaligned output."""
        completed = subprocess.run(
            [
                str(self.bin_dir / "psql") if (self.bin_dir / "psql").exists() else "psql",
                "--no-psqlrc",
                "--tuples-only",
                "--no-align",
                "--set=ON_ERROR_STOP=1",
                f"--host={self.host}",
                f"--port={self.port}",
                f"--username={self.user}",
                f"--dbname={database}",
                f"--command={statement}",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"psql failed: {statement}\n{completed.stderr}")
        return completed.stdout.strip()


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


def _run(command: list[str]) -> None:
    completed = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, timeout=120, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({completed.returncode}):\n"
            f"{completed.stdout}{completed.stderr}"
        )


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a fresh cluster on 127.0.0.1; yield it; stop it and delete its files."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed")
    root = Path(tempfile.mkdtemp(prefix="fastapi-architect-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    user = SUPERUSER if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    if os.geteuid() == 0:
        account = pwd.getpwnam(SUPERUSER)
        for path in (root, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
    port = free_port()
    started = False
    try:
        _run(
            [
                str(bin_dir / "initdb"),
                f"--pgdata={data}",
                f"--username={user}",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ]
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={sockets}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            [
                str(bin_dir / "pg_ctl"),
                f"--pgdata={data}",
                f"--log={root / 'server.log'}",
                f"--options={options}",
                "--wait",
                "--timeout=60",
                "start",
            ]
        )
        started = True
        yield PostgresServer("127.0.0.1", port, user, bin_dir, sockets)
    finally:
        if started:
            _run([str(bin_dir / "pg_ctl"), f"--pgdata={data}", "--mode=fast", "--wait", "stop"])
        shutil.rmtree(root, ignore_errors=True)
