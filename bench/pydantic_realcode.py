"""Real V1 code bases from PyPI through ``fastapi-architect migrate``, then imported under V2.

``python -m bench pydantic_realcode [--only NAME] [--no-tests]`` downloads pinned sdists of
public code bases written for pydantic 1 (cached under
``~/.cache/fastapi-architect-pydantic-realcode``), copies them, runs our ``migrate`` on the
copy, and checks what the issue asks of the result, per code base:

- every output passes ``compile()`` and a second ``migrate`` changes nothing;
- every module imports under pydantic 2 in an isolated virtualenv (pydantic 2,
  pydantic-settings and the code base's installable dependencies; a dependency that cannot be
  installed is stubbed, and the stub is named in the output);
- no ``PydanticDeprecatedSince20`` warning comes from a converted construct: each warning is
  attributed to the innermost frame in the migrated tree, and counts as "converted" when that
  statement (for a class or function: its decorators and header) was changed by ``migrate``;
- ruff (the project's ruff, default rules, ``--isolated``) finds nothing new after ``migrate``;
- ``fastapi-architect check`` lists what is left for a person, by code;
- where the sdist ships tests, they run on the original under pydantic 1 (the baseline), and
  under pydantic 2 before and after ``migrate``.

The import probe runs this file as a script inside the virtualenv (``--probe``), so the top of
the module imports only the standard library.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

CACHE = Path.home() / ".cache" / "fastapi-architect-pydantic-realcode"
SDISTS = CACHE / "sdists"
PYTEST_OPTIONS = ("-q", "-p", "no:cacheprovider", "--no-header", "--continue-on-collection-errors")
USED_PREFIX = "imported code base: "
CHECK_REQUIREMENTS = ("pydantic>=2.7,<3", "pydantic-settings>=2", "pytest")
"""In every code base's virtualenv; its own test requirements may pin another pytest."""
V1_REQUIREMENTS = ("pydantic>=1.10,<2", "pytest")
"""The baseline of the shipped tests: the original code under the pydantic it was written for."""


@dataclass(frozen=True)
class CodeBase:
    """A pinned V1 code base: its sdist, its import packages and what it needs to import."""

    name: str
    version: str
    packages: tuple[str, ...]
    dependencies: tuple[tuple[str, str], ...] = ()
    """(distribution requirement, top-level module it provides) — stubbed if not installable."""
    uses: tuple[str, ...] = ()
    """Other code bases of the corpus it imports (their migrated copies go on the path)."""
    tests: str | None = None
    """The sdist's test folder, run with pytest before and after ``migrate``."""
    test_dependencies: tuple[str, ...] = ()

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


CODE_BASES = (
    CodeBase(
        "aws-lambda-powertools",
        "2.26.0",
        ("aws_lambda_powertools",),
        (
            ("boto3>=1.20.32,<2", "boto3"),
            ("aws-xray-sdk>=2.8,<3", "aws_xray_sdk"),
            ("fastjsonschema>=2.14.5,<3", "fastjsonschema"),
            ("aws-encryption-sdk>=3.1.1,<4", "aws_encryption_sdk"),
            ("datadog-lambda>=4.77,<5", "datadog_lambda"),
            ("typing-extensions>=4.6.2", "typing_extensions"),
        ),
    ),
    CodeBase(
        "aiogram",
        "3.0.0b7",
        ("aiogram",),
        (
            ("aiofiles~=23.1.0", "aiofiles"),
            ("aiohttp~=3.8.4", "aiohttp"),
            ("certifi", "certifi"),
            ("magic-filter~=1.0.9", "magic_filter"),
            ("babel~=2.11.0", "babel"),
            ("redis~=4.5.1", "redis"),
            ("aiohttp-socks~=0.7.1", "aiohttp_socks"),
        ),
        tests="tests",
        test_dependencies=(
            "pytest~=7.2.1",
            "pytest-asyncio~=0.20.3",
            "pytest-lazy-fixture~=0.6.3",
            "pytest-mock~=3.10.0",
            "pytest-aiohttp~=1.0.4",
            "aresponses~=2.1.6",
        ),
    ),
    CodeBase("openapi-schema-pydantic", "1.2.4", ("openapi_schema_pydantic",), tests="tests"),
    CodeBase("geojson-pydantic", "0.6.3", ("geojson_pydantic",)),
    CodeBase(
        "stac-pydantic",
        "2.0.3",
        ("stac_pydantic",),
        # click for its CLI; jsonschema and requests are its "validation" extra.
        (("click", "click"), ("jsonschema", "jsonschema"), ("requests", "requests")),
        uses=("geojson-pydantic",),
    ),
)


