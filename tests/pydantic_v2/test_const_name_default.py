"""``Field(NAME, const=True)`` (stac-pydantic: ``Field(STAC_VERSION, const=True)``) stays
reported: the report's reasons hold — ``Literal[NAME]`` runs under pydantic 2 but mypy rejects
it, even for a ``Final`` name, so neither form both keeps behaviour and leaves mypy clean."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from test_behaviour_models import _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = """\
from pydantic import BaseModel, Field

VERSION = "1.0.0"


class Item(BaseModel):
    version: str = Field(VERSION, const=True)
"""

LITERAL_NAME = """\
from typing import Final, Literal

from pydantic import BaseModel

VERSION: Final = "1.0.0"


class Item(BaseModel):
    version: Literal[VERSION] = VERSION
"""


def test_const_with_a_name_default_is_reported_with_both_rejected_forms() -> None:
    (finding,) = [f for f in find_findings(SOURCE) if f.code == "PYD011"]

    assert not finding.fixable
    assert "mypy rejects it" in finding.message
    assert "`Literal[<its value>]` would go stale when `VERSION` changes" in finding.message
    assert migrate_source(SOURCE) == SOURCE


def test_literal_of_a_name_runs_under_pydantic_2_but_mypy_rejects_it(tmp_path: Path) -> None:
    module = _load(LITERAL_NAME, f"const_name_{uuid.uuid4().hex[:8]}")
    assert module.Item(version="1.0.0").version == "1.0.0"

    path = tmp_path / "item.py"
    path.write_text(LITERAL_NAME, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Parameter 1 of Literal[...] is invalid  [valid-type]" in done.stdout
