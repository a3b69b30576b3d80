"""The area page (``/gebied/<code>``) of a gemeente, wijk or buurt.

Shows the stacking count in words, the domain profile against the gemeente and NL, every
indicator with value, percentile and flags, trends over the years the code exists, and the
areas one level down (the wijken of a gemeente, the buurten of a wijk) on a map where the
store has their boundaries, and always in a table. Breadcrumbs lead back up. An unknown or
malformed code gives a helpful not-found page, never an error.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import areas, components, data, downloads, figures, ids, mapview, measures, tables
from dashboard.i18n import fmt_number, fmt_value, label, t, unit
from dashboard.shell import view_of
from dashboard.urls import ViewState, area_path, focus_path, is_code
from etl import schema
from etl.schema import StoreError
from layers.constants import STAPELING
from layers.indicators import get_indicator

PATH_TEMPLATE = "/gebied/<code>"

PAGE = "area"
PAGE_URL = ids.url(PAGE)

dash.register_page(
    __name__,
    path_template=PATH_TEMPLATE,
    title=lambda code=None, **_: f"{code or 'Gebied'} — Zicht op Wijken",
)


def layout(code: str | None = None, shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The page of one area for a URL (code from the path, year and settings from the query)."""
    view = view_of(query)
    code = (code or "").strip().upper()
    path = area_path(code) if is_code(code) else "/gebied/"
    try:
        data.manifest()
    except StoreError as exc:
        return components.empty_store(str(exc), view, path, page=PAGE)
    if not is_code(code):
        return components.shell(view, path, not_found(code, view, ()), page=PAGE)
    jaar, years = areas.year_for(code, view.jaar)
    p = areas.profile(code, jaar, view) if jaar is not None else None
    if p is None:
        return components.shell(view, path, not_found(code, view, years), page=PAGE)
    shown_view = view.with_(jaar=p.jaar)
    return components.shell(shown_view, path, content(p, shown_view, years), page=PAGE)


def not_found(code: str, view: ViewState, years: tuple[int, ...]) -> html.Section:
    """A helpful page for a code that is malformed or not in the store."""
    taal = view.taal
    jaar = view.jaar or (data.years()[-1] if data.years() else "")
    shown = code[:20] if code else "–"
    return html.Section(
        className="not-found",
        children=[
            html.H1(t("area.not_found_title", taal)),
            html.P(t("area.not_found", taal, code=shown, jaar=jaar)),
            html.P(t("area.other_years", taal, years=", ".join(map(str, years))))
            if years
            else None,
            html.P(t("area.search_hint", taal)),
            html.Ul(
                [
                    html.Li(dcc.Link(t("nav.map", taal), href="/" + view.carried())),
                    html.Li(dcc.Link(t("nav.compare", taal), href="/vergelijk" + view.carried())),
                    html.Li(dcc.Link(t("nav.focus", taal), href="/focusgebieden" + view.carried())),
                ]
            ),
        ],
    )


def crumbs(p: areas.Profile, view: ViewState) -> html.Nav:
    """Nederland › gemeente › wijk › buurt, each a link except the current area."""
    taal = view.taal
    items: list[tuple[str, str | None]] = [
        (t("map.all_nl", taal), "/" + view.with_(niveau="gemeente", gemeente=None).query())
    ]
    gm = p.gemeente_code
    if p.niveau != "gemeente" and gm:
        items.append((p.gemeentenaam, area_path(gm) + view.carried()))
    if p.niveau == "buurt":
        wijk = schema.wijk_of(p.code)
        wijk_name = _name(p.jaar, "wijk", wijk) if wijk else None
        if wijk:
            items.append((wijk_name or wijk, area_path(wijk) + view.carried()))
    items.append((p.naam, None))
    return components.breadcrumbs(items, taal)


def _name(jaar: int, niveau: str, code: str) -> str | None:
    if not data.has_statistics(jaar, niveau):
        return None
    stats = data.statistics(jaar, niveau)
    match = stats.loc[stats[schema.CODE] == code, schema.NAAM]
    return str(match.iloc[0]) if len(match) and isinstance(match.iloc[0], str) else None


