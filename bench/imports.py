"""Import planning latency on a 2,000-line module (what completion pays per item).

Rows: the tolerant scan of the module (first time: its text was never seen), planning one new
import and one merge on a fresh text, and the same plan on an already scanned text (completion
plans every item against one buffer). Baseline: ``ast.parse`` of the same module, same run.

    python -m bench imports [--runs N]
"""

from __future__ import annotations

import argparse
import ast
import time
from collections.abc import Callable

from bench.stats import Summary, print_table
from fastapi_architect.imports import ImportBinding, plan_imports, scan_imports

HEADER = '''\
"""A generated module."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from app.db import get_db

router = APIRouter()
'''

UNIT = '''

@router.get("/things/{n}")
def read_{n}(session: Annotated[Session, Depends(get_db)], limit: int = {n}) -> dict[str, Any]:
    """Thing {n}."""
    if limit < 0:
        raise HTTPException(status_code=400, detail="negative")
    logging.getLogger(__name__).info("read %s", limit)
    return {{"n": {n}, "limit": limit}}
'''

WANTED = [ImportBinding("fastapi", "Query"), ImportBinding(None, "asyncio")]


def module(lines: int) -> str:
    """A module of about ``lines`` lines."""
    text = HEADER
    n = 0
    while text.count("\n") < lines:
        text += UNIT.format(n=n)
        n += 1
    return text


def _time(label: str, runs: int, action: Callable[[int], object]) -> Summary:
    samples = []
    for run in range(runs):
        start = time.perf_counter()
        action(run)
        samples.append(time.perf_counter() - start)
    return Summary(label, samples)


def main(argv: list[str]) -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench imports")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    base = module(2000)
    # A new text every run (an edit in the body) so the scan cache never answers.
    texts = [base + f"\nx_{run} = {run}\n" for run in range(args.runs)]
    baseline = _time("ast.parse (baseline)", args.runs, lambda run: ast.parse(texts[run]))
    rows = [
        baseline,
        _time("scan_imports, new text", args.runs, lambda run: scan_imports(texts[run] + " ")),
        _time("plan_imports, new text", args.runs, lambda run: plan_imports(texts[run], WANTED)),
        _time("plan_imports, text scanned before", args.runs, lambda _: plan_imports(base, WANTED)),
    ]
    print(f"module: {base.count(chr(10))} lines")
    print_table(rows, baseline)
    return 0
