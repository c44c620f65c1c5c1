"""Helpers for the layer-rule tests: tiny projects on disk, checked by the engine."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fastapi_architect.layers import LayerFinding, LayerProject, check_module

DEPS = '''\
"""Dependencies."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.db import SessionLocal


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
'''

DB = '''\
"""The engine and the session factory."""

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
'''

ASYNC_DB = '''\
"""The async engine and its session factory."""

from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

engine = create_async_engine("sqlite+aiosqlite://")
SessionLocal = async_sessionmaker(engine)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session
'''


def make_project(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → dedented text) under ``root`` with package inits."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        folder = path.parent
        while folder != root:
            init = folder / "__init__.py"
            if not init.exists():
                init.write_text("", encoding="utf-8")
            folder = folder.parent
    return root


def findings(root: Path, relative: str, codes: set[str] | None = None) -> list[LayerFinding]:
    """The engine's findings for ``relative`` in the project at ``root``."""
    path = root / relative
    return check_module(
        LayerProject(root=root), path, path.read_text(encoding="utf-8"), codes=codes
    )


def codes_and_lines(found: list[LayerFinding]) -> list[tuple[str, int]]:
    """``(code, 1-based line)`` of each finding."""
    return [(finding.code, finding.start.line + 1) for finding in found]


def line_of(root: Path, relative: str, needle: str) -> int:
    """1-based line of the first line of the file containing ``needle``."""
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)
