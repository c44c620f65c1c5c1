"""One parse per document version: the engine reuses the document store's ``ast`` tree."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.pydantic_v2.test_engine_findings import SOURCE

from fastapi_architect.lsp.documents import AnalysedDocument
from fastapi_architect.lsp.features.pydantic_v2 import _fix_edits, document_findings
from fastapi_architect.pydantic_v2 import engine, find_findings, fix_edits


def _counting_parse(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real: Callable[..., Any] = ast.parse

    def parse(source: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", parse)
    return parsed


def test_a_document_version_is_parsed_once_for_its_findings_syntax_check_and_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = SOURCE + "# a text no other test parses: shared tree\n"
    document = AnalysedDocument("file:///app/models.py", 3, text, Path("/app/models.py"))
    parsed = _counting_parse(monkeypatch)

    findings = document_findings(document)
    assert document.syntax_error() is None  # what the extract feature asks first
    edits = _fix_edits(document, None)

    assert findings and edits
    assert parsed.count(text) == 1  # the fix also parses small snippets of its own


def test_findings_and_edits_from_a_given_tree_equal_those_from_the_text() -> None:
    text = SOURCE + "# a text no other test parses: given tree\n"
    engine._load.cache_clear()
    from_text = (find_findings(text), fix_edits(text))
    engine._load.cache_clear()
    tree = ast.parse(text)
    from_tree = (find_findings(text, tree=tree), fix_edits(text, tree=tree))
    engine._load.cache_clear()

    assert from_tree == from_text
    assert from_text[0] and from_text[1]


def test_a_document_that_does_not_parse_has_no_findings_and_is_parsed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "from pydantic import BaseModel, validator\n\nclass M(BaseModel:\n    x: int\n"
    document = AnalysedDocument("file:///app/broken.py", 1, text, None)
    parsed = _counting_parse(monkeypatch)

    assert document_findings(document) == ()
    assert document.syntax_error() is not None
    assert parsed.count(text) == 1
