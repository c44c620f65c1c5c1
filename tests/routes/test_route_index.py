"""The route index on small multi-file projects and on a freshly scaffolded service."""

from __future__ import annotations

from textwrap import dedent

import pytest

from fastapi_architect.routes import RouteIndex


def index_of(files: dict[str, str]) -> RouteIndex:
    sources = {path: dedent(text) for path, text in files.items()}
    index = RouteIndex(sources.get)
    index.sync(dict.fromkeys(sources, 1))
    return index


def titles(index: RouteIndex) -> list[str]:
    return [route.title for route in index.routes()]


LAYERED = {
    "app/__init__.py": "",
    "app/main.py": """
        from fastapi import FastAPI
        from app.api.v1.api import api_router
        from app.core.config import settings

        app = FastAPI()
        app.include_router(api_router, prefix=settings.API_V1_STR)


        @app.get("/")
        def root() -> dict[str, str]:
            return {}
    """,
    "app/core/config.py": """
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            API_V1_STR: str = "/api/v1"

        settings = Settings()
    """,
    "app/api/__init__.py": "",
    "app/api/v1/__init__.py": "",
    "app/api/v1/api.py": """
        from fastapi import APIRouter
        from app.api.v1.endpoints import items, users

        api_router = APIRouter()
        api_router.include_router(users.router, prefix="/users", tags=["users"])
        api_router.include_router(items.router)
    """,
    "app/api/v1/endpoints/__init__.py": "",
    "app/api/v1/endpoints/users.py": """
        from fastapi import APIRouter, status
        from app.schemas import User

        router = APIRouter()

        @router.post("/", response_model=User, status_code=status.HTTP_201_CREATED)
        async def create_user() -> User: ...

        @router.get("/{user_id}")
        def read_user(user_id: int) -> User: ...

        @router.get("/me")
        def read_me() -> User: ...
    """,
    "app/api/v1/endpoints/items.py": """
        from fastapi import APIRouter

        router = APIRouter(prefix="/items")

        @router.api_route("/{item_id}", methods=["GET", "PUT"], status_code=200)
        def item(item_id: int) -> None: ...
    """,
}


def test_full_paths_follow_include_router_prefixes_across_files() -> None:
    assert titles(index_of(LAYERED)) == [
        "POST /api/v1/users/",
        "GET /api/v1/users/{user_id}",
        "GET /api/v1/users/me",
        "GET /api/v1/items/{item_id}",
        "PUT /api/v1/items/{item_id}",
        "GET /",
    ]


def test_route_records_handler_location_response_model_status_and_chain() -> None:
    route = index_of(LAYERED).search("POST /api/v1/users/")[0]
    assert route.handler == "create_user"
    assert route.path == "app/api/v1/endpoints/users.py"
    assert route.handler_span.start_line == 7
    assert (route.declaration_span.start_line, route.declaration_span.start_column) == (6, 0)
    assert route.response_model == "User"
    assert route.status_code == "201 (status.HTTP_201_CREATED)"
    assert [(link.name, link.path, link.prefix) for link in route.chain] == [
        ("app", "app/main.py", ""),
        ("api_router", "app/api/v1/api.py", "/api/v1"),
        ("router", "app/api/v1/endpoints/users.py", "/users"),
    ]


def test_route_declared_after_a_matching_path_parameter_route_is_shadowed() -> None:
    shadowed = index_of(LAYERED).shadowed_routes()
    assert [(s.route.title, s.by.title) for s in shadowed] == [
        ("GET /api/v1/users/me", "GET /api/v1/users/{user_id}")
    ]


@pytest.mark.parametrize(
    ("earlier", "later", "shadowed"),
    [
        ("/files/{name:path}", "/files/a/b", True),
        ("/items/{item_id}", "/items/{other_id}", True),
        ("/items/{item_id}", "/items/", False),
        ("/items/{item_id}", "/items/a/b", False),
        ("/items/me", "/items/{item_id}", False),
        ("/a/{x}/c", "/a/b/c", True),
    ],
)
def test_shadowing_follows_starlette_path_matching(
    earlier: str, later: str, shadowed: bool
) -> None:
    files = {
        "main.py": f"""
            from fastapi import FastAPI
            app = FastAPI()

            @app.get("{earlier}")
            def first() -> None: ...

            @app.post("{later}")
            def other_method() -> None: ...

            @app.get("{later}")
            def second() -> None: ...
        """
    }
    found = [(s.route.handler, s.by.handler) for s in index_of(files).shadowed_routes()]
    assert found == ([("second", "first")] if shadowed else [])


