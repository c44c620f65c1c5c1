"""The generated service passes its own gates: pytest, ruff, mypy --strict, Alembic, uvicorn.

Three variants cover both ORM flavours, both Docker images, PostgreSQL settings and the
``--no-inference`` switch; two of them get resources added first, so add-resource is proven
to leave a project that still passes every gate. All share one cached venv (``scaffold_gates.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from scaffold_gates import (
    GATED_VARIANTS,
    SUPERUSER,
    Gate,
    check_users_are_protected,
    gate_venv,
    http,
    run,
    serving,
)

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import ScaffoldOptions, plan_add_resource, plan_project

# A cold cache builds the venv inside the first test's setup: allow for a slow package index.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@dataclass(frozen=True)
class Variant:
    """A generated project and the resources added to it before the gates run."""

    options: ScaffoldOptions
    resources: Sequence[str] = ()

    @property
    def routes(self) -> list[str]:
        return [f"/api/v1/{name.replace('_', '-')}s/" for name in self.resources]


VARIANTS = {
    "sync-tiangolo": Variant(GATED_VARIANTS[0]),
    "async-slim+order_item": Variant(GATED_VARIANTS[1], resources=("order_item",)),
    "no-inference-postgresql+order+invoice": Variant(
        GATED_VARIANTS[2], resources=("order", "invoice")
    ),
}


@dataclass(frozen=True)
class Generated:
    variant: Variant
    root: Path
    venv: Path


@pytest.fixture(scope="module", params=list(VARIANTS))
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Generated:
    """Generate the variant (and add its resources) once per module."""
    variant = VARIANTS[request.param]
    root = tmp_path_factory.mktemp("generated") / variant.options.project_name
    write_plan(plan_project(variant.options), root)
    for name in variant.resources:
        write_plan(plan_add_resource(root, name), root)
    return Generated(variant, root, gate_venv())


def sqlite_url(generated: Generated, path: Path) -> str:
    driver = "+aiosqlite" if generated.variant.options.orm_async else ""
    return f"sqlite{driver}:///{path}"


def passed(gate: Gate) -> bool:
    if gate.returncode != 0:
        print(f"$ {gate.command}\n{gate.output}")
    return gate.returncode == 0


def test_its_own_tests_pass(generated: Generated) -> None:
    gate = run(generated.venv, generated.root, "pytest", "-p", "no:cacheprovider")
    assert passed(gate), gate.output[-3000:]
    assert " passed" in gate.output


def test_ruff_check_and_format_are_clean(generated: Generated) -> None:
    check = run(generated.venv, generated.root, "ruff", "check", ".")
    assert passed(check), check.output[-3000:]
    form = run(generated.venv, generated.root, "ruff", "format", "--check", ".")
    assert passed(form), form.output[-3000:]


def test_mypy_strict_is_clean(generated: Generated) -> None:
    gate = run(generated.venv, generated.root, "mypy", "--strict", "app")
    assert passed(gate), gate.output[-3000:]


def test_migrations_create_the_schema_the_models_declare(
    generated: Generated, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": sqlite_url(generated, tmp_path / "fresh.db")}
    upgrade = run(generated.venv, generated.root, "alembic", "upgrade", "head", env=env)
    assert passed(upgrade), upgrade.output[-3000:]
    # `alembic check` fails if autogenerate finds any difference between models and schema.
    check = run(generated.venv, generated.root, "alembic", "check", env=env)
    assert passed(check), check.output[-3000:]


API_KEY = "live-key-0123456789abcdef"


def test_uvicorn_serves_the_api_behind_login_and_api_key(
    generated: Generated, tmp_path: Path
) -> None:
    env = {
        "DATABASE_URL": sqlite_url(generated, tmp_path / "served.db"),
        "DB_AUTO_CREATE": "0",
        "SECRET_KEY": "live-test-secret-key-of-at-least-32-chars",
        "API_KEYS": f"other-key-0123456789,{API_KEY}",
        **SUPERUSER,
    }
    upgrade = run(generated.venv, generated.root, "alembic", "upgrade", "head", env=env)
    assert passed(upgrade), upgrade.output[-3000:]
    with serving(generated.venv, generated.root, env) as base:
        assert http("GET", f"{base}/docs") == 200
        assert http("GET", f"{base}/health/live") == 200
        assert http("GET", f"{base}/health/ready") == 200
        headers = check_users_are_protected(base)
        user = {"email": "ada@example.com", "password": "s3cret-pass"}
        assert http("POST", f"{base}/api/v1/users/", user) == 409
        assert http("POST", f"{base}/api/v1/users/", {"email": "nope"}) == 422
        for route in generated.variant.routes:
            assert http("POST", f"{base}{route}", {"name": "first"}) == 401
            assert http("POST", f"{base}{route}", {"name": "first"}, headers) == 201
            assert http("POST", f"{base}{route}", {"name": ""}, headers) == 422
        if generated.variant.options.inference:
            batch = {"instances": [[1.0, 0.5, -0.3, 2.0]]}
            predict = f"{base}/api/v1/predict/"
            assert http("POST", predict, batch) == 401
            assert http("POST", predict, batch, {"X-API-Key": "wrong"}) == 401
            assert http("POST", predict, batch, {"X-API-Key": API_KEY}) == 200
