"""``Config.customise_sources`` → ``settings_customise_sources``: the same values, same precedence.

The V1 original runs under ``pydantic.v1``; the migrated module under pydantic 2 with
pydantic-settings. Both read the same environment variables, ``.env`` file, secrets directory
and keyword arguments, and must end with the same settings, whichever source supplies a value.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_behaviour_models import _as_v1, _load

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

SOURCE = '''from typing import Any, Dict, Tuple

from pydantic import BaseSettings
from pydantic.env_settings import SettingsSourceCallable


def defaults_source(settings: BaseSettings) -> Dict[str, Any]:
    return {"name": "from-function", "port": "5"}


class EnvFirst(BaseSettings):
    name: str = "default"
    port: int = 80
    token: str = "none"

    class Config:
        env_prefix = "APP_"
        env_file = ".env"
        secrets_dir = "secrets"

        @classmethod
        def customise_sources(
            cls,
            init_settings: SettingsSourceCallable,
            env_settings: SettingsSourceCallable,
            file_secret_settings: SettingsSourceCallable,
        ) -> Tuple[SettingsSourceCallable, ...]:
            """Environment variables take precedence over init values."""
            return env_settings, init_settings, file_secret_settings


class SecretsFirst(BaseSettings):
    name: str = "default"
    port: int = 80
    token: str = "none"

    class Config:
        env_prefix = "APP_"
        env_file = ".env"
        secrets_dir = "secrets"

        @classmethod
        def customise_sources(cls, init_settings, env_settings, file_secret_settings):
            return file_secret_settings, env_settings, init_settings


class NoEnvironment(BaseSettings):
    name: str = "default"
    port: int = 80
    token: str = "none"

    class Config:
        env_prefix = "APP_"
        env_file = ".env"
        secrets_dir = "secrets"

        @classmethod
        def customise_sources(cls, init_settings, env_settings, file_secret_settings):
            return init_settings, file_secret_settings


class FunctionSecond(BaseSettings):
    name: str = "default"
    port: int = 80
    token: str = "none"

    class Config:
        env_prefix = "APP_"
        env_file = ".env"
        secrets_dir = "secrets"

        @classmethod
        def customise_sources(
            cls,
            init_settings: SettingsSourceCallable,
            env_settings: SettingsSourceCallable,
            file_secret_settings: SettingsSourceCallable,
        ) -> Tuple[SettingsSourceCallable, ...]:
            return env_settings, defaults_source, init_settings, file_secret_settings
'''

CLASSES = ("EnvFirst", "SecretsFirst", "NoEnvironment", "FunctionSecond")

CASES: dict[str, dict[str, Any]] = {
    "nothing set": {},
    "env var only": {"environ": {"APP_NAME": "from-env"}},
    "dotenv only": {"dotenv": "APP_NAME=from-dotenv\nAPP_PORT=8080\n"},
    "env var beats dotenv": {
        "environ": {"APP_NAME": "from-env"},
        "dotenv": "APP_NAME=from-dotenv\n",
    },
    "init against env var": {"environ": {"APP_PORT": "1"}, "init": {"port": 2}},
    "init against dotenv": {"dotenv": "APP_PORT=3\n", "init": {"port": 4}},
    "secret against env var and init": {
        "environ": {"APP_TOKEN": "env-token"},
        "secrets": {"app_token": "secret-token"},
        "init": {"token": "init-token"},
    },
    "secret only": {"secrets": {"app_token": "secret-token"}},
    "every source, different fields": {
        "environ": {"APP_NAME": "env"},
        "dotenv": "APP_PORT=9\nAPP_NAME=dotenv\n",
        "secrets": {"app_token": "secret"},
        "init": {"port": 10},
    },
    "invalid env value": {"environ": {"APP_PORT": "not a number"}},
}


@pytest.fixture(scope="module")
def modules() -> tuple[types.ModuleType, types.ModuleType]:
    return (
        _load(_as_v1(SOURCE), "behaviour_settings_sources_v1"),
        _load(migrate_source(SOURCE), "behaviour_settings_sources_v2"),
    )


def _outcome(build: Any, errors: tuple[type[Exception], ...]) -> tuple[str, Any]:
    try:
        instance = build()
    except errors as error:
        return "error", sorted(tuple(e["loc"]) for e in error.errors())  # type: ignore[attr-defined]
    dump = instance.model_dump() if hasattr(instance, "model_dump") else instance.dict()
    return "ok", dump


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("cls", CLASSES)
def test_migrated_sources_read_the_same_values_in_the_same_precedence(
    modules: tuple[types.ModuleType, types.ModuleType],
    cls: str,
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pydantic import ValidationError
    from pydantic.v1 import ValidationError as V1ValidationError

    spec = CASES[case]
    monkeypatch.chdir(tmp_path)
    for name in ("APP_NAME", "APP_PORT", "APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in spec.get("environ", {}).items():
        monkeypatch.setenv(name, value)
    if "dotenv" in spec:
        (tmp_path / ".env").write_text(spec["dotenv"])
    (tmp_path / "secrets").mkdir()
    for name, value in spec.get("secrets", {}).items():
        (tmp_path / "secrets" / name).write_text(value)
    init = spec.get("init", {})
    v1, v2 = modules

    before = _outcome(lambda: getattr(v1, cls)(**init), (V1ValidationError,))
    after = _outcome(lambda: getattr(v2, cls)(**init), (ValidationError,))

    assert before == after
    if case == "env var beats dotenv" and cls != "NoEnvironment":
        assert after[1]["name"] == "from-env"


def test_the_precedence_probes_distinguish_the_orders(
    modules: tuple[types.ModuleType, types.ModuleType],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The three orders really give three answers, so the comparison above can fail."""
    _, v2 = modules
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APP_TOKEN", "env")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "app_token").write_text("secret")
    tokens = {cls: getattr(v2, cls)(token="init").token for cls in CLASSES}
    assert tokens == {
        "EnvFirst": "env",
        "SecretsFirst": "secret",
        "NoEnvironment": "init",
        "FunctionSecond": "env",
    }
    assert v2.FunctionSecond(name="init").name == "from-function"


