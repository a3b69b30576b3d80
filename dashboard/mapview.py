"""What the map page shows for a view: resolution, colours, legend, notes and table rows.

:func:`resolve` turns a URL's :class:`~dashboard.urls.ViewState` into what can actually be
shown (a year the store has, a measure that year carries, a gemeente that exists);
:func:`paint` classifies the values of the shown areas and builds the hover text;
:func:`render` puts it together for the map callback and says whether the geometry the
browser holds (its *geokey*) can stay, in which case only the recolour properties are sent.
:func:`stacking_map` draws the small maps of the area and focus-area pages the same way.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final

import numpy as np
import pandas as pd
from dash import html

from dashboard import (
    areas,
    components,
    data,
    figures,
    floats,
    ids,
    measures,
    routes,
    svgmap,
    tables,
)
from dashboard.i18n import (
    column_label,
    domain_label,
    fmt_number,
    fmt_share,
    fmt_value,
    join_words,
    t,
    unit,
)
from dashboard.measures import Measure
from dashboard.urls import DEFAULT_MAAT, ViewState, area_path, is_code, parse_view
from etl import schema
from layers.config import ScoringConfig
from layers.constants import INWONERS, SAMENGESTELD, STAPELING, score_column
from layers.indicators import SCORED_DOMAINS as SCORED


@dataclass(frozen=True)
class Resolved:
    """A view made concrete against the store.

    Attributes
    ----------
    view
        The view with year, measure and gemeente replaced by what is shown.
    measure
        The measure drawn.
    measures
        Every measure the year and level carry (the menu).
    config
        The scoring configuration.
    notes
        Messages for the user (measure replaced, domains missing, …).
    """

    view: ViewState
    measure: Measure
    measures: tuple[Measure, ...]
    config: ScoringConfig
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def jaar(self) -> int:
        """The year shown."""
        assert self.view.jaar is not None
        return self.view.jaar

    @property
    def geokey(self) -> str:
        """What the geometry in the browser depends on: year, level, gemeente."""
        return f"{self.jaar}|{self.view.niveau}|{self.view.gemeente or ''}"


def resolve(view: ViewState) -> Resolved | None:
    """Make a view concrete; ``None`` when the store has no data at all for its level.

    Raises
    ------
    etl.schema.StoreError
        When the store is missing.
    """
    taal = view.taal
    jaar = data.resolve_year(view.jaar, view.niveau)
    if jaar is None:
        return None
    gemeente = view.gemeente
    if gemeente and gemeente not in set(data.statistics(jaar, "gemeente")[schema.CODE].astype(str)):
        gemeente = None
    domains = data.scored_domains(jaar, view.niveau)
    available = measures.available(domains, data.carried_indicators(jaar, view.niveau))
    measure = measures.find(available, view.maat)
    notes = []
    have = data.years_with(view.niveau)
    swapped = components.year_swapped(view.jaar, jaar, have, f"niveau.{view.niveau}_plural", taal)
    if swapped:
        notes.append(swapped)
    if measure is None:
        measure = measures.STAPELING_MEASURE
        notes.append(t("map.measure_missing", taal, jaar=jaar, maat=measure.label(taal)))
    if measure.kind in (STAPELING, SAMENGESTELD, "score"):
        notes += domain_notes(jaar, view.niveau, taal)
    if not data.covers_nl(jaar, view.niveau):
        covered = join_words(data.coverage_names(jaar)[:5], taal)
        notes.append(t("map.partial_year", taal, jaar=jaar, names=covered))
    shown = view.with_(jaar=jaar, maat=measure.id, gemeente=gemeente)
    config = shown.scoring.for_niveau(shown.niveau)
    if measure.kind in (STAPELING, SAMENGESTELD, "score"):
        # the view is composed per indicator: say which domains rest on which year
        years_note = areas.domain_years_note(jaar, shown.niveau, config, taal)
        if years_note:
            notes.append(years_note)
    return Resolved(shown, measure, available, config, tuple(notes))


def domain_notes(jaar: int, niveau: str, taal: str) -> list[str]:
    """What the scores of a year and level rest on, when not on every problem domain:
    none at all, or which domains the year carries."""
    domains = data.scored_domains(jaar, niveau)
    if not domains:
        return [t("map.no_domains", taal, jaar=jaar)]
    if len(domains) >= len(SCORED):
        return []
    names = join_words([domain_label(d, taal).lower() for d in domains], taal)
    return [
        t("map.domains_carried", taal, jaar=jaar, n=len(domains), total=len(SCORED), domains=names)
    ]


def next_view(
    view: ViewState, niveau: Any, jaar: Any, maat: Any, gemeente: Any, focus: Any
) -> ViewState:
    """The view after the user changed a map control.

    Choosing a gemeente at niveau gemeente shows its wijken; choosing niveau gemeente
    leaves the gemeente (all NL again). Values are re-validated through the URL parser.
    """
    raw = {"niveau": niveau, "jaar": jaar, "maat": maat, "gemeente": gemeente}
    parsed = parse_view({k: str(v) for k, v in raw.items() if v not in (None, "")})
    new_gemeente = parsed.gemeente if gemeente else None
    new_niveau = parsed.niveau
    if new_niveau == "gemeente" and view.niveau != "gemeente":
        new_gemeente = None
    elif new_gemeente and new_niveau == "gemeente":
        new_niveau = "wijk"
    return view.with_(
        niveau=new_niveau,
        jaar=parsed.jaar,
        maat=parsed.maat,
        gemeente=new_gemeente,
        focus=bool(focus),
    )


def clicked_location(click: Any) -> Any:
    """The ``location`` of the first point of a map's ``clickData``, or ``None`` (for a click
    on nothing, or a value no browser sends)."""
    points = click.get("points") if isinstance(click, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    return points[0].get("location")


def drill_target(click: Any, view: ViewState) -> str | None:
    """Where a click on the map leads: a gemeente → its wijken on the map; a wijk or buurt →
    its area page. ``None`` for a click on nothing."""
    code = clicked_location(click)
    if not is_code(code):
        return None
    if str(code).startswith("GM"):
        return routes.MAP.path() + view.with_(niveau="wijk", gemeente=code).query()
    return area_path(str(code)) + view.carried()


def frame(resolved: Resolved) -> pd.DataFrame:
    """Scores of the areas shown (all of NL, or one gemeente)."""
    scores = data.scores(resolved.jaar, resolved.view.niveau, resolved.config)
    if resolved.view.gemeente:
        scores = scores[scores[schema.GEMEENTE_CODE] == resolved.view.gemeente]
    return scores


def stacked_labels(scores: pd.DataFrame, threshold: float, taal: str) -> list[str]:
    """Per area, the domains at or above the threshold as words (``–`` for none)."""
    names, masks = [], []
    for d in SCORED:
        column = score_column(d)
        if column in scores:
            names.append(domain_label(d, taal).lower())
            values = pd.to_numeric(scores[column], errors="coerce").to_numpy(dtype=float)
            masks.append(np.nan_to_num(values, nan=-1.0) >= threshold)
    if not masks:
        return ["–"] * len(scores)
    hits = np.column_stack(masks)
    return [
        join_words([n for n, hit in zip(names, row, strict=True) if hit], taal) or "–"
        for row in hits
    ]


def values(scores: pd.DataFrame, measure: Measure) -> pd.Series:
    """The values of a measure as floats (NaN = no data)."""
    if measure.id not in scores.columns:
        return pd.Series(np.nan, index=scores.index, dtype=float)
    return pd.to_numeric(scores[measure.id], errors="coerce").astype(float)


def hover(
    scores: pd.DataFrame,
    measure: Measure,
    config: ScoringConfig,
    taal: str,
    provenance: Mapping[str, Mapping[str, object]] | None = None,
) -> tuple[list[str], list[list[str]]]:
    """The hover lines of the areas: their labels and, per label, one text per area: the
    value (unit in the label, not in every row), the percentile where the measure has one,
    and the stacking count or, for the stacking count itself, the domains that stack."""
    vals = values(scores, measure)
    stap = scores[STAPELING] if STAPELING in scores else pd.Series(pd.NA, index=scores.index)
    small = scores.get("te_weinig_inwoners", pd.Series(False, index=scores.index)).fillna(False)
    stap_text = [
        t("flag.small", taal) if is_small else fmt_number(s, taal, decimals=0)
        for s, is_small in zip(stap, small, strict=True)
    ]
    name = measure.label(taal)
    if measure.kind == STAPELING:
        columns = [stap_text, stacked_labels(scores, config.threshold, taal)]
        lines = [name, unit(measure.unit, taal).capitalize()]
    elif measure.kind == "indicator":
        columns = [[fmt_number(v, taal) for v in vals]]
        lines = [f"{name} ({unit(measure.unit, taal)})" if measure.unit else name]
        # where the figure comes from (one source edition for every area of the view): in
        # the line's label, so a recolour still sends one short text per area
        source = areas.source_text((provenance or {}).get(measure.id), taal)
        if source:
            lines[0] += f" · {t('hover.source', taal)}: {source}"
        if measure.percentile and measure.percentile in scores:
            columns.append([fmt_number(p, taal, decimals=0) for p in scores[measure.percentile]])
            lines.append(t("hover.percentile", taal))
        columns.append(stap_text)
        lines.append(column_label(STAPELING, taal))
    else:
        columns = [[fmt_number(v, taal, decimals=0) for v in vals], stap_text]
        lines = [name, column_label(STAPELING, taal)]
    return lines, columns


def paint(
    scores: pd.DataFrame,
    measure: Measure,
    config: ScoringConfig,
    taal: str,
    *,
    focus: bool = True,
    context: Sequence[bool] | None = None,
    provenance: Mapping[str, Mapping[str, object]] | None = None,
) -> tuple[figures.Classification, dict[str, Any]]:
    """Classify the measure's values and return the classes and the map's paint (see
    :func:`dashboard.svgmap.paint`). Areas marked ``context`` are drawn for orientation
    only: they are left out of the classes and the legend's counts; ``provenance``
    (:func:`dashboard.data.provenance`) names an indicator's source in the hover."""
    if context is None:
        classification = classify(scores, measure, taal)
    else:
        background = np.asarray(context, dtype=bool)
        subject = classify(scores[~background], measure, taal)
        it = iter(subject.classes)
        classes = tuple(-2 if bg else next(it) for bg in background)
        entries = subject.entries
        if background.any():
            n = int(background.sum())
            entries += (figures.LegendEntry(svgmap.CONTEXT, t("map.context", taal), n),)
        classification = replace(subject, classes=classes, entries=entries)
    lines, columns = hover(scores, measure, config, taal, provenance)
    key = paint_key(measure, config, taal)
    return classification, svgmap.paint(
        classification, lines, columns, key=key, focus=focus, context=context
    )


