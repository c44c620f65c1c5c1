"""Layer diagnostics (FA103–FA107) speed on a 2,000-line endpoint module.

Rows: checking the module the way the server does after a keystroke (the imported modules'
parses reused from a shared cache), the same with nothing cached (the first check), and
checking every file of the generated project the way ``check`` does; baseline: ``ast.parse``
of the endpoint module, same run.

    python -m bench layers [--endpoints N] [--runs N]
"""

from __future__ import annotations

import argparse
import ast
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.stats import Summary, print_table
from fastapi_architect.layers import LayerProject, check_module
from fastapi_architect.layers.project import ParseCache
from fastapi_architect.layers.workspace import check_files

DEPS = '''\
"""Dependencies."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker(bind=create_engine("sqlite://"))


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
'''

SERVICE = '''\
"""Service {n}."""

from sqlalchemy.orm import Session


def work_{n}(db: Session, value: int) -> int:
    return value + {n}
'''

ENDPOINT = '''

@router.get("/items/{n}")
def read_{n}(item_id: int, db: SessionDep, limit: int = 10) -> list[int]:
    """Item {n}: inline data access and a service call."""
    rows = db.scalars(select(Item.id).where(Item.id > item_id).limit(limit))
    total = service_{m}.work_{m}(db, item_id)
    if total < 0:
        raise ValueError("negative")
    values = [row for row in rows]
    values.append(total)
    db.commit()
    return values
'''


def _project(root: Path, endpoints: int, services: int = 20) -> Path:
    (root / "app/api/v1/endpoints").mkdir(parents=True)
    (root / "app/services").mkdir(parents=True)
    for folder in ("app", "app/api", "app/api/v1", "app/api/v1/endpoints", "app/services"):
        (root / folder / "__init__.py").write_text("", encoding="utf-8")
    (root / "app/api/deps.py").write_text(DEPS, encoding="utf-8")
    for n in range(services):
        (root / f"app/services/service_{n}.py").write_text(SERVICE.format(n=n), encoding="utf-8")
    imports = "".join(f"from app.services import service_{n}\n" for n in range(services))
    header = (
        '"""Many endpoints."""\n\nfrom fastapi import APIRouter\nfrom sqlalchemy import select\n\n'
        f"from app.api.deps import SessionDep\nfrom app.models import Item\n{imports}\n"
        "router = APIRouter()\n"
    )
    body = "".join(ENDPOINT.format(n=n, m=n % services) for n in range(endpoints))
    module = root / "app/api/v1/endpoints/items.py"
    module.write_text(header + body, encoding="utf-8")
    return module


def _time(label: str, runs: int, work: Callable[[], object]) -> Summary:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return Summary(label, samples)


def main(argv: list[str]) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench layers")
    parser.add_argument("--endpoints", type=int, default=150)
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve()
        module = _project(root, arguments.endpoints)
        text = module.read_text(encoding="utf-8")
        tree = ast.parse(text)
        cache = ParseCache()
        found = check_module(LayerProject(root=root, parsed=cache), module, text, tree=tree)
        lines = text.count("\n")
        print(f"{lines} lines, {len(found)} findings, {arguments.runs} runs")
        baseline = _time(
            f"ast.parse of the {lines}-line module", arguments.runs, lambda: ast.parse(text)
        )
        keystroke = _time(
            "check after a keystroke (shared parse cache)",
            arguments.runs,
            lambda: check_module(LayerProject(root=root, parsed=cache), module, text, tree=tree),
        )
        cold = _time(
            "first check (nothing cached)",
            arguments.runs,
            lambda: check_module(LayerProject(root=root), module, text, tree=tree),
        )
        files = sorted(root.rglob("*.py"))
        whole = _time(
            f"check of the whole project ({len(files)} files)",
            max(3, arguments.runs // 3),
            lambda: check_files(files, root, {"FA103", "FA104", "FA105", "FA106", "FA107"}),
        )
        print_table([baseline, keystroke, cold, whole], baseline)
    return 0
