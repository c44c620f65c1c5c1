"""``fastapi-architect migrate`` against bump-pydantic 0.8.0 at equal scope, same run.

``python -m bench migrate [--corpus synthetic|realcode|both] [--files 200] [--repeat 3]
[--baseline-repeat 1]`` times both command lines, each on a fresh copy, and prints medians
with the speed-up (target: ours >= 20x faster), on two corpora:

- ``synthetic``: ``bench/corpus.py`` (every validator kind in three import styles) with, per
  module, a block of the other V1 constructs both tools convert (``class Config``, V1
  ``Field`` arguments, Optional fields without a default, ``constr``, ``GenericModel``, a
  ``.dict()`` call), so the comparison is not about validators alone;
- ``realcode``: the PyPI code bases of ``bench/pydantic_realcode.py`` (downloaded and cached).

Equal scope: bump-pydantic runs with every rule (BP001-BP009, no ``--disable``), ours with
every conversion (no ``--select``). What each converted is counted the same way for both: the
V1 constructs ``fastapi-architect check`` finds in the corpus, by kind, minus those it still
finds in each tool's output, plus ``__root__`` fields and V1 decorators counted as text, TODO
comments written, files changed and files that no longer compile.

bump-pydantic is installed into its own virtualenv under ``.bench-cache/`` on first use (pip
from PyPI); if that fails the reason is printed and our numbers are still reported. It needs
about 10 s per 1,000 lines on two cores, so one baseline run takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus, pydantic_realcode
from bench.stats import Summary, print_table

BUMP_VERSION = "0.8.0"
CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"
BUMP_VENV = CACHE / f"bump-pydantic-{BUMP_VERSION}"
TARGET_SPEEDUP = 20.0

V1_DECORATOR = re.compile(
    r"^\s*@(?:pydantic\.)?(?:validator|root_validator|field_check|model_check)\b", re.MULTILINE
)
TODO = re.compile(r"#\s*TODO\[pydantic\]")
ROOT_FIELD = re.compile(r"^\s+__root__\s*:", re.MULTILINE)

KINDS = {
    "PYD001": "@validator",
    "PYD002": "@root_validator",
    "PYD010": "class Config",
    "PYD011": "Field arguments",
    "PYD012": "Optional without default",
    "PYD013": "moved/removed imports",
    "PYD014": "model method calls",
    "PYD015": "constr/conint/...",
    "PYD016": "GenericModel classes",
    "__root__": "__root__ fields (text)",
}
"""The kinds counted in the corpus and in each output (check codes, then text patterns)."""

SCOPE_BLOCK = """

from typing import Generic, TypeVar  # noqa: E402

from pydantic import BaseModel, Field, constr  # noqa: E402
from pydantic.generics import GenericModel  # noqa: E402

ScopeItem = TypeVar("ScopeItem")


class ScopeAddress{n}(BaseModel):
    street: Optional[str]
    zip_code: constr(regex=r"[0-9]{{5}}")
    lines: List[str] = Field([], min_items=0, max_items=5)
    note: str = Field("", regex="^[a-z]*$", example="abc")

    class Config:
        orm_mode = True
        allow_population_by_field_name = True
        anystr_strip_whitespace = True


class ScopePage{n}(GenericModel, Generic[ScopeItem]):
    items: List[ScopeItem]
    total: Optional[int]


def dump_address{n}(address: ScopeAddress{n}) -> dict:
    return address.dict()
"""
"""Appended to every synthetic module: the V1 constructs besides validators."""


@dataclass
class Outcome:
    """One tool's timings and what its output looks like."""

    label: str
    samples: list[float] = field(default_factory=list)
    changed_files: int = 0
    v1_left: int = 0
    todos: int = 0
    not_compiling: int = 0
    exit_codes: set[int] = field(default_factory=set)
    left: Counter[str] = field(default_factory=Counter)
    """V1 constructs still found in the output, by kind (``KINDS``)."""


def v1_constructs(folder: Path) -> Counter[str]:
    """The V1 constructs in ``folder`` by kind: ``check`` findings and ``__root__`` fields."""
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "check", "--format", "json", "."],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    counts: Counter[str] = Counter(str(item["code"]) for item in json.loads(done.stdout or "[]"))
    for path in folder.rglob("*.py"):
        counts["__root__"] += len(ROOT_FIELD.findall(path.read_text(encoding="utf-8")))
    return counts


