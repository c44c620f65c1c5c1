"""``fastapi-architect migrate`` and ``check``: the Pydantic V1 → V2 engine from the shell.

``migrate PATH...`` rewrites V1 validators in place and prints one summary line;
``--diff`` prints a unified diff instead and ``--check`` only reports (exit 1 when something
would change). ``check PATH...`` prints ``path:line:col: CODE message`` per finding (exit 1
if any; ``--format json|github`` for machines and GitHub Actions). ``--select`` / ``--ignore``
narrow both to some codes (PYD001–PYD020, prefixes allowed). Files and folders that cannot
be read or parsed, special files (FIFOs, devices) and files over the size limit are listed on
stderr and skipped; the rest is done.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi_architect.cli_support import EXIT_FINDINGS, EXIT_OK, CliError

if TYPE_CHECKING:
    from fastapi_architect.pydantic_v2.runner import Discovery, FileResult


CHECK_FORMATS = ("text", "json", "github")
"""``check --format`` choices (see ``check_formats``)."""


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``migrate`` and ``check`` subcommands."""
    migrate = subparsers.add_parser(
        "migrate",
        help="rewrite Pydantic V1 code to V2 in place",
        description=(
            "Convert Pydantic V1 code to V2 (validators, class Config, Field arguments, "
            "Optional defaults, moved imports) in the given files and folders (recursively, "
            "skipping .git, virtualenvs, node_modules, build and cache folders)."
        ),
    )
    migrate.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    migrate.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    migrate.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything would change"
    )
    _add_jobs(migrate)
    _add_code_selection(migrate, "convert")
    migrate.set_defaults(run=run_migrate)

    check = subparsers.add_parser(
        "check",
        help="report Pydantic V1 code and layer problems (FA101-FA107)",
        description=(
            "Print path:line:col: CODE message for every Pydantic V1 construct (PYD codes) "
            "and every route and layer problem (FA codes) found."
        ),
    )
    check.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    check.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help="text: path:line:col: CODE message; json: a list of objects; "
        "github: GitHub Actions annotations (default: text)",
    )
    _add_jobs(check)
    _add_code_selection(check, "report", with_layer_codes=True)
    check.set_defaults(run=run_check)


def _worker_count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {value!r}")
    return int(value)


def _add_jobs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j",
        "--jobs",
        type=_worker_count,
        default=None,
        metavar="N",
        help="worker processes for large trees (default: every core)",
    )


def _code_range(codes: Sequence[str]) -> str:
    return f"{min(codes)}-{max(codes)}"


def _add_code_selection(
    parser: argparse.ArgumentParser, verb: str, *, with_layer_codes: bool = False
) -> None:
    from fastapi_architect.layers.codes import CODES as LAYER_CODES
    from fastapi_architect.pydantic_v2.findings import CODES

    codes = _code_range(tuple(CODES))
    if with_layer_codes:
        codes += f", {_code_range(tuple(LAYER_CODES))}"
    parser.add_argument(
        "--select",
        action="append",
        metavar="CODE[,CODE...]",
        help=f"{verb} only these codes ({codes}; a prefix such as PYD01 takes all it "
        "starts; repeatable)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        metavar="CODE[,CODE...]",
        help=f"do not {verb} these codes (prefixes allowed; repeatable)",
    )


def _codes(
    arguments: argparse.Namespace, known: Sequence[str] | None = None
) -> frozenset[str] | None:
    """The codes (of ``known``, default the PYD codes) chosen by ``--select`` / ``--ignore``;
    None when neither was given."""
    from fastapi_architect.pydantic_v2.code_selection import (
        UnknownCode,
        parse_selectors,
        selected_codes,
    )
    from fastapi_architect.pydantic_v2.findings import CODES

    if arguments.select is None and arguments.ignore is None:
        return None
    known = tuple(CODES) if known is None else known
    try:
        select = None if arguments.select is None else parse_selectors(arguments.select, known)
        ignore = parse_selectors(arguments.ignore or (), known)
    except UnknownCode as error:
        raise CliError(str(error)) from None
    return selected_codes(select, ignore, known)