def classify(scores: pd.DataFrame, measure: Measure, taal: str) -> figures.Classification:
    """The classes of a measure's values over the areas shown (palette by its direction)."""
    palette = figures.PROBLEM_PALETTE if measure.problem else figures.NEUTRAL_PALETTE
    decimals = 0 if measure.kind in ("score", SAMENGESTELD) else None
    return figures.classify(
        values(scores, measure).to_numpy(),
        unit="",
        taal=taal,
        fixed=measure.fixed_classes,
        palette=palette,
        decimals=decimals,
    )


def paint_key(measure: Measure, config: ScoringConfig, taal: str) -> str:
    """The name of a colouring (a map's ``data-painted``): measure, configuration, language."""
    return f"{measure.id}-{colouring(config, taal)}"


def colouring(config: ScoringConfig, taal: str) -> str:
    """What colours and texts depend on besides the measure: the scoring configuration and
    the language, as a short hash."""
    return f"{zlib.crc32(repr((config, taal)).encode()):08x}"


def stacking_map(
    name: str,
    jaar: int,
    niveau: str,
    layer: data.WebLayer,
    scores: pd.DataFrame,
    config: ScoringConfig,
    taal: str,
    *,
    label: str,
    click: str | None = None,
    context: Sequence[bool] | None = None,
    counted: pd.DataFrame | None = None,
    **options: Any,
) -> list[Any]:
    """A small map of areas coloured by their stacking count, and its legend (area and
    focus-area pages); ``context`` marks areas drawn for orientation only (see
    :func:`paint`), ``counted`` the rows the legend counts when they are not the areas
    drawn (one per focus area, drawn as its wijken); ``options`` go to
    :func:`dashboard.svgmap.geo`."""
    url = svgmap.paths_url(jaar, niveau, layer.gemeente)
    if url is None:
        return [components.note(t("map.no_boundaries", taal, jaar=jaar, niveau=niveau))]
    codes = list(layer.codes)
    shown = scores.reindex(codes)
    measure = measures.STAPELING_MEASURE
    classification, painted = paint(shown, measure, config, taal, context=context)
    if counted is not None:  # fixed classes: the same swatches, other counts
        entries = classify(counted, measure, taal).entries
        rest = classification.entries[len(entries) :]
        classification = replace(classification, entries=entries + rest)
    key = f"{jaar}|{niveau}|{name}|{len(codes)}"
    geo = svgmap.geo(name, url, codes, key=key, label=label, taal=taal, click=click, **options)
    return [
        html.Div(
            svgmap.view(name, geo, painted, label=label, taal=taal, click=click),
            className="map-wrap",
        ),
        legend(classification, measure, taal),
    ]


