"""Where the service and schema modules go, and how the service_module setting is checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from extract_support import make_project

from fastapi_architect.extract.layout import LayoutError, resolve_layout, singular
from fastapi_architect.lsp.settings import SettingsError, parse_settings


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("users", "user"),
        ("categories", "category"),
        ("addresses", "address"),
        ("boxes", "box"),
        ("status", "status"),
        ("news", "new"),
        ("health", "health"),
    ],
)
def test_singular_forms(plural: str, expected: str) -> None:
    assert singular(plural) == expected


def test_scaffold_layout_uses_the_top_package_and_service_suffix(tmp_path: Path) -> None:
    make_project(tmp_path, {"app/api/v1/endpoints/users.py": ""})
    layout = resolve_layout(tmp_path / "app/api/v1/endpoints/users.py")
    assert layout.endpoint_module == "app.api.v1.endpoints.users"
    assert layout.service.module == "app.services.user_service"
    assert layout.service.new_package_init == tmp_path / "app/services/__init__.py"
    assert layout.schemas.module == "app.schemas.user"
    assert layout.import_root == tmp_path


def test_existing_plural_schemas_module_is_reused(tmp_path: Path) -> None:
    make_project(tmp_path, {"app/api/v1/endpoints/users.py": "", "app/schemas/users.py": ""})
    layout = resolve_layout(tmp_path / "app/api/v1/endpoints/users.py")
    assert layout.schemas.module == "app.schemas.users" and layout.schemas.exists


def test_single_services_module_is_extended_not_shadowed(tmp_path: Path) -> None:
    make_project(tmp_path, {"app/api/v1/endpoints/users.py": "", "app/services.py": ""})
    layout = resolve_layout(tmp_path / "app/api/v1/endpoints/users.py")
    assert layout.service.module == "app.services" and layout.service.exists


def test_flat_module_gets_packages_next_to_it(tmp_path: Path) -> None:
    (tmp_path / "main.py").write_text("")
    layout = resolve_layout(tmp_path / "main.py")
    assert layout.service.module == "services.main_service"
    assert layout.schemas.module == "schemas.main"


@pytest.mark.parametrize("pattern", ["{plural}_svc", "services/{name}", "{name}-x"])
def test_bad_patterns_are_rejected(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "main.py").write_text("")
    with pytest.raises(LayoutError):
        resolve_layout(tmp_path / "main.py", pattern)
    with pytest.raises(SettingsError, match=r"serviceModule|service_module"):
        parse_settings({"extract": {"serviceModule": pattern}})


def test_valid_pattern_setting_is_accepted() -> None:
    settings = parse_settings({"fastapiArchitect": {"extract": {"serviceModule": "{name}"}}})
    assert settings.extract.service_module == "{name}"


def test_namesake_endpoint_modules_get_services_named_after_their_folders(
    tmp_path: Path,
) -> None:
    route = '@router.get("/")\ndef read() -> int:\n    return 1\n'
    make_project(
        tmp_path,
        {
            "app/api/v1/items.py": route,
            "app/api/v2/items.py": route,
            "app/api/v2/__init__.py": "",
            "app/items.py": route,
            "app/models/items.py": "class Item: ...\n",  # not an endpoint module
            "app/models/__init__.py": "",
            "app/api/v1/users.py": route,
        },
    )
    service = {
        relative: resolve_layout(tmp_path / relative).service.module
        for relative in ("app/api/v1/items.py", "app/api/v2/items.py", "app/items.py")
    }
    assert service == {
        "app/api/v1/items.py": "app.services.v1_item_service",
        "app/api/v2/items.py": "app.services.v2_item_service",
        "app/items.py": "app.services.item_service",
    }
    users = resolve_layout(tmp_path / "app/api/v1/users.py").service.module
    assert users == "app.services.user_service"
