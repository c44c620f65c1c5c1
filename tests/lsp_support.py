"""Shared helpers for tests that drive the real server over stdio with pytest-lsp.

``make_client`` builds pytest-lsp's client plus a ``workspace/applyEdit`` handler (pytest-lsp
has none) that records every edit and applies it to disk the way an editor would, so tests
can assert on the resulting files.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Union

from lsprotocol import types
from pygls.protocol import default_converter
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

CLIENT_SPECS = {
    "vscode": "visual-studio-code",
    "neovim": "neovim",
    "emacs": "emacs",
}
"""The capability sets every LSP feature is tested against (pytest-lsp ships them)."""

SERVER_COMMAND = [sys.executable, "-m", "fastapi_architect", "serve"]


def capabilities(name: str) -> types.ClientCapabilities:
    """The client capabilities for one of ``CLIENT_SPECS``' keys."""
    return client_capabilities(CLIENT_SPECS[name])


def uri_of(path: Path) -> str:
    """The file URI of ``path``."""
    uri = from_fs_path(str(path))
    assert uri is not None
    return uri


def code_units(char: str, encoding: str) -> int:
    """Code units of ``char`` in an LSP position encoding."""
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return len(char.encode("utf-8"))
    return 2 if ord(char) >= 0x10000 else 1


def lsp_offset(text: str, position: types.Position, encoding: str = "utf-16") -> int:
    """Offset in ``text`` of an LSP position counted in ``encoding`` (an editor's view)."""
    lines = text.splitlines(keepends=True)
    offset = sum(len(line) for line in lines[: position.line])
    if position.line >= len(lines):
        return len(text)
    line = lines[position.line]
    units = 0
    for index, char in enumerate(line):
        if units >= position.character or char in "\r\n":
            return offset + index
        units += code_units(char, encoding)
    return offset + len(line)


