"""Today's renderer, kept as the browser benchmark's baseline: a plotly ``choroplethmap``.

The dashboard drew its maps this way before the SVG map (:mod:`dashboard.svgmap`): a
``choroplethmap`` trace on the blank ``white-bg`` style (no tiles), discrete classes as a
stepped colorscale of ``z`` (``-1`` = no data grey), and a recolour that patched ``z``,
colours and hover text. :func:`restyle` turns the SVG map's paint (same classes, colours and
hover text) into the trace properties :func:`choropleth` takes and a recolour sends.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

from dashboard.figures import NO_DATA, OUTLINE

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
        The trace properties of :func:`restyle` (classes, colours, hover).
    bounds
        lon/lat bounds to fit, for a map of :data:`MAP_SIZE`; all NL when ``None``.
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


def config() -> dict[str, Any]:
    """The map graph's ``config`` for ``Plotly.newPlot`` (without the Dash-only locale)."""
    return {k: v for k, v in MAP_CONFIG.items() if k != "locale"}


def restyle(paint: Mapping[str, Any]) -> dict[str, Any]:
    """The area trace's properties for a paint (as the old recolour ``Patch`` sent them),
    in the shape ``Plotly.restyle`` takes (one value per trace, in lists)."""
    k = len(paint["palette"])
    zmin, zmax = _z_range(k)
    customdata = [list(row) for row in zip(*paint["values"], strict=True)]
    props = {
        "z": list(paint["classes"]),
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": colorscale(paint["palette"]),
        "customdata": customdata,
        "hovertemplate": hovertemplate(paint["lines"]),
    }
    return props
