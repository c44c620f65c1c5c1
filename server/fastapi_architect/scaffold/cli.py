"""``fastapi-architect new`` and ``fastapi-architect add-resource``."""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from fastapi_architect.cli_support import EXIT_OK, CliError


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``new`` and ``add-resource`` subcommands."""
    new = subparsers.add_parser(
        "new",
        help="scaffold a layered FastAPI service into DIR",
        description=(
            "Generate a layered FastAPI service (API, services, SQLAlchemy 2.0 models, Pydantic V2 "
            "schemas, Alembic, tests, Dockerfile) into DIR, which must be new or empty."
        ),
    )
    new.add_argument("directory", metavar="DIR", type=Path, help="the project directory to create")
    new.add_argument(
        "--orm",
        choices=["sync", "async"],
        default="sync",
        help="SQLAlchemy sessions: sync (default) or async (AsyncSession, aiosqlite/asyncpg)",
    )
    new.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="the database .env.example points at (SQLite stays the zero-config default)",
    )
    new.add_argument(
        "--docker",
        choices=["tiangolo", "slim"],
        default="tiangolo",
        help="Dockerfile base: tiangolo/uvicorn-gunicorn-fastapi (default) or python:3.12-slim",
    )
    new.add_argument("--no-inference", action="store_true", help="leave out the model endpoint")
    new.add_argument("--description", help="one line describing the service")
    new.set_defaults(run=run_new)

    add = subparsers.add_parser(
        "add-resource",
        help="add a CRUD resource to a scaffolded project",
        description=(
            "Add model, schemas, service, endpoints, tests and a migration for NAME, and wire "
            "them into app/api/v1/router.py, app/models/__init__.py and app/api/deps.py. The "
            "endpoints require a signed-in user unless --public is given."
        ),
    )
    add.add_argument("name", metavar="NAME", help="the singular resource name, e.g. order")
    add.add_argument(
        "--project",
        metavar="DIR",
        type=Path,
        default=Path(),
        help="the project root or a folder inside it (default: the current directory)",
    )
    add.add_argument(
        "--public",
        action="store_true",
        help="endpoints open to anyone (default: they require a signed-in user, 401 without)",
    )
    add.set_defaults(run=run_add_resource)


def run_new(arguments: argparse.Namespace) -> int:
    """Render the service in memory, then write it; nothing is left behind on failure."""
    from fastapi_architect.plan import PlanError, write_plan
    from fastapi_architect.scaffold import (
        ScaffoldError,
        check_target_is_free,
        parse_options,
        plan_project,
    )

    target: Path = arguments.directory.expanduser().absolute()
    values: dict[str, Any] = {
        "project_name": target.name,
        "orm": arguments.orm,
        "database": arguments.database,
        "docker": arguments.docker,
        "inference": not arguments.no_inference,
    }
    if arguments.description is not None:
        values["description"] = arguments.description
    try:
        options = parse_options(values)
        check_target_is_free(target)
        plan = plan_project(options)
        write_plan(plan, target)
    except (ScaffoldError, PlanError) as error:
        raise CliError(str(error)) from error
    print(f"Created {options.project_name} in {target}:")
    print(render_tree([f.path for f in plan.creates]))
    shown = shlex.quote(str(arguments.directory))
    print(
        "\nNext:\n"
        f"  cd {shown}\n"
        "  python -m venv .venv && . .venv/bin/activate\n"
        '  pip install -e ".[dev]"\n'
        "  pytest && ruff check . && mypy --strict app\n"
        "  alembic upgrade head\n"
        "  uvicorn app.main:app --reload      # then open http://127.0.0.1:8000/docs"
    )
    return EXIT_OK


def run_add_resource(arguments: argparse.Namespace) -> int:
    """Add a resource to the project containing ``--project``."""
    from fastapi_architect.plan import PlanError, write_plan
    from fastapi_architect.scaffold import ScaffoldError, plan_add_resource
    from fastapi_architect.scaffold.resource import find_project_root

    start: Path = arguments.project.expanduser().absolute()
    root = find_project_root(start)
    if root is None:
        raise CliError(
            f"no scaffolded project at {start} (looked for app/api/v1/router.py there and above)"
        )
    try:
        plan = plan_add_resource(root, arguments.name, public=arguments.public)
        write_plan(plan, root)
    except (ScaffoldError, PlanError) as error:
        raise CliError(str(error)) from error
    access = "open to anyone" if arguments.public else "requiring a signed-in user"
    print(f"Added resource {arguments.name} to {root} (endpoints {access}):")
    print(render_tree([f.path for f in plan.creates]))
    print("Edited: " + ", ".join(str(edit.path) for edit in plan.edits))
    print("\nNext: alembic upgrade head && pytest")
    return EXIT_OK


def render_tree(paths: Sequence[PurePosixPath]) -> str:
    """An indented tree of ``paths`` (folders first, then files, each sorted)."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path.parts[:-1]:
            node = node.setdefault(part + "/", {})
        node[path.parts[-1]] = None
    lines: list[str] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        folders = sorted(key for key, value in node.items() if value is not None)
        files = sorted(key for key, value in node.items() if value is None)
        for name in folders:
            lines.append("  " * depth + name)
            walk(node[name], depth + 1)
        for name in files:
            lines.append("  " * depth + name)

    walk(tree, 1)
    return "\n".join(lines)
