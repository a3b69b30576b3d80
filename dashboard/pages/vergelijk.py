"""Compare up to six areas side by side (``/vergelijk?codes=WK034403,WK036300``).

Areas are chosen with an autocomplete on name and code; the choice lives in the URL, so a
comparison can be shared. The page follows URL changes itself (no re-render, the search box
keeps focus).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import chrome, compare, components, data, downloads, ids, peers, routes, values
from dashboard.i18n import domain_label, t
from dashboard.shell import keep_page, missing_store, view_of
from dashboard.urls import (
    COMPARE_REFERENCES,
    MAX_COMPARE,
    ViewState,
    area_path,
    parse_choices,
    parse_codes,
)

ROUTE = routes.COMPARE
PATH = ROUTE.path()

PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=PATH, title="Vergelijken — Zicht op Wijken", order=ROUTE.order)


def year_for(view: ViewState) -> int | None:
    """The year compared: the one asked for if the store has it, else the latest."""
    years = data.years()
    if not years:
        return None
    return view.jaar if view.jaar in years else data.default_year("wijk") or years[-1]


def layout(shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The compare page for a URL query."""
    view = view_of(query)
    if keep_page(shown, PATH, view):
        raise PreventUpdate
    missing = missing_store(view, PATH, page=PAGE)
    if missing is not None:
        return missing
    jaar = year_for(view)
    if jaar is None:
        return chrome.empty_store("", view, PATH, page=PAGE)
    taal = view.taal
    swapped = components.year_swapped(view.jaar, jaar, data.years(), "year.figures", taal)
    view = view.with_(jaar=jaar)
    years = {j: PATH + view.with_(jaar=j).query() for j in data.years()}
    return chrome.shell(
        view,
        PATH,
        html.Div(
            className="compare-page",
            children=[
                html.H1(t("compare.title", taal)),
                html.P(t("compare.lead", taal), className="lead"),
                components.year_links(years, jaar, taal),
                *([components.note(swapped, kind="warning")] if swapped else []),
                components.field(
                    t("compare.search", taal),
                    components.dropdown(
                        ids.COMPARE_SEARCH,
                        taal,
                        options=compare.search(None, jaar, taal, keep=view.codes),
                        value=list(view.codes),
                        multi=True,
                        searchable=True,
                        placeholder=t("compare.placeholder", taal),
                        optionHeight=40,
                    ),
                    grow=True,
                ),
                components.group(
                    ids.COMPARE_WITH,
                    t("compare.with", taal),
                    dcc.Checklist(
                        id=ids.COMPARE_WITH,
                        options=[
                            {"label": t(f"compare.with_{r}", taal), "value": r}
                            for r in COMPARE_REFERENCES
                        ],
                        value=list(view.met),
                        inline=True,
                    ),
                    html.P(t("compare.with_help", taal), className="help"),
                ),
                html.Div(
                    result(view, left_out(query.get("codes"))),
                    id=ids.COMPARE_RESULT,
                    **components.aria(live="polite"),
                ),
                components.downloads(taal),
            ],
        ),
        page=PAGE,
    )


def left_out(codes: Any) -> tuple[str, ...]:
    """The valid codes of a list beyond the :data:`MAX_COMPARE` compared (the user is told)."""
    return parse_codes(codes, limit=None)[MAX_COMPARE:]


