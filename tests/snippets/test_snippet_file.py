"""The one snippet file: valid VS Code JSON, unique prefixes, and code that compiles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.snippets.catalog import (
    SNIPPET_FILE_NAME,
    Snippet,
    SnippetContext,
    load_snippets,
    snippet_file_path,
)
from fastapi_architect.snippets.selection import LIBRARY_IMPORTS

REPOSITORY = Path(__file__).resolve().parents[2]
SNIPPET_FILE = REPOSITORY / "snippets" / SNIPPET_FILE_NAME
RUFF = Path(sys.executable).with_name("ruff")

PROJECT_NAMES = {
    "router": "app.api.v1.endpoints.users",
    "app": "app.main",
    "Base": "app.db.base",
    "SessionLocal": "app.db.session",
    "get_db": "app.db.session",
    "get_settings": "app.core.config",
    "User": "app.models.user",
    "UserCreate": "app.schemas.user",
    "UserResponse": "app.schemas.user",
    "SessionDep": "app.api.deps",
    "AsyncSessionDep": "app.api.deps",
    "SettingsDep": "app.api.deps",
    "CurrentUserDep": "app.api.deps",
    "SuperuserDep": "app.api.deps",
    "UserServiceDep": "app.api.deps",
}
"""Where a project scaffolded by FastAPI Architect defines the names the snippets use."""

SNIPPETS = load_snippets(SNIPPET_FILE)


def with_imports(snippet: Snippet) -> str:
    """The snippet at its defaults in a file with the imports a real module would have."""
    lines = []
    for name in snippet.needed_names:
        module = LIBRARY_IMPORTS.get(name, PROJECT_NAMES.get(name))
        lines.append(f"import {name}" if module is None else f"from {module} import {name}")
    body = snippet.default_text
    if snippet.context is SnippetContext.PARAMETER:
        body = f"@router.get('/')\ndef endpoint({body.strip()}) -> None:\n    pass\n"
        if "router" not in snippet.needed_names:
            lines.append(f"from {PROJECT_NAMES['router']} import router")
    return "\n".join(lines) + "\n\n\n" + body


def test_file_is_a_vscode_snippet_object_of_python_snippets() -> None:
    data = json.loads(SNIPPET_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data
    for name, entry in data.items():
        assert set(entry) <= {"prefix", "body", "description", "scope"}, name
        assert entry["scope"] == "python", name
        assert isinstance(entry["prefix"], str) and entry["prefix"].isidentifier(), name
        assert isinstance(entry["body"], list), name
        assert all(isinstance(line, str) for line in entry["body"]), name
        assert entry["description"].strip(), name


def test_prefixes_are_unique() -> None:
    prefixes = [prefix for snippet in SNIPPETS for prefix in snippet.prefixes]
    assert len(prefixes) == len(set(prefixes))


def test_every_required_snippet_is_present() -> None:
    bodies = {snippet.prefix: snippet.default_text for snippet in SNIPPETS}
    assert "yield session" in bodies["fagetdb"]
    assert "async with" in bodies["fagetdbasync"]
    assert "SessionDep = Annotated[Session, Depends(get_db)]" in bodies["fasessiondep"]
    async_alias = "AsyncSessionDep = Annotated[AsyncSession, Depends(get_db)]"
    assert async_alias in bodies["faasyncsessiondep"]
    assert "session: SessionDep" in bodies["faget"] and "HTTP_404_NOT_FOUND" in bodies["faget"]
    assert "session: SessionDep" in bodies["fapost"] and "HTTP_201_CREATED" in bodies["fapost"]
    assert "session: AsyncSessionDep" in bodies["fagetasync"]
    assert "def get_user(session: Session" in bodies["faservice"]
    assert "UserServiceDep = Annotated[UserService, Depends(" in bodies["faserviceclass"]
    assert "@lru_cache" in bodies["fasettings"]
    assert "SettingsDep = Annotated[Settings, Depends(get_settings)]" in bodies["fasettings"]
    assert "engine.dispose()" in bodies["falifespan"]
    assert "await engine.dispose()" in bodies["falifespanasync"]
    assert "app.dependency_overrides[get_db] = override_get_db" in bodies["faoverride"]
    assert '"sqlite://"' in bodies["faoverride"]
    assert bodies["sessiondep"].strip() == "session: SessionDep"
    assert bodies["currentuserdep"].strip() == "current_user: CurrentUserDep"
    assert bodies["superuserdep"].strip() == "superuser: SuperuserDep"


def test_no_snippet_uses_the_default_value_depends_style() -> None:
    for snippet in SNIPPETS:
        assert "= Depends(" not in snippet.default_text, snippet.name


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.prefix)
def test_snippet_compiles_at_its_defaults(snippet: Snippet) -> None:
    compile(with_imports(snippet), f"<{snippet.prefix}>", "exec")


def test_every_needed_name_has_a_known_home() -> None:
    for snippet in SNIPPETS:
        for name in snippet.needed_names:
            assert name in LIBRARY_IMPORTS or name in PROJECT_NAMES, (snippet.prefix, name)


def test_parameter_snippets_are_exactly_the_dep_parameters() -> None:
    parameters = {s.prefix for s in SNIPPETS if s.context is SnippetContext.PARAMETER}
    assert parameters == {
        "sessiondep",
        "asyncsessiondep",
        "currentuserdep",
        "superuserdep",
        "settingsdep",
        "userservicedep",
    }


def run_ruff(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(RUFF),
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py310",
            "--select",
            "FAST,F821,F401",
            "--output-format",
            "concise",
            str(folder),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_fast_rules_pass_on_every_expanded_snippet(tmp_path: Path) -> None:
    for snippet in SNIPPETS:
        (tmp_path / f"{snippet.prefix}.py").write_text(with_imports(snippet), encoding="utf-8")
    result = run_ruff(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_fast_check_catches_the_default_value_style(tmp_path: Path) -> None:
    """The check above can fail: the pre-Annotated style is reported (FAST002)."""
    (tmp_path / "old.py").write_text(
        "from fastapi import APIRouter, Depends\n"
        "from sqlalchemy.orm import Session\n\n"
        "from app.db.session import get_db\n\n"
        "router = APIRouter()\n\n\n"
        "@router.get('/')\n"
        "def endpoint(db: Session = Depends(get_db)) -> None:\n"
        "    pass\n",
        encoding="utf-8",
    )
    result = run_ruff(tmp_path)
    assert result.returncode == 1 and "FAST002" in result.stdout, result.stdout


def test_loader_finds_the_repository_file_in_a_development_install() -> None:
    assert snippet_file_path().read_bytes() == SNIPPET_FILE.read_bytes()
