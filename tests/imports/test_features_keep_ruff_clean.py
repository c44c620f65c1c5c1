"""After each feature runs on the fixture apps, ruff's default rules find nothing new.

ruff runs with its DEFAULT rule set (which includes the isort rule I001) and the project's own
layout settings (line length, source roots, isort options): a ``ruff.toml`` without ``select``
is written next to each project's ``pyproject.toml``. Findings are counted per rule code
before and after the feature; no count may grow.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fastapi_architect.cli import main
from fastapi_architect.extract.endpoints import index_endpoints, refusal_reason
from fastapi_architect.imports import load_style
from fastapi_architect.plan import write_plan
from fastapi_architect.pydantic_v2 import migrate_source
from fastapi_architect.scaffold import parse_options, plan_add_resource, plan_project
from fastapi_architect.snippets.catalog import load_snippets
from fastapi_architect.snippets.document import import_edits
from fastapi_architect.snippets.selection import needed_imports, project_names
from fastapi_architect.snippets.workspace_index import WorkspaceIndex
from fastapi_architect.textedit import apply_edits

TESTS = Path(__file__).parents[1]
RUFF = Path(sys.executable).with_name("ruff")
EXTRACT_APPS = {
    "shop": ["app/api/v1/endpoints/items.py", "app/api/v1/endpoints/users.py"],
    "notes": ["main.py"],
    "library": ["app/routers/books.py"],
}


def _toml_value(value: Any) -> str:
    return json.dumps(value)  # strings, numbers, booleans and string lists read the same in TOML


def _default_rules_config(root: Path) -> None:
    """A ``ruff.toml`` with the project's layout settings and ruff's default rule selection."""
    tool: dict[str, Any] = {}
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
    ruff = tool.get("ruff", {})
    lines = [
        f"{key} = {_toml_value(ruff[key])}"
        for key in ("line-length", "target-version", "src")
        if key in ruff
    ]
    isort = ruff.get("lint", {}).get("isort") or ruff.get("isort") or {}
    if isort:
        lines.append("[lint.isort]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in isort.items()]
    (root / "ruff.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _findings(root: Path) -> Counter[str]:
    """ruff's default-rule findings under ``root``, counted per rule code."""
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--exit-zero", "--output-format", "json", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return Counter(item["code"] or "syntax" for item in json.loads(result.stdout))


def _assert_nothing_new(before: Counter[str], after: Counter[str]) -> None:
    grown = {code: (before[code], count) for code, count in after.items() if count > before[code]}
    assert not grown, f"new ruff findings (before, after): {grown}"


