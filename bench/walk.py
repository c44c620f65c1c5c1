"""Discovery and safe reads of a tree through the project-files view, against the bare OS.

``python -m bench walk [FOLDER] [--repeat N]`` walks FOLDER (default: this interpreter's
site-packages, copied nowhere, only read) three ways and prints medians:

- baseline: ``os.walk`` listing every ``.py`` file (no skip rules, no checks);
- ``find_files``: the runner's discovery through ``DiskFiles`` (skip rules, symlink checks,
  unreadable folders collected);
- reading every file found with ``read_text_safely`` (stat, non-blocking open, bounded read)
  against a plain ``open().read()`` of the same files.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sysconfig
import time
from pathlib import Path

from bench.stats import Summary, print_table
from fastapi_architect.project_files import read_text_safely
from fastapi_architect.pydantic_v2.runner import find_files


def _bare_walk(root: Path) -> list[Path]:
    return [
        Path(folder) / name
        for folder, _, names in os.walk(root)
        for name in names
        if name.endswith(".py")
    ]


def _plain_reads(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                total += len(handle.read())
        except (OSError, UnicodeDecodeError):
            pass
    return total


def _safe_reads(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            total += len(read_text_safely(path))
    return total


def _time(function: object, repeat: int) -> list[float]:
    assert callable(function)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str]) -> int:
    """Print the table; return 0."""
    parser = argparse.ArgumentParser(prog="python -m bench walk")
    parser.add_argument(
        "folder", nargs="?", type=Path, default=Path(sysconfig.get_paths()["purelib"])
    )
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args(argv)
    root: Path = arguments.folder
    files = find_files([root]).files
    print(f"{root}: {len(files)} Python files found by find_files")
    walk_base = Summary(
        "os.walk, every .py (baseline)", _time(lambda: _bare_walk(root), arguments.repeat)
    )
    walk = Summary(
        "find_files through DiskFiles", _time(lambda: find_files([root]), arguments.repeat)
    )
    print_table([walk_base, walk], baseline=walk_base)
    read_base = Summary(
        "open().read() of every file (baseline)",
        _time(lambda: _plain_reads(files), arguments.repeat),
    )
    safe = Summary(
        "read_text_safely of every file", _time(lambda: _safe_reads(files), arguments.repeat)
    )
    print_table([read_base, safe], baseline=read_base)
    return 0
