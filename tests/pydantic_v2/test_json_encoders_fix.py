"""PYD020 fix: ``json_encoders`` becomes ``@field_serializer`` methods where that is faithful.

The behaviour module (``fixtures/behaviour/json_encoders_fix.py``) is run three ways: the V1
original under ``pydantic.v1``, the same models with ``json_encoders`` kept in
``model_config`` under pydantic 2, and the migrated text (serializers) under pydantic 2.
"""

from __future__ import annotations

import json
import types
import warnings
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic.warnings import PydanticDeprecatedSince20
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits

SOURCE = (Path(__file__).parent / "fixtures" / "behaviour" / "json_encoders_fix.py").read_text()


def _fixed(source: str, code: str | None = None) -> str:
    keys = [f.key for f in find_findings(source) if f.fixable and code in (None, f.code)]
    return apply_edits(source, fix_edits(source, keys))


def _kept_v2() -> str:
    """The models with ``json_encoders`` kept in ``model_config`` (V2's deprecated path)."""
    return (
        SOURCE.replace(
            "    class Config:\n        # how dates and prices are written\n"
            "        json_encoders = {",
            "    model_config = ConfigDict(validate_assignment=True, json_encoders={",
        )
        .replace("        }\n        validate_assignment = True\n", "    })\n")
        .replace(
            "    class Config:\n        json_encoders = {datetime: lambda v: v.year}",
            "    model_config = ConfigDict(json_encoders={datetime: lambda v: v.year})",
        )
        .replace("from pydantic import BaseModel", "from pydantic import BaseModel, ConfigDict")
    )


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "json_encoders_fix_v1"),
        _load(_kept_v2(), "json_encoders_fix_kept"),
        _load(migrate_source(SOURCE), "json_encoders_fix_v2"),
    )


