"""Virtual environments for tests that run generated or fixture projects, cached across runs.

Installing FastAPI, SQLAlchemy and the project's dev tools takes a minute; the venv is built
once per set of requirements (keyed by their hash and the Python version) under
``$FASTAPI_ARCHITECT_TEST_CACHE`` (default ``~/.cache/fastapi-architect/test-venvs``) and
reused by later tests and later runs. A file lock makes concurrent builders wait.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

FIXTURE_APP_REQUIREMENTS = [
    "fastapi>=0.115",
    "sqlalchemy>=2.0",
    "httpx>=0.27",
    "pytest>=8",
    "ruff>=0.8",
    "mypy>=1.13",
    "pydantic>=2.7",
]
"""What the fixture apps of the extract, layer and FA104 tests and their behaviour checks run
with (one cached venv)."""


def cache_dir() -> Path:
    """Where cached test venvs live."""
    default = Path.home() / ".cache" / "fastapi-architect" / "test-venvs"
    root = Path(os.environ.get("FASTAPI_ARCHITECT_TEST_CACHE", default))
    root.mkdir(parents=True, exist_ok=True)
    return root


def venv_python(venv: Path) -> Path:
    """The interpreter of ``venv``."""
    return venv / "bin" / "python"


def cached_venv(name: str, requirements: Sequence[str]) -> Path:
    """A venv with ``requirements`` (pip arguments) installed, built once and reused."""
    key = hashlib.sha256(
        json.dumps([sys.version, sorted(requirements)]).encode("utf-8")
    ).hexdigest()[:16]
    root = cache_dir() / f"{name}-{key}"
    marker = root / ".complete"
    with (cache_dir() / f"{name}-{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return root
        shutil.rmtree(root, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
        python = str(venv_python(root))
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
            check=True,
        )
        subprocess.run([python, "-m", "pip", "install", "--quiet", *requirements], check=True)
        marker.touch()
    return root


def fixture_app_python() -> Path:
    """The interpreter of the fixture apps' cached venv (``FIXTURE_APP_REQUIREMENTS``)."""
    return venv_python(cached_venv("extract-fixtures", FIXTURE_APP_REQUIREMENTS))
