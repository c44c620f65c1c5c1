"""Scaffold: render + write the default service, against writing the same bytes directly.

``python -m bench scaffold [--runs N]``. Rows:

- render + write, cold templates: jinja2 environment and template caches cleared every run
  (what the CLI's one-shot process pays);
- render + write, warm: caches kept (what the long-running language server pays after the first
  scaffold);
- baselines measured in the same run: the same files' bytes written with ``Path.write_text``
  (mkdir + write, no rendering, no safety checks), and ``shutil.copytree`` of a rendered tree.

Target: the cold median <= 0.3 s.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.stats import Summary, print_table

TARGET_SECONDS = 0.3


def _clear_caches() -> None:
    from fastapi_architect.scaffold import render

    render.environment.cache_clear()
    render.template_names.cache_clear()
    render._read_static.cache_clear()


def _sample(label: str, runs: int, work: Callable[[Path], None]) -> Summary:
    samples: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-scaffold-") as scratch:
        for index in range(runs):
            target = Path(scratch) / f"run-{index}" / "bench-service"
            started = time.perf_counter()
            work(target)
            samples.append(time.perf_counter() - started)
    return Summary(label, samples)


def main(argv: list[str]) -> int:
    """Run the benchmark and print the table; exit 1 if the cold median misses the target."""
    parser = argparse.ArgumentParser(prog="python -m bench scaffold")
    parser.add_argument("--runs", type=int, default=20, help="samples per row (default 20)")
    arguments = parser.parse_args(argv)

    from fastapi_architect.plan import write_plan
    from fastapi_architect.scaffold import check_target_is_free, parse_options, plan_project

    options = parse_options({"project_name": "bench-service"})
    reference = plan_project(options)
    files = [(generated.path, generated.content) for generated in reference.creates]

    def render_and_write(target: Path) -> None:
        check_target_is_free(target)
        write_plan(plan_project(options), target)

    def cold(target: Path) -> None:
        _clear_caches()
        render_and_write(target)

    def write_bytes(target: Path) -> None:
        for relative, content in files:
            path = target.joinpath(*relative.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")

    with tempfile.TemporaryDirectory(prefix="bench-scaffold-src-") as source_dir:
        source = Path(source_dir) / "tree"
        write_bytes(source)

        def copy_tree(target: Path) -> None:
            shutil.copytree(source, target)

        baseline = _sample("baseline: write the same bytes", arguments.runs, write_bytes)
        copied = _sample("baseline: shutil.copytree of the tree", arguments.runs, copy_tree)
        cold_summary = _sample("render + write, cold templates", arguments.runs, cold)
        warm = _sample("render + write, warm", arguments.runs, render_and_write)

    print(f"default service: {len(files)} files, {sum(len(c) for _, c in files):,} characters")
    print_table([baseline, copied, cold_summary, warm], baseline)
    verdict = "meets" if cold_summary.median <= TARGET_SECONDS else "MISSES"
    print(
        f"\ncold median {cold_summary.median * 1000:.1f} ms {verdict} the target "
        f"of {TARGET_SECONDS * 1000:.0f} ms"
    )
    return 0 if cold_summary.median <= TARGET_SECONDS else 1
