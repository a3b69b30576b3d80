"""Pure builders of every figure and map legend; no data access, no Dash callbacks.

The map is a plotly ``choroplethmap`` on the blank ``white-bg`` style (no tiles, no web
fonts, nothing fetched). Values are put in discrete classes (quantiles by default via
mapclassify, fixed classes 0–5 for the stacking count) and drawn with a colour-blind-safe
ColorBrewer palette; areas without a value (missing, suppressed, too few inhabitants) get
class ``-1`` and a distinct grey. Geometry goes into the figure once (:func:`choropleth`);
changing the measure only replaces the trace properties that :func:`recolour` returns, so a
recolour never resends the GeoJSON. Figures are plain dicts: building them is cheap and
serialising them is what Dash does anyway.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import mapclassify
import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, fmt_value, t

# ColorBrewer YlOrRd (sequential, colour-blind safe): light = favourable, dark = problems.
PROBLEM_PALETTE: Final = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
# ColorBrewer YlGnBu for raw values without a "worse" direction (context, higher = better).
NEUTRAL_PALETTE: Final = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA: Final = "#bdbdbd"
"""Grey for areas without a value; no palette colour comes near it."""
OUTLINE: Final = "#1a1a1a"
SERIES: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
"""Okabe–Ito colours for series (area, gemeente, NL, compared areas): colour-blind safe."""

NL_BOUNDS: Final = (3.36, 50.75, 7.23, 53.56)
"""lon/lat bounds of the Netherlands (land and water of the gemeenten)."""
MAP_CONFIG: Final[Mapping[str, Any]] = {
    "displaylogo": False,
    "scrollZoom": True,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage", "sendChartToCloud"],
    "locale": "nl",
}
"""``config`` of the map graph: scroll to zoom; no plotly logo link and no "Share chart"
button (plotly 7 shows one by default and it would upload the chart to Plotly Cloud)."""


@dataclass(frozen=True)
class LegendEntry:
    """One swatch of a map legend: its colour, its label and how many areas it holds."""

    colour: str
    label: str
    count: int


@dataclass(frozen=True)
class Classification:
    """Values of one measure in discrete classes, ready to colour a map.

    Attributes
    ----------
    classes
        Class per area (``-1`` = no data), in the order of the values given.
    colours
        Colour of class 0, 1, …; the no-data grey is separate.
    entries
        Legend swatches, class 0 first, the no-data swatch last.
    method
        ``quantiles``, ``fixed`` or ``unique`` (few distinct values).
    """

    classes: tuple[int, ...]
    colours: tuple[str, ...]
    entries: tuple[LegendEntry, ...]
    method: str

    @property
    def k(self) -> int:
        """Number of classes with a colour."""
        return len(self.colours)


def _palette(k: int, palette: Sequence[str]) -> tuple[str, ...]:
    """Pick ``k`` colours spread over a palette, light to dark."""
    if k <= 0:
        return ()
    if k >= len(palette):
        return tuple(palette)
    idx = np.linspace(0, len(palette) - 1, k).round().astype(int)
    return tuple(palette[i] for i in idx)


def classify(
    values: Sequence[float] | pd.Series,
    *,
    unit: str = "",
    taal: str = "nl",
    k: int = 5,
    fixed: Sequence[int] | None = None,
    palette: Sequence[str] = PROBLEM_PALETTE,
    decimals: int | None = None,
) -> Classification:
    """Put values in classes for a choropleth.

    Parameters
    ----------
    values
        One value per area; NaN / None is "no data".
    unit
        Unit for the legend labels (``%``, ``per 1.000 inwoners``, …).
    k
        Number of quantile classes (fewer when there are fewer distinct values).
    fixed
        Integer classes to use as they are (e.g. ``range(6)`` for the stacking count).
    palette
        Sequential palette, light to dark.
    decimals
        Digits in legend labels; automatic when ``None``.

    Returns
    -------
    Classification
    """
    arr = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(float)
    valid = np.isfinite(arr)
    classes = np.full(arr.shape, -1, dtype=int)
    nodata = int((~valid).sum())
    if fixed is not None:
        levels = list(fixed)
        colours = _palette(len(levels), palette)
        lookup = {v: i for i, v in enumerate(levels)}
        for i in np.flatnonzero(valid):
            classes[i] = lookup.get(round(float(arr[i])), -1)
        labels = [fmt_number(v, taal, decimals=0) for v in levels]
        method = "fixed"
    else:
        uniq = np.unique(arr[valid])
        if len(uniq) == 0:
            colours, labels, method = (), [], "quantiles"
        elif len(uniq) <= k:
            colours = _palette(len(uniq), palette)
            classes[valid] = np.searchsorted(uniq, arr[valid])
            labels = [fmt_value(v, unit, taal, decimals=decimals) for v in uniq]
            method = "unique"
        else:
            q = mapclassify.Quantiles(arr[valid], k=k)
            bins = np.asarray(q.bins, dtype=float)
            classes[valid] = np.asarray(q.yb, dtype=int)
            colours = _palette(len(bins), palette)
            lows = [float(arr[valid].min()), *bins[:-1]]
            labels = [
                f"{fmt_value(lo, unit, taal, decimals=decimals)} – "
                f"{fmt_value(hi, unit, taal, decimals=decimals)}"
                for lo, hi in zip(lows, bins, strict=True)
            ]
            method = "quantiles"
    counts = np.bincount(classes[classes >= 0], minlength=len(colours))
    entries = [
        LegendEntry(c, lab, int(n)) for c, lab, n in zip(colours, labels, counts, strict=True)
    ]
    entries.append(LegendEntry(NO_DATA, t("map.no_data", taal), nodata))
    return Classification(tuple(int(c) for c in classes), tuple(colours), tuple(entries), method)


def colorscale(colours: Sequence[str]) -> list[list[Any]]:
    """Return a stepped plotly colorscale for z in ``-1 … k-1`` (``-1`` = no data grey)."""
    steps = [NO_DATA, *colours]
    n = len(steps)
    if n == 1:
        return [[0.0, NO_DATA], [1.0, NO_DATA]]
    scale: list[list[Any]] = []
    for i, colour in enumerate(steps):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def _z_range(k: int) -> tuple[float, float]:
    """zmin/zmax that put z = -1 … k-1 in the middle of their colour steps."""
    n = k + 1
    # z = -1 maps to the centre of step 0: (z - zmin) / (zmax - zmin) = (i + 0.5) / n.
    return -1.5, -1.5 + n


def hovertemplate(labels: Sequence[str]) -> str:
    """The hover template: name and code, then one line per label with ``customdata[i]``."""
    lines = [f"{html.escape(label)}: %{{customdata[{i}]}}" for i, label in enumerate(labels)]
    return "<b>%{text}</b> (%{location})<br>" + "<br>".join(lines) + "<extra></extra>"


def recolour(
    classification: Classification,
    customdata: list[list[str]],
    template: str,
) -> dict[str, Any]:
    """Return the properties of the area trace that change with the measure.

    The callback writes these into a ``dash.Patch`` of ``data[0]``; the GeoJSON, the
    locations and the names stay in the browser.
    """
    zmin, zmax = _z_range(classification.k)
    return {
        "z": list(classification.classes),
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": colorscale(classification.colours),
        "customdata": customdata,
        "hovertemplate": template,
    }


FIT_BOUNDS: Final = """function(geokey, figure) {
    var meta = figure && figure.layout && figure.layout.meta;
    var b = meta && meta.bounds;
    if (!geokey || !b) { return window.dash_clientside.no_update; }
    var tries = 0;
    function fit() {
        var gd = document.querySelector('#map-graph .js-plotly-plot');
        var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
        if (!sub || !sub.map || !sub.map.loaded()) {
            if (tries++ < 200) { setTimeout(fit, 50); }
            return;
        }
        var m = sub.map;
        var cam = m.cameraForBounds([[b[0], b[1]], [b[2], b[3]]], {padding: 6});
        // The server's first frame assumes a laptop-sized map: keep it when it fits.
        if (cam && Math.abs(cam.zoom - m.getZoom()) > 0.15) { m.jumpTo(cam); }
    }
    fit();
    return geokey;
}"""
"""Clientside function that fits the map to the bounds in ``layout.meta`` once the map
exists, when the first frame (computed for :data:`MAP_SIZE`) is far off: the server cannot
know the map's size (phone or laptop), the browser can."""


