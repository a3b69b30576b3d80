"""The chrome around every page: header (navigation, language switch), the what-if panel,
footer, and the page a missing store shows.

The shell is part of each page's layout, so a language change re-renders it with the page.
"""

from __future__ import annotations

from typing import Any, Final

from dash import dcc, html

from dashboard import ids, routes
from dashboard.components import aria
from dashboard.i18n import t
from dashboard.urls import ViewState
from dashboard.whatif import panel as whatif_panel

BUILD_COMMAND: Final = "python -m etl build --years 2017 2019 2022 2024 --source ../shared"
"""The command that builds the store from the mirror (shown when there is none)."""


def header(view: ViewState, path: str) -> html.Header:
    """The site header: brand, main navigation (current page marked) and language switch."""
    taal = view.taal
    carried = view.carried()
    links = []
    here = routes.route_of(path)
    section = (here.section or here.key) if here else None
    for route in routes.NAV:
        key, page_path, current = route.key, route.path(), route.key == section
        text: list[Any] = [t(str(route.nav), taal)]
        if current:
            text.append(html.Span(t("nav.current", taal), className="visually-hidden"))
        links.append(
            html.Li(
                dcc.Link(
                    text,
                    href=page_path + carried,
                    id={"type": ids.NAV_LINK, "page": key},
                    className="nav-link current" if current else "nav-link",
                )
            )
        )
    other = "nl" if taal == "en" else "en"
    return html.Header(
        className="site-header",
        children=[
            html.A(
                t("nav.skip", taal), href="#" + ids.MAIN, className="skip-link", id=ids.SKIP_LINK
            ),
            dcc.Link(
                [
                    html.Span("Zicht op Wijken", className="brand-name"),
                    html.Span(t("app.tagline", taal), className="brand-tagline"),
                ],
                href=routes.MAP.path() + carried,
                className="brand",
                id=ids.BRAND,
            ),
            html.Nav(html.Ul(links), **aria(label=t("nav.label", taal)), id=ids.NAV),
            dcc.Link(
                html.Span(t("lang.switch", taal), lang=other),
                href=path + view.with_(taal=other).query(),
                id=ids.LANG_LINK,
                className="lang-link",
                title=t("lang.switch_label", taal),
            ),
        ],
    )


def footer(view: ViewState) -> html.Footer:
    """The footer: sources with CBS/PDOK attribution and a link to the method page."""
    return html.Footer(
        className="site-footer",
        id=ids.FOOTER,
        children=[
            html.P(t("footer.sources", view.taal)),
            html.P(
                dcc.Link(t("footer.method", view.taal), href=routes.METHOD.path() + view.carried())
            ),
        ],
    )


def shell(view: ViewState, path: str, content: Any, *, page: str, whatif: bool = True) -> html.Div:
    """Wrap page content in the header, the what-if panel and the footer.

    The shell holds the page's own ``dcc.Location`` (:data:`ids.URL`), through which page
    callbacks read and write the URL; its props start equal to the URL, so mounting it
    triggers nothing.
    """
    search = view.query()
    return html.Div(
        className="page",
        lang=view.taal,
        children=[
            dcc.Location(
                id=ids.url(page),
                refresh="callback-nav",
                pathname=path,
                search=search,
                hash="",
                href=path + search,
            ),
            header(view, path),
            html.Main(
                id=ids.MAIN,
                tabIndex="-1",
                children=[whatif_panel(view, hidden=not whatif), content],
            ),
            footer(view),
        ],
    )


def empty_store(message: str, view: ViewState, path: str, *, page: str) -> html.Div:
    """What every page shows when the store is missing: how to build it."""
    taal = view.taal
    return shell(
        view,
        path,
        html.Section(
            className="empty-store",
            children=[
                html.H1(t("store.empty_title", taal)),
                html.P(t("store.empty", taal)),
                html.Pre(html.Code(BUILD_COMMAND)),
                html.P(t("store.empty_after", taal)),
                html.Pre(message, className="store-message"),
            ],
        ),
        page=page,
        whatif=False,
    )
