"""After any edit, the incrementally kept index answers exactly as one built from scratch."""

from __future__ import annotations

import random
from collections.abc import Callable
from textwrap import dedent

import pytest

from fastapi_architect.routes import RouteIndex

LAYERED = {
    "app/__init__.py": "",
    "app/main.py": """
        from fastapi import FastAPI
        from app.api.v1.api import api_router
        from app.core.config import settings

        app = FastAPI()
        app.include_router(api_router, prefix=settings.API_V1_STR)
    """,
    "app/core/config.py": """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            API_V1_STR: str = "/api/v1"

        settings = Settings()
    """,
    "app/api/v1/api.py": """
        from fastapi import APIRouter
        from app.api.v1.endpoints import items, users

        api_router = APIRouter()
        api_router.include_router(users.router, prefix="/users")
        api_router.include_router(items.router)
    """,
    "app/api/v1/endpoints/users.py": """
        from fastapi import APIRouter

        router = APIRouter()

        @router.post("/")
        async def create_user() -> User: ...

        @router.get("/{user_id}")
        def read_user(user_id: int) -> User: ...

        @router.get("/me")
        def read_me() -> User: ...
    """,
    "app/api/v1/endpoints/items.py": """
        from fastapi import APIRouter

        router = APIRouter(prefix="/items")

        @router.api_route("/{item_id}", methods=["GET", "PUT"])
        def item(item_id: int) -> None: ...

        @router.get("/{rest:path}")
        def anything(rest: str) -> None: ...
    """,
}

USERS = "app/api/v1/endpoints/users.py"
ITEMS = "app/api/v1/endpoints/items.py"
API = "app/api/v1/api.py"

Edit = Callable[[dict[str, str]], None]


def replace_in(path: str, old: str, new: str) -> Edit:
    def edit(files: dict[str, str]) -> None:
        assert old in files[path]
        files[path] = files[path].replace(old, new, 1)

    return edit


EDITS: dict[str, Edit] = {
    "keystroke in a handler body": replace_in(
        USERS, "def read_me() -> User: ...", "def read_me() -> User:\n    return 1"
    ),
    "new line above the routes": replace_in(
        USERS, "router = APIRouter()\n", "router = APIRouter()\n\n\n"
    ),
    "route path typed": replace_in(USERS, '@router.get("/me")', '@router.get("/mine")'),
    "route moved before the shadowing one": replace_in(
        USERS,
        '@router.get("/me")\ndef read_me() -> User: ...\n',
        "",
    ),
    "new route": replace_in(
        ITEMS,
        "def item(item_id: int) -> None: ...\n",
        "def item(item_id: int) -> None: ...\n\n@router.get('/{item_id}/x')\n"
        "def item_x() -> None: ...\n",
    ),
    "router prefix changed": replace_in(ITEMS, 'prefix="/items"', 'prefix="/things"'),
    "include removed": replace_in(API, "api_router.include_router(items.router)\n", ""),
    "include prefix changed": replace_in(API, 'prefix="/users"', 'prefix="/people"'),
    "duplicate route appended": replace_in(
        USERS,
        "def read_me() -> User: ...\n",
        "def read_me() -> User: ...\n\n@router.get('/{user_id}')\n"
        "def again(user_id: int) -> User: ...\n",
    ),
    "parameter made literal": replace_in(
        USERS, '@router.get("/{user_id}")', '@router.get("/by-id")'
    ),
    "path parameter removed": replace_in(ITEMS, '"/{rest:path}"', '"/{rest}"'),
    "half-typed syntax error": replace_in(USERS, "@router.post(", "@router.post(("),
    "half-typed line in the including module": replace_in(
        API, "api_router = APIRouter()", "api_router = APIRouter("
    ),
    "router renamed": replace_in(ITEMS, "router = APIRouter(", "items_router = APIRouter("),
    "included name renamed": replace_in(
        API, "include_router(items.router)", "include_router(items.r)"
    ),
    "import removed": replace_in(API, "import items, users", "import users"),
    "router becomes an application": replace_in(
        ITEMS,
        'router = APIRouter(prefix="/items")',
        "from fastapi import FastAPI\nrouter = FastAPI()",
    ),
    "settings prefix changed": replace_in("app/core/config.py", '"/api/v1"', '"/api/v2"'),
    "lines added above the router": replace_in(
        USERS, "from fastapi import APIRouter\n", "from fastapi import APIRouter\n\n\n"
    ),
    "lines added above the includes": replace_in(
        API, "api_router = APIRouter()\n", "\napi_router = APIRouter()\n\n"
    ),
}


