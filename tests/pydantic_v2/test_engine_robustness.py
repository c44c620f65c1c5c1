"""Half-edited files: seeded mutations of every fixture never crash the engine or break code.

Each mutant deletes, duplicates or splices a line of a fixture, the way a file looks while it
is being typed. On a broken file the engine raises SyntaxError or simply works, never anything
else; on a valid one whatever it migrates must compile and stay put when migrated again, and
every single fix must compile too.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits

FIXTURES = sorted((Path(__file__).parent / "fixtures").rglob("*.py"))
SPLICES = ["values", "cls", " ", "(", "#", "'", "pre=True, ", "each_item=True, ", "always=True, "]


def _mutant(rng: random.Random) -> str:
    lines = rng.choice(FIXTURES).read_text(encoding="utf-8").splitlines(keepends=True)
    roll = rng.random()
    index = rng.randrange(len(lines))
    if roll < 0.4:
        del lines[index]
    elif roll < 0.7:
        lines.insert(index, lines[rng.randrange(len(lines))])
    else:
        cut = rng.randrange(len(lines[index]) + 1)
        lines[index] = lines[index][:cut] + rng.choice(SPLICES) + lines[index][cut:]
    return "".join(lines)


@pytest.mark.parametrize("seed", range(10))
def test_mutated_sources_never_crash_and_never_break_code(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        text = _mutant(rng)
        try:
            compile(text, "<mutant>", "exec")
        except SyntaxError:
            # Broken input: SyntaxError, or (if it still parses) no crash of any other kind.
            with contextlib.suppress(SyntaxError):
                find_findings(text)
                migrate_source(text)
            continue
        findings = find_findings(text)
        migrated = migrate_source(text)
        compile(migrated, "<migrated>", "exec")
        assert migrate_source(migrated) == migrated
        for finding in findings[:3]:
            fixed = apply_edits(text, fix_edits(text, [finding.key]))
            compile(fixed, "<fixed>", "exec")
