"""More failures found by ``python -m bench pydantic_realcode``, each as a tiny reproducer.

- aiogram 3.0.0b7 ``types/__init__.py``: a loop rebuilds every model of the package with
  ``_entity.update_forward_refs(**{...}, **{...})`` behind ``hasattr(_entity,
  "update_forward_refs")``; the receiver is unknown, so it was left, and V2 raised ``TypeError``
  (``localns`` arguments are not accepted) in 166 modules.
- openapi-schema-pydantic 1.2.4 ``v3/*/__init__.py``: ``Encoding.update_forward_refs(Header=
  Header)`` became ``Encoding.model_rebuild()``, which left ``Header``'s import unused (ruff
  F401; removing it would break the rebuild). The names now go in ``_types_namespace``.
- geojson-pydantic 0.6.3 ``geometries.py``: ``ValidationError(errors=[ErrorWrapper(...)],
  model=M)`` (keyword arguments) was reported instead of converted, and the import of
  ``ErrorWrapper`` failed in every module of geojson-pydantic and stac-pydantic.
- aiogram 3.0.0b7 ``types/input_file.py``: ``__get_validators__`` yielding only ``None`` (a
  module without a pydantic import) made every model with an ``InputFile`` field fail to build
  under V2 (``SchemaError``); V1 custom types now become ``__get_pydantic_core_schema__``
  (PYD021; its v1-vs-v2 probe is ``fixtures/behaviour/custom_types.py``).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.pydantic_v2.test_behaviour_error_wrappers import _raised
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source


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


# --- update_forward_refs ------------------------------------------------------------------------

ENCODING = """\
from typing import Dict, Optional, Union

from pydantic import BaseModel


class Encoding(BaseModel):
    headers: Optional[Dict[str, Union["Header", int]]] = None
"""

HEADER = """\
from pydantic import BaseModel


class Header(BaseModel):
    description: str = ""
"""

PACKAGE_INIT = """\
from typing import Optional

from .encoding import Encoding
from .header import Header

LIMIT = 3

__all__ = ("Encoding", "Header", "LIMIT")

for _entity_name in __all__:
    _entity = globals()[_entity_name]
    if not hasattr(_entity, "update_forward_refs"):
        continue
    _entity.update_forward_refs(
        **{k: v for k, v in globals().items() if k in __all__},
        **{"Optional": Optional},
    )

del _entity
del _entity_name
"""

MODULE_LEVEL = """\
from .encoding import Encoding
from .header import Header

