"""Layout pieces every page uses: the shell, breadcrumbs, notes, cards, fields, year links,
the domain profile, legends, tables, downloads.

Pure functions from plain values to Dash components; no data access. The shell (header with
navigation and language switch, what-if panel, footer) is part of each page's layout, so a
language change re-renders it with the page. Tables are real ``<table>`` elements with a
caption and column headers (sortable ones have a button per header and ``aria-sort``), the
accessible alternative to every map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from dash import dcc, html

from dashboard import figures, ids, routes
from dashboard.figures import LegendEntry
from dashboard.i18n import STRINGS, fmt_number, join_words, label, t
from dashboard.urls import (
    MAX_AGE_BOUNDS,
    MIN_POPULATION_RANGE,
    SCORING_KEYS,
    THRESHOLD_RANGE,
    WEIGHT_RANGE,
    Bounds,
    ViewState,
)
from layers.config import REFERENCES, ScoringConfig
from layers.indicators import DOMAINS, SCORED_DOMAINS

BUILD_COMMAND: Final = "python -m etl build --years 2017 2019 2022 2024 --source ../shared"


SORT: Final = "table-sort"
PAGE: Final = "table-page"
TABLE_STATE: Final = "table-state"
TABLE_BODY: Final = "table-body"
TABLE_FILTER: Final = "table-filter"
PAGE_SIZE: Final = 25


def aria(**attrs: str) -> dict[str, Any]:
    """ARIA attributes to unpack into a Dash component: ``aria(live="polite")`` is
    ``{"aria-live": "polite"}`` (hyphenated props can only be passed with ``**``)."""
    return {f"aria-{name}": value for name, value in attrs.items()}


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


def whatif_panel(view: ViewState, *, hidden: bool = False) -> html.Details:
    """Controls for the scoring parameters: a weight per domain, the threshold, the
    minimum population and the reference; their values come from the URL."""
    taal = view.taal
    scoring = view.scoring
    labels = _domain_labels(taal)
    weight_inputs = [
        group(
            ids.weight(d),
            labels[d],
            dcc.Slider(
                id={"type": ids.WHATIF_WEIGHT, "domain": d},
                min=WEIGHT_RANGE.low,
                max=WEIGHT_RANGE.high,
                step=WEIGHT_RANGE.step,
                value=scoring.weight(d),
                marks={i: str(i) for i in range(int(WEIGHT_RANGE.high) + 1)},
                updatemode="mouseup",
            ),
            class_name="field field-weight",
        )
        for d in SCORED_DOMAINS
    ]
    return html.Details(
        id=ids.WHATIF,
        className="whatif no-print" + (" hidden" if hidden else ""),
        open=view.what_if,
        children=[
            html.Summary(
                [
                    t("whatif.title", taal),
                    " ",
                    html.Span(
                        whatif_summary(view), id=ids.WHATIF_SUMMARY, className="whatif-summary"
                    ),
                ]
            ),
            html.P(t("whatif.help", taal), className="help"),
            html.Fieldset([html.Legend(t("whatif.weights", taal)), *weight_inputs]),
            html.Div(
                className="whatif-row",
                children=[
                    field(
                        t("whatif.threshold", taal),
                        _number_input(ids.WHATIF_THRESHOLD, scoring.threshold, THRESHOLD_RANGE),
                    ),
                    field(
                        t("whatif.min_population", taal),
                        _number_input(
                            ids.WHATIF_MIN_POPULATION, scoring.min_population, MIN_POPULATION_RANGE
                        ),
                    ),
                    field(
                        t("whatif.max_age", taal),
                        _number_input(ids.WHATIF_MAX_AGE, scoring.max_age, MAX_AGE_BOUNDS),
                    ),
                    html.Div(
                        className="field",
                        children=[
                            html.Label(
                                t("whatif.reference", taal), id=ids.label_of(ids.WHATIF_REFERENCE)
                            ),
                            dcc.RadioItems(
                                id=ids.WHATIF_REFERENCE,
                                options=[
                                    {"label": t(f"whatif.reference_{r}", taal), "value": r}
                                    for r in REFERENCES
                                ],
                                value=scoring.reference,
                                inline=True,
                            ),
                        ],
                    ),
                    html.Button(
                        t("whatif.reset", taal),
                        id=ids.WHATIF_RESET,
                        className="button button-secondary",
                        n_clicks=0,
                    ),
                ],
            ),
        ],
    )


def _number_input(control_id: str, value: float, bounds: Bounds) -> dcc.Input:
    """A number box that reports its value when the user is done typing."""
    return dcc.Input(
        id=control_id,
        type="number",
        min=bounds.low,
        max=bounds.high,
        step=bounds.step,
        value=value,
        debounce=True,
    )


def _domain_labels(taal: str) -> dict[str, str]:
    return {d.id: label(d, taal) for d in DOMAINS}


def whatif_summary(view: ViewState) -> str:
    """One line saying whether the scoring parameters differ from the defaults."""
    taal, scoring, base = view.taal, view.scoring, ScoringConfig()
    parts = []
    labels = _domain_labels(taal)
    for d, w in scoring.weights:
        if w != base.weight(d):
            parts.append(f"{labels.get(d, d).lower()} ×{fmt_number(w, taal)}")
    for key in SCORING_KEYS:
        value = getattr(scoring, key)
        if value == getattr(base, key):
            continue
        if key == "reference":
            parts.append(t(f"whatif.reference_{value}", taal))
        else:
            parts.append(f"{t(f'whatif.{key}', taal).lower()} {fmt_number(value, taal)}")
    if not parts:
        return f"({t('whatif.summary_default', taal)})"
    return "(" + t("whatif.summary_changed", taal, what="; ".join(parts)) + ")"


def breadcrumbs(items: Sequence[tuple[str, str | None]], taal: str) -> html.Nav:
    """A breadcrumb trail: (label, href) from the top; the last item is the current page."""
    crumbs = []
    for i, (text, link) in enumerate(items):
        last = i == len(items) - 1
        crumbs.append(
            html.Li(
                html.Span(text, **aria(current="page"))
                if last or link is None
                else dcc.Link(text, href=link)
            )
        )
    return html.Nav(html.Ol(crumbs), className="breadcrumbs", **aria(label=t("breadcrumbs", taal)))


def year_links(
    hrefs: Mapping[int, str], current: int | None, taal: str, *, printed: bool = True
) -> html.Div:
    """Links to the same page in other years (``hrefs``: year → link); the current year is
    marked, not linked. ``printed=False`` leaves the links out of a printout."""
    items: list[Any] = [html.Span(t("area.years", taal), className="label")]
    for jaar, href in hrefs.items():
        if jaar == current:
            items.append(html.Span(str(jaar), **aria(current="page")))
        else:
            items.append(dcc.Link(str(jaar), href=href))
    return html.Div(items, className="year-links" + ("" if printed else " no-print"))


def year_swapped(
    asked: int | None, jaar: int, have: Sequence[int], what: str, taal: str
) -> str | None:
    """What a page says when it shows another year than the URL asked for, because that
    year has no ``what`` (an i18n key: ``niveau.buurt_plural``, ``year.focus_areas``, …):
    the year shown and the years that have them. ``None`` when nothing was swapped."""
    if asked is None or asked == jaar:
        return None
    thing = t(what, taal)
    years = join_words([str(y) for y in have], taal)
    return t("year.swapped", taal, asked=asked, what=thing, jaar=jaar, years=years)


def group(
    group_id: str,
    label: str,
    *children: Any,
    role: str = "group",
    class_name: str = "field",
) -> html.Div:
    """Controls named by a visible label (a slider, radio buttons or checkboxes cannot be a
    label's target, so the group carries the name); ``group_id`` names the label."""
    return html.Div(
        className=class_name,
        role=role,
        **aria(labelledby=ids.label_of(group_id)),
        children=[html.Span(label, id=ids.label_of(group_id), className="label"), *children],
    )


def field(label: str, control: Any, *, grow: bool = False) -> html.Div:
    """A form control with its visible label (``control`` must have a string ``id``)."""
    return html.Div(
        className="field" + (" field-grow" if grow else ""),
        children=[html.Label(label, htmlFor=control.id, id=ids.label_of(control.id)), control],
    )


def card(title: str, *children: Any, class_name: str = "") -> html.Section:
    """A titled card (profile, small map, stacking count)."""
    return html.Section(
        className=f"card {class_name}".strip(),
        children=[html.H2(title, className="h-small"), *children],
    )


def stacking_card(
    title: str, value: Any, n_domains: int, sentences: Sequence[str], taal: str
) -> html.Section:
    """The stacking count, large (out of the domains scored), with its explanation."""
    return html.Section(
        className="card stacking",
        **aria(labelledby=ids.STACKING_TITLE),
        children=[
            html.H2(title, id=ids.STACKING_TITLE, className="h-small"),
            html.P(
                [
                    html.Span(fmt_number(value, taal, decimals=0), className="stacking-count"),
                    html.Span(f"/ {n_domains}" if n_domains else ""),
                ]
            ),
            *[html.P(s) for s in sentences],
        ],
    )


def profile(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    threshold: float,
    taal: str,
    jaar: int,
) -> Any:
    """The domain profile chart (see :func:`dashboard.figures.profile`), or a note when the
    year scores no domain (``labels`` empty)."""
    if not labels:
        return note(t("area.profile_none", taal, jaar=jaar))
    return chart(figures.profile(labels, series, threshold=threshold, taal=taal))


def chart(figure: Mapping[str, Any], *, graph_id: Any = None) -> dcc.Graph:
    """A chart (profile, trend) at the height its figure asks for, full width, no toolbar."""
    height = int((figure.get("layout") or {}).get("height") or 360)
    kwargs: dict[str, Any] = {"id": graph_id} if graph_id is not None else {}
    return dcc.Graph(
        figure=figure,
        config={"displayModeBar": False, "responsive": True, "showSendToCloud": False},
        style={"height": f"{height}px"},
        className="chart",
        **kwargs,
    )


def dropdown_labels(taal: str) -> dcc.Dropdown.Labels:
    """The texts inside a ``dcc.Dropdown`` (search box, select all, …) in a language."""
    keys = ("select_all", "deselect_all", "search", "clear_search", "clear_selection",
            "no_options_found")  # fmt: skip
    texts = {k: t(f"dropdown.{k}", taal) for k in keys}
    nl, en = STRINGS["dropdown.selected_count"]
    texts["selected_count"] = en if taal == "en" else nl  # filled in by the browser
    return cast(dcc.Dropdown.Labels, texts)


def dropdown(control_id: str, taal: str, **props: Any) -> dcc.Dropdown:
    """A ``dcc.Dropdown`` whose own texts (search box, select all, …) are in ``taal``."""
    return dcc.Dropdown(id=control_id, labels=dropdown_labels(taal), **props)


def note(text: Any, *, kind: str = "info") -> html.Div:
    """A notice box (``info`` or ``warning``), announced politely to screen readers."""
    return html.Div(text, className=f"note note-{kind}", role="status")


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


def legend(
    title: str, subtitle: str, entries: Sequence[LegendEntry], taal: str, *, method: str = ""
) -> html.Figure:
    """The class legend of a map: a swatch, a label and a count per class."""
    return html.Figure(
        className="legend",
        children=[
            html.Figcaption(
                [html.Strong(title), html.Br(), html.Span(subtitle, className="muted")]
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            html.Span(className="swatch", style={"backgroundColor": e.colour}),
                            html.Span(e.label, className="legend-label"),
                            html.Span(fmt_number(e.count, taal), className="legend-count"),
                        ]
                    )
                    for e in entries
                ]
            ),
            html.P(method, className="legend-method muted") if method else None,
        ],
    )