def shown_unit(measure: Measure, taal: str) -> str:
    """The unit of a measure's values as the legend and the lead state it."""
    return unit(measure.unit, taal)


def legend(classification: figures.Classification, measure: Measure, taal: str) -> html.Figure:
    """The HTML legend of the map for a measure."""
    subtitle = f"{shown_unit(measure, taal)} · {t(measures.direction_key(measure), taal)}"
    method = {
        "fixed": t("map.classes_fixed", taal, n=max(measures.STACKING_CLASSES)),
        "quantiles": t("map.classes_quantiles", taal),
        "unique": t("map.classes_few", taal),
    }[classification.method]
    return components.legend(
        measure.label(taal), subtitle, classification.entries, taal, method=method
    )


def summary(scores: pd.DataFrame, taal: str) -> str:
    """One sentence: how many scored areas stack problems in two or more domains."""
    stap = scores[STAPELING].dropna() if STAPELING in scores else pd.Series(dtype=float)
    stacked = int((stap >= 2).sum())
    return t(
        "map.summary",
        taal,
        n_stacked=fmt_number(stacked, taal),
        n_scored=fmt_number(len(stap), taal),
        share=fmt_share(stacked, len(stap), taal),
    )


def title(measure: Measure, taal: str) -> str:
    """The map page's heading: what the map shows."""
    return t("map.title", taal) if measure.kind == STAPELING else measure.label(taal)


