"""Over stdio: un-annotated attributes of a model (PYD025, Netflix Dispatch's
``correct = bool``) are published; the quick fix annotates one with ``ClassVar`` (adding the
import) or V1's inferred type, a value the engine cannot type is published without a fix,
and fix-all converts them like ``migrate``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lsp_steps import code_actions, encoding_of, fix_all_text, open_and_wait, quick_fix_text
from lsprotocol import types
from pytest_lsp import LanguageClient

from fastapi_architect.pydantic_v2 import migrate_source

SOURCE = """from typing import List, Optional

from pydantic import BaseModel


class RecommendationMatch(BaseModel):
    correct = bool
    resource_type = "service"
    matches = Optional[List[str]]
"""


@pytest.fixture
def initialization_options() -> Any:
    """Publish diagnostics right after each change (no debounce) to keep the tests quick."""
    return {"diagnostics": {"debounceMs": 0}}


async def test_unannotated_attributes_are_published_and_fixed_one_by_one_and_by_fix_all(
    client: LanguageClient, workspace: Path, client_name: str
) -> None:
    encoding = encoding_of(client_name)
    uri, diagnostics = await open_and_wait(client, workspace, SOURCE)
    found = sorted(
        (d.range.start.line, d.data["key"])
        for d in diagnostics
        if d.code == "PYD025" and isinstance(d.data, dict)
    )
    assert found == [
        (6, "RecommendationMatch.correct:annotation"),
        (7, "RecommendationMatch.resource_type:annotation"),
        (8, "RecommendationMatch.matches:annotation"),
    ]

    by_key = {d.data["key"]: d for d in diagnostics if isinstance(d.data, dict)}
    correct = by_key["RecommendationMatch.correct:annotation"]
    assert "A non-annotated attribute was detected" in correct.message
    fix, fixed = await quick_fix_text(client, uri, SOURCE, correct, encoding)
    assert fix.title == "Annotate the attribute as V1 read it"
    assert fixed == SOURCE.replace(
        "from typing import List, Optional", "from typing import ClassVar, List, Optional"
    ).replace("correct = bool", "correct: ClassVar[type] = bool")

    kind = by_key["RecommendationMatch.resource_type:annotation"]
    _, fixed = await quick_fix_text(client, uri, SOURCE, kind, encoding)
    assert fixed == SOURCE.replace('resource_type = "service"', 'resource_type: str = "service"')

    matches = by_key["RecommendationMatch.matches:annotation"]
    assert "write `matches: Optional[List[str]]`" in matches.message
    actions = await code_actions(
        client, uri, matches.range, [matches], only=[types.CodeActionKind.QuickFix]
    )
    assert [a for a in actions if a.title == "Annotate the attribute as V1 read it"] == []

    _, fixed = await fix_all_text(client, uri, SOURCE, encoding)
    assert fixed == migrate_source(SOURCE)
    assert "correct: ClassVar[type] = bool" in fixed
    assert "    matches = Optional[List[str]]\n" in fixed
