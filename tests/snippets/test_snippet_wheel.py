"""The wheel carries the snippet file and the installed package finds it outside the repo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
PACKAGED = "fastapi_architect/_data/snippets/fastapi-depends.code-snippets"


@pytest.mark.slow
def test_wheel_ships_the_snippets_and_loads_them_when_installed(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), "."],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("fastapi_architect-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read(PACKAGED)
    assert shipped == (REPOSITORY / "snippets" / "fastapi-depends.code-snippets").read_bytes()

    site = tmp_path / "site"
    pip_install = [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet"]
    install = subprocess.run(
        [*pip_install, "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    probe = (
        "import json, fastapi_architect\n"
        "from fastapi_architect.snippets.catalog import load_snippets, snippet_file_path\n"
        "print(json.dumps({'package': fastapi_architect.__file__,"
        " 'file': str(snippet_file_path()), 'count': len(load_snippets())}))\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=outside,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert Path(answer["package"]).is_relative_to(site)
    assert Path(answer["file"]) == site / PACKAGED
    assert answer["count"] == len(json.loads(shipped))
