"""PYD013 for V1-only names with a faithful edit: ``ModelField`` named only in annotations comes
from ``pydantic.v1.fields``; ``ConstrainedStr`` / ``ConstrainedInt`` / ``ConstrainedFloat``
subclasses that only set V1's constraint attributes become ``Annotated`` aliases. Every other
use stays reported with what to do."""

from __future__ import annotations

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

MODEL_FIELD = """from typing import Any

from pydantic.fields import ModelField{alias}


class Origin(str):
    @classmethod
    def __get_validators__(cls):
        yield cls.validate

    @classmethod
    def validate(cls, value: Any, field: {local}) -> str:
{body}
"""


def _model_field(alias: str = "", body: str = "        return value") -> str:
    local = alias.split()[-1] if alias else "ModelField"
    return MODEL_FIELD.format(alias=alias, local=local, body=body)


def _pyd013(source: str) -> list[str]:
    return [f.message for f in find_findings(source) if f.code == "PYD013"]


@pytest.mark.parametrize("alias", ["", " as MF"])
def test_model_field_only_in_annotations_is_imported_from_pydantic_v1_fields(alias: str) -> None:
    source = _model_field(alias)
    migrated = migrate_source(source)
    assert f"from pydantic.v1.fields import ModelField{alias}\n" in migrated
    assert "from pydantic.fields" not in migrated
    assert _pyd013(migrated) == []
    assert [f.code for f in find_findings(migrated)] == ["PYD021"]  # the custom type remains
    assert migrate_source(migrated) == migrated
    (message,) = _pyd013(source)
    assert "only annotates" in message and "PYD021" in message


@pytest.mark.parametrize(
    "body",
    [
        "        assert isinstance(field, ModelField)\n        return value",
        "        return ModelField.infer(name='x', value=value, annotation=str)",
    ],
)
def test_model_field_used_at_run_time_stays_reported(body: str) -> None:
    source = _model_field(body=body)
    assert "from pydantic.fields import ModelField\n" in migrate_source(source)
    (message,) = _pyd013(source)
    assert message == (
        "`pydantic.fields.ModelField` does not exist in Pydantic V2: "
        "use `Model.model_fields` (`FieldInfo`)."
    )


@pytest.mark.parametrize(
    ("name", "hint"),
    [("SHAPE_LIST", "no shape"), ("Undefined", "PydanticUndefined")],
)
def test_other_v1_field_names_are_reported_with_their_v2_spelling(name: str, hint: str) -> None:
    (message,) = _pyd013(f"from pydantic.fields import {name}\n\nx = {name}\n")
    assert message.startswith(f"`pydantic.fields.{name}` does not exist in Pydantic V2:")
    assert hint in message


def test_a_constrained_str_subclass_becomes_an_annotated_alias_keeping_docs_and_comments() -> None:
    source = (
        "from typing import Optional\n\n"
        "from pydantic import BaseModel, ConstrainedStr\n\n\n"
        "class Label(ConstrainedStr):\n"
        '    """Short labels."""\n\n'
        "    min_length = 1\n"
        "    max_length = 8  # keep it short\n"
        "    strip_whitespace = True\n"
        "    to_lower = False\n"
        "    regex = r'[a-z]+'\n\n\n"
        "class Item(BaseModel):\n"
        "    label: Label\n"
        "    note: Optional[Label] = None\n"
    )
    migrated = migrate_source(source)
    assert (
        "# keep it short\n"
        "Label = Annotated[str, StringConstraints(min_length=1, max_length=8, "
        "strip_whitespace=True, pattern=r'^(?:[a-z]+)')]\n"
        '"""Short labels."""\n'
    ) in migrated
    assert "from pydantic import BaseModel, StringConstraints\n" in migrated
    assert "from typing import Annotated, Optional\n" in migrated
    assert find_findings(migrated) == []
    assert migrate_source(migrated) == migrated
    compile(migrated, "m.py", "exec")


