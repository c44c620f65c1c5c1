"""PYD010 for ``create_model(__config__=Config)`` with a V1 ``class Config`` (→ ``ConfigDict``)
and for assignments to ``Model.__config__`` (reported: V2 never reads it)."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEAD = "from pydantic import create_model\n\n\n"


def _build(config_body: str, call: str = "create_model('M', __config__=Config, a=(int, 1))") -> str:
    return HEAD + f"def build():\n    class Config:\n{config_body}\n\n    return {call}\n"


def test_a_local_config_class_becomes_the_config_dict_call_and_goes() -> None:
    source = _build("        orm_mode = True\n        extra = 'forbid'")
    migrated = migrate_source(source)
    assert migrated == (
        "from pydantic import ConfigDict, create_model\n\n\n"
        "def build():\n"
        "    return create_model('M', __config__=ConfigDict(from_attributes=True, "
        "extra='forbid'), a=(int, 1))\n"
    )
    assert find_findings(migrated) == []


def test_the_model_built_from_the_converted_config_behaves_like_v1() -> None:
    import pydantic
    import pydantic.v1

    source = _build("        extra = 'forbid'\n        anystr_strip_whitespace = True")
    source = source.replace("a=(int, 1)", "a=(str, '')")
    namespace_v2: dict[str, object] = {"__name__": "probe_create_model_v2"}
    exec(migrate_source(source), namespace_v2)
    namespace_v1: dict[str, object] = {"__name__": "probe_create_model_v1"}
    exec(source.replace("from pydantic ", "from pydantic.v1 "), namespace_v1)
    v1_model, v2_model = namespace_v1["build"](), namespace_v2["build"]()  # type: ignore[operator]
    assert v1_model(a=" x ").dict() == v2_model(a=" x ").model_dump() == {"a": "x"}
    with pytest.raises(pydantic.v1.ValidationError):
        v1_model(a="x", b=1)
    with pytest.raises(pydantic.ValidationError):
        v2_model(a="x", b=1)


def test_extra_members_become_strings_and_free_their_import() -> None:
    source = _build("        extra = Extra.forbid").replace(
        "import create_model", "import Extra, create_model"
    )
    migrated = migrate_source(source)
    assert 'ConfigDict(extra="forbid")' in migrated
    assert "Extra" not in migrated


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (_build("        fields = {'a': {'alias': 'A'}}"), "`fields` has no V2 equivalent"),
        (_build("        pass", "create_model('M', __config__=Config), Config"), "used for more"),
        (_build("        def f(self):\n            pass"), "other statements"),
        (_build("        mystery = 1"), "not a Pydantic V1 setting"),
    ],
)
def test_configs_that_cannot_convert_are_reported_and_kept(source: str, reason: str) -> None:
    [finding] = find_findings(source)
    assert finding.code == "PYD010" and not finding.fixable
    assert "raises `TypeError`" in finding.message and reason in finding.message
    assert migrate_source(source) == source


@pytest.mark.parametrize(
    "assignment",
    ["schema.__config__ = BaseConfig", "schema.__config__.orm_mode = True"],
)
def test_assigning_dunder_config_is_reported_with_the_v2_spelling(assignment: str) -> None:
    source = f"from pydantic import BaseConfig\n\n\ndef relax(schema):\n    {assignment}\n"
    [finding] = find_findings(source)
    assert finding.code == "PYD010" and not finding.fixable
    assert "changes nothing under Pydantic 2" in finding.message
    assert "`schema.model_rebuild(force=True)`" in finding.message


def test_the_reported_v2_spelling_does_change_the_model() -> None:
    from pydantic import ConfigDict, create_model

    model = create_model("M", __config__=ConfigDict(extra="forbid"), a=(int, 0))
    model.__config__ = object  # type: ignore[attr-defined]  # V1's spelling: ignored
    with pytest.raises(Exception, match="Extra inputs are not permitted"):
        model(b=1)
    model.model_config["extra"] = "ignore"
    model.model_rebuild(force=True)
    assert model(b=1).model_dump() == {"a": 0}


def test_a_module_level_config_class_converts_too() -> None:
    source = HEAD + (
        "class Config:\n    validate_all = True\n\n\n"
        "Model = create_model('Model', __config__=Config, a=(int, 1))\n"
    )
    migrated = migrate_source(source)
    assert "__config__=ConfigDict(validate_default=True)" in migrated
    assert "class Config" not in migrated


def test_passing_v1_base_config_is_reported() -> None:
    source = (
        "from pydantic import BaseConfig, create_model\n\n"
        "Model = create_model('Model', __config__=BaseConfig, a=(int, 1))\n"
    )
    [finding] = find_findings(source)
    assert finding.code == "PYD010" and not finding.fixable
    assert "leave `__config__` out" in finding.message