Encoding.update_forward_refs(Header=Header)
"""


def test_guarded_update_forward_refs_loop_becomes_model_rebuild_with_a_namespace() -> None:
    migrated = migrate_source(PACKAGE_INIT)

    assert '    if not hasattr(_entity, "model_rebuild"):\n' in migrated
    assert (
        "    _entity.model_rebuild(_types_namespace={\n"
        "        **{k: v for k, v in globals().items() if k in __all__},\n"
        '        "Optional": Optional,\n'
        "    })\n"
    ) in migrated
    assert migrate_source(migrated) == migrated
    (finding,) = find_findings(PACKAGE_INIT)
    assert (finding.code, finding.key, finding.fixable) == (
        "PYD014",
        "<module>:_entity.update_forward_refs",
        True,
    )
    assert find_findings(migrated) == []


@pytest.mark.parametrize(
    "source",
    [
        # no guard: the receiver may be anything
        "def f(x):\n    x.update_forward_refs(A=1)\n",
        # the guard speaks of another name
        'def f(x, y):\n    if hasattr(y, "update_forward_refs"):\n'
        "        x.update_forward_refs(A=1)\n",
        # the name is rebound after the guard
        'def f(x, y):\n    if not hasattr(x, "update_forward_refs"):\n        return\n'
        "    x = y\n    x.update_forward_refs(A=1)\n",
        # the guard's body does not leave the block
        'def f(x):\n    if not hasattr(x, "update_forward_refs"):\n        print(x)\n'
        "    x.update_forward_refs(A=1)\n",
    ],
    ids=["unguarded", "other-name", "rebound", "guard-falls-through"],
)
def test_update_forward_refs_on_an_unproven_receiver_is_left_alone(source: str) -> None:
    source = "import pydantic\n\n\n" + source
    assert find_findings(source) == []
    assert migrate_source(source) == source


def test_a_positive_hasattr_guard_converts_the_call_it_guards() -> None:
    source = (
        "import pydantic\n\n\ndef f(x, ns):\n"
        '    if hasattr(x, "update_forward_refs"):\n        x.update_forward_refs(**ns)\n'
    )
    migrated = migrate_source(source)

    assert '    if hasattr(x, "model_rebuild"):\n' in migrated
    assert "        x.model_rebuild(_types_namespace={**ns})\n" in migrated


def test_names_passed_to_update_forward_refs_stay_used_for_ruff(tmp_path: Path) -> None:
    package = tmp_path / "api"
    package.mkdir()
    files = {"__init__.py": MODULE_LEVEL, "encoding.py": ENCODING, "header.py": HEADER}
    for name, text in files.items():
        (package / name).write_text(text, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "migrate", "api"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    migrated = (package / "__init__.py").read_text(encoding="utf-8")

    assert 'Encoding.model_rebuild(_types_namespace={"Header": Header})' in migrated
    assert _ruff(MODULE_LEVEL, tmp_path) == _ruff(migrated, tmp_path) == []
    # ``**{"Optional": Optional}`` is written as a key: ruff's PIE804 on the call goes too.
    assert _ruff(PACKAGE_INIT, tmp_path) == ["PIE804", "RUF022"]
    assert _ruff(migrate_source(PACKAGE_INIT), tmp_path) == ["RUF022"]


@pytest.fixture
def packages(tmp_path: Path) -> Iterator[tuple[object, object]]:
    """The package as V1 code under ``pydantic.v1`` and migrated under pydantic 2."""
    files = {"__init__.py": PACKAGE_INIT, "encoding.py": ENCODING, "header.py": HEADER}
    for name, convert in (("realcode2_v1", _as_v1), ("realcode2_v2", migrate_source)):
        folder = tmp_path / name
        folder.mkdir()
        for file, text in files.items():
            (folder / file).write_text(convert(text), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("realcode2_v1"), importlib.import_module("realcode2_v2")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("realcode2_")]:
            del sys.modules[name]


def test_package_rebuilt_in_a_loop_resolves_the_other_module_like_v1(
    packages: tuple[object, object],
) -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    v1, v2 = packages
    data = {"headers": {"a": {"description": "d"}, "b": 3}}

    assert v1.Encoding(**data).dict() == v2.Encoding(**data).model_dump()  # type: ignore[attr-defined]
    assert type(v2.Encoding(**data).headers["a"]) is v2.Header  # type: ignore[attr-defined]
    with pytest.raises(V1ValidationError):
        v1.Encoding(headers={"a": "not a header"})  # type: ignore[attr-defined]
    with pytest.raises(ValidationError):
        v2.Encoding(headers={"a": "not a header"})  # type: ignore[attr-defined]


# --- ValidationError(errors=[ErrorWrapper(...)], model=...) -------------------------------------

KEYWORD_ERRORS = """\
from pydantic import BaseModel, ValidationError
from pydantic.error_wrappers import ErrorWrapper


class Geometry(BaseModel):
    type: str


def parse_geometry(obj: dict) -> Geometry:
    if "type" not in obj:
        raise ValidationError(
            errors=[
                ErrorWrapper(ValueError("Missing 'type' field in geometry"), loc="type")
            ],
            model=Geometry,
        )
    return Geometry.parse_obj(obj)
"""


def test_errors_and_model_given_by_keyword_convert() -> None:
    migrated = migrate_source(KEYWORD_ERRORS)

    assert "ErrorWrapper" not in migrated
    assert "        raise ValidationError.from_exception_data(\n" in migrated
    assert '"loc": ("type",)' in migrated
    assert find_findings(migrated) == []
    assert migrate_source(migrated) == migrated


def test_errors_given_by_keyword_read_the_same_as_v1() -> None:
    v1 = _load(_as_v1(KEYWORD_ERRORS), "realcode2_errors_v1")
    v2 = _load(migrate_source(KEYWORD_ERRORS), "realcode2_errors_v2")

    before, after = _raised(lambda: v1.parse_geometry({})), _raised(lambda: v2.parse_geometry({}))
    assert before == after
    assert before[0] == [(("type",), "Missing 'type' field in geometry", "value_error")]
    assert (
        v1.parse_geometry({"type": "Point"}).dict()
        == v2.parse_geometry({"type": "Point"}).model_dump()
    )


def test_errors_given_twice_are_still_reported() -> None:
    source = KEYWORD_ERRORS.replace("errors=[", "[], errors=[")
    (finding,) = [f for f in find_findings(source) if f.code == "PYD019"]
    assert not finding.fixable


# --- __get_validators__ (PYD021) ----------------------------------------------------------------

INPUT_FILE = """\
from abc import ABC
from typing import Iterator, Optional