def lead(measure: Measure, config: ScoringConfig, taal: str) -> str:
    """The introduction of the map: what the shown measure is (for the stacking count, with
    the current threshold), then how to use the map."""
    if measure.kind == STAPELING:
        top = fmt_number(100 - config.threshold, taal)
        what = t("map.lead", taal, drempel=top)
    else:
        what = t(
            "map.lead_measure",
            taal,
            maat=measure.label(taal),
            eenheid=shown_unit(measure, taal),
            richting=t(measures.direction_key(measure), taal),
        )
    return f"{what} {t('map.lead_click', taal)}"


def breadcrumbs(resolved: Resolved) -> html.Nav:
    """Nederland › gemeente (when zoomed to one)."""
    view = resolved.view
    taal = view.taal
    items: list[tuple[str, str | None]] = [
        (
            t("map.all_nl", taal),
            routes.MAP.path()
            + view.with_(
                gemeente=None, niveau="gemeente" if view.niveau == "wijk" else view.niveau
            ).query(),
        )
    ]
    if view.gemeente:
        items.append(
            (data.area_name(resolved.jaar, "gemeente", view.gemeente) or view.gemeente, None)
        )
    return components.breadcrumbs(items, taal)


def graph_label(resolved: Resolved) -> str:
    """The accessible name of the map: measure, level and year."""
    taal = resolved.view.taal
    return t(
        "map.graph_label",
        taal,
        maat=resolved.measure.label(taal),
        niveau=t(f"niveau.{resolved.view.niveau}", taal),
        jaar=resolved.jaar,
    )


@dataclass
class MapRender:
    """Everything the map callback sends.

    ``geo`` is set when the paths must be (re)built (see :func:`dashboard.svgmap.geo`),
    else ``None`` and the browser keeps them; ``paint`` recolours them. ``visible`` is False
    when there is no geometry to draw.
    """

    geokey: str
    geo: dict[str, Any] | None
    paint: dict[str, Any] | None
    legend: Any
    notes: list[Any]
    breadcrumbs: Any
    visible: bool
    summary: str
    lead: str = ""
    title: str = ""


MAP: Final = ids.MAP_NAME
"""Name of the map page's map (see :func:`dashboard.svgmap.view`)."""


