"""``diagnostics.rules``: validated settings, applied to every feature's diagnostics."""

from __future__ import annotations

import pytest
from lsprotocol import types

from fastapi_architect.lsp.diagnostics import apply_rule_levels
from fastapi_architect.lsp.settings import SettingsError, parse_settings


def _diagnostic(code: str) -> types.Diagnostic:
    return types.Diagnostic(
        range=types.Range(types.Position(0, 0), types.Position(0, 1)),
        message=code,
        severity=types.DiagnosticSeverity.Information,
        code=code,
        source="fastapi-architect",
    )


def test_rules_accept_every_fa_and_pyd_code_and_level() -> None:
    settings = parse_settings(
        {"fastapiArchitect": {"diagnostics": {"rules": {"FA101": "off", "PYD001": "hint"}}}}
    )
    assert settings.diagnostics.rules == {"FA101": "off", "PYD001": "hint"}
    assert parse_settings(None).diagnostics.rules == {}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"FA199": "error"}, "unknown diagnostic code 'FA199'"),
        ({"fa103": "error"}, "unknown diagnostic code 'fa103'"),
        ({"FA103": "loud"}, "diagnostics.rules.FA103"),
        (["FA103"], "diagnostics.rules"),
    ],
)
def test_bad_rules_are_refused_naming_the_key(rules: object, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        parse_settings({"diagnostics": {"rules": rules}})


def test_levels_set_severity_drop_off_codes_and_leave_the_originals_alone() -> None:
    found = [_diagnostic("FA103"), _diagnostic("FA105"), _diagnostic("PYD001")]
    kept = apply_rule_levels(found, {"FA103": "error", "FA105": "off"})
    assert [(d.code, d.severity) for d in kept] == [
        ("FA103", types.DiagnosticSeverity.Error),
        ("PYD001", types.DiagnosticSeverity.Information),
    ]
    assert found[0].severity == types.DiagnosticSeverity.Information  # features may cache
    assert apply_rule_levels(found, {}) == found


def test_the_extension_settings_schema_accepts_exactly_the_codes_the_server_knows() -> None:
    """VS Code validates ``fastapiArchitect.diagnostics.rules`` keys against the pattern the
    extension declares: a code the server reports must never be flagged there."""
    import json
    import re
    from pathlib import Path

    from fastapi_architect.layers.codes import CODES as LAYER_CODES
    from fastapi_architect.pydantic_v2.findings import CODES

    manifest = Path(__file__).resolve().parents[2] / "client" / "package.json"
    settings = json.loads(manifest.read_text(encoding="utf-8"))["contributes"]["configuration"]
    sections = settings if isinstance(settings, list) else [settings]
    rules = next(
        s["properties"]["fastapiArchitect.diagnostics.rules"]
        for s in sections
        if "fastapiArchitect.diagnostics.rules" in s["properties"]
    )
    pattern = re.compile(rules["propertyNames"]["pattern"])
    known = {*LAYER_CODES, *CODES}
    assert sorted(code for code in known if not pattern.match(code)) == []
    candidates = {f"FA1{n:02d}" for n in range(100)} | {f"PYD0{n:02d}" for n in range(100)}
    assert sorted(code for code in candidates - known if pattern.match(code)) == []
