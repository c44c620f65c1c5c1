"""A freshly scaffolded service has no FA finding, in every combination of the scaffold's
options — and the rules are live on it: breaking a layer in the generated code is reported."""

from __future__ import annotations

import itertools
import typing
from pathlib import Path

import pytest

from fastapi_architect.layers.workspace import check_files
from fastapi_architect.plan import write_plan
from fastapi_architect.scaffold import parse_options, plan_project
from fastapi_architect.scaffold.options import ScaffoldOptions

CHOICES = {
    name: typing.get_args(field.annotation) or (True, False)
    for name, field in ScaffoldOptions.model_fields.items()
    if name in ("orm", "database", "docker", "inference")
}
VARIANTS = [
    dict(zip(CHOICES, values, strict=True)) for values in itertools.product(*CHOICES.values())
]

COUNT_ENDPOINT = '''

@router.get("/stats/count")
def count_users(session: SessionDep) -> int:
    """How many users there are."""
    return len(list(session.scalars(select(User))))
'''


def _scaffold(root: Path, **values: object) -> Path:
    write_plan(plan_project(parse_options({"project_name": "svc", **values})), root)
    return root


def _codes(root: Path) -> list[tuple[str, str]]:
    files = sorted(root.rglob("*.py"))
    return [
        (item.path.relative_to(root).as_posix(), item.finding.code)
        for item in check_files(files, root)
    ]


def test_every_option_is_enumerated() -> None:
    assert len(VARIANTS) == 16
    assert {v["orm"] for v in VARIANTS} == {"sync", "async"}


def test_every_scaffold_variant_has_no_fa_finding(tmp_path: Path) -> None:
    failures = {}
    for values in VARIANTS:
        root = _scaffold(tmp_path / "-".join(map(str, values.values())), **values)
        found = _codes(root)
        if found:
            failures[root.name] = found
    assert failures == {}


@pytest.mark.parametrize("orm", ["sync", "async"])
def test_breaking_the_layers_of_a_scaffolded_service_is_reported(tmp_path: Path, orm: str) -> None:
    root = _scaffold(tmp_path / orm, orm=orm)
    service = root / "app/services/user_service.py"
    text = service.read_text(encoding="utf-8")
    awaited = "await " if orm == "async" else ""
    get_user = f"user = {awaited}self.session.get(User, user_id)"
    not_found = 'raise NotFoundError(f"user {user_id} not found")'
    assert get_user in text and not_found in text
    text = (
        text.replace(get_user, "user = self.session.get(User, user_id)")
        .replace(not_found, 'raise HTTPException(404, f"user {user_id} not found")')
        .replace(
            "from app.models.user import User",
            "from fastapi import HTTPException\n\nfrom app.api.deps import SessionDep\n"
            "from app.models.user import User",
        )
    )
    service.write_text(text, encoding="utf-8")
    users = root / "app/api/v1/endpoints/users.py"
    endpoint = users.read_text(encoding="utf-8").replace(
        "from app.api.deps import ",
        "from sqlalchemy import select\n\nfrom app.api.deps import SessionDep, ",
    )
    users.write_text(endpoint + COUNT_ENDPOINT, encoding="utf-8")

    found = _codes(root)
    expected_service = {"FA104", "FA105"} | ({"FA107"} if orm == "async" else set())
    assert {code for path, code in found if path.endswith("user_service.py")} == expected_service
    assert ("app/api/v1/endpoints/users.py", "FA103") in found
