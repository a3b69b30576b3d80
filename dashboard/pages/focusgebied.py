"""The page of one focus area (``/focusgebied/<focus_id>``): a printable report.

Its member wijken on a map and in a table, its profile (aggregated from the wijken) against
its gemeente and NL, every indicator side by side, and a summary in words. The print button
(and the browser's own print) gives a one-document report: the print CSS drops navigation
and controls and adds a header with source and date.
"""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import (
    areas,
    chrome,
    components,
    data,
    downloads,
    focusareas,
    ids,
    mapview,
    routes,
    tables,
)
from dashboard.i18n import domain_label, fmt_number, join_words, label, t, unit
from dashboard.peers import focus_reference
from dashboard.shell import follow_map_clicks, missing_store, view_of
from dashboard.urls import ViewState, focus_path, is_focus_id
from etl import schema
from layers.constants import STAPELING, pct_column, score_column
from layers.indicators import INDICATORS

ROUTE = routes.FOCUS_AREA
PATH_TEMPLATE = ROUTE.template

PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)


def title(focus_id: str | None = None, **_: Any) -> str:
    """The browser tab's title: the focus area's name, not its id."""
    fid = (focus_id or "").strip().lower()
    names = data.focus_overview().set_index("focusgebied_id")["focusgebied"]
    name = str(names[fid]) if is_focus_id(fid) and fid in names.index else fid[:40]
    return f"Focusgebied {name} — Zicht op Wijken".replace("  ", " ")


dash.register_page(__name__, path_template=PATH_TEMPLATE, title=title)


