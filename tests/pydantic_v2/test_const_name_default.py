"""``Field(NAME, const=True)`` (stac-pydantic: ``Field(STAC_VERSION, const=True)``) does not
become ``Literal[NAME]``: that runs under pydantic 2 but mypy rejects it, even for a ``Final``
name (the conversion, a ``field_validator``, is in ``test_realcode_regressions_3.py``)."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from test_behaviour_models import _load

LITERAL_NAME = """\
from typing import Final, Literal

from pydantic import BaseModel

VERSION: Final = "1.0.0"


class Item(BaseModel):
    version: Literal[VERSION] = VERSION
"""


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
