"""PYD015 in function signatures: Python evaluates parameter and return annotations when it
defines the function, so ``items: conlist(Item, max_items=50) = Body(...)`` in a FastAPI
endpoint raised ``TypeError`` at import under V2 (found on ethyca Fides: 5 endpoint modules).
``migrate`` converts them like model fields, except that the constraints go into a FastAPI
parameter default (``= Body(...)``, ``= Query(5)``), since FastAPI ignores ``Annotated``
constraints then; the endpoint answers the same requests the same way: the original under
FastAPI + pydantic 1, the migrated module under FastAPI + pydantic 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.venvs import cached_venv, fixture_app_python, venv_python

from fastapi_architect.pydantic_v2 import find_findings, migrate_source

ENDPOINT = """\
from typing import List, Optional

import fastapi
from fastapi import Body, FastAPI, Query
from pydantic import BaseModel, conint, conlist, constr


class Item(BaseModel):
    name: str


app = FastAPI()


@app.post("/items")
def create(
    items: conlist(Item, min_items=1, max_items=2) = Body(...),
    code: Optional[constr(regex=r"[a-z]+")] = None,
) -> List[str]:
    return [item.name for item in items] + ([code] if code else [])


@app.get("/page")
async def page(size: conint(gt=0, le=10) = 5) -> int:
    return size


@app.get("/offset")
async def offset(
    at: conint(ge=0, lt=100) = Query(0, description="first row"),
    tag: constr(min_length=2) = fastapi.Query(None),
) -> list:
    return [at, tag]


class Service:
    def names(self, items: conlist(str, min_items=1)) -> conlist(str, max_items=3):
        return items[:3]
"""

REQUESTS = [
    ("post", "/items", [{"name": "a"}]),
    ("post", "/items", [{"name": "a"}, {"name": "b"}]),
    ("post", "/items", [{"name": "a"}, {"name": "b"}, {"name": "c"}]),
    ("post", "/items", []),
    ("post", "/items?code=abc", [{"name": "a"}]),
    ("post", "/items?code=ABC", [{"name": "a"}]),
    ("get", "/page?size=3", None),
    ("get", "/page?size=11", None),
    ("get", "/page", None),
    ("get", "/offset?at=99&tag=ab", None),
    ("get", "/offset?at=100", None),
    ("get", "/offset?tag=a", None),
    ("get", "/offset", None),
]

CLIENT = """\
import json, sys
sys.path.insert(0, sys.argv[1])
from fastapi.testclient import TestClient
from endpoint import app
client = TestClient(app)
answers = []
for method, url, body in json.loads(sys.argv[2]):
    response = client.post(url, json=body) if method == "post" else client.get(url)
    detail = response.json()
    if response.status_code == 422:
        detail = sorted(tuple(e["loc"]) for e in detail["detail"])
    answers.append([response.status_code, detail])
print(json.dumps(answers))
"""


def test_signature_annotations_are_converted_like_fields() -> None:
    migrated = migrate_source(ENDPOINT)
    assert "items: list[Item] = Body(..., min_length=1, max_length=2)," in migrated
    assert 'at: int = Query(0, description="first row", ge=0, lt=100)' in migrated
    assert "tag: str = fastapi.Query(None, min_length=2)" in migrated
    assert 'code: Optional[Annotated[str, StringConstraints(pattern=r"^(?:[a-z]+)")]]' in migrated
    assert "size: Annotated[int, Field(gt=0, le=10)] = 5" in migrated
    assert "items: Annotated[list[str], Field(min_length=1)]" in migrated
    assert ") -> Annotated[list[str], Field(max_length=3)]:" in migrated
    assert "con" not in "".join(c for c in migrated.split("import")[-1] if c != "\n")
    assert [f.code for f in find_findings(migrated)] == []
    assert migrate_source(migrated) == migrated


def test_a_signature_conversion_that_v2_cannot_express_is_reported() -> None:
    source = "from pydantic import conlist\n\ndef f(x: conlist(int, unique_items=True)): ...\n"
    [finding] = find_findings(source)
    assert finding.code == "PYD015"
    assert not finding.fixable
    assert finding.key == "f(x):con"
    assert migrate_source(source) == source


@pytest.mark.parametrize(
    ("parameter", "reason"),
    [
        ("x: Optional[conint(gt=0)] = Query(None)", "FastAPI ignores constraints inside"),
        ("x: constr(strip_whitespace=True) = Query(None)", "takes no `strip_whitespace=`"),
        ("x: conint(gt=0) = Query(1, gt=5)", "already sets `gt=`"),
        ("x: conlist(constr(max_length=2)) = Body(...)", "another constrained type"),
    ],
)
def test_constraints_a_fastapi_parameter_cannot_take_are_reported(
    parameter: str, reason: str
) -> None:
    source = (
        "from typing import Optional\nfrom fastapi import Body, Query\n"
        f"from pydantic import conint, conlist, constr\n\ndef f({parameter}): ...\n"
    )
    [finding] = find_findings(source)
    assert (finding.code, finding.key, finding.fixable) == ("PYD015", "f(x):con", False)
    assert reason in finding.message
    assert migrate_source(source) == source


def _answers(python: Path, folder: Path) -> list[object]:
    done = subprocess.run(
        [str(python), "-c", CLIENT, str(folder), json.dumps(REQUESTS)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answers: list[object] = json.loads(done.stdout.splitlines()[-1])
    return answers


@pytest.mark.slow
def test_the_migrated_endpoint_answers_as_the_v1_endpoint_did(tmp_path: Path) -> None:
    v1_python = venv_python(
        cached_venv("fastapi-pydantic1", ["fastapi==0.99.1", "pydantic<2", "httpx<0.28"])
    )
    original, migrated = tmp_path / "v1", tmp_path / "v2"
    for folder, text in ((original, ENDPOINT), (migrated, migrate_source(ENDPOINT))):
        folder.mkdir()
        (folder / "endpoint.py").write_text(text, encoding="utf-8")
    expected = _answers(v1_python, original)
    statuses = [answer[0] for answer in expected]  # type: ignore[index]
    assert statuses == [200, 200, 422, 422, 200, 422, 200, 422, 200, 200, 422, 422, 200]
    assert _answers(fixture_app_python(), migrated) == expected
