"""Behaviour is kept across files: a V1 package (base model in one module, subclasses with
``always=True`` validators in another) under ``pydantic.v1`` vs the same package migrated as a
folder (``runner`` with the workspace index) under pydantic 2: same accept/reject, same data,
same error locations, for the subclass that changed and for the base's other subclasses."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from package_pairs import v1_and_migrated
from test_behaviour_models import _as_v1, _field_errors, _run_v1, _run_v2

from fastapi_architect.pydantic_v2.runner import Status, Task, discover, run

BASE = """\
from typing import Optional

from pydantic import BaseModel, Field


class Base(BaseModel):
    name: Optional[str] = None
    count: int = Field(0, ge=0)
    tag: str = "x"
    required: int
"""

CHILD = """\
from pydantic import validator

from {package}.base import Base


class Child(Base):
    @validator("name", always=True)
    def fill(cls, v):
        return v or "filled"

    @validator("count", "required", always=True)
    def bump(cls, v):
        return v + 1


class Sibling(Base):
    @validator("tag")
    def upper(cls, v):
        return v.upper()
"""

OTHER = """\
from {package}.base import Base


class Other(Base):
    pass
"""

PROBES: list[tuple[str, str, dict[str, Any]]] = [
    ("child", "Child", {"required": 1}),
    ("child", "Child", {"required": 1, "name": "given", "count": 3}),
    ("child", "Child", {"required": 1, "count": -1}),
    ("child", "Child", {}),
    ("child", "Sibling", {"required": 1}),
    ("child", "Sibling", {"required": 1, "tag": "y"}),
    ("other", "Other", {"required": 2}),
    ("other", "Other", {"required": 2, "count": -5}),
    ("base", "Base", {"required": 3}),
]


def _write_package(root: Path, package: str, v1: bool) -> None:
    folder = root / package
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for name, text in (("base", BASE), ("child", CHILD), ("other", OTHER)):
        source = text.format(package=package)
        (folder / f"{name}.py").write_text(_as_v1(source) if v1 else source, encoding="utf-8")


@pytest.fixture
def packages(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    with v1_and_migrated(tmp_path, "ws", _write_package) as (legacy, migrated):
        yield legacy, migrated, tmp_path


def test_always_on_a_field_of_a_base_in_another_module_behaves_as_in_v1(
    packages: tuple[str, str, Path],
) -> None:
    legacy, migrated, root = packages
    folder = root / migrated
    report = run(discover([folder]), Task(write=True, workspace=(folder,)), jobs=1)
    changed = {r.path.name for r in report.results if r.status is Status.CHANGED}
    assert changed == {"child.py"}, [(r.path, r.status, r.detail) for r in report.results]
    child_text = (folder / "child.py").read_text(encoding="utf-8")
    assert "@validator" not in child_text and "validate_default=True" in child_text
    assert (folder / "base.py").read_text(encoding="utf-8") == BASE  # other subclasses unchanged
    for module_name, model, data in PROBES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v1 = importlib.import_module(f"{legacy}.{module_name}")
            v2 = importlib.import_module(f"{migrated}.{module_name}")
        before = _run_v1(v1, model, dict(data))
        after = _run_v2(v2, model, dict(data))
        assert before[0] == after[0], f"{model}({data}): V1 {before} vs V2 {after}"
        if before[0] == "accepted":
            assert before[1] == after[1], f"{model}({data}): V1 {before} vs V2 {after}"
        else:
            assert _field_errors(before[1]) == _field_errors(after[1]), f"{model}({data})"


def test_without_the_workspace_the_cross_file_always_validator_is_refused(
    tmp_path: Path,
) -> None:
    _write_package(tmp_path, "alone", v1=False)
    child = tmp_path / "alone" / "child.py"
    report = run([child], Task(findings=True), jobs=1)
    (result,) = report.results
    refused = [f for f in result.findings if not f.fixable]
    assert refused and "nor in a base model in this file" in refused[0].message
    assert child.read_text(encoding="utf-8") == CHILD.format(package="alone")
