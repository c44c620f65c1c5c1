"""Fixtures of the scaffold tests: one real PostgreSQL server for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from postgres_server import PostgresServer, missing_reason, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server on 127.0.0.1, started once and stopped after the last test."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with running_postgres() as server:
        yield server
