"""isort sections, as the engines that add imports classify modules."""

from __future__ import annotations

import pytest

from fastapi_architect.import_sections import (
    FIRST_PARTY,
    FUTURE,
    LOCAL,
    STDLIB,
    THIRD_PARTY,
    import_section,
)


@pytest.mark.parametrize(
    ("module", "section"),
    [
        ("__future__", FUTURE),
        ("typing", STDLIB),
        ("collections.abc", STDLIB),
        ("fastapi", THIRD_PARTY),
        ("sqlalchemy.orm", THIRD_PARTY),
        ("app.api.deps", FIRST_PARTY),
        (".schemas", LOCAL),
    ],
)
def test_modules_fall_into_isorts_sections(module: str, section: int) -> None:
    assert import_section(module, first_party={"app"}) == section


def test_without_first_party_knowledge_the_project_counts_as_third_party() -> None:
    assert import_section("app.api.deps") == THIRD_PARTY