def _deprecations(source: str) -> list[str]:
    """The ``PydanticDeprecatedSince20`` messages running ``source`` emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(source, "<deprecations>", "exec", dont_inherit=True), {})
    return [str(w.message) for w in caught if issubclass(w.category, PydanticDeprecatedSince20)]


def test_encoders_become_field_serializers_and_the_config_loses_the_key() -> None:
    migrated = migrate_source(SOURCE)
    assert "json_encoders" not in migrated
    assert '@field_serializer("at", "maybe", when_used="json-unless-none")' in migrated
    assert 'return v.strftime("%Y")' in migrated and "return as_text(value)" in migrated
    assert "from pydantic import BaseModel, ConfigDict, field_serializer" in migrated
    assert "# how dates and prices are written" in migrated
    assert "class Config" not in migrated
    assert find_findings(migrated) == [] and migrate_source(migrated) == migrated


def test_the_fix_alone_and_the_config_fix_alone_write_the_same_text() -> None:
    codes = {f.code: f for f in find_findings(SOURCE)}
    assert codes["PYD020"].fixable and codes["PYD010"].fixable
    assert _fixed(SOURCE, "PYD020") == _fixed(SOURCE, "PYD010")


def test_importing_the_migrated_module_warns_no_deprecation() -> None:
    assert _deprecations(migrate_source(SOURCE)) == []
    assert any("json_encoders" in message for message in _deprecations(_kept_v2()))


@pytest.mark.parametrize("maybe", [None, datetime(2019, 5, 6)])
def test_behaviour_json_output_matches_v1_and_v2_json_encoders(
    modules: tuple[types.ModuleType, types.ModuleType, types.ModuleType],
    maybe: datetime | None,
) -> None:
    v1, kept, migrated = modules
    data = {"at": datetime(2020, 1, 2), "maybe": maybe, "price": Decimal("2.25")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = json.loads(v1.Event(**data).json())
        with_encoders = kept.Event(**data)
        after = migrated.Event(**data)
        assert json.loads(with_encoders.model_dump_json()) == before
        assert json.loads(after.model_dump_json()) == before
        assert after.model_dump(mode="json") == with_encoders.model_dump(mode="json")
        assert after.model_dump() == with_encoders.model_dump() == v1.Event(**data).dict()
        assert before["at"] == "2020" and before["price"] == "<2.25>"
        only = {"at": datetime(2021, 3, 4)}
        assert json.loads(migrated.OnlyEncoders(**only).model_dump_json()) == {"at": 2021}
        assert json.loads(v1.OnlyEncoders(**only).json()) == {"at": 2021}


def test_behaviour_validate_assignment_survives_next_to_the_serializer(
    modules: tuple[types.ModuleType, types.ModuleType, types.ModuleType],
) -> None:
    _, _, migrated = modules
    event = migrated.Event(at=datetime(2020, 1, 2))
    with pytest.raises(ValueError):
        event.price = "not a number"


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("    many: List[Any] = []\n", "`many` may hold encoded values (`Any`)"),
        ("    inner: Optional[Inner] = None\n", "nested model"),
        ("    anything: Any = None\n", "`anything` may hold encoded values (`Any`)"),
    ],
)
def test_fields_that_v1_also_encoded_elsewhere_keep_the_report(extra: str, reason: str) -> None:
    source = (
        "from datetime import datetime\nfrom typing import Any, List, Optional\n"
        "from pydantic import BaseModel\n\nclass Inner(BaseModel):\n    at: datetime\n\n"
        f"class Event(BaseModel):\n    at: datetime\n{extra}\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: v.year}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert not finding.fixable and reason in finding.message
    assert "json_encoders={datetime:" in migrate_source(source)


@pytest.mark.parametrize(
    ("variant", "reason"),
    [
        ("class Child(Event, Mixin):\n    pass\n", "also derives from `Mixin`"),
        ("ENC = {}\n", "neither a lambda nor a plain name"),
    ],
)
def test_subclassed_models_and_other_encoders_keep_the_report(variant: str, reason: str) -> None:
    encoder = "ENC.get" if variant.startswith("ENC") else "lambda v: v.year"
    source = (
        "from datetime import datetime\nfrom pydantic import BaseModel\n\n"
        f"{variant}\nclass Event(BaseModel):\n    at: datetime\n\n    class Config:\n"
        f"        json_encoders = {{datetime: {encoder}}}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert not finding.fixable and reason in finding.message


def test_behaviour_an_encoder_v1_never_ran_is_dropped_as_v1_ignored_it() -> None:
    """V1's ``json.dumps`` wrote ``int`` (and ``str`` subclasses such as a ``str`` enum)
    itself, so their encoders never ran; V2's ``json_encoders`` would run them."""
    source = (
        "from enum import Enum\nfrom pydantic import BaseModel\n\n"
        "class Color(str, Enum):\n    RED = 'red'\n\n"
        "class A(BaseModel):\n    n: int\n    color: Color = Color.RED\n\n"
        "    class Config:\n"
        "        json_encoders = {int: lambda v: v * 2, Color: lambda c: c.name}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert finding.fixable and "V1 never ran the encoders for `int`, `Color`" in finding.message
    migrated = migrate_source(source)
    assert "json_encoders" not in migrated and "_serializer" not in migrated
    v1 = _load(_as_v1(source), "enc_dead_v1")
    v2 = _load(migrated, "enc_dead_v2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert json.loads(v1.A(n=3).json()) == {"n": 3, "color": "red"}
    assert json.loads(v2.A(n=3).model_dump_json()) == {"n": 3, "color": "red"}
    assert _deprecations(migrated) == []


def test_a_v2_model_config_loses_only_the_json_encoders_keyword() -> None:
    source = (
        "from datetime import date\nfrom pydantic import BaseModel, ConfigDict\n\n"
        "class A(BaseModel):\n"
        "    model_config = ConfigDict(frozen=True, json_encoders={date: str})\n"
        "    d: date\n"
    )
    [finding] = find_findings(source)
    assert finding.code == "PYD020" and finding.fixable
    fixed = _fixed(source)
    assert "model_config = ConfigDict(frozen=True)\n" in fixed
    assert '@field_serializer("d", when_used="json-unless-none")' in fixed
    assert "return str(value)" in fixed and find_findings(fixed) == []


def test_only_imports_the_dropped_encoders_alone_used_are_removed() -> None:
    source = (
        "import datetime\nfrom datetime import timedelta\nfrom typing import Optional\n"
        "from pydantic import BaseModel\n\nclass A(BaseModel):\n"
        "    at: Optional[datetime.datetime] = None\n\n    class Config:\n"
        "        json_encoders = {datetime.datetime: lambda d: d.year, timedelta: str}\n"
    )
    for code in ("PYD010", "PYD020", None):
        fixed = _fixed(source, code)
        assert fixed.startswith("import datetime\nfrom typing import Optional\n"), fixed
        assert "return d.year" in fixed
        compile(fixed, "fixed.py", "exec")


def test_the_serializer_decorator_is_never_a_name_the_module_rebinds() -> None:
    source = (
        "from datetime import datetime\nfrom pydantic import BaseModel, field_serializer\n\n"
        "field_serializer = staticmethod\n\n\n"
        "class Event(BaseModel):\n    at: datetime\n\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: v.year}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert not finding.fixable
    assert "`field_serializer` is another name in this module" in finding.message
