"""PYD010 for V1 config passed as class keywords (``class M(BaseModel, orm_mode=True)``).

Pydantic 2 raises ``TypeError`` at class creation for a keyword that is not a V2 config key,
so these modules stop importing; each keyword follows the ``class Config`` tables.
"""

from __future__ import annotations

import types
from dataclasses import dataclass

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

FIDES_LIKE = """from typing import Optional, Union

from pydantic import BaseModel


class Verify(BaseModel):
    code: str


class Receipt(BaseModel):
    order_id: int
    items: list


class Message(
    BaseModel,
    smart_union=True,
    arbitrary_types_allowed=True,
):
    \"\"\"A mapping of action to body.\"\"\"

    action: str
    body: Optional[Union[Verify, Receipt]] = None
"""

ROWS = """from pydantic import BaseModel, Extra


class Row(BaseModel, orm_mode=True, extra=Extra.forbid, allow_mutation=False):
    id: int
    name: str = ""
"""


def _load(source: str, name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(source, name, "exec", dont_inherit=True), module.__dict__)
    return module


def _as_v1(source: str) -> str:
    return source.replace("from pydantic import", "from pydantic.v1 import")


def test_smart_union_keyword_goes_and_v2_keywords_stay() -> None:
    migrated = migrate_source(FIDES_LIKE)
    assert "smart_union" not in migrated
    assert "class Message(\n    BaseModel,\n    arbitrary_types_allowed=True,\n):" in migrated
    assert find_findings(migrated) == []


def test_the_unconverted_module_fails_to_import_under_v2() -> None:
    with pytest.raises(TypeError, match="__init_subclass__"):
        _load(FIDES_LIKE, "class_keywords_unconverted")


def test_renamed_keywords_take_v2_names_and_extra_frees_its_import() -> None:
    migrated = migrate_source(ROWS)
    assert migrated == (
        "from pydantic import BaseModel\n\n\n"
        'class Row(BaseModel, from_attributes=True, extra="forbid", frozen=True):\n'
        "    id: int\n"
        '    name: str = ""\n'
    )
    codes = {(f.code, f.key) for f in find_findings(ROWS)}
    assert {("PYD010", "Row.orm_mode"), ("PYD010", "Row.extra")} <= codes
    assert ("PYD010", "Row.allow_mutation") in codes


@pytest.mark.parametrize(
    ("source", "key", "reason"),
    [
        (
            "from pydantic import BaseModel\n\n\n"
            "class M(BaseModel, copy_on_model_validation='deep'):\n    a: int\n",
            "M.copy_on_model_validation",
            "never copies",
        ),
        (
            "from pydantic import BaseModel\n\n\n"
            "class M(BaseModel, smart_union=False):\n    a: int\n",
            "M.smart_union",
            "left_to_right",
        ),
        (
            "from pydantic import BaseModel\n\nfrom app.base import Locked\n\n\n"
            "class M(Locked, allow_mutation=True):\n    a: int\n",
            "M.allow_mutation",
            "frozen=False",
        ),
    ],
)
def test_keywords_without_a_faithful_v2_spelling_are_reported_and_left(
    source: str, key: str, reason: str
) -> None:
    found = [f for f in find_findings(source) if f.key == key]
    assert len(found) == 1
    assert not found[0].fixable
    assert reason in found[0].message
    assert "TypeError" in found[0].message
    assert key.split(".")[1] in migrate_source(source)


def test_allow_mutation_true_under_pydantic_base_only_goes() -> None:
    source = (
        "from pydantic import BaseModel\n\n\nclass M(BaseModel, allow_mutation=True):\n    a: int\n"
    )
    assert "class M(BaseModel):" in migrate_source(source)


def test_keywords_of_classes_that_are_not_models_stay() -> None:
    source = (
        "import abc\n\nfrom pydantic import BaseModel\n\n\n"
        "class Plugin(Registry, orm_mode=True, name='p'):\n    pass\n\n\n"
        "class M(BaseModel, metaclass=abc.ABCMeta):\n    a: int\n"
    )
    assert migrate_source(source) == source


def test_keywords_beside_a_config_class_are_left_to_v1s_refusal() -> None:
    """V1 raised ``TypeError`` ("config in two places"): that code never ran."""
    source = (
        "from pydantic import BaseModel\n\n\n"
        "class M(BaseModel, orm_mode=True):\n    a: int\n\n    class Config:\n"
        "        extra = 'forbid'\n"
    )
    with pytest.raises(TypeError, match="two places"):
        _load(_as_v1(source), "class_keywords_two_places")
    assert "orm_mode=True" in migrate_source(source)


@dataclass
class OrmRow:
    id: object
    name: str


def test_converted_keywords_behave_like_v1() -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1 = _load(_as_v1(ROWS), "class_keywords_rows_v1")
    v2 = _load(migrate_source(ROWS), "class_keywords_rows_v2")
    row = OrmRow(id="7", name="Ada")
    assert v1.Row.from_orm(row).dict() == v2.Row.model_validate(row).model_dump()
    with pytest.raises(V1ValidationError) as old_extra:
        v1.Row(id=1, other=2)
    with pytest.raises(ValidationError) as new_extra:
        v2.Row(id=1, other=2)
    assert [e["loc"] for e in old_extra.value.errors()] == [("other",)]
    assert [e["loc"] for e in new_extra.value.errors()] == [("other",)]
    old, new = v1.Row(id=1), v2.Row(id=1)
    with pytest.raises(TypeError):
        old.id = 2
    with pytest.raises(ValidationError):
        new.id = 2


