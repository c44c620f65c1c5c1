"""Failures found by ``python -m bench pydantic_realcode``, each reduced to a tiny reproducer.

- openapi-schema-pydantic 1.2.4 / stac-pydantic 2.0.3: ``Field(..., const=True)`` made every
  module fail to import under V2 (``const`` is removed); it now becomes ``Literal[default]``.
- stac-pydantic 2.0.3 ``api/search.py``: ``datetime: Optional[str]`` got ``= None``, which
  binds ``datetime`` in the class body, so ``-> Optional[datetime]`` below it meant ``None``
  and ruff reported the ``datetime`` import as unused.
- aiogram 3.0.0b7 ``methods/base.py``: ``class Config(BaseConfig)`` was refused as deriving
  from another config, though V1's own ``BaseConfig`` adds nothing to a model's config.
- geojson-pydantic 0.6.3 ``types.py``: ``conlist(Position, min_items=2)`` under ``else:`` of
  ``if TYPE_CHECKING`` was not converted (V2's ``conlist`` has no ``min_items``).
- openapi-schema-pydantic 1.2.4 ``util.py``: ``from pydantic.schema import schema`` (gone in V2)
  was not reported at all.
- openapi-schema-pydantic 1.2.4 ``v3/*/__init__.py``: ``Encoding.update_forward_refs(Header=
  Header)`` raises ``TypeError`` under V2 (``localns`` arguments are not accepted); the names
  now go in ``model_rebuild(_types_namespace=...)`` (``test_realcode_regressions_2``).

Each behaviour test runs the original under ``pydantic.v1`` and the migrated text under
pydantic 2 and compares what they accept, reject and produce.
"""

from __future__ import annotations

import enum
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

CONST = """\
import enum

from pydantic import BaseModel, Field, constr


class Location(str, enum.Enum):
    HEADER = "header"
    QUERY = "query"


class Parameter(BaseModel):
    name: str
    param_in: Location = Location.QUERY


class Header(Parameter):
    name = Field(default="", const=True)
    param_in: Location = Field(default=Location.HEADER, const=True, alias="in")


class Catalog(BaseModel):
    type: constr(min_length=1) = Field("Catalog", const=True)
    id: str
"""

SHADOWED = """\
from datetime import datetime
from typing import Optional

from pydantic import BaseModel


class Search(BaseModel):
    datetime: Optional[str]
    limit: int = 10

    @property
    def start_date(self) -> Optional[datetime]:
        return None
"""

FORWARD_REFS = """\
from typing import Dict, Optional, Union

from pydantic import BaseModel


class Encoding(BaseModel):
    headers: Optional[Dict[str, Union["Header", int]]] = None


class Header(BaseModel):
    description: str = ""


Encoding.update_forward_refs(Header=Header)
"""


def _ruff(text: str, tmp_path: Path) -> list[str]:
    """ruff's findings (default rules) for ``text`` as ``CODE`` strings."""
    path = tmp_path / "module.py"
    path.write_text(text, encoding="utf-8")
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--isolated", "--no-cache", "--output-format", "concise", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return sorted(line.split()[1] for line in done.stdout.splitlines() if line.count(":") >= 3)


# --- const=True --------------------------------------------------------------------------------


def test_const_with_string_and_enum_defaults_becomes_a_literal_annotation() -> None:
    migrated = migrate_source(CONST)

    assert '    name: Literal[""] = Field(default="")\n' in migrated
    assert (
        '    param_in: Literal[Location.HEADER] = Field(default=Location.HEADER, alias="in")\n'
        in migrated
    )
    assert '    type: Literal["Catalog"] = Field("Catalog")\n' in migrated
    assert "const" not in migrated
    assert "from typing import Literal\n" in migrated
    assert "constr" not in migrated  # its only use was the annotation Literal replaced
    assert migrate_source(migrated) == migrated
    compile(migrated, "const.py", "exec")


def test_const_leaves_no_new_ruff_finding(tmp_path: Path) -> None:
    before = _ruff(CONST, tmp_path)
    after = _ruff(migrate_source(CONST), tmp_path)
    assert [code for code in after if after.count(code) > before.count(code)] == []


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        ('x: Optional[str] = Field("a", const=True)', "also accepts `None`"),
        ("x: int = Field(1, const=True)", "coerced the input"),
        ("x: int = Field(VERSION, const=True)", "not annotated `str`"),
        ("x: str = Field(..., const=True)", "coerced the input"),
        ("x: str = Field(default_factory=str, const=True)", "without a default"),
    ],
)
def test_const_that_literal_cannot_express_is_reported_not_converted(
    field: str, reason: str
) -> None:
    source = (
        "from typing import Optional\n\nfrom pydantic import BaseModel, Field\n\n"
        f'VERSION = "1"\n\n\nclass M(BaseModel):\n    {field}\n'
    )
    findings = [f for f in find_findings(source) if "const" in f.message]

    assert len(findings) == 1
    assert not findings[0].fixable
    assert reason in findings[0].message
    assert "const=True" in migrate_source(source)


