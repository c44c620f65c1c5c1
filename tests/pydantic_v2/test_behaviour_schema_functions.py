"""``pydantic.schema`` calls keep V1's result shape: the functions of
``fixtures/behaviour/schema_functions.py`` run under ``pydantic.v1`` (original) and under
pydantic 2 (migrated). Their schemas differ in content (V2 writes JSON Schema 2020-12:
``anyOf`` with ``null``, ``const``), so what is compared is the shape a caller reads: the
top-level keys, the definition names, each definition's properties and required fields, every
``$ref``, and that every ``$ref`` points at a definition of the same result."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "schema_functions.py").read_text()
Modules = tuple[types.ModuleType, types.ModuleType]


@pytest.fixture(scope="module")
def modules() -> Modules:
    return (
        _load(_as_v1(SOURCE), "behaviour_schema_functions_v1"),
        _load(migrate_source(SOURCE), "behaviour_schema_functions_v2"),
    )


def _refs(value: Any) -> Iterator[str]:
    """Every ``$ref`` and discriminator mapping target in ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item
            elif key == "mapping" and isinstance(item, dict):
                yield from (v for v in item.values() if isinstance(v, str))
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _shape(result: dict[str, Any]) -> dict[str, Any]:
    """What a caller of V1's function reads from its result, beyond the schemas' content."""
    definitions = result.get("definitions", {})
    return {
        "keys": sorted(result),
        "definitions": {
            name: (sorted(d.get("properties", {})), sorted(d.get("required", [])))
            for name, d in definitions.items()
        },
        "properties": sorted(result.get("properties", {})),
        "refs": sorted(set(_refs(result))),
        "title": result.get("title"),
        "description": result.get("description"),
    }


def _same_shape(modules: Modules, function: str, *models: str) -> dict[str, Any]:
    v1, v2 = modules
    args_v1 = [getattr(v1, m) for m in models]
    args_v2 = [getattr(v2, m) for m in models]
    old = getattr(v1, function)(*args_v1) if len(models) == 1 else getattr(v1, function)(args_v1)
    new = getattr(v2, function)(*args_v2) if len(models) == 1 else getattr(v2, function)(args_v2)
    assert _shape(new) == _shape(old)
    return new


def test_the_migrated_module_has_no_pydantic_schema_left() -> None:
    migrated = migrate_source(SOURCE)
    assert "from pydantic.schema" not in migrated
    assert [f for f in find_findings(migrated) if f.code in ("PYD013", "PYD023")] == []


def test_openapi_components_have_v1_names_refs_and_shape(modules: Modules) -> None:
    v1, v2 = modules
    old = v1.components([v1.Pet, v1.Node])
    new = v2.components([v2.Pet, v2.Node])
    assert _shape(new) == _shape(old)
    assert set(new) == {"definitions"}
    for ref in _refs(new):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in new["definitions"]
    assert "nickName" in new["definitions"]["Pet"]["properties"]


def test_components_without_aliases_use_field_names(modules: Modules) -> None:
    v1, v2 = modules
    old, new = v1.components([v1.Pet], by_alias=False), v2.components([v2.Pet], by_alias=False)
    assert _shape(new) == _shape(old)
    assert "nickname" in new["definitions"]["Pet"]["properties"]


def test_title_and_description_sit_beside_the_definitions(modules: Modules) -> None:
    new = _same_shape(modules, "titled", "Pet", "Tag")
    assert (new["title"], new["description"]) == ("API", "Every model")


def test_no_models_give_an_empty_schema_as_in_v1(modules: Modules) -> None:
    v1, v2 = modules
    assert v1.nothing() == v2.nothing() == {}


@pytest.mark.parametrize("function", ["single", "file_refs", "without_aliases", "prefixed"])
@pytest.mark.parametrize("model", ["Pet", "Node", "Tag"])
def test_one_model_schema_keeps_v1_shape(modules: Modules, function: str, model: str) -> None:
    new = _same_shape(modules, function, model)
    definitions = new.get("definitions", {})
    for ref in _refs(new):
        name = ref.removeprefix("#/definitions/")
        if function == "file_refs":
            name = ref.removeprefix("/schemas/").removesuffix(".json")
        assert name in definitions


@pytest.mark.parametrize("text", ["Model", "Response[int]", "a.b-c_d", "Ünï cödé", "x y/z"])
def test_normalize_name_gives_v1_names(modules: Modules, text: str) -> None:
    v1, v2 = modules
    assert v2.name_of(text) == v1.name_of(text)
