"""PYD014 on calls that return a model: ``get_user(db, 1).dict()``, ``user = get_user(...)``,
``(await fetch()).json()``, ``User.make().dict()`` and functions imported from another
workspace file convert where a return annotation (or a class method returning ``cls(...)``)
proves the receiver is a model; anything else is left alone. ``.json(indent=...)`` converts
when the indent is a literal ``int`` V2 takes, and its message says how the text differs."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex, WorkspaceModels

HEADER = """\
from typing import List, Optional
from pydantic import BaseModel


class User(BaseModel):
    id: int = 0

    def renamed(self) -> "User":
        return self.copy(update={"id": 2})

    def again(self) -> "Self":
        return self

    @classmethod
    def make(cls, i):
        return cls(id=i)

    @classmethod
    def parsed(cls, raw):
        if raw:
            return cls.parse_obj(raw)
        return cls()

    @classmethod
    def maybe(cls, raw):
        if raw:
            return cls(**raw)
        return raw

    def plain(self):
        return self

    @staticmethod
    def build() -> "User":
        return User()

    @property
    def me(self) -> "User":
        return self


def get_user(db, i) -> User:
    return User(id=i)


def find_user(db) -> Optional[User]:
    return None


def get_users(db) -> List[User]:
    return []


def raw_user(db) -> dict:
    return {}


def untyped(db):
    return User()


async def fetch_user(db) -> "User":
    return User()


def twice(db) -> User:
    return User()


twice = raw_user

"""


def _fixed(body: str) -> str:
    migrated = migrate_source(HEADER + body)
    assert migrated.startswith(migrate_source(HEADER))
    return migrated[len(migrate_source(HEADER)) :]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a = get_user(db, 1).dict()\n", "a = get_user(db, 1).model_dump()\n"),
        (
            "user = get_user(db, 1)\na = user.json()\n",
            "user = get_user(db, 1)\na = user.model_dump_json()\n",
        ),
        ("a = find_user(db).dict()\n", "a = find_user(db).model_dump()\n"),
        (
            "async def f(db):\n    return (await fetch_user(db)).dict()\n",
            "async def f(db):\n    return (await fetch_user(db)).model_dump()\n",
        ),
        (
            "async def f(db):\n    u = await fetch_user(db)\n    return u.copy()\n",
            "async def f(db):\n    u = await fetch_user(db)\n    return u.model_copy()\n",
        ),
        ("a = User.make(1).dict()\n", "a = User.make(1).model_dump()\n"),
        ("a = User.parsed({}).dict()\n", "a = User.parsed({}).model_dump()\n"),
        ("a = User().renamed().dict()\n", "a = User().renamed().model_dump()\n"),
        ("a = User().again().dict()\n", "a = User().again().model_dump()\n"),
        ("a = User.build().dict()\n", "a = User.build().model_dump()\n"),
        (
            "def f(u: User):\n    return u.make(3).json(by_alias=True)\n",
            "def f(u: User):\n    return u.make(3).model_dump_json(by_alias=True)\n",
        ),
    ],
    ids=[
        "call-of-a-function-returning-the-model",
        "name-assigned-from-such-a-call",
        "optional-return",
        "awaited-async-function",
        "name-assigned-from-an-awaited-call",
        "classmethod-returning-cls",
        "classmethod-returning-cls-parse-obj",
        "method-annotated-with-the-model",
        "method-returning-self-type",
        "staticmethod-annotated-with-the-model",
        "classmethod-through-an-instance",
    ],
)
def test_calls_returning_a_known_model_are_renamed(body: str, expected: str) -> None:
    assert _fixed(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "a = get_users(db).copy()\n",
        "a = raw_user(db).copy()\n",
        "a = untyped(db).dict()\n",
        "a = twice(db).dict()\n",
        "a = fetch_user(db).dict()\n",
        "async def f(db):\n    return (await get_user(db, 1)).dict()\n",
        "a = User.maybe({}).dict()\n",
        "a = User().plain().dict()\n",
        "a = User.renamed(u).dict()\n",
        "a = User().me.dict()\n",
        "def get_user(db, i):\n    return {}\n\na = get_user(db, 1).copy()\n",
        "def f(get_user):\n    return get_user(db, 1).dict()\n",
        "a = response(db).json()\n",
    ],
    ids=[
        "list-of-models",
        "annotated-dict",
        "no-return-annotation",
        "function-name-rebound",
        "async-function-not-awaited",
        "sync-function-awaited",
        "classmethod-that-may-return-its-argument",
        "unannotated-method",
        "plain-method-read-on-the-class",
        "property",
        "function-redefined-without-annotation",
        "parameter-shadowing-the-function",
        "unknown-function",
    ],
)
def test_calls_not_proven_to_return_a_model_are_left_alone(body: str) -> None:
    assert _fixed(body) == body


def test_decorated_functions_are_left_alone() -> None:
    body = "import functools\n\n@functools.lru_cache\ndef cached() -> User:\n    return User()\n"
    body += "\na = cached().dict()\n"
    assert _fixed(body) == body


@pytest.mark.parametrize("indent", ["2", "0", "None"])
def test_json_with_a_literal_indent_converts_and_says_how_the_text_differs(indent: str) -> None:
    source = HEADER + f"a = get_user(db, 1).json(indent={indent})\n"
    assert f"a = get_user(db, 1).model_dump_json(indent={indent})\n" in migrate_source(source)
    (finding,) = [f for f in find_findings(source) if f.code == "PYD014" and "json" in f.key]
    layout = "layout is V1's, byte for byte" if indent != "None" else "without spaces after"
    assert layout in finding.message
    for difference in ("non-ASCII", "`+00:00`", "`timedelta`", "`Decimal`", "`1e-05`", "`NaN`"):
        assert difference in finding.message


@pytest.mark.parametrize("indent", ['"\\t"', "-1", "width", "True"])
def test_json_with_an_indent_v2_may_refuse_is_reported_not_converted(indent: str) -> None:
    body = f"a = get_user(db, 1).json(indent={indent})\n"
    assert _fixed(body) == body
    source = HEADER + body
    (finding,) = [f for f in find_findings(source) if f.code == "PYD014" and "json" in f.key]
    assert not finding.fixable
    assert "non-negative `int` only" in finding.message


# --- functions imported from another workspace file ------------------------------------------

CRUD = """\
from typing import Optional

