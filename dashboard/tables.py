"""Sortable, paged data tables: a registry of row sources and the state they render from.

A page that shows a sortable table puts :func:`dashboard.components.sortable` in its layout
and registers a *source* here under the table's id: a function from the path and the
:class:`~dashboard.urls.ViewState` to a :class:`TableSpec`. Two generic callbacks (see
:mod:`dashboard.shell`) do the rest for every table: header and pager buttons change the
table's state (:func:`next_state`), and the state or the URL re-render its body
(:func:`render`). This follows mapclassify's name → class registry: one dispatch, no
if/elif per page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data
from dashboard.i18n import fmt_number, t
from dashboard.urls import ViewState, area_path
from etl import schema
from layers.constants import STAPELING


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
    """

    columns: Sequence[components.Column]
    rows: Sequence[Mapping[str, Any]]
    caption: Any = None
    page_size: int | None = None


Source = Callable[[str, ViewState], TableSpec]

SOURCES: dict[str, Source] = {}
"""Table id → the function that builds its content."""


def source(table_id: str) -> Callable[[Source], Source]:
    """Register the row source of a table (a decorator)."""

    def register(func: Source) -> Source:
        SOURCES[table_id] = func
        return func

    return register


def next_state(
    state: Mapping[str, Any] | None, trigger: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Return the table state after a header (sort) or pager button was pressed.

    Sorting on the current column flips the direction; a new column starts descending for
    numbers-first reading (the caller's initial state decides the first sort). Any sort goes
    back to the first page.
    """
    out = {"sort": None, "desc": True, "page": 0, **dict(state or {})}
    if not trigger:
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
    rows = sort_rows(spec.rows, state["sort"], bool(state["desc"]))
    page_size = spec.page_size or max(1, len(rows))
    pages = max(1, math.ceil(len(rows) / page_size))
    page = min(max(0, int(state["page"])), pages - 1)
    shown = rows[page * page_size : (page + 1) * page_size]
    return html.Div(
        [
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


def sortable(table_id: str, initial: tuple[str, bool], path: str, view: ViewState) -> Any:
    """A sortable table for a page's layout, its first body already rendered (so it shows
    without waiting for a callback, and prints)."""
    state = {"sort": initial[0], "desc": initial[1], "page": 0}
    try:
        body = render(table_id, path, view, state)
    except PreventUpdate:
        body = None
    return components.sortable(table_id, initial, body)


def _num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def scores_table(
    frame: Any, domains: tuple[str, ...], view: ViewState, *, page_size: int | None = 25
) -> TableSpec:
    """A table of score rows: name (link), inhabitants, stacking, composite, domain scores."""
    taal = view.taal
    rows = []
    for code, row in frame.iterrows():
        rows.append(
            {
                "code": str(code),
                "naam": str(row[schema.NAAM]) if isinstance(row[schema.NAAM], str) else str(code),
                "inwoners": _num(row.get("inwoners")),
                STAPELING: _num(row.get(STAPELING)),
                "samengesteld": _num(row.get("samengesteld")),
                **{f"score_{d}": _num(row.get(f"score_{d}")) for d in domains},
            }
        )
    carried = view.carried()

    def name_cell(row: dict[str, Any]) -> Any:
        return dcc.Link(row["naam"], href=area_path(row["code"]) + carried)

    def number(key: str) -> Any:
        return lambda r: fmt_number(r[key], taal, decimals=0)

    columns = [
        components.Column("naam", t("col.naam", taal), render=name_cell),
        components.Column("code", t("col.code", taal)),
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
    caption = f"{fmt_number(len(rows), taal)} · " + t("focus.table_help", taal)
    return TableSpec(columns, rows, caption, page_size=page_size)