def focus_groups(jaar: int, niveau: str, codes: Sequence[str]) -> list[list[str]]:
    """Per focus area, the shown areas its outline encloses: its member wijken, the buurten
    in them, or (at niveau gemeente) its gemeente."""
    groups = data.focus_members(jaar, "wijk")
    shown = set(codes)
    out = []
    for members in groups.values():
        if niveau == "wijk":
            group = [c for c in members if c in shown]
        elif niveau == "buurt":
            inside = set(members)
            group = [c for c in codes if schema.wijk_of(c) in inside]
        else:
            group = sorted({g for c in members if (g := schema.gemeente_of(c)) in shown})
        if group:
            out.append(group)
    return out


@data.per_build(maxsize=64)
def render(view: ViewState, geokey: str | None) -> MapRender:
    """Build what the map shows for a view, reusing the browser's paths when they fit;
    made once per view and store build (the result is shared: callers must not change it).

    Parameters
    ----------
    view
        The view from the URL.
    geokey
        The geokey of the paths the browser holds (``None`` on first draw).
    """
    resolved = resolve(view)
    taal = view.taal
    if resolved is None:
        notes: list[Any] = [components.note(t("store.empty_title", taal))]
        return MapRender("", None, None, None, notes, None, False, "", title=t("map.title", taal))
    scores = frame(resolved)
    niveau = resolved.view.niveau
    layer = data.web_layer(resolved.jaar, niveau, resolved.view.gemeente)
    url = svgmap.paths_url(resolved.jaar, niveau, layer.gemeente if layer else None)
    shown = scores if layer is None else scores.reindex(pd.Index(layer.codes, dtype="string"))
    groups = focus_groups(resolved.jaar, niveau, layer.codes) if layer is not None else []
    classification, painted = paint(
        shown, resolved.measure, resolved.config, taal, focus=bool(resolved.view.focus),
        provenance=data.provenance(resolved.jaar, niveau, resolved.config),
    )  # fmt: skip
    notes = [components.note(n) for n in resolved.notes]
    if classification.k == 0:
        notes.append(
            components.note(t("map.measure_empty", taal, jaar=resolved.jaar), kind="warning")
        )
    if resolved.view.focus and not groups:
        notes.append(components.note(t("map.focus_unavailable", taal, jaar=resolved.jaar)))
    common: dict[str, Any] = dict(
        legend=legend(classification, resolved.measure, taal),
        breadcrumbs=breadcrumbs(resolved),
        summary=summary(scores, taal),
        lead=lead(resolved.measure, resolved.config, taal),
        title=title(resolved.measure, taal),
    )
    if layer is None or url is None:
        key = (
            "buurt_needs_gemeente"
            if niveau == "buurt" and data.has_geometry(resolved.jaar, "buurt")
            else "no_boundaries"
        )
        niveau_label = t(f"niveau.{niveau}", taal)
        notes.insert(
            0,
            components.note(
                t(f"map.{key}", taal, jaar=resolved.jaar, niveau=niveau_label), kind="warning"
            ),
        )
        return MapRender("", None, None, notes=notes, visible=False, **common)
    key = map_key(resolved, url)
    geo = None
    if geokey != key:
        geo = svgmap.geo(
            MAP,
            url,
            layer.codes,
            key=key,
            label=graph_label(resolved),
            taal=taal,
            click=ids.MAP_GRAPH,
            drawn=ids.MAP_DRAWN,
            focus=groups,
        )
    return MapRender(key, geo, painted, notes=notes, visible=True, **common)


def map_key(resolved: Resolved, url: str) -> str:
    """The geokey of the paths a resolved view draws (see :func:`render`)."""
    return resolved.geokey + "|" + url


def drawn(view: ViewState) -> tuple[Resolved, data.WebLayer, str] | None:
    """What the map page draws for a view: the resolved view, its areas and the URL of
    their paths; ``None`` when it draws no map (no statistics, no boundaries, buurten
    without a gemeente)."""
    resolved = resolve(view)
    if resolved is None:
        return None
    niveau = resolved.view.niveau
    layer = data.web_layer(resolved.jaar, niveau, resolved.view.gemeente)
    url = svgmap.paths_url(resolved.jaar, niveau, layer.gemeente if layer else None)
    return None if layer is None or url is None else (resolved, layer, url)


