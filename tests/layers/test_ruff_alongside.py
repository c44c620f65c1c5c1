"""ruff's ASYNC and FAST rules (current release, preview included) report none of the lines
the FA rules report: the two complement each other and never say the same thing twice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from fastapi_architect.layers.workspace import check_files

FIXTURE = Path(__file__).parent / "fixtures" / "violations"


def test_ruff_async_and_fast_rules_do_not_report_what_fa_rules_report(tmp_path: Path) -> None:
    root = tmp_path / "violations"
    shutil.copytree(FIXTURE, root)
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [
            *(str(ruff), "check", "--no-cache", "--isolated", "--preview"),
            *("--select", "ASYNC,FAST", "--output-format", "json", "."),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    ruff_lines = {
        (Path(row["filename"]).resolve(), row["location"]["row"])
        for row in json.loads(result.stdout)
    }
    files = sorted(root.rglob("*.py"))
    ours = {
        (item.path.resolve(), item.finding.start.line + 1)
        for item in check_files(files, root)
        if item.finding.code in {"FA103", "FA104", "FA105", "FA106", "FA107"}
    }
    assert len(ours) == 7
    assert not ours & ruff_lines
