"""Boundaries: CRS handling, repair, one feature per code, coverage-preserving web geometry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import shapely
import shapely.affinity
from shapely.geometry import box, mapping

from etl import geometry, schema
from etl.errors import SourceFormatError

AMERSFOORT = (155_000, 463_000)
"""The origin of EPSG:28992's false easting and northing: shapes in metres are moved there so
that they lie in the Netherlands."""


def _collection(features: list[tuple[str, Any]], crs: str = "EPSG::28992") -> dict[str, Any]:
    if crs == "EPSG::28992":
        features = [(c, shapely.affinity.translate(g, *AMERSFOORT)) for c, g in features]
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:{crs}"}},
        "features": [
            {"type": "Feature", "properties": {"statcode": c, "statnaam": c.lower()},
             "geometry": mapping(g)}
            for c, g in features
        ],
    }  # fmt: skip


def test_two_halves_of_one_code_become_one_feature() -> None:
    coll = _collection(
        [("WK000101", box(0, 0, 100, 100)), ("WK000101", box(100, 0, 200, 100)),
         ("WK000102", box(0, 100, 200, 200))]
    )  # fmt: skip
    frame = geometry.boundaries(coll, what="test")
    assert frame[schema.CODE].tolist() == ["WK000101", "WK000102"]
    assert frame.crs == schema.COMPUTE_CRS
    assert frame.geometry.area.tolist() == pytest.approx([20000.0, 20000.0])


def test_bow_tie_is_repaired_and_stray_lines_dropped() -> None:
    bow = shapely.Polygon([(0, 0), (100, 100), (100, 0), (0, 100), (0, 0)])
    assert not bow.is_valid
    frame = geometry.boundaries(_collection([("GM0001", bow)]), what="test")
    assert frame.geometry.is_valid.all()
    assert frame.geometry.iloc[0].geom_type in {"Polygon", "MultiPolygon"}
    assert frame.geometry.area.iloc[0] == pytest.approx(5000.0)


def test_wgs84_input_is_projected_to_rd_new() -> None:
    square = box(5.0, 52.0, 5.01, 52.01)
    frame = geometry.boundaries(_collection([("GM0001", square)], crs="EPSG::4326"), what="t")
    x, y = frame.geometry.iloc[0].centroid.coords[0]
    assert 100_000 < x < 200_000 and 400_000 < y < 500_000  # metres in EPSG:28992


def test_unknown_crs_and_missing_statcode_are_clear_errors() -> None:
    with pytest.raises(SourceFormatError, match="Unsupported CRS"):
        geometry.boundaries(_collection([("GM0001", box(0, 0, 1, 1))], crs="EPSG::3857"), what="t")
    coll = _collection([("GM0001", box(0, 0, 1, 1))])
    coll["features"][0]["properties"] = {"naam": "x"}
    with pytest.raises(SourceFormatError, match="statcode"):
        geometry.boundaries(coll, what="t")


def test_web_geometry_keeps_shared_borders_shared(shared: Path) -> None:
    path = shared / "pdok" / "gebiedsindelingen" / "2022" / "wijk_gegeneraliseerd.json"
    coll = json.loads(path.read_text(encoding="utf-8"))
    frame = geometry.boundaries(coll, what="2022 wijk")
    gm = frame[frame[schema.CODE].str.startswith("WK0363")]  # Amsterdam, many neighbours
    web = geometry.web_geometry(gm, niveau="wijk")
    assert len(web) == len(gm)
    assert web.crs == schema.WEB_CRS
    assert web.geometry.is_valid.all() and not web.geometry.is_empty.any()
    # Neighbours neither overlap nor open gaps: the union's area equals the sum of areas.
    rd = web.to_crs(schema.COMPUTE_CRS)
    union = shapely.union_all(rd.geometry.to_numpy())
    assert union.area == pytest.approx(rd.geometry.area.sum(), rel=2e-3)
    # And simplification did not drift far from the source area.
    assert rd.geometry.area.sum() == pytest.approx(gm.geometry.area.sum(), rel=2e-2)


def test_attach_is_a_left_join_reporting_unmatched_codes() -> None:
    stats = pd.DataFrame({schema.CODE: ["WK000101", "WK000199"], schema.NAAM: [None, "b"]})
    bounds = geometry.boundaries(_collection([("WK000101", box(0, 0, 1, 1))]), what="t")
    frame, unmatched = geometry.attach(stats, bounds)
    assert unmatched == ["WK000199"]
    assert frame.geometry.isna().tolist() == [False, True]
    assert frame[schema.NAAM].tolist() == ["wk000101", "b"]  # PDOK name fills a missing one


def _vertices(d: str) -> set[tuple[int, int]]:
    """Absolute vertices of an SVG path of ``M x y l dx dy … z`` rings."""
    import re

    points: set[tuple[int, int]] = set()
    for ring in re.findall(r"M(-?\d+) (-?\d+)l([^z]*)z", d):
        x, y = int(ring[0]), int(ring[1])
        points.add((x, y))
        steps = [int(v) for v in re.findall(r"-?\d+", ring[2])]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.add((x, y))
    return points


def test_map_paths_keep_shared_borders_and_holes_and_drop_specks() -> None:
    left = shapely.Polygon(
        [(100000, 400000), (100555, 400000), (100555, 401000), (100000, 401000)],
        holes=[[(100100, 400100), (100200, 400100), (100200, 400200)]],
    )
    right = box(100555, 400000, 101000, 401000)
    speck = box(200000, 400000, 200002, 400002)  # smaller than one map unit
    payload, n = geometry.map_paths(
        ["WK000101", "WK000102", "WK000103"],
        shapely.coverage_simplify([left, right, speck], 1.0),
        names=pd.Series({"WK000101": "Links"}),
    )
    data = json.loads(payload)
    assert n == 2 and data["codes"] == ["WK000101", "WK000102"]
    assert data["names"] == ["Links", ""]
    a, b = (_vertices(d) for d in data["paths"])
    border = {(v[0], v[1]) for v in a & b}
    x = round(100555 / schema.MAP_UNIT_M)
    assert {p[0] for p in border} == {x} and len(border) == 2  # one shared edge, both ends
    assert data["paths"][0].count("M") == 2  # exterior and hole
    top = round((schema.MAP_TOP_M - 401000) / schema.MAP_UNIT_M)
    assert data["boxes"][0][1] == top and data["bounds"][1] == top
