"""The per-version document cache that every feature shares."""

from __future__ import annotations

from pathlib import Path

from fastapi_architect.lsp.documents import DocumentSource, DocumentStore


class FakeSources:
    def __init__(self) -> None:
        self.texts: dict[str, tuple[int | None, str]] = {}
        self.skips: list[tuple[str, str]] = []

    def read(self, uri: str) -> DocumentSource:
        if uri not in self.texts:
            raise FileNotFoundError(uri)
        version, text = self.texts[uri]
        return DocumentSource(uri, version, text, Path("/x.py"))

    def store(self, max_bytes: int = 5_000_000) -> DocumentStore:
        return DocumentStore(self.read, lambda: max_bytes, lambda u, r: self.skips.append((u, r)))


def test_one_parse_per_version_shared_by_every_caller() -> None:
    sources = FakeSources()
    sources.texts["a"] = (1, "x = 1\n")
    store = sources.store()
    first = store.get("a")
    assert first is not None
    assert first.python_ast() is first.python_ast()
    assert store.get("a") is first
    sources.texts["a"] = (2, "x = 2\n")
    second = store.get("a")
    assert second is not None and second is not first and second.version == 2


def test_memo_computes_once_per_version() -> None:
    sources = FakeSources()
    sources.texts["a"] = (1, "x = 1\n")
    store = sources.store()
    calls: list[int] = []
    document = store.get("a")
    assert document is not None
    for _ in range(3):
        document.memo("count", lambda d: calls.append(1) or len(calls))
    assert calls == [1]


def test_files_from_disk_are_recached_when_their_text_changes() -> None:
    sources = FakeSources()
    sources.texts["a"] = (None, "x = 1\n")
    store = sources.store()
    first = store.get("a")
    assert store.get("a") is first
    sources.texts["a"] = (None, "x = 2\n")
    assert store.get("a") is not first


def test_syntax_errors_give_no_tree_and_keep_the_error() -> None:
    sources = FakeSources()
    sources.texts["a"] = (1, "def f(:\n")
    document = sources.store().get("a")
    assert document is not None
    assert document.python_ast() is None
    assert document.cst_module() is None
    error = document.syntax_error()
    assert error is not None and error.lineno == 1


def test_null_bytes_and_huge_texts_are_skipped_and_reported_once() -> None:
    sources = FakeSources()
    sources.texts["bin"] = (1, "x\x00y")
    sources.texts["big"] = (1, "x" * 2_000)
    store = sources.store(max_bytes=1_000)
    for _ in range(3):
        binary = store.get("bin")
        big = store.get("big")
    assert binary is not None and not binary.analysable
    assert big is not None and not big.analysable
    assert [uri for uri, _ in sources.skips] == ["bin", "big"]


def test_multibyte_text_is_measured_in_utf8_bytes() -> None:
    sources = FakeSources()
    sources.texts["a"] = (1, "é" * 600)  # 600 characters, 1,200 bytes
    document = sources.store(max_bytes=1_000).get("a")
    assert document is not None and not document.analysable


def test_unreadable_documents_are_none() -> None:
    assert FakeSources().store().get("missing") is None


def test_forget_drops_the_snapshot_and_allows_a_new_skip_report() -> None:
    sources = FakeSources()
    sources.texts["bin"] = (1, "\x00")
    store = sources.store()
    store.get("bin")
    store.forget("bin")
    store.get("bin")
    assert len(sources.skips) == 2