@dataclass(frozen=True)
class Column:
    """A column of a data table.

    Attributes
    ----------
    key
        Key of the value in a row (also what the table sorts on).
    label
        Header text.
    numeric
        Right-aligned, sorted as a number.
    render
        Turns a row into the cell content (text or a component); the raw value when ``None``.
    """

    key: str
    label: str
    numeric: bool = False
    render: Callable[[Mapping[str, Any]], Any] | None = None


def table(
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    *,
    caption: Any = None,
    table_id: str | None = None,
    sort: tuple[str, bool] | None = None,
    class_name: str = "",
) -> html.Table:
    """Render rows as an HTML table; with ``table_id`` the headers are sort buttons.

    Parameters
    ----------
    sort
        (column key, descending) the rows are sorted by, marked with ``aria-sort``.
    """
    head = []
    for col in columns:
        attrs: dict[str, Any] = {"scope": "col", "className": "num" if col.numeric else ""}
        content: Any = col.label
        if table_id is not None:
            if sort and sort[0] == col.key:
                attrs["aria-sort"] = "descending" if sort[1] else "ascending"
            content = html.Button(
                [
                    col.label,
                    html.Span(_arrow(sort, col.key), className="sort-arrow", **aria(hidden="true")),
                ],
                id={"type": SORT, "table": table_id, "col": col.key},
                className="sort-button",
                n_clicks=0,
            )
        head.append(html.Th(content, **attrs))
    row_scope: dict[str, Any] = {"scope": "row"}  # the first cell heads its row
    body = [
        html.Tr(
            [
                (html.Th if i == 0 else html.Td)(
                    col.render(row) if col.render else _text(row.get(col.key)),
                    className="num" if col.numeric else "",
                    **(row_scope if i == 0 else {}),
                )
                for i, col in enumerate(columns)
            ]
        )
        for row in rows
    ]
    return html.Table(
        className=f"data-table {class_name}".strip(),
        children=[
            html.Caption(caption) if caption is not None else None,
            html.Thead(html.Tr(head)),
            html.Tbody(body),
        ],
    )


