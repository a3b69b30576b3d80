"""The area page (``/gebied/<code>``) of a gemeente, wijk or buurt.

Shows the stacking count in words, the domain profile against the gemeente and NL, every
indicator with value, percentile and flags, trends over the years the code exists, and the
areas one level down (the wijken of a gemeente, the buurten of a wijk) on a map where the
store has their boundaries, and always in a table. Breadcrumbs lead back up. An unknown or
malformed code gives a helpful not-found page, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import (
    areas,
    chrome,
    components,
    data,
    downloads,
    figures,
    ids,
    mapview,
    routes,
    tables,
)
from dashboard.change import section as change_section
from dashboard.i18n import column_label, domain_label, fmt_number, join_words, label, t, unit
from dashboard.peers import section as peers_section
from dashboard.shell import follow_map_clicks, missing_store, view_of
from dashboard.urls import COMPARE_KEYS, ViewState, area_path, focus_path, is_code
from etl import schema
from layers.constants import STAPELING
from layers.indicators import get_indicator

ROUTE = routes.AREA
PATH_TEMPLATE = ROUTE.template

PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)


def title(code: str | None = None, **_: Any) -> str:
    """The browser tab's title: the area's name, not its code (the code where the store
    does not know it)."""
    code = (code or "").strip().upper()
    name = None
    if is_code(code):
        try:
            years = data.area_years(code)
            name = data.area_name(years[-1], schema.niveau_of(code), code) if years else None
        except schema.StoreError:
            name = None
    return f"{name or code[:20] or 'Gebied'} — Zicht op Wijken"


dash.register_page(__name__, path_template=PATH_TEMPLATE, title=title)


def layout(code: str | None = None, shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The page of one area for a URL (code from the path, year and settings from the query)."""
    view = view_of(query)
    code = (code or "").strip().upper()
    path = area_path(code) if is_code(code) else ROUTE.prefix
    missing = missing_store(view, path, page=PAGE)
    if missing is not None:
        return missing
    if not is_code(code):
        return chrome.shell(view, path, not_found(code, view, ()), page=PAGE)
    jaar, years = areas.year_for(code, view.jaar)
    p = areas.profile(code, jaar, view) if jaar is not None else None
    if p is None:
        return chrome.shell(view, path, not_found(code, view, years), page=PAGE)
    shown_view = view.with_(jaar=p.jaar)
    body = content(p, shown_view, years, asked=view.jaar)
    return chrome.shell(shown_view, path, body, page=PAGE)


def exists(code: str) -> bool:
    """Whether the store holds this area in some year (else its URL is answered 404)."""
    code = code.strip().upper()
    return is_code(code) and bool(data.area_years(code))


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
                    html.Li(dcc.Link(t("nav.map", taal), href=routes.MAP.path() + view.carried())),
                    html.Li(
                        dcc.Link(
                            t("nav.compare", taal), href=routes.COMPARE.path() + view.carried()
                        )
                    ),
                    html.Li(
                        dcc.Link(
                            t("nav.focus", taal), href=routes.FOCUS_AREAS.path() + view.carried()
                        )
                    ),
                ]
            ),
        ],
    )


def crumbs(p: areas.Profile, view: ViewState) -> html.Nav:
    """Nederland › gemeente › wijk › buurt, each a link except the current area."""
    taal = view.taal
    items: list[tuple[str, str | None]] = [
        (
            t("map.all_nl", taal),
            routes.MAP.path() + view.with_(niveau="gemeente", gemeente=None).query(),
        )
    ]
    gm = p.gemeente_code
    if p.niveau != "gemeente" and gm:
        items.append((p.gemeentenaam, area_path(gm) + view.carried()))
    if p.niveau == "buurt":
        wijk = schema.wijk_of(p.code)
        if wijk:
            naam = data.area_name(p.jaar, "wijk", wijk) or wijk
            items.append((naam, area_path(wijk) + view.carried()))
    items.append((p.naam, None))
    return components.breadcrumbs(items, taal)


