"""Boundaries: PDOK features to valid polygons in EPSG:28992, and web geometry in EPSG:4326.

PDOK's "CBS gebiedsindelingen" layers come in EPSG:28992 (2022) or EPSG:4326 (2024, simplified
per feature, with small gaps between neighbours). Every computation here happens in
EPSG:28992 (metres). Web geometry is simplified as a coverage (:func:`shapely.coverage_simplify`
keeps the border two neighbours share as one line; simplifying feature by feature opens gaps),
then projected to EPSG:4326 and rounded; rounding can leave empty or invalid rings, which are
repaired or dropped. The same simplified coverage is written as the map's payload: SVG paths
in a fixed screen projection of EPSG:28992 (:func:`map_paths`), rounded to one integer grid so
neighbours still share their border.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.errors import ShapelyError

from etl import schema
from etl.errors import SourceFormatError
from etl.plausibility import check_boundaries
from etl.transform import validate_codes

log = logging.getLogger(__name__)

WEB_TOLERANCE_M: Final[Mapping[str, float]] = {"gemeente": 150.0, "wijk": 40.0, "buurt": 10.0}
"""Simplification tolerance per niveau in metres (EPSG:28992)."""

WEB_PRECISION_DEG: Final = 1e-5
"""Grid of web coordinates in degrees (about 1 m in the Netherlands)."""


def collection_crs(collection: Mapping[str, Any]) -> str:
    """Return the CRS a GeoJSON FeatureCollection declares (``EPSG:4326`` when it names none,
    as RFC 7946 prescribes)."""
    name = str(((collection.get("crs") or {}).get("properties") or {}).get("name") or "")
    for code in ("28992", "4326", "CRS84"):
        if name.endswith(code) or name.endswith(f"EPSG::{code}"):
            return "EPSG:4326" if code == "CRS84" else f"EPSG:{code}"
    if name:
        raise SourceFormatError(f"Unsupported CRS {name!r} in a PDOK answer.")
    return schema.WEB_CRS


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Make geometries valid and keep only their polygonal parts (``make_valid`` can turn a
    self-touching ring into a GeometryCollection with stray lines); no part gives an empty
    polygon."""
    fixed = shapely.make_valid(geoms)
    out: np.ndarray = fixed.copy()
    mixed = ~np.isin(shapely.get_type_id(fixed), (3, 6))  # Polygon, MultiPolygon
    for i in np.flatnonzero(mixed):
        parts = [p for p in shapely.get_parts(fixed[i]) if shapely.get_type_id(p) in (3, 6)]
        out[i] = shapely.union_all(parts) if parts else shapely.Polygon()
    return out


def boundaries(collection: Mapping[str, Any], *, what: str) -> gpd.GeoDataFrame:
    """Read a PDOK FeatureCollection into one valid (multi)polygon per code in EPSG:28992.

    Parameters
    ----------
    collection
        GeoJSON FeatureCollection with properties ``statcode`` and ``statnaam``.
    what
        Names the layer in messages, e.g. ``"PDOK 2022 wijk_gegeneraliseerd"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``naam`` and ``geometry`` (EPSG:28992), sorted by code; adjacent
        features sharing a code are merged, empty ones dropped.

    Raises
    ------
    etl.errors.SourceFormatError
        When the features cannot be read (an unknown geometry type, a missing coordinate),
        or fail :func:`etl.plausibility.check_boundaries` (coordinates outside the
        Netherlands, two different features with one code).
    """
    features = collection.get("features")
    if not isinstance(features, list):
        raise SourceFormatError(f"{what}: not a FeatureCollection.")
    if not features:
        return gpd.GeoDataFrame(
            {schema.CODE: pd.Series(dtype="string"), schema.NAAM: pd.Series(dtype="string")},
            geometry=gpd.GeoSeries([], crs=schema.COMPUTE_CRS),
        )
    crs = collection_crs(collection)
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs=crs)
    except (KeyError, TypeError, ValueError, AttributeError, ShapelyError) as exc:
        raise SourceFormatError(
            f"{what}: features cannot be read ({exc}); an unknown geometry type or a missing "
            "coordinate. Restore the layer from the mirror or fetch it again live."
        ) from exc
    if "statcode" not in frame:
        raise SourceFormatError(f"{what}: features have no 'statcode' property.")
    _check_degrees(frame, crs, what=what)
    try:
        frame = frame.to_crs(schema.COMPUTE_CRS)
        geoms = polygonal(frame.geometry.to_numpy())
    except (TypeError, ValueError, ShapelyError) as exc:
        raise SourceFormatError(
            f"{what}: the features cannot be projected from {crs} to {schema.COMPUTE_CRS} "
            f"({exc}); a coordinate may be missing (NaN) or the layer's CRS wrong."
        ) from exc
    codes = frame["statcode"].astype("string").str.strip()
    out = gpd.GeoDataFrame(
        {
            schema.CODE: codes,
            schema.NAAM: frame.get("statnaam", pd.Series(pd.NA, index=frame.index))
            .astype("string")
            .str.strip(),
        },
        geometry=gpd.GeoSeries(geoms, crs=schema.COMPUTE_CRS),
    )
    for warning in check_boundaries(out, what=what).warnings:
        log.warning(warning)
    if out[schema.CODE].duplicated().any():  # adjacent parts of one area
        out = out.dissolve(by=schema.CODE, aggfunc="first", as_index=False)
    out = out[~out.geometry.is_empty & out.geometry.notna()]
    validate_codes(out[schema.CODE].astype(object), what=what)
    return out.sort_values(schema.CODE).reset_index(drop=True)