def test_ruffs_default_rule_set_includes_the_isort_rule(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text("x = 1\n", encoding="utf-8")
    result = subprocess.run(
        [str(RUFF), "check", "--isolated", "--show-settings", "module.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "(I001)" in result.stdout


def _endpoints(path: Path) -> list[tuple[int, str | None]]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(e.node.lineno, refusal_reason(e)) for e in index_endpoints(tree).endpoints]


@pytest.mark.parametrize("app", sorted(EXTRACT_APPS))
def test_extracting_every_endpoint_adds_no_ruff_finding(
    app: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / app
    shutil.copytree(TESTS / "extract" / "fixtures" / app, project)
    _default_rules_config(project)
    before = _findings(project)
    extracted = 0
    for relative in EXTRACT_APPS[app]:
        path = project / relative
        while True:
            lines = [line for line, reason in _endpoints(path) if reason is None]
            if not lines:
                break
            assert main(["extract-service", str(path), "--line", str(lines[0])]) == 0
            extracted += 1
    capsys.readouterr()
    assert extracted >= 3
    _assert_nothing_new(before, _findings(project))


TYPING_OPTIONAL = ("always_inherited", "none_aliases", "moved_names", "union_modes")
"""Their migration writes an optional type or a union (a parent's field repeated in a subclass;
V1's ``NoneStr`` / ``StrBytes`` spelled out): ``str | None`` when the project targets Python
>= 3.10, else ``Optional[str]``, since Pydantic evaluates annotations at run time."""

TARGETS_310 = {
    "requires-python": '[project]\nname = "app"\nrequires-python = ">=3.10"\n',
    "ruff target-version": '[tool.ruff]\ntarget-version = "py310"\n',
}


def _migrate_fixtures(
    tmp_path: Path, names: list[str] | None, pyproject: str | None = None
) -> tuple[Counter[str], Counter[str]]:
    fixtures = sorted((TESTS / "pydantic_v2" / "fixtures").glob("*.before.py"))
    for fixture in fixtures:
        stem = fixture.name.removesuffix(".before.py")
        if (names is None and stem not in TYPING_OPTIONAL) or (names and stem in names):
            (tmp_path / f"{stem}.py").write_bytes(fixture.read_bytes())
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    _default_rules_config(tmp_path)
    before = _findings(tmp_path)
    style = load_style(tmp_path).style
    for path in sorted(tmp_path.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        path.write_text(migrate_source(text, style), encoding="utf-8")
    return before, _findings(tmp_path)


def test_pydantic_migration_of_the_fixtures_adds_no_ruff_finding(tmp_path: Path) -> None:
    before, after = _migrate_fixtures(tmp_path, None)
    assert sum(1 for _ in tmp_path.glob("*.py")) > 10
    _assert_nothing_new(before, after)


@pytest.mark.parametrize("declaration", sorted(TARGETS_310))
def test_pydantic_migration_for_python_310_writes_optional_types_ruff_accepts(
    tmp_path: Path, declaration: str
) -> None:
    before, after = _migrate_fixtures(tmp_path, list(TYPING_OPTIONAL), TARGETS_310[declaration])
    migrated = {path.stem: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.py")}
    assert "note: str | None = Field(None, validate_default=True)" in migrated["always_inherited"]
    assert "raw: str | bytes = " in migrated["none_aliases"]
    assert "name: str | None = None" in migrated["moved_names"]
    assert not any("from typing import Optional" in text for text in migrated.values())
    _assert_nothing_new(before, after)


def _pep604_annotations(text: str) -> list[str]:
    import ast

    tree = ast.parse(text, feature_version=(3, 9))
    return [
        ast.unparse(node.annotation)
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and any(
            isinstance(part, ast.BinOp) and isinstance(part.op, ast.BitOr)
            for part in ast.walk(node.annotation)
        )
    ]


def test_pydantic_migration_without_a_declared_python_keeps_optional(tmp_path: Path) -> None:
    _migrate_fixtures(tmp_path, list(TYPING_OPTIONAL))
    migrated = {path.stem: path.read_text(encoding="utf-8") for path in tmp_path.glob("*.py")}
    copied = "note: Optional[str] = Field(None, validate_default=True)"
    assert copied in migrated["always_inherited"]
    assert "from typing import Optional, Union" in migrated["none_aliases"]
    assert "raw: Union[str, bytes] = " in migrated["none_aliases"]
    assert "name: Optional[str] = None" in migrated["moved_names"]
    assert "payload: Union[str, bytes] = " in migrated["union_modes"]
    for stem, text in migrated.items():
        original = (TESTS / "pydantic_v2" / "fixtures" / f"{stem}.before.py").read_text("utf-8")
        # Python 3.9 parses it, and no annotation the migration writes evaluates ``X | Y``
        # (a TypeError there): only those the user wrote remain.
        assert _pep604_annotations(text) == _pep604_annotations(original)


@pytest.fixture
def scaffolded(tmp_path: Path) -> Path:
    """A freshly scaffolded project, with the default-rules ruff config."""
    root = tmp_path / "shop"
    write_plan(plan_project(parse_options({"project_name": "shop"})), root)
    _default_rules_config(root)
    return root


def test_adding_resources_to_the_scaffolded_project_adds_no_ruff_finding(
    scaffolded: Path,
) -> None:
    before = _findings(scaffolded)
    for name in ("order", "invoice", "category"):
        write_plan(plan_add_resource(scaffolded, name), scaffolded)
    after = _findings(scaffolded)
    _assert_nothing_new(before, after)


def test_snippet_completion_imports_add_no_ruff_finding(scaffolded: Path) -> None:
    snippets = {snippet.prefix: snippet for snippet in load_snippets()}
    index = WorkspaceIndex([scaffolded], project_names(snippets.values()), first_build_wait=30)
    where = dict(index.modules())
    assert where["SessionDep"] == "app.api.deps"
    style = load_style(scaffolded).style
    module = scaffolded / "app/api/v1/endpoints/extra.py"
    text = '"""Extra routes."""\n\nfrom fastapi import APIRouter\n\nrouter = APIRouter()\n'
    module.write_text(text, encoding="utf-8")
    before = _findings(scaffolded)
    for prefix in ("faget", "fapost"):
        snippet = snippets[prefix]
        text = apply_edits(text, import_edits(text, needed_imports(snippet, where), style=style))
        text = text.rstrip("\n") + "\n\n\n" + snippet.default_text.rstrip("\n") + "\n"
    module.write_text(text, encoding="utf-8")
    compile(text, str(module), "exec")
    _assert_nothing_new(before, _findings(scaffolded))
