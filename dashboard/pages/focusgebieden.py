"""The overview of the 20 NPLV focus areas (``/focusgebieden``): a sortable table and a map.

Each focus area is aggregated from its wijken and placed among all wijken of NL; the table
sorts on the stacking count, the composite and each domain score; the map colours the
areas by stacking count, and a click opens the area's page.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import (
    components,
    data,
    downloads,
    figures,
    focusareas,
    ids,
    mapview,
    measures,
    tables,
)
from dashboard.i18n import fmt_number, join_words, t
from dashboard.shell import view_of
from dashboard.urls import ViewState, focus_path, is_focus_id
from etl import schema
from etl.schema import StoreError
from layers.constants import STAPELING

PATH = "/focusgebieden"

PAGE = "focus"
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=PATH, title="Focusgebieden — Zicht op Wijken", order=1)


def layout(shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The overview page for a URL query."""
    view = view_of(query)
    try:
        data.manifest()
    except StoreError as exc:
        return components.empty_store(str(exc), view, PATH, page=PAGE)
    jaar = focusareas.year_for(view.jaar)
    taal = view.taal
    head = [html.H1(t("focus.title", taal)), html.P(t("focus.lead", taal), className="lead")]
    if jaar is None:
        return components.shell(
            view,
            PATH,
            html.Div([*head, components.note(t("focus.none", taal, jaar=view.jaar or ""))]),
            page=PAGE,
        )
    view = view.with_(jaar=jaar)
    frame = focusareas.overview(jaar, view)
    years = focusareas.years()
    year_links = html.Div(
        [html.Span(t("area.years", taal), className="label")]
        + [
            html.Span(str(j), **{"aria-current": "page"})
            if j == jaar
            else dcc.Link(str(j), href=PATH + view.with_(jaar=j).carried())
            for j in years
        ],
        className="year-links",
    )
    notes = [components.note(n) for n in _domain_notes(jaar, taal)]
    return components.shell(
        view,
        PATH,
        html.Div(
            className="focus-page",
            children=[
                *head,
                year_links,
                *notes,
                html.Div(
                    className="grid-2",
                    children=[
                        html.Section(
                            className="card map-small",
                            children=[
                                html.H2(t("focus.small_map", taal), className="h-small"),
                                small_map(frame, jaar, view),
                            ],
                        ),
                        html.Section(
                            className="card",
                            children=[
                                html.H2(t("area.stacking_title", taal), className="h-small"),
                                html.P(mapview.summary(frame, taal)),
                                html.P(t("focus.zekerheid_help", taal), className="help"),
                                html.P(t("focus.table_help", taal), className="help"),
                            ],
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


def _domain_notes(jaar: int, taal: str) -> list[str]:
    domains = data.scored_domains(jaar, focusareas.NIVEAU)
    if not domains:
        return [t("map.no_domains", taal, jaar=jaar)]
    if len(domains) < 5:
        names = [data.domain_label(d, taal).lower() for d in domains]
        return [
            t(
                "map.domains_carried",
                taal,
                jaar=jaar,
                n=len(domains),
                domains=join_words(names, taal),
            )
        ]
    return []


def small_map(frame: Any, jaar: int, view: ViewState) -> Any:
    """The focus areas coloured by stacking count (their outlines are their shapes)."""
    taal = view.taal
    layer = data.focus_outlines(jaar)
    if layer is None:
        return components.note(
            t("map.no_boundaries", taal, jaar=jaar, niveau=t("niveau.wijk", taal))
        )
    shown = frame.reindex(list(layer.codes))
    config = data.config_for(view, focusareas.NIVEAU)
    classification, recoloured = mapview.paint(shown, measures.STAPELING_MEASURE, config, taal)
    names = shown[schema.NAAM].fillna("").astype(str).tolist()
    outline = data.nl_outline(jaar)
    figure = figures.choropleth(
        layer.geojson,
        layer.codes,
        names,
        recoloured,
        uirevision="focus",
        background=outline.geojson if outline is not None else None,
    )
    figure["data"][-1]["marker"]["line"] = {"width": 1.2, "color": figures.OUTLINE}
    return html.Div(
        [
            html.Div(
                dcc.Graph(
                    id=ids.FOCUS_MAP,
                    figure=figure,
                    config=figures.MAP_CONFIG,
                    className="map-graph",
                ),
                className="map-wrap",
            ),
            mapview.legend(classification, measures.STAPELING_MEASURE, taal),
        ]
    )


@callback(
    Output(PAGE_URL, "href", allow_duplicate=True),
    Input(ids.FOCUS_MAP, "clickData"),
    State(PAGE_URL, "search"),
    prevent_initial_call=True,
)
def open_focus(click: Any, search: Any) -> Any:
    """A click on a focus area opens its page."""
    points = (click or {}).get("points") or []
    fid = points[0].get("location") if points and isinstance(points[0], dict) else None
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
    rows = [
        {
            "id": str(fid),
            "naam": str(row[schema.NAAM]),
            "gemeente": str(row.get(schema.GEMEENTENAAM) or ""),
            "zekerheid": t(f"focus.zekerheid_{row.get('zekerheid')}", taal)
            if row.get("zekerheid") in ("bevestigd", "onzeker")
            else "",
            "n": _num(row.get("n_gebieden")),
            "inwoners": _num(row.get("inwoners")),
            STAPELING: _num(row.get(STAPELING)),
            "samengesteld": _num(row.get("samengesteld")),
            **{f"score_{d}": _num(row.get(f"score_{d}")) for d in domains},
        }
        for fid, row in frame.iterrows()
    ]

    def number(key: str) -> Any:
        return lambda r: fmt_number(r[key], taal, decimals=0)

    columns = [
        components.Column(
            "naam",
            t("col.focusgebied", taal),
            render=lambda r: dcc.Link(r["naam"], href=focus_path(r["id"]) + carried),
        ),
        components.Column("gemeente", t("col.gemeente", taal)),
        components.Column("zekerheid", t("col.zekerheid", taal)),
        components.Column("n", t("col.wijken", taal), numeric=True, render=number("n")),
        components.Column(
            "inwoners", t("col.inwoners", taal), numeric=True, render=number("inwoners")
        ),
        components.Column(
            STAPELING, t("col.stapeling", taal), numeric=True, render=number(STAPELING)
        ),
        components.Column(
            "samengesteld", t("col.samengesteld", taal), numeric=True, render=number("samengesteld")
        ),
        *[
            components.Column(
                f"score_{d}", data.domain_label(d, taal), numeric=True, render=number(f"score_{d}")
            )
            for d in domains
        ],
    ]
    return tables.TableSpec(columns, rows, t("focus.table_help", taal))


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


@downloads.exporter(r"/focusgebieden")
def focus_export(path: str, view: ViewState) -> downloads.Export | None:
    """All focus areas, aggregated."""
    jaar = focusareas.year_for(view.jaar)
    if jaar is None:
        return None
    frame = focusareas.overview(jaar, view)
    scores = frame.drop(columns=["focus_gemeente", "zekerheid", "bron"], errors="ignore")
    config = data.config_for(view, focusareas.NIVEAU)
    return downloads.Export(
        scores, jaar, focusareas.NIVEAU, config, f"zicht-op-wijken_focusgebieden_{jaar}"
    )
