"""PYD024 across files: a model whose annotation reaches a string forward reference through a
type alias of another module (``Callback = Dict[str, Union["PathItem", Reference]]``) that
its own module never binds. The V1 package under ``pydantic.v1`` vs the same package migrated
as a folder under pydantic 2: the same accept/reject, data and error locations for everything
V1 could validate; values of the unresolved field, which V1 refused with ``ConfigError``, are
validated by V2 (the behaviour change the finding reports)."""

from __future__ import annotations

import importlib
import sys
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from package_pairs import v1_and_migrated
from test_behaviour_models import _as_v1, _field_errors, _run_v1, _run_v2

from fastapi_architect.pydantic_v2.runner import Status, Task, discover, run

FILES = {
    "reference.py": """\
from pydantic import BaseModel, Field


class Reference(BaseModel):
    ref: str = Field(alias="$ref")
""",
    "callback.py": """\
from typing import Dict, Union

from .reference import Reference

Callback = Dict[str, Union["PathItem", Reference]]
""",
    "operation.py": """\
from typing import Dict, List, Literal, Optional, Union

from pydantic import BaseModel

from .callback import Callback
from .reference import Reference


class Operation(BaseModel):
    tags: Optional[List[str]] = None
    kind: Literal["get", "post"] = "get"
    responses: Dict[str, str]
    callbacks: Optional[Dict[str, Union[Callback, Reference]]] = None
""",
    "path_item.py": """\
from typing import Optional

from pydantic import BaseModel

from .operation import Operation


class PathItem(BaseModel):
    summary: Optional[str] = None
    get: Optional[Operation] = None
""",
    "encoding.py": """\
from typing import Optional

from pydantic import BaseModel


class Encoding(BaseModel):
    headers: Optional["Header"] = None
""",
    "header.py": """\
from pydantic import BaseModel


class Header(BaseModel):
    name: str
""",
    "__init__.py": """\
from .encoding import Encoding
from .header import Header
from .operation import Operation
from .path_item import PathItem
from .reference import Reference

# resolve forward references
Encoding.update_forward_refs(Header=Header)
""",
}

PROBES: list[tuple[str, dict[str, Any]]] = [
    ("Operation", {"responses": {"200": "ok"}}),
    ("Operation", {"responses": {"200": "ok"}, "tags": ["a"], "kind": "post"}),
    ("Operation", {"responses": 5}),
    ("Operation", {"responses": {}, "kind": "put"}),
    ("Operation", {}),
    ("Operation", {"responses": {}, "callbacks": {}}),
    ("PathItem", {"get": {"responses": {"200": "ok"}}}),
    ("PathItem", {"get": {"responses": 3}}),
    ("Encoding", {"headers": {"name": "x"}}),
    ("Encoding", {"headers": {}}),
]
CALLBACK_VALUES: list[dict[str, Any]] = [
    {"cb": {"/x": {"summary": "s"}}},
    {"cb": {"/x": {"$ref": "#/a"}}},
]


def _write(root: Path, package: str, v1: bool) -> Path:
    folder = root / package
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        (folder / name).write_text(_as_v1(text) if v1 else text, encoding="utf-8")
    return folder


@pytest.fixture
def packages(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    with v1_and_migrated(tmp_path, "refs", _write) as (legacy, migrated):
        yield legacy, migrated, tmp_path


def test_operation_is_rebuilt_in_the_package_init_and_behaves_as_in_v1(
    packages: tuple[str, str, Path],
) -> None:
    from pydantic.v1 import ConfigError

    legacy, migrated, root = packages
    folder = root / migrated
    task = Task(write=True, workspace=(folder,))
    report = run(discover([folder]), task, jobs=1)
    assert not [r for r in report.results if r.status is Status.SKIPPED]
    init = (folder / "__init__.py").read_text(encoding="utf-8")
    assert init.endswith(
        'Encoding.model_rebuild(_types_namespace={"Header": Header})\n'
        'Operation.model_rebuild(_types_namespace={"PathItem": PathItem})\n'
    )
    assert (folder / "operation.py").read_text(encoding="utf-8") == FILES["operation.py"]
    again = run(discover([folder]), task, jobs=1)
    assert not [r for r in again.results if r.status is Status.CHANGED]
    left = run(discover([folder]), Task(findings=True, workspace=(folder,)), jobs=1)
    assert not [f for r in left.results for f in r.findings if f.code == "PYD024"]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v1 = importlib.import_module(legacy)
        v2 = importlib.import_module(migrated)
    for model, data in PROBES:
        before = _run_v1(v1, model, dict(data))
        after = _run_v2(v2, model, dict(data))
        assert before[0] == after[0], f"{model}({data}): V1 {before} vs V2 {after}"
        if before[0] == "accepted":
            assert before[1] == after[1], f"{model}({data})"
        else:
            assert _field_errors(before[1]) == _field_errors(after[1]), f"{model}({data})"
    # The reported behaviour change: V1 never prepared `callbacks`, V2 validates it.
    for value in CALLBACK_VALUES:
        with pytest.raises(ConfigError, match="not yet prepared"):
            v1.Operation(responses={}, callbacks=value)
        accepted = v2.Operation(responses={}, callbacks=value)
        assert accepted.callbacks is not None and set(accepted.callbacks) == {"cb"}


def test_without_the_fix_v2_cannot_build_the_model_at_all(tmp_path: Path) -> None:
    from pydantic import PydanticUserError

    folder = _write(tmp_path, f"unfixed_refs_{uuid.uuid4().hex[:8]}", v1=False)
    run(discover([folder]), Task(write=True, workspace=(folder,), codes=frozenset({"PYD014"})))
    sys.path.insert(0, str(tmp_path))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = importlib.import_module(folder.name)
        with pytest.raises(PydanticUserError, match="not fully defined"):
            module.Operation(responses={})
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith(folder.name)]:
            del sys.modules[name]
