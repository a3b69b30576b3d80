"""Callbacks shared by every page: routing glue, what-if parameters, tables, downloads.

The URL is the single source of truth. Dash Pages' router re-renders a page when its path
or language changes; pages that follow the query string themselves (the map, compare) keep
their components when only the query changes (:func:`keep_page`), so the map can recolour
without resending geometry. The callbacks here keep the what-if controls and the URL in
step both ways (so Back restores them), keep navigation links carrying the current
choices, drive every sortable table and serve the downloads. They are registered on the
app by :func:`register` (not at import), so several apps in one process stay apart.

Pages use :func:`missing_store` (the empty-store page) and :func:`follow_map_clicks`, which
registers, like a page's own callbacks, the callback that follows clicks on a page's map.
:func:`app_layout` is the app's layout, with the first page already in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import dash
import flask
from dash import ALL, MATCH, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash._pages import _parse_query_string, _path_to_page  # the router's own rules
from dash.exceptions import PreventUpdate

from dashboard import (
    chrome,
    components,
    data,
    downloads,
    ids,
    mapview,
    routes,
    svgmap,
    tables,
    values,
    whatif,
)
from dashboard.urls import CARRIED_KEYS, ViewState, parse_view
from etl.schema import StoreError
from layers.indicators import SCORED_DOMAINS

URLS = {"type": ids.URL, "page": ALL}
"""Every page's own location (one at a time is mounted)."""

SEARCH_AWARE: frozenset[str] = frozenset(r.path() for r in routes.ROUTES if r.follows_query)
"""Paths whose pages follow query changes themselves instead of being re-rendered."""


def keep_page(shown: Any, path: str, view: ViewState) -> bool:
    """Tell the router to keep the page on screen: the same search-aware page in the same
    language is showing, and only its query changed.

    Parameters
    ----------
    shown
        ``{"path": …, "search": …}`` of the page on screen (the :data:`ids.SHOWN` store).
    path
        The path being routed to.
    view
        The view of the new URL.
    """
    shown = values.mapping(shown)
    if path not in SEARCH_AWARE or shown.get("path") != path:
        return False
    return parse_view(shown.get("search")).taal == view.taal


def view_of(query: str | Mapping[str, Any] | None) -> ViewState:
    """The view of a query string (or of the query keywords Dash Pages passes a layout)."""
    return parse_view(query or "")


def missing_store(view: ViewState, path: str, *, page: str) -> html.Div | None:
    """The page that says how to build the store when it is missing, else ``None`` (the
    first thing every page that reads the store checks)."""
    try:
        data.manifest()
    except StoreError as exc:
        return chrome.empty_store(str(exc), view, path, page=page)
    return None


def follow_map_clicks(graph_id: str, page: str) -> Callable[[Any, Any], str]:
    """Register the callback that follows a click on a page's map (a gemeente shows its
    wijken on the map, a wijk or buurt opens its page; see
    :func:`dashboard.mapview.drill_target`) and return it."""
    url = ids.url(page)

    @dash.callback(
        Output(url, "href", allow_duplicate=True),
        Input(graph_id, svgmap.CLICK_PROP),
        State(url, "search"),
        prevent_initial_call=True,
    )
    def follow_click(click: Any, search: Any) -> str:
        target = mapview.drill_target(click, view_of(search))
        if target is None:
            raise PreventUpdate
        return target

    return follow_click


def navigation(
    search: str | None, path: str | None, pages: Sequence[Any] | None = None
) -> tuple[list[str], str, str]:
    """Links of the header for the current URL: each page with the carried choices, the
    brand (home) and the language switch (same page and query, other language).

    Parameters
    ----------
    pages
        The keys of the links to fill, in order (default: every page of the header); an
        unknown key links home.
    """
    view = view_of(search)
    carried = view.query(keys=CARRIED_KEYS)
    other = "nl" if view.taal == "en" else "en"
    paths = {r.key: r.path() for r in routes.NAV}
    home = routes.MAP.path()
    keys = list(paths) if pages is None else pages
    hrefs = [paths.get(key, home) + carried for key in keys]
    return hrefs, home + carried, (path or home) + view.with_(taal=other).query()


