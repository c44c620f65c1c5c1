"""``fastapi-architect extract-service FILE --line N [--diff]``: the refactoring from the shell."""

from __future__ import annotations

import argparse
import dataclasses
import difflib
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from fastapi_architect.cli_support import EXIT_OK, CliError

if TYPE_CHECKING:
    from fastapi_architect.extract.planner import Extraction


def _positive_line(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a line number >= 1, got {value!r}")
    return int(value)


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``extract-service`` subcommand."""
    extract = subparsers.add_parser(
        "extract-service",
        help="move an endpoint's logic into the service layer",
        description=(
            "Move the logic of the path operation function around FILE:N into the service "
            "layer (app/services/...), its request/response models into app/schemas/..., and "
            "leave the endpoint as one call to the new service function."
        ),
    )
    extract.add_argument("file", metavar="FILE", type=Path, help="the endpoint module")
    extract.add_argument(
        "--line", required=True, type=_positive_line, help="any 1-based line inside the endpoint"
    )
    extract.add_argument("--diff", action="store_true", help="print a diff, write nothing")
    extract.add_argument(
        "--service-module",
        default="auto",
        metavar="PATTERN",
        help="service module name: 'auto' (follow the project) or e.g. '{singular}_service'",
    )
    extract.set_defaults(run=run)


def _unified(before: str, after: str, name: str, new: bool) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile="/dev/null" if new else f"a/{name}",
            tofile=f"b/{name}",
        )
    )


def _current_directory_holding(path: Path) -> Path | None:
    """The current directory when it holds ``path`` (the workspace of the command)."""
    current = Path.cwd().resolve()
    return current if current in path.resolve().parents else None


def _from_current_directory(extraction: Extraction) -> Extraction:
    """The extraction with paths relative to the current directory when it holds the
    import root, so messages name real paths and ``--diff`` applies with ``git apply``."""
    current = Path.cwd().resolve()
    root = extraction.root.resolve()
    if current != root and current not in root.parents:
        return extraction
    prefix = PurePosixPath(root.relative_to(current).as_posix())
    plan = extraction.plan
    return dataclasses.replace(
        extraction,
        root=current,
        plan=dataclasses.replace(
            plan,
            creates=[dataclasses.replace(g, path=prefix / g.path) for g in plan.creates],
            edits=[dataclasses.replace(e, path=prefix / e.path) for e in plan.edits],
        ),
        service_path=prefix / extraction.service_path,
        schemas_path=None if extraction.schemas_path is None else prefix / extraction.schemas_path,
    )


def run(arguments: argparse.Namespace) -> int:
    """Plan the extraction and print its diff or write it."""
    from fastapi_architect.extract.context import ExtractRefusal
    from fastapi_architect.extract.planner import plan_extract
    from fastapi_architect.plan import PlanError, resolve_inside, write_plan
    from fastapi_architect.project_files import DISK, describe_read_error
    from fastapi_architect.textedit import apply_edits

    path: Path = arguments.file
    try:
        text = DISK.read_text(path)
    except FileNotFoundError as error:
        raise CliError(f"{path}: no such file") from error
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CliError(f"{path}: cannot read ({describe_read_error(error)})") from error
    try:
        extraction = plan_extract(
            text,
            path,
            arguments.line - 1,
            workspace=_current_directory_holding(path),
            service_module=arguments.service_module,
        )
    except ExtractRefusal as error:
        raise CliError(f"{path}:{arguments.line}: {error}") from error
    extraction = _from_current_directory(extraction)
    plan = extraction.plan
    if arguments.diff:
        for generated in plan.creates:
            print(_unified("", generated.content, generated.path.as_posix(), new=True), end="")
        for change in plan.edits:
            before = DISK.read_text(resolve_inside(extraction.root, change.path))
            after = apply_edits(before, change.edits)
            print(_unified(before, after, change.path.as_posix(), new=False), end="")
        return EXIT_OK
    try:
        written = write_plan(plan, extraction.root)
    except PlanError as error:
        raise CliError(str(error)) from error
    print(
        f"extracted {extraction.endpoint} → {extraction.service_path} "
        f"({extraction.service_function}); {len(written)} file(s) written"
    )
    return EXIT_OK
