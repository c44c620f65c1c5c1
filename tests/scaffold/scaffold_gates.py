"""Run a generated project's own quality gates in a shared cached venv.

One venv holds the union of the dependencies (runtime + ``dev`` extra) of every variant the
suite generates, so it is built once per dependency set (``tests/venvs.py`` caches it across
runs). The project itself is not installed: every tool runs with the project as its working
directory, where ``app`` is importable (``pythonpath = ["."]`` for pytest, ``prepend_sys_path``
for Alembic, ``python -m`` for uvicorn and mypy).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi_architect.scaffold.dependencies import dev_dependencies, runtime_dependencies
from fastapi_architect.scaffold.options import ScaffoldOptions
from venvs import cache_dir, cached_venv, venv_python

GATED_VARIANTS = (
    ScaffoldOptions(project_name="sync-service", orm="sync", docker="tiangolo"),
    ScaffoldOptions(project_name="async-service", orm="async", docker="slim"),
    ScaffoldOptions(
        project_name="plain-service",
        orm="sync",
        database="postgresql",
        inference=False,
        # Long enough to be wrapped in app/main.py: the wrapping must satisfy ruff too.
        description="Invoices, orders & {{ braces }} for café owners; " * 5,
    ),
    ScaffoldOptions(
        project_name="async-postgres-service", orm="async", database="postgresql", docker="slim"
    ),
)
"""The variants whose generated project runs its own gates in our suite.

The PostgreSQL ones (sync + psycopg, async + asyncpg) are also served by a real PostgreSQL in
``test_postgres_service.py``.
"""


EVERY_VARIANT = [
    {"orm": orm, "docker": docker, "database": database, "inference": inference}
    for orm, docker, database, inference in itertools.product(
        ("sync", "async"), ("tiangolo", "slim"), ("sqlite", "postgresql"), (True, False)
    )
]
"""Every combination of the scaffold's options (besides the name and description)."""


def requirements() -> list[str]:
    """The union of every gated variant's runtime and dev dependencies."""
    union: set[str] = set()
    for options in GATED_VARIANTS:
        union.update(runtime_dependencies(options))
        union.update(dev_dependencies(options))
    return sorted(union)


def gate_venv() -> Path:
    """The cached venv that runs generated projects."""
    return cached_venv("generated-service", requirements())


@dataclass(frozen=True)
class Gate:
    """One command's outcome."""

    command: str
    returncode: int
    output: str


def run(venv: Path, project: Path, *args: str, env: dict[str, str] | None = None) -> Gate:
    """Run ``python -m ARGS`` from ``venv`` inside ``project``."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
        "MYPY_CACHE_DIR": str(cache_dir() / "generated-mypy-cache"),
        "RUFF_CACHE_DIR": str(project / ".ruff_cache"),
        **(env or {}),
    }
    completed = subprocess.run(
        [str(venv_python(venv)), "-m", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Gate(" ".join(args), completed.returncode, completed.stdout + completed.stderr)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def http(
    method: str, url: str, body: object | None = None, headers: Mapping[str, str] | None = None
) -> int:
    """Send one request and return its status code (errors included)."""
    return http_json(method, url, body, headers)[0]


def http_json(
    method: str,
    url: str,
    body: object | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    form: Mapping[str, str] | None = None,
) -> tuple[int, Any]:
    """Send one request (a JSON ``body`` or a ``form``) and return its status and decoded body."""
    data = json.dumps(body).encode() if body is not None else None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if body is not None:
        request.add_header("Content-Type", "application/json")
    elif form is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            payload = response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    try:
        return status, json.loads(payload) if payload else None
    except ValueError:
        return status, payload.decode("utf-8", "replace")


SUPERUSER = {"FIRST_SUPERUSER": "admin@example.com", "FIRST_SUPERUSER_PASSWORD": "admin-pass-123"}
"""Settings that make the served app create a first superuser at start-up."""


def log_in(base: str, email: str, password: str) -> dict[str, str]:
    """Log in over HTTP; the headers that authenticate as that user."""
    status, token = http_json(
        "POST",
        f"{base}/api/v1/login/access-token",
        form={"username": email, "password": password},
    )
    assert status == 200, token
    assert token["token_type"] == "bearer"
    return {"Authorization": f"Bearer {token['access_token']}"}


def check_users_are_protected(base: str) -> dict[str, str]:
    """The live security smoke test of a served app started with ``SUPERUSER``.

    Sign-up is open (201), listing users needs a token (401), login returns one (200), ``/me``
    answers with it (200), a normal user may not delete another user (403), the superuser may
    (204). Returns the normal user's headers.
    """
    users = f"{base}/api/v1/users/"
    ada = {"email": "ada@example.com", "password": "s3cret-pass"}
    status, created = http_json("POST", users, ada)
    assert (status, created["email"], created["is_superuser"]) == (201, ada["email"], False)
    status, other = http_json("POST", users, {"email": "bob@example.com", "password": "pass-bob-1"})
    assert status == 201, other
    assert http("GET", users) == 401
    headers = log_in(base, ada["email"], ada["password"])
    status, me = http_json("GET", f"{users}me", headers=headers)
    assert (status, me["email"]) == (200, ada["email"])
    assert http("GET", users, headers=headers) == 403
    assert http("DELETE", f"{users}{other['id']}", headers=headers) == 403
    admin = log_in(base, SUPERUSER["FIRST_SUPERUSER"], SUPERUSER["FIRST_SUPERUSER_PASSWORD"])
    assert http("DELETE", f"{users}{other['id']}", headers=admin) == 204
    status, listed = http_json("GET", users, headers=admin)
    assert status == 200
    assert {user["email"] for user in listed} == {ada["email"], SUPERUSER["FIRST_SUPERUSER"]}
    return headers


@contextlib.contextmanager
def serving(venv: Path, project: Path, env: dict[str, str]) -> Iterator[str]:
    """Run ``uvicorn app.main:app`` on a free port; yield its base URL; stop it."""
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
        **env,
    }
    process = subprocess.Popen(
        [
            str(venv_python(venv)),
            "-m",
            "uvicorn",
            "app.main:app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"uvicorn exited with {process.returncode}:\n{output}")
            try:
                if http("GET", f"{base}/health/live") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("uvicorn did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
