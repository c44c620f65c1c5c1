"""Code action dispatcher: asks every feature, filters by ``context.only``, routes resolve.

Features return lazy actions (``data`` without ``edit``). This module resolves them eagerly
for clients without ``codeAction.resolveSupport``, and drops ``disabled`` actions for clients
that cannot show them, so no feature repeats those fallbacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from fastapi_architect.lsp.guard import (
    UserFacingError,
    quiet_refusal_tracebacks,
    report_internal_error,
    run_guarded,
)

if TYPE_CHECKING:
    from fastapi_architect.lsp.dispatch_host import DispatchHost
    from fastapi_architect.lsp.features.base import Feature

FEATURE_KEY = "feature"
"""Key in ``CodeAction.data`` naming the feature that resolves the action."""


def kind_matches(kind: str | None, only: Sequence[str] | None) -> bool:
    """True when ``kind`` is one of ``only`` or a sub-kind of one (``a.b`` matches ``a``)."""
    if not only:
        return True
    if kind is None:
        return False
    return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


def advertised_kinds(features: Sequence[Feature]) -> list[str]:
    """Every code action kind the features can return, without duplicates, in order."""
    kinds: list[str] = []
    for feature in features:
        for kind in feature.code_action_kinds:
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def _feature_named(server: DispatchHost, name: Any) -> Feature | None:
    return next((f for f in server.features if f.name == name), None)


def resolve(server: DispatchHost, action: types.CodeAction) -> types.CodeAction:
    """Let the owning feature fill in ``action.edit``.

    An action whose ``data`` is not one of ours, or that its feature refuses
    (``UserFacingError``), raises ``JsonRpcInvalidParams`` with the reason; an unexpected
    failure is logged with its traceback and the action comes back unchanged.
    """
    if action.edit is not None:
        return action
    data = action.data
    if not isinstance(data, dict) or not isinstance(data.get(FEATURE_KEY), str):
        raise JsonRpcInvalidParams(
            "codeAction/resolve: 'data' is not a FastAPI Architect code action "
            f"(expected an object with {FEATURE_KEY!r})"
        )
    feature = _feature_named(server, data[FEATURE_KEY])
    if feature is None:
        raise JsonRpcInvalidParams(
            f"codeAction/resolve: no feature named {data[FEATURE_KEY]!r} resolves code actions"
        )
    try:
        return feature.resolve_code_action(server, action)
    except UserFacingError as error:
        raise JsonRpcInvalidParams(f"cannot resolve {action.title!r}: {error}") from error
    except Exception as error:
        report_internal_error(server, f"resolving code action {action.title!r}", error)
        return action


def _resolve_eagerly(server: DispatchHost, action: types.CodeAction) -> types.CodeAction:
    """``resolve`` for clients that cannot resolve: a refusal leaves the action as it is."""
    if action.data is None:  # complete already (an edit or a command)
        return action
    try:
        return resolve(server, action)
    except JsonRpcInvalidParams as error:
        server.log(f"{error.message}", types.MessageType.Warning)
        return action


def collect(server: DispatchHost, params: types.CodeActionParams) -> list[types.CodeAction]:
    """Every feature's code actions for ``params``, ready for this client."""
    document = server.documents.get(params.text_document.uri)
    if document is None or not document.analysable:
        return []
    only = params.context.only
    actions: list[types.CodeAction] = []
    for feature in server.features:
        if only and not any(kind_matches(kind, only) for kind in feature.code_action_kinds):
            continue
        found: Sequence[types.CodeAction] = run_guarded(
            server,
            f"{feature.name} code actions",
            (),
            feature.code_actions,
            server,
            document,
            params,
        )
        for action in found:
            if not kind_matches(action.kind, only):
                continue
            if action.disabled is not None and not server.support.code_action_disabled:
                continue
            if isinstance(action.data, dict):
                action.data.setdefault(FEATURE_KEY, feature.name)
            actions.append(action)
    if not server.support.code_action_resolve_edit:
        actions = [
            _resolve_eagerly(server, action) if action.disabled is None else action
            for action in actions
        ]
    return actions


def register(server: DispatchHost) -> None:
    """Register ``textDocument/codeAction`` and ``codeAction/resolve``."""
    quiet_refusal_tracebacks()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=advertised_kinds(server.features), resolve_provider=True
        ),
    )
    def code_action(
        ls: DispatchHost, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        actions: list[types.CodeAction] = run_guarded(
            ls, "textDocument/codeAction", [], collect, ls, params
        )
        return actions or None

    @server.feature(types.CODE_ACTION_RESOLVE)
    def code_action_resolve(ls: DispatchHost, action: types.CodeAction) -> types.CodeAction:
        return resolve(ls, action)
