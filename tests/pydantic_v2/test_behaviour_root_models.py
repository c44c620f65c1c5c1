"""Root models and ``TypeAdapter`` helpers keep their results: the functions of
``fixtures/behaviour/root_models.py`` and ``type_adapters.py`` run under ``pydantic.v1``
(original) and under pydantic 2 (migrated) and return the same data, or reject the same input
at the same place (V1 locations inside a root model carry ``__root__``, V2's do not)."""

from __future__ import annotations

import json
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

BEHAVIOUR = Path(__file__).parent / "fixtures" / "behaviour"
Modules = tuple[types.ModuleType, types.ModuleType]


def _pair(name: str) -> Modules:
    source = (BEHAVIOUR / f"{name}.py").read_text()
    return _load(_as_v1(source), f"behaviour_{name}_v1"), _load(
        migrate_source(source), f"behaviour_{name}_v2"
    )


@pytest.fixture(scope="module")
def roots() -> Modules:
    return _pair("root_models")


@pytest.fixture(scope="module")
def adapters() -> Modules:
    return _pair("type_adapters")


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", plain data)`` or ``("rejected", error locations without __root__)``; a V2
    deprecation warning fails the call."""
    from pydantic import ValidationError as V2Error
    from pydantic.v1 import ValidationError as V1Error

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            result = call()
    except (V1Error, V2Error) as error:
        locs = [tuple(p for p in e["loc"] if p != "__root__") for e in error.errors()]
        return "rejected", sorted(locs)
    except ValueError as error:  # V1 parse_raw_as: the JSON decoder's own error
        return "rejected", type(error).__mro__[-2].__name__
    if hasattr(result, "model_dump"):
        return "ok", result.model_dump()
    if hasattr(result, "__fields__"):
        return "ok", result.dict()["__root__"] if "__root__" in result.__fields__ else result.dict()
    if isinstance(result, list):
        return "ok", [_plain(item) for item in result]
    return "ok", result


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value.dict() if hasattr(value, "__fields__") else value


def _same(modules: Modules, function: str, *args: Any) -> tuple[str, Any]:
    v1, v2 = modules
    before = _outcome(lambda: getattr(v1, function)(*args))
    after = _outcome(lambda: getattr(v2, function)(*args))
    assert before == after, f"{function}{args}: V1 {before} vs V2 {after}"
    return before


def test_migrated_root_models_leave_nothing_to_convert() -> None:
    migrated = migrate_source((BEHAVIOUR / "root_models.py").read_text())
    assert find_findings(migrated) == []
    code = migrated.split("PROBES")[0].split("# V1 error")[0]
    assert code.count("__root__") == 1  # only the V1 shape `whole` keeps: {"__root__": ...}
    assert 'return {"__root__": tags.model_dump()}' in code
    assert "class Tags(RootModel):" in migrated


@pytest.mark.parametrize("raw", [["a", " b "], [], [["nested"]], "text", None], ids=repr)
def test_root_values_are_built_read_and_dumped_the_same(roots: Modules, raw: Any) -> None:
    for function in ("load", "dump", "whole", "first"):
        _same(roots, function, raw)
    v1, v2 = roots
    texts = [_outcome(lambda module=module: module.text(raw)) for module in roots]
    assert [kind for kind, _ in texts] == [texts[0][0]] * 2
    if texts[0][0] == "ok":  # the same JSON value; V2 writes no spaces after `,`
        assert json.loads(v1.text(raw)) == json.loads(v2.text(raw))
    if isinstance(raw, list):
        _same(roots, "make", raw)


@pytest.mark.parametrize("raw", [{"a": "1"}, {"a": "x"}, [1]], ids=repr)
def test_mapping_root_values_are_read_the_same(roots: Modules, raw: Any) -> None:
    _same(roots, "scores", raw)


@pytest.mark.parametrize("raw", ["1,2", [3], "", [], "x", 5], ids=repr)
def test_validators_of_the_root_run_the_same(roots: Modules, raw: Any) -> None:
    _same(roots, "csv", raw)


@pytest.mark.parametrize("raw", [[1, "2"], [], "x"], ids=repr)
def test_field_arguments_and_optional_defaults_of_the_root_convert_too(
    roots: Modules, raw: Any
) -> None:
    _same(roots, "limits", raw)
    assert _same(roots, "maybe_count") == ("ok", None)


def test_a_model_holding_root_models_dumps_their_values(roots: Modules) -> None:
    outcome = _same(roots, "item_dump", {"name": "a", "tags": ["x"], "scores": {"m": 1}})
    assert outcome == ("ok", {"name": "a", "tags": ["x"], "scores": {"m": 1}})
    assert _same(roots, "item_dump", {"name": "a", "tags": [["x"]]}) == (
        "rejected",
        [("tags", 0)],
    )


@pytest.mark.parametrize(
    "raw", [[{"id": "1"}], [{"id": 2, "name": "b"}], [{"id": "x"}], {"id": 1}], ids=repr
)
def test_parse_obj_as_sites_accept_and_reject_the_same(adapters: Modules, raw: Any) -> None:
    _same(adapters, "load", raw)
    _same(adapters, "load_text", json.dumps(raw))


@pytest.mark.parametrize("text", ['[{"id": "1"}]', '[{"id": "x"}]', "not json"])
def test_parse_file_as_sites_read_the_same_file(
    adapters: Modules, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "items.json"
    path.write_text(text, encoding="utf-8")
    v1, v2 = adapters
    before, after = _outcome(lambda: v1.load_file(path)), _outcome(lambda: v2.load_file(path))
    assert before[0] == after[0]
    if text != "not json":
        assert before == after


def test_parse_raw_as_rejects_invalid_json_in_both() -> None:
    v1, v2 = _pair("type_adapters")
    assert _outcome(lambda: v1.load_text("not json"))[0] == "rejected"
    assert _outcome(lambda: v2.load_text("not json"))[0] == "rejected"


@pytest.mark.parametrize("raw", [{"a": "1"}, {"a": "x"}], ids=repr)
def test_module_spelled_parse_obj_as_converts_the_same(adapters: Modules, raw: Any) -> None:
    _same(adapters, "counts", raw)


def test_schema_helpers_give_the_same_schema(adapters: Modules) -> None:
    v1, v2 = adapters
    assert (
        v1.schema()
        == v2.schema()
        == {"title": "Ids", "type": "array", "items": {"type": "integer"}}
    )
    assert json.loads(v1.schema_text()) == json.loads(v2.schema_text())
    assert v2.schema_text().startswith('{\n  "')