# --- preparing the corpus ------------------------------------------------------------------


def sdist(code_base: CodeBase) -> Path:
    """The cached sdist of ``code_base``, downloaded with pip on first use."""
    SDISTS.mkdir(parents=True, exist_ok=True)
    found = _find_sdist(code_base)
    if found is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-binary",
                ":all:",
                code_base.requirement,
                "-d",
                str(SDISTS),
            ],
            check=True,
            timeout=600,
        )
        found = _find_sdist(code_base)
    if found is None:
        raise RuntimeError(f"pip downloaded no sdist for {code_base.requirement}")
    return found


def _find_sdist(code_base: CodeBase) -> Path | None:
    stems = {code_base.name, code_base.name.replace("-", "_")}
    for stem in stems:
        candidate = SDISTS / f"{stem}-{code_base.version}.tar.gz"
        if candidate.exists():
            return candidate
    return None


def extract(code_base: CodeBase, target: Path) -> Path:
    """Unpack the sdist under ``target``; return the folder holding its packages."""
    with tarfile.open(sdist(code_base)) as archive:
        archive.extractall(target, filter="data")
    roots = [path for path in target.iterdir() if path.is_dir()]
    if len(roots) != 1:
        raise RuntimeError(f"{code_base.name}: expected one top folder in the sdist, got {roots}")
    root = roots[0]
    for package in code_base.packages:
        if not (root / package).is_dir():
            raise RuntimeError(f"{code_base.name}: no package folder {package} in the sdist")
    return root


def prepare(work: Path, code_bases: Sequence[CodeBase] = CODE_BASES) -> dict[str, Path]:
    """Extract every code base under ``work`` (one folder each); name → folder."""
    folders: dict[str, Path] = {}
    for code_base in code_bases:
        folder = work / code_base.name
        folder.mkdir(parents=True)
        folders[code_base.name] = extract(code_base, folder)
    return folders


def source_files(root: Path, code_base: CodeBase) -> list[Path]:
    """The code base's Python files: its packages and its tests."""
    tops = [*code_base.packages, *([code_base.tests] if code_base.tests else [])]
    return sorted(path for top in tops for path in (root / top).rglob("*.py"))


# --- the isolated pydantic 2 environment ----------------------------------------------------


def check_venv(code_base: CodeBase, v1: bool = False) -> Path:
    """The code base's own pydantic 2 (or, for the V1 baseline of its tests, pydantic 1)
    virtualenv, so dependency pins cannot collide."""
    return CACHE / f"venv-{'v1-' if v1 else ''}{code_base.name}-{code_base.version}"


def check_python(code_base: CodeBase, v1: bool = False) -> tuple[Path, list[str]]:
    """The python of the code base's pydantic 2 virtualenv (pydantic 1 with ``v1``), created
    with its dependencies on first use, and the modules that had to be stubbed because pip
    could not install them."""
    folder = check_venv(code_base, v1)
    python = folder / "bin" / "python"
    requirements = V1_REQUIREMENTS if v1 else CHECK_REQUIREMENTS
    wanted = repr((requirements, code_base.dependencies, code_base.test_dependencies))
    # Named after what it was built with: a changed dependency list builds it again.
    marker = folder / f".stubs-{hashlib.sha256(wanted.encode()).hexdigest()[:12]}.json"
    if marker.exists():
        return python, json.loads(marker.read_text(encoding="utf-8"))
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    if not _pip(python, *requirements):
        raise RuntimeError(f"could not install {' '.join(requirements)} into {folder}")
    stubs = [
        module for requirement, module in code_base.dependencies if not _pip(python, requirement)
    ]
    if code_base.test_dependencies and not _pip(python, *code_base.test_dependencies):
        print(f"  {code_base.name}: its test requirements did not install; tests may error")
    marker.write_text(json.dumps(stubs), encoding="utf-8")
    return python, stubs