def profile_card(p: areas.Profile, taal: str) -> html.Section:
    """The domain profile: area, gemeente and NL per domain."""
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    return components.card(
        t("area.profile_title", taal),
        html.P(t("area.profile_help", taal, niveaus=niveaus), className="help"),
        components.profile(
            [domain_label(d, taal) for d in p.domains],
            areas.profile_series(p, taal),
            threshold=p.config.threshold,
            taal=taal,
            jaar=p.jaar,
        ),
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
    title = t("area.children_title", taal, niveaus=niveaus.capitalize(), naam=p.naam)
    if layer is None or frame is None or frame.empty:
        missing = t("area.children_map_missing", taal, jaar=p.jaar, niveaus=niveaus)
        return components.card(title, components.note(missing))
    config = view.scoring.for_niveau(child)
    small_map = mapview.stacking_map(
        ids.AREA_MAP_NAME,
        p.jaar,
        child,
        layer,
        frame,
        config,
        taal,
        label=title,
        click=ids.AREA_MAP,
    )
    return components.card(title, *small_map, class_name="map-small")


def indicator_table(p: areas.Profile, taal: str) -> html.Section:
    """Every indicator with value, gemeente, NL, percentile and flags."""
    rows = areas.indicator_rows(p, taal)

    def flag_cell(row: Mapping[str, Any]) -> Any:
        return [
            html.Span(
                f, className="flag flag-warn" if "inwoners" in f or "inhabitants" in f else "flag"
            )
            for f in row["vlaggen"]
        ]

    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("domein", t("col.domein", taal)),
        components.Column("eenheid", t("col.eenheid", taal)),
        components.Column("waarde", p.naam, numeric=True),
    ]
    if p.gemeente is not None:
        label = areas.group_label(p.gemeentenaam, p.niveau, taal)
        columns.append(components.Column("gemeente", label, numeric=True))
    columns += [
        components.Column("nl", t("col.nl", taal), numeric=True),
        components.Column("percentiel", t("col.percentiel", taal), numeric=True),
        components.Column("vlaggen", t("col.vlaggen", taal), render=flag_cell),
        components.Column("bron", t("col.bron", taal)),
    ]
    carried = [r for r in rows if r["carried"]]
    absent = [str(r["indicator"]) for r in rows if not r["carried"]]
    caption = (
        t("area.profile_help", taal, niveaus=t(f"niveau.{p.niveau}_plural", taal)).split(".")[0]
        + "."
    )
    return html.Section(
        children=[
            html.H2(t("area.indicators_title", taal)),
            html.Div(components.table(columns, carried, caption=caption), className="table-wrap"),
            # the indicators the year does not carry, in one line instead of a row each
            html.P(
                t("area.not_carried", taal, jaar=p.jaar, names=join_words(absent, taal)),
                className="help",
            )
            if absent
            else None,
        ]
    )


def trend_indicators(code: str, years: tuple[int, ...]) -> list[str]:
    """Indicators the code has in at least two editions of their source (the trend menu)."""
    niveau = schema.niveau_of(code)
    editions: dict[str, set[int]] = {}
    for jaar in years:
        used = data.provenance(jaar, niveau)
        for ind in data.carried_indicators(jaar, niveau):
            edition = used.get(ind.id, {}).get("edition", jaar)
            editions.setdefault(ind.id, set()).add(int(str(edition)))
    return [i for i, found in editions.items() if len(found) >= 2]


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
    columns = [components.Column("naam", column_label(schema.NAAM, taal))] + [
        components.Column(str(j), str(j), numeric=True) for j in shown
    ]
    rows = [
        {
            "naam": name,
            **{str(j): fmt_number(v, taal) for j, v in zip(shown, values, strict=True)},
        }
        for name, values in series
    ]
    caption = f"{label(indicator, taal)} ({unit(indicator.unit, taal)})"
    return components.chart(figure, graph_id=ids.AREA_TREND_GRAPH), components.table(
        columns, rows, caption=caption
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
            components.field(
                t("area.trend_indicator", taal),
                components.dropdown(
                    ids.AREA_TREND_INDICATOR,
                    taal,
                    value=first,
                    clearable=False,
                    options=[{"label": label(get_indicator(i), taal), "value": i} for i in options],
                ),
            ),
            html.Div(graph, id=ids.AREA_TREND_WRAP),
            html.Div(table, id=ids.AREA_TREND_TABLE, className="table-wrap"),
        ]
    )


