"""The benchmark corpus end to end: real V1 modules in, modules that define V2 models out."""

from __future__ import annotations

import warnings
from pathlib import Path

from bench import corpus

from fastapi_architect.pydantic_v2 import runner
from fastapi_architect.pydantic_v2.runner import Task


def define(text: str, name: str) -> dict[str, object]:
    """Execute a module's text (defining its models) and return its namespace."""
    namespace: dict[str, object] = {"__name__": name}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(text, name, "exec"), namespace)
    return namespace


def as_v1(text: str) -> str:
    return text.replace("from pydantic import", "from pydantic.v1 import").replace(
        "import pydantic\n", "import pydantic.v1 as pydantic\n"
    )


def test_corpus_is_deterministic(tmp_path: Path) -> None:
    first = corpus.generate(tmp_path / "a", files=6, seed=3)
    second = corpus.generate(tmp_path / "b", files=6, seed=3)

    assert first == second
    for path in sorted((tmp_path / "a" / "pkg").iterdir()):
        assert path.read_text(encoding="utf-8") == (tmp_path / "b" / "pkg" / path.name).read_text(
            encoding="utf-8"
        )


def test_corpus_modules_define_v1_models_and_migrate_to_modules_defining_v2_models(
    tmp_path: Path,
) -> None:
    stats = corpus.generate(tmp_path, files=12)
    modules = sorted((tmp_path / "pkg").glob("module_*.py"))
    for module in modules:
        define(as_v1(module.read_text(encoding="utf-8")), module.stem)

    report = runner.run(runner.discover([tmp_path]), Task(write=True), jobs=1)

    assert report.scanned == stats.files + 1  # and the package's __init__.py
    assert report.skipped == []
    assert len(report.changed) == stats.files
    for module in modules:
        migrated = module.read_text(encoding="utf-8")
        namespace = define(migrated, module.stem)
        models = [value for value in namespace.values() if hasattr(value, "model_fields")]
        assert len(models) >= corpus.MODELS_PER_FILE