def synthetic_corpus(source: Path, files: int, seed: int) -> tuple[int, int]:
    """``bench/corpus.py`` plus ``SCOPE_BLOCK`` in every module; (files, lines)."""
    corpus.generate(source, files, seed)
    modules = sorted((source / "pkg").glob("module_*.py"))
    for number, module in enumerate(modules):
        text = module.read_text(encoding="utf-8")
        module.write_text(text + SCOPE_BLOCK.format(n=number), encoding="utf-8")
    return _size(source / "pkg")


def realcode_corpus(source: Path) -> tuple[int, int]:
    """The real code bases of ``bench/pydantic_realcode.py`` under ``source/pkg``."""
    package = source / "pkg"
    with tempfile.TemporaryDirectory(prefix="bench-migrate-sdists-") as temp:
        roots = pydantic_realcode.prepare(Path(temp))
        for code_base in pydantic_realcode.CODE_BASES:
            root = roots[code_base.name]
            tops = [*code_base.packages, *([code_base.tests] if code_base.tests else [])]
            for top in tops:
                shutil.copytree(
                    root / top,
                    package / code_base.name.replace("-", "_") / top,
                    ignore=shutil.ignore_patterns("*.pyc", "__pycache__"),
                )
    return _size(package)


def _size(folder: Path) -> tuple[int, int]:
    paths = list(folder.rglob("*.py"))
    return len(paths), sum(p.read_text(encoding="utf-8").count("\n") for p in paths)