def year_links(p: areas.Profile, years: tuple[int, ...], view: ViewState) -> html.Div:
    """Links to the same area in the other years the code exists."""
    items: list[Any] = [html.Span(t("area.years", view.taal), className="label")]
    for jaar in years:
        if jaar == p.jaar:
            items.append(html.Span(str(jaar), **{"aria-current": "page"}))
        else:
            items.append(
                dcc.Link(str(jaar), href=area_path(p.code) + view.with_(jaar=jaar).carried())
            )
    return html.Div(items, className="year-links")


def stacking_card(p: areas.Profile, taal: str) -> html.Section:
    """The stacking count, large, with its explanation in words."""
    value = p.row.get(STAPELING)
    number = fmt_number(value, taal, decimals=0)
    return html.Section(
        className="card stacking",
        **{"aria-labelledby": "stacking-title"},
        children=[
            html.H2(t("area.stacking_title", taal), id="stacking-title", className="h-small"),
            html.P(
                [
                    html.Span(number, className="stacking-count"),
                    html.Span(f"/ {len(p.domains)}" if p.domains else ""),
                ]
            ),
            *[html.P(s) for s in areas.stacking_sentences(p, taal)],
        ],
    )


def profile_card(p: areas.Profile, taal: str) -> html.Section:
    """The domain profile: area, gemeente and NL per domain."""
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    if not p.domains:
        body: Any = components.note(t("area.profile_none", taal, jaar=p.jaar))
    else:
        labels = [data.domain_label(d, taal) for d in p.domains]
        figure = figures.profile(
            labels, areas.profile_series(p, taal), threshold=p.config.threshold, taal=taal
        )
        body = components.chart(figure)
    return html.Section(
        className="card",
        children=[
            html.H2(t("area.profile_title", taal), className="h-small"),
            html.P(t("area.profile_help", taal, niveaus=niveaus), className="help"),
            body,
        ],
    )


def children_map(p: areas.Profile, view: ViewState) -> html.Section | None:
    """The areas one level down, coloured by stacking count, where boundaries exist."""
    child = areas.child_niveau(p.niveau)
    if child is None:
        return None
    taal = view.taal
    niveaus = t(f"niveau.{child}_plural", taal)
    if not data.has_statistics(p.jaar, child):
        missing = t("area.children_missing", taal, jaar=p.jaar, niveaus=niveaus)
        return html.Section(className="card", children=[components.note(missing)])
    frame = areas.children(p, view)
    if p.niveau == "gemeente":
        layer = data.web_layer(p.jaar, child, p.code)
    else:
        layer = data.web_layer(p.jaar, child, wijk=p.code)
    title = html.H2(
        t("area.children_title", taal, niveaus=niveaus.capitalize(), naam=p.naam),
        className="h-small",
    )
    if layer is None or frame is None or frame.empty:
        return html.Section(
            className="card",
            children=[
                title,
                components.note(t("area.children_map_missing", taal, jaar=p.jaar, niveaus=niveaus)),
            ],
        )
    shown = frame.reindex(layer.codes)
    config = data.config_for(view, child)
    classification, recoloured = mapview.paint(shown, measures.STAPELING_MEASURE, config, taal)
    names = shown[schema.NAAM].fillna("").astype(str).tolist()
    figure = figures.choropleth(
        layer.geojson, layer.codes, names, recoloured, bounds=layer.bounds, uirevision=p.code
    )
    return html.Section(
        className="card map-small",
        children=[
            title,
            html.Div(
                dcc.Graph(
                    id=ids.AREA_MAP, figure=figure, config=figures.MAP_CONFIG, className="map-graph"
                ),
                className="map-wrap",
            ),
            mapview.legend(classification, measures.STAPELING_MEASURE, taal),
        ],
    )


