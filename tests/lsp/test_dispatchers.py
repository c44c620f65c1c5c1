"""The per-method dispatchers with fake features, in process: merging, filtering, fallbacks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from fastapi_architect.lsp import code_actions, completion, diagnostics
from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.documents import AnalysedDocument, DocumentSource, DocumentStore
from fastapi_architect.lsp.features.base import Feature
from fastapi_architect.lsp.host import FeatureHost
from fastapi_architect.lsp.server import ArchitectServer
from fastapi_architect.lsp.setup import create_language_server

URI = "file:///project/app/main.py"
TEXT = "x = 1\n"
EDIT = types.WorkspaceEdit(
    changes={
        URI: [
            types.TextEdit(
                range=types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=0, character=1),
                ),
                new_text="y",
            )
        ]
    }
)


class LazyQuickFix(Feature):
    name: ClassVar[str] = "lazy"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.QuickFix,)

    def code_actions(
        self, server: FeatureHost, document: AnalysedDocument, params: types.CodeActionParams
    ) -> Sequence[types.CodeAction]:
        return [types.CodeAction(title="Fix it", kind=types.CodeActionKind.QuickFix, data={"n": 1})]

    def resolve_code_action(
        self, server: FeatureHost, action: types.CodeAction
    ) -> types.CodeAction:
        action.edit = EDIT
        return action


class DisabledRefactor(Feature):
    name: ClassVar[str] = "disabled"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.RefactorExtract,)

    def code_actions(
        self, server: FeatureHost, document: AnalysedDocument, params: types.CodeActionParams
    ) -> Sequence[types.CodeAction]:
        return [
            types.CodeAction(
                title="Extract",
                kind=types.CodeActionKind.RefactorExtract,
                disabled=types.CodeActionDisabled(reason="not inside an endpoint"),
            )
        ]


class Broken(Feature):
    name: ClassVar[str] = "broken"
    code_action_kinds: ClassVar[Sequence[str]] = (types.CodeActionKind.QuickFix,)

    def code_actions(self, *args: Any) -> Sequence[types.CodeAction]:
        raise RuntimeError("boom")

    def diagnostics(self, *args: Any) -> Sequence[types.Diagnostic]:
        raise RuntimeError("boom")

    def completions(self, *args: Any) -> Sequence[types.CompletionItem]:
        raise RuntimeError("boom")


class OneDiagnostic(Feature):
    name: ClassVar[str] = "one"

    def diagnostics(
        self, server: FeatureHost, document: AnalysedDocument
    ) -> Sequence[types.Diagnostic]:
        return [
            types.Diagnostic(
                range=types.Range(
                    start=types.Position(line=0, character=0),
                    end=types.Position(line=0, character=1),
                ),
                message="found",
            )
        ]

    def completions(
        self, server: FeatureHost, document: AnalysedDocument, params: types.CompletionParams
    ) -> Sequence[types.CompletionItem]:
        return [types.CompletionItem(label="session: SessionDep")]


def make_server(support: ClientSupport, *features: Feature) -> tuple[ArchitectServer, list[str]]:
    server = create_language_server(list(features))
    server.support = support
    server.documents = DocumentStore(
        read_source=lambda uri: DocumentSource(uri, 1, TEXT, Path("/project/app/main.py")),
        max_bytes=lambda: 5_000_000,
        on_skip=lambda uri, reason: None,
    )
    logged: list[str] = []
    server.window_log_message = lambda params: logged.append(params.message)  # type: ignore[method-assign]
    return server, logged


def params(only: list[str] | None = None) -> types.CodeActionParams:
    position = types.Position(line=0, character=0)
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        range=types.Range(start=position, end=position),
        context=types.CodeActionContext(diagnostics=[], only=only),
    )


def test_clients_that_resolve_get_lazy_actions_tagged_with_their_feature() -> None:
    server, _ = make_server(ClientSupport(code_action_resolve_edit=True), LazyQuickFix())
    [action] = code_actions.collect(server, params())
    assert action.edit is None
    assert action.data == {"n": 1, "feature": "lazy"}
    assert code_actions.resolve(server, action).edit == EDIT


def test_clients_that_cannot_resolve_get_the_edit_at_once() -> None:
    server, _ = make_server(ClientSupport(code_action_resolve_edit=False), LazyQuickFix())
    [action] = code_actions.collect(server, params())
    assert action.edit == EDIT


def test_context_only_filters_by_kind_prefix() -> None:
    server, _ = make_server(
        ClientSupport(code_action_disabled=True), LazyQuickFix(), DisabledRefactor()
    )
    assert [a.title for a in code_actions.collect(server, params(["refactor"]))] == ["Extract"]
    assert [a.title for a in code_actions.collect(server, params(["quickfix"]))] == ["Fix it"]
    assert code_actions.collect(server, params(["source.fixAll"])) == []


def test_disabled_actions_only_reach_clients_that_show_them() -> None:
    feature = DisabledRefactor()
    shown, _ = make_server(ClientSupport(code_action_disabled=True), feature)
    hidden, _ = make_server(ClientSupport(code_action_disabled=False), feature)
    assert [a.disabled for a in code_actions.collect(shown, params())] == [
        types.CodeActionDisabled(reason="not inside an endpoint")
    ]
    assert code_actions.collect(hidden, params()) == []


def test_a_failing_feature_is_logged_and_the_others_still_answer() -> None:
    server, logged = make_server(ClientSupport(), Broken(), LazyQuickFix(), OneDiagnostic())
    assert [a.title for a in code_actions.collect(server, params())] == ["Fix it"]
    result = diagnostics.collect(server, URI)
    assert result is not None
    assert [d.message for d in result[1]] == ["found"]
    items = completion.collect(
        server,
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=0, character=0),
        ),
    )
    assert [i.label for i in items] == ["session: SessionDep"]
    assert len(logged) == 3
    assert all("boom" in message for message in logged)


def test_resolving_an_action_that_is_not_ours_is_invalid_params() -> None:
    server, logged = make_server(ClientSupport(code_action_resolve_edit=True), LazyQuickFix())
    with pytest.raises(JsonRpcInvalidParams, match="no feature named 'gone'"):
        code_actions.resolve(server, types.CodeAction(title="old", data={"feature": "gone"}))
    with pytest.raises(JsonRpcInvalidParams, match="not a FastAPI Architect code action"):
        code_actions.resolve(server, types.CodeAction(title="no data"))
    complete = types.CodeAction(title="done", edit=types.WorkspaceEdit(changes={}))
    assert code_actions.resolve(server, complete) is complete
    assert logged == []


def test_advertised_kinds_are_the_union_without_duplicates() -> None:
    assert code_actions.advertised_kinds([LazyQuickFix(), DisabledRefactor(), LazyQuickFix()]) == [
        types.CodeActionKind.QuickFix,
        types.CodeActionKind.RefactorExtract,
    ]


@pytest.mark.parametrize(
    ("kind", "only", "matches"),
    [
        ("source.fixAll.fastapi-architect", ["source.fixAll"], True),
        ("source.fixAll.fastapi-architect", ["source"], True),
        ("source.fixAllX", ["source.fixAll"], False),
        ("quickfix", None, True),
        (None, ["quickfix"], False),
    ],
)
def test_kind_matching_follows_the_lsp_hierarchy(
    kind: str | None, only: list[str] | None, matches: bool
) -> None:
    assert code_actions.kind_matches(kind, only) is matches