def _pip(python: Path, *requirements: str) -> bool:
    done = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *requirements,
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done.returncode == 0


# --- results ---------------------------------------------------------------------------------


@dataclass
class Result:
    """What ``migrate`` did to one code base and how the result behaves under pydantic 2."""

    name: str
    files: int = 0
    lines: int = 0
    changed: int = 0
    migrate_seconds: float = 0.0
    not_compiling: list[str] = field(default_factory=list)
    second_run_changed: list[str] = field(default_factory=list)
    left: Counter[str] = field(default_factory=Counter)
    modules: int = 0
    import_failures: list[tuple[str, str]] = field(default_factory=list)
    stubs: list[str] = field(default_factory=list)
    warnings_converted: list[str] = field(default_factory=list)
    warnings_unconverted: Counter[str] = field(default_factory=Counter)
    other_deprecations: Counter[str] = field(default_factory=Counter)
    ruff_new: list[str] = field(default_factory=list)
    tests_v1: str = ""
    tests_before: str = ""
    tests_after: str = ""


def _snapshot(files: Sequence[Path]) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in files}


def _run_migrate(root: Path, packages: Sequence[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "migrate", *packages],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0 or done.stderr.strip():
        print(f"  migrate exited {done.returncode}: {done.stderr.strip()[-600:]}")
    return elapsed


def _left_findings(root: Path, tops: Sequence[str]) -> Counter[str]:
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "check", "--format", "json", *tops],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    counts: Counter[str] = Counter()
    for item in json.loads(done.stdout or "[]"):
        counts[str(item["code"])] += 1
    return counts


def _ruff(root: Path, tops: Sequence[str]) -> Counter[tuple[str, str]]:
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--isolated", "--output-format", "json", "--exit-zero", *tops],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    counts: Counter[tuple[str, str]] = Counter()
    for item in json.loads(done.stdout or "[]"):
        path = os.path.relpath(item["filename"], root)
        counts[(path, str(item["code"] or "syntax"))] += 1
    return counts


def changed_lines(before: str, after: str) -> set[int]:
    """1-based lines of ``after`` that ``migrate`` wrote (a deletion marks the next line)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), False)
    lines: set[int] = set()
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(j1 + 1, max(j2, j1 + 1) + 1))
    return lines


CONFIG_WARNINGS = ("json_encoders", "class-based `config`")
"""Warnings Pydantic raises while it creates a class, about its config."""


def construct_lines(text: str, line: int, message: str) -> set[int]:
    """The lines of the construct a warning at ``line`` is about: the innermost statement; for
    a class or function only its decorators and header (its body holds other statements),
    except that a config warning raised at a class header is about the class's config lines,
    and one raised anywhere else (a model rebuilt there) about no line of it."""
    best: range = range(line, line + 1)
    owner: ast.ClassDef | None = None
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.stmt) or node.end_lineno is None:
            continue
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            span = range(first, node.body[0].lineno)
        else:
            span = range(node.lineno, node.end_lineno + 1)
        if line in span and (len(span) < len(best) or best == range(line, line + 1)):
            best = span
            owner = node if isinstance(node, ast.ClassDef) else None
    is_config = any(key in message for key in CONFIG_WARNINGS)
    if is_config and owner is None:
        return set()  # a model built here (``model_rebuild()``, ...) has that config elsewhere
    if owner is not None and is_config:
        lines = text.splitlines()
        return {
            number
            for stmt in owner.body
            for number in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)
            if "json_encoders" in lines[number - 1] or "model_config" in lines[number - 1]
        }
    return set(best)


def attribute_warnings(
    result: Result, warnings_seen: Sequence[dict[str, object]], root: Path, before: dict[Path, str]
) -> None:
    """Sort the probe's deprecation warnings into converted / unconverted constructs."""
    seen: set[tuple[object, ...]] = set()
    for warning in warnings_seen:
        key = (warning["category"], warning["file"], warning["line"], warning["message"])
        if key in seen:
            continue
        seen.add(key)
        message = str(warning["message"]).split(". Deprecated in Pydantic")[0][:120]
        line = int(str(warning["line"] or 0))
        where = f"{warning['file']}:{warning['line']}"
        if not warning["since20"]:
            result.other_deprecations[f"{warning['category']}: {message}"] += 1
            continue
        if str(warning["file"]).startswith(USED_PREFIX):
            result.warnings_unconverted[f"{message} [in {warning['file']!s}:{line}]"] += 1
            continue
        path = root / str(warning["file"]) if warning["file"] else None
        if path is None or path not in before:
            result.warnings_unconverted[f"(outside the code base) {message}"] += 1
            continue
        after = path.read_text(encoding="utf-8")
        if construct_lines(after, line, message) & changed_lines(before[path], after):
            result.warnings_converted.append(f"{where}: {message}")
        else:
            result.warnings_unconverted[f"{message} [at {where}]"] += 1


