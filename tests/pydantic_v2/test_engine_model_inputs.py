"""PYD032: a field holding a union of sibling models of this file (without ``orm_mode``) makes
their common base accept other models' instances as V1 did, with a ``mode="before"`` model
validator; every other union is left alone."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

BASES = (
    "from typing import List, Optional, Union\n"
    "from pydantic import BaseModel\n\n"
    "class Member(BaseModel):\n"
    "    status: str\n\n"
    "class Owner(Member):\n"
    "    rank: int = 0\n\n"
    "class Left(Member):\n"
    "    since: int = 0\n\n"
)
VALIDATOR = (
    '    @model_validator(mode="before")\n'
    "    @classmethod\n"
    "    def _v1_dict_input(cls, data: Any) -> Any:\n"
)


def _found(source: str) -> list[tuple[str, bool, str]]:
    return [(f.key, f.fixable, f.message) for f in find_findings(source) if f.code == "PYD032"]


@pytest.mark.parametrize(
    "annotation",
    ["Union[Owner, Left]", "Optional[Union[Owner, Left]] = None", "List[Owner | Left] = []"],
    ids=["union", "optional-union", "list-of-pep604-union"],
)
def test_a_union_of_siblings_gives_their_base_the_v1_input_validator(annotation: str) -> None:
    source = BASES + f"class Updated(BaseModel):\n    old: {annotation}\n"
    [(key, fixable, message)] = _found(source)
    assert (key, fixable) == ("Member:_v1_dict_input", True)
    assert "expects subclasses of `Member`" in message and "V2 rejects it" in message
    migrated = migrate_source(source)
    assert "from typing import Any, List, Optional, Union\n" in migrated
    assert "from pydantic import BaseModel, model_validator\n" in migrated
    assert "    status: str\n\n" + VALIDATOR in migrated
    assert migrated.count("_v1_dict_input") == 1
    assert migrate_source(migrated) == migrated
    assert _found(migrated) == []
    compile(migrated, "models.py", "exec")


@pytest.mark.parametrize(
    ("bases", "field"),
    [
        (
            BASES.replace(
                "    status: str\n",
                "    status: str\n\n    class Config:\n        orm_mode = True\n",
            ),
            "old: Union[Owner, Left]",
        ),
        (
            BASES.replace(
                "class Member(BaseModel)", "class Member(BaseModel, from_attributes=True)"
            ),
            "old: Union[Owner, Left]",
        ),
        (
            BASES.replace("class Member(BaseModel)", "class Member(Remote)"),
            "old: Union[Owner, Left]",
        ),
        (BASES, "old: Owner"),
        (BASES, "old: Union[Owner, int]"),
        (BASES, "old: Union[Member, Owner]"),
        (BASES + "class Plain(BaseModel):\n    x: int = 0\n\n", "old: Union[Owner, Plain]"),
        (BASES, "old: dict[str, Union[Owner, Left]]"),
    ],
    ids=[
        "orm-mode-reads-attributes-in-both",
        "from-attributes-class-keyword",
        "base-of-unknown-config",
        "one-model",
        "model-and-scalar",
        "base-itself-in-the-union",
        "no-common-base",
        "dict-values",
    ],
)
def test_other_fields_are_left_alone(bases: str, field: str) -> None:
    source = bases + f"class Updated(BaseModel):\n    {field}\n"
    assert _found(source) == []
    assert "_v1_dict_input" not in migrate_source(source)


def test_a_subclass_with_its_own_pre_root_validator_converts_first_itself() -> None:
    source = BASES.replace(
        "class Left(Member):\n    since: int = 0\n",
        "class Left(Member):\n    since: int = 0\n\n"
        "    @root_validator(pre=True)\n    def fill(cls, values):\n        return values\n",
    ).replace("import BaseModel", "import BaseModel, root_validator")
    source += "class Updated(BaseModel):\n    old: Union[Owner, Left]\n"
    migrated = migrate_source(source)
    fill = migrated.index("def fill(")
    own = migrated.index("def _v1_dict_input_Left(cls, data: Any) -> Any:")
    assert migrated.index("def _v1_dict_input(cls") < fill < own
    assert migrate_source(migrated) == migrated


def test_modules_importing_pydantic_and_typing_whole_keep_their_spelling() -> None:
    source = (
        "import typing\nimport pydantic\n\n"
        "class Member(pydantic.BaseModel):\n    status: str\n\n"
        "class Owner(Member):\n    pass\n\nclass Left(Member):\n    pass\n\n"
        "class Updated(pydantic.BaseModel):\n    old: typing.Union[Owner, Left]\n"
    )
    migrated = migrate_source(source)
    assert '    @pydantic.model_validator(mode="before")\n' in migrated
    assert "def _v1_dict_input(cls, data: typing.Any) -> typing.Any:" in migrated
    assert migrated.startswith("import typing\nimport pydantic\n\n")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            (
                "from pydantic import BaseModel\n",
                "from pydantic import BaseModel\n\nAny = object\n",
            ),
            "`Any` in this module is",
        ),
        (
            (
                "from pydantic import BaseModel\n",
                "from pydantic import BaseModel, model_validator\n\n"
                "model_validator = staticmethod\n",
            ),
            "`model_validator` in this module is assigned in this module",
        ),
        (
            ("class Owner(Member):\n    rank: int = 0\n", "class Owner(Member): rank: int = 0\n"),
            None,
        ),
        (
            (
                "class Member(BaseModel):\n    status: str\n",
                "class Member(BaseModel): status: str\n",
            ),
            "header line",
        ),
    ],
    ids=[
        "any-bound-locally",
        "pydantic-import-rebound",
        "member-on-one-line-needs-nothing",
        "base-on-one-line",
    ],
)
def test_what_cannot_be_written_is_reported(change: tuple[str, str], reason: str | None) -> None:
    source = BASES.replace(*change) + "class Updated(BaseModel):\n    old: Union[Owner, Left]\n"
    [(_, fixable, message)] = _found(source)
    if reason is None:
        assert fixable
        return
    assert not fixable
    assert reason in message
    assert "_v1_dict_input" not in migrate_source(source)


def test_a_typing_any_the_module_rebinds_is_never_written() -> None:
    source = (
        BASES.replace("from typing import ", "from typing import Any, ").replace(
            "from pydantic import BaseModel\n", "from pydantic import BaseModel\n\nAny = object\n"
        )
        + "class Updated(BaseModel):\n    old: Union[Owner, Left]\n"
    )
    [(_, fixable, message)] = _found(source)
    assert not fixable
    assert "`Any` in this module is assigned in this module" in message
