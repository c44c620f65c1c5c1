"""Extract-to-service latency on a 2,000-line fat endpoint module.

Measures what the editor pays: the availability check on every cursor move (warm: the
document's ``ast`` tree and endpoint index are cached for its version), the same check on a
new document version (parse + index), and the full multi-file plan computed on resolve —
for the scaffold layout, for a domain package (``things/views.py`` into an existing
``things/service.py``) and for a module of class-based views (``@cbv(router)`` methods).
Baseline: a bare ``ast.parse`` of the same module, measured in the same run.

    python -m bench extract [--runs N]
"""

from __future__ import annotations

import argparse
import ast
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.stats import Summary, print_table

HEADER = '''\
"""A generated fat endpoint module."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from app.db import get_db

router = APIRouter()
logger = logging.getLogger(__name__)
'''

MODELS = """

LIMIT_{n} = {n} + 10


class Thing{n}In(BaseModel):
    name: str = Field(min_length=1, max_length=LIMIT_{n})
    size: int = 0


class Thing{n}Out(Thing{n}In):
    id: int


def _clean_{n}(name: str) -> str:
    return " ".join(name.split()).lower()
"""
"""What each unit declares before its endpoint: the limit, the models and a helper."""

ENDPOINT = '''

@router.post("/things{n}", response_model=Thing{n}Out, status_code=201)
async def create_thing_{n}(
    payload: Thing{n}In,
    db: Annotated[Session, Depends(get_db)],
    dry_run: Annotated[bool, Query()] = False,
) -> Thing{n}Out:
    """Create thing {n}."""
    name = _clean_{n}(payload.name)
    if not name:
        raise HTTPException(status_code=422, detail="empty name")
    if dry_run:
        logger.info("dry run for %s", name)
        return Thing{n}Out(id=0, name=name, size=payload.size)
    # Pretend to store it.
    db.info["last"] = name
    size = payload.size * 2 if payload.size > LIMIT_{n} else payload.size
    return Thing{n}Out(id={n}, name=name, size=size)
'''


CBV_ENDPOINT = '''

@cbv(router)
class Thing{n}Views:
    db: Session = Depends(get_db)

    @router.post("/things{n}", response_model=Thing{n}Out, status_code=201)
    async def create_thing_{n}(
        self, payload: Thing{n}In, dry_run: Annotated[bool, Query()] = False
    ) -> Thing{n}Out:
        """Create thing {n}."""
        name = _clean_{n}(payload.name)
        if not name:
            raise HTTPException(status_code=422, detail="empty name")
        if dry_run:
            logger.info("dry run for %s", name)
            return Thing{n}Out(id=0, name=name, size=payload.size)
        self.db.info["last"] = name
        size = payload.size * 2 if payload.size > LIMIT_{n} else payload.size
        return Thing{n}Out(id={n}, name=name, size=size)
'''

UNIT = MODELS + ENDPOINT
CBV_UNIT = MODELS + CBV_ENDPOINT

SERVICE = '''"""Things: the existing service module of the domain."""

from sqlalchemy.orm import Session


def get(db: Session, thing_id: int) -> int:
    """Look a thing up."""
    return thing_id
'''


def build_module(target_lines: int = 2000, unit: str = UNIT, header: str = HEADER) -> str:
    """A module of about ``target_lines`` lines made of fat endpoints."""
    parts = [header]
    n = 0
    while sum(part.count("\n") for part in parts) < target_lines:
        parts.append(unit.format(n=n))
        n += 1
    return "".join(parts)