def content(
    p: areas.Profile, view: ViewState, years: tuple[int, ...], *, asked: int | None = None
) -> html.Div:
    """The body of an area page (``asked``: the year the URL asked for, said when the page
    shows another one because the code does not exist then)."""
    taal = view.taal
    swapped = (
        components.note(t("area.year_swapped", taal, asked=asked, jaar=p.jaar), kind="warning")
        if asked is not None and asked != p.jaar
        else None
    )
    niveau = t(f"niveau.{p.niveau}", taal)
    inwoners = fmt_number(p.row.get("inwoners"), taal, decimals=0)
    focus = areas.focus_membership(p.code, p.jaar)
    child = areas.child_niveau(p.niveau)
    map_link = (
        routes.MAP.path()
        + view.with_(
            niveau="wijk" if p.niveau == "gemeente" else p.niveau, gemeente=p.gemeente_code
        ).query()
    )
    links = [
        dcc.Link(t("area.on_map", taal), href=map_link, className="button button-secondary"),
        dcc.Link(
            t("area.compare", taal),
            href=routes.COMPARE.path() + view.with_(codes=(p.code,)).query(keys=COMPARE_KEYS),
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
            components.year_links(
                {j: area_path(p.code) + view.with_(jaar=j).carried() for j in years}, p.jaar, taal
            ),
            swapped,
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
            components.stacking_card(
                t("area.stacking_title", taal),
                p.row.get(STAPELING),
                len(p.domains),
                areas.stacking_sentences(p, taal),
                taal,
            ),
            html.Div(className="grid-2", children=[profile_card(p, taal), children_map(p, view)]),
            indicator_table(p, taal),
            peers_section(p, view),
            change_section(p, view),
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
    if code is None or not isinstance(indicator_id, str):
        raise PreventUpdate
    _, years = areas.year_for(code, None)
    if indicator_id not in trend_indicators(code, years):  # only what the menu offers
        raise PreventUpdate
    return trend_view(code, indicator_id, years, view_of(search))


open_child = follow_map_clicks(ids.AREA_MAP, PAGE)
"""A click on a wijk or buurt of the small map opens its page."""


def _code_of(path: Any) -> str | None:
    if not ROUTE.holds(path):
        return None
    code = path.rsplit("/", 1)[-1].upper()
    return code if is_code(code) else None


def _profile_at(path: str | None, view: ViewState) -> areas.Profile | None:
    """The profile of the area whose page is at ``path``, in the year the page shows."""
    code = _code_of(path)
    if code is None:
        return None
    jaar, _ = areas.year_for(code, view.jaar)
    return areas.profile(code, jaar, view) if jaar else None


@tables.source("children")
def children_table(path: str, view: ViewState) -> tables.TableSpec:
    """The areas one level down with stacking, composite and domain scores."""
    p = _profile_at(path, view)
    frame = areas.children(p, view) if p else None
    if p is None or frame is None:
        raise PreventUpdate
    return tables.scores_table(frame, p.domains, view)


@downloads.exporter(ROUTE.pattern)
def area_export(path: str, view: ViewState) -> downloads.Export | None:
    """The area, its gemeente and NL references and the areas one level down."""
    p = _profile_at(path, view)
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
