"""The project's target Python: ruff's ``target-version``, else ``requires-python``."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastapi_architect.imports import load_style


def _target(tmp_path: Path, pyproject: str | None, ruff_toml: str | None = None) -> object:
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    if ruff_toml is not None:
        (tmp_path / "ruff.toml").write_text(ruff_toml, encoding="utf-8")
    return load_style(tmp_path).style.target_version


@pytest.mark.parametrize(
    ("requires", "expected"),
    [
        (">=3.10", (3, 10)),
        (">= 3.12.1", (3, 12)),
        (">=3.9,<4", (3, 9)),
        ("<4, >=3.11", (3, 11)),
        ("~=3.11", (3, 11)),
        ("==3.13.*", (3, 13)),
        (">=3.8, !=3.9.*", (3, 8)),
        ("<4", None),
        ("", None),
        (">=3.10,garbage", None),
        ("3.10", None),
        (">=2.7", None),
    ],
)
def test_requires_python_gives_its_lower_bound(
    tmp_path: Path, requires: str, expected: tuple[int, int] | None
) -> None:
    pyproject = f'[project]\nname = "app"\nrequires-python = "{requires}"\n'
    assert _target(tmp_path, pyproject) == expected


def test_ruff_target_version_wins_over_requires_python(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "app"\nrequires-python = ">=3.9"\n\n'
        '[tool.ruff]\ntarget-version = "py311"\nline-length = 100\n'
    )
    assert _target(tmp_path, pyproject) == (3, 11)


def test_a_ruff_toml_without_target_version_uses_the_pyprojects_requires_python(
    tmp_path: Path,
) -> None:
    pyproject = '[project]\nname = "app"\nrequires-python = ">=3.12"\n'
    assert _target(tmp_path, pyproject, "line-length = 100\n") == (3, 12)


def test_a_ruff_toml_target_version_is_read(tmp_path: Path) -> None:
    assert _target(tmp_path, None, 'target-version = "py310"\n') == (3, 10)


def test_without_a_declaration_the_target_is_unknown(tmp_path: Path) -> None:
    assert _target(tmp_path, None) is None
    assert _target(tmp_path, '[project]\nname = "app"\n') is None


@pytest.mark.parametrize("value", ['"py3"', '"python3.10"', "310", '"py310x"'])
def test_a_malformed_ruff_target_version_leaves_requires_python(tmp_path: Path, value: str) -> None:
    pyproject = f'[project]\nrequires-python = ">=3.9"\n\n[tool.ruff]\ntarget-version = {value}\n'
    _target(tmp_path, pyproject)
    loaded = load_style(tmp_path)
    assert loaded.style.target_version == (3, 9)
    assert loaded.warning is None


def test_a_malformed_pyproject_leaves_the_target_unknown(tmp_path: Path) -> None:
    pyproject = '[project\nrequires-python = ">=3.10"\n'
    assert _target(tmp_path, pyproject) is None
    assert _target(tmp_path, pyproject, "line-length = 100\n") is None


def test_requires_python_of_the_wrong_type_leaves_the_target_unknown(tmp_path: Path) -> None:
    assert _target(tmp_path, "[project]\nrequires-python = 3.10\n") is None
