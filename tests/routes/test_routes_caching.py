"""What the routes feature caches between requests never hides a change, on disk or in a buffer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fastapi_architect.lsp.clientcaps import ClientSupport
from fastapi_architect.lsp.features.routes import RoutesFeature
from host_support import FakeHost, as_host
from lsp_support import uri_of

FILES = {
    "app/main.py": (
        "from fastapi import FastAPI\n"
        "from app.api import api_router\n\n"
        "app = FastAPI()\n"
        'app.include_router(api_router, prefix="/api")\n'
    ),
    "app/api.py": (
        "from fastapi import APIRouter\n"
        "from app.endpoints import items, users\n\n"
        "api_router = APIRouter()\n"
        'api_router.include_router(users.router, prefix="/things")\n'
        'api_router.include_router(items.router, prefix="/things")\n'
    ),
    "app/endpoints/users.py": (
        "from fastapi import APIRouter\n\n"
        "router = APIRouter()\n\n\n"
        '@router.get("/{thing_id}")\n'
        "def read_thing(thing_id: int) -> None: ...\n"
    ),
    "app/endpoints/items.py": (
        "from fastapi import APIRouter\n\n"
        "router = APIRouter()\n\n\n"
        '@router.get("/latest")\n'
        "def latest_thing() -> None: ...\n"
    ),
}
PAST = 1_000_000_000  # seconds since the epoch: folders older than any edit in the test


def workspace(root: Path) -> FakeHost:
    for relative, text in FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return FakeHost(root, ClientSupport())


def age_folders(root: Path) -> None:
    """Date every folder in the past, as in a workspace nobody touched for a while."""
    for folder, _, _ in os.walk(root):
        os.utime(folder, (PAST, PAST))


def titles(feature: RoutesFeature, host: FakeHost) -> list[str]:
    return sorted(symbol.name for symbol in feature.workspace_symbols(as_host(host), ""))


def codes(feature: RoutesFeature, host: FakeHost, relative: str) -> list[str]:
    document = host.documents.get(uri_of(host.root / relative))
    assert document is not None
    return [str(d.code) for d in feature.diagnostics(as_host(host), document)]


def test_a_file_changed_on_disk_without_a_notification_is_seen_on_the_next_request(
    tmp_path: Path,
) -> None:
    host, feature = workspace(tmp_path), RoutesFeature()
    age_folders(tmp_path)
    assert "GET /api/things/latest" in titles(feature, host)
    items = tmp_path / "app/endpoints/items.py"
    items.write_text(FILES["app/endpoints/items.py"].replace("/latest", "/newest"), "utf-8")
    found = titles(feature, host)
    assert "GET /api/things/newest" in found
    assert "GET /api/things/latest" not in found


def test_a_file_created_in_a_folder_without_python_files_is_seen_on_the_next_request(
    tmp_path: Path,
) -> None:
    host, feature = workspace(tmp_path), RoutesFeature()
    (tmp_path / "app/plugins/admin").mkdir(parents=True)
    age_folders(tmp_path)
    assert titles(feature, host) == ["GET /api/things/latest", "GET /api/things/{thing_id}"]
    (tmp_path / "app/plugins/admin/panel.py").write_text(
        'from fastapi import APIRouter\nrouter = APIRouter()\n@router.get("/panel")\n'
        "def panel() -> None: ...\n",
        "utf-8",
    )
    assert "GET /panel" in titles(feature, host)
    (tmp_path / "app/plugins/admin/panel.py").unlink()
    assert "GET /panel" not in titles(feature, host)


def test_an_untouched_workspace_is_not_walked_again_on_each_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, feature = workspace(tmp_path), RoutesFeature()
    age_folders(tmp_path)
    titles(feature, host)
    listed: list[object] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(path) or scandir(path))
    titles(feature, host)
    assert listed == []
    (tmp_path / "app/endpoints/orders.py").write_text("x = 1\n", "utf-8")
    titles(feature, host)
    assert listed


def test_a_recently_changed_folder_is_walked_again_on_the_next_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, feature = workspace(tmp_path), RoutesFeature()
    titles(feature, host)  # the folders were just written: their times may be too coarse
    listed: list[object] = []
    scandir = os.scandir
    monkeypatch.setattr(os, "scandir", lambda path: listed.append(path) or scandir(path))
    titles(feature, host)
    assert listed


def test_a_declaring_document_edit_updates_fa101_and_fa102_in_another_documents_diagnostics(
    tmp_path: Path,
) -> None:
    host, feature = workspace(tmp_path), RoutesFeature()
    host.open(tmp_path / "app/endpoints/users.py", FILES["app/endpoints/users.py"])
    host.open(tmp_path / "app/api.py", FILES["app/api.py"])
    assert codes(feature, host, "app/endpoints/items.py") == ["FA102"]
    assert codes(feature, host, "app/endpoints/users.py") == []

    text = FILES["app/endpoints/users.py"].replace("{thing_id}", "by-id/{thing_id}")
    host.open(tmp_path / "app/endpoints/users.py", text, version=2)  # the editor's didChange
    assert codes(feature, host, "app/endpoints/items.py") == []

    without = FILES["app/api.py"].replace(
        'api_router.include_router(items.router, prefix="/things")\n', ""
    )
    host.open(tmp_path / "app/api.py", without, version=2)
    assert codes(feature, host, "app/endpoints/items.py") == ["FA101"]
    host.open(tmp_path / "app/api.py", FILES["app/api.py"], version=3)
    host.open(tmp_path / "app/endpoints/users.py", FILES["app/endpoints/users.py"], version=3)
    assert codes(feature, host, "app/endpoints/items.py") == ["FA102"]
