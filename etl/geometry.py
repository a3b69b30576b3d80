"""Boundaries: PDOK features to valid polygons in EPSG:28992, and web geometry in EPSG:4326.

PDOK's "CBS gebiedsindelingen" layers come in EPSG:28992 (2022) or EPSG:4326 (2024, simplified
per feature, with small gaps between neighbours). Every computation here happens in
EPSG:28992 (metres). Web geometry is simplified as a coverage (:func:`shapely.coverage_simplify`
keeps the border two neighbours share as one line; simplifying feature by feature opens gaps),
then projected to EPSG:4326 and rounded; rounding can leave empty or invalid rings, which are
repaired or dropped because plotly cannot draw them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
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
    has = frame.geometry.notna() & ~frame.geometry.is_empty
    geoms = polygonal(frame.geometry[has].to_numpy())
    simple = shapely.coverage_simplify(geoms, WEB_TOLERANCE_M[niveau])
    web = gpd.GeoSeries(simple, crs=schema.COMPUTE_CRS).to_crs(schema.WEB_CRS).to_numpy()
    web = polygonal(shapely.set_precision(web, WEB_PRECISION_DEG))
    keep = ~shapely.is_empty(web)
    return gpd.GeoDataFrame(
        {schema.CODE: frame.loc[has, schema.CODE].to_numpy()[keep]},
        geometry=gpd.GeoSeries(web[keep], crs=schema.WEB_CRS),
    ).reset_index(drop=True)


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
