"""The rendered project, checked without installing it: files, Pydantic V2, Docker, packaging."""

from __future__ import annotations

import ast
import re
import shlex
import sys
from pathlib import PurePosixPath

import pytest

from fastapi_architect.plan import ChangePlan
from fastapi_architect.scaffold import parse_options, plan_project
from fastapi_architect.scaffold.dependencies import runtime_dependencies

COMBINATIONS = [
    {"orm": orm, "docker": docker, "database": database, "inference": inference}
    for orm in ("sync", "async")
    for docker in ("tiangolo", "slim")
    for database in ("sqlite", "postgresql")
    for inference in (True, False)
]


def render(**values: object) -> dict[str, str]:
    plan = plan_project(parse_options({"project_name": "svc", **values}))
    return {str(f.path): f.content for f in plan.creates}


@pytest.mark.parametrize("values", COMBINATIONS, ids=lambda v: "-".join(map(str, v.values())))
def test_every_python_file_compiles_and_uses_pydantic_v2_only(values: dict[str, object]) -> None:
    files = render(**values)
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    assert python
    for path, text in python.items():
        ast.parse(text, filename=path)
        assert "@validator" not in text, path
        assert "class Config:" not in text, path
        assert "orm_mode" not in text, path
        assert "{{" not in text and "{%" not in text, path
    assert "@field_validator" in files["app/schemas/user.py"]
    assert "ConfigDict(from_attributes=True)" in files["app/schemas/user.py"]


def test_layout_has_the_names_other_features_rely_on() -> None:
    files = render()
    for path in [
        "pyproject.toml",
        "requirements.txt",
        "app/main.py",
        "app/core/config.py",
        "app/db/base.py",
        "app/db/session.py",
        "app/api/deps.py",
        "app/api/v1/router.py",
        "app/api/v1/endpoints/users.py",
        "app/schemas/user.py",
        "app/models/user.py",
        "app/services/user_service.py",
        "app/ml/model.py",
        "app/schemas/prediction.py",
        "app/api/v1/endpoints/predict.py",
        "migrations/env.py",
        "migrations/script.py.mako",
        "alembic.ini",
        "scripts/prestart.sh",
        "Dockerfile",
        ".dockerignore",
        ".gitignore",
        ".env.example",
        ".gitattributes",
        "README.md",
        "tests/conftest.py",
        "tests/test_health.py",
        "tests/test_users.py",
        "tests/test_user_service.py",
        "tests/test_predict.py",
        "app/db/url.py",
        "app/db/schema.py",
        ".github/workflows/ci.yml",
    ]:
        assert path in files, path
    assert not any(path.startswith("alembic/") for path in files)
    assert "SessionDep = Annotated[Session, Depends(get_db)]" in files["app/api/deps.py"]
    assert "DATABASE_URL: str =" in files["app/core/config.py"]
    assert "from app import models" not in files["app/main.py"]
    assert "import app.models" not in files["app/main.py"]
    assert "*.sh text eol=lf" in files[".gitattributes"]


def test_async_flavour_uses_async_sessions_without_expiring_on_commit() -> None:
    files = render(orm="async")
    session = files["app/db/session.py"]
    assert "create_async_engine(" in session
    assert "async_sessionmaker(engine, expire_on_commit=False" in session
    assert "SessionDep = Annotated[AsyncSession, Depends(get_db)]" in files["app/api/deps.py"]
    assert "async def create(" in files["app/services/user_service.py"]
    assert "aiosqlite" in files["requirements.txt"]


def test_no_inference_leaves_out_the_model_and_its_wiring() -> None:
    files = render(inference=False)
    assert not [path for path in files if "ml/" in path or "predict" in path]
    assert "predict" not in files["app/api/v1/router.py"]
    assert "registry" not in files["app/main.py"]
    assert '"model"' not in files["app/api/health.py"]


def test_postgresql_goes_to_env_example_with_sqlite_as_fallback() -> None:
    sync, asynchronous = render(database="postgresql"), render(database="postgresql", orm="async")
    assert "DATABASE_URL=postgresql+psycopg://" in sync[".env.example"]
    assert "psycopg[binary]" in sync["requirements.txt"]
    assert "DATABASE_URL=postgresql+asyncpg://" in asynchronous[".env.example"]
    assert '"sqlite:///./app.db"' in sync["app/core/config.py"]


