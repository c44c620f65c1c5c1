"""Server settings: a validated pydantic model read from the client.

Settings arrive as ``initializationOptions`` and with ``workspace/didChangeConfiguration``
(or are pulled with ``workspace/configuration``), either bare or under the section
``fastapiArchitect``. Keys are camelCase on the wire. An invalid value never stops the
server: the caller shows one warning and keeps the defaults.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

SECTION = "fastapiArchitect"
"""The configuration section clients put our settings under."""

CLIENT_ONLY_KEYS = frozenset({"server", "interpreter", "trace"})
"""Keys of the section that only the editor client reads (how to start the server, tracing)."""


class _SettingsModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )


RuleLevel = Literal["error", "warning", "information", "hint", "off"]
"""What ``diagnostics.rules`` may set a code to."""


class DiagnosticsSettings(_SettingsModel):
    """Every feature's diagnostics."""

    enabled: bool = True
    debounce_ms: int = Field(default=250, ge=0, le=10_000)
    rules: dict[str, RuleLevel] = Field(
        default={},  # a literal (Pydantic copies it per instance): the JSON schema shows it
        description="A diagnostic code (FA1xx, PYD0xx) → its severity, or 'off'.",
    )

    @field_validator("rules")
    @classmethod
    def _known_codes(cls, value: dict[str, RuleLevel]) -> dict[str, RuleLevel]:
        from fastapi_architect.layers.codes import CODES as LAYER_CODES
        from fastapi_architect.pydantic_v2.findings import CODES

        known = (*LAYER_CODES, *CODES)
        unknown = sorted(code for code in value if code not in known)
        if unknown:
            raise ValueError(
                f"unknown diagnostic code {', '.join(map(repr, unknown))} "
                f"(known: {', '.join(known)})"
            )
        return value


class ExtractSettings(_SettingsModel):
    """The extract-to-service refactoring."""

    service_module: str = Field(
        default="auto",
        description=(
            "How the target service module is named: 'auto' follows the project's convention "
            "(services/<singular>_service.py when existing services end in _service or there "
            "are none yet, else services/<name>.py); otherwise a pattern such as "
            "'{singular}_service' or '{name}', where {name} is the endpoint module's stem and "
            "{singular} its singular form."
        ),
    )

    @field_validator("service_module")
    @classmethod
    def _valid_pattern(cls, value: str) -> str:
        from fastapi_architect.extract.layout import LayoutError, validate_pattern

        try:
            return validate_pattern(value)
        except LayoutError as error:
            raise ValueError(str(error)) from error


class CompletionSettings(_SettingsModel):
    """Depends snippets offered as completions."""

    enabled: bool = True
    definitions: bool = Field(
        default=True,
        description=(
            "Offer the module-level definition snippets (get_db, SessionDep, lifespan, …). "
            "Editors that already load snippets/ themselves — the VS Code extension — turn "
            "this off so they are not listed twice; parameter completions stay on."
        ),
    )


class AnalysisSettings(_SettingsModel):
    """Limits that keep the server responsive."""

    max_file_bytes: int = Field(default=5_000_000, ge=1_000)


class ServerSettings(_SettingsModel):
    """Everything a user can configure."""

    log_level: Literal["error", "warning", "info", "debug"] = "info"
    diagnostics: DiagnosticsSettings = DiagnosticsSettings()
    extract: ExtractSettings = ExtractSettings()
    completion: CompletionSettings = CompletionSettings()
    analysis: AnalysisSettings = AnalysisSettings()


class SettingsError(Exception):
    """Settings could not be validated; the message names every bad key."""


def parse_settings(raw: Any) -> ServerSettings:
    """Validate raw settings from the client (``None`` or ``{}`` give the defaults)."""
    if raw is None:
        return ServerSettings()
    if not isinstance(raw, dict):
        raise SettingsError(f"settings must be an object, got {type(raw).__name__}")
    if SECTION in raw:
        raw = raw[SECTION]
        if raw is None:
            return ServerSettings()
        if not isinstance(raw, dict):
            raise SettingsError(f"{SECTION} must be an object, got {type(raw).__name__}")
    raw = {key: value for key, value in raw.items() if key not in CLIENT_ONLY_KEYS}
    try:
        return ServerSettings.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or '(root)'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise SettingsError(problems) from error
