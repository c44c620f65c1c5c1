"""PYD024 findings: which models wait for a rebuild, where the fix goes, and what is left
alone (names the module binds, ``Literal`` values, calls that already resolve the names)."""

from __future__ import annotations

from pathlib import Path

from fastapi_architect.pydantic_v2 import Finding
from fastapi_architect.pydantic_v2.runner import Status, Task, discover, run

ALIAS = 'from typing import Dict\n\nCallback = Dict[str, "PathItem"]\n'
OPERATION = """\
from typing import Literal, Optional

from pydantic import BaseModel

from .callback import Callback


class Operation(BaseModel):
    kind: Literal["PathItem"] = "PathItem"
    callbacks: Optional[Callback] = None
"""
PATH_ITEM = """\
from pydantic import BaseModel

from .operation import Operation


class PathItem(BaseModel):
    get: Operation
"""
COMPONENTS = """\
from typing import Optional

from pydantic import BaseModel

from .callback import Callback
from .path_item import PathItem


class Components(BaseModel):
    callbacks: Optional[Callback] = None
"""


def _package(root: Path, init: str, **extra: str) -> Path:
    folder = root / "api"
    folder.mkdir()
    files = {"callback.py": ALIAS, "operation.py": OPERATION, "path_item.py": PATH_ITEM}
    files.update({f"{name}.py": text for name, text in extra.items()})
    for name, text in {**files, "__init__.py": init}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _findings(folder: Path) -> dict[str, list[Finding]]:
    report = run(discover([folder]), Task(findings=True, workspace=(folder,)), jobs=1)
    return {
        r.path.name: [f for f in r.findings if f.code == "PYD024"]
        for r in report.results
        if any(f.code == "PYD024" for f in r.findings)
    }


INIT = """\
from .operation import Operation
from .path_item import PathItem

PathItem.update_forward_refs()
"""


def test_model_reached_through_an_imported_alias_is_reported_in_its_file_and_fixed_in_init(
    tmp_path: Path,
) -> None:
    folder = _package(tmp_path, INIT, components=COMPONENTS)
    found = _findings(folder)
    assert set(found) == {"operation.py", "__init__.py"}  # Components imports PathItem itself
    (report,) = found["operation.py"]
    assert not report.fixable and report.start.line == 9  # the `callbacks` annotation
    assert "`PathItem`" in report.message and "through `Callback`" in report.message
    assert "api/__init__.py" in report.message and "ConfigError" in report.message
    (fix,) = found["__init__.py"]
    assert fix.fixable and fix.start.line == 0  # `Operation` in its import
    assert 'Operation.model_rebuild(_types_namespace={"PathItem": PathItem})' in fix.message


def test_the_call_goes_after_the_last_rebuild_and_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    folder = _package(tmp_path, INIT)
    task = Task(write=True, workspace=(folder,))
    first = run(discover([folder]), task, jobs=1)
    changed = {r.path.name for r in first.results if r.status is Status.CHANGED}
    assert "__init__.py" in changed and "operation.py" not in changed
    assert (folder / "__init__.py").read_text(encoding="utf-8") == (
        "from .operation import Operation\n"
        "from .path_item import PathItem\n\n"
        "PathItem.model_rebuild()\n"
        'Operation.model_rebuild(_types_namespace={"PathItem": PathItem})\n'
    )
    second = run(discover([folder]), task, jobs=1)
    assert not [r for r in second.results if r.status is Status.CHANGED]
    assert _findings(folder) == {}


def test_without_a_module_that_rebuilds_models_the_report_says_where_to_call_it(
    tmp_path: Path,
) -> None:
    folder = _package(tmp_path, "from .operation import Operation\n")
    found = _findings(folder)
    assert set(found) == {"operation.py"}
    (report,) = found["operation.py"]
    assert not report.fixable
    assert "in a module that imports `Operation` and `PathItem`" in report.message


def test_an_existing_call_supplying_the_name_resolves_it(tmp_path: Path) -> None:
    init = INIT + "Operation.update_forward_refs(PathItem=PathItem)\n"
    assert _findings(_package(tmp_path, init)) == {}


def test_a_call_without_the_name_does_not_resolve_it_in_v1(tmp_path: Path) -> None:
    # V1's update_forward_refs() resolves in the model's module only: PathItem stays unbound.
    init = INIT + "Operation.update_forward_refs()\n"
    assert set(_findings(_package(tmp_path, init))) == {"operation.py", "__init__.py"}


