"""Helpers for the extract tests: tiny projects on disk and applying a plan to them."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

from fastapi_architect.extract.planner import Extraction, plan_extract
from fastapi_architect.plan import write_plan

DEPS = '''\
"""Dependencies."""

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from app.db import get_db

SessionDep = Annotated[Session, Depends(get_db)]
'''


def make_project(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path → dedented text) under ``root``; add package inits."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for folder in ("app", "app/api", "app/api/v1", "app/api/v1/endpoints"):
        init = root / folder / "__init__.py"
        if (root / folder).is_dir() and not init.exists():
            init.write_text("", encoding="utf-8")
    return root


def line_of(path: Path, needle: str) -> int:
    """0-based line of the first line of ``path`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def extract(path: Path, needle: str, **options: str) -> Extraction:
    """Plan the extraction of the endpoint around ``needle`` and write it."""
    extraction = plan_extract(
        path.read_text(encoding="utf-8"), path, line_of(path, needle), **options
    )
    write_plan(extraction.plan, extraction.root)
    return extraction


_CALL_APP = """\
import importlib, json, sys
from fastapi.testclient import TestClient

app = importlib.import_module(sys.argv[1]).app
client = TestClient(app)
answers = []
for method, url, body in json.loads(sys.argv[2]):
    response = client.request(method, url, json=body)
    answers.append([response.status_code, response.json()])
print(json.dumps(answers))
"""


def call_app(
    python: Path, root: Path, module: str, calls: list[tuple[str, str, object]]
) -> list[list[object]]:
    """Import ``module``'s ``app`` in a fresh interpreter rooted at ``root`` and make ``calls``
    (method, url, JSON body) with FastAPI's TestClient; the status codes and JSON answers."""
    result = subprocess.run(
        [str(python), "-c", _CALL_APP, module, json.dumps(calls)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers: list[list[object]] = json.loads(result.stdout)
    return answers