class InputFile(ABC):
    def __init__(self, filename: Optional[str] = None):
        self.filename = filename

    @classmethod
    def __get_validators__(cls) -> Iterator[None]:
        yield None
"""


def test_custom_type_in_a_module_without_pydantic_is_converted() -> None:
    migrated = migrate_source(INPUT_FILE)

    assert migrated == (
        "from abc import ABC\nfrom typing import Optional\n\nfrom pydantic_core import "
        "core_schema\n\n\nclass InputFile(ABC):\n"
        "    def __init__(self, filename: Optional[str] = None):\n"
        "        self.filename = filename\n\n"
        "    @classmethod\n"
        "    def __get_pydantic_core_schema__(cls, source_type, handler):\n"
        "        return core_schema.any_schema()\n"
    )
    assert migrate_source(migrated) == migrated
    assert find_findings(migrated) == []


def test_a_model_with_a_converted_custom_type_field_builds_and_keeps_the_value() -> None:
    model = "\n\nfrom pydantic import BaseModel\n\n\nclass Send(BaseModel):\n    file: InputFile\n"
    v1 = _load(_as_v1(INPUT_FILE + model), "realcode2_input_v1")
    v2 = _load(migrate_source(INPUT_FILE + model), "realcode2_input_v2")

    sent = v1.InputFile("a.txt")
    assert v1.Send(file=sent).file is sent
    sent = v2.InputFile("a.txt")
    assert v2.Send(file=sent).file is sent
    assert v2.Send(file="any value").file == v1.Send(file="any value").file == "any value"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "        yield cls.validate\n\n    @classmethod\n    def validate(cls, v, values):\n"
            "        return v\n",
            "`values` / `field` / `config`",
        ),
        (
            "        yield cls.validate\n\n    @classmethod\n    def validate(cls, v):\n"
            "        if not isinstance(v, str):\n            raise TypeError('text')\n"
            "        return v\n",
            "raises `TypeError`",
        ),
        (
            "        yield cls.validate\n\n    def validate(self, v):\n        return v\n",
            "plain method",
        ),
        ("        yield from (cls.a, cls.b)\n", "does more than `yield`"),
        ("        yield imported_check\n", "not a method of the class or a function"),
        ("        yield cls.missing\n", "not defined in the class"),
        (
            "        yield None\n\n    @classmethod\n    def __modify_schema__(cls, schema):\n"
            "        schema.update(type='string')\n",
            "`__modify_schema__`",
        ),
    ],
    ids=["values", "type-error", "plain-method", "yield-from", "imported", "missing", "modify"],
)
def test_custom_types_without_a_faithful_v2_hook_are_reported(body: str, reason: str) -> None:
    source = (
        "from pydantic import BaseModel\n\n\nclass Code(str):\n    @classmethod\n"
        "    def __get_validators__(cls):\n" + body
    )
    (finding,) = [f for f in find_findings(source) if f.code == "PYD021"]

    assert not finding.fixable
    assert reason in finding.message
    assert "__get_validators__" in migrate_source(source)


def test_custom_type_finding_names_the_none_difference() -> None:
    source = (
        "class Upper(str):\n    @classmethod\n    def __get_validators__(cls):\n"
        "        yield cls.validate\n\n    @classmethod\n    def validate(cls, v):\n"
        "        return cls(v.upper())\n"
    )
    (finding,) = find_findings(source)

    assert (finding.code, finding.key, finding.fixable) == (
        "PYD021",
        "Upper.__get_validators__",
        True,
    )
    assert "V1 rejected `None`" in finding.message
    assert "core_schema.no_info_plain_validator_function(cls.validate)" in migrate_source(source)


# --- type aliases on Model[T] (PYD022) ----------------------------------------------------------

GENERIC_ALIAS = """\
from typing import Awaitable, Callable, Generic, TypeVar, Union

from pydantic import BaseModel

T = TypeVar("T")


class Method(BaseModel, Generic[T]):
    name: str = ""


class Response(BaseModel, Generic[T]):
    result: Union[T, None] = None


