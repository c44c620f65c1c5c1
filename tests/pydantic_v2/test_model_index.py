"""The workspace index of Pydantic models: a class is a model when it derives, through imports
resolved in the workspace, from ``BaseModel`` / ``BaseSettings`` / ``GenericModel``; the
engine, the CLI and the runner use it for ``class Config`` of settings subclasses and for method
calls on imported models. Without a workspace each file is analysed alone, as before."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fastapi_architect.project_files import Buffer, BufferFiles
from fastapi_architect.pydantic_v2 import find_findings, migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex, WorkspaceModels
from fastapi_architect.pydantic_v2.runner import Status, Task, discover, run

BASE = """\
from typing import Optional

from pydantic import BaseModel, BaseSettings


class AppModel(BaseModel):
    class Config:
        orm_mode = True


class AppSettings(BaseSettings):
    debug: bool = False
    name: Optional[str] = "app"


class NotAModel:
    def dict(self):
        return {}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/base.py": BASE,
            "app/models/__init__.py": "from .user import User\n",
            "app/models/user.py": "from ..core.base import AppModel\n\n\n"
            "class User(AppModel):\n    name: str\n",
        },
    )
    return tmp_path


def models_of(root: Path, path: Path, index: ModelIndex | None = None) -> WorkspaceModels:
    index = index or ModelIndex([root])
    return index.models_for(path, ast.parse(path.read_text(encoding="utf-8")))


def migrated(root: Path, name: str, text: str) -> str:
    path = root / name
    write(root, {name: text})
    source = path.read_text(encoding="utf-8")
    return migrate_source(source, models=models_of(root, path))


def test_config_of_a_subclass_of_the_projects_settings_base_becomes_settings_config_dict(
    project: Path,
) -> None:
    text = """\
    from app.core.base import AppSettings


    class Settings(AppSettings):
        class Config:
            env_prefix = "APP_"
    """
    result = migrated(project, "app/settings.py", text)
    assert 'model_config = SettingsConfigDict(env_prefix="APP_")' in result
    assert "from pydantic_settings import SettingsConfigDict" in result
    compile(result, "settings.py", "exec")


def test_without_the_workspace_a_lone_file_keeps_todays_behaviour(project: Path) -> None:
    text = """\
    from app.core.base import AppSettings


    class Settings(AppSettings):
        class Config:
            env_prefix = "APP_"
    """
    write(project, {"app/settings.py": text})
    source = (project / "app/settings.py").read_text(encoding="utf-8")
    assert migrate_source(source) == source  # no pydantic import: nothing known here


def test_method_calls_on_a_model_imported_through_a_package_reexport_are_renamed(
    project: Path,
) -> None:
    text = """\
    from app.models import User


    def load(data: dict) -> User:
        return User.parse_obj(data)


    def dump(user: User) -> dict:
        copied = data_copy({"a": 1}.copy())
        return user.dict()


    def data_copy(value):
        return value
    """
    result = migrated(project, "app/api.py", text)
    assert "User.model_validate(data)" in result
    assert "user.model_dump()" in result
    assert '{"a": 1}.copy()' in result  # an unknown receiver is never touched


def test_from_orm_on_an_imported_model_whose_base_sets_orm_mode_converts(project: Path) -> None:
    text = """\
    from app.models import User


    def read(row) -> User:
        return User.from_orm(row)
    """
    assert "User.model_validate(row)" in migrated(project, "app/api.py", text)


def test_a_class_of_another_file_that_is_not_a_model_is_never_treated_as_one(
    project: Path,
) -> None:
    text = """\
    from app.core.base import NotAModel


    def dump(thing: NotAModel) -> dict:
        return thing.dict()
    """
    result = migrated(project, "app/api.py", text)
    assert "thing.dict()" in result


def test_a_method_the_workspace_base_defines_itself_is_reported_not_renamed(
    project: Path,
) -> None:
    write(
        project,
        {
            "app/custom.py": """\
            from pydantic import BaseModel


            class Custom(BaseModel):
                def dict(self, **kwargs):
                    return {"custom": True}
            """
        },
    )
    text = """\
    from app.custom import Custom


    def dump(item: Custom) -> dict:
        return item.dict()
    """
    path = project / "app/api.py"
    write(project, {"app/api.py": text})
    source = path.read_text(encoding="utf-8")
    models = models_of(project, path)
    findings = [f for f in find_findings(source, models=models) if f.code == "PYD014"]
    assert len(findings) == 1 and not findings[0].fixable
    assert "defines its own `dict`" in findings[0].message


