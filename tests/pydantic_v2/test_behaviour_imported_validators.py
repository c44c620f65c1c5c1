"""Validators built at module or class level on functions imported from another workspace
file convert like those on local functions: ``pydantic.v1`` on the original package vs the
package migrated as a folder (``runner`` with the workspace index) under pydantic 2 — same
accept/reject, same data, same error locations. Only the module that builds the validators
changes; the functions' module is left as it is."""

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

CHECKS = """\
from typing import Any, Dict


def parse_pair(cls, values: Dict[str, Any]) -> Dict[str, Any]:
    if isinstance(values.get("pair"), str):
        left, _, right = values.pop("pair").partition(":")
        values.update(left=left, right=right)
    return values


def strip_text(cls, v: str) -> str:
    return v.strip()


def after_left(cls, v: Any, values: Dict[str, Any]) -> Any:
    if "left" not in values:
        raise ValueError("left is missing or invalid")
    return f"{values['left']}>{v}"


def upper(v):
    return v.upper()
"""

SHARED = """\
from {package}.checks import parse_pair, upper
"""

MODELS = """\
from pydantic import BaseModel, root_validator, validator

from .checks import after_left, strip_text
from {package}.shared import parse_pair, upper

parse_pairs = root_validator(pre=True, allow_reuse=True)(parse_pair)
strip_left = validator("left", allow_reuse=True)(strip_text)
chain_right = validator("right", allow_reuse=True)(after_left)


class Pair(BaseModel):
    left: str
    right: str
    code: str = ""

    _parse = parse_pairs
    _strip = strip_left
    _chain = chain_right
    _upper = validator("code", allow_reuse=True)(upper)
"""

PROBES: list[tuple[str, dict[str, Any]]] = [
    ("Pair", {"pair": " a :b"}),
    ("Pair", {"left": " x ", "right": "y", "code": "ab"}),
    ("Pair", {"left": [1], "right": "y"}),
    ("Pair", {"right": "y"}),
    ("Pair", {"left": "x", "right": "y", "code": [1]}),
]


def _write_package(root: Path, package: str, v1: bool) -> None:
    folder = root / package
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for name, text in (("checks", CHECKS), ("shared", SHARED), ("models", MODELS)):
        source = text.replace("{package}", package)
        (folder / f"{name}.py").write_text(_as_v1(source) if v1 else source, encoding="utf-8")


@pytest.fixture
def packages(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    with v1_and_migrated(tmp_path, "fn", _write_package) as (legacy, migrated):
        yield legacy, migrated, tmp_path


def test_validators_on_imported_functions_behave_as_in_v1(
    packages: tuple[str, str, Path],
) -> None:
    legacy, migrated, root = packages
    folder = root / migrated
    report = run(discover([folder]), Task(write=True, workspace=(folder,)), jobs=1)
    changed = {r.path.name for r in report.results if r.status is Status.CHANGED}
    assert changed == {"models.py"}, [(r.path, r.status, r.detail) for r in report.results]
    text = (folder / "models.py").read_text(encoding="utf-8")
    assert "validator(" not in text.replace("field_validator(", "").replace(
        "model_validator(", ""
    ), text
    assert 'parse_pairs = model_validator(mode="before")(classmethod(parse_pair))\n' in text
    assert "info.data" in text
    for model, data in PROBES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v1 = importlib.import_module(f"{legacy}.models")
            v2 = importlib.import_module(f"{migrated}.models")
        before = _run_v1(v1, model, dict(data))
        after = _run_v2(v2, model, dict(data))
        assert before[0] == after[0], f"{model}({data}): V1 {before} vs V2 {after}"
        if before[0] == "accepted":
            assert before[1] == after[1], f"{model}({data}): V1 {before} vs V2 {after}"
        else:
            assert _field_errors(before[1]) == _field_errors(after[1]), f"{model}({data})"


def test_without_the_workspace_they_are_reported_with_the_reason(tmp_path: Path) -> None:
    _write_package(tmp_path, "alone_fn", v1=False)
    models = tmp_path / "alone_fn" / "models.py"
    report = run([models], Task(findings=True), jobs=1)
    (result,) = report.results
    refused = {f.key: f.message for f in result.findings if not f.fixable}
    assert "<module>.parse_pairs" in refused
    assert "nor found in a workspace module it imports" in refused["<module>.parse_pairs"]