def lsp_position(text: str, offset: int, encoding: str = "utf-16") -> types.Position:
    """The LSP position, counted in ``encoding``, of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return types.Position(
        line=line, character=sum(code_units(char, encoding) for char in text[line_start:offset])
    )


def apply_text_edits(text: str, edits: list[Any], encoding: str = "utf-16") -> str:
    """Apply LSP text edits, whose positions count in ``encoding``, to ``text``."""
    spans = sorted(
        (
            (
                lsp_offset(text, e.range.start, encoding),
                lsp_offset(text, e.range.end, encoding),
                e.new_text,
            )
            for e in edits
        ),
        key=lambda span: (span[0], span[1]),
        reverse=True,
    )
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


class EditorState:
    """What the fake editor did with the server's ``workspace/applyEdit`` requests."""

    def __init__(self) -> None:
        self.encoding = "utf-16"
        """The negotiated position encoding (the ``client`` fixture sets it after initialize)."""
        self.applied: list[types.WorkspaceEdit] = []
        self.labels: list[str | None] = []
        """The label of each ``workspace/applyEdit`` request (shown in the editor's undo)."""
        self.buffers: dict[str, str] = {}
        """Open documents' texts as the editor holds them (updated by applied edits)."""

    def reset(self) -> None:
        """Forget the buffers and edits of the previous test (the encoding stays)."""
        self.applied.clear()
        self.labels.clear()
        self.buffers.clear()

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply ``edit`` to open buffers and to files on disk."""
        self.applied.append(edit)
        for change in edit.document_changes or []:
            if isinstance(change, types.CreateFile):
                path = Path(to_fs_path(change.uri) or "")
                options = change.options or types.CreateFileOptions()
                if path.exists() and not (options.overwrite or options.ignore_if_exists):
                    raise FileExistsError(path)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            elif isinstance(change, types.TextDocumentEdit):
                self._edit(change.text_document.uri, list(change.edits))
            else:
                raise NotImplementedError(type(change).__name__)
        for uri, edits in (edit.changes or {}).items():
            self._edit(uri, list(edits))

    def _edit(self, uri: str, edits: list[Any]) -> None:
        if uri in self.buffers:
            self.buffers[uri] = apply_text_edits(self.buffers[uri], edits, self.encoding)
            return
        path = Path(to_fs_path(uri) or "")
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(apply_text_edits(text, edits, self.encoding), encoding="utf-8")


def make_client() -> LanguageClient:
    """pytest-lsp's client, able to answer ``workspace/applyEdit``.

    It also records the document version of every ``publishDiagnostics`` notification
    (see ``published_version``), which pytest-lsp's own handler drops.
    """
    client = LanguageClient(converter_factory=default_converter)
    register_lsp_features(
        client,
        {
            method: handler
            for method, handler in DEFAULT_CLIENT_FEATURES.items()
            if method != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
        },
    )
    state = EditorState()
    client.editor = state  # type: ignore[attr-defined]
    client.published_versions = {}  # type: ignore[attr-defined]
    client.publications = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish_diagnostics(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        ls.diagnostics[params.uri] = params.diagnostics
        ls.published_versions[params.uri] = params.version  # type: ignore[attr-defined]
        ls.publications.append(params)  # type: ignore[attr-defined]

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(ls: LanguageClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)  # type: ignore[attr-defined]

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(
        ls: LanguageClient, params: types.ApplyWorkspaceEditParams
    ) -> types.ApplyWorkspaceEditResult:
        state.labels.append(params.label)
        try:
            state.apply(params.edit)
        except Exception as error:
            return types.ApplyWorkspaceEditResult(applied=False, failure_reason=repr(error))
        return types.ApplyWorkspaceEditResult(applied=True)

    return client


def published_version(client: LanguageClient, uri: str) -> int | None:
    """The document version the last diagnostics published for ``uri`` were computed on."""
    version: int | None = client.published_versions.get(uri)  # type: ignore[attr-defined]
    return version


async def wait_for_diagnostics(
    client: LanguageClient, uri: str, version: int | None, timeout: float = 10.0
) -> list[types.Diagnostic]:
    """Wait until diagnostics for ``uri`` at ``version`` arrive and return them."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        if uri in client.diagnostics and published_version(client, uri) == version:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} at version {version} within {timeout}s")


def editor(client: LanguageClient) -> EditorState:
    """The fake editor state attached by ``make_client``."""
    state: EditorState = client.editor  # type: ignore[attr-defined]
    return state


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    """Send ``didOpen`` for ``path`` with ``text`` and track the buffer; returns its URI."""
    uri = uri_of(path)
    editor(client).buffers[uri] = text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )
    return uri


def initialize_result(client: LanguageClient) -> types.InitializeResult:
    """The server's answer to the ``client`` fixture's ``initialize`` request."""
    result: types.InitializeResult = client.initialize_result  # type: ignore[attr-defined]
    return result


def initialize_params(
    name: str, root: Path, initialization_options: Any = None
) -> types.InitializeParams:
    """``initialize`` parameters for capability set ``name`` with ``root`` as the workspace."""
    return types.InitializeParams(
        capabilities=capabilities(name),
        root_uri=uri_of(root),
        workspace_folders=[types.WorkspaceFolder(uri=uri_of(root), name=root.name)],
        initialization_options=initialization_options,
    )


def structure_code_actions_properly(client: LanguageClient) -> None:
    """Work around lsprotocol 2025.0.0 reading any ``CodeAction`` with a ``command`` as a
    ``Command`` (it only checks that the key exists): tell the two apart by the type of
    ``command``. Real editors are not affected."""
    converter = client.protocol._converter

    def hook(value: Any, _: type) -> types.Command | types.CodeAction:
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    converter.register_structure_hook(types.Command | types.CodeAction, hook)
    converter.register_structure_hook(Union[types.Command, types.CodeAction], hook)  # noqa: UP007


async def run_command(client: LanguageClient, command: types.Command) -> Any:
    """Execute ``command`` as the editor does when the user picks an action carrying it."""
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command.command, arguments=command.arguments)
    )
