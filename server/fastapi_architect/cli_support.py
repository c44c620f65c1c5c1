"""What every subcommand module shares: the error type the CLI turns into exit code 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

Runner = Callable[[argparse.Namespace], int]
"""A subcommand's implementation: parsed arguments in, exit code out."""


class CliError(Exception):
    """A usage or input error: printed as one line on stderr, exit code 2."""


def not_yet_available(command: str) -> Runner:
    """A runner for a subcommand whose feature has not landed yet."""

    def run(arguments: argparse.Namespace) -> int:
        raise CliError(f"'{command}' is not yet available in this version")

    return run
