"""addResource without ``projectRoot``: the search goes past folders it cannot read."""

from __future__ import annotations

from pathlib import Path

from fastapi_architect.lsp.features.scaffold import find_project_roots
from fastapi_architect.project_files import DiskFiles


class LockedFolders(DiskFiles):
    """The disk, except that listing some folders fails as ``chmod 000`` does for a normal
    user (root bypasses permission bits, and the tests run as root)."""

    def __init__(self, *locked: Path) -> None:
        super().__init__()
        self.locked = set(locked)

    def iterdir(self, path: Path) -> list[Path]:
        if path in self.locked:
            raise PermissionError(13, "Permission denied", str(path))
        return super().iterdir(path)


def project(folder: Path) -> Path:
    router = folder / "app/api/v1/router.py"
    router.parent.mkdir(parents=True)
    router.write_text("api_router = None\n", encoding="utf-8")
    return folder


def test_an_unreadable_workspace_folder_is_reported_and_the_others_searched(
    tmp_path: Path,
) -> None:
    locked, readable = tmp_path / "locked", tmp_path / "readable"
    locked.mkdir()
    shop = project(readable / "shop")

    found, unreadable = find_project_roots([locked, readable], LockedFolders(locked))

    assert found == [shop]
    assert unreadable == [(locked, "Permission denied")]


def test_virtualenvs_and_caches_are_not_taken_for_projects(tmp_path: Path) -> None:
    project(tmp_path / ".venv")
    shop = project(tmp_path / "shop")
    found, unreadable = find_project_roots([tmp_path], DiskFiles())
    assert (found, unreadable) == ([shop], [])
