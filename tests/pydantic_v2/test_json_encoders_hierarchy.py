"""PYD020 on the shapes beyond a lone model's own fields: unions, safe containers and nested
models, subclasses (same file and, through the workspace index, other files), extra fields,
encoders a subclass repeats, a ``date`` key over ``datetime`` fields.

Each converted shape is probed v1-vs-v2: the original under ``pydantic.v1`` (``.json()``) and
the migrated module under pydantic 2 (``.model_dump_json()``) write the same JSON for the same
data, with ``by_alias`` / ``exclude_none`` / ``exclude_unset`` too, and the migrated module
emits no ``PydanticDeprecatedSince20``. Shapes without a faithful conversion keep the key and
a report that names the field.
"""

from __future__ import annotations

import importlib
import json
import textwrap
import warnings
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from package_pairs import v1_and_migrated
from pydantic.warnings import PydanticDeprecatedSince20
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.runner import Status, Task, discover, run

AT = datetime(2020, 1, 2, 3, 4, 5)
OPTIONS: list[dict[str, Any]] = [
    {},
    {"by_alias": True},
    {"exclude_none": True},
    {"exclude_unset": True, "by_alias": True},
]

SAME_FILE = """\
from datetime import datetime
from typing import List, Optional, Union

from pydantic import BaseModel, Field

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Tag(BaseModel):
    name: str
    aliases: Optional[List[str]] = None


class Base(BaseModel):
    title: Optional[str] = Field(None, alias="Title")
    start: Optional[datetime] = Field(None, alias="Start")
    tags: Optional[List[Tag]] = None
    counts: List[int] = []

    class Config:
        json_encoders = {datetime: lambda v: v.strftime(FORMAT)}


class Child(Base):
    when: Union[datetime, str] = "never"
    end: datetime

    class Config:
        extra = "allow"


class Grandchild(Child):
    stamp: Optional[datetime] = None
"""


def _deprecations(source: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(source, "<deprecations>", "exec", dont_inherit=True), {})
    return [str(w.message) for w in caught if issubclass(w.category, PydanticDeprecatedSince20)]


def _same_json(v1_model: Any, v2_model: Any, data: dict[str, Any]) -> None:
    """V1's ``.json()`` and V2's ``.model_dump_json()`` write the same JSON for ``data``."""
    for options in OPTIONS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            before = json.loads(v1_model(**data).json(**options))
            after = json.loads(v2_model(**data).model_dump_json(**options))
            dumped = v2_model(**data).model_dump(mode="json", **options)
        assert after == before, f"{v1_model.__name__}({data}) {options}"
        assert dumped == before, f"{v1_model.__name__}({data}) {options}"


def test_a_subclassed_model_gets_one_star_serializer_and_an_extra_fields_serializer() -> None:
    migrated = migrate_source(SAME_FILE)
    assert "json_encoders" not in migrated
    assert '@field_serializer("*", mode="wrap", when_used="json-unless-none")' in migrated
    assert '@model_serializer(mode="wrap", when_used="json")' in migrated
    assert migrated.count("_serializer(") == 2  # once, on the base: subclasses inherit them
    assert find_findings(migrated) == [] and migrate_source(migrated) == migrated
    assert _deprecations(migrated) == []
    [finding] = [f for f in find_findings(SAME_FILE) if f.code == "PYD020"]
    assert finding.fixable and "`Child`, `Grandchild`" in finding.message
    assert "extra fields" in finding.message


@pytest.mark.parametrize(
    ("model", "data"),
    [
        ("Base", {"Title": "t", "Start": AT, "tags": [{"name": "a"}]}),
        ("Base", {}),
        ("Child", {"Start": AT, "when": AT, "end": AT, "counts": [1, 2]}),
        ("Child", {"end": AT, "when": "2021-01-01", "note": AT, "more": [AT, {"k": AT}]}),
        ("Child", {"end": AT, "none_extra": None, "tags": [{"name": "x", "aliases": ["y"]}]}),
        ("Grandchild", {"end": AT, "stamp": AT, "when": AT, "other": (1, AT)}),
        ("Grandchild", {"end": AT}),
    ],
)
def test_behaviour_subclasses_unions_and_extras_write_the_json_v1_wrote(
    model: str, data: dict[str, Any]
) -> None:
    v1 = _load(_as_v1(SAME_FILE), "enc_same_v1")
    v2 = _load(migrate_source(SAME_FILE), "enc_same_v2")
    _same_json(getattr(v1, model), getattr(v2, model), data)
    plain = getattr(v2, model)(**data).model_dump()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert plain == getattr(v1, model)(**data).dict()  # Python output untouched


