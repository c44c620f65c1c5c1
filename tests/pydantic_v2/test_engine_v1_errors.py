"""PYD013 for V1's error classes (→ ``pydantic.v1.errors``) and V1's validator-reuse registry
``pydantic.class_validators._FUNCS`` (its import and ``.clear()`` statements go)."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "from pydantic.errors import PydanticValueError",
            "from pydantic.v1.errors import PydanticValueError",
        ),
        (
            "from pydantic import PydanticTypeError",
            "from pydantic.v1.errors import PydanticTypeError",
        ),
        (
            "from pydantic.errors import MissingError as Missing",
            "from pydantic.v1.errors import MissingError as Missing",
        ),
        (
            "from pydantic.errors import PydanticErrorMixin",
            "from pydantic.v1.errors import PydanticErrorMixin",
        ),
    ],
)
def test_error_class_imports_come_from_pydantic_v1_errors(line: str, expected: str) -> None:
    local = line.split()[-1]
    source = f"{line}\n\n\nclass Gone({local}):\n    code = 'gone'\n"
    migrated = migrate_source(source)
    assert migrated.startswith(expected + "\n")
    assert find_findings(migrated) == []


def test_other_names_of_the_same_import_stay_where_they_are() -> None:
    source = "from pydantic import BaseModel, PydanticValueError\n\nx = PydanticValueError\n"
    migrated = migrate_source(source)
    assert "from pydantic import BaseModel\n" in migrated
    assert "from pydantic.v1.errors import PydanticValueError\n" in migrated


def test_the_message_says_how_the_raised_error_changes_per_family() -> None:
    source = (
        "from pydantic.errors import ConfigError, NoneIsNotAllowedError, UrlError\n\n"
        "x = (ConfigError, NoneIsNotAllowedError, UrlError)\n"
    )
    messages = {f.key.split(".")[-1]: f.message for f in find_findings(source)}
    assert "escapes as a `TypeError`" in messages["NoneIsNotAllowedError"]
    assert "`Value error, <message>`" in messages["UrlError"]
    assert "PydanticCustomError" in messages["UrlError"]
    assert "never raises it" in messages["ConfigError"]
    assert all(f.fixable and f.code == "PYD013" for f in find_findings(source))


def test_v2_names_of_pydantic_errors_are_left_alone() -> None:
    source = "from pydantic.errors import PydanticUserError\n\nx = PydanticUserError\n"
    assert find_findings(source) == []


def test_an_error_class_used_only_inside_error_wrappers_is_left_to_pyd019() -> None:
    source = (
        "from pydantic import BaseModel, ValidationError\n"
        "from pydantic.error_wrappers import ErrorWrapper\n"
        "from pydantic.errors import MissingError\n\n\n"
        "class User(BaseModel):\n    name: str\n\n\n"
        "def check():\n"
        "    raise ValidationError([ErrorWrapper(MissingError(), loc=('name',))], User)\n"
    )
    assert not [f for f in find_findings(source) if "MissingError" in f.key]
    migrated = migrate_source(source)
    assert "MissingError" not in migrated
    assert '"value_error.missing"' in migrated


REGISTRY = "from pydantic.class_validators import _FUNCS\n\n\n"


def test_registry_clears_go_with_the_import_and_their_comment_and_a_lone_clear_becomes_pass() -> (
    None
):
    source = REGISTRY + (
        "def setup(reload):\n"
        "    if reload:\n"
        "        _FUNCS.clear()  # avoid the reuse error\n"
        "    name = 'x'\n"
        "    # V1 raised the reuse error when this module ran twice\n"
        "    _FUNCS.clear()\n"
        "    return name\n"
    )
    [finding] = find_findings(source)
    assert finding.code == "PYD013" and finding.fixable
    assert "never raises" in finding.message
    assert migrate_source(source) == (
        "def setup(reload):\n"
        "    if reload:\n"
        "        pass  # avoid the reuse error\n"
        "    name = 'x'\n"
        "    return name\n"
    )


@pytest.mark.parametrize(
    "use",
    ["return len(_FUNCS)", "_FUNCS.discard('m.f')", "x = 1; _FUNCS.clear()"],
)
def test_other_uses_of_the_registry_are_reported_and_kept(use: str) -> None:
    source = REGISTRY + f"def f():\n    {use}\n"
    [finding] = find_findings(source)
    assert not finding.fixable
    assert "remove the import and those uses by hand" in finding.message
    assert migrate_source(source) == source


def test_after_the_import_fix_alone_the_rest_of_the_module_is_still_reported() -> None:
    source = (
        "from pydantic import BaseModel, validator\n"
        "from pydantic.errors import PydanticValueError\n\n\n"
        "class M(BaseModel):\n    a: int\n\n"
        "    @validator('a')\n    def check(cls, v):\n"
        "        raise PydanticValueError()\n"
    )
    key = "import:pydantic.errors.PydanticValueError"
    fixed = apply_edits(source, fix_edits(source, [key]))
    assert "from pydantic.v1.errors import PydanticValueError\n" in fixed
    assert [f.code for f in find_findings(fixed)] == ["PYD001"]