MAP_SIZE: Final = (1030, 520)
"""The map's size in pixels on a laptop (the usual screen); the first frame is computed for
it, and the browser refits only where the map is much smaller or larger (phones)."""


def map_view(
    bounds: tuple[float, float, float, float] | None, size: tuple[int, int] = MAP_SIZE
) -> tuple[dict[str, float], float]:
    """Return the centre and zoom that fit lon/lat bounds in a web-mercator map of ``size``
    pixels (512-pixel tiles, as maplibre uses); all NL when ``bounds`` is ``None``."""
    if bounds is None or not all(math.isfinite(b) for b in bounds):
        bounds = NL_BOUNDS
    minx, miny, maxx, maxy = bounds

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    width, height = size
    span_x = max(maxx - minx, 1e-4) / 360
    span_y = max(merc(maxy) - merc(miny), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width / (512 * span_x)), math.log2(height / (512 * span_y))) - 0.1
    center_lat = math.degrees(2 * math.atan(math.exp((merc(miny) + merc(maxy)) / 2)) - math.pi / 2)
    center = {"lon": (minx + maxx) / 2, "lat": center_lat}
    return center, float(min(max(zoom, 4.0), 16.0))


def choropleth(
    geojson: Mapping[str, Any],
    codes: Sequence[str],
    names: Sequence[str],
    recoloured: Mapping[str, Any],
    *,
    bounds: tuple[float, float, float, float] | None = None,
    outlines: Mapping[str, Any] | None = None,
    show_outlines: bool = False,
    uirevision: str = "map",
    label: str = "",
    background: Mapping[str, Any] | None = None,
    line: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the map figure: one trace of areas, optionally one of focus-area outlines.

    Parameters
    ----------
    geojson
        FeatureCollection in EPSG:4326 whose features carry the area code as ``id``.
    codes, names
        Area codes (the features to draw) and their names, in the same order.
    recoloured
        The trace properties of :func:`recolour` (classes, colours, hover).
    bounds
        lon/lat bounds to fit (the browser fits them to the map's real size, see
        :data:`FIT_BOUNDS`); all NL when ``None``.
    outlines
        FeatureCollection of focus areas (``id`` = focus id) to draw as outlines.
    show_outlines
        Whether the outline trace starts visible.
    uirevision
        Keeps the user's pan and zoom while this string stays the same.
    label
        Accessible title of the map (not shown).
    background
        A FeatureCollection drawn underneath in light grey (e.g. the outline of NL); it
        then comes first in ``data``.
    line
        The areas' outline (``width``, ``color``); thin white lines by default.

    Returns
    -------
    dict
        A plotly figure as plain data.
    """
    center, zoom = map_view(bounds)
    areas = {
        "type": "choroplethmap",
        "geojson": geojson,
        "locations": list(codes),
        "featureidkey": "id",
        "text": [html.escape(str(n)) for n in names],
        "showscale": False,
        "marker": {"line": line or {"width": 0.4, "color": "#ffffff"}, "opacity": 0.92},
        "name": "",
        **recoloured,
    }
    data: list[dict[str, Any]] = [areas]
    if outlines is not None and outlines.get("features"):
        focus = _plain_trace(outlines, "focus", fill="rgba(0,0,0,0)", line=(2.6, OUTLINE))
        data.append({**focus, "visible": bool(show_outlines)})
    if background is not None and background.get("features"):
        data.insert(
            0, _plain_trace(background, "background", fill="#e4e8ee", line=(0.6, "#aab3bf"))
        )
    return {
        "data": data,
        "layout": {
            "map": {"style": "white-bg", "center": center, "zoom": zoom},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "uirevision": uirevision,
            "clickmode": "event",
            "dragmode": "pan",
            "showlegend": False,
            "hoverlabel": {"bgcolor": "#ffffff", "font": {"size": 13}},
            "paper_bgcolor": "#f4f6f8",
            "meta": {"label": label, "bounds": list(bounds) if bounds else None},
        },
    }


def _plain_trace(
    geojson: Mapping[str, Any], name: str, *, fill: str, line: tuple[float, str]
) -> dict[str, Any]:
    """A map trace of shapes in one fill colour with outlines, without hover (the focus-area
    outlines over a map, the outline of NL under one)."""
    ids = [f["id"] for f in geojson["features"]]
    return {
        "type": "choroplethmap",
        "geojson": geojson,
        "locations": ids,
        "featureidkey": "id",
        "z": [0] * len(ids),
        "colorscale": [[0, fill], [1, fill]],
        "showscale": False,
        "marker": {"line": {"width": line[0], "color": line[1]}},
        "hoverinfo": "skip",
        "name": name,
    }


def blank() -> dict[str, Any]:
    """An empty figure without axes (shown where a map has nothing to draw yet)."""
    return {
        "data": [],
        "layout": {
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "#f4f6f8",
            "plot_bgcolor": "#f4f6f8",
        },
    }


def profile(
    domains: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    threshold: float,
    taal: str = "nl",
    title: str = "",
) -> dict[str, Any]:
    """Horizontal grouped bars of domain scores (0–100) for several series.

    Parameters
    ----------
    domains
        Domain labels, top to bottom.
    series
        (name, one score per domain; ``None``/NaN = no score) per bar group.
    threshold
        Stacking threshold, drawn as a dotted line.
    """
    data = []
    for i, (name, scores) in enumerate(series):
        xs = [None if _missing(v) else round(float(v), 1) for v in scores]  # type: ignore[arg-type]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(name),
                "y": list(domains),
                "x": xs,
                "marker": {"color": SERIES[i % len(SERIES)]},
                "text": [fmt_number(x, taal, decimals=0) if x is not None else "–" for x in xs],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:.0f}<extra>%{fullData.name}</extra>",
            }
        )
    height = 110 + 34 * max(1, len(domains)) * max(1, len(series)) ** 0.7
    return {
        "data": data,
        "layout": {
            "title": {"text": html.escape(title)} if title else None,
            "barmode": "group",
            "height": int(height),
            "margin": {"l": 10, "r": 30, "t": 60 if title else 36, "b": 40},
            "xaxis": {
                "range": [0, 108],
                "title": {"text": t("unit.score", taal)},
                "fixedrange": True,
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "shapes": [
                {
                    "type": "line",
                    "x0": threshold,
                    "x1": threshold,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"dash": "dot", "color": "#444", "width": 1.5},
                }
            ],
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "font": {"size": 13},
        },
    }


def trend(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str,
    taal: str = "nl",
    title: str = "",
) -> dict[str, Any]:
    """Lines of raw values over the years, one per series (area, gemeente, NL)."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": str(name),
            "x": list(years),
            "y": [None if _missing(v) else float(v) for v in values],  # type: ignore[arg-type]
            "line": {"color": SERIES[i % len(SERIES)], "width": 2.5},
            "marker": {"size": 8},
            "connectgaps": False,
        }
        for i, (name, values) in enumerate(series)
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": html.escape(title)} if title else None,
            "height": 320,
            "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 40},
            "xaxis": {"tickmode": "array", "tickvals": list(years), "fixedrange": True},
            "yaxis": {"title": {"text": html.escape(unit)}, "automargin": True, "fixedrange": True},
            "legend": {"orientation": "h", "y": -0.2},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "separators": ".," if taal == "en" else ",.",
        },
    }


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)
