"""Module- and class-level validators built on functions imported from another workspace file
(PYD001 / PYD002): the workspace index reads the function's parameters, so they convert like
local ones — only the call site changes — and are reported with the reason otherwise."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex, WorkspaceModels
from fastapi_architect.textedit import apply_edits

CHECKS = """\
import functools


def parse(cls, values):
    return values


def strip(cls, v):
    return v.strip()


def after(cls, v, values):
    return v


def with_field(cls, v, values, field):
    return v


@functools.lru_cache
def cached(cls, v):
    return v
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/checks.py": CHECKS,
            "app/reexport.py": "from app.checks import parse as parse_values\n",
        },
    )
    return tmp_path


def _models(root: Path, name: str, text: str) -> tuple[str, WorkspaceModels]:
    _write(root, {name: text})
    path = root / name
    source = path.read_text(encoding="utf-8")
    return source, ModelIndex([root]).models_for(path, ast.parse(source))


def test_a_pre_root_validator_on_a_reexported_function_converts_at_the_call_site(
    project: Path,
) -> None:
    source, models = _models(
        project,
        "app/models.py",
        """\
        from pydantic import BaseModel, root_validator

        from app.reexport import parse_values

        parsed = root_validator(pre=True, allow_reuse=True)(parse_values)


        class M(BaseModel):
            x: int = 0

            _parsed = parsed
        """,
    )
    (finding,) = [f for f in find_findings(source, models=models) if f.code == "PYD002"]
    assert finding.fixable, finding.message
    assert "`parse_values` is defined in `app.checks` as `parse`" in finding.message
    migrated = migrate_source(source, models=models)
    assert 'parsed = model_validator(mode="before")(classmethod(parse_values))\n' in migrated
    assert (project / "app/checks.py").read_text(encoding="utf-8") == CHECKS


def test_field_validators_on_relative_imports_convert_and_values_goes_through_info_data(
    project: Path,
) -> None:
    source, models = _models(
        project,
        "app/models.py",
        """\
        from pydantic import BaseModel, validator

        from .checks import after, strip

        stripped = validator("name", allow_reuse=True)(strip)
        checked = validator("name", pre=True, allow_reuse=True)(after)


        class M(BaseModel):
            name: str

            _stripped = stripped
            _checked = checked
            _inline = validator("name", allow_reuse=True)(strip)
        """,
    )
    findings = [f for f in find_findings(source, models=models) if f.code == "PYD001"]
    assert [f.fixable for f in findings] == [True, True, True], [f.message for f in findings]
    migrated = migrate_source(source, models=models)
    assert 'stripped = field_validator("name")(strip)\n' in migrated
    assert (
        'checked = field_validator("name", mode="before")'
        "(lambda cls, value, info: after(cls, value, values=info.data))\n"
    ) in migrated
    assert '    _inline = field_validator("name")(strip)\n' in migrated
    edits = fix_edits(source, [f.key for f in findings[:1]], models=models)
    assert apply_edits(source, edits).count('field_validator("name")') == 1


@pytest.mark.parametrize(
    ("imported", "reason"),
    [
        ("with_field", "takes `field`/`config`"),
        ("cached", "is decorated in `app.checks` (`@functools.lru_cache`)"),
        ("missing", "nor found in a workspace module it imports"),
    ],
)
def test_imported_functions_v2_cannot_call_alike_are_reported(
    project: Path, imported: str, reason: str
) -> None:
    source, models = _models(
        project,
        "app/models.py",
        f"""\
        from pydantic import validator

        from app.checks import {imported}

        checked = validator("name", allow_reuse=True)({imported})
        """,
    )
    (finding,) = [f for f in find_findings(source, models=models) if f.code == "PYD001"]
    assert not finding.fixable
    assert reason in finding.message
    assert migrate_source(source, models=models) == source


def test_a_changed_function_file_changes_the_answer(project: Path) -> None:
    text = """\
    from pydantic import validator

    from app.checks import strip

    stripped = validator("name", allow_reuse=True)(strip)
    """
    index = ModelIndex([project])
    _write(project, {"app/models.py": text})
    path = project / "app/models.py"
    source = path.read_text(encoding="utf-8")
    before = index.models_for(path, ast.parse(source))
    assert [f.fixable for f in find_findings(source, models=before)] == [True]
    changed = CHECKS.replace("def strip(cls, v):", "def strip(cls, v, field):")
    _write(project, {"app/checks.py": changed + "\n# changed\n"})
    after = index.models_for(path, ast.parse(source))
    assert [f.fixable for f in find_findings(source, models=after)] == [False]
