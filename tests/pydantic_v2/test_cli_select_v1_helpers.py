"""``migrate`` / ``check`` select and ignore the root-model, TypeAdapter, ErrorWrapper and
json_encoders codes (PYD017–PYD020) like every other code, run from a shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.pydantic_v2.test_cli_select_format import cli, codes_in

SOURCE = """from datetime import date
from typing import List

from pydantic import BaseModel, parse_obj_as
from pydantic.error_wrappers import ErrorWrapper, ValidationError


class Tags(BaseModel):
    __root__: List[str]


class Day(BaseModel):
    d: date

    class Config:
        json_encoders = {date: str}


def load(raw):
    return parse_obj_as(Tags, raw)


def fail():
    raise ValidationError([ErrorWrapper(ValueError("no"), loc="d")], Day)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_check_reports_the_new_codes_and_select_narrows_them(project: Path) -> None:
    every = codes_in(cli(project, "check", ".").stdout)
    for code in ("PYD017", "PYD018", "PYD019", "PYD020"):
        assert code in every
    selected = codes_in(cli(project, "check", "--select", "PYD017,PYD02", ".").stdout)
    assert sorted(set(selected)) == ["PYD017", "PYD020"]


def test_migrate_select_converts_only_the_selected_code(project: Path) -> None:
    completed = cli(project, "migrate", "--select", "PYD018", ".")
    assert completed.returncode == 0, completed.stderr
    migrated = (project / "models.py").read_text(encoding="utf-8")
    assert "return TypeAdapter(Tags).validate_python(raw)" in migrated
    assert "__root__: List[str]" in migrated and "ErrorWrapper(" in migrated
    ignored = cli(project, "migrate", "--ignore", "PYD019", ".")
    assert ignored.returncode == 0, ignored.stderr
    migrated = (project / "models.py").read_text(encoding="utf-8")
    assert "class Tags(RootModel):" in migrated and "ErrorWrapper(" in migrated
