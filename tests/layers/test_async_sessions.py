"""FA106: a sync Session in async code; FA107: an AsyncSession coroutine never awaited."""

from __future__ import annotations

from pathlib import Path

from layers_support import ASYNC_DB, DB, DEPS, codes_and_lines, findings, line_of, make_project

ENDPOINT = "app/api/v1/endpoints/items.py"
SERVICE = "app/services/item_service.py"


def test_sync_session_in_async_path_operation_is_reported_once(tmp_path: Path) -> None:
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


            @router.post("/")
            async def create(db: SessionDep) -> None:
                item_service.prepare(db)
                db.add(object())
                db.commit()
                db.refresh(object())


            @router.get("/")
            def read(db: SessionDep) -> None:
                db.commit()
            """,
        },
    )
    found = findings(root, ENDPOINT, {"FA106"})
    assert codes_and_lines(found) == [("FA106", line_of(root, ENDPOINT, "db.commit()"))]
    assert "'db'" in found[0].message and "'create'" in found[0].message
    assert "(2 calls)" in found[0].message  # add() does no I/O


def test_sync_session_in_async_service_method(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            SERVICE: """
            from sqlalchemy.orm import Session

            from app.db import SessionLocal, engine


            class ItemService:
                def __init__(self, db: Session) -> None:
                    self.db = db

                async def count(self) -> int:
                    return self.db.query(Item).count()

                def total(self) -> int:
                    return self.db.query(Item).count()


            async def purge() -> None:
                with SessionLocal() as session:
                    session.execute(text("delete from item"))
            """,
        },
    )
    assert codes_and_lines(findings(root, SERVICE)) == [
        ("FA106", line_of(root, SERVICE, "return self.db.query")),
        ("FA106", line_of(root, SERVICE, "session.execute")),
    ]


def test_sync_session_in_async_helper_outside_services_is_not_reported(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": DB,
            "app/core/jobs.py": """
            from app.db import SessionLocal


            async def nightly() -> None:
                with SessionLocal() as session:
                    session.commit()
            """,
        },
    )
    assert findings(root, "app/core/jobs.py") == []


def test_async_session_calls_without_await(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": ASYNC_DB,
            SERVICE: """
            from sqlalchemy.ext.asyncio import AsyncSession


            class ItemService:
                def __init__(self, session: AsyncSession) -> None:
                    self.session = session

                async def create(self, item: object) -> object:
                    self.session.add(item)
                    self.session.commit()
                    await self.session.refresh(item)
                    return item

                async def names(self) -> list[str]:
                    result = self.session.execute(select(Item.name))
                    return list(result.scalars())

                async def first(self) -> object:
                    rows = self.session.scalars(select(Item))
                    return rows.first()

                async def later(self) -> None:
                    pending = self.session.flush()
                    await pending

                async def gathered(self) -> None:
                    await asyncio.gather(self.session.flush())
            """,
        },
    )
    found = findings(root, SERVICE)
    assert codes_and_lines(found) == [
        ("FA107", line_of(root, SERVICE, "self.session.commit()")),
        ("FA107", line_of(root, SERVICE, "result = self.session.execute")),
        ("FA107", line_of(root, SERVICE, "rows = self.session.scalars")),
    ]
    assert "await self.session.commit(...)" in found[0].message


def test_async_session_from_dependency_in_endpoint(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": ASYNC_DB,
            ENDPOINT: """
            from typing import Annotated

            from fastapi import APIRouter, Depends
            from sqlalchemy.ext.asyncio import AsyncSession

            from app.db import get_session

            router = APIRouter()
            SessionDep = Annotated[AsyncSession, Depends(get_session)]


            @router.delete("/{item_id}")
            async def delete(item_id: int, session=Depends(get_session)) -> None:
                item = await session.get(Item, item_id)
                session.delete(item)
                await session.commit()


            @router.get("/")
            async def read(session: SessionDep) -> object:
                return (await session.execute(select(Item))).scalars().all()
            """,
        },
    )
    assert codes_and_lines(findings(root, ENDPOINT, {"FA106", "FA107"})) == [
        ("FA107", line_of(root, ENDPOINT, "session.delete(item)")),
    ]


def test_stored_coroutine_returned_by_an_async_def_is_a_forgotten_await(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            SERVICE: """
            from sqlalchemy.ext.asyncio import AsyncSession


            async def get_item(session: AsyncSession, item_id: int) -> object:
                item = session.get(Item, item_id)
                if item is None:
                    raise LookupError(item_id)
                return item


            def commit_later(session: AsyncSession):
                pending = session.commit()
                return pending
            """
        },
    )
    assert codes_and_lines(findings(root, SERVICE)) == [
        ("FA107", line_of(root, SERVICE, "item = session.get")),
    ]


def test_a_project_subclass_of_async_session_is_a_session(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/db.py": """
            from sqlalchemy.ext.asyncio import AsyncSession


            class AppSession(AsyncSession):
                pass


            class Cache:
                def delete(self, key: str) -> None:
                    pass
            """,
            SERVICE: """
            from app.db import AppSession, Cache


            async def purge(session: AppSession, cache: Cache) -> None:
                cache.delete("items")
                session.delete(object())
            """,
        },
    )
    assert codes_and_lines(findings(root, SERVICE)) == [
        ("FA107", line_of(root, SERVICE, "session.delete")),
    ]