def _arrow(sort: tuple[str, bool] | None, key: str) -> str:
    if not sort or sort[0] != key:
        return " ↕"
    return " ↓" if sort[1] else " ↑"


def _text(value: Any) -> str:
    if value is None:
        return "–"
    try:
        if value != value:  # NaN
            return "–"
    except (TypeError, ValueError):
        return "–"
    return str(value)


def table_state(initial: tuple[str, bool]) -> dict[str, Any]:
    """A table's first state: sorted on ``initial`` (column, descending), first page, no
    search (see :func:`dashboard.tables.next_state` for how it changes)."""
    return {"sort": initial[0], "desc": initial[1], "page": 0, "filter": ""}


def sortable(
    table_id: str, initial: tuple[str, bool], body: Any = None, *, filter_label: str | None = None
) -> html.Div:
    """A container for a sortable, paged table: its state store, a search box above it when
    ``filter_label`` names one, and its body, which the page's rendering callback fills
    (see :func:`dashboard.tables.render`)."""
    search: list[Any] = []
    if filter_label:
        search = [  # the box inside its label: a pattern id cannot be a label's target
            html.Label(
                className="field table-filter no-print",
                children=[
                    html.Span(filter_label, className="label"),
                    dcc.Input(
                        id={"type": TABLE_FILTER, "table": table_id},
                        type="search",
                        debounce=0.3,
                        maxLength=60,
                        autoComplete="off",
                    ),
                ],
            )
        ]
    return html.Div(
        className="table-wrap",
        children=[
            dcc.Store(
                id={"type": TABLE_STATE, "table": table_id},
                data=table_state(initial),
            ),
            *search,
            html.Div(body, id={"type": TABLE_BODY, "table": table_id}, **aria(live="polite")),
        ],
    )


