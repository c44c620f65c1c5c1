"""Test-client calls resolved to the handler Starlette would run for them."""

from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from fastapi_architect.routes import RouteIndex
from fastapi_architect.routes.clients import client_call_at
from fastapi_architect.routes.matching import UNKNOWN, matching_routes

APP = {
    "main.py": dedent(
        """
        from fastapi import APIRouter, FastAPI

        app = FastAPI()
        users = APIRouter(prefix="/users")


        @users.get("/{user_id:int}")
        def read_user(user_id: int) -> None: ...


        @users.get("/me")
        def read_me() -> None: ...


        @users.get("/{name}")
        def by_name(name: str) -> None: ...


        @users.post("/")
        def create_user() -> None: ...


        @users.get("/files/{rest:path}")
        def read_file(rest: str) -> None: ...


        app.include_router(users, prefix="/api/v1")
        """
    )
}


def handlers(method: str, path: str) -> list[str]:
    index = RouteIndex(APP.get)
    index.sync(dict.fromkeys(APP, 1))
    return [route.handler for route in matching_routes(index.routes(), method, path)]


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/api/v1/users/42", ["read_user"]),
        ("GET", "/api/v1/users/me", ["read_me"]),
        ("GET", "/api/v1/users/alice", ["by_name"]),
        ("POST", "/api/v1/users/", ["create_user"]),
        ("POST", "/api/v1/users", ["create_user"]),
        ("GET", "/api/v1/users/files/a/b.txt", ["read_file"]),
        ("HEAD", "/api/v1/users/me", ["read_me"]),
        ("DELETE", "/api/v1/users/me", []),
        ("GET", "/api/v2/users/me", []),
    ],
)
def test_request_reaches_the_first_registered_route_that_matches(
    method: str, path: str, expected: list[str]
) -> None:
    assert handlers(method, path) == expected


def test_a_run_time_segment_matches_the_first_parameter_never_a_literal() -> None:
    assert handlers("GET", f"/api/v1/users/{UNKNOWN}") == ["read_user"]


def call_at(source: str, needle: str, offset: int = 0) -> tuple[str, str] | None:
    source = dedent(source)
    before = source[: source.index(needle) + offset]
    line = before.count("\n")
    column = len(before) - (before.rfind("\n") + 1)
    call = client_call_at(ast.parse(source), source.splitlines(), line, column)
    return None if call is None else (call.method, call.path)


TESTS = """
    from fastapi.testclient import TestClient
    from httpx import AsyncClient

    from app.main import app

    URL = "/api/v1/users/"
    ME = f"{URL}me"
    api = TestClient(app)


    def test_one(client: TestClient, user_id: int) -> None:
        client.get("/api/v1/users/?limit=10&offset=0")
        client.post(f"/api/v1/users/{user_id}", json={"a": 1})
        client.get(ME)
        client.request("PATCH", URL + "me")
        api.delete("http://testserver/api/v1/users/7#top")
        response.get("/not/a/client")


    async def test_two() -> None:
        async with AsyncClient(base_url="http://test") as ac:
            await ac.put("/api/v1/users/me")
"""


@pytest.mark.parametrize(
    ("needle", "expected"),
    [
        ('client.get("/api', ("GET", "/api/v1/users/")),
        ('"/api/v1/users/?limit', ("GET", "/api/v1/users/")),
        ('client.post(f"', ("POST", f"/api/v1/users/{UNKNOWN}")),
        ("client.get(ME)", ("GET", "/api/v1/users/me")),
        ('client.request("PATCH"', ("PATCH", "/api/v1/users/me")),
        ("api.delete", ("DELETE", "/api/v1/users/7")),
        ("ac.put", ("PUT", "/api/v1/users/me")),
        ("response.get", None),
        ('json={"a"', None),
    ],
)
def test_client_call_under_the_cursor_gives_method_and_path(
    needle: str, expected: tuple[str, str] | None
) -> None:
    assert call_at(TESTS, needle, offset=1) == expected


def test_a_call_on_a_non_ascii_line_is_found_by_code_point_column() -> None:
    source = 'def test(client):\n    x = "é"; client.get("/caf\u00e9")\n'
    call = client_call_at(ast.parse(source), source.splitlines(), 1, 25)
    assert call is not None
    assert call.path == "/caf\u00e9"
    assert (call.span.start_column, call.span.end_column, call.span.ascii) == (24, 31, False)