def _outcome(model: Any, data: dict[str, Any], error: type[Exception]) -> tuple[str, Any]:
    try:
        instance = model(**data)
    except error as caught:
        return "rejected", sorted(str(e["loc"][0]) for e in caught.errors())  # type: ignore[attr-defined]
    dump = instance.model_dump() if hasattr(instance, "model_dump") else instance.dict()
    return "accepted", {k: v.value if isinstance(v, enum.Enum) else v for k, v in dump.items()}


@pytest.fixture(scope="module")
def const_modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(CONST), "realcode_const_v1"),
        _load(migrate_source(CONST), "realcode_const_v2"),
    )


@pytest.mark.parametrize(
    ("model", "data"),
    [
        ("Header", {}),
        ("Header", {"name": ""}),
        ("Header", {"name": "x"}),
        ("Header", {"in": "header"}),
        ("Header", {"in": "query"}),
        ("Header", {"in": "cookie"}),
        ("Catalog", {"id": "a"}),
        ("Catalog", {"id": "a", "type": "Catalog"}),
        ("Catalog", {"id": "a", "type": "Collection"}),
        ("Catalog", {"id": "a", "type": ""}),
        ("Catalog", {"id": "a", "type": None}),
    ],
)
def test_const_literal_accepts_and_rejects_like_v1(
    const_modules: tuple[types.ModuleType, types.ModuleType], model: str, data: dict[str, Any]
) -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1, v2 = const_modules
    before = _outcome(getattr(v1, model), data, V1ValidationError)
    after = _outcome(getattr(v2, model), data, ValidationError)
    assert before == after


# --- Optional default of a field whose name the class body reads later ------------------------


def test_optional_field_named_like_a_name_read_later_gets_its_default_in_annotated() -> None:
    migrated = migrate_source(SHADOWED)

    assert "    datetime: Annotated[Optional[str], Field(default=None)]\n" in migrated
    assert "datetime: Optional[str] = None" not in migrated
    assert migrate_source(migrated) == migrated
    compile(migrated, "shadowed.py", "exec")


def test_optional_field_not_read_later_still_gets_plain_none() -> None:
    source = SHADOWED.replace("-> Optional[datetime]", "-> object")
    assert "    datetime: Optional[str] = None\n" in migrate_source(source)


def test_shadowing_fix_leaves_the_import_used_for_ruff(tmp_path: Path) -> None:
    before = _ruff(SHADOWED, tmp_path)
    after = _ruff(migrate_source(SHADOWED), tmp_path)
    assert "F401" not in after
    assert [code for code in after if after.count(code) > before.count(code)] == []


def test_shadowed_field_defaults_to_none_and_the_method_still_means_the_import() -> None:
    import datetime as datetime_module

    v1 = _load(_as_v1(SHADOWED), "realcode_shadowed_v1")
    v2 = _load(migrate_source(SHADOWED), "realcode_shadowed_v2")

    assert v1.Search().dict() == v2.Search().model_dump() == {"datetime": None, "limit": 10}
    assert v1.Search(datetime="x").dict() == v2.Search(datetime="x").model_dump()
    returns = [m.Search.start_date.fget.__annotations__["return"] for m in (v1, v2)]
    assert returns == [datetime_module.datetime | None] * 2


def test_shadowed_optional_field_is_reported_when_field_names_something_else() -> None:
    source = "from dataclasses import field as Field\n" + SHADOWED
    (finding,) = [f for f in find_findings(source) if f.code == "PYD012"]

    assert not finding.fixable
    assert "`Field` here is imported from dataclasses" in finding.message
    assert "datetime: Optional[str]\n" in migrate_source(source)


# --- update_forward_refs(Name=Name) -------------------------------------------------------------


def test_module_level_update_forward_refs_passing_own_names_becomes_model_rebuild() -> None:
    migrated = migrate_source(FORWARD_REFS)

    assert migrated.endswith('\nEncoding.model_rebuild(_types_namespace={"Header": Header})\n')
    assert migrate_source(migrated) == migrated


