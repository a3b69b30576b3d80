"""Sortable, paged data tables: a registry of row sources and the state they render from.

A page that shows a sortable table puts :func:`dashboard.components.sortable` in its layout
and registers a *source* here under the table's id: a function from the path and the
:class:`~dashboard.urls.ViewState` to a :class:`TableSpec`. Two generic callbacks (see
:mod:`dashboard.shell`) do the rest for every table: header and pager buttons change the
table's state (:func:`next_state`), and the state or the URL re-render its body
(:func:`render`). This follows mapclassify's name → class registry: one dispatch, no
if/elif per page. Sources build their rows from whole columns (:func:`records`,
:func:`score_values`), never row by row: the map's table has thousands of rows.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import areas, components, data, floats
from dashboard.i18n import column_label, domain_label, fmt_number, t
from dashboard.urls import ViewState, area_path
from etl import schema
from layers.constants import INWONERS, SAMENGESTELD, STAPELING, score_column


@dataclass(frozen=True)
class TableSpec:
    """What a table shows.

    Attributes
    ----------
    columns
        The columns, in order.
    rows
        One mapping per row with a value per column key (sort values are raw numbers).
    caption
        The table's caption (what it is, how many rows, how to sort).
    page_size
        Rows per page, or ``None`` for all rows on one page.
    search
        The row keys the table's search box matches (accents, case and punctuation aside);
        the table has no search box when empty (see :func:`sortable`).
    """

    columns: Sequence[components.Column]
    rows: Sequence[Mapping[str, Any]]
    caption: Any = None
    page_size: int | None = None
    search: tuple[str, ...] = ()


Source = Callable[[str, ViewState], TableSpec]

SOURCES: dict[str, Source] = {}
"""Table id → the function that builds its content."""


def source(table_id: str) -> Callable[[Source], Source]:
    """Register the row source of a table (a decorator)."""

    def register(func: Source) -> Source:
        SOURCES[table_id] = func
        return func

    return register


def source_caption(
    jaar: int, niveau: str, measure_id: str, config: Any, taal: str, label: str
) -> str:
    """Where the figures of a map table come from: for an indicator its publisher, table,
    edition and coverage; for a score or the stacking count which domains come from which
    year (:func:`dashboard.areas.domain_years_note`)."""
    used = data.provenance(jaar, niveau, config).get(measure_id)
    if used is None:
        return areas.domain_years_note(jaar, niveau, config, taal)
    return t(
        "map.measure_source", taal, maat=label, bron=areas.source_text(used, taal),
        dekking=str(used["coverage"]),
    )  # fmt: skip


def clean_state(state: Any) -> dict[str, Any]:
    """The table state as the browser keeps it, with anything malformed (a crafted request
    can send any JSON value) replaced by its default."""
    state = state if isinstance(state, Mapping) else {}
    sort, desc, page = state.get("sort"), state.get("desc"), state.get("page")
    text = state.get("filter")
    return {
        "sort": sort if isinstance(sort, str) and sort else None,
        "desc": desc if isinstance(desc, bool) else True,
        "page": page if isinstance(page, int) and not isinstance(page, bool) and page >= 0 else 0,
        "filter": text.strip()[:60] if isinstance(text, str) else "",
    }


def filtered(state: Any, text: Any) -> dict[str, Any]:
    """Return the table state after the search box changed: the new text, first page."""
    out = clean_state(state)
    out["filter"] = clean_state({"filter": text})["filter"]
    out["page"] = 0
    return out


def matching(
    rows: Sequence[Mapping[str, Any]], keys: Sequence[str], text: str
) -> list[Mapping[str, Any]]:
    """The rows where one of ``keys`` contains ``text`` as search compares them
    (:func:`dashboard.data.fold`: ``sudwest`` finds Súdwest)."""
    needle = data.fold(text)
    if not needle:
        return list(rows)
    return [r for r in rows if any(needle in data.fold(str(r.get(k) or "")) for k in keys)]


def next_state(state: Any, trigger: Any) -> dict[str, Any]:
    """Return the table state after a header (sort) or pager button was pressed.

    Sorting on the current column flips the direction; a new column starts descending for
    numbers-first reading (the caller's initial state decides the first sort). Any sort goes
    back to the first page.
    """
    out = clean_state(state)
    if not isinstance(trigger, Mapping):
        return out
    if "col" in trigger:
        col = str(trigger["col"])
        out["desc"] = not out["desc"] if out["sort"] == col else True
        out["sort"] = col
        out["page"] = 0
    elif trigger.get("dir") == "next":
        out["page"] = int(out.get("page") or 0) + 1
    elif trigger.get("dir") == "prev":
        out["page"] = max(0, int(out.get("page") or 0) - 1)
    return out


def sort_rows(
    rows: Sequence[Mapping[str, Any]], key: str | None, desc: bool
) -> list[Mapping[str, Any]]:
    """Sort rows on a key; missing values (None, NaN) always come last; text ignores case."""
    if not key:
        return list(rows)

    def missing(value: Any) -> bool:
        return value is None or (isinstance(value, float) and math.isnan(value))

    present = [r for r in rows if not missing(r.get(key))]
    absent = [r for r in rows if missing(r.get(key))]
    if all(isinstance(r[key], int | float) for r in present):
        present.sort(key=lambda r: float(r[key]), reverse=desc)
    else:
        present.sort(key=lambda r: str(r[key]).casefold(), reverse=desc)
    return present + absent


def render(table_id: str, path: str, view: ViewState, state: Mapping[str, Any] | None) -> Any:
    """Render a registered table's body (table and pager) for a path, view and state."""
    build = SOURCES.get(table_id)
    if build is None:
        return None
    spec = build(path, view)
    state = next_state(state, None)
    rows: Sequence[Mapping[str, Any]] = spec.rows
    said = None
    if spec.search and state["filter"]:
        rows = matching(rows, spec.search, state["filter"])
        n, total = fmt_number(len(rows), view.taal), fmt_number(len(spec.rows), view.taal)
        said = html.P(
            t("table.filtered", view.taal, n=n, total=total, text=state["filter"]),
            className="table-filtered",
        )
    rows = sort_rows(rows, state["sort"], bool(state["desc"]))
    page_size = spec.page_size or max(1, len(rows))
    pages = max(1, math.ceil(len(rows) / page_size))
    page = min(max(0, int(state["page"])), pages - 1)
    shown = rows[page * page_size : (page + 1) * page_size]
    return html.Div(
        [
            said,
            components.table(
                spec.columns,
                shown,
                caption=spec.caption,
                table_id=table_id,
                sort=(state["sort"], bool(state["desc"])) if state["sort"] else None,
            ),
            components.pager(table_id, page, pages, view.taal),
        ]
    )


def sortable(
    table_id: str,
    initial: tuple[str, bool],
    path: str,
    view: ViewState,
    *,
    searchable: bool = False,
) -> Any:
    """A sortable table for a page's layout, its first body already rendered (so it shows
    without waiting for a callback, and prints); ``searchable``: with a search box (the
    source's :attr:`TableSpec.search` says what it matches)."""
    state = components.table_state(initial)
    try:
        body = render(table_id, path, view, state)
    except PreventUpdate:
        body = None
    label = t("table.filter", view.taal) if searchable else None
    return components.sortable(table_id, initial, body, filter_label=label)


def records(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Return table rows (one dict per row) built from columns of equal length: the fast way
    to turn thousands of areas into rows, instead of a loop over a frame's rows."""
    keys = tuple(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def area_names(frame: pd.DataFrame) -> list[str]:
    """The name of every area of a score frame, or its code (the index) where CBS gives none."""
    names = frame[schema.NAAM]
    return [
        str(name) if present else str(code)
        for name, code, present in zip(
            names.tolist(), frame.index.tolist(), names.notna().tolist(), strict=True
        )
    ]


def area_name_column(taal: str, carried: str) -> components.Column:
    """The name column of a table of areas: each name links to the area's page, keeping the
    ``carried`` query (see :meth:`ViewState.carried`); rows need ``naam`` and ``code``."""
    return components.Column(
        "naam",
        column_label(schema.NAAM, taal),
        render=lambda row: dcc.Link(row["naam"], href=area_path(row["code"]) + carried),
    )


def number_column(key: str, label: str, taal: str) -> components.Column:
    """A numeric column shown as whole numbers (``–`` where missing)."""
    return components.Column(
        key, label, numeric=True, render=lambda row: fmt_number(row[key], taal, decimals=0)
    )


def score_values(frame: pd.DataFrame, domains: Sequence[str]) -> dict[str, list[float | None]]:
    """The headline columns of a score frame as floats: inhabitants, stacking count,
    composite and the score of each domain (keys as in the frame)."""
    keys = (INWONERS, STAPELING, SAMENGESTELD, *(score_column(d) for d in domains))
    return {key: floats.column(frame, key) for key in keys}


def score_columns(domains: Sequence[str], taal: str) -> list[components.Column]:
    """The columns of :func:`score_values`, in the same order."""
    return [
        number_column(INWONERS, column_label(INWONERS, taal), taal),
        number_column(STAPELING, column_label(STAPELING, taal), taal),
        number_column(SAMENGESTELD, column_label(SAMENGESTELD, taal), taal),
        *[number_column(score_column(d), domain_label(d, taal), taal) for d in domains],
    ]


def scores_table(
    frame: pd.DataFrame, domains: tuple[str, ...], view: ViewState, *, page_size: int | None = 25
) -> TableSpec:
    """A table of score rows: name (link), code, inhabitants, stacking, composite, domain
    scores."""
    taal = view.taal
    rows = records(
        {
            "code": frame.index.astype(str).tolist(),
            "naam": area_names(frame),
            **score_values(frame, domains),
        }
    )
    columns = [
        area_name_column(taal, view.carried()),
        components.Column("code", column_label(schema.CODE, taal)),
        *score_columns(domains, taal),
    ]
    caption = f"{fmt_number(len(rows), taal)} · " + t("focus.table_help", taal)
    return TableSpec(columns, rows, caption, page_size=page_size)