def test_dotted_bases_after_import_as_and_relative_imports_resolve(project: Path) -> None:
    text = """\
    import app.core.base as base
    from .core import base as core_base


    class Other(base.AppModel):
        x: int

        class Config:
            allow_population_by_field_name = True


    class Env(core_base.AppSettings):
        class Config:
            env_file = ".env"
    """
    result = migrated(project, "app/other.py", text)
    assert "model_config = ConfigDict(populate_by_name=True)" in result
    assert 'model_config = SettingsConfigDict(env_file=".env")' in result


def test_a_subclass_chain_across_three_files_is_a_settings_class(project: Path) -> None:
    write(
        project,
        {
            "app/core/middle.py": "from app.core.base import AppSettings\n\n\n"
            "class MiddleSettings(AppSettings):\n    port: int = 80\n",
        },
    )
    text = """\
    from app.core.middle import MiddleSettings


    class Settings(MiddleSettings):
        class Config:
            case_sensitive = True
    """
    assert "SettingsConfigDict(case_sensitive=True)" in migrated(project, "app/s.py", text)


def test_import_cycles_and_unknown_modules_end_without_a_model(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a.py": "from b import Loop\n\n\nclass Loop(Loop):\n    pass\n",
            "b.py": "from a import Loop\n",
            "c.py": "from a import Loop\nfrom missing.module import Thing\n"
            "from os import path\n\n\nclass C(Loop, Thing):\n    pass\n",
        },
    )
    assert not models_of(tmp_path, tmp_path / "c.py")


def test_an_open_buffer_wins_over_the_disk_and_a_changed_file_is_read_again(
    project: Path,
) -> None:
    index = ModelIndex([project])
    consumer = project / "app/api.py"
    write(project, {"app/api.py": "from app.core.plain import Thing\n"})
    write(project, {"app/core/plain.py": "class Thing:\n    pass\n"})
    tree = ast.parse(consumer.read_text(encoding="utf-8"))
    assert not index.models_for(consumer, tree)

    unsaved = "from pydantic import BaseModel\n\n\nclass Thing(BaseModel):\n    pass\n"
    plain = (project / "app/core/plain.py").resolve()
    view = BufferFiles({plain: Buffer(plain.as_uri(), 2, unsaved)})
    found = index.models_for(consumer, tree, view)
    assert found.get("Thing") is not None
    assert not index.models_for(consumer, tree)  # the disk still says: not a model

    (project / "app/core/plain.py").write_text(unsaved + "\n# saved\n", encoding="utf-8")
    assert index.models_for(consumer, tree).get("Thing") is not None