def test_the_dotenv_source_is_kept_where_v1_read_the_environment() -> None:
    migrated = migrate_source(SOURCE)
    assert "return env_settings, dotenv_settings, init_settings, file_secret_settings" in migrated
    assert "return file_secret_settings, env_settings, dotenv_settings, init_settings" in migrated
    assert "return init_settings, file_secret_settings" in migrated
    assert "class DefaultsSource(PydanticBaseSettingsSource):" in migrated
    assert "from pydantic.fields import FieldInfo\n" in migrated
    assert "SettingsSourceCallable" not in migrated
    assert "class Config" not in migrated
    assert all(not f.fixable for f in find_findings(migrated))


def test_pydantic_settings_calls_a_source_with_no_argument() -> None:
    """Why a V1 source callable ``src(settings)`` is reported, not passed through: V2 calls
    every source with no argument, so the V1 function fails."""
    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

    def v1_source(settings: object) -> dict[str, Any]:
        return {"name": "custom"}

    class Settings(BaseSettings):
        name: str = "default"

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return init_settings, v1_source  # type: ignore[return-value]

    with pytest.raises(TypeError, match="argument"):
        Settings()


def test_the_reported_recipe_for_a_v1_source_function_reads_what_v1_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the PYD010 message tells the user to write for ``json_source(settings)``: a
    ``PydanticBaseSettingsSource`` subclass, same value and same precedence as V1."""
    from pydantic.v1 import BaseSettings as V1Settings
    from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

    def json_source(settings: Any) -> dict[str, Any]:
        return {"name": "from-json", "port": 7}

    class Old(V1Settings):
        name: str = "default"
        port: int = 80

        class Config:
            env_prefix = "APP_"

            @classmethod
            def customise_sources(
                cls, init_settings: Any, env_settings: Any, file_secret_settings: Any
            ) -> tuple[Any, ...]:
                return init_settings, env_settings, json_source, file_secret_settings

    class JsonSource(PydanticBaseSettingsSource):
        def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
            return None, field_name, False

        def __call__(self) -> dict[str, Any]:
            return json_source(self.settings_cls)

    class New(BaseSettings):
        name: str = "default"
        port: int = 80
        model_config = {"env_prefix": "APP_"}

        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            return (
                init_settings,
                env_settings,
                dotenv_settings,
                JsonSource(settings_cls),
                file_secret_settings,
            )

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APP_PORT", "9")
    assert Old().dict() == New().model_dump() == {"name": "from-json", "port": 9}
    assert Old(name="init").dict() == New(name="init").model_dump() == {"name": "init", "port": 9}
