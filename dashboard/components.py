"""Layout pieces pages are built from: breadcrumbs, notes, cards, fields, year links, the
domain profile, legends, tables, downloads.

Pure functions from plain values to Dash components; no data access. The page chrome is
:mod:`dashboard.chrome`, the what-if panel :mod:`dashboard.whatif`. Tables are real
``<table>`` elements with a caption and column headers (sortable ones have a button per
header and ``aria-sort``), the accessible alternative to every map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

from dash import dcc, html

from dashboard import figures, ids
from dashboard.figures import LegendEntry
from dashboard.i18n import STRINGS, fmt_number, join_words, t

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
