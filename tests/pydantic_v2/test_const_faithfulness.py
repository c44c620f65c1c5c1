"""``const=True`` becomes ``Literal[default]`` only where ``Literal`` accepts what V1 accepted.

V1 converted the input to the field's type (and applied the config's string changes) before
comparing it with the ``const``; ``Literal`` compares the raw input. Each refused case shows,
under ``pydantic.v1``, an input V1 accepted that ``Literal`` would reject.
"""

from __future__ import annotations

from typing import Any, Literal

import pydantic
import pytest
from pydantic import v1

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEADER = "from pydantic import BaseModel, Field, constr\n\n\n"


def _const_findings(source: str) -> list[Any]:
    return [f for f in find_findings(source) if "`const`" in f.message]


@pytest.mark.parametrize(
    ("body", "v1_field", "accepted_by_v1", "reason"),
    [
        pytest.param(
            '    x: int = Field("a", const=True)\n',
            (int, v1.Field("a", const=True)),
            None,
            "annotated type",
            id="string-default-on-an-int-field",
        ),
        pytest.param(
            '    x: str = Field("1", const=True)\n',
            (str, v1.Field("1", const=True)),
            1,
            "number 1",
            id="numeric-string",
        ),
        pytest.param(
            '    x: constr(strip_whitespace=True) = Field("a", const=True)\n',
            (v1.constr(strip_whitespace=True), v1.Field("a", const=True)),
            " a ",
            "changes the string",
            id="constr-stripping",
        ),
        pytest.param(
            '    x: str = Field("a", const=True)\n\n    class Config:\n'
            "        anystr_lower = True\n",
            (str, v1.Field("a", const=True)),
            None,
            "strips or re-cases",
            id="config-lowering",
        ),
    ],
)
def test_const_literal_would_change_is_reported_not_converted(
    body: str, v1_field: tuple[Any, Any], accepted_by_v1: Any, reason: str
) -> None:
    source = HEADER + "class M(BaseModel):\n" + body
    findings = _const_findings(source)

    assert len(findings) == 1
    assert not findings[0].fixable
    assert reason in findings[0].message
    assert "const=True" in migrate_source(source)
    if accepted_by_v1 is not None:
        model = v1.create_model("M", x=v1_field)
        assert model(x=accepted_by_v1).x == v1_field[1].default
        adapter = pydantic.TypeAdapter(Literal[v1_field[1].default])  # type: ignore[valid-type]
        with pytest.raises(pydantic.ValidationError):
            adapter.validate_python(accepted_by_v1)


def test_lowered_config_made_v1_accept_an_upper_case_const() -> None:
    class M(v1.BaseModel):
        x: str = v1.Field("a", const=True)

        class Config:
            anystr_lower = True

    assert M(x="A").x == "a"


def test_plain_string_const_on_a_str_field_still_converts() -> None:
    source = HEADER + 'class M(BaseModel):\n    kind: str = Field("point", const=True)\n'

    migrated = migrate_source(source)

    assert 'kind: Literal["point"] = Field("point")' in migrated
    assert not [f for f in _const_findings(migrated) if not f.fixable]
