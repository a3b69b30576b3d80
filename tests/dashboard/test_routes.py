"""The route table: every page registered with Dash is a route, and the other way round."""

from __future__ import annotations

import re

import dash
import pytest
from dash import Dash

from dashboard import downloads, routes
from dashboard.i18n import STRINGS


def test_every_route_is_a_registered_page_and_every_page_a_route(app: Dash) -> None:
    registered = {
        page.get("path_template") or page["path"]: page.get("order")
        for page in dash.page_registry.values()
    }
    assert set(registered) == {r.template for r in routes.ROUTES}
    for r in routes.NAV:
        assert registered[r.template] == r.order
        assert r.nav in STRINGS


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/", "map"),
        ("/gebied/WK034403", "area"),
        ("/focusgebieden", "focus"),
        ("/focusgebied/rotterdam-zuid", "focusarea"),
        ("/vergelijk", "compare"),
        ("/methode", "method"),
        ("/methode/x", None),
        ("/elders", None),
        (None, None),
    ],
)
def test_a_path_belongs_to_one_route(path: object, key: str | None) -> None:
    found = routes.route_of(path)
    assert (found.key if found else None) == key
    assert sum(r.holds(path) for r in routes.ROUTES) == (1 if key else 0)


def test_paths_are_built_and_quoted_from_the_template() -> None:
    assert routes.AREA.path("WK034403") == "/gebied/WK034403"
    assert routes.FOCUS_AREA.path("a b/c") == "/focusgebied/a%20b%2Fc"
    assert routes.COMPARE.path() == "/vergelijk"
    assert re.fullmatch(routes.AREA.pattern, "/gebied/GM0363")
    assert not re.fullmatch(routes.MAP.pattern, "/vergelijk")


def test_every_page_with_downloads_registers_its_exporter_by_route(app: Dash) -> None:
    patterns = {p.pattern for p, _ in downloads.EXPORTERS}
    wanted = {routes.MAP, routes.AREA, routes.FOCUS_AREAS, routes.FOCUS_AREA, routes.COMPARE}
    assert patterns == {r.pattern for r in wanted}
