"""V1 URL types' ``.build(...)`` (PYD026): ``fixtures/url_build.before.py`` under ``pydantic.v1``
and its migration under pydantic 2 build the same strings over ports given or not, empty
databases, passwords and queries with characters URLs escape, http defaults, while V2's own
``build`` gives other strings (or raises) on those same inputs, which is why the fix keeps V1's."""

from __future__ import annotations

import itertools
import types
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = (Path(__file__).parent / "fixtures" / "url_build.before.py").read_text()
PORTS = ["5432", None, ""]
DATABASES = ["fides", "", "My DB"]
PASSWORDS = ["secret", "p@ss/w:rd#%", ""]
PARAMS: list[dict[str, Any]] = [{}, {"sslmode": "require"}, {"options": "-c search_path=a b/c"}]
HOSTS = ["localhost", "Example.COM", "10.0.0.1"]


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return _load(_as_v1(SOURCE), "behaviour_url_build_v1"), _load(
        migrate_source(SOURCE), "behaviour_url_build_v2"
    )


def _settings(module: types.ModuleType, data: dict[str, Any]) -> Any:
    made = module.DatabaseSettings(**data)
    return made.model_dump() if hasattr(made, "model_dump") else made.dict()


def _data() -> list[dict[str, Any]]:
    combos = itertools.product(PORTS, DATABASES, PASSWORDS, PARAMS, HOSTS)
    return [
        {"port": port, "db": db, "password": password, "params": params, "server": host}
        for port, db, password, params, host in combos
    ]


def test_migrated_settings_build_v1s_connection_strings(
    modules: tuple[types.ModuleType, types.ModuleType],
) -> None:
    v1, v2 = modules
    data = _data()
    built = [_settings(v1, item)["uri"] for item in data]
    assert built == [_settings(v2, item)["uri"] for item in data]
    assert "postgresql://fides:p@ss/w:rd#%@localhost:5432/fides" in built
    assert "postgresql://fides:secret@localhost/" in built  # no port, empty database


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("port", ["443", "8443", None])
def test_migrated_http_url_build_returns_v1s_string(
    modules: tuple[types.ModuleType, types.ModuleType], host: str, port: str | None
) -> None:
    v1, v2 = modules
    built = v2.homepage(host, port)
    assert built == v1.homepage(host, port)
    assert type(built) is str


def test_v2s_own_build_differs_on_the_same_inputs() -> None:
    from pydantic import PostgresDsn
    from pydantic.v1 import PostgresDsn as V1PostgresDsn

    parts = {"scheme": "postgresql", "password": "secret", "host": "localhost"}
    v1 = V1PostgresDsn.build(user="fides", path="/fides", **parts)
    assert v1 == "postgresql://fides:secret@localhost/fides"
    assert str(PostgresDsn.build(username="fides", path="/fides", **parts)).endswith("//fides")
    with pytest.raises(TypeError):
        PostgresDsn.build(username="fides", port="5432", **parts)  # type: ignore[arg-type]
