"""The change section of the area page: what got better or worse since an earlier edition.

Per indicator the area's value now, then, the change and its class
(:func:`layers.change.change`: only codes present in both editions; a new code is said to
be new, never shown as zero change). Beside it a change map of the wijken of the area's
gemeente for the first indicator both editions carry (diverging classes, a legend worded
better / worse in the indicator's direction) and the biggest movers there. Pure layout
built from the store's scores; no callbacks.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
from dash import dcc, html

from dashboard import areas, components, data, figures, ids, svgmap
from dashboard.i18n import column_label, fmt_number, fmt_value, label, t, unit
from dashboard.urls import ViewState, area_path
from etl import schema
from layers import constants
from layers.change import CLASSES, movers
from layers.indicators import Indicator

PALETTES: Final = {
    constants.HOGER_SLECHTER: ("#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"),
    constants.HOGER_BETER: ("#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"),
    constants.NEUTRAAL: ("#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101"),
}
"""Diverging ColorBrewer palettes (colour-blind safe) per direction, in the order of
:data:`layers.change.CLASSES`: blue better, red worse (RdBu); purple lower, orange higher
(PuOr) for context."""

NEW_CODE: Final = "#636363"
"""Dark grey of areas whose code is new (distinct from the no-data grey)."""

MAP_ID: Final = ids.AREA_CHANGE_MAP_NAME


def earlier_year(p: areas.Profile) -> tuple[int, bool] | None:
    """The earlier year to compare with, and whether the area's code exists in it.

    The latest earlier year of the area's niveau that holds its code and shares an
    indicator with its year; else the latest earlier year sharing one (the code is then
    new); ``None`` without any.
    """
    now = {i.id for i in p.indicators}
    candidates = [
        j
        for j in sorted((j for j in data.years() if j < p.jaar), reverse=True)
        if data.has_statistics(j, p.niveau)
        and now & {i.id for i in data.carried_indicators(j, p.niveau)}
    ]
    if not candidates:
        return None
    held = [j for j in candidates if j in data.area_years(p.code)]
    return (held[0], True) if held else (candidates[0], False)


def shared(p: areas.Profile, van: int, niveau: str) -> list[Indicator]:
    """Indicators both years carry, scored ones first (registry order within each)."""
    before = {i.id for i in data.carried_indicators(van, niveau)}
    inds = [i for i in data.carried_indicators(p.jaar, niveau) if i.id in before]
    return sorted(inds, key=lambda i: not i.scored)


def classification(result: pd.DataFrame, ind: Indicator, taal: str) -> figures.Classification:
    """The change classes as map classes: the diverging ones, then new codes; ``-1`` for an
    unknown change."""
    order = [*CLASSES[ind.direction], constants.NIEUW]
    lookup = {k: i for i, k in enumerate(order)}
    klasse = result[constants.KLASSE].astype("string")
    classes = tuple(int(lookup.get(str(k), -1)) if pd.notna(k) else -1 for k in klasse)
    colours = (*PALETTES[ind.direction], NEW_CODE)
    entries = [
        figures.LegendEntry(c, t(f"change.klasse.{k}", taal), classes.count(i))
        for i, (c, k) in enumerate(zip(colours, order, strict=True))
    ]
    entries.append(
        figures.LegendEntry(figures.NO_DATA, t("change.klasse.onbekend", taal), classes.count(-1))
    )
    return figures.Classification(classes, colours, tuple(entries), "fixed")


def change_map(
    layer: data.WebLayer,
    result: pd.DataFrame,
    ind: Indicator,
    title: str,
    taal: str,
    *,
    jaar: int,
    niveau: str,
) -> list[Any]:
    """The change map of the layer's areas (the SVG map, :mod:`dashboard.svgmap`) and its
    legend."""
    url = svgmap.paths_url(jaar, niveau, layer.gemeente)
    if url is None:
        return [components.note(t("map.no_boundaries", taal, jaar=jaar, niveau=niveau))]
    codes = list(layer.codes)
    shown = result.reindex(codes)
    classes = classification(shown, ind, taal)
    klasse = shown[constants.KLASSE].astype("string").fillna(constants.NIEUW)
    lines = [
        t("change.col_class", taal),
        f"{t('change.col_change', taal)} ({unit(ind.unit, taal)})",
    ]
    values = [
        [t(f"change.klasse.{k}", taal) for k in klasse],
        [fmt_number(v, taal) for v in shown[constants.VERSCHIL]],
    ]
    geo = svgmap.geo(
        MAP_ID, url, codes, key=f"{jaar}|{niveau}|{MAP_ID}|{len(codes)}", label=title, taal=taal
    )
    painted = svgmap.paint(classes, lines, values, key=f"change|{ind.id}")
    direction = t(
        {
            constants.HOGER_BETER: "map.direction_better",
            constants.HOGER_SLECHTER: "map.direction_worse",
        }.get(ind.direction, "map.direction_neutral"),
        taal,
    )
    legend = components.legend(
        label(ind, taal),
        t("change.legend_subtitle", taal, direction=direction),
        classes.entries,
        taal,
    )
    view = svgmap.view(MAP_ID, geo, painted, label=title, taal=taal)
    return [html.Div(view, className="map-wrap"), legend]


def _klasse(value: Any, taal: str) -> str:
    return t(f"change.klasse.{value}", taal) if pd.notna(value) else t("value.none", taal)


def section(p: areas.Profile, view: ViewState) -> html.Section | None:
    """The change section of an area page, or ``None`` without an earlier edition."""
    taal = view.taal
    earlier = earlier_year(p)
    if earlier is None:
        return None
    van, held = earlier
    head = [
        html.H2(t("change.title", taal, van=van)),
        html.P(t("change.help", taal, van=van, tot=p.jaar), className="help"),
    ]
    if not held:
        return html.Section(
            [*head, components.note(t("change.code_new", taal, code=p.code, van=van))]
        )
    rows = []
    for ind in shared(p, van, p.niveau):
        row = data.change_between(van, p.jaar, p.niveau, p.config, ind.id).loc[p.code]
        rows.append(
            {
                "indicator": label(ind, taal),
                "nu": fmt_value(row[constants.WAARDE_TOT], ind.unit, taal),
                "toen": fmt_value(row[constants.WAARDE_VAN], ind.unit, taal),
                "verschil": fmt_number(row[constants.VERSCHIL], taal),
                "klasse": _klasse(row[constants.KLASSE], taal),
            }
        )
    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("toen", t("change.col_then", taal, van=van), numeric=True),
        components.Column("nu", t("change.col_now", taal, tot=p.jaar), numeric=True),
        components.Column("verschil", t("change.col_change", taal), numeric=True),
        components.Column("klasse", t("change.col_class", taal)),
    ]
    parts: list[Any] = [
        *head,
        html.Div(components.table(columns, rows), className="table-wrap"),
    ]
    parts.extend(_gemeente_map(p, van, view) or [])
    return html.Section(parts, className="change")


def _gemeente_map(p: areas.Profile, van: int, view: ViewState) -> list[Any] | None:
    """Change map and biggest movers of the wijken of the area's gemeente."""
    taal = view.taal
    gemeente = p.code if p.niveau == "gemeente" else p.gemeente_code
    if not gemeente or not data.has_statistics(van, "wijk"):
        return None
    layer = data.web_layer(p.jaar, "wijk", gemeente)
    inds = shared(p, van, "wijk")
    if layer is None or not inds:
        return None
    ind = inds[0]
    config = view.scoring.for_niveau("wijk")
    result = data.change_between(van, p.jaar, "wijk", config, ind.id)
    naam = p.naam if p.niveau == "gemeente" else p.gemeentenaam
    title = t(
        "change.map_title", taal, indicator=label(ind, taal), van=van, tot=p.jaar, gemeente=naam
    )
    present = (result[schema.GEMEENTE_CODE] == gemeente).any()
    top = movers(result, gemeente=gemeente, n=5) if present else result.iloc[:0]
    rows = [
        {
            "naam": dcc.Link(str(r[schema.NAAM]), href=area_path(str(code)) + view.carried()),
            "toen": fmt_value(r[constants.WAARDE_VAN], ind.unit, taal),
            "nu": fmt_value(r[constants.WAARDE_TOT], ind.unit, taal),
            "verschil": fmt_number(r[constants.VERSCHIL], taal),
            "klasse": _klasse(r[constants.KLASSE], taal),
        }
        for code, r in top.iterrows()
    ]
    columns = [
        components.Column("naam", column_label(schema.NAAM, taal), render=lambda r: r["naam"]),
        components.Column("toen", t("change.col_then", taal, van=van), numeric=True),
        components.Column("nu", t("change.col_now", taal, tot=p.jaar), numeric=True),
        components.Column("verschil", t("change.col_change", taal), numeric=True),
        components.Column("klasse", t("change.col_class", taal)),
    ]
    return [
        components.card(
            title,
            *change_map(layer, result, ind, title, taal, jaar=p.jaar, niveau="wijk"),
            class_name="map-small",
        ),
        html.H3(t("change.movers_title", taal), className="h-small"),
        html.Div(components.table(columns, rows, caption=title), className="table-wrap"),
    ]