def paths_for(view: ViewState) -> str | None:
    """The URL of the map paths the map page draws for a view (for the index page's
    preload), or ``None`` when it draws none or the store cannot say."""
    try:
        shown = drawn(view)
    except schema.StoreError:
        return None
    return shown[2] if shown else None


def recolours(view: ViewState) -> dict[str, Any] | None:
    """Every measure's colouring of a view's areas, so a change of measure recolours the map
    in the browser at once (``zichtMap.recolour``), before the server's paint with the hover
    text arrives: per measure its paint key, classes, palette, legend, heading and lead.

    ``key`` names the bundle (see :func:`recolours_key`); ``geokey`` the paths it fits,
    ``colouring`` the configuration and language (the browser applies the bundle only while
    the map's paint has both); ``texts`` which element shows which entry. ``None`` when the
    view draws no map.
    """
    # every measure's colouring is the same bundle: cached once per view of the store
    return _recolours(view.with_(maat=DEFAULT_MAAT, focus=False, codes=(), met=()))


@data.per_build(maxsize=32)
def _recolours(view: ViewState) -> dict[str, Any] | None:
    shown = drawn(view)
    if shown is None:
        return None
    resolved, layer, url = shown
    taal, config = resolved.view.taal, resolved.config
    scores = frame(resolved).reindex(pd.Index(layer.codes, dtype="string"))
    colourings = {}
    for measure in resolved.measures:
        classification = classify(scores, measure, taal)
        colourings[measure.id] = {
            "key": paint_key(measure, config, taal),
            "classes": list(classification.classes),
            "palette": list(classification.colours),
            "legend": legend(classification, measure, taal),
            "title": title(measure, taal),
            "lead": lead(measure, config, taal),
        }
    return {
        "key": _bundle_key(resolved, url),
        "geokey": map_key(resolved, url),
        "colouring": colouring(config, taal),
        "el": svgmap.element_id(MAP),
        "texts": {ids.MAP_LEGEND: "legend", ids.MAP_TITLE: "title", ids.MAP_LEAD: "lead"},
        "maat": colourings,
    }


def recolours_key(view: ViewState) -> str | None:
    """The name of a view's :func:`recolours` bundle (the paths, the scoring configuration,
    the language), or ``None`` when it draws no map."""
    shown = drawn(view)
    return None if shown is None else _bundle_key(shown[0], shown[2])


def _bundle_key(resolved: Resolved, url: str) -> str:
    return f"{map_key(resolved, url)}|{colouring(resolved.config, resolved.view.taal)}"


@data.per_build(maxsize=64)
def table_rows(
    view: ViewState,
) -> tuple[list[components.Column], list[dict[str, Any]], Measure | None]:
    """Columns and rows of the table under the map (every shown area, unsorted), made once
    per view and store build (shared: callers must not change them)."""
    resolved = resolve(view)
    if resolved is None:
        return [], [], None
    taal = view.taal
    measure = resolved.measure
    scores = frame(resolved)
    percentile = measure.percentile if measure.percentile and measure.percentile in scores else None
    rows = tables.records(
        {
            "code": scores.index.astype(str).tolist(),
            "naam": tables.area_names(scores),
            "gemeente": scores[schema.GEMEENTENAAM].fillna("").astype(str).tolist(),
            INWONERS: floats.column(scores, INWONERS),
            "waarde": floats.as_floats(values(scores, measure)),
            "percentiel": floats.column(scores, percentile),
            STAPELING: floats.column(scores, STAPELING),
        }
    )
    value_unit = measure.unit if measure.kind == "indicator" else ""
    columns = [
        tables.area_name_column(taal, resolved.view.carried()),
        components.Column("code", column_label(schema.CODE, taal)),
    ]
    if view.niveau != "gemeente" and not resolved.view.gemeente:
        columns.append(components.Column("gemeente", column_label(schema.GEMEENTENAAM, taal)))
    columns += [
        tables.number_column(INWONERS, column_label(INWONERS, taal), taal),
        components.Column(
            "waarde",
            measure.label(taal),
            numeric=True,
            render=lambda r: fmt_value(r["waarde"], value_unit, taal),
        ),
    ]
    if percentile is not None:
        columns.append(tables.number_column("percentiel", t("col.percentiel", taal), taal))
    if measure.kind != STAPELING:
        columns.append(tables.number_column(STAPELING, column_label(STAPELING, taal), taal))
    return columns, rows, measure
