"""``fastapi-architect migrate`` against bump-pydantic 0.8.0 on the same synthetic corpus.

``python -m bench migrate [--files 200] [--repeat 3] [--baseline-repeat 1]`` generates the
corpus (``bench/corpus.py``), then times both command lines, each on a fresh copy, in the same
run, and prints medians with the speed-up (target: ours >= 20x faster). bump-pydantic is
installed into its own virtualenv under ``.bench-cache/`` on first use (pip from PyPI); if
that fails the reason is printed and our numbers are still reported. bump-pydantic needs about
10 s per 1,000 lines on two cores, so one baseline run over the default corpus takes minutes.

Besides time, it counts what each tool left behind: V1 decorators still present, TODO
comments, and files that no longer compile.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus
from bench.stats import Summary, print_table

BUMP_VERSION = "0.8.0"
CACHE = Path(__file__).resolve().parent.parent / ".bench-cache"
BUMP_VENV = CACHE / f"bump-pydantic-{BUMP_VERSION}"
TARGET_SPEEDUP = 20.0

V1_DECORATOR = re.compile(
    r"^\s*@(?:pydantic\.)?(?:validator|root_validator|field_check|model_check)\b", re.MULTILINE
)
TODO = re.compile(r"#\s*TODO\[pydantic\]")


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
    if outcome.changed_files == 0:
        print(f"  warning: {label} changed no file; its timing is not a real migration")
    return outcome


def main(argv: list[str]) -> int:
    """Generate the corpus, time both tools, print the table and the speed-up."""
    parser = argparse.ArgumentParser(prog="python -m bench migrate")
    parser.add_argument("--files", type=int, default=corpus.DEFAULT_FILES)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=3, help="runs of our migrate")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of bump-pydantic")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run bump-pydantic")
    arguments = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-migrate-") as temp:
        work = Path(temp)
        source = work / "corpus"
        stats = corpus.generate(source, arguments.files, arguments.seed)
        print(
            f"corpus: {stats.files} files, {stats.lines:,} lines, {stats.models} models, "
            f"{stats.validators} V1 validators (seed {arguments.seed}); "
            f"{os.cpu_count()} cores"
        )
        ours = measure(
            "fastapi-architect migrate",
            [sys.executable, "-m", "fastapi_architect", "migrate"],
            source,
            work / "ours",
            arguments.repeat,
        )
        outcomes = [ours]
        baseline: Outcome | None = None
        if arguments.skip_baseline:
            print("bump-pydantic: skipped (--skip-baseline)")
        else:
            script, how = bump_executable()
            if script is None:
                print(f"bump-pydantic {BUMP_VERSION}: not available ({how}); ours only")
            else:
                print(f"bump-pydantic {BUMP_VERSION}: {script} ({how})")
                baseline = measure(
                    f"bump-pydantic {BUMP_VERSION}",
                    [str(script)],
                    source,
                    work / "bump",
                    arguments.baseline_repeat,
                )
                outcomes.append(baseline)

    print()
    summaries = [Summary(outcome.label, outcome.samples) for outcome in outcomes]
    # Ratio column: how many times our median each row's median is (bump-pydantic's = slowdown).
    print_table(summaries, summaries[0])
    print()
    print(
        f"{'tool':<30} {'s / 1,000 lines':>16} {'files changed':>14} {'V1 left':>8} "
        f"{'TODOs':>6} {'not compiling':>14}"
    )
    for outcome, summary in zip(outcomes, summaries, strict=True):
        per_kloc = summary.median / max(stats.lines, 1) * 1000
        print(
            f"{outcome.label:<30} {per_kloc:>16.3f} {outcome.changed_files:>14} "
            f"{outcome.v1_left:>8} {outcome.todos:>6} {outcome.not_compiling:>14}"
        )
    if baseline is not None:
        speedup = summaries[1].median / summaries[0].median
        verdict = "meets" if speedup >= TARGET_SPEEDUP else "MISSES"
        print(
            f"\nspeed-up (bump-pydantic median / ours median): {speedup:.1f}x "
            f"({verdict} the >= {TARGET_SPEEDUP:.0f}x target)"
        )
    return 0
