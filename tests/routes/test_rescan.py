"""A re-scan after an edit parses only the statements it touched and finds what a full scan does."""

from __future__ import annotations

import ast
import random
from textwrap import dedent

import pytest

from fastapi_architect.routes.model import ModuleFacts
from fastapi_architect.routes.rescan import ScanState, rescan
from fastapi_architect.routes.scan import scan_module

PATH = "app/api/users.py"

MODULE = dedent(
    '''\
    """Users: the tricky parts of a module for a line-based re-scan."""

    import os.path, app.core
    from fastapi import APIRouter, status as st
    from . import deps

    PREFIX = "/users"
    router = APIRouter(prefix=PREFIX); other = APIRouter(prefix="/other")

    DOC = """
    @router.get("/not-a-route")
    def inside_a_string(): ...
    """


    @router.get("/{user_id}", response_model=dict[str, int], status_code=st.HTTP_200_OK)
    async def read_user(user_id: int) -> dict[str, int]:
        """Read one."""
        return {"id": user_id}


    @router.get("/me")
    def read_me() -> None:
        total = 1 + \\
            2
        return None


    def make_router() -> APIRouter:
        inner = APIRouter()

        @inner.post("/made")
        def made() -> None: ...

        return inner


    class Settings:
        API: str = "/api"
        NAME: str = "caf\u00e9 \U0001f600"


    @other.api_route("/caf\u00e9", methods=["GET", "PUT"])
    def caf\u00e9() -> None: ...

    router.add_api_route("/added", read_me, methods=["DELETE"])
    other.include_router(router, prefix="/nested")
    if os.path:
        @router.get("/conditional")
        def conditional() -> None: ...
    '''
)

SNIPPETS = [
    "x",
    "\n",
    "\n    ",
    "    ",
    '"""',
    "'",
    "(",
    ")",
    "[",
    "\\",
    ";",
    "#",
    ":",
    "@router.get('/typed')\ndef typed() -> None: ...\n",
    "\n@router.delete('/{id}')\n",
    "router = APIRouter()\n",
    "from app.routers import items\n",
    "\u00e9",
]


def full(text: str) -> ModuleFacts:
    return scan_module(PATH, text)


def test_edits_rescanned_statement_by_statement_find_what_a_full_scan_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chooser = random.Random(2026)
    text = last_good = MODULE
    facts, state = rescan(PATH, text, None)
    seen = parses(monkeypatch)
    spliced = 0
    for step in range(600):
        if facts.syntax_error and chooser.random() < 0.5:
            text = last_good  # the user fixes the line, or undoes
        at = chooser.randrange(len(text) + 1)
        if chooser.random() < 0.55:
            text = text[:at] + chooser.choice(SNIPPETS) + text[at:]
        else:
            text = text[:at] + text[at + chooser.randint(1, 25) :]
        seen.clear()
        facts, state = rescan(PATH, text, state)
        whole = text in seen
        assert facts == full(text), f"step {step}: {text!r}"
        if not facts.syntax_error:
            last_good = text
            spliced += not whole
    assert spliced > 100


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text ``ast.parse`` is given from now on."""
    seen: list[str] = []
    original = ast.parse

    def recording(source: str, *args: object, **kwargs: object) -> ast.Module:
        seen.append(source)
        return original(source)

    monkeypatch.setattr(ast, "parse", recording)
    return seen


def edited(state: ScanState | None, text: str) -> tuple[ModuleFacts, ScanState | None]:
    facts, state = rescan(PATH, text, state)
    assert facts == full(text)
    return facts, state


def test_a_keystroke_in_one_route_path_parses_only_that_route(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, state = rescan(PATH, MODULE, None)
    seen = parses(monkeypatch)
    facts, _ = rescan(PATH, MODULE.replace('"/me"', '"/mine"'), state)
    assert next(route.path for route in facts.routes if route.handler == "read_me") == "/mine"
    assert len(seen) == 1
    assert seen[0].lstrip().startswith('@router.get("/mine")')
    assert "read_user" not in seen[0] and "make_router" not in seen[0]


def test_lines_added_above_move_the_routes_below_without_parsing_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, state = rescan(PATH, MODULE, None)
    seen = parses(monkeypatch)
    text = MODULE.replace("import os.path, app.core\n", "import os.path, app.core\n\n\n")
    moved, _ = rescan(PATH, text, state)
    assert "".join(seen).strip() == ""  # only the blank lines were parsed
    assert moved == full(text)
    assert [r.handler_span.start_line for r in moved.routes] == [
        r.handler_span.start_line + 2 for r in first.routes
    ]


def test_a_half_typed_line_costs_one_full_parse_and_the_next_edit_splices_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, state = rescan(PATH, MODULE, None)
    seen = parses(monkeypatch)
    broken, state = rescan(PATH, MODULE.replace('"/me")', '"/me"'), state)
    assert broken.syntax_error
    assert seen[-1].startswith('"""Users')  # the region did not parse: does the module?
    seen.clear()
    text = MODULE.replace('"/me"', '"/me/"')
    facts, _ = rescan(PATH, text, state)
    assert len(seen) == 1 and seen[0].lstrip().startswith('@router.get("/me/")')
    assert facts == full(text)
    assert next(route.path for route in facts.routes if route.handler == "read_me") == "/me/"


def test_an_indented_line_after_a_function_joins_its_body_as_a_full_scan_finds() -> None:
    _, state = rescan(PATH, MODULE, None)
    text = MODULE.replace(
        "        return None\n\n",
        "        return None\n\n    @router.get('/in-body')\n    def in_body() -> None: ...\n",
        1,
    )
    facts, _ = edited(state, text)
    assert "in_body" not in [route.handler for route in facts.routes]


def test_form_feeds_and_carriage_returns_are_scanned_whole() -> None:
    _, state = rescan(PATH, MODULE, None)
    for text in (
        MODULE.replace("\n\n\ndef make", "\n\x0c\n\ndef make"),
        MODULE.replace("\n", "\r\n"),
    ):
        edited(state, text.replace('"/me"', '"/you"'))