from app import schemas
from app.schemas import Item as ItemModel


def get_user(db, user_id) -> "schemas.User":
    return schemas.User(id=user_id)


def find_item(db) -> Optional[ItemModel]:
    return None


async def fetch_item(db) -> ItemModel:
    return ItemModel()


def raw(db) -> dict:
    return {}


def items(db) -> list[ItemModel]:
    return []


def replaced(db) -> ItemModel:
    return ItemModel()


replaced = raw
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "app/__init__.py": "",
        "app/schemas.py": (
            "from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    id: int = 0\n\n\n"
            "class Item(BaseModel):\n    name: str = ''\n"
        ),
        "app/crud.py": CRUD,
        "app/api/__init__.py": "from app.crud import get_user as load_user\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _models(root: Path, name: str, text: str) -> tuple[str, WorkspaceModels]:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    source = textwrap.dedent(text)
    path.write_text(source, encoding="utf-8")
    return source, ModelIndex([root]).models_for(path, ast.parse(source), text=source)


def test_imported_functions_returning_workspace_models_convert_at_the_call_site(
    project: Path,
) -> None:
    source, models = _models(
        project,
        "app/routes.py",
        """\
        from app.api import load_user
        from app.crud import fetch_item, find_item, items, raw, replaced


        def show(db):
            user = load_user(db, 1)
            return user.dict(), find_item(db).json(exclude_none=True)


        async def item(db):
            return (await fetch_item(db)).copy(), raw(db).copy(), items(db).copy()


        def other(db):
            return fetch_item(db).copy(), replaced(db).copy()
        """,
    )
    migrated = migrate_source(source, models=models)
    assert "return user.model_dump(), find_item(db).model_dump_json(exclude_none=True)" in migrated
    assert "(await fetch_item(db)).model_copy(), raw(db).copy(), items(db).copy()" in migrated
    assert "return fetch_item(db).copy(), replaced(db).copy()" in migrated
    assert (project / "app/crud.py").read_text(encoding="utf-8") == CRUD


def test_without_the_workspace_imported_functions_stay_unknown(project: Path) -> None:
    source, _ = _models(
        project,
        "app/routes.py",
        "from app.crud import find_item\n\nout = find_item(None).dict()\n",
    )
    assert migrate_source(source) == source


def test_a_local_name_shadowing_the_imported_function_stays_unknown(project: Path) -> None:
    source, models = _models(
        project,
        "app/routes.py",
        "from app.crud import find_item\n\n\ndef f(find_item):\n    return find_item(1).dict()\n",
    )
    assert migrate_source(source, models=models) == source
