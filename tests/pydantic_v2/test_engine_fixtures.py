"""Before/after pairs: each ``fixtures/<case>.before.py`` migrates to ``<case>.after.py``.

The pairs are the reference for what every V1 form becomes (see docs/pydantic-v2-conversions.md).
Every pair also proves the generic promises: idempotent, compiles, CRLF kept, edits minimal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fastapi_architect.pydantic_v2 import find_findings, fix_edits, migrate_source
from fastapi_architect.textedit import apply_edits, line_starts, offset_of, split_lines

FIXTURES = Path(__file__).parent / "fixtures"
PAIRS = sorted(FIXTURES.glob("*.before.py"))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _after(before: Path) -> Path:
    return before.with_name(before.name.replace(".before.", ".after."))


@pytest.mark.parametrize("before", PAIRS, ids=[p.name.split(".")[0] for p in PAIRS])
def test_fixture_migrates_to_its_after_file(before: Path) -> None:
    assert migrate_source(_read(before)) == _read(_after(before))


@pytest.mark.parametrize("before", PAIRS, ids=[p.name.split(".")[0] for p in PAIRS])
def test_migration_is_idempotent_and_compiles(before: Path) -> None:
    once = migrate_source(_read(before))
    compile(once, str(before), "exec")
    assert migrate_source(once) == once
    assert all(not f.fixable for f in find_findings(once))


@pytest.mark.parametrize("before", PAIRS, ids=[p.name.split(".")[0] for p in PAIRS])
def test_crlf_line_endings_are_kept(before: Path) -> None:
    source = _read(before).replace("\n", "\r\n")
    expected = _read(_after(before)).replace("\n", "\r\n")
    assert migrate_source(source) == expected


@pytest.mark.parametrize("before", PAIRS, ids=[p.name.split(".")[0] for p in PAIRS])
def test_fix_edits_touch_only_changed_lines(before: Path) -> None:
    source = _read(before)
    edits = fix_edits(source)
    assert apply_edits(source, edits) == _read(_after(before))
    lines = split_lines(source)
    starts = line_starts(source)
    for edit in edits:
        old = source[offset_of(source, edit.start, starts) : offset_of(source, edit.end, starts)]
        assert old != edit.new_text, f"no-op edit {edit}"
        # A line an edit covers completely must really change: it may not survive verbatim.
        for line in range(edit.start.line + (1 if edit.start.column else 0), edit.end.line):
            kept = lines[line]
            assert kept.strip() == "" or kept not in edit.new_text, f"{edit} rewrites {kept!r}"


@pytest.mark.parametrize("before", PAIRS, ids=[p.name.split(".")[0] for p in PAIRS])
@pytest.mark.parametrize("order", ["forward", "backward"])
def test_fixing_one_key_at_a_time_ends_where_fix_all_ends(before: Path, order: str) -> None:
    source = _read(before)
    keys = [f.key for f in find_findings(source) if f.fixable]
    if order == "backward":
        keys.reverse()
    text = source
    for key in keys:
        text = apply_edits(text, fix_edits(text, [key]))
    assert text == _read(_after(before))


BEHAVIOUR = sorted((FIXTURES / "behaviour").glob("*.py"))


@pytest.mark.parametrize("module", BEHAVIOUR, ids=[p.stem for p in BEHAVIOUR])
def test_behaviour_modules_also_fix_one_key_at_a_time_like_fix_all(module: Path) -> None:
    source = _read(module)
    text = source
    for key in reversed([f.key for f in find_findings(source) if f.fixable]):
        text = apply_edits(text, fix_edits(text, [key]))
    assert text == migrate_source(source)


def _isort_clean(path: Path) -> bool:
    """True when ruff's import-sorting rule (I001) has nothing to say about ``path``."""
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--isolated", "--no-cache", "--select", "I", "--quiet", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0


SORTED_PAIRS = [before for before in PAIRS if _isort_clean(before)]


@pytest.mark.parametrize("before", SORTED_PAIRS, ids=[p.name.split(".")[0] for p in SORTED_PAIRS])
def test_isort_clean_imports_stay_isort_clean(before: Path) -> None:
    assert _isort_clean(_after(before)), f"{_after(before).name} needs ruff --select I --fix"


def test_most_fixtures_start_isort_clean_so_the_check_above_means_something() -> None:
    assert len(SORTED_PAIRS) >= 12
