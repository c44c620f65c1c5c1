"""The completion adapter in process: failures of the snippet file never break completion."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.documents import AnalysedDocument
from fastapi_architect.lsp.features.snippets import SnippetsFeature
from fastapi_architect.snippets import catalog
from host_support import FakeHost, as_host


def request(text: str) -> types.CompletionParams:
    lines = text.split("\n")
    return types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri="file:///x.py"),
        position=types.Position(line=len(lines) - 1, character=len(lines[-1])),
    )


def document(root: Path, text: str, name: str = "x.py") -> AnalysedDocument:
    return AnalysedDocument(uri=(root / name).as_uri(), version=None, text=text, path=root / name)


def test_a_broken_snippet_file_is_reported_once_and_completion_answers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.code-snippets"
    broken.write_text('{"x": {"prefix": "fa", "body": ["${1:unclosed"]}}', encoding="utf-8")
    monkeypatch.setattr(catalog, "snippet_file_path", lambda: broken)
    host = FakeHost(tmp_path, ClientSupport(snippets=True))
    feature = SnippetsFeature()
    for _ in range(2):
        assert feature.completions(as_host(host), document(tmp_path, "fa"), request("fa")) == ()
    assert len(host.shown) == 1 and "snippets unavailable" in host.shown[0][1]


def test_documents_read_from_disk_are_recognised_by_their_suffix(tmp_path: Path) -> None:
    server = as_host(FakeHost(tmp_path, ClientSupport(snippets=True)))
    feature = SnippetsFeature()
    python_items = feature.completions(server, document(tmp_path, "fagetdb"), request("fagetdb"))
    assert {item.label for item in python_items} == {"fagetdb", "fagetdbasync"}
    notes = document(tmp_path, "fagetdb", name="notes.md")
    assert feature.completions(server, notes, request("fagetdb")) == ()
