"""How ``check`` prints its findings: ``text``, ``json`` or ``github`` (Actions annotations).

Lines and columns are 1-based in every format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from fastapi_architect.textedit import TextPosition


class ReportableFinding(Protocol):
    """What ``check`` prints of a finding (Pydantic ``Finding``s and FA layer findings)."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def start(self) -> TextPosition: ...
    @property
    def fixable(self) -> bool: ...


@dataclass(frozen=True)
class Reported:
    """One finding with the file it was found in."""

    path: Path
    finding: ReportableFinding

    @property
    def line(self) -> int:
        return self.finding.start.line + 1

    @property
    def column(self) -> int:
        return self.finding.start.column + 1

    @property
    def message(self) -> str:
        """The message on one line."""
        return " ".join(self.finding.message.split())


def format_text(reported: Iterable[Reported]) -> str:
    """``path:line:col: CODE message``, one line per finding."""
    return "".join(
        f"{r.path}:{r.line}:{r.column}: {r.finding.code} {r.message}\n" for r in reported
    )


def format_json(reported: Iterable[Reported]) -> str:
    """A JSON list of ``{path, line, column, code, message, fixable}`` objects."""
    rows = [
        {
            "path": str(r.path),
            "line": r.line,
            "column": r.column,
            "code": r.finding.code,
            "message": r.message,
            "fixable": r.finding.fixable,
        }
        for r in reported
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def escape_data(value: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """GitHub's escaping of a workflow command's property value (``file=``, ``title=``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(reported: Iterable[Reported]) -> str:
    """``::warning file=…,line=…,col=…,title=CODE::message``, one line per finding."""
    return "".join(
        f"::warning file={escape_property(r.path.as_posix())},line={r.line},col={r.column},"
        f"title={escape_property(r.finding.code)}::{escape_data(r.message)}\n"
        for r in reported
    )


def format_findings(output_format: str, reported: Iterable[Reported]) -> str:
    """The findings in ``output_format``: ``json``, ``github``, else ``text``."""
    if output_format == "json":
        return format_json(reported)
    if output_format == "github":
        return format_github(reported)
    return format_text(reported)