@pytest.mark.parametrize(
    "body",
    [
        {"code": "abc"},
        {"order_id": "3", "items": [1]},
        {"order_id": 3},
        None,
    ],
)
def test_fides_like_union_picks_the_same_member_as_v1_smart_union(body: object) -> None:
    v1 = _load(_as_v1(FIDES_LIKE), "class_keywords_union_v1")
    v2 = _load(migrate_source(FIDES_LIKE), "class_keywords_union_v2")
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    try:
        old = v1.Message(action="a", body=body)
    except V1ValidationError as error:
        with pytest.raises(ValidationError) as new_error:
            v2.Message(action="a", body=body)
        assert len(new_error.value.errors()) >= 1 and len(error.errors()) >= 1
        return
    new = v2.Message(action="a", body=body)
    assert type(old.body).__name__ == type(new.body).__name__
    assert old.dict() == new.model_dump()


def test_instances_of_union_members_are_kept_as_v1_smart_union_kept_them() -> None:
    v1 = _load(_as_v1(FIDES_LIKE), "class_keywords_instances_v1")
    v2 = _load(migrate_source(FIDES_LIKE), "class_keywords_instances_v2")
    old = v1.Message(action="a", body=v1.Receipt(order_id=1, items=[]))
    new = v2.Message(action="a", body=v2.Receipt(order_id=1, items=[]))
    assert type(old.body).__name__ == type(new.body).__name__ == "Receipt"


def test_settings_keywords_keep_reading_the_prefixed_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = (
        "from pydantic import BaseSettings\n\n\n"
        "class Settings(BaseSettings, env_prefix='APP_', case_sensitive=False):\n"
        "    port: int = 80\n"
    )
    monkeypatch.setenv("APP_PORT", "8080")
    migrated = migrate_source(source)
    assert "env_prefix='APP_'" in migrated
    v1 = _load(_as_v1(source), "class_keywords_settings_v1")
    v2 = _load(migrated, "class_keywords_settings_v2")
    assert v1.Settings().port == v2.Settings().port == 8080


def test_dropping_smart_union_warns_about_unions_of_several_models() -> None:
    """Fed a dict both members accept, V1 kept the first, V2 the one with most fields set:
    the finding names the field and the V1-faithful ``union_mode``."""
    source = (
        "from typing import Union\n\nfrom pydantic import BaseModel\n\n\n"
        "class Small(BaseModel):\n    a: int\n\n\n"
        "class Big(BaseModel):\n    a: int\n    b: int = 0\n\n\n"
        "class Holder(BaseModel, smart_union=True):\n    item: Union[Small, Big]\n"
    )
    (finding,) = [f for f in find_findings(source) if f.key == "Holder.smart_union"]
    assert "Check `item`" in finding.message
    assert 'union_mode="left_to_right"' in finding.message
    v1 = _load(_as_v1(source), "class_keywords_overlap_v1")
    v2 = _load(migrate_source(source), "class_keywords_overlap_v2")
    assert type(v1.Holder(item={"a": 1, "b": 2}).item).__name__ == "Small"
    assert type(v2.Holder(item={"a": 1, "b": 2}).item).__name__ == "Big"


def test_smart_union_over_scalars_has_no_model_warning() -> None:
    source = (
        "from typing import Union\n\nfrom pydantic import BaseModel\n\n\n"
        "class Holder(BaseModel, smart_union=True):\n    item: Union[int, str]\n"
    )
    (finding,) = [f for f in find_findings(source) if f.key == "Holder.smart_union"]
    assert "Check" not in finding.message
    v1 = _load(_as_v1(source), "class_keywords_scalars_v1")
    v2 = _load(migrate_source(source), "class_keywords_scalars_v2")
    for value in (1, "1", "x"):
        assert v1.Holder(item=value).item == v2.Holder(item=value).item


@pytest.mark.parametrize(
    "header",
    [
        "class Holder(BaseModel):\n    item: Union[int, str]\n\n    class Config:\n"
        "        smart_union = True\n",
        "class Base(BaseModel, smart_union=True):\n    pass\n\n\n"
        "class Holder(Base):\n    item: Union[int, str]\n",
    ],
    ids=["config-class", "inherited-keyword"],
)
def test_smart_union_models_get_no_left_to_right_mode(header: str) -> None:
    """PYD030 restores V1's left-to-right choice; a smart_union model never had it."""
    source = "from typing import Union\n\nfrom pydantic import BaseModel\n\n\n" + header
    migrated = migrate_source(source)
    assert "union_mode" not in migrated
    v1 = _load(_as_v1(source), "class_keywords_smart_config_v1")
    v2 = _load(migrated, "class_keywords_smart_config_v2")
    for value in (1, "1", "x"):
        assert v1.Holder(item=value).item == v2.Holder(item=value).item


def test_two_dropped_keywords_in_a_row_both_go() -> None:
    source = (
        "from pydantic import BaseModel\n\n\n"
        "class M(BaseModel, smart_union=True, underscore_attrs_are_private=True, frozen=True):\n"
        "    a: int\n"
    )
    assert "class M(BaseModel, frozen=True):" in migrate_source(source)
