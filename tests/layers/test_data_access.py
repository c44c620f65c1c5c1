"""FA103: data access inside a path operation function."""

from __future__ import annotations

from pathlib import Path

from layers_support import DB, DEPS, codes_and_lines, findings, line_of, make_project

ENDPOINT = "app/api/v1/endpoints/items.py"


def test_session_alias_from_deps_module_is_followed(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            "app/api/deps.py": DEPS,
            ENDPOINT: '''
            from fastapi import APIRouter
            from sqlalchemy import select

            from app.api.deps import SessionDep
            from app.models import Item

            router = APIRouter()


            @router.get("/")
            def list_items(db: SessionDep) -> list[Item]:
                """Every item."""
                total = db.scalar(select(Item).count())
                items = list(db.scalars(select(Item)))
                db.commit()
                return items
            ''',
        },
    )
    (finding,) = findings(root, ENDPOINT)
    assert finding.code == "FA103"
    assert finding.start.line + 1 == line_of(root, ENDPOINT, "total = db.scalar")
    assert finding.start.column == len("    total = ")
    assert "'list_items'" in finding.message
    assert "5 data-access calls" in finding.message
    assert "db.scalar(), select(), db.scalars(), db.commit()" in finding.message
    assert finding.data["endpoint_line"] == line_of(root, ENDPOINT, "@router.get") - 1


def test_depends_default_whose_function_yields_a_session(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            "app/api/deps.py": DEPS,
            "app/routers/users.py": """
            from fastapi import APIRouter, Depends
            from sqlalchemy.orm import Session

            from app.api import deps

            router = APIRouter()


            @router.delete("/{user_id}")
            def delete_user(user_id: int, session=Depends(deps.get_db)) -> None:
                user = session.get(User, user_id)
                session.delete(user)
                session.commit()
            """,
        },
    )
    line = line_of(root, "app/routers/users.py", "user = session.get")
    assert codes_and_lines(findings(root, "app/routers/users.py")) == [("FA103", line)]


def test_sqlmodel_session_and_select(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "main.py": """
            from typing import Annotated

            from fastapi import Depends, FastAPI
            from sqlmodel import Session, select

            app = FastAPI()


            def get_session():
                with Session(engine) as session:
                    yield session


            @app.get("/heroes")
            def read_heroes(session: Annotated[Session, Depends(get_session)]):
                return session.exec(select(Hero)).all()


            @app.get("/count")
            def count(session=Depends(get_session)):
                return len(session.exec(select(Hero)).all())
            """
        },
    )
    assert codes_and_lines(findings(root, "main.py")) == [
        ("FA103", line_of(root, "main.py", "return session.exec")),
        ("FA103", line_of(root, "main.py", "return len(session.exec")),
    ]


def test_endpoint_that_delegates_to_a_service_is_not_reported(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            "app/api/deps.py": DEPS,
            ENDPOINT: """
            from fastapi import APIRouter

            from app.api.deps import SessionDep
            from app.services import item_service

            router = APIRouter()


            @router.get("/")
            def list_items(db: SessionDep, cache: dict[str, int]) -> list[int]:
                cache.get("key")
                return item_service.list_items(db)
            """,
        },
    )
    assert findings(root, ENDPOINT) == []


def test_get_on_something_that_is_not_a_session_is_not_data_access(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            ENDPOINT: """
            from fastapi import APIRouter, Depends, Request

            from app.services.cache import Cache, get_cache

            router = APIRouter()


            @router.get("/")
            def read(request: Request, cache: Cache = Depends(get_cache)) -> object:
                request.session.get("user")
                cache.delete("stale")
                return cache.get("key")
            """,
            "app/services/cache.py": """
            class Cache(dict):
                pass


            def get_cache() -> Cache:
                return Cache()
            """,
        },
    )
    assert findings(root, ENDPOINT) == []


def test_helper_functions_outside_path_operations_are_not_reported(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            "app/api/deps.py": DEPS,
            "app/api/v1/endpoints/items.py": """
            from fastapi import APIRouter
            from sqlalchemy import select
            from sqlalchemy.orm import Session

            router = APIRouter()


            def _load(db: Session) -> list[int]:
                return list(db.scalars(select(Item.id)))
            """,
        },
    )
    assert findings(root, "app/api/v1/endpoints/items.py") == []


def test_ending_the_transaction_or_pinging_the_database_is_not_data_access(
    tmp_path: Path,
) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            "app/api/deps.py": DEPS,
            ENDPOINT: """
            from fastapi import APIRouter
            from sqlalchemy import select, text

            from app.api.deps import SessionDep
            from app.services import item_service

            router = APIRouter()


            @router.get("/stream")
            def stream(db: SessionDep) -> object:
                item = item_service.first(db)
                db.commit()  # the session is not needed while the response streams
                return item


            @router.get("/healthz")
            def healthz(db: SessionDep) -> str:
                db.execute(select(1))
                db.execute(text("SELECT 1"))
                return "ok"


            @router.post("/")
            def create(db: SessionDep) -> None:
                db.add(item_service.build())
                db.commit()
            """,
        },
    )
    found = findings(root, ENDPOINT)
    assert codes_and_lines(found) == [("FA103", line_of(root, ENDPOINT, "db.add("))]
    assert "2 data-access calls: db.add(), db.commit()" in found[0].message
