"""The overview of the 20 NPLV focus areas (``/focusgebieden``): a sortable table and a map.

Each focus area is aggregated from its wijken and placed among all wijken of NL; the table
sorts on the stacking count, the composite and each domain score; the map colours the
areas by stacking count, and a click opens the area's page.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import (
    chrome,
    components,
    data,
    downloads,
    floats,
    focusareas,
    ids,
    mapview,
    routes,
    svgmap,
    tables,
)
from dashboard.i18n import column_label, t
from dashboard.shell import missing_store, view_of
from dashboard.urls import ViewState, focus_path, is_focus_id
from etl import schema
from layers.constants import N_GEBIEDEN, STAPELING

ROUTE = routes.FOCUS_AREAS
PATH = ROUTE.path()

PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=PATH, title="Focusgebieden — Zicht op Wijken", order=ROUTE.order)


def layout(shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The overview page for a URL query."""
    view = view_of(query)
    missing = missing_store(view, PATH, page=PAGE)
    if missing is not None:
        return missing
    jaar = focusareas.year_for(view.jaar)
    taal = view.taal
    head = [html.H1(t("focus.title", taal)), html.P(t("focus.lead", taal), className="lead")]
    if jaar is None:
        return chrome.shell(
            view,
            PATH,
            html.Div([*head, components.note(t("focus.none", taal, jaar=view.jaar or ""))]),
            page=PAGE,
        )
    swapped = components.year_swapped(view.jaar, jaar, focusareas.years(), "year.focus_areas", taal)
    view = view.with_(jaar=jaar)
    frame = focusareas.overview(jaar, view)
    years = {j: PATH + view.with_(jaar=j).carried() for j in focusareas.years()}
    notes = [components.note(swapped, kind="warning")] if swapped else []
    notes += [components.note(n) for n in mapview.domain_notes(jaar, focusareas.NIVEAU, taal)]
    return chrome.shell(
        view,
        PATH,
        html.Div(
            className="focus-page",
            children=[
                *head,
                components.year_links(years, jaar, taal),
                *notes,
                html.Div(
                    className="grid-2",
                    children=[
                        components.card(
                            t("focus.small_map", taal),
                            small_map(frame, jaar, view),
                            class_name="map-small",
                        ),
                        components.card(
                            t("area.stacking_title", taal),
                            html.P(mapview.summary(frame, taal)),
                            html.P(t("focus.zekerheid_help", taal), className="help"),
                            html.P(t("focus.table_help", taal), className="help"),
                        ),
                    ],
                ),
                html.Section(
                    [
                        html.H2(t("focus.title", taal)),
                        tables.sortable("focus", (STAPELING, True), PATH, view),
                    ]
                ),
                components.downloads(taal),
            ],
        ),
        page=PAGE,
    )


def small_map(frame: Any, jaar: int, view: ViewState) -> Any:
    """The focus areas coloured by stacking count over the wijken of NL (each focus area is
    drawn as its member wijken, outlined)."""
    taal = view.taal
    layer = data.web_layer(jaar, focusareas.NIVEAU)
    groups = data.focus_members(jaar, focusareas.NIVEAU)
    if layer is None or not groups:
        return components.note(
            t("map.no_boundaries", taal, jaar=jaar, niveau=t("niveau.wijk", taal))
        )
    focus_of = {code: fid for fid, codes in groups.items() for code in codes}
    targets = [focus_of.get(code) for code in layer.codes]
    shown = frame.reindex(targets)
    shown.index = pd.Index(layer.codes)
    small_map = mapview.stacking_map(
        ids.FOCUS_AREAS_MAP_NAME,
        jaar,
        focusareas.NIVEAU,
        layer,
        shown,
        view.scoring.for_niveau(focusareas.NIVEAU),
        taal,
        label=t("focus.title", taal),
        click=ids.FOCUS_MAP,
        context=[fid is None for fid in targets],
        counted=frame,
        focus=list(groups.values()),
        names=[
            n if fid else None for n, fid in zip(tables.area_names(shown), targets, strict=True)
        ],
        targets=targets,
    )
    return html.Div(small_map)


@callback(
    Output(PAGE_URL, "href", allow_duplicate=True),
    Input(ids.FOCUS_MAP, svgmap.CLICK_PROP),
    State(PAGE_URL, "search"),
    prevent_initial_call=True,
)
def open_focus(click: Any, search: Any) -> Any:
    """A click on a focus area opens its page."""
    fid = mapview.clicked_location(click)
    if not is_focus_id(fid):
        raise PreventUpdate
    return focus_path(fid) + view_of(search).carried()


@tables.source("focus")
def focus_table(path: str, view: ViewState) -> tables.TableSpec:
    """The focus areas with stacking, composite and every domain score."""
    if path != PATH:
        raise PreventUpdate
    jaar = focusareas.year_for(view.jaar)
    if jaar is None:
        raise PreventUpdate
    taal = view.taal
    frame = focusareas.overview(jaar, view)
    domains = data.scored_domains(jaar, focusareas.NIVEAU)
    carried = view.with_(jaar=jaar).carried()
    rows = tables.records(
        {
            "id": frame.index.astype(str).tolist(),
            "naam": tables.area_names(frame),
            "gemeente": frame[schema.GEMEENTENAAM].fillna("").astype(str).tolist(),
            "zekerheid": [_zekerheid(z, taal) for z in frame["zekerheid"]],
            "n": floats.column(frame, N_GEBIEDEN),
            **tables.score_values(frame, domains),
        }
    )
    columns = [
        components.Column(
            "naam",
            t("col.focusgebied", taal),
            render=lambda r: dcc.Link(r["naam"], href=focus_path(r["id"]) + carried),
        ),
        components.Column("gemeente", column_label(schema.GEMEENTENAAM, taal)),
        components.Column("zekerheid", t("col.zekerheid", taal)),
        tables.number_column("n", t("col.wijken", taal), taal),
        *tables.score_columns(domains, taal),
    ]
    return tables.TableSpec(columns, rows, t("focus.table_help", taal))


def _zekerheid(value: Any, taal: str) -> str:
    """How certain a focus area's delineation is, in words (empty when unknown)."""
    if value in ("bevestigd", "onzeker"):
        return t(f"focus.zekerheid_{value}", taal)
    return ""


@downloads.exporter(ROUTE.pattern)
def focus_export(path: str, view: ViewState) -> downloads.Export | None:
    """All focus areas, aggregated."""
    jaar = focusareas.year_for(view.jaar)
    if jaar is None:
        return None
    frame = focusareas.overview(jaar, view)
    scores = frame.drop(columns=["focus_gemeente", "zekerheid", "bron"], errors="ignore")
    config = view.scoring.for_niveau(focusareas.NIVEAU)
    return downloads.Export(
        scores, jaar, focusareas.NIVEAU, config, f"zicht-op-wijken_focusgebieden_{jaar}"
    )
