"""PYD022: an alias that takes its type variable from a generic model becomes a
``TypeAliasType`` where that is faithful — ``pydantic.v1`` on the original and pydantic 2 on
the migrated module accept and reject the same data with the same error locations — and is
reported, with the reason, where V2 would validate differently or the alias is not only
subscripted (found by ``python -m bench pydantic_realcode``: aiogram 3.0.0b7, 53 modules)."""

from __future__ import annotations

import ast
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from test_behaviour_models import _as_v1, _load

from fastapi_architect.imports import ImportStyle
from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

ALIASES = """\
from typing import Awaitable, Callable, Generic, List, Optional, TypeVar

from pydantic import BaseModel
from pydantic.generics import GenericModel

T = TypeVar("T")


class Method(BaseModel, Generic[T]):
    name: str


class Response(GenericModel, Generic[T]):
    result: T


Next = Callable[[object, Method[T]], Awaitable[Response[T]]]


class Handlers(BaseModel):
    first: Next[int]
    rest: List[Next[str]] = []
    fallback: Optional[Next[bytes]] = None
"""


def _call(_bot: object, _method: object) -> None:
    return None


PROBES: list[dict[str, Any]] = [
    {"first": _call},
    {"first": _call, "rest": [_call, print]},
    {"first": _call, "fallback": None},
    {"first": "not callable"},
    {"first": _call, "rest": [_call, 3]},
    {"first": _call, "fallback": 1.5},
    {},
]


def _outcome(module: Any, data: dict[str, Any], v1: bool) -> tuple[str, Any]:
    if v1:
        from pydantic.v1 import ValidationError as V1Error

        try:
            return "ok", sorted(module.Handlers(**data).dict())
        except V1Error as error:
            return "error", sorted(tuple(e["loc"]) for e in error.errors())
    from pydantic import ValidationError

    try:
        return "ok", sorted(module.Handlers(**data).model_dump())
    except ValidationError as error:
        return "error", sorted(tuple(e["loc"]) for e in error.errors())


def test_alias_on_a_generic_model_becomes_a_type_alias_type_that_validates_like_v1() -> None:
    migrated = migrate_source(ALIASES)
    tag = uuid.uuid4().hex[:8]
    v1 = _load(_as_v1(ALIASES), f"aliases_v1_{tag}")
    v2 = _load(migrated, f"aliases_v2_{tag}")

    assert 'Next = TypeAliasType(\n    "Next",' in migrated
    assert "from typing_extensions import TypeAliasType" in migrated
    assert v2.Next.__type_params__ == (v2.T,)
    assert [_outcome(v1, data, True) for data in PROBES] == [
        _outcome(v2, data, False) for data in PROBES
    ]
    assert [_outcome(v2, data, False)[0] for data in PROBES] == [
        "ok", "ok", "ok", "error", "error", "error", "error"
    ]  # fmt: skip
    assert migrate_source(migrated) == migrated
    assert find_findings(migrated) == []


def test_python_3_12_targets_import_type_alias_type_from_typing() -> None:
    migrated = migrate_source(ALIASES, ImportStyle(target_version=(3, 12)))

    assert "from typing import Awaitable, Callable, Generic, List, Optional, TypeAliasType" in (
        migrated
    )
    assert "typing_extensions" not in migrated


def test_a_type_variable_imported_from_a_workspace_module_is_known(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "base.py").write_text(
        ALIASES.split("\n\nNext = ")[0].replace("Callable, ", "") + "\n", encoding="utf-8"
    )
    consumer = tmp_path / "pkg" / "middleware.py"
    consumer.write_text(
        "from typing import Awaitable, Callable\n\n"
        "from pkg.base import Method, Response, T\n\n"
        "Next = Callable[[object, Method[T]], Awaitable[Response[T]]]\n\n\n"
        "def wrap(handler: Next[int]) -> Next[int]:\n"
        "    return handler\n",
        encoding="utf-8",
    )
    text = consumer.read_text(encoding="utf-8")
    models = ModelIndex([tmp_path]).models_for(consumer, ast.parse(text))

    assert models.typevars == frozenset({"T"})
    migrated = migrate_source(text, models=models)
    assert "type_params=(T,)" in migrated
    assert "TypeAliasType" not in migrate_source(text)  # alone, nothing is known to be a model


@pytest.mark.parametrize(
    ("alias", "use", "reason"),
    [
        (
            "Results = List[Response[T]]",
            "class Box(BaseModel):\n    items: Results[int]\n",
            "V2 would check its type variable's fields against the argument where V1 did not",
        ),
        (
            "Next = Callable[[Method[T]], None]",
            "class Custom(Next[int]):\n    pass\n",
            "as a base class",
        ),
        (
            "Next = Callable[[Method[T]], None]",
            "handler = Next[int]()\n",
            "in a call",
        ),
        (
            "Next = Callable[[Method[T]], None]",
            "args = Next[int].__args__\n",
            "`.__args__`",
        ),
        (
            "Pair = Callable[[Method[T], Method[K]], None]",
            "def f(p: Pair[int, str]) -> None: ...\n",
            "with several type variables (T, K)",
        ),
    ],
)
def test_aliases_a_type_alias_type_would_change_are_reported_with_the_reason(
    alias: str, use: str, reason: str
) -> None:
    source = ALIASES.split("\n\nNext = ")[0].replace(
        'T = TypeVar("T")', 'T = TypeVar("T")\nK = TypeVar("K")'
    )
    source += f"\n\n{alias}\n\n\n{use}"
    (finding,) = [f for f in find_findings(source) if f.code == "PYD022"]

    assert not finding.fixable
    assert reason in finding.message
    assert alias in migrate_source(source)


def test_an_alias_that_is_the_model_subscript_itself_still_works_and_is_left_alone() -> None:
    source = ALIASES.replace(
        "Next = Callable[[object, Method[T]], Awaitable[Response[T]]]", "Next = Response[T]"
    )
    assert [f for f in find_findings(source) if f.code == "PYD022"] == []
    v2 = _load(migrate_source(source), f"aliases_direct_{uuid.uuid4().hex[:8]}")
    assert v2.Next[int](result="3").result == 3


def test_the_converted_alias_leaves_mypy_clean(tmp_path: Path) -> None:
    path = tmp_path / "aliases.py"
    path.write_text(migrate_source(ALIASES), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (
        0,
        "Success: no issues found in 1 source file",
    )