def test_router_never_included_is_reported_and_its_routes_listed_as_not_included() -> None:
    files = {
        **LAYERED,
        "app/api/v1/endpoints/orders.py": """
            from fastapi import APIRouter
            router = APIRouter(prefix="/orders")

            @router.get("/")
            def list_orders() -> None: ...
        """,
    }
    index = index_of(files)
    assert [(r.path, r.name) for r in index.routers_never_included()] == [
        ("app/api/v1/endpoints/orders.py", "router")
    ]
    (orders,) = index.routes_in("app/api/v1/endpoints/orders.py")
    assert (orders.title, orders.included) == ("GET /orders/", False)


def test_routes_of_a_router_never_included_are_still_checked_for_shadowing() -> None:
    files = {
        "orders.py": """
            from fastapi import APIRouter
            router = APIRouter()

            @router.get("/{order_id}")
            def read_order(order_id: int) -> None: ...

            @router.get("/latest")
            def latest() -> None: ...
        """
    }
    shadowed = index_of(files).shadowed_routes()
    assert [(s.route.handler, s.by.handler) for s in shadowed] == [("latest", "read_order")]


def test_without_an_application_no_router_is_reported_as_never_included() -> None:
    files = {k: v for k, v in LAYERED.items() if k != "app/main.py"}
    assert index_of(files).routers_never_included() == ()


@pytest.mark.parametrize(
    ("import_line", "include_line"),
    [
        ("from app.routes.users import router as users_router", "users_router"),
        ("from app.routes import users", "users.router"),
        ("import app.routes.users as users_routes", "users_routes.router"),
        ("import app.routes.users", "app_module.routes.users.router"),
        ("from .routes.users import router", "router"),
        ("from app.routes import router", "router"),  # re-exported by the package
    ],
)
def test_included_router_is_found_through_every_import_form(
    import_line: str, include_line: str
) -> None:
    files = {
        "app/__init__.py": "",
        "app/main.py": f"""
            from fastapi import FastAPI
            {import_line}
            import app as app_module

            app = FastAPI()
            app.include_router({include_line}, prefix="/v2")
        """,
        "app/routes/__init__.py": "from .users import router\n",
        "app/routes/users.py": """
            from fastapi import APIRouter
            router = APIRouter(prefix="/users")

            @router.delete("/{user_id}")
            def delete_user(user_id: int) -> None: ...
        """,
    }
    assert titles(index_of(files)) == ["DELETE /v2/users/{user_id}"]


def test_prefix_from_a_module_constant_is_resolved_and_unknown_ones_are_shown() -> None:
    files = {
        "main.py": """
            from fastapi import FastAPI, APIRouter
            from prefixes import API
            app = FastAPI()
            known = APIRouter()
            unknown = APIRouter()

            @known.get("/a")
            def a() -> None: ...

            @unknown.get("/b")
            def b() -> None: ...

            app.include_router(known, prefix=API)
            app.include_router(unknown, prefix=compute())
        """,
        "prefixes.py": 'API = "/api"\n',
    }
    assert titles(index_of(files)) == ["GET /api/a", "GET {compute()}/b"]


def test_add_api_route_is_indexed_with_its_methods() -> None:
    files = {
        "main.py": """
            from fastapi import FastAPI
            app = FastAPI()

            def health() -> None: ...

            app.add_api_route("/health", health, methods=["get", "head"])
        """
    }
    assert titles(index_of(files)) == ["GET /health", "HEAD /health"]


def test_update_reindexes_only_the_changed_file() -> None:
    sources = {
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"
        '@app.get("/old")\ndef handler() -> None: ...\n',
        "other.py": "x = 1\n",
    }
    reads: list[str] = []

    def read_text(path: str) -> str | None:
        reads.append(path)
        return sources.get(path)

    index = RouteIndex(read_text)
    index.sync({"main.py": 1, "other.py": 1})
    assert [r.title for r in index.routes()] == ["GET /old"]
    reads.clear()
    sources["main.py"] = sources["main.py"].replace("/old", "/new")
    assert index.sync({"main.py": 2, "other.py": 1}) == ["main.py"]
    assert reads == ["main.py"]
    assert [r.title for r in index.routes()] == ["GET /new"]
    index.update("main.py", "syntax error (\n")
    assert index.routes() == ()
    index.sync({"other.py": 1})
    assert index.paths == ["other.py"]