def _discover(paths: Sequence[Path]) -> Discovery:
    from fastapi_architect.pydantic_v2.runner import find_files

    missing = [str(path) for path in paths if not os.path.lexists(path)]
    if missing:
        raise CliError("no such file or directory: " + ", ".join(missing))
    return find_files(paths)


def _report_skips(results: Sequence[FileResult]) -> None:
    for result in results:
        print(f"{result.path}: skipped: {result.describe_skip()}", file=sys.stderr)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _skipped_text(skip_counts: dict[str, int]) -> str:
    text = f"{sum(skip_counts.values())} skipped"
    if skip_counts:
        text += " (" + ", ".join(f"{reason}: {n}" for reason, n in skip_counts.items()) + ")"
    return text


def summary_line(scanned: int, changed: int, skip_counts: dict[str, int], would: bool) -> str:
    """``N files scanned, M changed, K skipped (reason: n, ...)``."""
    verb = "would change" if would else "changed"
    return f"{_plural(scanned, 'file')} scanned, {changed} {verb}, {_skipped_text(skip_counts)}"


def run_migrate(arguments: argparse.Namespace) -> int:
    """``migrate``: rewrite in place, or print a diff / check without writing."""
    from fastapi_architect.pydantic_v2.runner import Task, run, workspace_of

    codes = _codes(arguments)
    found = _discover(arguments.paths)
    dry = arguments.diff or arguments.check
    workspace = workspace_of(arguments.paths)
    report = run(
        found.files,
        Task(write=not dry, diff=arguments.diff, codes=codes, workspace=workspace),
        jobs=arguments.jobs,
        skipped=found.skipped,
    )
    if arguments.diff:
        for result in report.changed:
            sys.stdout.write(result.diff or "")
    _report_skips(report.skipped)
    line = summary_line(report.scanned, len(report.changed), report.skip_counts(), would=dry)
    if report.refused:
        line += (
            f"; {_plural(report.refused, 'V1 construct')} left for a manual conversion "
            "(`fastapi-architect check` says why)"
        )
    print(line, file=sys.stderr if arguments.diff else sys.stdout)
    if arguments.check and report.changed:
        return EXIT_FINDINGS
    return EXIT_OK


def run_check(arguments: argparse.Namespace) -> int:
    """``check``: every finding in the chosen ``--format``, a summary on stderr."""
    from fastapi_architect.layers import CODES as LAYER_CODES
    from fastapi_architect.layers.workspace import check_files, project_root
    from fastapi_architect.pydantic_v2.check_formats import Reported, format_findings
    from fastapi_architect.pydantic_v2.findings import CODES
    from fastapi_architect.pydantic_v2.runner import Task, run, workspace_of

    codes = _codes(arguments, (*CODES, *LAYER_CODES))
    found = _discover(arguments.paths)
    report = run(
        found.files,
        Task(
            findings=True,
            codes=None if codes is None else codes & set(CODES),
            workspace=workspace_of(arguments.paths),
        ),
        jobs=arguments.jobs,
        skipped=found.skipped,
    )
    reported = [Reported(r.path, finding) for r in report.results for finding in r.findings]
    layer_codes = set(LAYER_CODES) if codes is None else codes & set(LAYER_CODES)
    if layer_codes and found.files:
        layer_findings = check_files(found.files, project_root(arguments.paths), layer_codes)
        reported.extend(Reported(item.path, item.finding) for item in layer_findings)
        reported.sort(key=lambda item: str(item.path))  # stable: each file's PYD, then FA
    sys.stdout.write(format_findings(arguments.format, reported))
    _report_skips(report.skipped)
    with_findings = len({item.path for item in reported})
    fixable = sum(1 for item in reported if item.finding.fixable)
    print(
        f"{_plural(len(reported), 'finding')} ({fixable} fixable) in "
        f"{_plural(with_findings, 'file')}; "
        f"{_plural(report.scanned, 'file')} scanned, {_skipped_text(report.skip_counts())}",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if reported else EXIT_OK
