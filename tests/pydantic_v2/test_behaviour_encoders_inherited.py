"""A subclass's `json_encoders` keeps encoding its bases' types after the migration: V1 merged
the encoders through the bases, V2's `model_config` replaces the whole dict, so the converted
value spreads the bases' encoders first. The V1 module (the PYD010 fixture; its
``json_encoders`` stay reported as PYD020) runs under ``pydantic.v1`` (``.json()``) and its
migration under pydantic 2 (``model_dump_json()``): the same JSON."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "config_encoders_inheritance.before.py").read_text()


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_encoders_inherited_v1"),
        _load(migrate_source(SOURCE), "behaviour_encoders_inherited_v2"),
    )


@pytest.mark.parametrize("name", ["Base", "Middle", "Child", "Override", "FromName"])
def test_json_output_uses_the_same_encoders_as_v1(
    modules: tuple[types.ModuleType, types.ModuleType], name: str
) -> None:
    v1, v2 = modules
    before = json.loads(getattr(v1, name)().json())
    after = json.loads(getattr(v2, name)().model_dump_json())
    assert before == after


def test_a_subclass_adding_an_encoder_still_encodes_its_bases_types(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    _, v2 = modules
    assert json.loads(v2.Child().model_dump_json()) == {"at": "02/01", "price": "EUR 1.5"}


BASE_FILE = """\
import datetime
from typing import Any

from pydantic import BaseModel


class Stamped(BaseModel):
    at: datetime.date = datetime.date(2020, 1, 2)
    meta: Any = None  # a date could hide here: PYD020 keeps the key rather than serializers

    class Config:
        json_encoders = {datetime.date: lambda d: d.strftime("%d/%m")}


class Sibling(Stamped):
    pass
"""

CHILD_FILE = """\
from decimal import Decimal

from {package}.base import Stamped


class Priced(Stamped):
    price: Decimal = Decimal("1.5")

    class Config:
        json_encoders = {{Decimal: lambda d: f"EUR {{d}}"}}
"""


def test_a_base_of_another_file_keeps_its_encoders_in_the_subclass(tmp_path: Path) -> None:
    import importlib
    import sys
    import uuid
    import warnings

    from fastapi_architect.pydantic_v2.runner import Task, discover, run

    tag = uuid.uuid4().hex[:8]
    legacy, migrated = f"encoders_legacy_{tag}", f"encoders_migrated_{tag}"
    for package, v1 in ((legacy, True), (migrated, False)):
        folder = tmp_path / package
        folder.mkdir()
        (folder / "__init__.py").write_text("", encoding="utf-8")
        for module, text in (("base", BASE_FILE), ("child", CHILD_FILE.format(package=package))):
            (folder / f"{module}.py").write_text(_as_v1(text) if v1 else text, encoding="utf-8")
    folder = tmp_path / migrated
    run(discover([folder]), Task(write=True, workspace=(folder,)), jobs=1)
    assert '**Stamped.model_config.get("json_encoders", {})' in (folder / "child.py").read_text()
    sys.path.insert(0, str(tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v1 = importlib.import_module(f"{legacy}.child")
            v2 = importlib.import_module(f"{migrated}.child")
        before = json.loads(v1.Priced().json())
        after = json.loads(v2.Priced().model_dump_json())
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith((legacy, migrated))]:
            del sys.modules[name]
    assert before == after == {"at": "02/01", "meta": None, "price": "EUR 1.5"}
