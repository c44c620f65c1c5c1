"""The generated project's dependency ranges (checked against PyPI when chosen).

Ranges, not pins: a service gets security fixes by re-locking, and the upper bounds keep it on
the major versions the templates were written for (SQLAlchemy 2.x, Pydantic 2.x).
"""

from __future__ import annotations

from fastapi_architect.scaffold.options import ScaffoldOptions

SQLALCHEMY = "sqlalchemy>=2.0.30,<2.2"
SQLALCHEMY_ASYNC = "sqlalchemy[asyncio]>=2.0.30,<2.2"
RUNTIME = (
    "fastapi[standard]>=0.115,<1",
    "pydantic>=2.7,<3",
    "pydantic-settings>=2.3,<3",
    "email-validator>=2.1,<3",
    "pyjwt>=2.8,<3",
    SQLALCHEMY,
    "alembic>=1.13,<2",
)
ASYNC_SQLITE = "aiosqlite>=0.20,<1"
POSTGRES_SYNC = "psycopg[binary]>=3.2,<4"
POSTGRES_ASYNC = "asyncpg>=0.29,<1"

DEV = (
    "pytest>=8,<10",
    "httpx>=0.27,<1",
    "ruff>=0.9,<1",
    "mypy>=1.11,<3",
)


def runtime_dependencies(options: ScaffoldOptions) -> list[str]:
    """What the service needs to run (``[project] dependencies`` and ``requirements.txt``)."""
    requirements = list(RUNTIME)
    if options.orm_async:
        requirements[requirements.index(SQLALCHEMY)] = SQLALCHEMY_ASYNC
        requirements.append(ASYNC_SQLITE)
    if options.database == "postgresql":
        requirements.append(postgres_requirement(options))
    return requirements


def postgres_requirement(options: ScaffoldOptions) -> str:
    """The PostgreSQL driver for the ORM mode: asyncpg (async) or psycopg 3 (sync)."""
    return POSTGRES_ASYNC if options.orm_async else POSTGRES_SYNC


def dev_dependencies(options: ScaffoldOptions) -> list[str]:
    """The ``dev`` extra: test, lint and type-check tools."""
    return list(DEV)