def test_update_forward_refs_inside_a_function_or_with_other_values_converts_too() -> None:
    inside = FORWARD_REFS.replace(
        "Encoding.update_forward_refs(Header=Header)",
        "def rebuild():\n    Encoding.update_forward_refs(Header=Header)",
    )
    renamed = FORWARD_REFS.replace("(Header=Header)", "(Header=Encoding)")
    for source, value in ((inside, "Header"), (renamed, "Encoding")):
        (finding,) = [f for f in find_findings(source) if "update_forward_refs" in f.message]
        assert finding.fixable
        assert f'.model_rebuild(_types_namespace={{"Header": {value}}})' in migrate_source(source)


def test_rebuilt_model_validates_the_forward_reference_like_v1() -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1 = _load(_as_v1(FORWARD_REFS), "realcode_forward_v1")
    v2 = _load(migrate_source(FORWARD_REFS), "realcode_forward_v2")
    data = {"headers": {"a": {"description": "d"}, "b": 3}}

    assert v1.Encoding(**data).dict() == v2.Encoding(**data).model_dump()
    with pytest.raises(V1ValidationError):
        v1.Encoding(headers={"a": "not a header"})
    with pytest.raises(ValidationError):
        v2.Encoding(headers={"a": "not a header"})


# --- class Config(BaseConfig) -------------------------------------------------------------------

BASE_CONFIG = """\
from pydantic import BaseConfig, BaseModel, Extra


class Opaque:
    pass


class Request(BaseModel):
    payload: Opaque
    chat_id: int = 0

    class Config(BaseConfig):
        arbitrary_types_allowed = True
        extra = Extra.forbid
        allow_population_by_field_name = True
"""


def test_config_deriving_from_v1_base_config_converts_and_drops_the_import() -> None:
    migrated = migrate_source(BASE_CONFIG)

    assert "model_config = ConfigDict(" in migrated
    assert "BaseConfig" not in migrated
    assert "class Config" not in migrated
    assert migrate_source(migrated) == migrated


def test_config_deriving_from_another_class_is_still_reported() -> None:
    source = BASE_CONFIG.replace("class Config(BaseConfig)", "class Config(Opaque)")
    (finding,) = [f for f in find_findings(source) if f.code == "PYD010"]
    assert not finding.fixable
    assert "derives from another `Config`" in finding.message


def test_base_config_model_behaves_like_v1() -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1 = _load(_as_v1(BASE_CONFIG), "realcode_base_config_v1")
    v2 = _load(migrate_source(BASE_CONFIG), "realcode_base_config_v2")
    for module, error in ((v1, V1ValidationError), (v2, ValidationError)):
        opaque = module.Opaque()
        assert module.Request(payload=opaque, chat_id=3).payload is opaque
        with pytest.raises(error):
            module.Request(payload=opaque, other=1)
        with pytest.raises(error):
            module.Request(payload="not opaque")


# --- con* aliases under a module-level if / else ---------------------------------------------

TYPE_CHECKING_ALIASES = """\
from typing import TYPE_CHECKING, List, Tuple

from pydantic import BaseModel, conlist

Position = Tuple[float, float]

if TYPE_CHECKING:
    LinearRing = List[Position]
else:
    LinearRing = conlist(Position, min_items=4)


class Polygon(BaseModel):
    coordinates: List[LinearRing]
"""


def test_conlist_alias_in_the_else_of_type_checking_converts() -> None:
    migrated = migrate_source(TYPE_CHECKING_ALIASES)

    assert "    LinearRing = Annotated[list[Position], Field(min_length=4)]\n" in migrated
    assert "conlist" not in migrated
    assert "    LinearRing = List[Position]\n" in migrated
    assert migrate_source(migrated) == migrated


def test_conlist_alias_under_if_accepts_and_rejects_like_v1() -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1 = _load(_as_v1(TYPE_CHECKING_ALIASES), "realcode_aliases_v1")
    v2 = _load(migrate_source(TYPE_CHECKING_ALIASES), "realcode_aliases_v2")
    ring = [(0, 0), (1, 0), (1, 1), (0, 0)]
    assert v1.Polygon(coordinates=[ring]).dict() == v2.Polygon(coordinates=[ring]).model_dump()
    with pytest.raises(V1ValidationError):
        v1.Polygon(coordinates=[ring[:3]])
    with pytest.raises(ValidationError):
        v2.Polygon(coordinates=[ring[:3]])


# --- pydantic.schema ---------------------------------------------------------------------------


def test_unused_import_from_v1_pydantic_schema_goes_so_the_module_imports() -> None:
    source = "from pydantic import BaseModel\nfrom pydantic.schema import schema\n"
    (finding,) = find_findings(source)

    assert finding.code == "PYD023"
    assert finding.fixable
    assert "`pydantic.schema.schema` was removed in Pydantic V2" in finding.message
    with pytest.raises(ImportError):
        exec(compile(source, "schema_import.py", "exec"), {})
    exec(compile(migrate_source(source), "schema_import.py", "exec"), {})
