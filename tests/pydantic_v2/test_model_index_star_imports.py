"""The workspace index follows ``from module import *`` (honouring a literal ``__all__``) and
finds packages given as workspace roots (``migrate app tests``): ``from app import User``
resolves when ``app/__init__.py`` star-imports the module that declares it, and a test folder
next to the package sees the package's models."""

from __future__ import annotations

import ast
from pathlib import Path

from fastapi_architect.pydantic_v2 import migrate_source
from fastapi_architect.pydantic_v2.model_index import ModelIndex

MODELS = "from pydantic import BaseModel\n\n\nclass User(BaseModel):\n    id: int = 0\n"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def _known(roots: list[Path], path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    models = ModelIndex(roots).models_for(path, ast.parse(text), text=text)
    return [name for name, _ in models.classes]


def test_names_bound_by_star_imports_resolve_through_every_hop(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/__init__.py": "import logging\n\nfrom .v1 import *\n",
            "app/v1/__init__.py": 'from .models import User\n\n__all__ = ["User"]\n',
            "app/v1/models.py": MODELS,
            "app/use.py": "from app import User\n\nout = User.parse_obj({})\n",
        },
    )
    assert _known([tmp_path], tmp_path / "app/use.py") == ["User"]
    text = (tmp_path / "app/use.py").read_text(encoding="utf-8")
    models = ModelIndex([tmp_path]).models_for(tmp_path / "app/use.py", ast.parse(text), text=text)
    assert "User.model_validate({})" in migrate_source(text, models=models)


def test_star_imports_do_not_bind_names_left_out_of_all_private_or_redefined(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS + "\n\nclass _Hidden(User):\n    pass\n",
            "app/limited_models.py": MODELS + '\n__all__ = ["other"]\n',
            "app/dynamic_models.py": MODELS + "\n__all__ = [n for n in dir() if n[0].isupper()]\n",
            "app/limited.py": "from .limited_models import *\n",
            "app/dynamic.py": "from .dynamic_models import *\n",
            "app/open.py": "from .models import *\n",
            "app/redefined.py": "from .models import *\n\n\nclass User:\n    pass\n",
            "app/use.py": (
                "from app.limited import User as A\nfrom app.dynamic import User as B\n"
                "from app.open import User as C, _Hidden\nfrom app.redefined import User as D\n"
            ),
        },
    )
    assert _known([tmp_path], tmp_path / "app/use.py") == ["C"]


def test_a_package_given_as_a_root_is_imported_from_its_parent(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/schemas.py": MODELS,
            "tests/test_users.py": "from app.schemas import User\n",
        },
    )
    test_file = tmp_path / "tests/test_users.py"
    assert _known([tmp_path / "app", tmp_path / "tests"], test_file) == ["User"]
    assert _known([tmp_path / "tests"], test_file) == []