Next = Callable[["Bot", Method[T]], Awaitable[Response[T]]]
Handler = Union["Middleware", Callable[[Next[T], "Bot", Method[T]], Awaitable[Response[T]]]]
Plain = Callable[[Method[int]], None]
"""


def test_alias_taking_type_variables_from_a_generic_model_becomes_a_type_alias_type() -> None:
    (finding,) = find_findings(GENERIC_ALIAS)

    assert (finding.code, finding.key, finding.fixable) == ("PYD022", "Next:generic alias", True)
    assert (finding.start.line, finding.start.column) == (15, 0)
    assert "`Next[...]` raises `TypeError` on import" in finding.message
    migrated = migrate_source(GENERIC_ALIAS)
    assert 'Callable[["Bot", Method[T]], Awaitable[Response[T]]],\n    type_params=(T,),\n)' in (
        migrated
    )
    v2 = _load(migrated, "realcode2_alias_migrated")
    assert v2.Handler.__parameters__ == (v2.T,)


def test_what_the_generic_alias_report_says_holds_under_v1_and_v2() -> None:
    v1 = _load(_as_v1(GENERIC_ALIAS), "realcode2_alias_v1")
    assert v1.Next.__parameters__ == (v1.T,)
    with pytest.raises(TypeError, match="is not a generic class"):
        _load(GENERIC_ALIAS, "realcode2_alias_v2")
    fixed = GENERIC_ALIAS.replace(
        'Next = Callable[["Bot", Method[T]], Awaitable[Response[T]]]',
        "Next = TypeAliasType(\n"
        '    "Next", Callable[["Bot", Method[T]], Awaitable[Response[T]]], type_params=(T,)\n'
        ")",
    ).replace(
        "from pydantic import", "from typing_extensions import TypeAliasType\nfrom pydantic import"
    )

    v2 = _load(fixed, "realcode2_alias_fixed")
    assert v2.Next[int].__value__ is v2.Next.__value__
    assert find_findings(fixed) == []


def test_an_alias_the_module_never_subscripts_is_not_reported() -> None:
    source = GENERIC_ALIAS.replace("Callable[[Next[T], ", "Callable[[Next, ")
    assert find_findings(source) == []


def test_check_selects_the_new_codes_like_every_other(tmp_path: Path) -> None:
    (tmp_path / "types_.py").write_text(INPUT_FILE, encoding="utf-8")
    (tmp_path / "aliases.py").write_text(GENERIC_ALIAS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "check", "--select", "PYD02", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    codes = sorted(line.split()[1] for line in done.stdout.splitlines() if ": PYD" in line)
    assert (done.returncode, codes) == (1, ["PYD021", "PYD022"])


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (
            "from pydantic import BaseModel\n\n\nclass Wrapped(BaseModel):\n    x: int = 0\n\n"
            "    @classmethod\n    def __get_validators__(cls):\n        yield cls.validate\n",
            "`Wrapped` is a model",
        ),
        (
            "core_schema = {}\n\n\nclass Code(str):\n    @classmethod\n"
            "    def __get_validators__(cls):\n        yield None\n",
            "`core_schema` in this module is assigned in this module",
        ),
    ],
    ids=["model-hook", "core-schema-taken"],
)
def test_custom_type_hook_is_reported_where_the_v2_hook_would_mean_something_else(
    source: str, reason: str
) -> None:
    (finding,) = [f for f in find_findings(source) if f.code == "PYD021"]

    assert not finding.fixable
    assert reason in finding.message
    assert migrate_source(source) == source


# --- Field(True, const=True) on a bool --------------------------------------------------------

BOOL_CONST = """\
from pydantic import BaseModel, Field


class ForceReply(BaseModel):
    force_reply: bool = Field(True, const=True)
"""


def test_bool_const_becomes_a_literal_read_as_a_bool_first() -> None:
    migrated = migrate_source(BOOL_CONST)

    assert (
        "    force_reply: Annotated[Literal[True], "
        "BeforeValidator(TypeAdapter(bool).validate_python)] = Field(True)\n"
    ) in migrated
    assert "from typing import Annotated, Literal\n" in migrated
    assert "from pydantic import BaseModel, BeforeValidator, Field, TypeAdapter\n" in migrated
    assert find_findings(migrated) == []
    assert migrate_source(migrated) == migrated


def test_bool_const_on_a_field_not_annotated_bool_is_reported() -> None:
    source = BOOL_CONST.replace("force_reply: bool", "force_reply: int")
    (finding,) = [f for f in find_findings(source) if f.code == "PYD011"]

    assert not finding.fixable
    assert "not annotated `bool`" in finding.message