def answers(index: RouteIndex) -> tuple[object, ...]:
    return (index.routes(), index.shadowed_routes(), index.routers_never_included())


def cold(files: dict[str, str]) -> RouteIndex:
    index = RouteIndex(files.get)
    index.sync(dict.fromkeys(files, 1))
    return index


@pytest.mark.parametrize("first", list(EDITS))
@pytest.mark.parametrize("second", list(EDITS))
def test_two_edits_in_a_row_leave_the_index_as_a_cold_one_would_be(first: str, second: str) -> None:
    files = {path: dedent(text) for path, text in LAYERED.items()}
    index = cold(files)
    answers(index)
    for version, name in enumerate((first, second), start=2):
        edited = dict(files)
        try:
            EDITS[name](edited)
        except AssertionError:
            continue  # the first edit removed what the second one changes
        for path, text in edited.items():
            if files.get(path) != text:
                index.update(path, text, stamp=version)
        files = edited
        assert answers(index) == answers(cold(files)), name


def test_a_half_typed_line_in_an_endpoint_module_relinks_only_the_files_naming_its_router(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {path: dedent(text) for path, text in LAYERED.items()}
    index = cold(files)
    answers(index)
    relinked: list[str] = []
    add_routes = RouteIndex._add_routes

    def recording(self: RouteIndex, links: object, path: str) -> None:
        relinked.append(path)
        add_routes(self, links, path)  # type: ignore[arg-type]

    monkeypatch.setattr(RouteIndex, "_add_routes", recording)
    broken = files[USERS].replace("@router.post(", "@router.post((")
    index.update(USERS, broken, stamp=2)
    found = answers(index)
    assert sorted(relinked) == [API, USERS]
    relinked.clear()
    index.update(USERS, files[USERS], stamp=3)
    fixed = answers(index)
    assert sorted(relinked) == [API, USERS]
    assert found == answers(cold({**files, USERS: broken}))
    assert fixed == answers(cold(files))


def test_a_keystroke_in_a_handler_body_keeps_every_other_files_routes() -> None:
    files = {path: dedent(text) for path, text in LAYERED.items()}
    index = RouteIndex(files.get)
    index.sync(dict.fromkeys(files, 1))
    before = {route.title: route for route in index.routes()}
    index.update(
        USERS,
        files[USERS].replace("def read_me() -> User: ...", "def read_me() -> User:\n    return 1"),
    )
    after = {route.title: route for route in index.routes()}
    assert after.keys() == before.keys()
    items = [title for title in after if "/items/" in title]
    assert items and all(after[title] is before[title] for title in items)


def test_a_long_run_of_edits_and_undos_answers_as_a_cold_index_at_every_step() -> None:
    chooser = random.Random(13)
    original = {path: dedent(text) for path, text in LAYERED.items()}
    files = dict(original)
    index = cold(files)
    for step in range(80):
        edited = dict(files)
        if chooser.random() < 0.3:
            path = chooser.choice(sorted(original))
            edited[path] = original[path]  # undo every edit of one file
        else:
            try:
                EDITS[chooser.choice(sorted(EDITS))](edited)
            except AssertionError:
                continue  # an earlier edit removed what this one changes
        for path, text in edited.items():
            if files[path] != text:
                index.update(path, text, stamp=step + 2)
        files = edited
        assert answers(index) == answers(cold(files)), step


def test_a_prefix_typed_character_by_character_answers_as_a_cold_index() -> None:
    files = {path: dedent(text) for path, text in LAYERED.items()}
    index = cold(files)
    answers(index)
    for length in range(1, 200):
        typed = "/items" + "x" * length
        files = {**files, ITEMS: files[ITEMS].replace('prefix="/items', f'prefix="{typed}', 1)}
        index.update(ITEMS, files[ITEMS], stamp=length + 1)
        found = answers(index)
        if length % 40 == 0:
            assert found == answers(cold(files)), length
        files = {**files, ITEMS: files[ITEMS].replace(f'prefix="{typed}', 'prefix="/items', 1)}
    index.update(ITEMS, files[ITEMS], stamp=1_000)
    assert answers(index) == answers(cold(files))
    typed_once = {**files, ITEMS: files[ITEMS].replace('prefix="/items"', 'prefix="/wares"')}
    index.update(ITEMS, typed_once[ITEMS], stamp=1_001)
    assert answers(index) == answers(cold(typed_once))
