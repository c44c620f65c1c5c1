"""Route index speed on a generated 1,000-file service.

Rows: the cold index of every file (read from disk, routes resolved), the same with every file
an endpoint module (the marker pre-filter skips nothing), ``workspace/symbol``'s search, and
the server's per-request check (walk and stat every file, or stat them with the listing
cached); baseline: reading and ``ast.parse`` of the same files, same run.

Then what the editor pays after a keystroke in a 2,000-line endpoint module: the index made
current (``update`` with the new text, then ``routes()``), as the server does on ``didChange``
when no other feature parsed the document yet (the index parses what it needs). Baseline:
``ast.parse`` of that module, same run; the two earlier algorithms are kept as rows: a full
re-scan with the incremental relink, and a full re-scan relinking everything.

    python -m bench routes [--files N] [--runs N]
"""

from __future__ import annotations

import argparse
import ast
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.stats import Summary, print_table
from fastapi_architect.lsp.features.routes import PythonFiles
from fastapi_architect.routes import RouteIndex
from fastapi_architect.snippets.workspace_index import python_files

ENDPOINT_HEADER = '''\
"""Endpoints for {name}."""

from fastapi import APIRouter, status

from app.schemas.{name} import {cls}Create, {cls}Response
from app.services.{name} import {cls}Service

router = APIRouter(prefix="/{name}")
'''

ENDPOINT_UNIT = '''

@router.post("/{n}", response_model={cls}Response, status_code=status.HTTP_201_CREATED)
def create_{n}(data: {cls}Create, service: {cls}Service) -> {cls}Response:
    """Create thing {n}."""
    return service.create(data)


@router.get("/{n}/{{item_id}}", response_model={cls}Response)
async def read_{n}(item_id: int, service: {cls}Service) -> {cls}Response:
    """Read thing {n}."""
    value = await service.get(item_id)
    if value is None:
        raise LookupError(item_id)
    return value
'''

SERVICE = '''\
"""Service layer for {name}."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.{name} import {cls}


class {cls}Service:
    """Business rules for {name}."""

    def __init__(self, session: Session) -> None:
        self.session = session
''' + "".join(
    f'''
    def operation_{i}(self, item_id: int) -> {{cls}} | None:
        """Operation {i}."""
        statement = select({{cls}}).where({{cls}}.id == item_id)
        return self.session.scalars(statement).first()
'''
    for i in range(8)
)


def endpoint_module(name: str, units: int) -> str:
    """An endpoint module with ``2 * units`` routes."""
    cls = name.title().replace("_", "")
    body = "".join(ENDPOINT_UNIT.format(n=n, cls=cls) for n in range(units))
    return ENDPOINT_HEADER.format(name=name, cls=cls) + body


def generate(root: Path, files: int, endpoint_share: float) -> list[str]:
    """Write a service of ``files`` modules; returns their relative paths."""
    endpoints = max(1, int((files - 3) * endpoint_share))
    names = [f"resource_{i}" for i in range(files - 3)]
    written: dict[str, str] = {
        "app/__init__.py": "",
        "app/main.py": "from fastapi import FastAPI\n\nfrom app.api import api_router\n\n"
        'app = FastAPI()\napp.include_router(api_router, prefix="/api/v1")\n',
        "app/api.py": "from fastapi import APIRouter\n\n"
        + "".join(f"from app.endpoints import {n}\n" for n in names[:endpoints])
        + "\napi_router = APIRouter()\n"
        + "".join(f"api_router.include_router({n}.router)\n" for n in names[:endpoints]),
    }
    for index, name in enumerate(names):
        if index < endpoints:
            written[f"app/endpoints/{name}.py"] = endpoint_module(name, 4)
        else:
            cls = name.title().replace("_", "")
            written[f"app/services/{name}.py"] = SERVICE.format(name=name, cls=cls)
    for relative, text in written.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(written)


def disk_reader(root: Path) -> Callable[[str], str | None]:
    """``read_text`` over the files under ``root``."""

    def read(relative: str) -> str | None:
        return (root / relative).read_text(encoding="utf-8")

    return read