def pager(table_id: str, page: int, pages: int, taal: str) -> html.Div | None:
    """Previous/next buttons of a paged table, or nothing for a single page."""
    if pages <= 1:
        return None
    prev_label, next_label = t("table.prev", taal), t("table.next", taal)
    return html.Div(
        className="pager",
        children=[
            html.Button(
                f"‹ {prev_label}",
                id={"type": PAGE, "table": table_id, "dir": "prev"},
                disabled=page <= 0,
                className="button button-secondary",
                n_clicks=0,
            ),
            html.Span(f"{page + 1} / {pages}", className="pager-status"),
            html.Button(
                f"{next_label} ›",
                id={"type": PAGE, "table": table_id, "dir": "next"},
                disabled=page >= pages - 1,
                className="button button-secondary",
                n_clicks=0,
            ),
        ],
    )


def downloads(taal: str, *, printable: bool = False) -> html.Section:
    """Download buttons for the current view (CSV, CSV for Excel, codebook) and the
    ``dcc.Download`` that sends their file."""
    buttons = [
        html.Button(
            t(f"download.{fmt}", taal),
            id={"type": ids.DOWNLOAD_BUTTON, "fmt": fmt},
            className="button",
            n_clicks=0,
        )
        for fmt in ("csv", "excel", "codebook")
    ]
    if printable:
        buttons.append(
            html.Button(
                t("print.button", taal),
                id=ids.PRINT_BUTTON,
                className="button button-secondary",
                n_clicks=0,
            )
        )
    return html.Section(
        className="downloads no-print",
        **aria(label=t("download.title", taal)),
        children=[
            html.H2(t("download.title", taal), className="h-small"),
            html.P(t("download.help", taal), className="help"),
            html.Div(buttons, className="button-row"),
            # Here rather than in the app's root layout: Dash runs a callback whose ALL
            # input (the buttons) appears with a page, unless its output appears too.
            dcc.Download(id=ids.DOWNLOAD),
        ],
    )
