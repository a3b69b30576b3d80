"""The browser benchmark's plotly baseline (today's renderer): the map figure and its
recolour from the SVG map's paint."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest

from bench import plotlymap
from dashboard import figures, svgmap

GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": code,
            "properties": {},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[5 + i, 52], [5.5 + i, 52], [5.5 + i, 52.5], [5 + i, 52]]],
            },
        }
        for i, code in enumerate(["WK000101", "WK000102", "WK000103"])
    ],
}


def _rec(c: figures.Classification, rows: list[list[str]]) -> dict[str, Any]:
    """The restyle of a classification with hover rows (one row of three texts per area)."""
    columns = [list(col) for col in zip(*rows, strict=True)]
    return plotlymap.restyle(svgmap.paint(c, ["a", "b", "c"], columns, key="k"))


def test_colorscale_centres_every_class() -> None:
    colours = ("#111111", "#222222", "#333333")
    scale = plotlymap.colorscale(colours)
    props = _rec(figures.classify([1, 2, 3]), [["", "", ""]] * 3)
    zmin, zmax = props["zmin"], props["zmax"]
    for z, expected in ((-1, figures.NO_DATA), (0, "#111111"), (1, "#222222"), (2, "#333333")):
        pos = (z - zmin) / (zmax - zmin)
        colour = next(
            c for (a, c), (b, _) in zip(scale[::2], scale[1::2], strict=True) if a <= pos <= b
        )
        assert colour == expected


def test_choropleth_uses_the_blank_map_and_no_geo_trace() -> None:
    c = figures.classify([1.0, 2.0, None])
    rec = _rec(c, [["1", "", ""], ["2", "", ""], ["–", "", ""]])
    fig = plotlymap.choropleth(
        GEOJSON, ["WK000101", "WK000102", "WK000103"], ["A", "<b>B</b>", "C"], rec
    )
    assert fig["layout"]["map"]["style"] == "white-bg"
    assert {t["type"] for t in fig["data"]} == {"choroplethmap"}
    trace = fig["data"][0]
    assert trace["geojson"] is GEOJSON
    assert trace["text"][1] == "&lt;b&gt;B&lt;/b&gt;"
    assert trace["z"] == [0, 1, -1]
    assert "mapbox" not in json.dumps(fig)


def test_restyle_holds_no_geometry() -> None:
    c = figures.classify(np.arange(3000, dtype=float))
    rec = _rec(c, [["x", "y", "z"]] * 3000)
    assert set(rec) == {"z", "zmin", "zmax", "colorscale", "customdata", "hovertemplate"}
    assert rec["customdata"][0] == ["x", "y", "z"]
    assert "coordinates" not in json.dumps(rec)


def test_outlines_trace_is_optional_and_toggled() -> None:
    rec = _rec(figures.classify([1.0]), [["", "", ""]])
    fig = plotlymap.choropleth(
        GEOJSON, ["WK000101"], ["A"], rec, outlines=GEOJSON, show_outlines=False
    )
    assert len(fig["data"]) == 2
    assert fig["data"][1]["visible"] is False
    assert fig["data"][1]["hoverinfo"] == "skip"


def test_background_goes_first() -> None:
    rec = _rec(figures.classify([1.0]), [["", "", ""]])
    fig = plotlymap.choropleth(GEOJSON, ["WK000101"], ["A"], rec, background=GEOJSON)
    assert fig["data"][0]["name"] == "background"


@pytest.mark.parametrize("bounds", [None, (4.8, 52.3, 5.0, 52.4), (float("nan"), 0, 1, 1)])
def test_map_view_is_finite(bounds: tuple[float, float, float, float] | None) -> None:
    center, zoom = plotlymap.map_view(bounds)
    assert math.isfinite(center["lon"]) and 5 <= zoom <= 15


def test_hovertemplate_escapes_labels() -> None:
    template = plotlymap.hovertemplate(["<i>x</i>", "Percentiel"])
    assert "&lt;i&gt;" in template and "customdata[1]" in template


def test_outline_and_background_traces_share_one_shape() -> None:
    rec = _rec(figures.classify([1.0]), [["", "", ""]])
    fig = plotlymap.choropleth(
        GEOJSON,
        ["WK000101"],
        ["A"],
        rec,
        outlines=GEOJSON,
        show_outlines=True,
        background=GEOJSON,
        line={"width": 1.2, "color": plotlymap.OUTLINE},
    )
    background, areas, outlines = fig["data"]
    assert areas["marker"]["line"] == {"width": 1.2, "color": plotlymap.OUTLINE}
    for trace in (background, outlines):
        assert trace["locations"] == ["WK000101", "WK000102", "WK000103"]
        assert trace["z"] == [0, 0, 0] and trace["hoverinfo"] == "skip"
    assert outlines["visible"] is True and "visible" not in background
    assert outlines["marker"]["line"] == {"width": 2.6, "color": plotlymap.OUTLINE}
    plain = plotlymap.choropleth(GEOJSON, ["WK000101"], ["A"], rec)
    assert plain["data"][0]["marker"]["line"] == {"width": 0.4, "color": "#ffffff"}