def layout(focus_id: str | None = None, shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The report of one focus area for a URL."""
    view = view_of(query)
    fid = (focus_id or "").strip().lower()
    path = focus_path(fid) if is_focus_id(fid) else ROUTE.prefix
    missing = missing_store(view, path, page=PAGE)
    if missing is not None:
        return missing
    jaar = focusareas.year_for(view.jaar)
    d = focusareas.detail(fid, jaar, view) if jaar is not None and is_focus_id(fid) else None
    if d is None:
        return chrome.shell(view, path, not_found(fid, view), page=PAGE)
    shown_view = view.with_(jaar=d.jaar)
    return chrome.shell(shown_view, path, content(d, shown_view, asked=view.jaar), page=PAGE)


def exists(focus_id: str) -> bool:
    """Whether the store defines this focus area (else its URL is answered 404)."""
    fid = focus_id.strip().lower()
    return is_focus_id(fid) and fid in set(data.focus_overview()["focusgebied_id"])


def not_found(fid: str, view: ViewState) -> html.Section:
    """A helpful page for an unknown focus id: the list of known ones."""
    taal = view.taal
    known = focusareas.names()
    return html.Section(
        [
            html.H1(t("area.not_found_title", taal)),
            html.P(t("focus.not_found", taal, id=fid[:40] or "–")),
            html.Ul(
                [
                    html.Li(dcc.Link(name, href=focus_path(k) + view.carried()))
                    for k, name in known.items()
                ]
            ),
        ]
    )


def summary(d: focusareas.Detail, taal: str) -> str:
    """The focus area in one paragraph: size and the domains where problems stack."""
    hits = areas.stacked(d.row, d.config.threshold)
    scored = [x for x in d.domains if pd.notna(d.row.get(score_column(x)))]
    names = join_words([domain_label(x, taal).lower() for x in hits], taal)
    return t(
        "focus.summary",
        taal,
        naam=d.naam,
        gemeente=d.gemeentenaam,
        inwoners=fmt_number(d.row.get("inwoners"), taal, decimals=0),
        n=len(d.members),
        k=len(hits),
        m=len(scored),
        top=fmt_number(100 - d.config.threshold, taal),
        domains=f": {names}" if names else "",
    )


def member_map(d: focusareas.Detail, view: ViewState) -> Any:
    """The member wijken coloured by stacking count, with the focus outline; the other
    wijken of the gemeente drawn around them for orientation (not counted in the legend)."""
    taal = view.taal
    layer = data.web_layer(d.jaar, "wijk", d.gemeente_code)
    if layer is None:
        return components.note(
            t("map.no_boundaries", taal, jaar=d.jaar, niveau=t("niveau.wijk", taal))
        )
    inside = set(d.members.index.astype(str))
    members = [c for c in layer.codes if c in inside]
    small_map = mapview.stacking_map(
        ids.FOCUS_MEMBERS_MAP_NAME,
        d.jaar,
        "wijk",
        layer,
        data.scores(d.jaar, "wijk", d.config),
        d.config,
        taal,
        label=f"{t('focus.members_title', taal)}: {d.naam}",
        click=ids.FOCUS_MEMBER_MAP,
        focus=[members],
        selected=members,
        fit=members,
        context=[c not in inside for c in layer.codes],
    )
    return html.Div(small_map)


def indicator_rows(d: focusareas.Detail, taal: str) -> list[dict[str, Any]]:
    """Every indicator the year carries: focus area, gemeente, NL and the percentile."""
    carried = data.carried_indicators(d.jaar, "wijk")
    rows = []
    for ind in INDICATORS:
        if ind not in carried:
            continue
        rows.append(
            {
                "indicator": label(ind, taal),
                "domein": domain_label(ind.domain, taal),
                "eenheid": unit(ind.unit, taal),
                "focus": fmt_number(d.row.get(ind.id), taal),
                "gemeente": fmt_number(d.gemeente.get(ind.id), taal)
                if d.gemeente is not None
                else "",
                "nl": fmt_number(d.nl.get(ind.id), taal) if d.nl is not None else "",
                "percentiel": fmt_number(d.row.get(pct_column(ind.id)), taal, decimals=0)
                if ind.scored
                else "",
            }
        )
    return rows


def content(d: focusareas.Detail, view: ViewState, *, asked: int | None = None) -> html.Div:
    """The body of a focus-area report (``asked``: the year the URL asked for, said when
    the report shows another)."""
    taal = view.taal
    gemeente = areas.group_label(d.gemeentenaam, focusareas.NIVEAU, taal)
    rows = ((d.naam, d.row), (gemeente, d.gemeente), (t("col.nl", taal), d.nl))
    profile = components.profile(
        [domain_label(x, taal) for x in d.domains],
        [(name, areas.domain_scores(row, d.domains)) for name, row in rows if row is not None]
        + focus_reference(d, taal),
        threshold=d.config.threshold,
        taal=taal,
        jaar=d.jaar,
    )
    zekerheid = (
        t(f"focus.zekerheid_{d.zekerheid}", taal)
        if d.zekerheid in ("bevestigd", "onzeker")
        else d.zekerheid
    )
    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("domein", t("col.domein", taal)),
        components.Column("eenheid", t("col.eenheid", taal)),
        components.Column("focus", d.naam, numeric=True),
        components.Column("gemeente", gemeente, numeric=True),
        components.Column("nl", t("col.nl", taal), numeric=True),
        components.Column("percentiel", t("col.percentiel", taal), numeric=True),
    ]
    path = focus_path(d.focus_id)
    years = {j: path + view.with_(jaar=j).carried() for j in focusareas.years()}
    report = t("focus.report", taal, naam=d.naam, jaar=d.jaar)
    swapped = components.year_swapped(asked, d.jaar, list(years), "year.focus_areas", taal)
    return html.Div(
        className="focus-report",
        children=[
            html.P(
                " · ".join(("Zicht op Wijken", report, t("footer.sources", taal))),
                className="report-header",
            ),
            components.breadcrumbs(
                [
                    (t("focus.title", taal), routes.FOCUS_AREAS.path() + view.carried()),
                    (d.naam, None),
                ],
                taal,
            ),
            html.H1(d.naam),
            html.P(t("focus.source", taal, zekerheid=zekerheid, bron=d.bron), className="subtitle"),
            components.year_links(years, d.jaar, taal, printed=False),
            *([components.note(swapped, kind="warning")] if swapped else []),
            components.stacking_card(
                report, d.row.get(STAPELING), len(d.domains), [summary(d, taal)], taal
            ),
            html.Div(
                className="grid-2",
                children=[
                    components.card(
                        t("area.profile_title", taal),
                        html.P(t("focus.profile_help", taal), className="help"),
                        profile,
                    ),
                    components.card(
                        t("focus.members_title", taal), member_map(d, view), class_name="map-small"
                    ),
                ],
            ),
            html.Section(
                [
                    html.H2(t("focus.members_title", taal)),
                    tables.sortable("members", (STAPELING, True), path, view),
                ]
            ),
            html.Section(
                [
                    html.H2(t("area.indicators_title", taal)),
                    html.Div(
                        components.table(columns, indicator_rows(d, taal)), className="table-wrap"
                    ),
                ]
            ),
            components.downloads(taal, printable=True),
        ],
    )


def _detail_at(path: str | None, view: ViewState) -> focusareas.Detail | None:
    """The focus area whose report is at ``path``, in the year the report shows."""
    fid = path.rsplit("/", 1)[-1].lower() if path and ROUTE.holds(path) else ""
    jaar = focusareas.year_for(view.jaar)
    return focusareas.detail(fid, jaar, view) if is_focus_id(fid) and jaar else None


open_member = follow_map_clicks(ids.FOCUS_MEMBER_MAP, PAGE)
"""A click on a wijk of the report's map opens the wijk's page."""


@tables.source("members")
def members_table(path: str, view: ViewState) -> tables.TableSpec:
    """The member wijken with their scores."""
    d = _detail_at(path, view)
    if d is None:
        raise PreventUpdate
    return tables.scores_table(d.members, d.domains, view, page_size=None)


@downloads.exporter(ROUTE.pattern)
def focus_area_export(path: str, view: ViewState) -> downloads.Export | None:
    """The focus area, its gemeente, NL and its member wijken."""
    d = _detail_at(path, view)
    if d is None:
        return None
    parts = [r.to_frame().T for r in (d.row, d.gemeente, d.nl) if r is not None] + [d.members]
    frame = pd.concat(parts)
    frame.index.name = schema.CODE
    return downloads.Export(
        frame,
        d.jaar,
        "wijk",
        d.config,
        downloads.safe_name(f"zicht-op-wijken_{d.focus_id}_{d.jaar}"),
    )
