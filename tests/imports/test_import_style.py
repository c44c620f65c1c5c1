"""The project's import style: read from its config, ruff's defaults when it is unreadable."""

from __future__ import annotations

from pathlib import Path

from fastapi_architect.imports import DEFAULT_STYLE, ImportStyle, Section, load_style


def _project(tmp_path: Path, pyproject: str | None, *files: str) -> Path:
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")
    return tmp_path


def test_malformed_pyproject_falls_back_to_defaults_with_one_warning(tmp_path: Path) -> None:
    root = _project(tmp_path, "[tool.ruff\nline-length = 100\n")
    loaded = load_style(root)
    assert loaded.warning is not None
    assert "pyproject.toml" in loaded.warning
    assert "defaults" in loaded.warning
    assert loaded.style.line_length == DEFAULT_STYLE.line_length


def test_settings_of_the_wrong_type_fall_back_to_defaults(tmp_path: Path) -> None:
    root = _project(tmp_path, "[tool.ruff.lint.isort]\nforce-single-line = 'yes'\n")
    loaded = load_style(root)
    assert loaded.warning is not None
    assert "force-single-line" in loaded.warning
    assert not loaded.style.force_single_line


def test_ruff_lint_isort_settings_are_read(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "[tool.ruff]\nline-length = 100\nsrc = ['lib']\n"
        "[tool.ruff.lint.isort]\nknown-first-party = ['corelib']\nknown-third-party = ['app']\n"
        "force-single-line = true\ncombine-as-imports = true\n"
        "force-sort-within-sections = true\nlines-after-imports = 2\n",
    )
    loaded = load_style(root)
    style = loaded.style
    assert loaded.warning is None
    assert loaded.config == root / "pyproject.toml"
    assert style.line_length == 100
    assert style.source_roots == (root / "lib",)
    assert style.known_first_party == {"corelib"}
    assert style.known_third_party == {"app"}
    assert style.force_single_line
    assert style.combine_as_imports
    assert style.force_sort_within_sections
    assert style.lines_after_imports == 2


def test_plain_isort_table_is_read_when_ruff_has_none(tmp_path: Path) -> None:
    root = _project(
        tmp_path, "[tool.isort]\nknown_first_party = ['corelib']\nforce_single_line = true\n"
    )
    style = load_style(root).style
    assert style.section_of("corelib.x") is Section.FIRST_PARTY
    assert style.force_single_line


def test_ruff_toml_wins_over_pyproject(tmp_path: Path) -> None:
    root = _project(tmp_path, "[tool.ruff]\nline-length = 100\n")
    (root / "ruff.toml").write_text("line-length = 70\n", encoding="utf-8")
    assert load_style(root).style.line_length == 70


def test_sections_follow_ruff(tmp_path: Path) -> None:
    root = _project(tmp_path, None, "models.py", "app/__init__.py", "src/shop/orders.py")
    style = load_style(root).style
    assert style.section_of("__future__") is Section.FUTURE
    assert style.section_of("asyncio") is Section.STANDARD_LIBRARY
    assert style.section_of("os.path") is Section.STANDARD_LIBRARY
    assert style.section_of("fastapi") is Section.THIRD_PARTY
    assert style.section_of("models") is Section.FIRST_PARTY
    assert style.section_of("app") is Section.FIRST_PARTY
    assert style.section_of("shop.orders") is Section.FIRST_PARTY
    assert style.section_of("models", level=1) is Section.LOCAL_FOLDER


def test_a_module_missing_under_a_source_root_is_third_party_as_ruff_says(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path, None, "app/__init__.py")
    style = load_style(root).style
    assert style.section_of("app.models") is Section.THIRD_PARTY


def test_a_planned_module_counts_as_first_party(tmp_path: Path) -> None:
    from dataclasses import replace

    style = replace(load_style(tmp_path).style, first_party_modules=frozenset({"app.services"}))
    assert style.section_of("app.services") is Section.FIRST_PARTY


def test_project_files_are_read_through_the_given_reader(tmp_path: Path) -> None:
    texts = {tmp_path / "pyproject.toml": "[tool.ruff]\nline-length = 77\n"}
    assert load_style(tmp_path, texts.get).style.line_length == 77


def test_a_files_style_comes_from_its_nearest_config(tmp_path: Path) -> None:
    from fastapi_architect.imports import style_for_file

    root = _project(tmp_path, "[tool.ruff]\nline-length = 101\n", "pkg/sub/module.py")
    style, warning = style_for_file(root / "pkg/sub/module.py")
    assert warning is None
    assert style.line_length == 101
    assert style.source_roots == (root / ".", root / "src")


def test_an_unreadable_config_is_reported_once(tmp_path: Path) -> None:
    from fastapi_architect.imports import StyleCache

    root = _project(tmp_path, "[tool.ruff\n")
    cache = StyleCache()
    first = cache.style(root)
    second = cache.style(root)
    assert first[1] is not None
    assert second[1] is None
    assert first[0] == second[0] == ImportStyle(source_roots=first[0].source_roots)