def test_constrained_int_and_float_subclasses_use_field_constraints() -> None:
    source = (
        "from pydantic import ConstrainedFloat, ConstrainedInt as CI\n\n\n"
        "class Count(CI):\n    ge = 0\n\n\n"
        "class Ratio(ConstrainedFloat):\n    gt = 0.0\n    le = 1.0\n\n\n"
        "def f(x: Count, y: Ratio) -> None: ...\n"
    )
    migrated = migrate_source(source)
    assert "Count = Annotated[int, Field(ge=0)]\n" in migrated
    assert "Ratio = Annotated[float, Field(gt=0.0, le=1.0)]\n" in migrated
    assert "Constrained" not in migrated and "CI" not in migrated
    assert find_findings(migrated) == []


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("\n\nok = isinstance('x', Label)\n", "is used other than as a type (line"),
        ("\n\nclass Longer(Label):\n    max_length = 80\n", "`Longer` derives from `Label`"),
        ("\n\nLabel.max_length = 9\n", "is used other than as a type"),
    ],
)
def test_a_subclass_used_as_a_class_stays_reported(extra: str, reason: str) -> None:
    source = (
        "from pydantic import ConstrainedStr\n\n\n"
        "class Label(ConstrainedStr):\n    max_length = 8\n" + extra
    )
    assert migrate_source(source) == source
    (message,) = _pyd013(source)
    assert message.startswith(
        "`pydantic.ConstrainedStr` does not exist in Pydantic V2; not converted automatically: "
    )
    assert reason in message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("    max_length = 8\n\n    def upper(self):\n        return self.upper()\n", "more than"),
        ("    curtail_length = 8\n", "V2 has no `curtail_length`"),
        ("    regex = re.compile('[a-z]+')\n", "`regex` is not a string literal"),
    ],
)
def test_a_subclass_with_more_than_v2_constraints_stays_reported(body: str, reason: str) -> None:
    source = (
        "import re\n\nfrom pydantic import ConstrainedStr\n\n\n"
        "class Label(ConstrainedStr):\n" + body + "\n\nx: Label\n"
    )
    assert migrate_source(source) == source
    (message,) = _pyd013(source)
    assert reason in message


def test_the_v1_base_itself_used_at_run_time_stays_reported_as_before() -> None:
    source = (
        "from pydantic import ConstrainedStr\n\n\n"
        "class Label(ConstrainedStr):\n    max_length = 8\n\n\n"
        "def check(v):\n    return isinstance(v, ConstrainedStr)\n"
    )
    assert migrate_source(source) == source
    assert _pyd013(source) == [
        "`pydantic.ConstrainedStr` does not exist in Pydantic V2: "
        "use `Annotated[..., Field(...)]` constraints."
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import pydantic\n\n\nclass Label(pydantic.ConstrainedStr):\n    max_length = 8\n",
            "`pydantic.ConstrainedStr` does not exist in Pydantic V2: "
            "use `Annotated[..., Field(...)]` constraints.",
        ),
        (
            "import pydantic\n\n\ndef f(a: pydantic.fields.ModelField, "
            "b: pydantic.fields.ModelField): ...\n",
            "`pydantic.fields.ModelField` does not exist in Pydantic V2 (2 uses): "
            "use `Model.model_fields` (`FieldInfo`).",
        ),
        (
            "from pydantic import fields\n\nshape = fields.SHAPE_LIST\n",
            "`fields.SHAPE_LIST` does not exist in Pydantic V2: V2 fields have no shape: read "
            "the annotation with `typing.get_origin` / `typing.get_args`.",
        ),
    ],
)
def test_v1_only_names_read_through_a_pydantic_module_are_reported(
    source: str, expected: str
) -> None:
    assert _pyd013(source) == [expected]
    assert migrate_source(source) == source


@pytest.mark.parametrize(
    "source",
    [
        "import pydantic.v1 as pydantic\n\nx = pydantic.ConstrainedStr\n",
        "import pydantic\nimport other\n\nx = other.ModelField\n",
    ],
)
def test_the_same_names_of_other_modules_are_left_alone(source: str) -> None:
    assert _pyd013(source) == []