def bump_executable() -> tuple[Path | None, str]:
    """The bump-pydantic script of the bench venv (created if missing), or why it is absent."""
    script = BUMP_VENV / "bin" / "bump-pydantic"
    if script.exists():
        return script, "cached"
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(BUMP_VENV)
        subprocess.run(
            [
                str(BUMP_VENV / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"bump-pydantic=={BUMP_VERSION}",
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.CalledProcessError as error:
        tail = (error.stderr or error.stdout or "").strip().splitlines()[-3:]
        return None, "pip install failed: " + " | ".join(tail)
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"could not create the bench venv: {error}"
    if not script.exists():
        return None, f"installed, but {script} is missing"
    return script, "installed now"


def _inspect(original: Path, migrated: Path, outcome: Outcome) -> None:
    """Count changed files, V1 decorators and TODOs left, and files that fail to compile."""
    for before in sorted(original.rglob("*.py")):
        after = migrated / before.relative_to(original)
        text = after.read_text(encoding="utf-8")
        if text != before.read_text(encoding="utf-8"):
            outcome.changed_files += 1
        outcome.v1_left += len(V1_DECORATOR.findall(text))
        outcome.todos += len(TODO.findall(text))
        try:
            compile(text, str(after), "exec", dont_inherit=True)
        except SyntaxError:
            outcome.not_compiling += 1


def _time_run(command: list[str], source: Path, work: Path, run: int) -> tuple[float, int, Path]:
    target = work / f"run-{run}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    started = time.perf_counter()
    completed = subprocess.run(
        # Relative: bump-pydantic fails on an absolute package path.
        [*command, "pkg"],
        cwd=target,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1) or "Traceback" in completed.stderr:
        tail = (completed.stderr or completed.stdout).strip()[-400:]
        print(f"  {Path(command[-1]).name} exited {completed.returncode}: {tail}")
    return elapsed, completed.returncode, target


def measure(label: str, command: list[str], source: Path, work: Path, repeat: int) -> Outcome:
    """Run ``command PACKAGE`` ``repeat`` times on fresh copies of ``source``."""
    outcome = Outcome(label)
    last: Path | None = None
    for run in range(repeat):
        elapsed, code, last = _time_run(command, source, work, run)
        outcome.samples.append(elapsed)
        outcome.exit_codes.add(code)
    if last is not None:
        _inspect(source / "pkg", last / "pkg", outcome)
        outcome.left = v1_constructs(last / "pkg")
    if outcome.changed_files == 0:
        print(f"  warning: {label} changed no file; its timing is not a real migration")
    return outcome


def compare(
    name: str, source: Path, work: Path, arguments: argparse.Namespace, bump: Path | None
) -> float | None:
    """Time both tools on ``source/pkg``; print the table; return the speed-up (or None)."""
    files, lines = _size(source / "pkg")
    print(f"\n## corpus {name}: {files} files, {lines:,} lines; {os.cpu_count()} cores")
    ours = measure(
        "fastapi-architect migrate (all conversions)",
        [sys.executable, "-m", "fastapi_architect", "migrate"],
        source,
        work / "ours",
        arguments.repeat,
    )
    outcomes = [ours]
    if bump is not None:
        outcomes.append(
            measure(
                f"bump-pydantic {BUMP_VERSION} (all rules)",
                [str(bump)],
                source,
                work / "bump",
                arguments.baseline_repeat,
            )
        )
    found = v1_constructs(source / "pkg")
    print()
    summaries = [Summary(outcome.label, outcome.samples) for outcome in outcomes]
    # Ratio column: how many times our median each row's median is (bump-pydantic's = slowdown).
    print_table(summaries, summaries[0])
    print()
    print(
        f"{'tool':<44} {'s / 1,000 lines':>16} {'files changed':>14} {'V1 left':>8} "
        f"{'TODOs':>6} {'not compiling':>14}"
    )
    for outcome, summary in zip(outcomes, summaries, strict=True):
        per_kloc = summary.median / max(lines, 1) * 1000
        print(
            f"{outcome.label:<44} {per_kloc:>16.3f} {outcome.changed_files:>14} "
            f"{outcome.v1_left:>8} {outcome.todos:>6} {outcome.not_compiling:>14}"
        )
    print("\nconverted by kind (found in the corpus -> converted by each tool; the rest is left):")
    header = f"{'kind':<32} {'in corpus':>10}" + "".join(
        f" {outcome.label.split(' (')[0][:26]:>27}" for outcome in outcomes
    )
    print(header)
    for code, kind in KINDS.items():
        if not found[code] and not any(outcome.left[code] for outcome in outcomes):
            continue
        row = f"{kind + ' ' + (code if code.startswith('PYD') else ''):<32} {found[code]:>10}"
        for outcome in outcomes:
            row += f" {max(found[code] - outcome.left[code], 0):>27}"
        print(row)
    if len(summaries) < 2:
        return None
    speedup = summaries[1].median / summaries[0].median
    verdict = "meets" if speedup >= TARGET_SPEEDUP else "MISSES"
    print(
        f"\n{name}: speed-up (bump-pydantic median / ours median): {speedup:.1f}x "
        f"({verdict} the >= {TARGET_SPEEDUP:.0f}x target)"
    )
    return speedup


def main(argv: list[str]) -> int:
    """Build the corpora, time both tools on each, print the tables and the speed-ups."""
    parser = argparse.ArgumentParser(prog="python -m bench migrate")
    parser.add_argument("--corpus", choices=("synthetic", "realcode", "both"), default="both")
    parser.add_argument("--files", type=int, default=corpus.DEFAULT_FILES)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=3, help="runs of our migrate")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of bump-pydantic")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run bump-pydantic")
    arguments = parser.parse_args(argv)

    bump: Path | None = None
    if arguments.skip_baseline:
        print("bump-pydantic: skipped (--skip-baseline)")
    else:
        bump, how = bump_executable()
        if bump is None:
            print(f"bump-pydantic {BUMP_VERSION}: not available ({how}); ours only")
        else:
            print(f"bump-pydantic {BUMP_VERSION}: {bump} ({how}); rules BP001-BP009, none disabled")
    speedups: dict[str, float | None] = {}
    with tempfile.TemporaryDirectory(prefix="bench-migrate-") as temp:
        work = Path(temp)
        if arguments.corpus in ("synthetic", "both"):
            source = work / "synthetic"
            synthetic_corpus(source, arguments.files, arguments.seed)
            print(f"synthetic corpus: seed {arguments.seed}, {arguments.files} modules")
            speedups["synthetic"] = compare("synthetic", source, work / "s", arguments, bump)
        if arguments.corpus in ("realcode", "both"):
            source = work / "realcode"
            realcode_corpus(source)
            names = ", ".join(c.requirement for c in pydantic_realcode.CODE_BASES)
            print(f"\nreal-code corpus: {names}")
            speedups["realcode"] = compare("realcode", source, work / "r", arguments, bump)
    if any(value is not None for value in speedups.values()):
        print()
        for name, value in speedups.items():
            if value is not None:
                print(f"speed-up on {name}: {value:.1f}x (target >= {TARGET_SPEEDUP:.0f}x)")
    return 0
