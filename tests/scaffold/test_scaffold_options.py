"""Options and names: validated up front, each with one clear message."""

from __future__ import annotations

import pytest

from fastapi_architect.scaffold import ScaffoldError, parse_options
from fastapi_architect.scaffold.naming import distribution_name, pluralize, resource_names


def test_defaults_match_the_issue() -> None:
    options = parse_options({"project_name": "svc"})
    assert (options.orm, options.database, options.docker, options.inference) == (
        "sync",
        "sqlite",
        "tiangolo",
        True,
    )


def test_distribution_name_is_normalised_from_the_directory_name() -> None:
    assert parse_options({"project_name": "My_Service.v2"}).distribution_name == "my-service-v2"


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"project_name": "svc", "orm": "threads"}, "orm: Input should be 'sync' or 'async'"),
        ({"project_name": "svc", "docker": "alpine"}, "docker: Input should be 'tiangolo'"),
        ({"project_name": "svc", "database": "mysql"}, "database: Input should be 'sqlite'"),
        ({"project_name": "-bad-"}, "project_name: invalid project name '-bad-'"),
        ({"project_name": "svc", "colour": "blue"}, "colour: Extra inputs are not permitted"),
        ({"project_name": "svc", "description": 'say "hi"'}, "description: must be plain text"),
    ],
)
def test_bad_options_raise_one_message_naming_the_option(
    values: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ScaffoldError) as raised:
        parse_options(values)
    assert fragment in str(raised.value)
    assert "\n" not in str(raised.value)


def test_description_is_collapsed_to_one_line() -> None:
    options = parse_options({"project_name": "svc", "description": "  Orders\n and   invoices. "})
    assert options.description == "Orders and invoices"


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("order", "orders"),
        ("category", "categories"),
        ("address", "addresses"),
        ("box", "boxes"),
        ("day", "days"),
        ("person", "people"),
        ("order_item", "order_items"),
        ("sales_person", "sales_people"),
    ],
)
def test_plurals(singular: str, plural: str) -> None:
    assert pluralize(singular) == plural


def test_resource_names_derive_class_route_and_title() -> None:
    names = resource_names("order_item")
    assert (names.class_name, names.plural, names.route, names.title) == (
        "OrderItem",
        "order_items",
        "order-items",
        "order item",
    )


@pytest.mark.parametrize(
    "name",
    ["Order", "order-item", "1order", "order__item", "", "class", "news", "health", "x" * 25],
)
def test_bad_resource_names_are_refused(name: str) -> None:
    with pytest.raises(ScaffoldError, match="invalid resource name"):
        resource_names(name)


def test_bad_project_name_message() -> None:
    with pytest.raises(ScaffoldError, match="invalid project name"):
        distribution_name("my service")