UNION_ONLY = """\
from datetime import date, datetime
from typing import Optional, Union

from pydantic import BaseModel


class Event(BaseModel):
    day: date
    at: Optional[datetime] = None
    either: Union[str, datetime] = "x"

    class Config:
        json_encoders = {date: lambda d: d.strftime("%d/%m/%Y")}
"""


def test_behaviour_a_date_key_also_encodes_datetime_fields_and_unions_like_v1() -> None:
    migrated = migrate_source(UNION_ONLY)
    assert '@field_serializer("day", "at", "either", mode="wrap"' in migrated
    assert _deprecations(migrated) == []
    v1 = _load(_as_v1(UNION_ONLY), "enc_union_v1")
    v2 = _load(migrated, "enc_union_v2")
    for data in (
        {"day": date(2020, 5, 6), "at": AT, "either": AT},
        {"day": "2021-02-03", "either": "text"},
    ):
        _same_json(v1.Event, v2.Event, data)


@pytest.mark.parametrize(
    ("field", "reason"),
    [
        (
            "    many: List[Union[datetime, Inner]] = []\n",
            "`many` may hold encoded values inside other types",
        ),
        ("    inner: Optional[Inner] = None\n", "`inner` holds the nested model `Inner`"),
        ("    loose: Loose = None\n", "`loose` holds the nested model `Loose`: it keeps extra"),
        ("    anything: Dict[str, Any] = {}\n", "`anything` may hold encoded values (`Any`)"),
        ("    outside: Outside = None\n", "`outside`: `Outside` is a type V1's encoders"),
        ("    text: 'Inner' = None\n", "`text` has a string annotation"),
    ],
)
def test_fields_out_of_a_serializers_reach_keep_the_key_and_name_the_field(
    field: str, reason: str
) -> None:
    source = (
        "from datetime import datetime\nfrom typing import Any, Dict, List, Optional, Union\n"
        "from pydantic import BaseModel\nfrom elsewhere import Outside\n\n"
        "class Inner(BaseModel):\n    at: datetime\n\n"
        "class Loose(BaseModel):\n    name: str = ''\n\n"
        "    class Config:\n        extra = 'allow'\n\n"
        f"class Event(BaseModel):\n    at: datetime\n{field}\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: v.year}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert not finding.fixable and reason in finding.message, finding.message
    assert "json_encoders={datetime:" in migrate_source(source)


def test_a_subclass_with_other_encoders_for_the_same_type_keeps_the_report() -> None:
    source = (
        "from datetime import datetime\nfrom pydantic import BaseModel\n\n"
        "class Event(BaseModel):\n    at: datetime\n\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: v.year}\n\n"
        "class Late(Event):\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: v.month}\n"
    )
    found = {f.key: f for f in find_findings(source) if f.code == "PYD020"}
    assert not found["Event.json_encoders"].fixable
    assert "`Late` sets other encoders" in found["Event.json_encoders"].message
    assert not found["Late.json_encoders"].fixable
    assert (
        "a base model in this file sets `json_encoders` too" in found["Late.json_encoders"].message
    )


REPEATING = """\
from datetime import datetime
from typing import Optional

from pydantic import BaseModel

F = "%Y"


class Event(BaseModel):
    at: Optional[datetime] = None

    class Config:
        json_encoders = {datetime: lambda v: v.strftime(F)}


class Again(Event):
    other: datetime

    class Config:
        extra = "forbid"
        json_encoders = {datetime: lambda v: v.strftime(F)}
"""


def test_behaviour_a_subclass_repeating_its_bases_encoders_only_loses_the_key() -> None:
    migrated = migrate_source(REPEATING)
    assert "json_encoders" not in migrated and migrated.count("@field_serializer") == 1
    assert 'model_config = ConfigDict(extra="forbid")' in migrated
    found = {f.key: f for f in find_findings(REPEATING) if f.code == "PYD020"}
    assert "only repeats the encoders of its base `Event`" in found["Again.json_encoders"].message
    v1 = _load(_as_v1(REPEATING), "enc_repeat_v1")
    v2 = _load(migrated, "enc_repeat_v2")
    _same_json(v1.Again, v2.Again, {"at": AT, "other": AT})


# --- across files: the workspace index finds the subclasses --------------------------------

BASE_MODULE = """\
from datetime import datetime
from typing import List, Optional

from pydantic import BaseModel, Field

RFC = "%Y-%m-%dT%H:%M:%SZ"


class Provider(BaseModel):
    name: str
    roles: Optional[List[str]] = None


class Common(BaseModel):
    created: Optional[datetime] = Field(None, alias="createdAt")
    providers: Optional[List[Provider]] = None

    class Config:
        json_encoders = {datetime: lambda v: v.strftime(RFC)}


class Asset(Common):
    href: str

    class Config:
        extra = "allow"
"""

CHILD_MODULE = """\
from datetime import datetime as dt
from typing import Optional, Union

from pydantic import Field

from {package}.base import RFC, Common


class Properties(Common):
    datetime: Union[dt, str] = Field(..., alias="datetime")
    updated: Optional[dt] = None

    class Config:
        extra = "allow"
        json_encoders = {{dt: lambda v: v.strftime(RFC)}}
"""

NESTING_MODULE = """\
from typing import Dict, Optional

from pydantic import BaseModel

from {package}.child import Properties


class Item(BaseModel):
    id: str
    properties: Properties
"""


def _write(root: Path, package: str, v1: bool, child: str = CHILD_MODULE) -> None:
    folder = root / package
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for name, text in (("base", BASE_MODULE), ("child", child), ("nesting", NESTING_MODULE)):
        source = textwrap.dedent(text).replace("{package}", package).replace("{{", "{")
        source = source.replace("}}", "}")
        (folder / f"{name}.py").write_text(_as_v1(source) if v1 else source, encoding="utf-8")


@pytest.fixture
def packages(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    with v1_and_migrated(tmp_path, "enc", _write) as (legacy, migrated):
        yield legacy, migrated, tmp_path


def test_behaviour_subclasses_in_another_file_write_the_json_v1_wrote(
    packages: tuple[str, str, Path],
) -> None:
    legacy, migrated, root = packages
    folder = root / migrated
    report = run(discover([folder]), Task(write=True, workspace=(folder,)), jobs=1)
    skipped = [(r.path.name, r.detail) for r in report.results if r.status is Status.SKIPPED]
    assert skipped == []
    base = (folder / "base.py").read_text(encoding="utf-8")
    child = (folder / "child.py").read_text(encoding="utf-8")
    assert "json_encoders" not in base + child
    assert '@field_serializer("*", mode="wrap"' in base and "_serializer" not in child
    for module in ("base", "child", "nesting"):
        path = folder / f"{module}.py"
        assert _deprecations(path.read_text(encoding="utf-8").replace(migrated, legacy)) == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old_base = importlib.import_module(f"{legacy}.base")
        new_base = importlib.import_module(f"{migrated}.base")
        old_child = importlib.import_module(f"{legacy}.child")
        new_child = importlib.import_module(f"{migrated}.child")
    provider = {"name": "p", "roles": ["host"]}
    _same_json(old_base.Common, new_base.Common, {"createdAt": AT, "providers": [provider]})
    _same_json(old_base.Asset, new_base.Asset, {"href": "h", "createdAt": AT, "seen": [AT]})
    for data in (
        {"datetime": AT, "updated": AT, "createdAt": AT, "eo:bands": [{"at": AT}]},
        {"datetime": "null", "createdAt": None},
    ):
        _same_json(old_child.Properties, new_child.Properties, data)


def test_without_the_workspace_a_base_subclassed_elsewhere_is_converted_alone(
    tmp_path: Path,
) -> None:
    """Alone, the file shows no subclass: the base's own fields are all it can check."""
    _write(tmp_path, "alone", v1=False)
    report = run([tmp_path / "alone" / "base.py"], Task(findings=True), jobs=1)
    (result,) = report.results
    [finding] = [f for f in result.findings if f.key == "Common.json_encoders"]
    assert finding.fixable and "`Asset`" in finding.message


def test_a_subclass_in_another_file_holding_encoded_values_in_a_list_keeps_the_report(
    tmp_path: Path,
) -> None:
    child = CHILD_MODULE.replace("updated: Optional[dt] = None", "seen: List[dt] = []").replace(
        "from typing import Optional, Union", "from typing import List, Union"
    )
    _write(tmp_path, "listed", v1=False, child=child)
    folder = tmp_path / "listed"
    report = run(discover([folder]), Task(findings=True, workspace=(folder,)), jobs=1)
    findings = [f for r in report.results for f in r.findings if f.key == "Common.json_encoders"]
    [finding] = findings
    assert not finding.fixable
    assert "`seen` of the subclass `child.Properties` may hold encoded values" in finding.message


LONE_EXTRA = """\
from datetime import datetime
from enum import Enum
from typing import Optional

from pydantic import BaseModel


class Level(Enum):
    LOW = 1


class Event(BaseModel):
    at: Optional[datetime] = None
    level: Level = Level.LOW

    class Config:
        extra = "allow"
        json_encoders = {datetime: lambda v: v.year, Enum: lambda e: e.name}
"""


def test_behaviour_a_lone_model_with_extras_and_an_enum_key_writes_the_json_v1_wrote() -> None:
    """``Enum`` is a base of ``Level``: V1 found ``Level`` values under the ``Enum`` key."""
    migrated = migrate_source(LONE_EXTRA)
    assert '@field_serializer("level", when_used="json-unless-none")' in migrated
    assert "if isinstance(e, Enum):\n                return e.name" in migrated
    assert "if isinstance(e, datetime):\n                return e.year" in migrated  # renamed
    assert "def serialize_extra_fields(self, handler):" in migrated
    assert _deprecations(migrated) == []
    v1 = _load(_as_v1(LONE_EXTRA), "enc_lone_v1")
    v2 = _load(migrated, "enc_lone_v2")
    for data in (
        {"at": AT, "level": 1, "seen": [AT, {"level": v1.Level.LOW}]},
        {"other": {"deep": [AT]}},
    ):
        v2_data = {**data, "seen": [AT, {"level": v2.Level.LOW}]} if "seen" in data else data
        for options in OPTIONS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                before = json.loads(v1.Event(**data).json(**options))
            assert json.loads(v2.Event(**v2_data).model_dump_json(**options)) == before


def test_a_custom_json_dumps_keeps_the_report() -> None:
    source = (
        "import json\nfrom datetime import datetime\nfrom pydantic import BaseModel\n\n"
        "class Event(BaseModel):\n    at: datetime\n\n    class Config:\n"
        "        json_dumps = json.dumps\n"
        "        json_encoders = {datetime: lambda v: v.year}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert not finding.fixable and "a custom `json_dumps`" in finding.message


def test_a_subclass_declared_inside_a_function_is_covered_by_the_star_serializer() -> None:
    source = (
        "from datetime import datetime\nfrom pydantic import BaseModel\n\n"
        "class Event(BaseModel):\n    at: datetime\n\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: v.year}\n\n"
        "def make():\n    class Later(Event):\n        end: datetime\n\n    return Later\n"
    )
    migrated = migrate_source(source)
    assert '@field_serializer("*", mode="wrap"' in migrated
    v1 = _load(_as_v1(source), "enc_inner_v1")
    v2 = _load(migrated, "enc_inner_v2")
    _same_json(v1.make(), v2.make(), {"at": AT, "end": datetime(2030, 1, 1)})


def test_a_subclass_elsewhere_of_a_subclass_in_the_base_file_is_checked_too(
    tmp_path: Path,
) -> None:
    """``Mutable(Common)`` sits next to ``Common``; ``Deep(Mutable)`` in another file holds a
    list of datetimes, which V1 encoded: the base keeps its key."""
    base = BASE_MODULE + "\n\nclass Mutable(Common):\n    pass\n"
    deep = (
        "from datetime import datetime\nfrom typing import List\n\n"
        "from nested.base import Mutable\n\n\nclass Deep(Mutable):\n    seen: List[datetime] = []\n"
    )
    folder = tmp_path / "nested"
    folder.mkdir()
    for name, text in (("__init__", ""), ("base", base), ("deep", deep)):
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
    report = run(discover([folder]), Task(findings=True, workspace=(folder,)), jobs=1)
    [finding] = [f for r in report.results for f in r.findings if f.key == "Common.json_encoders"]
    assert not finding.fixable and "`seen` of the subclass `deep.Deep`" in finding.message


SPECIAL_TYPES = """\
from decimal import Decimal
from enum import Enum
from typing import Optional

from pydantic import BaseModel, condecimal


class Shade(str, Enum):
    DARK = "dark"


class Size(Enum):
    BIG = 2


class Point(BaseModel):
    x: int = 1


class Order(BaseModel):
    price: condecimal(max_digits=5)
    size: Size = Size.BIG
    shade: Shade = Shade.DARK
    point: Optional[Point] = None

    class Config:
        json_encoders = {
            Decimal: lambda d: f"<{d}>",
            Enum: lambda e: e.name.lower(),
            Point: lambda p: "a point",
        }
"""


@pytest.mark.parametrize(
    "imports",
    [
        "from pydantic import BaseModel, condecimal\n",
        "from pydantic import BaseModel\nfrom pydantic.types import condecimal\n",
    ],
    ids=["pydantic", "pydantic-types"],
)
def test_behaviour_constrained_decimals_enums_and_model_keys_are_encoded_as_v1_did(
    imports: str,
) -> None:
    """``condecimal`` values are ``Decimal``s (however the module imports it); a ``str`` enum
    was written by ``json.dumps`` itself; a model key never ran (``.dict()`` turned the model
    into a dict first)."""
    source = SPECIAL_TYPES.replace("from pydantic import BaseModel, condecimal\n", imports)
    migrated = migrate_source(source)
    assert _deprecations(migrated) == []
    assert '@field_serializer("price", when_used="json-unless-none")' in migrated
    assert '@field_serializer("size", when_used="json-unless-none")' in migrated
    assert "a point" not in migrated
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert "V1 never ran the encoders for `Point`" in finding.message
    v1 = _load(_as_v1(source), "enc_special_v1")
    v2 = _load(migrated, "enc_special_v2")
    _same_json(v1.Order, v2.Order, {"price": "1.5", "point": {"x": 3}})


def test_an_encoder_for_sets_keeps_the_report() -> None:
    source = (
        "from typing import Set\nfrom pydantic import BaseModel\n\n"
        "class Tags(BaseModel):\n    names: Set[str] = set()\n\n    class Config:\n"
        "        json_encoders = {set: sorted}\n"
    )
    [finding] = [f for f in find_findings(source) if f.code == "PYD020"]
    assert not finding.fixable and "`set` values sit in container annotations" in finding.message


def test_fixing_the_base_first_then_the_repeating_subclass_writes_what_fix_all_writes() -> None:
    """After the base's fix its encoders live in the ``"*"`` method, which the subclass's
    check still reads as the encoders it inherits."""
    from fastapi_architect.pydantic_v2 import fix_edits
    from fastapi_architect.textedit import apply_edits

    text = REPEATING
    for key in ("Event.json_encoders", "Again.json_encoders"):
        [finding] = [f for f in find_findings(text) if f.key == key]
        assert finding.fixable, finding.message
        text = apply_edits(text, fix_edits(text, [key]))
    assert "json_encoders" not in text and text.count("@field_serializer") == 1
    assert [f.code for f in find_findings(text)] == [
        f.code for f in find_findings(migrate_source(REPEATING))
    ]


def test_the_config_conversion_says_the_repeated_key_is_dropped_not_replaced() -> None:
    configs = {f.key: f for f in find_findings(REPEATING) if f.code == "PYD010"}
    assert "`json_encoders` is dropped (PYD020 says why)" in configs["Again.Config"].message
    assert "`json_encoders` becomes serializer methods" in configs["Event.Config"].message


def test_behaviour_a_type_listed_twice_keeps_the_last_encoder_as_the_dict_did() -> None:
    source = (
        "from datetime import datetime\nfrom pydantic import BaseModel\n\n"
        "class A(BaseModel):\n    at: datetime\n\n    class Config:\n"
        "        json_encoders = {datetime: lambda v: 1, datetime: lambda v: v.year}\n"
    )
    migrated = migrate_source(source)
    assert "return 1" not in migrated
    v1 = _load(_as_v1(source), "enc_twice_v1")
    v2 = _load(migrated, "enc_twice_v2")
    _same_json(v1.A, v2.A, {"at": AT})


CONTAINERS = """\
from datetime import datetime
from typing import Dict, List, Optional, Set, Tuple, Union

from pydantic import BaseModel


class Log(BaseModel):
    at: datetime
    many: List[datetime] = []
    by_name: Dict[str, Optional[datetime]] = {}
    pairs: Tuple[datetime, ...] = ()
    unique: Set[datetime] = set()
    either: Union[List[datetime], datetime, None] = None
    nested: List[List[Union[datetime, int]]] = []
    names: List[str] = []

    class Config:
        json_encoders = {datetime: lambda v: v.strftime("%d.%m.%Y")}
"""


def test_behaviour_encoded_values_inside_lists_sets_and_dicts_are_encoded_as_v1_did() -> None:
    migrated = migrate_source(CONTAINERS)
    assert '@field_serializer("at", when_used="json-unless-none")' in migrated
    listed = '"many",\n        "by_name",\n        "pairs",\n        "unique",\n        "either",'
    assert f"    @field_serializer(\n        {listed}\n" in migrated  # past 88 columns: wrapped
    assert "def serialize_datetime_items(self, value):" in migrated
    assert _deprecations(migrated) == []
    v1 = _load(_as_v1(CONTAINERS), "enc_containers_v1")
    v2 = _load(migrated, "enc_containers_v2")
    later = datetime(2022, 3, 4)
    for data in (
        {
            "at": AT,
            "many": [AT, later],
            "by_name": {"a": AT, "b": None},
            "pairs": (AT, later),
            "unique": {AT},
            "either": [later],
            "nested": [[AT, 3], []],
            "names": ["x"],
        },
        {"at": AT, "either": AT},
        {"at": AT},
    ):
        _same_json(v1.Log, v2.Log, data)


def test_after_the_union_fix_wraps_a_member_in_annotated_the_container_still_converts() -> None:
    """``PYD030`` may turn ``Union[datetime, int]`` into ``Annotated[..., Field(...)]`` first."""
    from fastapi_architect.pydantic_v2 import fix_edits
    from fastapi_architect.textedit import apply_edits

    text = CONTAINERS
    unions = [f.key for f in find_findings(text) if f.code == "PYD030"]
    text = apply_edits(text, fix_edits(text, unions))
    assert "Annotated[Union[datetime, int]" in text
    [finding] = [f for f in find_findings(text) if f.code == "PYD020"]
    assert finding.fixable, finding.message


@pytest.mark.parametrize(
    ("theirs", "fixable"),
    [("{datetime: lambda v: v.month}", False), ("{Decimal: str}", True)],
)
def test_a_subclass_encoding_a_related_type_keeps_the_report_an_unrelated_one_does_not(
    theirs: str, fixable: bool
) -> None:
    """V1 merged the dicts and took a ``datetime`` value's own key before ``date``'s: the
    base's ``"*"`` method, checking ``date`` first, would take it over."""
    source = (
        "from datetime import date, datetime\nfrom decimal import Decimal\n"
        "from pydantic import BaseModel\n\n"
        "class Event(BaseModel):\n    day: date\n\n    class Config:\n"
        "        json_encoders = {date: lambda v: v.year}\n\n"
        f"class Late(Event):\n    class Config:\n        json_encoders = {theirs}\n"
    )
    [finding] = [f for f in find_findings(source) if f.key == "Event.json_encoders"]
    assert finding.fixable is fixable, finding.message


def test_a_workspace_larger_than_the_subclass_lookup_reads_keeps_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi_architect.pydantic_v2 import model_index, runner

    monkeypatch.setattr(model_index, "MAX_SCANNED_FILES", 2)
    runner._indexes.clear()
    _write(tmp_path, "big", v1=False)
    folder = tmp_path / "big"
    report = run(discover([folder]), Task(findings=True, workspace=(folder,)), jobs=1)
    [finding] = [f for r in report.results for f in r.findings if f.key == "Common.json_encoders"]
    assert not finding.fixable and "subclasses in other files may be missed" in finding.message
