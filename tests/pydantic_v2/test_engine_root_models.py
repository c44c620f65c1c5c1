"""PYD017: ``__root__`` models become ``RootModel`` and the uses of their root follow, only
where the receiver is known to be such a model."""

from __future__ import annotations

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits

HEAD = "from typing import List\n\nfrom pydantic import BaseModel\n\n\n"
TAGS = "class Tags(BaseModel):\n    __root__: List[str]\n\n\n"


def _root_findings(source: str) -> list[tuple[str, bool, str]]:
    return [(f.key, f.fixable, f.message) for f in find_findings(source) if f.code == "PYD017"]


def test_a_root_model_derives_from_root_model_and_names_its_field_root() -> None:
    migrated = migrate_source(HEAD + TAGS)
    assert "class Tags(RootModel):\n    root: List[str]\n" in migrated
    assert "from pydantic import RootModel\n" in migrated
    assert "BaseModel" not in migrated


def test_root_reads_dict_of_root_and_construction_follow_on_known_receivers() -> None:
    source = (
        HEAD
        + TAGS
        + "def f(values: List[str]) -> List[str]:\n"
        + "    tags = Tags(__root__=values)\n"
        + "    return tags.__root__ + tags.dict()['__root__']\n"
    )
    migrated = migrate_source(source)
    assert "tags = Tags(values)\n" in migrated
    assert "return tags.root + tags.model_dump()\n" in migrated


def test_unknown_receivers_and_unpacked_construction_are_reported_not_rewritten() -> None:
    source = (
        HEAD
        + TAGS
        + "def f(thing, tags: Tags):\n"
        + "    return thing.__root__, tags.dict(skip_defaults=True), Tags(**thing)\n"
    )
    findings = {key: (fixable, message) for key, fixable, message in _root_findings(source)}
    assert findings["f:thing.__root__"][0] is False
    assert "not known to be a root model" in findings["f:thing.__root__"][1]
    assert findings["f:tags.dict"][0] is False
    assert "`skip_defaults=`" in findings["f:tags.dict"][1]
    assert findings["f:Tags()"][0] is False
    migrated = migrate_source(source)
    assert "thing.__root__, tags.dict(skip_defaults=True), Tags(**thing)" in migrated


def test_a_whole_dict_keeps_its_v1_shape_around_model_dump() -> None:
    source = HEAD + TAGS + "def f(tags: Tags):\n    return tags.dict(exclude_none=True)\n"
    migrated = migrate_source(source)
    assert 'return {"__root__": tags.model_dump(exclude_none=True)}\n' in migrated


def test_a_plain_model_dict_call_still_converts_beside_a_root_model() -> None:
    source = HEAD + TAGS + "class User(BaseModel):\n    name: str\n\n\n"
    source += "def f(user: User):\n    return user.dict()\n"
    assert "return user.model_dump()\n" in migrate_source(source)


def test_validators_of_the_root_name_root_and_root_validators_refuse() -> None:
    with_validator = (
        HEAD.replace("BaseModel\n", "BaseModel, validator\n")
        + TAGS
        + "    @validator('__root__', pre=True)\n    def split(cls, v):\n"
        + "        return v.split(',') if isinstance(v, str) else v\n"
    ).replace("List[str]\n\n\n    @", "List[str]\n\n    @")
    migrated = migrate_source(with_validator)
    assert "@field_validator('root', mode='before')" in migrated
    assert "class Tags(RootModel):" in migrated
    with_root_validator = with_validator.replace(
        "@validator('__root__', pre=True)", "@root_validator(pre=True)"
    ).replace("validator\n", "root_validator\n", 1)
    [(_, fixable, message)] = _root_findings(with_root_validator)
    assert not fixable and "@root_validator" in message
    [validator] = [f for f in find_findings(with_root_validator) if f.code == "PYD002"]
    assert not validator.fixable and "`__root__` model" in validator.message


def test_extra_config_other_fields_and_other_bases_are_refused_with_the_reason() -> None:
    cases = {
        "    class Config:\n        extra = 'forbid'\n": "`extra`",
        "    name: str\n": "also declares `name`",
    }
    for body, reason in cases.items():
        [(_, fixable, message)] = _root_findings(HEAD + TAGS.rstrip("\n") + "\n" + body)
        assert not fixable and reason in message
    derived = HEAD + "class Base(BaseModel):\n    x: int\n\n\nclass Tags(Base):\n"
    derived += "    __root__: List[str]\n"
    [(_, fixable, message)] = _root_findings(derived)
    assert not fixable and "`BaseModel` alone" in message


def test_converting_the_class_first_keeps_the_uses_convertible() -> None:
    source = HEAD + TAGS + "def f(tags: Tags):\n    return tags.__root__, tags.__root__\n"
    text = source
    for key in [f.key for f in find_findings(source) if f.fixable]:
        text = apply_edits(text, fix_edits(text, [key]))
    assert text == migrate_source(source)
    assert "return tags.root, tags.root\n" in text


def test_an_optional_root_gets_its_v1_default_and_v2_root_models_keep_theirs() -> None:
    v1 = HEAD.replace("List\n", "List, Optional\n") + "class Maybe(BaseModel):\n"
    v1 += "    __root__: Optional[int]\n"
    assert "class Maybe(RootModel):\n    root: Optional[int] = None\n" in migrate_source(v1)
    v2 = (
        "from typing import Optional\n\nfrom pydantic import RootModel\n\n\n"
        "class Maybe(RootModel):\n    root: Optional[int]\n"
    )
    assert find_findings(v2) == []


def test_writes_to_the_root_follow_like_reads() -> None:
    source = HEAD + TAGS + "def f(tags: Tags, other):\n    tags.__root__ = []\n"
    source += "    other.__root__ = []\n"
    migrated = migrate_source(source)
    assert "    tags.root = []\n    other.__root__ = []\n" in migrated
    [unknown] = [f for f in find_findings(source) if f.key == "f:other.__root__"]
    assert not unknown.fixable
