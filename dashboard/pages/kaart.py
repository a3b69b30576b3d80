"""The map (home page, ``/``): a choropleth of NL per gemeente, wijk or buurt.

The query holds the view (``niveau``, ``jaar``, ``maat``, ``gemeente``, ``focus`` and the
what-if parameters). The page follows query changes itself: a new measure or what-if
choice sends only the map's paint (a class per area, see :mod:`dashboard.svgmap`), and only
a new year, level or gemeente sends which areas to draw (the paths themselves come from the
browser's cache). Controls, URL and map follow each other in one callback (one round
trip). Clicking a gemeente shows its wijken; clicking a wijk or buurt opens its area page.
"""

from __future__ import annotations

from typing import Any, Final

import dash
from dash import (
    Input,
    Output,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
    set_props,
)
from dash.exceptions import PreventUpdate

from dashboard import (
    chrome,
    components,
    data,
    downloads,
    ids,
    mapview,
    measures,
    routes,
    svgmap,
    tables,
)
from dashboard.i18n import column_label, fmt_number, t
from dashboard.shell import follow_map_clicks, keep_page, view_of
from dashboard.urls import ViewState
from etl import schema
from etl.schema import StoreError

ROUTE = routes.MAP
PATH = ROUTE.path()

PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=PATH, title="Zicht op Wijken — kaart", order=ROUTE.order)