def test_requirements_txt_matches_pyproject_dependencies() -> None:
    if sys.version_info < (3, 11):
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    for values in ({}, {"orm": "async", "database": "postgresql"}):
        files = render(**values)
        pyproject = tomllib.loads(files["pyproject.toml"])
        listed = [
            line for line in files["requirements.txt"].splitlines() if not line.startswith("#")
        ]
        assert pyproject["project"]["dependencies"] == listed
        assert listed == runtime_dependencies(parse_options({"project_name": "svc", **values}))
        assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["app"]
        assert pyproject["tool"]["fastapi"]["entrypoint"] == "app.main:app"
        assert {"pytest", "httpx", "ruff", "mypy"} <= {
            re.split(r"[<>=\[]", requirement)[0]
            for requirement in pyproject["project"]["optional-dependencies"]["dev"]
        }
        assert pyproject["tool"]["mypy"]["strict"] is True
        assert {"D", "ANN"} <= set(pyproject["tool"]["ruff"]["lint"]["select"])


def test_description_is_escaped_in_toml_and_python() -> None:
    if sys.version_info < (3, 11):
        pytest.skip("tomllib needs Python 3.11")
    import tomllib

    tricky = "Say 'hi' to café, {{ braces }} & <tags> " + "and more words " * 12
    files = render(description=tricky)
    assert tomllib.loads(files["pyproject.toml"])["project"]["description"] == tricky.strip()
    keywords = [
        node
        for node in ast.walk(ast.parse(files["app/main.py"]))
        if isinstance(node, ast.keyword) and node.arg == "description"
    ]
    assert [ast.literal_eval(keyword.value) for keyword in keywords] == [tricky.strip()]
    assert max(len(line) for line in files["app/main.py"].splitlines()) <= 100


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """``(INSTRUCTION, arguments)`` pairs, continuation lines joined, comments dropped."""
    logical = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in logical.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword, _, arguments = stripped.partition(" ")
        instructions.append((keyword, arguments.strip()))
    return instructions


KNOWN_INSTRUCTIONS = {
    "FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD", "ARG",
}  # fmt: skip


@pytest.mark.parametrize("docker", ["tiangolo", "slim"])
@pytest.mark.parametrize("inference", [True, False])
def test_dockerfile_parses_and_copies_files_that_exist(docker: str, inference: bool) -> None:
    plan = plan_project(
        parse_options({"project_name": "svc", "docker": docker, "inference": inference})
    )
    paths = {f.path for f in plan.creates}
    folders = {parent for path in paths for parent in path.parents}
    text = next(f.content for f in plan.creates if f.path == PurePosixPath("Dockerfile"))
    instructions = dockerfile_instructions(text)
    assert {keyword for keyword, _ in instructions} <= KNOWN_INSTRUCTIONS
    assert instructions[0][0] == "FROM"
    copies = [shlex.split(arguments) for keyword, arguments in instructions if keyword == "COPY"]
    for *sources, _destination in copies:
        for source in sources:
            assert PurePosixPath(source) in paths | folders, source
    dockerignore = next(f.content for f in plan.creates if f.path.name == ".dockerignore")
    for *sources, _ in copies:
        assert not set(sources) & set(dockerignore.split())
    destinations = {copy[-1] for copy in copies}
    if docker == "tiangolo":
        assert instructions[0][1] == "tiangolo/uvicorn-gunicorn-fastapi:python3.11"
        assert {
            "/app/app",
            "/app/prestart.sh",
            "/app/alembic.ini",
            "/app/migrations",
        } <= destinations
        assert ["scripts/prestart.sh", "/app/prestart.sh"] in copies
        assert "deprecated" in text
    else:
        assert instructions[0][1] == "python:3.12-slim"
        # A numeric, non-root user (hadolint DL3066: names may not resolve on the host).
        assert ("USER", "10001:10001") in instructions
        assert "useradd --system --uid 10001" in text
        assert any(keyword == "HEALTHCHECK" for keyword, _ in instructions)
        cmd = next(arguments for keyword, arguments in instructions if keyword == "CMD")
        assert "fastapi run app/main.py" in cmd
        assert "scripts/prestart.sh" in cmd


def test_readme_explains_the_deprecated_image_and_how_to_switch() -> None:
    readme = render()["README.md"]
    assert "deprecated upstream" in readme
    assert "--docker slim" in readme


def test_prestart_script_is_executable_and_runs_migrations() -> None:
    plan: ChangePlan = plan_project(parse_options({"project_name": "svc"}))
    script = next(f for f in plan.creates if f.path == PurePosixPath("scripts/prestart.sh"))
    assert script.executable
    assert script.content.startswith("#!/usr/bin/env bash\n")
    assert "alembic upgrade head" in script.content
    assert "\r" not in script.content
