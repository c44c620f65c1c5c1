"""Two real V1 applications that their maintainers migrated by hand, against our ``migrate``.

``python -m bench pydantic_apps [--only NAME] [--no-imports]`` takes, from local git mirrors
with full history (``/work/.mirror/<owner>+<name>/repo``, or ``$FASTAPI_ARCHITECT_MIRRORS``),
three trees of each application:

- *unmigrated*: the commit just before the maintainers' hand migration to Pydantic 2;
- *ours*: a copy of it after ``fastapi-architect migrate src tests``;
- *maintainers*: the tree after their hand migration (and its follow-up fixes).

It then measures, in the same run, for each tree:

- how many modules of the application fail to import under Pydantic 2, in one virtualenv
  (cached under ``~/.cache/fastapi-architect-apps``) built from the maintainers'
  *post-migration* requirements, so the third-party versions are Pydantic 2 compatible. A
  requirement that does not install at its pin is installed unpinned; one that does not
  install at all is stubbed, and both are named in the output. The maintainers' tree is the
  floor: a module failing there fails for reasons of this environment, not of the migration;
- how many V1 constructs are left, per construct (``class Config``, ``orm_mode``, Optional
  fields without a default, ``.dict()``, ``.from_orm()``, ``__fields__``, ...), counted on
  the syntax tree of every file of ``src`` and ``tests``;
- whether every file ``migrate`` wrote compiles, and whether a second ``migrate`` changes any.

The mirrors cannot be fetched in CI: without them the benchmark says so and exits 0. The
applications' code never enters this repository; it is extracted to a temporary folder.
"""

from __future__ import annotations

import argparse
import ast
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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import pydantic_realcode

MIRRORS = Path(os.environ.get("FASTAPI_ARCHITECT_MIRRORS", "/work/.mirror"))
CACHE = Path.home() / ".cache" / "fastapi-architect-apps"
TREES = ("unmigrated", "ours", "maintainers")
MIGRATED_FOLDERS = ("src", "tests")


@dataclass(frozen=True)
class App:
    """One application: where its history lives and what its modules need to import."""

    name: str
    mirror: str
    """``owner+name`` under the mirrors folder."""
    before: str
    """The revision just before the maintainers' hand migration."""
    after: str
    """The maintainers' tree after the hand migration and its follow-up fixes."""
    requirements: str
    """The requirements file, read at ``after`` (Pydantic 2 compatible pins)."""
    packages: tuple[str, ...]
    """Import packages under ``src``."""
    environment: tuple[tuple[str, str], ...] = ()
    """Settings its modules read from the environment at import time."""
    modules: tuple[tuple[str, str], ...] = ()
    """Distribution → top-level module, where they differ (for stubs)."""

    @property
    def git_dir(self) -> Path:
        return MIRRORS / self.mirror / "repo"


