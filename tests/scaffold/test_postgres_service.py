"""The generated service on a real PostgreSQL: migrations, its own tests, and uvicorn serving.

Both variants the scaffold offers for PostgreSQL run against one server for the session
(``conftest.py``): sync + psycopg 3, and async + asyncpg with a resource added. Each test gets
its own fresh database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from postgres_server import PostgresServer
from scaffold_gates import (
    GATED_VARIANTS,
    SUPERUSER,
    Gate,
    check_users_are_protected,
    gate_venv,
    http,
    http_json,
    run,
    serving,
)

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import ScaffoldOptions, plan_add_resource, plan_project

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SCHEMA_BEHIND = "database schema is not at the latest migration (run `alembic upgrade head`)"


@dataclass(frozen=True)
class PostgresVariant:
    options: ScaffoldOptions
    driver: str
    resources: tuple[str, ...] = ()


VARIANTS = {
    "sync-psycopg": PostgresVariant(GATED_VARIANTS[2], "psycopg"),
    "async-asyncpg+order": PostgresVariant(GATED_VARIANTS[3], "asyncpg", ("order",)),
}


@dataclass(frozen=True)
class Project:
    variant: PostgresVariant
    root: Path
    venv: Path
    postgres: PostgresServer

    def fresh_database_url(self) -> tuple[str, str]:
        """A new empty database: its name and its URL for this variant's driver."""
        name = self.postgres.create_database(self.root.name.replace("-", "_"))
        return name, self.postgres.url(name, self.variant.driver)


@pytest.fixture(scope="module", params=list(VARIANTS))
def project(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer,
) -> Project:
    variant = VARIANTS[request.param]
    assert variant.options.database == "postgresql"
    root = tmp_path_factory.mktemp("postgres") / variant.options.project_name
    write_plan(plan_project(variant.options), root)
    for name in variant.resources:
        write_plan(plan_add_resource(root, name), root)
    return Project(variant, root, gate_venv(), postgres)


def succeeded(gate: Gate) -> bool:
    if gate.returncode != 0:
        print(f"$ {gate.command}\n{gate.output}")
    return gate.returncode == 0


def test_migrations_upgrade_check_and_downgrade_on_postgresql(project: Project) -> None:
    name, url = project.fresh_database_url()
    env = {"DATABASE_URL": url}
    for command in (("upgrade", "head"), ("check",), ("downgrade", "base"), ("upgrade", "head")):
        gate = run(project.venv, project.root, "alembic", *command, env=env)
        assert succeeded(gate), gate.output[-3000:]
    tables = project.postgres.sql(
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables"
        " WHERE schemaname = 'public'",
        name,
    ).split(",")
    expected = {
        "alembic_version",
        "users",
        *(f"{resource}s" for resource in project.variant.resources),
    }
    assert set(tables) == expected


def test_its_own_tests_pass_on_postgresql_and_keep_only_the_first_superuser(
    project: Project,
) -> None:
    name, url = project.fresh_database_url()
    # DATABASE_URL points elsewhere: the opt-in alone must send the tests to PostgreSQL.
    env = {"TEST_DATABASE_URL": url, "DATABASE_URL": "sqlite:///unused.db"}
    gate = run(project.venv, project.root, "pytest", "-p", "no:cacheprovider", env=env)
    assert succeeded(gate), gate.output[-3000:]
    assert " passed" in gate.output
    # The tests created the tables in PostgreSQL and rolled back every row they wrote; the app's
    # start-up committed the first superuser of the tests' settings.
    assert project.postgres.sql("SELECT email FROM users", name) == "admin@example.com"
    for resource in project.variant.resources:
        assert project.postgres.sql(f"SELECT count(*) FROM {resource}s", name) == "0"


def test_uvicorn_reports_the_missing_schema_then_serves_the_api_behind_login(
    project: Project,
) -> None:
    name, url = project.fresh_database_url()
    env = {
        "DATABASE_URL": url,
        "DB_AUTO_CREATE": "0",
        "SECRET_KEY": "live-test-secret-key-of-at-least-32-chars",
        **SUPERUSER,
    }
    user = {"email": "ada@example.com", "password": "s3cret-pass"}
    with serving(project.venv, project.root, env) as base:
        # Not migrated yet: alive, not ready, and 503 (never 500) for requests needing a table.
        assert http("GET", f"{base}/health/live") == 200
        status, body = http_json("GET", f"{base}/health/ready")
        assert (status, body["status"], body["database"]) == (503, "not ready", SCHEMA_BEHIND)
        assert http_json("POST", f"{base}/api/v1/users/", user) == (503, {"detail": SCHEMA_BEHIND})

        upgrade = run(project.venv, project.root, "alembic", "upgrade", "head", env=env)
        assert succeeded(upgrade), upgrade.output[-3000:]

        # The start-up could not create the first superuser before the migration: the
        # documented command does.
        created = run(project.venv, project.root, "app.initial_data", env=env)
        assert succeeded(created), created.output[-3000:]
        assert "created the first superuser admin@example.com" in created.output

        status, body = http_json("GET", f"{base}/health/ready")
        assert (status, body["status"], body["database"]) == (200, "ready", "ok")
        headers = check_users_are_protected(base)
        assert http("POST", f"{base}/api/v1/users/", user) == 409
        assert http("POST", f"{base}/api/v1/users/", {"email": "nope"}) == 422
        for resource in project.variant.resources:
            route = f"{base}/api/v1/{resource}s/"
            assert http("POST", route, {"name": "first"}) == 401
            assert http("POST", route, {"name": "first"}, headers) == 201
            assert http("POST", route, {"name": ""}, headers) == 422
    emails = project.postgres.sql("SELECT string_agg(email, ',' ORDER BY email) FROM users", name)
    assert emails == "ada@example.com,admin@example.com"
