"""PYD010 on a settings ``Config`` holding V1's ``customise_sources``: converted to
``settings_customise_sources`` on the class, or reported with what to write instead."""

from __future__ import annotations

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

HEAD = """from typing import Tuple

from pydantic import BaseSettings
from pydantic.env_settings import SettingsSourceCallable

"""


def _config_finding(source: str) -> tuple[bool, str]:
    (finding,) = [f for f in find_findings(source) if f.code == "PYD010"]
    return finding.fixable, finding.message


def test_renamed_parameters_map_by_position_and_env_gains_the_dotenv_source() -> None:
    source = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(klass, init, env, secrets):\n"
        "            return secrets, env, init\n"
    )
    migrated = migrate_source(source)
    signature = "    def settings_customise_sources(\n        klass,\n        settings_cls,\n"
    assert signature in migrated
    assert "        return secrets, env, dotenv_settings, init\n" in migrated


def test_a_config_with_settings_and_sources_keeps_both_settings_first() -> None:
    source = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        case_sensitive = True\n"
        "        @classmethod\n"
        "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
        "            return env_settings, init_settings\n"
    )
    migrated = migrate_source(source)
    config_at = migrated.index("    model_config = SettingsConfigDict(case_sensitive=True)\n")
    assert config_at < migrated.index("    @classmethod\n    def settings_customise_sources(")
    fixable, message = _config_finding(source)
    assert fixable
    assert "`env_settings, dotenv_settings`" in message


def test_settings_source_callable_import_goes_with_its_last_use() -> None:
    annotated = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(\n"
        "            cls,\n"
        "            init_settings: SettingsSourceCallable,\n"
        "            env_settings: SettingsSourceCallable,\n"
        "            file_secret_settings: SettingsSourceCallable,\n"
        "        ) -> Tuple[SettingsSourceCallable, ...]:\n"
        "            return init_settings, env_settings\n"
    )
    migrated = migrate_source(annotated)
    assert "SettingsSourceCallable" not in migrated
    assert "from pydantic_settings import BaseSettings, PydanticBaseSettingsSource\n" in migrated
    assert ") -> Tuple[PydanticBaseSettingsSource, ...]:\n" in migrated
    assert "from typing import Tuple, Type\n" in migrated  # Tuple: the return annotation

    elsewhere = annotated + "\n\ndef describe(source: SettingsSourceCallable) -> str:\n    ...\n"
    kept = migrate_source(elsewhere)
    assert "from pydantic.env_settings import SettingsSourceCallable\n" in kept
    assert "def describe(source: SettingsSourceCallable)" in kept


def test_unannotated_method_gets_no_annotations_nor_imports() -> None:
    source = HEAD.replace("from pydantic.env_settings import SettingsSourceCallable\n", "") + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
        "            return (env_settings,)\n"
    )
    migrated = migrate_source(source)
    assert "PydanticBaseSettingsSource" not in migrated
    assert "        return env_settings, dotenv_settings\n" in migrated
    compile(migrated, "<migrated>", "exec")


def test_a_v1_source_function_reading_its_settings_is_reported_with_the_v2_source_to_write() -> (
    None
):
    source = HEAD + (
        "def json_source(settings: BaseSettings) -> dict:\n"
        "    return {'encoding': settings.__config__.env_file_encoding}\n\n\n"
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
        "            return init_settings, json_source, env_settings\n"
    )
    fixable, message = _config_finding(source)
    assert not fixable
    assert "returns `json_source`, a V1 source callable" in message
    assert "`PydanticBaseSettingsSource` subclass" in message
    assert "no argument" in message
    assert "class Config" in migrate_source(source)  # left intact


def test_a_method_doing_more_than_returning_sources_is_reported() -> None:
    source = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
        "            if cls.__name__ == 'S':\n"
        "                return env_settings, init_settings\n"
        "            return init_settings, env_settings\n"
    )
    fixable, message = _config_finding(source)
    assert not fixable
    assert "does more than return a tuple of sources" in message
    assert "settings_customise_sources(cls, settings_cls, init_settings" in message