APPS = (
    App(
        "dispatch",
        "Netflix+dispatch",
        before="5940842ad^",  # "debt(pydantic): upgrades to v2"
        after="12d187146",  # after the fixes 2d732e5d1 and 12d187146
        requirements="requirements-base.txt",
        packages=("dispatch",),
        environment=(
            ("DATABASE_HOSTNAME", "localhost"),
            ("DATABASE_CREDENTIALS", "postgres:dispatch"),
            ("DATABASE_NAME", "dispatch-bench"),
            ("DISPATCH_ENCRYPTION_KEY", "bench"),
            ("DISPATCH_JWT_SECRET", "bench"),
            ("DISPATCH_UI_URL", "https://example.com"),
            ("ENV", "pytest"),
            ("JWKS_URL", "example.com"),
            ("METRIC_PROVIDERS", ""),
        ),
        modules=(
            ("python-jose", "jose"),
            ("python-slugify", "slugify"),
            ("python-dateutil", "dateutil"),
            ("python-multipart", "multipart"),
            ("psycopg2-binary", "psycopg2"),
            ("google-api-python-client", "googleapiclient"),
            ("atlassian-python-api", "atlassian"),
            ("sentry-asgi", "sentry_asgi"),
            ("duo-client", "duo_client"),
        ),
    ),
    App(
        "fides",
        "ethyca+fides",
        before="9dd7d7b034^",  # "Fides Pydantic V2 Upgrade (#5020)"
        after="9dd7d7b034",  # its follow-up fix 310cbefcc4 changes no Python file
        requirements="requirements.txt",
        packages=("fides",),
        modules=(
            ("python-jose", "jose"),
            ("psycopg2-binary", "psycopg2"),
            ("pyyaml", "yaml"),
            ("pymysql", "pymysql"),
            ("gitpython", "git"),
            ("scylla-driver", "cassandra"),
            ("cloud-sql-python-connector", "google.cloud.sql"),
            ("firebase-admin", "firebase_admin"),
            ("apscheduler", "apscheduler"),
            ("pyjwt", "jwt"),
            ("sqlalchemy-citext", "citext"),
            ("sqlalchemy-stubs", "sqlmypy"),
            ("multidimensional-urlencode", "multidimensional_urlencode"),
            ("snowflake-sqlalchemy", "snowflake"),
            ("sqlalchemy-bigquery", "sqlalchemy_bigquery"),
            ("sqlalchemy-redshift", "sqlalchemy_redshift"),
            ("iab-tcf", "iab_tcf"),
            ("importlib-resources", "importlib_resources"),
            ("rich-click", "rich_click"),
        ),
    ),
)


def missing(apps: Sequence[App]) -> list[str]:
    """The mirrors (or revisions) this run needs and does not have."""
    absent = []
    for app in apps:
        if not app.git_dir.is_dir():
            absent.append(f"{app.name}: no mirror at {app.git_dir}")
            continue
        for revision in (app.before, app.after):
            if _git(app, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}") is None:
                absent.append(f"{app.name}: the mirror has no revision {revision}")
    return absent


