"""A wrong database setup gets one clear line or a clear 503, never a traceback or a 500.

Wrong ``DATABASE_URL``s stop ``alembic`` and start-up with one line naming the form that works;
a URL without a driver gets the service's driver. A service started before
``alembic upgrade head`` stays alive, reports not ready and answers 503 until it is migrated.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from scaffold_gates import GATED_VARIANTS, gate_venv, http, http_json, log_in, run, serving

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import ScaffoldOptions, plan_add_resource, plan_project
from venvs import venv_python

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SCHEMA_BEHIND = "database schema is not at the latest migration (run `alembic upgrade head`)"
SYNC, ASYNC = GATED_VARIANTS[0], GATED_VARIANTS[1]


@dataclass(frozen=True)
class Project:
    options: ScaffoldOptions
    root: Path
    venv: Path


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Project]:
    """The sync and the async service (the async one with an ``order`` resource)."""
    generated = {}
    for options in (SYNC, ASYNC):
        root = tmp_path_factory.mktemp("setup") / options.project_name
        write_plan(plan_project(options), root)
        if options.orm_async:
            write_plan(plan_add_resource(root, "order"), root)
        generated[options.orm] = Project(options, root, gate_venv())
    return generated


def start_up(project: Project, url: str) -> subprocess.CompletedProcess[str]:
    """Start uvicorn with ``url``, expecting it to stop by itself."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))},
        "DATABASE_URL": url,
    }
    return subprocess.run(
        [str(venv_python(project.venv)), "-m", "uvicorn", "app.main:app", "--port", "0"],
        cwd=project.root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


WRONG_URLS = [
    pytest.param(
        "async",
        "sqlite+pysqlite:///./app.db",
        "error: DATABASE_URL uses a synchronous driver (sqlite+pysqlite) but this service uses "
        "SQLAlchemy's asyncio extension; use sqlite+aiosqlite:///./app.db",
        id="sync-sqlite-driver-for-async-service",
    ),
    pytest.param(
        "async",
        "postgresql+psycopg2://app:secret@127.0.0.1:9/shop",
        "error: DATABASE_URL uses a synchronous driver (postgresql+psycopg2) but this service "
        "uses SQLAlchemy's asyncio extension; use postgresql+asyncpg://app:***@127.0.0.1:9/shop",
        id="sync-postgres-driver-for-async-service",
    ),
    pytest.param(
        "sync",
        "sqlite+aiosqlite:///./app.db",
        "error: DATABASE_URL uses an asyncio driver (sqlite+aiosqlite) but this service is "
        "synchronous; use sqlite:///./app.db",
        id="async-sqlite-driver-for-sync-service",
    ),
    pytest.param(
        "sync",
        "postgresql+asyncpg://app:secret@127.0.0.1:9/shop",
        "error: DATABASE_URL uses an asyncio driver (postgresql+asyncpg) but this service is "
        "synchronous; use postgresql+psycopg://app:***@127.0.0.1:9/shop",
        id="async-postgres-driver-for-sync-service",
    ),
    pytest.param(
        "sync",
        "postgresql+psycopg2://app@127.0.0.1:9/shop",
        "error: DATABASE_URL needs the psycopg2 driver, which is not installed: use "
        'postgresql+psycopg://app@127.0.0.1:9/shop or run `pip install "psycopg2-binary"`',
        id="driver-not-installed",
    ),
    pytest.param(
        "async",
        "not a url",
        "error: DATABASE_URL is not a database URL ('not a url'); use for example "
        "sqlite+aiosqlite:///./app.db",
        id="not-a-url",
    ),
]


@pytest.mark.parametrize(("orm", "url", "message"), WRONG_URLS)
def test_wrong_url_stops_alembic_and_start_up_with_one_line(
    projects: dict[str, Project], orm: str, url: str, message: str
) -> None:
    project = projects[orm]
    upgrade = run(
        project.venv, project.root, "alembic", "upgrade", "head", env={"DATABASE_URL": url}
    )
    assert (upgrade.returncode, upgrade.output.strip()) == (1, message)
    started = start_up(project, url)
    assert (started.returncode, (started.stdout + started.stderr).strip()) == (1, message)
    assert "secret" not in message


def test_sqlite_url_without_driver_gets_the_async_driver(
    projects: dict[str, Project], tmp_path: Path
) -> None:
    project = projects["async"]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'plain.db'}", "DB_AUTO_CREATE": "0"}
    upgrade = run(project.venv, project.root, "alembic", "upgrade", "head", env=env)
    assert upgrade.returncode == 0, upgrade.output[-3000:]
    with serving(project.venv, project.root, env) as base:
        assert http("GET", f"{base}/health/ready") == 200
        user = {"email": "ada@example.com", "password": "s3cret-pass"}
        assert http("POST", f"{base}/api/v1/users/", user) == 201


@pytest.mark.parametrize("orm", ["sync", "async"])
def test_unmigrated_database_is_not_ready_and_answers_503_until_upgraded(
    projects: dict[str, Project], orm: str, tmp_path: Path
) -> None:
    project = projects[orm]
    driver = "+aiosqlite" if project.options.orm_async else ""
    env = {"DATABASE_URL": f"sqlite{driver}:///{tmp_path / 'empty.db'}", "DB_AUTO_CREATE": "0"}
    user = {"email": "ada@example.com", "password": "s3cret-pass"}
    with serving(project.venv, project.root, env) as base:
        assert http_json("GET", f"{base}/health/live") == (200, {"status": "ok"})
        status, body = http_json("GET", f"{base}/health/ready")
        assert (status, body["status"], body["database"]) == (503, "not ready", SCHEMA_BEHIND)
        assert http_json("POST", f"{base}/api/v1/users/", user) == (503, {"detail": SCHEMA_BEHIND})
        login = {"username": user["email"], "password": user["password"]}
        assert http_json("POST", f"{base}/api/v1/login/access-token", form=login) == (
            503,
            {"detail": SCHEMA_BEHIND},
        )

        upgrade = run(project.venv, project.root, "alembic", "upgrade", "head", env=env)
        assert upgrade.returncode == 0, upgrade.output[-3000:]
        assert http_json("GET", f"{base}/health/ready")[1]["status"] == "ready"
        assert http("POST", f"{base}/api/v1/users/", user) == 201


def test_schema_one_migration_behind_is_not_ready(
    projects: dict[str, Project], tmp_path: Path
) -> None:
    project = projects["async"]
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'behind.db'}", "DB_AUTO_CREATE": "0"}
    for command in (("upgrade", "head"), ("downgrade", "-1")):
        gate = run(project.venv, project.root, "alembic", *command, env=env)
        assert gate.returncode == 0, gate.output[-3000:]
    with serving(project.venv, project.root, env) as base:
        status, body = http_json("GET", f"{base}/health/ready")
        assert (status, body["database"]) == (503, SCHEMA_BEHIND)
        # The orders table came with the newest migration: its routes answer 503, users work.
        user = {"email": "ada@example.com", "password": "s3cret-pass"}
        assert http("POST", f"{base}/api/v1/users/", user) == 201
        headers = log_in(base, user["email"], user["password"])
        assert http_json("POST", f"{base}/api/v1/orders/", {"name": "first"}, headers) == (
            503,
            {"detail": SCHEMA_BEHIND},
        )
