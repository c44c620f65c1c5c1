"""The ``fastapi-architect`` command line: serve the language server or run an engine.

Subcommands other than ``serve`` are defined next to their engines (``scaffold/cli.py``,
``pydantic_v2/cli.py``, ``extract/cli.py``); this module only builds the parser and turns
errors into one line on stderr with exit code 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from fastapi_architect import __version__
from fastapi_architect.cli_support import EXIT_USAGE, CliError

PROG = "fastapi-architect"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _tcp_address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host, int(port)


def _add_serve(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="run the language server (stdio by default)",
        description="Run the FastAPI Architect language server.",
    )
    serve.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)"
    )
    serve.add_argument(
        "--tcp", metavar="HOST:PORT", type=_tcp_address, help="listen on a TCP address instead"
    )
    serve.add_argument("--log-file", metavar="PATH", type=Path, help="write the server log here")
    serve.add_argument(
        "--log-level",
        choices=["error", "warning", "info", "debug"],
        default="warning",
        help="how much to write to the log file (default: warning)",
    )
    serve.set_defaults(run=_run_serve)


def _run_serve(arguments: argparse.Namespace) -> int:
    if arguments.stdio and arguments.tcp:
        raise CliError("choose one of --stdio and --tcp")
    level = getattr(logging, arguments.log_level.upper())
    if arguments.log_file is not None:
        try:
            handler: logging.Handler = logging.FileHandler(arguments.log_file, encoding="utf-8")
        except OSError as error:
            raise CliError(
                f"cannot open log file {arguments.log_file}: {error.strerror}"
            ) from error
    else:
        # stdout carries the protocol: the log may only go to stderr.
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)

    from fastapi_architect.lsp.setup import serve

    return serve(tcp=arguments.tcp)


def build_parser(serve_only: bool = False) -> argparse.ArgumentParser:
    """The command-line parser with every subcommand, or only ``serve``.

    ``serve_only`` skips importing the engines' subcommands (pydantic, jinja2 …): an editor
    starting the server waits for ``initialize`` and should not pay for them.
    """
    parser = _Parser(
        prog=PROG,
        description=(
            "FastAPI Architect: scaffold FastAPI services, migrate Pydantic V1 to V2, "
            "extract endpoint logic into services — from any LSP editor or the shell."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_serve(subparsers)
    if not serve_only:
        from fastapi_architect.extract import cli as extract_cli
        from fastapi_architect.pydantic_v2 import cli as pydantic_cli
        from fastapi_architect.scaffold import cli as scaffold_cli

        scaffold_cli.register(subparsers)
        pydantic_cli.register(subparsers)
        extract_cli.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(serve_only=words[:1] == ["serve"])
    arguments = parser.parse_args(words)
    if arguments.command is None:
        print(f"{PROG}: error: a command is required (see --help)", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(arguments.run(arguments))
    except CliError as error:
        print(f"{PROG} {arguments.command}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("FASTAPI_ARCHITECT_DEBUG"):
            raise
        print(
            f"{PROG} {arguments.command}: internal error: {error!r} "
            "(set FASTAPI_ARCHITECT_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return 70