def _git(app: App, *args: str) -> bytes | None:
    done = subprocess.run(
        ["git", f"--git-dir={app.git_dir}", *args], capture_output=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


def extract(app: App, revision: str, target: Path) -> Path:
    """Write ``src`` and ``tests`` of ``revision`` under ``target``; return ``target``."""
    target.mkdir(parents=True)
    archive = target.with_suffix(".tar")
    subprocess.run(
        [
            "git",
            f"--git-dir={app.git_dir}",
            "archive",
            "--format=tar",
            f"--output={archive}",
            revision,
            *MIGRATED_FOLDERS,
        ],
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    archive.unlink()
    return target


# --- the Pydantic 2 environment ------------------------------------------------------------


@dataclass
class Environment:
    """The application's virtualenv and what could not be installed as pinned."""

    python: Path
    unpinned: list[str] = field(default_factory=list)
    stubbed: list[str] = field(default_factory=list)
    """Top-level modules stubbed because their distribution does not install."""


def requirement_lines(text: str) -> list[str]:
    """The requirements of a requirements file, without comments, options (``--index-url``)
    and hashes."""
    wanted = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith(("#", "-")):
            wanted.append(line.split(" \\", 1)[0].strip())
    return wanted


def distribution_name(requirement: str) -> str:
    """``fastapi[all]==0.111.0`` → ``fastapi``."""
    return re.split(r"[\s\[=<>~!;]", requirement, maxsplit=1)[0]


def module_of(app: App, distribution: str) -> str:
    """The top-level module a distribution provides (what a stub must stand for)."""
    normal = re.sub(r"[-_.]+", "-", distribution).lower()
    for name, module in app.modules:
        if name == normal:
            return module.split(".")[0]
    return normal.replace("-", "_")


def environment(app: App) -> Environment:
    """The virtualenv of ``app``, built on first use from its post-migration requirements."""
    text = (_git(app, "show", f"{app.after}:{app.requirements}") or b"").decode()
    requirements = requirement_lines(text)
    digest = hashlib.sha256(repr(requirements).encode()).hexdigest()[:12]
    folder = CACHE / f"venv-{app.name}-{digest}"
    python = folder / "bin" / "python"
    marker = folder / ".built.json"
    if marker.exists():
        built = json.loads(marker.read_text(encoding="utf-8"))
        return Environment(python, built["unpinned"], built["stubbed"])
    print(f"  building {folder} from {len(requirements)} requirements (once; minutes)")
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    built = Environment(python)
    if not _pip(python, *requirements):
        for requirement in requirements:
            if _pip(python, requirement):
                continue
            name = distribution_name(requirement)
            if name != requirement and _pip(python, name):
                built.unpinned.append(requirement)
            else:
                built.stubbed.append(module_of(app, name))
    marker.write_text(
        json.dumps({"unpinned": built.unpinned, "stubbed": built.stubbed}), encoding="utf-8"
    )
    return built


def _pip(python: Path, *requirements: str) -> bool:
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--retries", "8", *requirements],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    return done.returncode == 0


def import_failures(app: App, built: Environment, tree: Path) -> tuple[int, dict[str, str]]:
    """Import every module of the application's packages in ``tree``; module → error."""
    src = tree / "src"
    env = {
        **os.environ,
        **dict(app.environment),
        "PYTHONPATH": str(src),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [
            str(built.python),
            pydantic_realcode.__file__,
            "--probe",
            str(src),
            ",".join(built.stubbed),
            *app.packages,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"import probe failed: {done.stderr.strip()[-800:]}")
    probe = json.loads(done.stdout.splitlines()[-1])
    return int(probe["modules"]), {str(m): str(e) for m, e in probe["failures"]}


# --- V1 constructs left, counted on the syntax tree ----------------------------------------

OPTIONAL_ALIASES = {"NoneStr", "NoneBytes", "StrBytes", "NoneStrBytes"}


def _name(node: ast.expr) -> str:
    """The last name of ``a.b.c`` / ``c``; empty for anything else."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _is_optional(annotation: ast.expr) -> bool:
    """``Optional[X]``, ``Union[X, None]``, ``X | None``, ``NoneStr``, or such a string."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    if isinstance(annotation, ast.Subscript):
        kind = _name(annotation.value)
        if kind == "Optional":
            return True
        if kind == "Union":
            members = annotation.slice
            items = members.elts if isinstance(members, ast.Tuple) else [members]
            return any(isinstance(m, ast.Constant) and m.value is None for m in items)
        return False
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return any(
            isinstance(side, ast.Constant) and side.value is None
            for side in (annotation.left, annotation.right)
        ) or _is_optional(annotation.left)
    return _name(annotation) in OPTIONAL_ALIASES


def _class_findings(node: ast.ClassDef) -> Iterator[str]:
    if not node.bases:
        return
    for statement in node.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Config":
            yield "class Config"
        if (
            isinstance(statement, ast.AnnAssign)
            and statement.value is None
            and isinstance(statement.target, ast.Name)
            and _is_optional(statement.annotation)
        ):
            yield "Optional field without a default"


V1_CALLS = {
    "dict": ".dict()",
    "from_orm": ".from_orm()",
    "parse_obj": ".parse_obj()",
    "update_forward_refs": ".update_forward_refs()",
    "json": ".json()",
    "copy": ".copy()",
}
"""Methods whose V1 spelling is counted on any receiver (the same count for every tree)."""


def _call_findings(node: ast.Call) -> Iterator[str]:
    called = _name(node.func)
    keywords = {keyword.arg for keyword in node.keywords}
    if called == "Field" and "nullable" in keywords:
        yield "Field(nullable=...)"
    if called in {"Field", "constr"} and "regex" in keywords:
        yield "regex= (V2: pattern=)"
    if keywords & {"min_items", "max_items"}:
        yield "min_items/max_items (V2: min_length/max_length)"
    if called in {"constr", "conint", "confloat", "conlist", "conset", "condecimal"}:
        yield f"{called}()"
    if called in {"validator", "root_validator"}:
        yield f"@{called}(...)"
    if isinstance(node.func, ast.Attribute) and node.func.attr in V1_CALLS:
        receiver = node.func.value
        is_builtin = isinstance(receiver, ast.Name) and receiver.id in {"dict", "json", "copy"}
        if not is_builtin and not (node.func.attr == "json" and not node.args and not keywords):
            yield V1_CALLS[node.func.attr]
        elif node.func.attr == "json" and not is_builtin:
            yield ".json() without arguments (any receiver)"


def constructs(text: str) -> Counter[str]:
    """The V1 constructs of one file, by construct."""
    found: Counter[str] = Counter()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        found["file that does not parse"] += 1
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            found.update(_class_findings(node))
            found.update("GenericModel base" for b in node.bases if _name(b) == "GenericModel")
        elif isinstance(node, ast.Call):
            found.update(_call_findings(node))
        elif isinstance(node, ast.Attribute) and node.attr == "__fields__":
            found["__fields__"] += 1
        elif (isinstance(node, ast.Name) and node.id == "orm_mode") or (
            isinstance(node, ast.keyword) and node.arg == "orm_mode"
        ):
            found["orm_mode"] += 1
        elif isinstance(node, ast.Name) and node.id == "ErrorWrapper":
            found["ErrorWrapper use"] += 1
        elif isinstance(node, ast.Name) and node.id in OPTIONAL_ALIASES:
            found[f"{node.id} use"] += 1
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pydantic"):
            for alias in node.names:
                if alias.name in {"BaseSettings", "GenericModel", "ErrorWrapper"}:
                    found[f"from {node.module} import {alias.name}"] += 1
    return found


def python_files(tree: Path) -> list[Path]:
    """Every Python file of the migrated folders of ``tree``."""
    return sorted(path for top in MIGRATED_FOLDERS for path in (tree / top).rglob("*.py"))


def count_constructs(tree: Path) -> Counter[str]:
    """The V1 constructs left in ``tree``."""
    total: Counter[str] = Counter()
    for path in python_files(tree):
        total.update(constructs(path.read_text(encoding="utf-8", errors="replace")))
    return total


# --- one application -----------------------------------------------------------------------


@dataclass
class Measured:
    """One application's three trees, measured in one run."""

    name: str
    files: int = 0
    lines: int = 0
    changed: int = 0
    migrate_seconds: float = 0.0
    not_compiling: list[str] = field(default_factory=list)
    second_run_changed: list[str] = field(default_factory=list)
    left: dict[str, Counter[str]] = field(default_factory=dict)
    modules: int = 0
    failures: dict[str, dict[str, str]] = field(default_factory=dict)
    built: Environment | None = None


def measure(app: App, work: Path, imports: bool) -> Measured:
    """Extract, migrate and measure the three trees of ``app`` under ``work``."""
    trees = {
        "unmigrated": extract(app, app.before, work / app.name / "unmigrated"),
        "maintainers": extract(app, app.after, work / app.name / "maintainers"),
    }
    ours = work / app.name / "ours"
    shutil.copytree(trees["unmigrated"], ours)
    trees["ours"] = ours
    result = Measured(app.name)
    before = {path: path.read_text(encoding="utf-8") for path in python_files(ours)}
    result.files = len(before)
    result.lines = sum(text.count("\n") for text in before.values())
    started = time.perf_counter()
    _migrate(ours)
    result.migrate_seconds = time.perf_counter() - started
    for path, text in before.items():
        after = path.read_text(encoding="utf-8")
        if after == text:
            continue
        result.changed += 1
        try:
            compile(after, str(path), "exec", dont_inherit=True)
        except SyntaxError as error:
            result.not_compiling.append(f"{path.relative_to(ours)}: {error}")
    first = {path: path.read_text(encoding="utf-8") for path in before}
    _migrate(ours)
    result.second_run_changed = [
        str(path.relative_to(ours))
        for path, text in first.items()
        if path.read_text(encoding="utf-8") != text
    ]
    result.left = {name: count_constructs(trees[name]) for name in TREES}
    if imports:
        result.built = environment(app)
        for name in TREES:
            result.modules, result.failures[name] = import_failures(app, result.built, trees[name])
    return result


def origin(error: str) -> str:
    """The file a probe's failure starts in (``... [at pkg/mod.py:12]`` → ``pkg/mod.py``)."""
    found = re.search(r"\[at (.+?):\d+\]$", error)
    return found.group(1) if found else error


def _migrate(tree: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "migrate", *MIGRATED_FOLDERS],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"  migrate exited {done.returncode}: {done.stderr.strip()[-600:]}")


def report(result: Measured, show: int) -> None:
    """Print one application's figures: ours against both baselines."""
    print(f"\n### {result.name}")
    print(
        f"src + tests: {result.files} files, {result.lines:,} lines; migrate changed "
        f"{result.changed} in {result.migrate_seconds:.1f} s; "
        f"not compiling: {len(result.not_compiling)} {result.not_compiling[:3]}; "
        f"changed by a second migrate: {len(result.second_run_changed)} "
        f"{result.second_run_changed[:3]}"
    )
    keys = sorted({key for counts in result.left.values() for key in counts})
    print(f"\nV1 constructs left   {'':38}" + "".join(f"{n:>13}" for n in TREES))
    for key in keys:
        print(f"  {key:58}" + "".join(f"{result.left[n][key]:>13}" for n in TREES))
    if result.built is None:
        return
    unpinned = ", ".join(result.built.unpinned) or "none"
    print(f"\nrequirements installed unpinned (the pin did not install): {unpinned}")
    print(f"stubbed (not installable here): {', '.join(result.built.stubbed) or 'none'}")
    floor = set(result.failures["maintainers"])
    print(f"modules failing to import under pydantic 2 (of {result.modules}):")
    print("  (origins: the distinct files the failures beyond the floor start in)")
    for name in TREES:
        failing = result.failures[name]
        beyond = sorted(set(failing) - floor)
        origins = {origin(failing[module]) for module in beyond}
        print(
            f"  {name:12} {len(failing):4}   beyond the maintainers' floor: {len(beyond):4}"
            f"   origins: {len(origins)}"
        )
    for name in ("ours", "unmigrated"):
        beyond = {m: e for m, e in result.failures[name].items() if m not in floor}
        if not beyond:
            continue
        print(f"\n  {name}, failing beyond the floor, by cause:")
        by_cause: dict[str, list[str]] = {}
        for module, error in beyond.items():
            by_cause.setdefault(error, []).append(module)
        for error, modules in sorted(by_cause.items(), key=lambda item: -len(item[1]))[:show]:
            more = f" (+{len(modules) - 2} more)" if len(modules) > 2 else ""
            print(f"    {len(modules)} x {error[:160]}")
            print(f"        e.g. {', '.join(modules[:2])}{more}")
    floor_causes = Counter(
        error.split(" [at")[0][:100] for error in result.failures["maintainers"].values()
    )
    if floor_causes:
        print("\n  the floor (maintainers' tree), by cause:")
        for cause, count in floor_causes.most_common(show):
            print(f"    {count} x {cause}")


def main(argv: list[str]) -> int:
    """Measure every application whose mirror is on this machine."""
    parser = argparse.ArgumentParser(prog="python -m bench pydantic_apps")
    parser.add_argument("--only", action="append", help="application name (repeatable)")
    parser.add_argument("--no-imports", action="store_true", help="skip the pydantic 2 venv")
    parser.add_argument("--show", type=int, default=12, help="causes listed per tree")
    parser.add_argument("--keep", type=Path, help="keep the three trees under this folder")
    arguments = parser.parse_args(argv)
    chosen = [app for app in APPS if not arguments.only or app.name in arguments.only]
    absent = missing(chosen)
    if absent:
        print("pydantic_apps: skipped, the applications' git mirrors are not on this machine:")
        for line in absent:
            print(f"  {line}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-apps-") as temp:
        work = arguments.keep or Path(temp)
        results = [measure(app, work, not arguments.no_imports) for app in chosen]
        for result in results:
            report(result, arguments.show)
    return 0