def test_unparsable_and_unreadable_files_lose_nothing_else() -> None:
    files = {
        **LAYERED,
        "app/broken.py": "from fastapi import APIRouter\nrouter = APIRouter(\n",
    }
    sources = {path: dedent(text) for path, text in files.items()}
    index = RouteIndex(sources.get)
    index.sync({**dict.fromkeys(sources, 1), "app/gone.py": 1})
    assert len(index.routes()) == 6
    assert "app/gone.py" not in index.paths


def test_include_cycles_do_not_hang() -> None:
    files = {
        "main.py": """
            from fastapi import FastAPI, APIRouter
            app = FastAPI()
            a = APIRouter(prefix="/a")
            b = APIRouter(prefix="/b")
            a.include_router(b)
            b.include_router(a)
            app.include_router(a)

            @b.get("/x")
            def x() -> None: ...
        """
    }
    assert titles(index_of(files)) == ["GET /a/b/x"]


def test_positions_count_code_points_on_lines_with_non_ascii_text() -> None:
    files = {
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"
        '@app.get("/é")\ndef café() -> None: ...\n'
    }
    (route,) = index_of(files).routes()
    assert (route.handler_span.start_column, route.handler_span.end_column) == (4, 8)
    assert route.declaration_span.end_column == len("def café() -> None: ...")
    assert not route.handler_span.ascii


@pytest.mark.parametrize("inference", [True, False])
def test_scaffolded_service_routes_are_indexed(inference: bool) -> None:
    from fastapi_architect.scaffold.options import ScaffoldOptions
    from fastapi_architect.scaffold.project import plan_project

    plan = plan_project(ScaffoldOptions(project_name="shop", inference=inference))
    index = index_of({str(f.path): f.content for f in plan.creates if f.path.suffix == ".py"})
    expected = [
        "GET /health/live",
        "GET /health/ready",
        "POST /api/v1/users/",
        "GET /api/v1/users/",
        "GET /api/v1/users/{user_id}",
        "PATCH /api/v1/users/{user_id}",
        "DELETE /api/v1/users/{user_id}",
    ]
    if inference:
        expected.append("POST /api/v1/predict/")
    found = titles(index)
    assert [title for title in found if title in expected] == expected
    declared = sum(f.content.count("\n@router.") for f in plan.creates if f.path.suffix == ".py")
    assert len(found) == declared
    assert index.routers_never_included() == ()
    assert index.shadowed_routes() == ()


def test_an_index_given_the_callers_trees_parses_nothing_itself_and_finds_the_same_routes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ast

    sources = {path: dedent(text) for path, text in LAYERED.items()}
    trees = {path: ast.parse(text) for path, text in sources.items()}
    asked: list[str] = []

    def tree_of(path: str, text: str) -> ast.Module | None:
        assert text == sources[path]
        asked.append(path)
        return trees[path]

    def no_parse(*args: object, **kwargs: object) -> ast.Module:
        raise AssertionError("the index parsed a text it was given a tree for")

    expected = titles(index_of(LAYERED))
    monkeypatch.setattr(ast, "parse", no_parse)
    index = RouteIndex(sources.get, tree_of)
    index.sync(dict.fromkeys(sources, 1))

    assert titles(index) == expected
    assert "app/main.py" in asked
    assert "app/__init__.py" not in asked  # no imports, no routes: no tree needed


def test_an_index_parses_the_text_itself_when_the_caller_has_no_tree() -> None:
    sources = {path: dedent(text) for path, text in LAYERED.items()}
    index = RouteIndex(sources.get, lambda path, text: None)
    index.sync(dict.fromkeys(sources, 1))

    assert titles(index) == titles(index_of(LAYERED))
    assert titles(index)


def test_an_index_told_a_text_does_not_parse_does_not_parse_it_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ast

    sources = {path: dedent(text) for path, text in LAYERED.items()}
    sources["app/main.py"] = sources["app/main.py"].replace("FastAPI()", "FastAPI(")

    def tree_of(path: str, text: str) -> ast.Module | None:
        if path == "app/main.py":
            raise SyntaxError("'(' was never closed")
        return None

    parse = ast.parse

    def parse_others(source: str, *args: object, **kwargs: object) -> ast.Module:
        assert source != sources["app/main.py"], "parsed a text the caller said does not parse"
        return parse(source)

    monkeypatch.setattr(ast, "parse", parse_others)
    index = RouteIndex(sources.get, tree_of)
    index.sync(dict.fromkeys(sources, 1))

    assert index.routers_never_included() == ()  # no application: main.py does not parse
    assert titles(index) == titles(index_of({**LAYERED, "app/main.py": "app = FastAPI(\n"}))
