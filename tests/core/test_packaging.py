"""The wheel carries the templates and snippets and runs from outside the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        timeout=300,
    )
    [built] = list(out.glob("fastapi_architect-*.whl"))
    return built


def test_wheel_contains_the_package_its_data_and_the_console_script(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "fastapi_architect/lsp/server.py" in names
    assert "fastapi_architect/py.typed" in names
    assert any(name.startswith("fastapi_architect/_data/snippets/") for name in names)
    assert any(name.startswith("fastapi_architect/scaffold/templates/") for name in names)
    assert "fastapi_architect/_data/README.md" in names  # diagnostics link to its sections
    assert "fastapi_architect/_data/docs/pydantic-v2-conversions.md" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert (
        "fastapi-architect = fastapi_architect.cli:main"
        in zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_installed_wheel_serves_from_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import fastapi_architect, pathlib, sys;"
        "print(pathlib.Path(fastapi_architect.__file__).parent);"
        "from fastapi_architect.packaged_data import data_file;"
        "print(data_file('README.md'));"
        "from fastapi_architect.cli import main; sys.exit(main(['--version']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    location, readme, version = result.stdout.strip().splitlines()
    assert Path(location).is_relative_to(site)
    assert Path(readme).is_relative_to(site)
    assert version.startswith("fastapi-architect ")
