"""Writing change plans: inside the root only, no silent overwrite, nothing half-written."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from fastapi_architect import plan as plan_module
from fastapi_architect.plan import (
    ChangePlan,
    FileEdit,
    GeneratedFile,
    PlanError,
    read_text_exact,
    write_plan,
)
from fastapi_architect.textedit import TextEdit, TextPosition


def _create(path: str, content: str = "x = 1\n") -> GeneratedFile:
    return GeneratedFile(PurePosixPath(path), content)


def test_new_files_and_folders_are_written(tmp_path: Path) -> None:
    plan = ChangePlan("t", creates=[_create("app/main.py"), _create("app/api/v1/router.py")])
    written = write_plan(plan, tmp_path)
    assert (tmp_path / "app/main.py").read_text() == "x = 1\n"
    assert len(written) == 2


@pytest.mark.parametrize("escape", ["../outside.py", "/etc/passwd", "app/../../x.py"])
def test_paths_outside_the_root_are_refused(tmp_path: Path, escape: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    with pytest.raises(PlanError, match="outside"):
        write_plan(ChangePlan("t", creates=[_create(escape)]), root)
    assert list(root.iterdir()) == []


def test_existing_files_are_not_overwritten_unless_asked(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("keep me\n")
    plan = ChangePlan("t", creates=[_create("new.py"), _create("main.py")])
    with pytest.raises(PlanError, match="overwrite"):
        write_plan(plan, tmp_path)
    assert (tmp_path / "main.py").read_text() == "keep me\n"
    assert not (tmp_path / "new.py").exists()
    write_plan(plan, tmp_path, overwrite=True)
    assert (tmp_path / "main.py").read_text() == "x = 1\n"


def test_edits_keep_crlf_line_endings(tmp_path: Path) -> None:
    target = tmp_path / "router.py"
    target.write_bytes(b"a = 1\r\nb = 2\r\n")
    edit = TextEdit(TextPosition(1, 0), TextPosition(1, 5), "b = 3")
    write_plan(ChangePlan("t", edits=[FileEdit(PurePosixPath("router.py"), [edit])]), tmp_path)
    assert target.read_bytes() == b"a = 1\r\nb = 3\r\n"
    assert read_text_exact(target) == "a = 1\r\nb = 3\r\n"


def test_a_failed_creation_removes_the_files_and_folders_it_made(tmp_path: Path) -> None:
    # A file where a folder must go makes the second creation fail after the first succeeded.
    (tmp_path / "clash").write_text("not a folder\n")
    plan = ChangePlan("t", creates=[_create("pkg/sub/one.py"), _create("clash/two.py")])
    with pytest.raises(PlanError, match="nothing was kept"):
        write_plan(plan, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clash"]
    assert (tmp_path / "clash").read_text() == "not a folder\n"


def test_a_failed_edit_restores_edited_files_and_removes_created_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "first.py").write_text("a = 1\n")
    (tmp_path / "second.py").write_text("b = 1\n")
    real_write = plan_module.write_text_exact

    def failing_write(path: Path, text: str) -> None:
        if path.name == "second.py":
            raise OSError(28, "No space left on device")
        real_write(path, text)

    monkeypatch.setattr(plan_module, "write_text_exact", failing_write)
    change = [TextEdit(TextPosition(0, 4), TextPosition(0, 5), "2")]
    plan = ChangePlan(
        "t",
        creates=[_create("new.py")],
        edits=[
            FileEdit(PurePosixPath("first.py"), change),
            FileEdit(PurePosixPath("second.py"), change),
        ],
    )
    with pytest.raises(PlanError, match="No space left"):
        write_plan(plan, tmp_path)
    assert (tmp_path / "first.py").read_text() == "a = 1\n"
    assert (tmp_path / "second.py").read_text() == "b = 1\n"
    assert not (tmp_path / "new.py").exists()


def test_unreadable_file_to_edit_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "latin1.py").write_bytes("x = 'é'\n".encode("latin-1"))
    plan = ChangePlan(
        "t",
        edits=[
            FileEdit(
                PurePosixPath("latin1.py"),
                [TextEdit(TextPosition(0, 0), TextPosition(0, 1), "y")],
            )
        ],
    )
    with pytest.raises(PlanError, match="cannot read"):
        write_plan(plan, tmp_path)