def indicator_table(p: areas.Profile, taal: str) -> html.Section:
    """Every indicator with value, gemeente, NL, percentile and flags."""
    rows = areas.indicator_rows(p, taal)

    def flag_cell(row: dict[str, Any]) -> Any:
        return [
            html.Span(
                f, className="flag flag-warn" if "inwoners" in f or "inhabitants" in f else "flag"
            )
            for f in row["vlaggen"]
        ]

    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("domein", t("col.domein", taal)),
        components.Column("waarde", p.naam, numeric=True),
    ]
    if p.gemeente is not None:
        columns.append(components.Column("gemeente", p.gemeentenaam, numeric=True))
    columns += [
        components.Column("nl", t("col.nl", taal), numeric=True),
        components.Column("percentiel", t("col.percentiel", taal), numeric=True),
        components.Column("vlaggen", t("col.vlaggen", taal), render=flag_cell),
    ]
    carried = [r for r in rows if r["carried"]]
    absent = [r for r in rows if not r["carried"]]
    caption = (
        t("area.profile_help", taal, niveaus=t(f"niveau.{p.niveau}_plural", taal)).split(".")[0]
        + "."
    )
    return html.Section(
        children=[
            html.H2(t("area.indicators_title", taal)),
            html.Div(
                components.table(columns, carried + absent, caption=caption), className="table-wrap"
            ),
        ]
    )


def trend_indicators(code: str, years: tuple[int, ...]) -> list[str]:
    """Indicators the code has in at least two years (the trend menu)."""
    niveau = schema.niveau_of(code)
    counts: dict[str, int] = {}
    for jaar in years:
        for ind in data.carried_indicators(jaar, niveau):
            counts[ind.id] = counts.get(ind.id, 0) + 1
    return [i for i, n in counts.items() if n >= 2]


def trend_view(
    code: str, indicator_id: str, years: tuple[int, ...], view: ViewState
) -> tuple[Any, Any]:
    """The trend graph and its table for one indicator."""
    taal = view.taal
    indicator = get_indicator(indicator_id)
    shown, series = areas.trend(code, indicator, years, view)
    figure = figures.trend(
        shown, series, unit=unit(indicator.unit, taal), taal=taal, title=label(indicator, taal)
    )
    columns = [components.Column("naam", t("col.naam", taal))] + [
        components.Column(str(j), str(j), numeric=True) for j in shown
    ]
    rows = [
        {
            "naam": name,
            **{
                str(j): fmt_value(v, indicator.unit, taal)
                for j, v in zip(shown, values, strict=True)
            },
        }
        for name, values in series
    ]
    return components.chart(figure, graph_id=ids.AREA_TREND_GRAPH), components.table(
        columns, rows, caption=label(indicator, taal)
    )


def trend_section(p: areas.Profile, years: tuple[int, ...], view: ViewState) -> html.Section:
    """Trends over the years: a menu of indicators, a line chart and a table."""
    taal = view.taal
    options = trend_indicators(p.code, years)
    head = [
        html.H2(t("area.trend_title", taal)),
        html.P(t("area.trend_help", taal), className="help"),
    ]
    if len(years) < 2 or not options:
        return html.Section([*head, components.note(t("area.trend_none", taal))])
    first = options[0]
    graph, table = trend_view(p.code, first, years, view)
    return html.Section(
        [
            *head,
            html.Div(
                className="field",
                children=[
                    html.Label(t("area.trend_indicator", taal), htmlFor=ids.AREA_TREND_INDICATOR),
                    dcc.Dropdown(
                        labels=components.dropdown_labels(taal),
                        id=ids.AREA_TREND_INDICATOR,
                        value=first,
                        clearable=False,
                        options=[
                            {"label": label(get_indicator(i), taal), "value": i} for i in options
                        ],
                    ),
                ],
            ),
            html.Div(graph, id=ids.AREA_TREND_GRAPH + "-wrap"),
            html.Div(table, id=ids.AREA_TREND_TABLE, className="table-wrap"),
        ]
    )


