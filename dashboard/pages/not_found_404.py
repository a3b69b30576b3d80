"""The page for any unknown path: says so, and links to every main page."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import chrome, ids, routes
from dashboard.i18n import t
from dashboard.shell import view_of

ROUTE = routes.NOT_FOUND
PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=ROUTE.path(), title="Niet gevonden — Zicht op Wijken")


def layout(shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """A helpful not-found page (Dash Pages shows it for every path no page claims)."""
    view = view_of(query)
    taal = view.taal
    carried = view.carried()
    links = [(str(r.nav), r.path()) for r in routes.NAV]
    return chrome.shell(
        view,
        ROUTE.path(),
        html.Section(
            className="not-found",
            children=[
                html.H1(t("notfound.title", taal)),
                html.P(t("notfound.body", taal)),
                html.Ul(
                    [
                        html.Li(dcc.Link(t(label, taal), href=path + carried))
                        for label, path in links
                    ]
                ),
                html.P(
                    t(
                        "notfound.area_hint",
                        taal,
                        route=routes.AREA.template,
                        example=routes.AREA.path("GM0363"),
                    )
                ),
            ],
        ),
        whatif=False,
        page=PAGE,
    )