def test_cli_migrate_on_a_folder_uses_the_index_and_a_single_file_does_not(
    project: Path,
) -> None:
    write(
        project,
        {
            "app/settings.py": """\
            from app.core.base import AppSettings


            class Settings(AppSettings):
                class Config:
                    env_prefix = "APP_"
            """
        },
    )
    settings = project / "app/settings.py"
    before = settings.read_text(encoding="utf-8")
    alone = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "migrate", str(settings)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert alone.returncode == 0, alone.stderr
    assert settings.read_text(encoding="utf-8") == before
    folder = subprocess.run(
        [sys.executable, "-m", "fastapi_architect", "migrate", str(project / "app")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert folder.returncode == 0, folder.stderr
    assert "SettingsConfigDict(" in settings.read_text(encoding="utf-8")


def test_runner_lists_findings_in_files_that_never_mention_pydantic(project: Path) -> None:
    write(
        project,
        {"app/api.py": "from app.models import User\n\n\ndef f(u: User):\n    return u.json()\n"},
    )
    task = Task(findings=True, workspace=(project,))
    report = run(discover([project]), task, jobs=1)
    api = next(r for r in report.results if r.path.name == "api.py")
    assert api.status is Status.UNCHANGED
    assert [f.code for f in api.findings] == ["PYD014"]
    alone = run(discover([project]), Task(findings=True), jobs=1)
    assert not next(r for r in alone.results if r.path.name == "api.py").findings


def test_an_optional_field_of_a_subclass_of_a_workspace_model_gets_its_v1_default(
    project: Path,
) -> None:
    text = """\
    from typing import Optional

    from app.core.base import AppModel


    class Profile(AppModel):
        nick: Optional[str]
    """
    assert "    nick: Optional[str] = None\n" in migrated(project, "app/profile.py", text)


def test_unreadable_broken_and_special_modules_are_skipped_without_an_error(
    tmp_path: Path,
) -> None:
    import os

    write(
        tmp_path,
        {
            "broken.py": "from pydantic import BaseModel\n\nclass Half(BaseModel:\n",
            "itself.py": "from itself import Loop\n\n\nclass Loop(Loop):\n    pass\n",
        },
    )
    (tmp_path / "binary.py").write_bytes(b"\xff\xfe not utf-8 \x00")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo.py")
    consumer = tmp_path / "consumer.py"
    consumer.write_text(
        "from broken import Half\nfrom itself import Loop\nfrom binary import Thing\n"
        "from fifo import Other\n\n\nclass C(Half, Loop, Thing, Other):\n    pass\n",
        encoding="utf-8",
    )
    assert not models_of(tmp_path, consumer)


def test_models_read_through_an_imported_module_are_known_receivers(project: Path) -> None:
    text = """\
    from app import models
    import app.models as m


    def load(data: dict) -> models.User:
        return models.User.parse_obj(data)


    def dump(user: models.User) -> dict:
        return user.dict()


    def fields() -> list:
        return list(m.User.__fields__)


    def shadowed(models: dict) -> dict:
        return models.User.dict()
    """
    path = project / "app" / "api.py"
    write(project, {"app/api.py": text})
    source = path.read_text(encoding="utf-8")
    index = ModelIndex([project])
    found = index.models_for(path, ast.parse(source), text=source)
    result = migrate_source(source, models=found)
    assert "return models.User.model_validate(data)" in result
    assert "return user.model_dump()" in result
    assert "return list(m.User.model_fields)" in result
    assert "return models.User.dict()" in result  # a parameter shadows the module here


@pytest.mark.parametrize(
    ("base", "is_model"),
    [
        ("from pydantic import BaseModel\n\n\nclass BaseModel(BaseModel):\n    x: int = 0\n", True),
        ("from pydantic import *\n\n\nclass Base(BaseModel):\n    x: int = 0\n", True),
        ("from pydantic import main\n\n\nclass Base(main.BaseModel):\n    x: int = 0\n", True),
        (
            "from pydantic_settings.main import BaseSettings\n\n\n"
            "class Base(BaseSettings):\n    x: int = 0\n",
            True,
        ),
        (
            "from pydantic import BaseModel\n\nBaseModel = object\n\n\n"
            "class Base(BaseModel):\n    x: int = 0\n",
            False,
        ),
        (
            "from pydantic import BaseModel\n\n\ndef BaseModel():\n    ...\n\n\n"
            "class Base(BaseModel()):\n    x: int = 0\n",
            False,
        ),
    ],
    ids=[
        "own-class-named-BaseModel",
        "star",
        "submodule",
        "settings-submodule",
        "reassigned",
        "redefined",
    ],
)
def test_another_files_base_is_a_model_when_python_binds_its_base_to_pydantics(
    tmp_path: Path, base: str, is_model: bool
) -> None:
    imported = "BaseModel" if "class BaseModel(" in base else "Base"
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": base,
            "app/user.py": f"from app.base import {imported}\n\n\n"
            f"class User({imported}):\n    name: str\n",
        },
    )
    text = "from app.user import User\n\n\ndef read(row):\n    return User.parse_obj(row)\n"
    result = migrated(tmp_path, "app/api.py", text)
    assert ("User.model_validate(row)" in result) is is_model


def test_a_pydantic_import_the_module_shadows_is_not_a_model_base_for_other_files(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": "from pydantic import BaseModel\n\nBaseModel = dict\n",
            "app/user.py": "from app.base import BaseModel\n\n\n"
            "class User(BaseModel):\n    name: str\n",
        },
    )
    text = "from app.user import User\n\n\ndef read(row):\n    return User.parse_obj(row)\n"
    assert "User.parse_obj(row)" in migrated(tmp_path, "app/api.py", text)
