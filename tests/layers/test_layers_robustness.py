"""The engine never raises: on half-typed code, odd constructs and every module of this repo."""

from __future__ import annotations

from pathlib import Path

from layers_support import make_project

from fastapi_architect.layers import LayerProject, check_module

FIXTURE = Path(__file__).parent / "fixtures" / "violations"
REPO = Path(__file__).parents[2]


def test_every_prefix_of_a_module_being_typed_is_checked_without_error() -> None:
    path = FIXTURE / "app/services/item_service.py"
    text = path.read_text(encoding="utf-8")
    project = LayerProject(root=FIXTURE)
    for end in range(0, len(text) + 1, 7):
        check_module(project, path, text[:end])


def test_cycles_and_odd_constructs_end(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "app/services/a_service.py": """
            from app.services.b_service import Loop, Other
            from app.services import *
            from . import a_service
            import app.services.a_service as me

            SelfAlias = SelfAlias
            Alias = Other


            def get_db():
                yield from get_db()


            async def handler(db: Loop, other: Alias, me: "me.Loop", x=Depends(get_db)) -> None:
                db.commit()
                other.execute()
                x.commit()
                (lambda s: s.commit())(db)
                raise HTTPException
            """,
            "app/services/b_service.py": """
            from app.services.a_service import Alias as Loop
            from app.services.a_service import SelfAlias as Other
            """,
        },
    )
    path = root / "app/services/a_service.py"
    assert check_module(LayerProject(root=root), path, path.read_text(encoding="utf-8")) == []


def test_every_module_of_this_repository_is_checked_without_error() -> None:
    project = LayerProject(root=REPO)
    checked = 0
    for folder in ("server", "tests", "bench"):
        for path in sorted((REPO / folder).rglob("*.py")):
            check_module(project, path, path.read_text(encoding="utf-8"))
            checked += 1
    assert checked > 200