def timed(call: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return samples


def cold_index(root: Path, paths: list[str]) -> RouteIndex:
    index = RouteIndex(disk_reader(root))
    index.sync(dict.fromkeys(paths, 0))
    index.routes()
    return index


def parse_all(root: Path, paths: list[str]) -> None:
    for relative in paths:
        ast.parse((root / relative).read_text(encoding="utf-8"))


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """What the server computes per request: walk the folder and stat every file."""
    prefix = len(str(root)) + 1
    result = {}
    for entry in python_files(root):
        status = entry.stat()
        result[entry.path[prefix:].replace(os.sep, "/")] = (status.st_mtime_ns, status.st_size)
    return result


def cached_stamps(listing: PythonFiles) -> dict[str, tuple[int, int]]:
    """The server's per-request check now: the kept listing, one ``stat`` per file."""
    result = {}
    for relative, path in listing.current():
        status = path.stat()
        result[relative] = (status.st_mtime_ns, status.st_size)
    return result


def age(root: Path) -> None:
    """Date the folders in the past (a freshly written tree is listed again each time)."""
    for folder, _, _ in os.walk(root):
        os.utime(folder, (1_000_000_000, 1_000_000_000))


def main(argv: list[str]) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench routes")
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as mixed_dir, tempfile.TemporaryDirectory() as all_dir:
        mixed, everything = Path(mixed_dir), Path(all_dir)
        mixed_paths = generate(mixed, args.files, 0.6)
        all_paths = generate(everything, args.files, 1.0)
        baseline = Summary(
            f"read + ast.parse {len(mixed_paths)} files (60% endpoints)",
            timed(lambda: parse_all(mixed, mixed_paths), args.runs),
        )
        baseline_all = Summary(
            f"read + ast.parse {len(all_paths)} files (all endpoints)",
            timed(lambda: parse_all(everything, all_paths), args.runs),
        )
        cold = Summary(
            "route index cold (60% endpoints)",
            timed(lambda: cold_index(mixed, mixed_paths), args.runs),
        )
        cold_all = Summary(
            "route index cold (all endpoints)",
            timed(lambda: cold_index(everything, all_paths), args.runs),
        )
        index = cold_index(mixed, mixed_paths)
        routes = len(index.routes())
        big = endpoint_module("resource_0", 133)  # ~2,000 lines, 266 routes
        edited = "app/endpoints/resource_0.py"
        index.update(edited, big)
        index.routes()
        runs = args.runs * 20
        lines = big.count(chr(10))

        def edits(make: Callable[[int], str]) -> Iterator[str]:
            return iter([make(n) for n in range(runs)])

        def keystroke(
            texts: Iterator[str], *, rescan: bool = False, relink: bool = False
        ) -> Callable[[], None]:
            def run() -> None:
                if rescan:
                    index.forget_scans()
                if relink:
                    index.forget_links()
                index.update(edited, next(texts))
                index.routes()

            return run

        def in_path(mark: str) -> Callable[[int], str]:
            return lambda n: big.replace('"/0"', f'"/0{mark * (n + 1)}"')

        def half_typed(n: int) -> str:  # every other keystroke leaves a line that does not parse
            text = in_path("h")(n // 2)
            return text.replace('@router.post("/1"', '@router.post("/1', 1) if n % 2 else text

        baseline_parse = Summary(
            f"ast.parse of the {lines}-line module", timed(lambda: ast.parse(big), runs)
        )
        relinked = Summary(
            "route path: full re-scan, relink everything",
            timed(keystroke(edits(in_path("a")), rescan=True, relink=True), runs),
        )
        rescanned = Summary(
            "route path: full re-scan, incremental relink",
            timed(keystroke(edits(in_path("b")), rescan=True), runs),
        )
        path_summary = Summary(
            "keystroke in a route path", timed(keystroke(edits(in_path("c"))), runs)
        )
        body_summary = Summary(
            "keystroke in a handler body",
            timed(
                keystroke(
                    edits(
                        lambda n: big.replace(
                            "raise LookupError(item_id)", f"raise LookupError({n})", 1
                        ),
                    )
                ),
                runs,
            ),
        )
        enter_summary = Summary(
            "Enter above every route (all move)",
            timed(
                keystroke(
                    edits(
                        lambda n: big.replace(
                            '"""Endpoints for resource_0."""\n',
                            '"""Endpoints for resource_0."""\n' + "\n" * (n % 2 + 1),
                        ),
                    )
                ),
                runs,
            ),
        )
        broken_summary = Summary(
            "half-typed line, every other keystroke",
            timed(keystroke(edits(half_typed)), runs),
        )
        search = Summary(
            "workspace/symbol search 'POST /api/v1/resource_1'",
            timed(lambda: index.search("POST /api/v1/resource_1"), args.runs * 10),
        )
        walk = Summary(
            f"server check: walk + stat {len(mixed_paths)} files",
            timed(lambda: stamps(mixed), args.runs * 3),
        )
        listing = PythonFiles(mixed)
        age(mixed)
        cached_walk = Summary(
            f"server check: stat {len(mixed_paths)} files, listing kept",
            timed(lambda: cached_stamps(listing), args.runs * 3),
        )
        print(f"{len(mixed_paths)} files, {routes} routes in the 60% service")
        print_table([baseline, cold, search, walk, cached_walk], baseline)
        print()
        print(f"the index current after a keystroke in the {lines}-line module ({runs} each):")
        print_table(
            [
                baseline_parse,
                relinked,
                rescanned,
                path_summary,
                body_summary,
                enter_summary,
                broken_summary,
            ],
            baseline_parse,
        )
        print()
        print_table([baseline_all, cold_all], baseline_all)
    return 0
