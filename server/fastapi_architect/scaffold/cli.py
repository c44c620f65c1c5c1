"""``fastapi-architect new`` and ``add-resource`` (placeholders until the scaffold lands)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fastapi_architect.cli_support import not_yet_available


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``new`` and ``add-resource`` subcommands."""
    new = subparsers.add_parser("new", help="scaffold a layered FastAPI service into DIR")
    new.add_argument("directory", metavar="DIR", type=Path, help="the project directory to create")
    new.add_argument("--orm", choices=["sync", "async"], default="sync")
    new.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    new.add_argument("--docker", choices=["tiangolo", "slim"], default="tiangolo")
    new.add_argument("--no-inference", action="store_true", help="leave out the model endpoint")
    new.set_defaults(run=not_yet_available("new"))

    add = subparsers.add_parser("add-resource", help="add a CRUD resource to a scaffolded project")
    add.add_argument("name", metavar="NAME", help="the resource name, e.g. order")
    add.add_argument("--project", metavar="DIR", type=Path, default=Path(), help="project root")
    add.set_defaults(run=not_yet_available("add-resource"))
