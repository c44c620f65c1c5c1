"""``fastapi-architect migrate`` and ``check`` (placeholders until the migration lands)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fastapi_architect.cli_support import not_yet_available


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``migrate`` and ``check`` subcommands."""
    migrate = subparsers.add_parser("migrate", help="rewrite Pydantic V1 validators to V2 in place")
    migrate.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    migrate.add_argument("--diff", action="store_true", help="print a diff, write nothing")
    migrate.add_argument("--check", action="store_true", help="exit 1 if anything would change")
    migrate.set_defaults(run=not_yet_available("migrate"))

    check = subparsers.add_parser("check", help="report Pydantic V1 validators")
    check.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    check.set_defaults(run=not_yet_available("check"))