def result(view: ViewState, dropped: tuple[str, ...] = ()) -> Any:
    """Profiles and the side-by-side table of the chosen areas (``dropped``: codes left out
    because at most :data:`MAX_COMPARE` are compared)."""
    taal = view.taal
    jaar = year_for(view)
    notes = []
    if dropped:
        text = t("compare.too_many", taal, max=MAX_COMPARE, codes=", ".join(dropped))
        notes.append(components.note(text, kind="warning"))
    if jaar is None or not view.codes:
        return html.Div([*notes, components.note(t("compare.empty", taal))])
    profiles, missing = compare.chosen(view.codes, jaar, view)
    if missing:
        text = t("compare.missing", taal, jaar=jaar, codes=", ".join(missing))
        notes.append(components.note(text, kind="warning"))
    if not profiles:
        return html.Div(notes)
    refs = compare.references(profiles, view.met, taal)
    chart = components.profile(
        [domain_label(d, taal) for d in compare.domains_of(profiles)],
        compare.series(profiles, taal, refs)
        + peers.reference(profiles, compare.domains_of(profiles), taal),
        threshold=profiles[0].config.threshold,
        taal=taal,
        jaar=jaar,
    )
    carried = view.carried()
    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("eenheid", t("col.eenheid", taal)),
    ]
    columns += [
        components.Column(p.code, compare.series_label(p, taal), numeric=True) for p in profiles
    ]
    columns += [components.Column(r.key, r.label, numeric=True) for r in refs]
    links = html.Ul(
        [
            html.Li(dcc.Link(f"{p.naam} ({p.code})", href=area_path(p.code) + carried))
            for p in profiles
        ],
        className="inline-list",
    )
    return html.Div(
        [
            *notes,
            components.card(
                t("compare.profiles", taal),
                html.P(t("compare.levels_note", taal), className="help"),
                chart,
            ),
            html.H2(t("compare.table", taal)),
            links,
            html.Div(
                components.table(
                    columns,
                    compare.table_rows(profiles, taal, refs),
                    caption=t("compare.table_caption", taal),
                ),
                className="table-wrap",
            ),
        ]
    )


@callback(
    Output(ids.COMPARE_SEARCH, "options"),
    Input(ids.COMPARE_SEARCH, "search_value"),
    State(ids.COMPARE_SEARCH, "value"),
    State(PAGE_URL, "search"),
    prevent_initial_call=True,
)
def suggest(text: Any, value: Any, search: Any) -> Any:
    """Autocomplete: areas matching the typed name or code (and those already chosen)."""
    view = view_of(search)
    jaar = year_for(view)
    if jaar is None:
        raise PreventUpdate
    return compare.search(values.text(text), jaar, view.taal, keep=values.codes(value))


@callback(
    Output(PAGE_URL, "search", allow_duplicate=True),
    Output(ids.COMPARE_SEARCH, "value"),
    Output(ids.COMPARE_WITH, "value"),
    Output(ids.COMPARE_RESULT, "children"),
    Input(PAGE_URL, "search"),
    Input(ids.COMPARE_SEARCH, "value"),
    Input(ids.COMPARE_WITH, "value"),
    State(PAGE_URL, "pathname"),
    prevent_initial_call=True,
)
def sync_selection(search: Any, value: Any, met: Any, path: Any) -> Any:
    """Keep the chosen areas, the references and the URL in step, and redraw the
    comparison."""
    if path != PATH:
        raise PreventUpdate
    view = view_of(search)
    if ctx.triggered_id == PAGE_URL:
        asked = parse_qs(search.lstrip("?") if isinstance(search, str) else "").get("codes")
        return no_update, list(view.codes), list(view.met), result(view, left_out(asked))
    chosen = values.codes(value, limit=None)
    codes = chosen[:MAX_COMPARE]
    new = view.with_(codes=codes, met=parse_choices(met, COMPARE_REFERENCES))
    query = new.query()
    return (
        (query if query != (search or "") else no_update),
        list(codes),
        list(new.met),
        result(new, left_out(chosen)),
    )


@downloads.exporter(ROUTE.pattern)
def compare_export(path: str, view: ViewState) -> downloads.Export | None:
    """The chosen areas' score rows and the references shown beside them."""
    jaar = year_for(view)
    if jaar is None or not view.codes:
        return None
    profiles, _ = compare.chosen(view.codes, jaar, view)
    if not profiles:
        return None
    first = profiles[0]
    return downloads.Export(
        compare.frame(profiles, compare.references(profiles, view.met, view.taal)),
        jaar,
        first.niveau,
        first.config,
        f"zicht-op-wijken_vergelijking_{jaar}",
    )
