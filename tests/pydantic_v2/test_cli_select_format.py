"""``check`` / ``migrate`` ``--select`` / ``--ignore`` and ``check --format``, run from a shell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import migrate_source
from fastapi_architect.pydantic_v2.check_formats import escape_data, escape_property

MIXED = """from typing import Optional

from pydantic import BaseModel, Field, validator


class User(BaseModel):
    name: str = Field(..., regex="^a")
    note: Optional[str]

    class Config:
        orm_mode = True

    @validator("name")
    def strip(cls, v):
        return v.strip()
"""
"""PYD001 at 13:5, PYD011 at 7:28, PYD012 at 8:5, PYD010 at 10:5 (every one fixable)."""


def cli(cwd: Path, *words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fastapi_architect", *words],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def codes_in(text_output: str) -> list[str]:
    return [line.split(": ", 1)[1].split()[0] for line in text_output.splitlines()]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text(MIXED, encoding="utf-8")
    return tmp_path


def test_check_without_selection_reports_every_code(project: Path) -> None:
    completed = cli(project, "check", ".")

    assert completed.returncode == 1
    assert codes_in(completed.stdout) == ["PYD001", "PYD011", "PYD012", "PYD010"]


def test_check_select_reports_only_the_selected_codes(project: Path) -> None:
    completed = cli(project, "check", "--select", "PYD001,PYD012", ".")

    assert completed.returncode == 1
    assert codes_in(completed.stdout) == ["PYD001", "PYD012"]
    assert completed.stderr.startswith("2 findings (2 fixable) in 1 file;")


def test_check_select_prefix_takes_every_code_it_starts(project: Path) -> None:
    completed = cli(project, "check", "--select", "PYD01", ".")

    assert codes_in(completed.stdout) == ["PYD011", "PYD012", "PYD010"]


def test_check_ignore_drops_codes_and_a_more_specific_select_wins(project: Path) -> None:
    ignored = cli(project, "check", "--ignore", "PYD011", "--ignore", "pyd001", ".")
    specific = cli(project, "check", "--select", "PYD012", "--ignore", "PYD01", ".")

    assert codes_in(ignored.stdout) == ["PYD012", "PYD010"]
    assert codes_in(specific.stdout) == ["PYD012"]


def test_check_exits_0_when_every_finding_is_ignored(project: Path) -> None:
    completed = cli(project, "check", "--ignore", "PYD", ".")

    assert completed.returncode == 0
    assert completed.stdout == ""


@pytest.mark.parametrize("command", ["check", "migrate"])
@pytest.mark.parametrize(
    ("option", "value", "named"),
    [
        ("--select", "PYD001,PYD999", "'PYD999'"),
        ("--ignore", "E501", "'E501'"),
        ("--select", ",", "','"),
    ],
)
def test_unknown_code_is_a_one_line_usage_error_and_nothing_is_written(
    project: Path, command: str, option: str, value: str, named: str
) -> None:
    completed = cli(project, command, option, value, ".")

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert len(completed.stderr.splitlines()) == 1
    assert completed.stderr.startswith(f"fastapi-architect {command}: error: ")
    assert named in completed.stderr
    assert (project / "models.py").read_text(encoding="utf-8") == MIXED


def test_migrate_select_converts_only_the_selected_codes(project: Path) -> None:
    completed = cli(project, "migrate", "--select", "PYD010,PYD001", ".")

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "1 file scanned, 1 changed, 0 skipped\n"
    migrated = (project / "models.py").read_text(encoding="utf-8")
    assert "model_config = ConfigDict(from_attributes=True)" in migrated
    assert '@field_validator("name")' in migrated
    assert 'regex="^a"' in migrated
    assert "    note: Optional[str]\n" in migrated
    assert codes_in(cli(project, "check", ".").stdout) == ["PYD011", "PYD012"]


def test_migrate_ignore_leaves_the_ignored_codes(project: Path) -> None:
    cli(project, "migrate", "--ignore", "PYD01", ".")

    assert codes_in(cli(project, "check", ".").stdout) == ["PYD011", "PYD012", "PYD010"]


def test_selective_migrate_is_idempotent_and_the_rest_completes_it(project: Path) -> None:
    cli(project, "migrate", "--select", "PYD011", ".")
    once = (project / "models.py").read_text(encoding="utf-8")

    again = cli(project, "migrate", "--check", "--select", "PYD011", ".")

    assert again.returncode == 0
    assert again.stdout == "1 file scanned, 0 would change, 0 skipped\n"
    assert once != MIXED
    assert 'pattern="^a"' in once
    cli(project, "migrate", ".")
    assert (project / "models.py").read_text(encoding="utf-8") == migrate_source(MIXED)


def test_migrate_check_with_select_exits_1_only_for_selected_changes(project: Path) -> None:
    assert cli(project, "migrate", "--check", "--select", "PYD002", ".").returncode == 0
    assert cli(project, "migrate", "--check", "--select", "PYD012", ".").returncode == 1
    assert (project / "models.py").read_text(encoding="utf-8") == MIXED


def test_check_format_text_is_path_line_column_code_message(project: Path) -> None:
    default = cli(project, "check", "--select", "PYD001", ".")
    text = cli(project, "check", "--format", "text", "--select", "PYD001", ".")

    expected = (
        "models.py:13:5: PYD001 Pydantic V1 `@validator` is deprecated: "
        "convert to `@field_validator`.\n"
    )
    assert default.stdout == text.stdout == expected


def test_check_format_json_lists_one_object_per_finding(project: Path) -> None:
    completed = cli(project, "check", "--format", "json", "--select", "PYD001,PYD011", ".")

    assert completed.returncode == 1
    rows = json.loads(completed.stdout)
    assert rows[0] == {
        "path": "models.py",
        "line": 13,
        "column": 5,
        "code": "PYD001",
        "message": "Pydantic V1 `@validator` is deprecated: convert to `@field_validator`.",
        "fixable": True,
    }
    assert [(row["code"], row["line"], row["column"]) for row in rows] == [
        ("PYD001", 13, 5),
        ("PYD011", 7, 28),
    ]
    assert "2 findings" in completed.stderr


def test_check_format_json_is_an_empty_list_without_findings(project: Path) -> None:
    completed = cli(project, "check", "--format", "json", "--select", "PYD016", ".")

    assert completed.returncode == 0
    assert json.loads(completed.stdout) == []


def test_check_format_github_prints_one_warning_annotation_per_finding(project: Path) -> None:
    completed = cli(project, "check", "--format", "github", "--select", "PYD001", ".")

    assert completed.returncode == 1
    assert completed.stdout == (
        "::warning file=models.py,line=13,col=5,title=PYD001::"
        "Pydantic V1 `@validator` is deprecated: convert to `@field_validator`.\n"
    )


def test_check_format_github_escapes_the_file_property(tmp_path: Path) -> None:
    folder = tmp_path / "a,b:c%d"
    folder.mkdir()
    (folder / "m.py").write_text(MIXED, encoding="utf-8")

    completed = cli(tmp_path, "check", "--format", "github", "--select", "PYD001", ".")

    assert completed.stdout.startswith(
        "::warning file=a%2Cb%3Ac%25d/m.py,line=13,col=5,title=PYD001::"
    )


def test_github_escaping_of_messages_and_properties() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"


def test_check_rejects_an_unknown_format(project: Path) -> None:
    completed = cli(project, "check", "--format", "xml", ".")

    assert completed.returncode == 2
    assert "invalid choice: 'xml'" in completed.stderr
