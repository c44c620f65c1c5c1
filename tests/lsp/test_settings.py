"""Settings validation: defaults, camelCase keys, sections, and errors that name the key."""

from __future__ import annotations

from typing import Any

import pytest

from fastapi_architect.lsp.settings import ServerSettings, SettingsError, parse_settings


@pytest.mark.parametrize("raw", [None, {}, {"fastapiArchitect": None}, {"fastapiArchitect": {}}])
def test_nothing_gives_the_defaults(raw: Any) -> None:
    assert parse_settings(raw) == ServerSettings()


def test_camel_case_keys_under_the_section_are_read() -> None:
    settings = parse_settings(
        {"fastapiArchitect": {"logLevel": "debug", "diagnostics": {"debounceMs": 40}}}
    )
    assert settings.log_level == "debug"
    assert settings.diagnostics.debounce_ms == 40
    assert settings.diagnostics.enabled is True


def test_bare_settings_without_the_section_are_read() -> None:
    assert parse_settings({"completion": {"enabled": False}}).completion.enabled is False


def test_client_only_keys_are_ignored() -> None:
    settings = parse_settings(
        {"server": {"command": ["x"]}, "interpreter": ["/usr/bin/python3"], "trace": {}}
    )
    assert settings == ServerSettings()


def test_every_bad_key_is_named_in_one_error() -> None:
    with pytest.raises(SettingsError) as error:
        parse_settings({"diagnostics": {"debounceMs": -1}, "analysis": {"maxFileBytes": "big"}})
    assert "diagnostics.debounceMs" in str(error.value)
    assert "analysis.maxFileBytes" in str(error.value)


def test_unknown_key_is_an_error_not_silently_ignored() -> None:
    with pytest.raises(SettingsError, match="diagnostic"):
        parse_settings({"diagnostic": {"enabled": False}})


@pytest.mark.parametrize("raw", [[1, 2], "on", 3, {"fastapiArchitect": "on"}])
def test_settings_that_are_not_objects_are_rejected(raw: Any) -> None:
    with pytest.raises(SettingsError, match="must be an object"):
        parse_settings(raw)