def test_a_method_missing_classmethod_or_with_other_parameters_is_reported() -> None:
    plain = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
        "            return env_settings, init_settings\n"
    )
    fixable, message = _config_finding(plain)
    assert not fixable
    assert "not a plain `@classmethod`" in message
    colliding = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(cls, init_settings, dotenv_settings, secrets):\n"
        "            return dotenv_settings, init_settings\n"
    )
    fixable, message = _config_finding(colliding)
    assert not fixable
    assert "already uses a parameter name V2 adds" in message


def test_other_methods_in_config_are_still_reported() -> None:
    source = HEAD + (
        "class S(BaseSettings):\n"
        "    class Config:\n"
        "        @classmethod\n"
        "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
        "            return env_settings, init_settings\n\n"
        "        @classmethod\n"
        "        def parse_env_var(cls, field_name, raw_val):\n"
        "            return raw_val\n"
    )
    fixable, message = _config_finding(source)
    assert not fixable
    assert "holds methods" in message


ADAPTED = HEAD + (
    "def json_source(settings: BaseSettings) -> dict:\n"
    "    return {'name': 'json'}\n"
    "\n\n"
    "class S(BaseSettings):\n"
    "    class Config:\n"
    "        @classmethod\n"
    "        def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n"
    "            return init_settings, json_source, env_settings\n"
)


def test_a_v1_source_function_ignoring_its_argument_gets_a_source_class_after_it() -> None:
    migrated = migrate_source(ADAPTED)
    function_at = migrated.index("def json_source(settings: BaseSettings) -> dict:\n")
    adapter_at = migrated.index("class JsonSource(PydanticBaseSettingsSource):\n")
    assert function_at < adapter_at < migrated.index("class S(BaseSettings):\n")
    assert "        return json_source(self.settings_cls)\n" in migrated
    assert "        return None, field_name, False\n" in migrated
    assert (
        "        return init_settings, JsonSource(settings_cls), env_settings, dotenv_settings\n"
        in migrated
    )
    assert "from pydantic_settings import BaseSettings, PydanticBaseSettingsSource\n" in migrated
    fixable, message = _config_finding(ADAPTED)
    assert fixable
    assert "new `PydanticBaseSettingsSource` subclass" in message
    assert migrate_source(migrated) == migrated
    compile(migrated, "<migrated>", "exec")


def test_a_source_function_shared_by_two_settings_classes_is_reported() -> None:
    shared = ADAPTED + ADAPTED[ADAPTED.index("\n\nclass S") :].replace("class S(", "class T(")
    findings = [f for f in find_findings(shared) if f.code == "PYD010"]
    assert len(findings) == 2
    assert all(not f.fixable for f in findings)
    assert all("returns `json_source`, a V1 source callable" in f.message for f in findings)


def test_typing_generics_are_kept_where_the_v1_method_used_them() -> None:
    """``Tuple[...]`` in V1's annotation (code that may run on Python 3.8) gives
    ``Type[BaseSettings]`` and a ``Tuple`` / ``Dict`` annotated source class; a builtin
    ``tuple[...]`` gives ``type[BaseSettings]``."""
    typing_style = ADAPTED.replace(
        "def customise_sources(cls, init_settings, env_settings, file_secret_settings):\n",
        "def customise_sources(\n"
        "            cls, init_settings, env_settings, file_secret_settings\n"
        "        ) -> Tuple[SettingsSourceCallable, ...]:\n",
    )
    migrated = migrate_source(typing_style)
    assert "from typing import Any, Dict, Tuple, Type\n" in migrated
    assert "        settings_cls: Type[BaseSettings],\n" in migrated
    assert "field_name: str) -> Tuple[Any, str, bool]:\n" in migrated
    assert "    def __call__(self) -> Dict[str, Any]:\n" in migrated
    compile(migrated, "<migrated>", "exec")

    builtin_style = typing_style.replace(
        ") -> Tuple[SettingsSourceCallable, ...]:", ") -> tuple[SettingsSourceCallable, ...]:"
    )
    migrated = migrate_source(builtin_style)
    assert "        settings_cls: type[BaseSettings],\n" in migrated
    assert "field_name: str) -> tuple[Any, str, bool]:\n" in migrated
    assert "    def __call__(self) -> dict[str, Any]:\n" in migrated
    assert "Type" not in migrated.replace("PydanticBaseSettingsSource", "")
