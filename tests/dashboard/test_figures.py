"""Pure figure builders: classes, colours, the map figure, the recolour patch, charts."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from dashboard import figures

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


def test_quantiles_with_no_data_class() -> None:
    values = [float(v) for v in range(100)] + [float("nan"), None]
    c = figures.classify(values, unit="%", k=5)
    assert c.method == "quantiles"
    assert c.k == 5
    assert c.classes[-2:] == (-1, -1)
    assert sorted(set(c.classes)) == [-1, 0, 1, 2, 3, 4]
    assert [e.count for e in c.entries] == [20, 20, 20, 20, 20, 2]
    assert c.entries[-1].colour == figures.NO_DATA
    assert "%" in c.entries[0].label
    assert c.entries[-1].label.startswith("geen gegevens")


def test_fixed_classes_for_stacking() -> None:
    c = figures.classify([0, 1, 1, 5, None], fixed=range(6))
    assert c.method == "fixed"
    assert c.classes == (0, 1, 1, 5, -1)
    assert [e.label for e in c.entries[:6]] == ["0", "1", "2", "3", "4", "5"]
    assert [e.count for e in c.entries] == [1, 2, 0, 0, 0, 1, 1]


def test_few_distinct_values_get_one_class_each() -> None:
    c = figures.classify([1, 1, 2, 3], k=5)
    assert c.method == "unique"
    assert c.classes == (0, 0, 1, 2)


def test_all_missing_gives_only_the_no_data_class() -> None:
    c = figures.classify([None, float("nan")])
    assert c.k == 0
    assert c.classes == (-1, -1)
    assert figures.colorscale(c.colours)[0][1] == figures.NO_DATA


def test_palettes_are_distinct_from_no_data() -> None:
    for palette in (figures.PROBLEM_PALETTE, figures.NEUTRAL_PALETTE):
        assert figures.NO_DATA not in palette
        assert len(set(palette)) == len(palette)


def test_colorscale_centres_every_class() -> None:
    colours = ("#111111", "#222222", "#333333")
    scale = figures.colorscale(colours)
    props = figures.recolour(figures.classify([1, 2, 3]), [["", "", ""]] * 3, "")
    zmin, zmax = props["zmin"], props["zmax"]
    for z, expected in ((-1, figures.NO_DATA), (0, "#111111"), (1, "#222222"), (2, "#333333")):
        pos = (z - zmin) / (zmax - zmin)
        colour = next(
            c for (a, c), (b, _) in zip(scale[::2], scale[1::2], strict=True) if a <= pos <= b
        )
        assert colour == expected


def test_choropleth_uses_the_blank_map_and_no_geo_trace() -> None:
    c = figures.classify([1.0, 2.0, None])
    rec = figures.recolour(c, [["1", "", ""], ["2", "", ""], ["–", "", ""]], "t")
    fig = figures.choropleth(
        GEOJSON, ["WK000101", "WK000102", "WK000103"], ["A", "<b>B</b>", "C"], rec
    )
    assert fig["layout"]["map"]["style"] == "white-bg"
    assert {t["type"] for t in fig["data"]} == {"choroplethmap"}
    trace = fig["data"][0]
    assert trace["geojson"] is GEOJSON
    assert trace["text"][1] == "&lt;b&gt;B&lt;/b&gt;"
    assert trace["z"] == [0, 1, -1]
    assert "mapbox" not in json.dumps(fig)


def test_recolour_holds_no_geometry() -> None:
    c = figures.classify(np.arange(3000, dtype=float))
    rec = figures.recolour(c, [["x", "y", "z"]] * 3000, "t")
    assert set(rec) == {"z", "zmin", "zmax", "colorscale", "customdata", "hovertemplate"}
    assert "coordinates" not in json.dumps(rec)


def test_outlines_trace_is_optional_and_toggled() -> None:
    rec = figures.recolour(figures.classify([1.0]), [["", "", ""]], "t")
    fig = figures.choropleth(
        GEOJSON, ["WK000101"], ["A"], rec, outlines=GEOJSON, show_outlines=False
    )
    assert len(fig["data"]) == 2
    assert fig["data"][1]["visible"] is False
    assert fig["data"][1]["hoverinfo"] == "skip"


def test_background_goes_first() -> None:
    rec = figures.recolour(figures.classify([1.0]), [["", "", ""]], "t")
    fig = figures.choropleth(GEOJSON, ["WK000101"], ["A"], rec, background=GEOJSON)
    assert fig["data"][0]["name"] == "background"


@pytest.mark.parametrize("bounds", [None, (4.8, 52.3, 5.0, 52.4), (float("nan"), 0, 1, 1)])
def test_map_view_is_finite(bounds: tuple[float, float, float, float] | None) -> None:
    center, zoom = figures.map_view(bounds)
    assert math.isfinite(center["lon"]) and 5 <= zoom <= 15


def test_hovertemplate_escapes_labels() -> None:
    template = figures.hovertemplate(["<i>x</i>", "Percentiel"])
    assert "&lt;i&gt;" in template and "customdata[1]" in template


def test_profile_and_trend() -> None:
    fig = figures.profile(
        ["Wonen", "Onderwijs"], [("A", [10.0, None]), ("B", [float("nan"), 90.0])], threshold=80
    )
    assert [t["x"] for t in fig["data"]] == [[10.0, None], [None, 90.0]]
    assert fig["layout"]["shapes"][0]["x0"] == 80
    trend = figures.trend([2017, 2019], [("A", [1.0, None])], unit="%")
    assert trend["data"][0]["y"] == [1.0, None]


def test_outline_and_background_traces_share_one_shape() -> None:
    rec = figures.recolour(figures.classify([1.0]), [["", "", ""]], "t")
    fig = figures.choropleth(
        GEOJSON,
        ["WK000101"],
        ["A"],
        rec,
        outlines=GEOJSON,
        show_outlines=True,
        background=GEOJSON,
        line={"width": 1.2, "color": figures.OUTLINE},
    )
    background, areas, outlines = fig["data"]
    assert areas["marker"]["line"] == {"width": 1.2, "color": figures.OUTLINE}
    for trace in (background, outlines):
        assert trace["locations"] == ["WK000101", "WK000102", "WK000103"]
        assert trace["z"] == [0, 0, 0] and trace["hoverinfo"] == "skip"
    assert outlines["visible"] is True and "visible" not in background
    assert outlines["marker"]["line"] == {"width": 2.6, "color": figures.OUTLINE}
    plain = figures.choropleth(GEOJSON, ["WK000101"], ["A"], rec)
    assert plain["data"][0]["marker"]["line"] == {"width": 0.4, "color": "#ffffff"}