def _coverage(frame: gpd.GeoDataFrame, niveau: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes and geometries (EPSG:28992) of the areas with geometry, simplified as a
    coverage with the tolerance of the niveau."""
    has = (frame.geometry.notna() & ~frame.geometry.is_empty).to_numpy()
    geoms = polygonal(frame.geometry.to_numpy()[has])
    simple = shapely.coverage_simplify(geoms, WEB_TOLERANCE_M[niveau])
    return frame[schema.CODE].to_numpy()[has], simple


def _check_degrees(frame: gpd.GeoDataFrame, crs: str, *, what: str) -> None:
    """Refuse coordinates that cannot be longitude and latitude in a layer read as degrees
    (a layer without a ``crs`` member is WGS 84 by RFC 7946; PDOK's own answers are in RD)."""
    if crs != schema.WEB_CRS or frame.empty:
        return
    with np.errstate(invalid="ignore"):
        minx, miny, maxx, maxy = frame.total_bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise SourceFormatError(
            f"{what}: coordinates up to ({maxx:,.0f}, {maxy:,.0f}) are not longitude and "
            "latitude, but the layer is read as WGS 84 because it names no CRS (its 'crs' "
            "member is missing); they look like metres in EPSG:28992. Restore the layer from "
            "the mirror or fetch it again live."
        )


def web_geometry(frame: gpd.GeoDataFrame, *, niveau: str) -> gpd.GeoDataFrame:
    """Simplify areas as a coverage and project them for the web.

    Parameters
    ----------
    frame
        Areas with ``code`` and ``geometry`` in EPSG:28992; rows without geometry are skipped.
    niveau
        Chooses the tolerance from :data:`WEB_TOLERANCE_M`.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code`` and ``geometry`` in EPSG:4326 on a 1e-5° grid; no empty or invalid
        polygons.
    """
    return web_outputs(frame, niveau=niveau)[0]


def web_outputs(frame: gpd.GeoDataFrame, *, niveau: str) -> tuple[gpd.GeoDataFrame, bytes, int]:
    """The web geometry (see :func:`web_geometry`) and the map paths (see :func:`map_paths`)
    of the same coverage simplification, made once: ``(web, payload, areas in payload)``."""
    codes, simple = _coverage(frame, niveau)
    web = gpd.GeoSeries(simple, crs=schema.COMPUTE_CRS).to_crs(schema.WEB_CRS).to_numpy()
    web = polygonal(shapely.set_precision(web, WEB_PRECISION_DEG))
    keep = ~shapely.is_empty(web)
    out = gpd.GeoDataFrame(
        {schema.CODE: codes[keep]},
        geometry=gpd.GeoSeries(web[keep], crs=schema.WEB_CRS),
    ).reset_index(drop=True)
    names = frame.set_index(schema.CODE)[schema.NAAM] if schema.NAAM in frame else None
    payload, n = map_paths(codes, simple, names=names)
    return out, payload, n


def _ring_path(ring: np.ndarray) -> str:
    """One closed ring of screen coordinates (integers) as ``M x y l dx dy … z``; empty when
    fewer than three distinct points remain after rounding."""
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = np.any(ring[1:] != ring[:-1], axis=1)
    ring = ring[keep]
    if len(ring) > 1 and (ring[0] == ring[-1]).all():
        ring = ring[:-1]
    if len(ring) < 3:
        return ""
    steps = np.diff(ring, axis=0).ravel().tolist()
    return f"M{ring[0, 0]} {ring[0, 1]}l" + " ".join(map(str, steps)).replace(" -", "-") + "z"


def screen(coords: np.ndarray) -> np.ndarray:
    """EPSG:28992 coordinates (metres) as integer screen coordinates of the map (see
    :data:`etl.schema.MAP_UNIT_M`); one home for the map's projection."""
    x = np.rint(coords[:, 0] / schema.MAP_UNIT_M)
    y = np.rint((schema.MAP_TOP_M - coords[:, 1]) / schema.MAP_UNIT_M)
    return np.column_stack([x, y]).astype(np.int64)


def svg_path(geom: Any) -> str:
    """A (multi)polygon in EPSG:28992 as one SVG path in screen coordinates (holes included:
    draw it with ``fill-rule: evenodd``); empty when nothing survives rounding."""
    parts = []
    for polygon in shapely.get_parts(geom):
        outer = _ring_path(screen(shapely.get_coordinates(polygon.exterior)))
        if not outer:
            continue
        parts.append(outer)
        for hole in polygon.interiors:
            parts.append(_ring_path(screen(shapely.get_coordinates(hole))))
    return "".join(parts)


def map_paths(
    codes: Sequence[str] | np.ndarray, geoms: np.ndarray, *, names: pd.Series | None = None
) -> tuple[bytes, int]:
    """The map payload: areas as SVG paths in the map's fixed screen projection.

    Shared borders stay shared: a coverage simplified in EPSG:28992 is rounded to the same
    integer grid on both sides of every border.

    Parameters
    ----------
    codes, geoms
        Area codes and their (simplified) geometries in EPSG:28992.
    names
        Area name by code, for tooltips; optional.

    Returns
    -------
    payload, n
        Compact JSON (UTF-8): ``unit_m`` and ``top_m`` (the projection), ``bounds``
        ``[x0, y0, x1, y1]`` of all areas and, per area in the same order, ``codes``,
        ``names``, ``boxes`` (``[x0, y0, x1, y1]``) and ``paths``; and the number of areas
        (areas that rounding empties are left out).
    """
    out: dict[str, list[Any]] = {"codes": [], "names": [], "boxes": [], "paths": []}
    for code, geom in zip(codes, geoms, strict=True):
        d = svg_path(geom)
        if not d:
            continue
        minx, miny, maxx, maxy = shapely.bounds(geom)
        lo = screen(np.array([[minx, maxy]]))[0]
        hi = screen(np.array([[maxx, miny]]))[0]
        name = names.get(code) if names is not None else None
        out["codes"].append(str(code))
        out["names"].append("" if name is None or pd.isna(name) else str(name))
        out["boxes"].append([int(lo[0]), int(lo[1]), int(hi[0]), int(hi[1])])
        out["paths"].append(d)
    boxes = np.array(out["boxes"]).reshape(-1, 4)
    bounds = (
        [
            int(boxes[:, 0].min()),
            int(boxes[:, 1].min()),
            int(boxes[:, 2].max()),
            int(boxes[:, 3].max()),
        ]
        if len(boxes)
        else [0, 0, 0, 0]
    )
    payload = {"unit_m": schema.MAP_UNIT_M, "top_m": schema.MAP_TOP_M, "bounds": bounds, **out}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8"), len(out["codes"])


def attach(stats: pd.DataFrame, bounds: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Join boundaries to statistics on code (left join: every statistics row stays).

    Returns
    -------
    frame, unmatched
        The statistics as a GeoDataFrame in EPSG:28992 (None geometry where no boundary
        matched) and the codes of statistics rows without a boundary.
    """
    geom = bounds.set_index(schema.CODE).geometry
    joined = stats[schema.CODE].map(geom)
    out = gpd.GeoDataFrame(stats.copy(), geometry=gpd.GeoSeries(joined.to_numpy(), crs=geom.crs))
    # PDOK names fill names the CBS extract lacks (2017 has no WijkenEnBuurten list).
    if schema.NAAM in bounds:
        names = stats[schema.CODE].map(bounds.set_index(schema.CODE)[schema.NAAM])
        out[schema.NAAM] = out[schema.NAAM].fillna(names)
    unmatched = stats.loc[joined.isna().to_numpy(), schema.CODE].astype(str).tolist()
    return out.set_crs(schema.COMPUTE_CRS, allow_override=True), unmatched