def layout(shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The map page for a URL query (Dash Pages passes the query as keyword arguments)."""
    view = view_of(query)
    if keep_page(shown, PATH, view):
        raise PreventUpdate
    try:
        data.manifest()  # a missing store raises with the command that builds it
        resolved = mapview.resolve(view)
        if resolved is None:
            raise StoreError("The store holds no statistics at all.")
        first = mapview.render(view, None)
    except StoreError as exc:
        return chrome.empty_store(str(exc), view, PATH, page=PAGE)
    return chrome.shell(resolved.view, PATH, content(resolved, first), page=PAGE)


def controls(resolved: mapview.Resolved) -> dict[str, Any]:
    """Values and options of the map controls for a resolved view."""
    view = resolved.view
    taal = view.taal
    gemeenten = data.statistics(resolved.jaar, "gemeente")
    gm_options = [
        {"label": str(n), "value": str(c)}
        for c, n in sorted(
            zip(
                gemeenten[schema.CODE],
                gemeenten[schema.NAAM].fillna(gemeenten[schema.CODE]),
                strict=True,
            ),
            key=lambda p: str(p[1]).casefold(),
        )
    ]
    return {
        "niveau": view.niveau,
        "jaar": resolved.jaar,
        "jaar_options": [{"label": str(j), "value": j} for j in data.years_with(view.niveau)],
        "maat": resolved.measure.id,
        "maat_options": measures.options(resolved.measures, taal),
        "gemeente": view.gemeente,
        "gemeente_options": gm_options,
        "focus": ["1"] if view.focus else [],
    }


def content(resolved: mapview.Resolved, first: mapview.MapRender) -> html.Div:
    """The page body for a resolved view and its first map render."""
    view = resolved.view
    taal = view.taal
    c = controls(resolved)
    niveau_options = [
        {"label": t(f"niveau.{n}", taal), "value": n} for n in ("gemeente", "wijk", "buurt")
    ]
    return html.Div(
        className="map-page",
        children=[
            html.H1(first.title, id=ids.MAP_TITLE),
            html.P(
                first.lead,
                className="lead",
                id=ids.MAP_LEAD,
            ),
            html.Div(
                className="controls no-print",
                role="group",
                **components.aria(label=t("map.maat", taal)),
                children=[
                    components.group(
                        ids.MAP_NIVEAU,
                        t("map.niveau", taal),
                        dcc.RadioItems(
                            id=ids.MAP_NIVEAU,
                            options=niveau_options,
                            value=c["niveau"],
                            inline=True,
                            className="radio-row",
                        ),
                        role="radiogroup",
                    ),
                    components.field(
                        t("map.jaar", taal),
                        components.dropdown(
                            ids.MAP_JAAR,
                            taal,
                            options=c["jaar_options"],
                            value=c["jaar"],
                            clearable=False,
                            searchable=False,
                        ),
                    ),
                    components.field(
                        t("map.maat", taal),
                        components.dropdown(
                            ids.MAP_MAAT,
                            taal,
                            options=c["maat_options"],
                            value=c["maat"],
                            clearable=False,
                            optionHeight=44,
                            maxHeight=420,
                        ),
                        grow=True,
                    ),
                    components.field(
                        column_label(schema.GEMEENTENAAM, taal),
                        components.dropdown(
                            ids.MAP_GEMEENTE,
                            taal,
                            options=c["gemeente_options"],
                            value=c["gemeente"],
                            clearable=True,
                            placeholder=t("map.all_nl", taal),
                        ),
                    ),
                    html.Div(
                        className="field field-check",
                        children=[
                            dcc.Checklist(
                                id=ids.MAP_FOCUS,
                                options=[{"label": t("map.focus", taal), "value": "1"}],
                                value=c["focus"],
                            ),
                        ],
                    ),
                ],
            ),
            html.Div(first.breadcrumbs, id=ids.MAP_BREADCRUMBS),
            html.Div(first.notes, id=ids.MAP_NOTE, **components.aria(live="polite")),
            html.Div(
                className="map-layout",
                children=[
                    html.Div(
                        id=ids.MAP_WRAP,
                        className="map-wrap" + ("" if first.visible else " hidden"),
                        role="region",
                        **components.aria(label=mapview.graph_label(resolved)),
                        children=svgmap.view(
                            mapview.MAP,
                            first.geo,
                            first.paint,
                            label=mapview.graph_label(resolved),
                            taal=taal,
                            click=ids.MAP_GRAPH,
                        ),
                    ),
                    html.Div(first.legend, id=ids.MAP_LEGEND, className="legend-wrap"),
                ],
            ),
            html.P(first.summary, id=ids.MAP_SUMMARY, className="summary"),
            dcc.Store(id=ids.MAP_GEOKEY, data=first.geokey),
            dcc.Store(id=ids.MAP_DRAWN),
            dcc.Store(id=ids.MAP_RECOLOURS),
            dcc.Store(id=ids.MAP_RECOLOURS_KEY),
            html.Section(
                className="table-section",
                children=[
                    html.H2(t("map.table_title", taal)),
                    tables.sortable("map", ("waarde", True), PATH, view, searchable=True),
                ],
            ),
            components.downloads(taal),
        ],
    )


SYNCED: Final = (
    ("niveau", ids.MAP_NIVEAU, "value"),
    ("jaar", ids.MAP_JAAR, "value"),
    ("jaar_options", ids.MAP_JAAR, "options"),
    ("maat", ids.MAP_MAAT, "value"),
    ("maat_options", ids.MAP_MAAT, "options"),
    ("gemeente", ids.MAP_GEMEENTE, "value"),
    ("gemeente_options", ids.MAP_GEMEENTE, "options"),
    ("focus", ids.MAP_FOCUS, "value"),
)
"""What the controls and the URL keep in step: key in :func:`controls`, component, prop."""
VALUES: Final = tuple(key for key, _, prop in SYNCED if prop == "value")
OPTIONS: Final = tuple(key for key, _, prop in SYNCED if prop == "options")


MAP_OUTPUTS: Final = (
    Output(svgmap.geo_id(mapview.MAP), "data"),
    Output(svgmap.paint_id(mapview.MAP), "data"),
    Output(ids.MAP_GEOKEY, "data"),
    Output(ids.MAP_LEGEND, "children"),
    Output(ids.MAP_NOTE, "children"),
    Output(ids.MAP_BREADCRUMBS, "children"),
    Output(ids.MAP_WRAP, "className"),
    Output(ids.MAP_SUMMARY, "children"),
    Output(ids.MAP_LEAD, "children"),
    Output(ids.MAP_TITLE, "children"),
)
"""What :func:`draw_map` sets."""


@callback(
    Output(PAGE_URL, "search", allow_duplicate=True),
    *MAP_OUTPUTS,
    Input(PAGE_URL, "search"),
    *[Input(component, prop) for _, component, prop in SYNCED if prop == "value"],
    State(PAGE_URL, "pathname"),
    State(ids.MAP_GEOKEY, "data"),
    prevent_initial_call=True,
)
def follow_view(
    search: Any,
    niveau: Any,
    jaar: Any,
    maat: Any,
    gemeente: Any,
    focus: Any,
    path: Any,
    geokey: Any,
) -> Any:
    """Keep the controls, the URL and the map in step in one round trip: a control change
    writes the URL and draws the map for it; a URL change (Back, a click on the map, a link,
    the what-if panel) sets the controls and draws the map.

    The controls are set with ``set_props``, not as declared outputs: a callback whose input
    is a declared output of a pending one waits for it, and the browser's recolour on a
    change of measure (``zichtMap.recolour``) must not wait for this round trip. Only
    controls whose value differs are set (each setting asks this callback again)."""
    if path != PATH:
        raise PreventUpdate
    current = dict(zip(VALUES, (niveau, jaar, maat, gemeente, focus), strict=True))
    from_url = ctx.triggered_id == PAGE_URL
    out = sync(search, current, from_url=from_url)
    if out is None and not from_url:
        raise PreventUpdate
    out = out or {}
    props: dict[str, dict[str, Any]] = {}
    for key, component, prop in SYNCED:
        if key in out and (prop == "options" or not _same(current.get(key), out[key])):
            props.setdefault(component, {})[prop] = out[key]
    for component, values in props.items():
        set_props(component, values)
    if not from_url and "search" not in out:  # the URL already shows this view
        return (no_update,) * (1 + len(MAP_OUTPUTS))
    # drawn for the view asked for, so its notes say what was changed to show it (a year
    # without buurten, a measure the year lacks); the URL holds the view shown
    drawn = out.get("asked", search)
    return (out.get("search", no_update), *draw_map(drawn, path, geokey))


def sync(search: str | None, current: dict[str, Any], *, from_url: bool) -> dict[str, Any] | None:
    """What the controls and the URL become (the first half of :func:`follow_view`).

    From the URL: the controls take the URL's values (``None`` when they already have them).
    From a control: the URL takes the controls' values, made valid (a measure the new year
    lacks falls back to the stacking count), and ``asked`` holds the view the controls
    asked for, drawn so the map says what was changed. Options are only sent when the year
    or level changed.
    """
    view = view_of(search)
    wanted = view if from_url else mapview.next_view(view, **current)
    resolved = mapview.resolve(wanted)
    if resolved is None:
        return None
    c = controls(resolved)
    if from_url and all(_same(current.get(k), c[k]) for k in VALUES):
        return None
    before = data.resolve_year(view.jaar, view.niveau), view.niveau
    out = {k: c[k] for k in VALUES}
    if from_url or before != (resolved.jaar, resolved.view.niveau):
        out.update({k: c[k] for k in OPTIONS})
    query = resolved.view.query()
    if not from_url and query != (search or ""):
        out["search"] = query
        out["asked"] = wanted.query()
    return out


def _same(a: Any, b: Any) -> bool:
    """Whether two control values are the same (lists in any order; empty as unset); either
    may be anything a browser sends."""

    def norm(v: Any) -> Any:
        return (sorted(map(str, v)) or None) if isinstance(v, list) else (v or None)

    return bool(norm(a) == norm(b))


def draw_map(search: Any, path: Any, geokey: Any) -> tuple[Any, ...]:
    """The map for a URL (:data:`MAP_OUTPUTS`): the areas only when year, level or
    gemeente change, else just the paint (a class per area and the hover text)."""
    if path != PATH:
        raise PreventUpdate
    r = mapview.render(view_of(search), geokey)
    wrap = "map-wrap" + ("" if r.visible else " hidden")
    geo = r.geo if r.geo is not None else no_update
    new_key = r.geokey if r.geokey != geokey else no_update
    paint = r.paint if r.visible else no_update
    return (geo, paint, new_key, r.legend, r.notes, r.breadcrumbs, wrap, r.summary, r.lead, r.title)


@callback(
    Output(ids.MAP_RECOLOURS, "data"),
    Output(ids.MAP_RECOLOURS_KEY, "data"),
    Input(ids.MAP_DRAWN, "data"),
    Input(PAGE_URL, "search"),
    State(PAGE_URL, "pathname"),
    State(ids.MAP_RECOLOURS_KEY, "data"),
    prevent_initial_call=True,
)
def fill_recolours(_drawn: Any, search: Any, path: Any, held: Any) -> tuple[Any, Any]:
    """Every measure's colouring of the view (:func:`dashboard.mapview.recolours`), fetched
    once the map is on screen (not competing with it), and again only when the paths, the
    scoring configuration or the language change; a change of measure then recolours in
    the browser at once."""
    if path != PATH:
        raise PreventUpdate
    view = view_of(search)
    key = mapview.recolours_key(view)
    if key is None or key == held:
        raise PreventUpdate
    return mapview.recolours(view), key


# A change of measure recolours the map, its legend and heading in the browser from the
# view's colourings (no output: the script paints and sets them itself); the server's
# follow_view follows with the hover text and table.
clientside_callback(
    "function(maat, bundle) { window.zichtMap.recolour(maat, bundle); }",
    Input(ids.MAP_MAAT, "value"),
    State(ids.MAP_RECOLOURS, "data"),
    prevent_initial_call=True,
)


drill_down = follow_map_clicks(ids.MAP_GRAPH, PAGE)
"""A click on a gemeente shows its wijken; on a wijk or buurt opens its page."""


@tables.source("map")
def map_table(path: str, view: ViewState) -> tables.TableSpec:
    """Every area shown on the map with the measure, its percentile and stacking count."""
    if path != PATH:
        raise PreventUpdate
    columns, rows, measure = mapview.table_rows(view)
    taal = view.taal
    label = measure.label(taal) if measure else ""
    caption = t("map.table_caption", taal, n=fmt_number(len(rows), taal), maat=label)
    resolved = mapview.resolve(view)
    if resolved is not None and measure is not None:
        niveau, config = resolved.view.niveau, resolved.config
        where = tables.source_caption(resolved.jaar, niveau, measure.id, config, taal, label)
        caption = f"{caption} {where}".strip()
    return tables.TableSpec(
        columns, rows, caption, page_size=components.PAGE_SIZE, search=("naam", "code", "gemeente")
    )


@downloads.exporter(ROUTE.pattern)
def map_export(path: str, view: ViewState) -> downloads.Export | None:
    """The areas of the map view with every score column."""
    resolved = mapview.resolve(view)
    if resolved is None:
        return None
    frame = mapview.frame(resolved)
    v = resolved.view
    name = downloads.safe_name(
        f"zicht-op-wijken_{v.niveau}_{v.jaar}" + (f"_{v.gemeente}" if v.gemeente else "")
    )
    return downloads.Export(frame, resolved.jaar, v.niveau, resolved.config, name)
