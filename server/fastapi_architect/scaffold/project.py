"""Plan a new project: options in, a ``ChangePlan`` of every file out (nothing is written)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath
from typing import Any

from fastapi_architect.plan import ChangePlan
from fastapi_architect.scaffold.dependencies import (
    dev_dependencies,
    postgres_requirement,
    runtime_dependencies,
)
from fastapi_architect.scaffold.errors import ScaffoldError
from fastapi_architect.scaffold.options import ScaffoldOptions
from fastapi_architect.scaffold.render import render_set

MAIN_MODULE = PurePosixPath("app/main.py")
"""The module editors open after scaffolding."""

INFERENCE_ONLY = frozenset(
    {
        PurePosixPath("app/ml"),
        PurePosixPath("app/schemas/prediction.py"),
        PurePosixPath("app/api/v1/endpoints/predict.py"),
        PurePosixPath("tests/test_predict.py"),
    }
)
"""Paths (files or folders) generated only with ``inference``."""

MAX_LISTED = 10


def template_context(options: ScaffoldOptions) -> dict[str, Any]:
    """Everything the project templates refer to."""
    driver = "+aiosqlite" if options.orm_async else ""
    postgres_driver = "asyncpg" if options.orm_async else "psycopg"
    return {
        "project_name": options.project_name,
        "distribution_name": options.distribution_name,
        "description": options.description,
        "orm_async": options.orm_async,
        "database": options.database,
        "docker": options.docker,
        "inference": options.inference,
        "dependencies": runtime_dependencies(options),
        "dev_dependencies": dev_dependencies(options),
        "sqlite_url": f"sqlite{driver}:///./app.db",
        "test_database_url": f"sqlite{driver}:///:memory:",
        "docker_database_url": f"sqlite{driver}:////app/data/app.db",
        "postgres_url": (
            f"postgresql+{postgres_driver}://app:change-me@localhost:5432/"
            + options.distribution_name.replace("-", "_")
        ),
        "test_postgres_url": f"postgresql+{postgres_driver}://app:change-me@localhost:5432/app_test",
        "ci_sqlite_url": f"sqlite{driver}:///./ci.db",
        "ci_postgres_url": f"postgresql+{postgres_driver}://app:app@localhost:5432/app",
        # A project generated for SQLite installs the PostgreSQL driver for that CI run only.
        "ci_postgres_driver": (
            "" if options.database == "postgresql" else postgres_requirement(options)
        ),
        "create_date": dt.date.today().isoformat(),
    }


def _included(options: ScaffoldOptions, path: PurePosixPath) -> bool:
    if options.inference:
        return True
    return not any(path == skip or skip in path.parents for skip in INFERENCE_ONLY)


def plan_project(options: ScaffoldOptions) -> ChangePlan:
    """Render the whole service for ``options`` in memory."""
    files = render_set(
        "project",
        template_context(options),
        include=lambda path: _included(options, path),
    )
    return ChangePlan(label=f"Scaffold FastAPI service {options.project_name}", creates=files)


def check_target_is_free(target: Path) -> None:
    """Refuse a target that is a file, or a directory that is not empty (listing its content)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a directory")
    try:
        entries = sorted(entry.name + ("/" if entry.is_dir() else "") for entry in target.iterdir())
    except OSError as error:
        raise ScaffoldError(f"cannot read {target}: {error.strerror or error}") from error
    if entries:
        shown = ", ".join(entries[:MAX_LISTED])
        more = f" and {len(entries) - MAX_LISTED} more" if len(entries) > MAX_LISTED else ""
        raise ScaffoldError(
            f"{target} is not empty ({shown}{more}); choose a new or empty directory"
        )
