"""PYD010 decides a subclass's `allow_mutation = True` / `frozen = False` from its bases: the
same-file bases' V1 settings, a converted base's `model_config` (reported: its `frozen=True`
may come from either V1 key), and for other workspace files or unknown bases what the
workspace index can tell. One-at-a-time fixes end like fix-all in every order."""

from __future__ import annotations

import itertools
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_behaviour_models import _as_v1

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.pydantic_v2.runner import Status, Task, discover, run
from fastapi_architect.textedit import apply_edits

SAME_FILE = """\
from pydantic import BaseModel


class TelegramObject(BaseModel):
    class Config:
        allow_mutation = False


class MutableTelegramObject(TelegramObject):
    class Config:
        allow_mutation = True


class Middle(MutableTelegramObject):
    pass


class Leaf(Middle):
    class Config:
        allow_mutation = False


class Thawed(TelegramObject):
    class Config:
        frozen = False
"""


def _config_findings(source: str) -> dict[str, str]:
    return {f.key: f.message for f in find_findings(source) if f.key.endswith(".Config")}


def test_allow_mutation_true_under_allow_mutation_false_becomes_frozen_false() -> None:
    migrated = migrate_source(SAME_FILE)
    assert (
        "class MutableTelegramObject(TelegramObject):\n"
        "    model_config = ConfigDict(frozen=False)\n" in migrated
    )
    assert "class Leaf(Middle):\n    model_config = ConfigDict(frozen=True)\n" in migrated
    assert "class Thawed(TelegramObject):\n    model_config = ConfigDict()\n" in migrated


def test_fixing_the_base_alone_also_converts_the_subclasses_that_relax_it() -> None:
    fixed = apply_edits(SAME_FILE, fix_edits(SAME_FILE, ["TelegramObject.Config"]))
    assert "model_config = ConfigDict(frozen=False)" in fixed
    assert set(_config_findings(fixed)) == {"Leaf.Config"}
    message = _config_findings(SAME_FILE)["TelegramObject.Config"]
    assert "`MutableTelegramObject` is converted with it" in message
    assert "`Thawed` is converted with it" in message
    assert "`Leaf`" not in message  # `allow_mutation = False` needs no base to be read


@pytest.mark.parametrize(
    "order",
    list(
        itertools.permutations(
            [
                "TelegramObject.Config",
                "MutableTelegramObject.Config",
                "Leaf.Config",
                "Thawed.Config",
            ]
        )
    ),
)
def test_one_config_at_a_time_in_any_order_ends_like_fix_all(order: tuple[str, ...]) -> None:
    text = SAME_FILE
    for key in order:
        text = apply_edits(text, fix_edits(text, [key]))
    assert text == migrate_source(SAME_FILE)


def test_a_base_converted_by_hand_to_frozen_true_makes_the_subclass_a_report() -> None:
    source = SAME_FILE.replace(
        "class TelegramObject(BaseModel):\n    class Config:\n        allow_mutation = False\n",
        "class TelegramObject(BaseModel):\n    model_config = ConfigDict(frozen=True)\n",
    ).replace("import BaseModel", "import BaseModel, ConfigDict")
    messages = _config_findings(source)
    finding = next(f for f in find_findings(source) if f.key == "MutableTelegramObject.Config")
    assert not finding.fixable
    assert "already has `model_config` with `frozen=True`" in messages[finding.key]
    assert (
        "write `frozen=False` in `model_config` if V1 let its instances change"
        in (messages[finding.key])
    )
    assert "class Config:\n        allow_mutation = True" in migrate_source(source)


def test_v1_frozen_true_in_the_base_keeps_the_subclass_frozen() -> None:
    source = SAME_FILE.replace(
        "allow_mutation = False\n\n\nclass Mutable", "frozen = True\n\n\nclass Mutable"
    )
    migrated = migrate_source(source)
    assert "class MutableTelegramObject(TelegramObject):\n    model_config = ConfigDict()\n" in (
        migrated
    )
    assert (
        "a base keeps `MutableTelegramObject` frozen"
        in _config_findings(source)["MutableTelegramObject.Config"]
    )


def test_a_class_deriving_only_from_base_model_drops_allow_mutation_true() -> None:
    source = (
        "from pydantic import BaseModel\n\n\n"
        "class A(BaseModel):\n    class Config:\n        allow_mutation = True\n"
    )
    assert migrate_source(source) == (
        "from pydantic import BaseModel, ConfigDict\n\n\n"
        "class A(BaseModel):\n    model_config = ConfigDict()\n"
    )


def test_a_base_outside_the_workspace_makes_allow_mutation_true_a_report() -> None:
    source = (
        "from pydantic import BaseModel\nfrom library import Base\n\n\n"
        "class A(Base):\n    class Config:\n        allow_mutation = True\n\n\n"
        "class B(Base, BaseModel):\n    class Config:\n        allow_mutation = True\n"
    )
    findings = {f.key: f for f in find_findings(source)}
    assert not findings["A.Config"].fixable
    assert "its base `Base` is not a model this file can read" in findings["A.Config"].message
    assert findings["B.Config"].fixable  # listed next to BaseModel itself: a mixin


BASE = """\
from pydantic import BaseModel


class TelegramObject(BaseModel):
    a: int = 0

    class Config:
        allow_mutation = False


class Plain(BaseModel):
    a: int = 0
"""

CHILD = """\
from pydantic import BaseModel

from {package}.base import Plain, TelegramObject


class MutableTelegramObject(TelegramObject):
    class Config:
        allow_mutation = True


class Open(Plain):
    class Config:
        allow_mutation = True
"""


@pytest.fixture
def package(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    tag = uuid.uuid4().hex[:8]
    legacy, migrated = f"frozen_legacy_{tag}", f"frozen_migrated_{tag}"
    for name, v1 in ((legacy, True), (migrated, False)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "__init__.py").write_text("", encoding="utf-8")
        for module, text in (("base", BASE), ("child", CHILD.format(package=name))):
            (folder / f"{module}.py").write_text(_as_v1(text) if v1 else text, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        yield legacy, migrated, tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith((legacy, migrated))]:
            del sys.modules[name]


def test_base_in_another_file_with_a_config_makes_the_subclass_a_report(
    package: tuple[str, str, Path],
) -> None:
    _, migrated, root = package
    folder = root / migrated
    report = run(discover([folder]), Task(findings=True, workspace=(folder,)), jobs=1)
    child = next(r for r in report.results if r.path.name == "child.py")
    messages = {f.key: (f.fixable, f.message) for f in child.findings}
    fixable, message = messages["MutableTelegramObject.Config"]
    assert not fixable
    assert "(another file) configures itself, which this file cannot read" in message
    assert messages["Open.Config"][0]  # its base's hierarchy configures nothing


def test_subclass_of_a_config_free_base_in_another_file_stays_mutable_like_v1(
    package: tuple[str, str, Path],
) -> None:
    import importlib

    legacy, migrated, root = package
    folder = root / migrated
    report = run(discover([folder]), Task(write=True, workspace=(folder,)), jobs=1)
    changed = {r.path.name for r in report.results if r.status is Status.CHANGED}
    assert changed == {"base.py", "child.py"}
    child_text = (folder / "child.py").read_text(encoding="utf-8")
    assert "class Config:\n        allow_mutation = True" in child_text  # the reported one
    assert "class Open(Plain):\n    model_config = ConfigDict()" in child_text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v1 = importlib.import_module(f"{legacy}.child")
        v2 = importlib.import_module(f"{migrated}.child")
    old, new = v1.Open(), v2.Open()
    old.a = new.a = 3
    assert old.a == new.a == 3