def _timed(samples: int, call: Callable[[], Any]) -> list[float]:
    times: list[float] = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str]) -> int:
    """Print the latency table."""
    parser = argparse.ArgumentParser(prog="python -m bench extract")
    parser.add_argument("--runs", type=int, default=200, help="samples per cheap measurement")
    arguments = parser.parse_args(argv)

    from lsprotocol import types

    from fastapi_architect.extract.endpoints import index_endpoints
    from fastapi_architect.extract.planner import plan_extract
    from fastapi_architect.lsp.clientcaps import ClientSupport
    from fastapi_architect.lsp.documents import AnalysedDocument
    from fastapi_architect.lsp.features.extract import ExtractServiceFeature
    from fastapi_architect.lsp.settings import ServerSettings

    text = build_module()
    lines = text.count("\n")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "workspace"
        package = root / "app"
        endpoints_dir = package / "api" / "v1" / "endpoints"
        endpoints_dir.mkdir(parents=True)
        for init in (package, package / "api", package / "api" / "v1", endpoints_dir):
            (init / "__init__.py").write_text("")
        (package / "db.py").write_text("def get_db(): ...\n")
        path = endpoints_dir / "things.py"
        path.write_text(text)

        class FakeServer:
            settings = ServerSettings()
            support = ClientSupport(create_files=True, code_action_disabled=True)

        feature = ExtractServiceFeature()
        server: Any = FakeServer()
        endpoint_lines = [
            e.node.body[-1].lineno - 1 for e in index_endpoints(ast.parse(text)).endpoints
        ]
        candidate_lines = list(range(lines))
        rng = random.Random(5)

        def params(line: int) -> types.CodeActionParams:
            position = types.Position(line=line, character=4)
            return types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                range=types.Range(start=position, end=position),
                context=types.CodeActionContext(diagnostics=[]),
            )

        warm_doc = AnalysedDocument(uri=path.as_uri(), version=1, text=text, path=path)
        feature.code_actions(server, warm_doc, params(endpoint_lines[0]))

        def warm_check() -> None:
            feature.code_actions(server, warm_doc, params(rng.choice(candidate_lines)))

        version = [1]

        def new_version_check() -> None:
            version[0] += 1
            doc = AnalysedDocument(uri=path.as_uri(), version=version[0], text=text, path=path)
            feature.code_actions(server, doc, params(rng.choice(endpoint_lines)))

        middle = endpoint_lines[len(endpoint_lines) // 2]

        def full_plan() -> None:
            plan_extract(text, path, middle, root=root)

        # Each scenario is its own workspace: the importer scan would read the others' files.
        domain_root = Path(folder) / "domain_workspace"
        domain = domain_root / "app" / "things"
        domain.mkdir(parents=True)
        (domain_root / "app" / "__init__.py").write_text("")
        (domain_root / "app" / "db.py").write_text("def get_db(): ...\n")
        (domain / "__init__.py").write_text("")
        (domain / "service.py").write_text(SERVICE)
        (domain / "models.py").write_text("class Thing: ...\n")
        (domain / "views.py").write_text(text)

        def domain_plan() -> None:
            plan_extract(text, domain / "views.py", middle, root=domain_root)

        cbv_header = HEADER.replace(
            "from pydantic", "from fastapi_utils.cbv import cbv\nfrom pydantic"
        )
        cbv_text = build_module(unit=CBV_UNIT, header=cbv_header)
        cbv_root = Path(folder) / "cbv_workspace"
        cbv_dir = cbv_root / "app" / "api"
        cbv_dir.mkdir(parents=True)
        for init in (cbv_root / "app", cbv_dir):
            (init / "__init__.py").write_text("")
        (cbv_root / "app" / "db.py").write_text("def get_db(): ...\n")
        cbv_path = cbv_dir / "things.py"
        cbv_path.write_text(cbv_text)
        cbv_endpoints = index_endpoints(ast.parse(cbv_text)).endpoints
        cbv_middle = cbv_endpoints[len(cbv_endpoints) // 2].node.body[-1].lineno - 1

        def cbv_plan() -> None:
            plan_extract(cbv_text, cbv_path, cbv_middle, root=cbv_root)

        cbv_version = [1]

        def cbv_new_version_check() -> None:
            cbv_version[0] += 1
            doc = AnalysedDocument(
                uri=cbv_path.as_uri(), version=cbv_version[0], text=cbv_text, path=cbv_path
            )
            feature.code_actions(server, doc, params(cbv_middle))

        baseline = Summary(
            f"baseline: ast.parse ({lines} lines)",
            _timed(max(20, arguments.runs // 5), lambda: ast.parse(text)),
        )
        summaries = [
            baseline,
            Summary("availability, warm (cached AST + index)", _timed(arguments.runs, warm_check)),
            Summary(
                "availability, new version (parse + index)",
                _timed(max(20, arguments.runs // 5), new_version_check),
            ),
            Summary("full plan (parse + analyse + render)", _timed(20, full_plan)),
            Summary("full plan, domain package views.py", _timed(20, domain_plan)),
            Summary(
                "availability, new version, cbv module",
                _timed(max(20, arguments.runs // 5), cbv_new_version_check),
            ),
            Summary("full plan, class-based view method", _timed(20, cbv_plan)),
        ]
    print(
        f"extract: {lines}-line module, {len(endpoint_lines)} endpoints; "
        "targets: warm availability <= 20 ms, full edit <= 300 ms"
    )
    print_table(summaries, baseline)
    warm = summaries[1]
    print(
        f"warm availability in microseconds: median {warm.median * 1e6:.0f} µs, "
        f"p95 {warm.percentile(0.95) * 1e6:.0f} µs"
    )
    return 0
