"""``fastapi-architect extract-service`` (placeholder until the refactoring lands)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fastapi_architect.cli_support import not_yet_available


def _positive_line(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a line number >= 1, got {value!r}")
    return int(value)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``extract-service`` subcommand."""
    extract = subparsers.add_parser(
        "extract-service", help="move an endpoint's logic into the service layer"
    )
    extract.add_argument("file", metavar="FILE", type=Path, help="the endpoint module")
    extract.add_argument(
        "--line", required=True, type=_positive_line, help="any 1-based line inside the endpoint"
    )
    extract.add_argument("--diff", action="store_true", help="print a diff, write nothing")
    extract.set_defaults(run=not_yet_available("extract-service"))