def _probe(
    python: Path, roots: Sequence[Path], packages: Sequence[str], stubs: Sequence[str]
) -> dict[str, object]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(root) for root in roots),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [str(python), __file__, "--probe", str(roots[0]), ",".join(stubs), *packages],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"import probe failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def _pytest(python: Path, roots: Sequence[Path], tests: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(root) for root in roots),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [str(python), "-m", "pytest", *PYTEST_OPTIONS, tests],
        cwd=roots[0],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    lines = [line for line in done.stdout.strip().splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines else ""
    if re.search(r"\d+ (passed|failed|errors?|skipped)", summary):
        return summary
    errors = [
        line[1:].strip()
        for line in (done.stdout + done.stderr).splitlines()
        if line.startswith("E ")
    ]
    reason = errors[0] if errors else summary or "no output"
    return f"pytest exited {done.returncode} before running tests: {reason[:160]}"


def evaluate(
    code_base: CodeBase,
    original: Path,
    migrated: Path,
    imports: bool,
    roots_of: dict[str, Path],
    run_tests: bool,
) -> Result:
    """Migrate ``migrated`` (a copy of ``original``) and check everything about the result."""
    result = Result(code_base.name)
    tops = [*code_base.packages, *([code_base.tests] if code_base.tests else [])]
    before_files = source_files(migrated, code_base)
    before = _snapshot(before_files)
    result.files = len(before)
    result.lines = sum(text.count("\n") for text in before.values())
    result.migrate_seconds = _run_migrate(migrated, tops)
    after = _snapshot(before_files)
    result.changed = sum(1 for path in before if before[path] != after[path])
    for path, text in after.items():
        try:
            compile(text, str(path), "exec", dont_inherit=True)
        except SyntaxError as error:
            result.not_compiling.append(f"{path.relative_to(migrated)}: {error}")
    _run_migrate(migrated, tops)
    again = _snapshot(before_files)
    result.second_run_changed = [
        str(path.relative_to(migrated)) for path in after if after[path] != again[path]
    ]
    result.left = _left_findings(migrated, tops)
    ruff_before = _ruff(original, tops)
    ruff_after = _ruff(migrated, tops)
    for key, count in sorted(ruff_after.items()):
        if count > ruff_before.get(key, 0):
            result.ruff_new.append(f"{key[0]}: {key[1]} x{count - ruff_before.get(key, 0)}")
    if not imports:
        return result
    python, result.stubs = check_python(code_base)
    roots = [migrated, *(roots_of[name] for name in code_base.uses)]
    probe = _probe(python, roots, code_base.packages, result.stubs)
    result.modules = int(str(probe["modules"]))
    result.import_failures = [(str(m), str(e)) for m, e in probe["failures"]]  # type: ignore[attr-defined]
    attribute_warnings(result, probe["warnings"], migrated, before)  # type: ignore[arg-type]
    if run_tests and code_base.tests:
        original_roots = [original, *(roots_of[name] for name in code_base.uses)]
        v1_python, _ = check_python(code_base, v1=True)
        result.tests_v1 = _pytest(v1_python, original_roots, code_base.tests)
        result.tests_before = _pytest(python, original_roots, code_base.tests)
        result.tests_after = _pytest(python, roots, code_base.tests)
    return result


def report(result: Result) -> None:
    """Print one code base's figures."""
    print(f"\n### {result.name}")
    print(
        f"files {result.files}, lines {result.lines:,}, changed by migrate {result.changed}, "
        f"migrate {result.migrate_seconds:.2f} s"
    )
    print(f"not compiling: {len(result.not_compiling)}  {result.not_compiling[:5]}")
    again = result.second_run_changed
    print(f"changed by a second migrate: {len(again)}  {again[:5]}")
    left = ", ".join(f"{code} {n}" for code, n in sorted(result.left.items())) or "none"
    print(f"findings left for a person (check): {sum(result.left.values())} ({left})")
    print(f"new ruff findings: {len(result.ruff_new)}  {result.ruff_new[:8]}")
    if not result.modules:
        return
    stubbed = ", ".join(result.stubs) or "none"
    print(f"modules imported: {result.modules}; stubbed (not installable): {stubbed}")
    print(f"modules failing to import under pydantic 2: {len(result.import_failures)}")
    by_cause: dict[str, list[str]] = {}
    for module, error in result.import_failures:
        by_cause.setdefault(error, []).append(module)
    for error, modules in sorted(by_cause.items(), key=lambda item: -len(item[1])):
        more = f" (+{len(modules) - 3} more)" if len(modules) > 3 else ""
        print(f"  {len(modules)} x {error}\n      e.g. {', '.join(modules[:3])}{more}")
    print(f"PydanticDeprecatedSince20 from converted constructs: {len(result.warnings_converted)}")
    for where in result.warnings_converted:
        print(f"  {where}")
    unconverted = sum(result.warnings_unconverted.values())
    print(f"PydanticDeprecatedSince20 from unconverted code: {unconverted}")
    for message, count in result.warnings_unconverted.most_common():
        print(f"  {count} x {message}")
    for message, count in result.other_deprecations.most_common():
        print(f"  other deprecation, {count} x {message}")
    if result.tests_before or result.tests_after:
        print(f"shipped tests, original under pydantic 1:  {result.tests_v1}")
        print(f"               original under pydantic 2:  {result.tests_before}")
        print(f"               migrated under pydantic 2:  {result.tests_after}")


def main(argv: list[str]) -> int:
    """Prepare the corpus, migrate every code base, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench pydantic_realcode")
    parser.add_argument("--only", action="append", help="code base name (repeatable)")
    parser.add_argument("--no-imports", action="store_true", help="skip the pydantic 2 venv")
    parser.add_argument("--no-tests", action="store_true", help="do not run shipped tests")
    arguments = parser.parse_args(argv)
    chosen = [c for c in CODE_BASES if not arguments.only or c.name in arguments.only]
    needed = {name for c in chosen for name in c.uses} | {c.name for c in chosen}
    corpus = [c for c in CODE_BASES if c.name in needed]  # the used ones are migrated first

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-realcode-") as temp:
        work = Path(temp)
        originals = prepare(work / "original", corpus)
        migrated_roots: dict[str, Path] = {}
        for code_base in corpus:
            target = work / "migrated" / code_base.name
            shutil.copytree(originals[code_base.name], target)
            migrated_roots[code_base.name] = target
        for code_base in corpus:
            result = evaluate(
                code_base,
                originals[code_base.name],
                migrated_roots[code_base.name],
                not arguments.no_imports,
                migrated_roots,
                not arguments.no_tests,
            )
            if code_base in chosen:
                results.append(result)
                report(result)
    print("\n### total")
    print(
        f"{len(results)} code bases, {sum(r.files for r in results)} files, "
        f"{sum(r.lines for r in results):,} lines, {sum(r.changed for r in results)} changed; "
        f"failing imports {sum(len(r.import_failures) for r in results)}, "
        f"deprecations from converted constructs "
        f"{sum(len(r.warnings_converted) for r in results)}, "
        f"not compiling {sum(len(r.not_compiling) for r in results)}, "
        f"not idempotent {sum(len(r.second_run_changed) for r in results)}, "
        f"new ruff findings {sum(len(r.ruff_new) for r in results)}"
    )
    return 0


# --- the probe, run inside the pydantic 2 virtualenv ----------------------------------------


def probe(root: Path, stubs: Sequence[str], packages: Sequence[str]) -> dict[str, object]:
    """Import every module of ``packages`` under ``root``; collect failures and deprecations."""
    import importlib
    import importlib.abc
    import importlib.machinery
    import traceback
    import types
    import warnings

    import pydantic.warnings

    class Stub(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            if name.startswith("__"):
                raise AttributeError(name)
            return type(name, (), {"__init__": lambda self, *a, **k: None})

    class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
            if fullname.split(".")[0] in stubs:
                return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
            return None

        def create_module(self, spec):  # type: ignore[no-untyped-def]
            module = Stub(spec.name)
            module.__path__ = []
            return module

        def exec_module(self, module):  # type: ignore[no-untyped-def]
            return None

    if stubs:
        sys.meta_path.insert(0, StubFinder())
    root = root.resolve()
    # The other code bases it imports (their migrated copies) are on PYTHONPATH too: a warning
    # raised in one of them is theirs, not the importing line's.
    used = [Path(p).resolve() for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    used = [p for p in used if p != root]
    seen: list[dict[str, object]] = []

    def record(message, category, filename, lineno, file=None, line=None):  # type: ignore[no-untyped-def]
        if not issubclass(category, DeprecationWarning):
            return
        where, at = None, None
        frame = sys._getframe(1)
        while frame is not None:
            path = Path(frame.f_code.co_filename)
            if path.is_absolute() and path.is_relative_to(root):
                where, at = str(path.relative_to(root)), frame.f_lineno
                break
            other = next((p for p in used if path.is_absolute() and path.is_relative_to(p)), None)
            if other is not None:
                where, at = f"{USED_PREFIX}{path.relative_to(other)}", frame.f_lineno
                break
            frame = frame.f_back  # type: ignore[assignment]
        seen.append(
            {
                "category": category.__name__,
                "since20": issubclass(category, pydantic.warnings.PydanticDeprecatedSince20),
                "pydantic": issubclass(category, pydantic.warnings.PydanticDeprecationWarning),
                "message": str(message),
                "file": where,
                "line": at,
            }
        )

    warnings.simplefilter("always")
    warnings.showwarning = record
    # A code base that silences Pydantic's deprecations must not hide them from this audit.
    warnings.filterwarnings = warnings.simplefilter = lambda *a, **k: None  # type: ignore[assignment]
    names: list[str] = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    failures: list[tuple[str, str]] = []
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException as error:  # every failure is reported, SystemExit too
            frames = traceback.extract_tb(error.__traceback__)
            ours = [f for f in frames if Path(f.filename).resolve().is_relative_to(root)]
            origin = ours[-1] if ours else frames[-1]
            where = Path(origin.filename).resolve()
            shown = where.relative_to(root) if where.is_relative_to(root) else where.name
            text = str(error).splitlines()[0] if str(error) else ""
            failures.append((name, f"{type(error).__name__}: {text} [at {shown}:{origin.lineno}]"))
    warnings_seen = [w for w in seen if w["pydantic"] or w["file"]]
    return {"modules": len(names), "failures": failures, "warnings": warnings_seen}


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--probe":
    stub_names = [name for name in sys.argv[3].split(",") if name]
    print(json.dumps(probe(Path(sys.argv[2]), stub_names, sys.argv[4:])))
