"""The command line: version, usage errors as one line with exit code 2, no tracebacks."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect import __version__, cli
from fastapi_architect.cli_support import CliError, not_yet_available


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fastapi_architect", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_version_prints_name_and_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"fastapi-architect {__version__}"


def test_help_lists_every_subcommand() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("serve", "new", "add-resource", "migrate", "extract-service", "check"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "a command is required"),
        (("bogus",), "invalid choice"),
        (("serve", "--tcp", "nowhere"), "expected HOST:PORT"),
        (("serve", "--tcp", "localhost:99999"), "expected HOST:PORT"),
        (("serve", "--log-level", "loud"), "invalid choice"),
        (("new",), "required"),
        (("extract-service", "app.py", "--line", "0"), "line number"),
        (("migrate",), "required"),
    ],
)
def test_usage_errors_are_one_line_on_stderr_with_exit_code_2(
    args: tuple[str, ...], expected: str
) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_stdio_and_tcp_together_are_refused() -> None:
    result = run_cli("serve", "--stdio", "--tcp", "127.0.0.1:2087")
    assert result.returncode == 2
    assert "choose one of --stdio and --tcp" in result.stderr


def test_a_subcommand_that_has_not_landed_says_so() -> None:
    with pytest.raises(CliError, match="'demo' is not yet available"):
        not_yet_available("demo")(argparse.Namespace())


def test_unexpected_errors_are_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(arguments: argparse.Namespace) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli, "_run_serve", explode)
    monkeypatch.delenv("FASTAPI_ARCHITECT_DEBUG", raising=False)
    assert cli.main(["serve"]) == 70
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "disk on fire" in err and "FASTAPI_ARCHITECT_DEBUG" in err


def test_console_script_is_installed() -> None:
    script = shutil.which("fastapi-architect", path=str(Path(sys.executable).parent))
    assert script is not None
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == f"fastapi-architect {__version__}"