def download(trigger: Any, path: str | None, search: str | None) -> dict[str, Any]:
    """What a download button sends: the current view in the format of the button.

    Raises
    ------
    dash.exceptions.PreventUpdate
        For a page without data or an unknown format.
    """
    fmt = values.mapping(trigger).get("fmt")
    if fmt not in downloads.FORMATS:
        raise PreventUpdate
    export = downloads.export_for(path or "/", view_of(search))
    if export is None:
        raise PreventUpdate
    return downloads.payload(export, str(fmt))


def app_layout(app: Dash) -> Callable[[], html.Div]:
    """The app's layout function: the page container, and on a page's first load the page
    itself already in it.

    Dash Pages draws a page with its router callback once the renderer has mounted an
    empty container: a second round trip and render before anything shows. The renderer
    asks for the layout (``GET _dash-layout``) from the page, and the request's
    ``Referer`` (sent to the same origin; :mod:`dashboard.responses` sets the policy
    ``same-origin``) names that page. Its layout goes into the container, drawn by the
    router's own rules, with the container's location equal to the URL, so mounting it
    routes nothing. Without a Referer of this host the container starts empty and the
    router draws the page, as Dash Pages does.
    """

    def layout() -> html.Div:
        return html.Div(
            [
                dcc.Store(id=ids.SHOWN),
                _first_page(app) or dash.page_container,
                html.Div(id=ids.PRINT_DUMMY, hidden=True),
            ]
        )

    return layout


def _first_page(app: Dash) -> html.Div | None:
    """The page container holding the page the request's Referer names, or ``None``."""
    if not flask.has_request_context():
        return None
    parts = urlsplit(flask.request.referrer or "")
    if not parts.netloc or parts.netloc != flask.request.host:
        return None
    path, search = parts.path or "/", f"?{parts.query}" if parts.query else ""
    page, variables = _path_to_page(app.strip_relative_path(path))
    if not page:
        page = next((p for m, p in dash.page_registry.items() if m.endswith("not_found_404")), {})
    layout, title = page.get("layout"), page.get("title", app.title)
    if not callable(layout):
        return None
    content = layout(**(variables or {}), **_parse_query_string(search), shown=None)
    if callable(title):
        title = title(**(variables or {}))
    return html.Div(
        [
            dcc.Location(
                id=ids.LOCATION,
                refresh="callback-nav",
                pathname=path,
                search=search,
                hash="",
                href=path + search,
            ),
            html.Div(content, id=ids.PAGE_CONTENT, disable_n_clicks=True),
            dcc.Store(id=ids.PAGE_STORE, data={"title": title}),
            html.Div(id=ids.PAGE_DUMMY, disable_n_clicks=True),
        ]
    )