def test_literal_values_and_bound_names_are_not_forward_references(tmp_path: Path) -> None:
    folder = tmp_path / "lit"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "models.py").write_text(
        "from typing import List, Literal, Optional\n\nfrom pydantic import BaseModel\n\n\n"
        "class Node(BaseModel):\n"
        '    kind: Literal["Unknown"] = "Unknown"\n'
        '    children: Optional[List["Node"]] = None\n',
        encoding="utf-8",
    )
    assert _findings(folder) == {}


def test_a_name_imported_only_for_type_checking_is_not_bound(tmp_path: Path) -> None:
    folder = tmp_path / "tc"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "item.py").write_text(
        "from pydantic import BaseModel\n\n\nclass Item(BaseModel):\n    x: int\n"
    )
    for name, header in (("quoted", ""), ("postponed", "from __future__ import annotations\n\n")):
        annotation = '"Item"' if name == "quoted" else "Item"
        (folder / f"{name}.py").write_text(
            f"{header}from typing import TYPE_CHECKING, Optional\n\n"
            "from pydantic import BaseModel\n\n"
            "if TYPE_CHECKING:\n    from .item import Item\n\n\n"
            f"class Holder(BaseModel):\n    item: Optional[{annotation}] = None\n\n"
            "    class Inner(BaseModel):\n        y: int = 0\n\n"
            '    inner: Optional["Inner"] = None\n',
            encoding="utf-8",
        )
    found = _findings(folder)
    assert set(found) == {"quoted.py", "postponed.py"}
    for (report,) in found.values():
        assert "`Item`" in report.message and "`Inner`" not in report.message


def test_a_loop_rebuilding_every_exported_model_with_the_globals_resolves_the_names(
    tmp_path: Path,
) -> None:
    # aiogram's types/__init__.py: the models are looked up by name at run time.
    init = (
        "from .operation import Operation\nfrom .path_item import PathItem\n\n"
        '__all__ = ("Operation", "PathItem")\n\n'
        "for _name in __all__:\n"
        "    _entity = globals()[_name]\n"
        '    if not hasattr(_entity, "update_forward_refs"):\n'
        "        continue\n"
        "    _entity.update_forward_refs(**{k: v for k, v in globals().items() if k in __all__})\n"
    )
    assert _findings(_package(tmp_path, init)) == {}


def test_a_package_importing_a_name_after_its_last_rebuild_call_is_not_the_place(
    tmp_path: Path,
) -> None:
    # The call would run before `PathItem` is bound: the report says where to call it instead.
    init = "from .operation import Operation\n\nOperation.update_forward_refs()\n\n"
    init += "from .path_item import PathItem\n"
    folder = _package(tmp_path, init)
    found = _findings(folder)
    assert set(found) == {"operation.py"}
    (report,) = found["operation.py"]
    assert "in a module that imports `Operation` and `PathItem`" in report.message
    assert report.fixed_in is None


def test_a_namespace_passed_as_a_variable_counts_as_supplying_the_names(tmp_path: Path) -> None:
    init = INIT + "Operation.update_forward_refs(**namespace)\n"
    assert _findings(_package(tmp_path, "namespace = {}\n" + init)) == {}


def test_an_edited_class_is_analysed_again_and_an_unchanged_one_keeps_its_answer(
    tmp_path: Path,
) -> None:
    import ast

    from fastapi_architect.pydantic_v2.model_index import NO_MODELS
    from fastapi_architect.pydantic_v2.rebuild_index import RebuildIndex, pending_of

    folder = _package(tmp_path, INIT)
    path = folder / "operation.py"
    index = RebuildIndex((folder,))

    def defined(text: str) -> list[str]:
        models = index.with_rebuilds(NO_MODELS, path, ast.parse(text), text=text)
        return [pending.model for pending in pending_of(models)[0]]

    assert defined(OPERATION) == ["Operation"]
    edited = OPERATION.replace("Optional[Callback]", "Optional[int]")
    assert defined(edited) == []
    shifted = "# a comment moves every line\n" + OPERATION
    assert defined(shifted) == ["Operation"]
    assert (
        defined(
            OPERATION.replace("from .callback", "from .path_item import PathItem\nfrom .callback")
        )
        == []
    )


def test_names_quoted_inside_callable_are_not_reported(tmp_path: Path) -> None:
    # V1 never resolved them (it only checked callability): not a rebuild V1 needed.
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    (folder / "hooks.py").write_text(
        "from typing import Callable, Optional\n\nfrom pydantic import BaseModel\n\n\n"
        "class Hooks(BaseModel):\n"
        '    on_item: Optional[Callable[["Item"], "Result"]] = None\n',
        encoding="utf-8",
    )
    assert _findings(folder) == {}
