"""Every variant the scaffold offers (16 combinations) passes ``ruff check`` and ``ruff format``.

The generated-gates tests run every gate on a few variants; ruff is fast enough to cover all of
them, so a template branch that only one combination renders cannot leave lint behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scaffold_gates import EVERY_VARIANT, gate_venv, run

from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import parse_options, plan_project

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def test_every_variant_passes_ruff_check_and_format(tmp_path: Path) -> None:
    venv = gate_venv()
    failures = []
    for values in EVERY_VARIANT:
        name = "-".join(map(str, values.values()))
        root = tmp_path / name
        write_plan(plan_project(parse_options({"project_name": "svc", **values})), root)
        for gate in (
            run(venv, root, "ruff", "check", "--no-cache", "."),
            run(venv, root, "ruff", "format", "--check", "--no-cache", "."),
        ):
            if gate.returncode != 0:
                failures.append(f"{name}: {gate.command}\n{gate.output}")
    assert not failures, "\n".join(failures)
