"""Over stdio: the PYD010 quick fix on a settings ``Config`` holding V1's ``customise_sources``
moves the method onto the class as ``settings_customise_sources`` (Fides' base settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import encoding_of, fix_all_text, open_and_wait, quick_fix_text
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = '''from typing import Tuple

from pydantic import BaseSettings, Extra
from pydantic.env_settings import SettingsSourceCallable


class FidesSettings(BaseSettings):
    """Class used as a base model for configuration subsections."""

    class Config:
        # Need to allow extras because the inheriting class will have more info
        extra = Extra.allow

        @classmethod
        def customise_sources(
            cls,
            init_settings: SettingsSourceCallable,
            env_settings: SettingsSourceCallable,
            file_secret_settings: SettingsSourceCallable,
        ) -> Tuple[SettingsSourceCallable, ...]:
            """Set environment variables to take precedence over init values."""
            return env_settings, init_settings, file_secret_settings
'''

METHOD = '''
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: Type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> Tuple[PydanticBaseSettingsSource, ...]:
        """Set environment variables to take precedence over init values."""
        return env_settings, dotenv_settings, init_settings, file_secret_settings
'''


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_config_quick_fix_moves_customise_sources_onto_the_settings_class(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    (config,) = [d for d in diagnostics if d.code == "PYD010"]
    assert "`settings_customise_sources`" in config.message

    fix, fixed = await quick_fix_text(client, uri, SOURCE, config, encoding_of(client_name))

    assert fix.title == "Convert `class Config` to `model_config`"
    assert "class Config" not in fixed
    assert '        extra="allow",\n    )\n' + METHOD in fixed
    compile(fixed, "fixed.py", "exec")


async def test_fix_all_gives_the_migrate_result_without_v1_settings_names(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, _ = await open_and_wait(client, workspace, SOURCE, name="fix_all_sources.py")

    _, fixed = await fix_all_text(client, uri, SOURCE, encoding_of(client_name))

    assert fixed == migrate_source(SOURCE)
    assert "SettingsSourceCallable" not in fixed
    assert "from pydantic_settings import" in fixed
    assert fixed.endswith(METHOD)


FUNCTION_SOURCE = """from pydantic import BaseSettings


def defaults_source(settings):
    return {"name": "from-function"}


class Settings(BaseSettings):
    name: str = "default"

    class Config:
        @classmethod
        def customise_sources(cls, init_settings, env_settings, file_secret_settings):
            return init_settings, defaults_source, env_settings
"""


async def test_config_quick_fix_wraps_a_v1_source_function_in_a_source_class(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    uri, diagnostics = await open_and_wait(
        client, workspace, FUNCTION_SOURCE, name="function_source.py"
    )
    (config,) = [d for d in diagnostics if d.code == "PYD010"]

    _, fixed = await quick_fix_text(client, uri, FUNCTION_SOURCE, config, encoding_of(client_name))

    assert "class DefaultsSource(PydanticBaseSettingsSource):\n" in fixed
    assert "        return defaults_source(self.settings_cls)\n" in fixed
    assert fixed.index("def defaults_source(") < fixed.index("class DefaultsSource(")
    assert (
        "        return (\n            init_settings,\n            DefaultsSource(settings_cls),\n"
        in (fixed)
    )
    assert "from pydantic_settings import PydanticBaseSettingsSource" in fixed
    compile(fixed, "fixed.py", "exec")