def register(app: Dash) -> None:
    """Register the shared callbacks on an app."""
    app.clientside_callback(
        """function(store, path, search) {
            var view = new URLSearchParams(search || "");
            document.documentElement.lang = view.get("taal") === "en" ? "en" : "nl";
            return {path: path, search: search || ""};
        }""",
        Output(ids.SHOWN, "data"),
        Input(ids.PAGE_STORE, "data"),
        State(ids.LOCATION, "pathname"),
        State(ids.LOCATION, "search"),
    )
    app.clientside_callback(
        """function(n) { if (n) { window.print(); } return window.dash_clientside.no_update; }""",
        Output(ids.PRINT_DUMMY, "children"),
        Input(ids.PRINT_BUTTON, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(URLS, "search", allow_duplicate=True),
        Output({"type": ids.WHATIF_WEIGHT, "domain": ALL}, "value"),
        Output(ids.WHATIF_THRESHOLD, "value"),
        Output(ids.WHATIF_MIN_POPULATION, "value"),
        Output(ids.WHATIF_REFERENCE, "value"),
        Output(ids.WHATIF_MAX_AGE, "value"),
        Output(ids.WHATIF_SUMMARY, "children"),
        Input(URLS, "search"),
        Input({"type": ids.WHATIF_WEIGHT, "domain": ALL}, "value"),
        Input(ids.WHATIF_THRESHOLD, "value"),
        Input(ids.WHATIF_MIN_POPULATION, "value"),
        Input(ids.WHATIF_REFERENCE, "value"),
        Input(ids.WHATIF_RESET, "n_clicks"),
        Input(ids.WHATIF_MAX_AGE, "value"),
        prevent_initial_call=True,
    )
    def on_whatif(
        searches: Any,
        weights: Any,
        threshold: Any,
        min_population: Any,
        reference: Any,
        reset: Any,
        max_age: Any,
    ) -> Any:
        """What-if controls ⇄ URL (see :func:`dashboard.whatif.sync`)."""
        if not searches:
            raise PreventUpdate
        trigger = ctx.triggered_id
        if isinstance(trigger, Mapping):
            trigger = trigger.get("type")
        domains = [o["id"]["domain"] for o in ctx.outputs_list[1]]
        given = dict(zip(domains, weights, strict=True))
        ordered = [given.get(d) for d in SCORED_DOMAINS]
        out = whatif.sync(
            searches[0], ordered, threshold, min_population, reference, reset, trigger, max_age
        )
        wanted = dict(zip(SCORED_DOMAINS, out[1], strict=True))
        return ([out[0]] * len(searches), [wanted.get(d, no_update) for d in domains], *out[2:])

    @app.callback(
        Output({"type": ids.NAV_LINK, "page": ALL}, "href"),
        Output(ids.BRAND, "href"),
        Output(ids.LANG_LINK, "href"),
        Input(URLS, "search"),
        State(URLS, "pathname"),
        prevent_initial_call=True,
    )
    def on_search(searches: Any, paths: Any) -> Any:
        """Header links follow the URL (see :func:`navigation`)."""
        if not searches:
            raise PreventUpdate
        links = [o["id"]["page"] for o in ctx.outputs_list[0]]
        return navigation(searches[0], paths[0], links)

    @app.callback(
        Output({"type": components.TABLE_STATE, "table": MATCH}, "data"),
        Input({"type": components.SORT, "table": MATCH, "col": ALL}, "n_clicks"),
        Input({"type": components.PAGE, "table": MATCH, "dir": ALL}, "n_clicks"),
        State({"type": components.TABLE_STATE, "table": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def on_table_button(sorts: Any, pages: Any, state: Any) -> Any:
        """A sort or pager button changes its table's state."""
        if not ctx.triggered or not any(t.get("value") for t in ctx.triggered):
            raise PreventUpdate
        return tables.next_state(state, ctx.triggered_id)

    @app.callback(
        Output({"type": components.TABLE_STATE, "table": MATCH}, "data", allow_duplicate=True),
        Input({"type": components.TABLE_FILTER, "table": MATCH}, "value"),
        State({"type": components.TABLE_STATE, "table": MATCH}, "data"),
        prevent_initial_call=True,
    )
    def on_table_filter(text: Any, state: Any) -> Any:
        """Typing in a table's search box filters its rows (from the first page)."""
        return tables.filtered(state, text)

    @app.callback(
        Output({"type": components.TABLE_BODY, "table": MATCH}, "children"),
        Input({"type": components.TABLE_STATE, "table": MATCH}, "data"),
        Input(URLS, "search"),
        State(URLS, "pathname"),
        State({"type": components.TABLE_STATE, "table": MATCH}, "id"),
        prevent_initial_call=True,
    )
    def on_table_state(state: Any, searches: Any, paths: Any, table: Any) -> Any:
        """A table re-renders when its state or the URL changes."""
        if not searches:
            raise PreventUpdate
        return tables.render(table["table"], paths[0] or "/", view_of(searches[0]), state)

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input({"type": ids.DOWNLOAD_BUTTON, "fmt": ALL}, "n_clicks"),
        State(URLS, "pathname"),
        State(URLS, "search"),
        prevent_initial_call=True,
    )
    def on_download(clicks: Any, paths: Any, searches: Any) -> Any:
        """A download button sends the current view (see :func:`download`)."""
        clicked = any(t.get("value") for t in ctx.triggered)
        if not clicked or not paths:
            raise PreventUpdate
        return download(ctx.triggered_id, paths[0], searches[0])