def content(p: areas.Profile, view: ViewState, years: tuple[int, ...]) -> html.Div:
    """The body of an area page."""
    taal = view.taal
    niveau = t(f"niveau.{p.niveau}", taal)
    inwoners = fmt_number(p.row.get("inwoners"), taal, decimals=0)
    focus = areas.focus_membership(p.code, p.jaar)
    child = areas.child_niveau(p.niveau)
    map_link = (
        "/"
        + view.with_(
            niveau="wijk" if p.niveau == "gemeente" else p.niveau, gemeente=p.gemeente_code
        ).query()
    )
    links = [
        dcc.Link(t("area.on_map", taal), href=map_link, className="button button-secondary"),
        dcc.Link(
            t("area.compare", taal),
            href="/vergelijk"
            + view.with_(codes=(p.code,)).query(
                keys=("taal", "w_*", "drempel", "min_inw", "ref", "jaar", "codes")
            ),
            className="button button-secondary",
        ),
    ]
    return html.Div(
        className="area-page",
        children=[
            crumbs(p, view),
            html.H1(p.naam),
            html.P(
                t(
                    "area.subtitle",
                    taal,
                    niveau=niveau.capitalize(),
                    code=p.code,
                    inwoners=inwoners,
                    jaar=p.jaar,
                ),
                className="subtitle",
            ),
            year_links(p, years, view),
            *[
                components.note(
                    [
                        t("area.focus_member", taal),
                        dcc.Link(name, href=focus_path(fid) + view.carried()),
                        ".",
                    ]
                )
                for fid, name in focus
            ],
            stacking_card(p, taal),
            html.Div(className="grid-2", children=[profile_card(p, taal), children_map(p, view)]),
            indicator_table(p, taal),
            trend_section(p, years, view),
            html.Section(
                [
                    html.H2(
                        t(
                            "area.children_title",
                            taal,
                            niveaus=t(f"niveau.{child}_plural", taal).capitalize(),
                            naam=p.naam,
                        )
                    ),
                    tables.sortable("children", (STAPELING, True), area_path(p.code), view),
                ]
            )
            if child and data.has_statistics(p.jaar, child)
            else None,
            html.Div(links, className="button-row no-print"),
            components.downloads(taal, printable=True),
        ],
    )


@callback(
    Output(ids.AREA_TREND_GRAPH + "-wrap", "children"),
    Output(ids.AREA_TREND_TABLE, "children"),
    Input(ids.AREA_TREND_INDICATOR, "value"),
    State(PAGE_URL, "pathname"),
    State(PAGE_URL, "search"),
    prevent_initial_call=True,
)
def show_trend(indicator_id: Any, path: Any, search: Any) -> Any:
    """Redraw the trend for the chosen indicator."""
    code = _code_of(path)
    if code is None or not indicator_id:
        raise PreventUpdate
    _, years = areas.year_for(code, None)
    return trend_view(code, indicator_id, years, view_of(search))


@callback(
    Output(PAGE_URL, "href", allow_duplicate=True),
    Input(ids.AREA_MAP, "clickData"),
    State(PAGE_URL, "search"),
    prevent_initial_call=True,
)
def open_child(click: Any, search: Any) -> Any:
    """A click on a wijk or buurt of the small map opens its page."""
    target = mapview.drill_target(click, view_of(search))
    if target is None:
        raise PreventUpdate
    return target


def _code_of(path: str | None) -> str | None:
    if not path or not path.startswith("/gebied/"):
        return None
    code = path.rsplit("/", 1)[-1].upper()
    return code if is_code(code) else None


@tables.source("children")
def children_table(path: str, view: ViewState) -> tables.TableSpec:
    """The areas one level down with stacking, composite and domain scores."""
    code = _code_of(path)
    if code is None:
        raise PreventUpdate
    jaar, _ = areas.year_for(code, view.jaar)
    p = areas.profile(code, jaar, view) if jaar else None
    frame = areas.children(p, view) if p else None
    if p is None or frame is None:
        raise PreventUpdate
    return tables.scores_table(frame, p.domains, view)


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


@downloads.exporter(r"/gebied/.+")
def area_export(path: str, view: ViewState) -> downloads.Export | None:
    """The area, its gemeente and NL references and the areas one level down."""
    code = _code_of(path)
    if code is None:
        return None
    jaar, _ = areas.year_for(code, view.jaar)
    p = areas.profile(code, jaar, view) if jaar else None
    if p is None:
        return None
    parts = [p.row.to_frame().T]
    for ref in (p.gemeente, p.nl):
        if ref is not None:
            parts.append(ref.to_frame().T)
    child = areas.children(p, view)
    if child is not None:
        parts.append(child)
    frame = pd.concat(parts)
    frame.index.name = schema.CODE
    return downloads.Export(
        frame, p.jaar, p.niveau, p.config, downloads.safe_name(f"zicht-op-wijken_{p.code}_{p.jaar}")
    )
