"""Finding the module that defines SessionDep & co. in a workspace."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from fastapi_architect.snippets.workspace_index import (
    Definition,
    WorkspaceIndex,
    is_test_path,
    module_name,
    top_level_definitions,
)

WANTED = {"SessionDep", "get_db", "User"}


def write(root: Path, relative: str, text: str = "") -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def package(root: Path, *folders: str) -> None:
    for folder in folders:
        write(root, f"{folder}/__init__.py")


def test_module_names_follow_packages_and_src_layouts(tmp_path: Path) -> None:
    package(tmp_path, "service/app", "service/app/api")
    deps = write(tmp_path, "service/app/api/deps.py")
    assert module_name(deps, tmp_path) == "app.api.deps"
    loose = write(tmp_path, "src/tools/deps.py")
    assert module_name(loose, tmp_path) == "tools.deps"
    assert module_name(write(tmp_path, "my-scripts/x.py"), tmp_path) is None


def test_only_top_level_definitions_count() -> None:
    source = (
        "from x import User\n"
        "SessionDep: TypeAlias = int\n"
        "def get_db(): ...\n"
        "def other():\n    User = 1\n"
        "'''SessionDep = in a docstring'''\n"
    )
    assert top_level_definitions(source, WANTED) == ("SessionDep", "get_db")
    assert top_level_definitions("def broken(:\n", WANTED) == ()


def test_tests_are_never_import_sources(tmp_path: Path) -> None:
    assert is_test_path(tmp_path / "tests" / "helpers.py", tmp_path)
    assert is_test_path(tmp_path / "app" / "test_deps.py", tmp_path)
    assert is_test_path(tmp_path / "conftest.py", tmp_path)
    assert not is_test_path(tmp_path / "app" / "api" / "deps.py", tmp_path)


def test_index_maps_names_to_their_defining_modules(tmp_path: Path) -> None:
    package(tmp_path, "app", "app/api", "app/db", "app/models")
    write(tmp_path, "app/api/deps.py", "SessionDep = Annotated[Session, Depends(get_db)]\n")
    write(tmp_path, "app/db/session.py", "def get_db():\n    yield None\n")
    write(tmp_path, "app/models/user.py", "class User: ...\n")
    write(tmp_path, "tests/conftest.py", "SessionDep = object()\n")
    write(tmp_path, ".venv/lib/site.py", "class User: ...\n")
    index = WorkspaceIndex([tmp_path], WANTED)
    assert index.modules() == {
        "SessionDep": "app.api.deps",
        "get_db": "app.db.session",
        "User": "app.models.user",
    }


def test_ambiguous_names_resolve_only_to_a_deps_module(tmp_path: Path) -> None:
    package(tmp_path, "app", "app/api", "app/other")
    write(tmp_path, "app/api/deps.py", "SessionDep = 1\n")
    write(tmp_path, "app/other/aliases.py", "SessionDep = 2\nUser = 1\n")
    write(tmp_path, "app/other/models.py", "User = 2\n")
    modules = WorkspaceIndex([tmp_path], WANTED).modules()
    assert modules == {"SessionDep": "app.api.deps"}


def test_a_file_changed_a_moment_ago_counts_at_the_next_lookup(tmp_path: Path) -> None:
    package(tmp_path, "app")
    deps = write(tmp_path, "app/deps.py", "SessionDep = 1\n")
    now = [0.0]
    index = WorkspaceIndex([tmp_path], WANTED, ttl=5.0, clock=lambda: now[0])
    assert index.modules() == {"SessionDep": "app.deps"}
    deps.write_text("get_db = 1\n", encoding="utf-8")
    stat = deps.stat()
    os.utime(deps, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    write(tmp_path, "app/models.py", "class User: ...\n")
    assert index.modules() == {"get_db": "app.deps", "User": "app.models"}  # ttl not over


def test_unchanged_files_are_not_read_again(tmp_path: Path) -> None:
    package(tmp_path, "app")
    write(tmp_path, "app/deps.py", "SessionDep = 1\n")
    index = WorkspaceIndex([tmp_path], WANTED)
    index.modules()
    reads: list[Path] = []
    original = index._read_definitions

    def counting(path: Path, root: Path, stat: os.stat_result) -> tuple[Definition, ...]:
        reads.append(path)
        return original(path, root, stat)

    index._read_definitions = counting  # type: ignore[method-assign]
    write(tmp_path, "app/db.py", "def get_db(): ...\n")
    assert index.modules() == {"SessionDep": "app.deps", "get_db": "app.db"}
    assert reads == [tmp_path / "app" / "db.py"]


def test_a_stale_index_in_a_large_workspace_waits_for_its_refresh(tmp_path: Path) -> None:
    package(tmp_path, "app")
    write(tmp_path, "app/deps.py", "SessionDep = 1\n")
    now = [0.0]
    index = WorkspaceIndex([tmp_path], WANTED, ttl=5.0, clock=lambda: now[0], sync_walk_budget=0.0)
    index.modules()
    write(tmp_path, "app/db.py", "def get_db(): ...\n")
    assert index.modules() == {"SessionDep": "app.deps"}  # walks are "slow": ttl applies
    now[0] = 10.0
    assert index.modules() == {"SessionDep": "app.deps", "get_db": "app.db"}


def test_a_refresh_slower_than_the_wait_answers_the_last_walk_then_catches_up(
    tmp_path: Path,
) -> None:
    package(tmp_path, "app")
    write(tmp_path, "app/deps.py", "SessionDep = 1\n")
    now = [0.0]
    index = WorkspaceIndex(
        [tmp_path], WANTED, clock=lambda: now[0], sync_walk_budget=0.0, refresh_wait=0.0
    )
    index.modules()
    write(tmp_path, "app/db.py", "def get_db(): ...\n")
    release = threading.Event()
    original = index.refresh

    def slow_refresh() -> dict[str, str]:
        release.wait(10)
        return original()

    index.refresh = slow_refresh  # type: ignore[method-assign]
    now[0] = 10.0
    assert index.modules() == {"SessionDep": "app.deps"}
    release.set()
    thread = index._refreshing
    assert thread is not None
    thread.join(timeout=10)
    assert index.modules() == {"SessionDep": "app.deps", "get_db": "app.db"}


def test_open_buffers_win_over_the_disk(tmp_path: Path) -> None:
    package(tmp_path, "app")
    deps = write(tmp_path, "app/deps.py", "SessionDep = 1\n")
    index = WorkspaceIndex([tmp_path], WANTED)
    assert index.modules() == {"SessionDep": "app.deps"}
    unsaved = tmp_path / "app" / "db.py"  # never written to disk
    assert index.modules({unsaved: "def get_db(): ...\n"}) == {
        "SessionDep": "app.deps",
        "get_db": "app.db",
    }
    assert index.modules({deps: "User = 1\n"}) == {"User": "app.deps"}
    half_typed = "SessionDep = 1\ndef get_db(:\n"
    assert index.modules({deps: half_typed}) == {"SessionDep": "app.deps"}
    assert index.modules({tmp_path / "tests" / "test_x.py": "get_db = 1\n"}) == {
        "SessionDep": "app.deps"
    }
    assert index.modules() == {"SessionDep": "app.deps"}


def test_buffers_under_a_symlinked_root_replace_their_file(tmp_path: Path) -> None:
    real = tmp_path / "real"
    package(real, "app")
    write(real, "app/deps.py", "SessionDep = 1\n")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    index = WorkspaceIndex([link], WANTED)
    resolved = (link / "app" / "deps.py").resolve()
    assert index.modules({resolved: "get_db = 1\n"}) == {"get_db": "app.deps"}


def test_first_lookup_in_a_slow_workspace_answers_empty_then_catches_up(tmp_path: Path) -> None:
    package(tmp_path, "app")
    write(tmp_path, "app/deps.py", "SessionDep = 1\n")
    index = WorkspaceIndex([tmp_path], WANTED, first_build_wait=0.0)
    release = threading.Event()
    original = index.refresh

    def slow_refresh() -> dict[str, str]:
        release.wait(10)
        return original()

    index.refresh = slow_refresh  # type: ignore[method-assign]
    assert index.modules() == {}
    release.set()
    thread = index._refreshing
    assert thread is not None
    thread.join(timeout=10)
    assert index.modules() == {"SessionDep": "app.deps"}
