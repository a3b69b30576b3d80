"""Fetching PDOK "CBS gebiedsindelingen" boundary layers: live from the WFS, or from a mirror.

Live, :func:`fetch_layer` pages through ``GetFeature`` (``startIndex``/``count``, at most
1,000 features a request) with :class:`etl.http.RetryingSession`, checks that it read every
feature the service announced, merges the pages into one GeoJSON FeatureCollection and caches
it under ``settings.raw`` in the mirror layout. Offline, it reads
``<source>/pdok/gebiedsindelingen/<YEAR>/<layer>.json``. A year or layer that is not there is
an answer, not an error: the function returns ``None`` and the caller decides what to warn.
Geometry is returned as served (CRS in the collection's ``crs`` member); :mod:`etl.geometry`
reads it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

from etl.deadline import TableDeadline
from etl.errors import ExtractError, SourceFormatError
from etl.files import utc_now, utc_timestamp
from etl.http import (
    Progress,
    RetryingSession,
    Sleep,
    Target,
    read_json,
    write_json,
)
from etl.settings import Settings

WFS_PATH: Final = "wfs/v1_0"
"""Path of the WFS endpoint under ``<pdok_url>/<YEAR>/``."""

TYPE_PREFIX: Final = "gebiedsindelingen"
"""Namespace prefix of the feature types (``gebiedsindelingen:wijk_gegeneraliseerd``)."""

PAGE_SIZE: Final = 1000
"""Features per request; the most PDOK serves."""

MAX_PAGES: Final = 10_000
"""A stop for a service that never sends a short page (ten million features)."""

SRS: Final = "EPSG:28992"
"""The CRS asked for; the answer's ``crs`` member says what was served."""

LAYER_NAME: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class FetchedLayer:
    """One boundary layer of one year as a single GeoJSON FeatureCollection.

    Attributes
    ----------
    year
        The year of the indeling (``2022``).
    layer
        The PDOK layer, e.g. ``wijk_gegeneraliseerd``.
    collection
        The FeatureCollection with all features; its ``crs`` member is kept as served
        (PDOK serves EPSG:28992; the 2024 mirror holds EPSG:4326).
    origin
        The WFS URL (live) or the file read (offline).
    retrieved
        ISO 8601 time in UTC of the fetch; offline, the file's modification time.
    """

    year: int
    layer: str
    collection: Mapping[str, Any]
    origin: str
    retrieved: str


def fetch_layer(
    year: int,
    layer: str,
    *,
    source: Path | None,
    settings: Settings,
    progress: Progress | None = None,
    sleep: Sleep = time.sleep,
) -> FetchedLayer | None:
    """Fetch every feature of a PDOK "CBS gebiedsindelingen" layer of one year.

    Parameters
    ----------
    year
        The year of the indeling, e.g. ``2022``.
    layer
        ``gemeente_gegeneraliseerd``, ``wijk_gegeneraliseerd`` or ``buurt_gegeneraliseerd``.
    source
        ``None`` to fetch live from ``settings.pdok_url``; else a mirror directory holding
        ``pdok/gebiedsindelingen/<year>/<layer>.json``.
    settings
        Service URL, timeout, retries and backoff, and the cache directory ``settings.raw``.
    progress
        Receives a line per page (``"PDOK wijk_gegeneraliseerd 2022: page 2, 2,000 of 3,340
        features"``).
    sleep
        How to wait between attempts (tests pass a recorder).

    Returns
    -------
    FetchedLayer or None
        ``None`` when the service answers 404 for the year or layer, or the mirror lacks it.

    Raises
    ------
    etl.errors.ExtractError
        When the service keeps failing or times out (the message names layer, year and page).
    etl.errors.SourceFormatError
        When an answer or file is not valid JSON or not a FeatureCollection, or the pages do
        not add up to the number of features the service announced.
    """
    if not LAYER_NAME.match(layer) or not 1000 <= year <= 9999:
        raise ExtractError(
            f"PDOK layer {layer!r} of year {year!r} is not a valid request; use a four-digit "
            "year and a layer such as wijk_gegeneraliseerd (see etl/registry.py PDOK_LAYERS)."
        )
    if source is None:
        return _fetch_live(year, layer, settings=settings, progress=progress, sleep=sleep)
    return _read_mirror(year, layer, Path(source))


def _fetch_live(
    year: int, layer: str, *, settings: Settings, progress: Progress | None, sleep: Sleep
) -> FetchedLayer | None:
    url = f"{settings.pdok_url.rstrip('/')}/{year}/{WFS_PATH}"
    name = f"PDOK {layer} {year}"

    def describe(page_url: str) -> Target:
        start = parse_qs(urlsplit(page_url).query).get("startIndex", ["0"])[0]
        page = int(start) // PAGE_SIZE + 1 if start.isdigit() else "?"
        return Target(
            what=f"{name}, page {page} (startIndex {start})",
            missing=f"PDOK does not serve {layer} for {year}",
        )

    features: list[Any] = []
    head: dict[str, Any] = {}
    matched: int | None = None
    with RetryingSession(
        settings, sleep=sleep, describe=describe, allow_status=frozenset({404})
    ) as session:
        deadline = TableDeadline(name, settings.table_deadline)
        for page in range(1, MAX_PAGES + 1):
            deadline.check(f"page {page}")
            params = {
                "service": "WFS",
                "version": "2.0.0",
                "request": "GetFeature",
                "typeNames": f"{TYPE_PREFIX}:{layer}",
                "outputFormat": "json",
                "srsName": SRS,
                "startIndex": str(len(features)),
                "count": str(PAGE_SIZE),
            }
            response = session.get(url, params=params)
            if response.status_code == 404:
                response.close()
                if page == 1:
                    return None
                raise ExtractError(
                    f"{describe(response.url).what}: PDOK answered 404 in the middle of paging "
                    f"at {response.url}; try again later or build offline with `--source DIR`."
                )
            payload = response.json()
            batch = _features(payload, describe(response.url).what, response.url)
            if page == 1:
                head = payload
                matched = _count(head.get("numberMatched"))
            features.extend(batch)
            if progress is not None:
                of = f" of {matched:,}" if matched is not None else ""
                progress(f"{name}: page {page}, {len(features):,}{of} features")
            if matched is not None and len(features) >= matched:
                break
            if matched is None and len(batch) < PAGE_SIZE:
                break
            if not batch:
                break
    if matched is not None and len(features) != matched:
        raise SourceFormatError(
            f"{name} from {url}: the service announced {matched:,} features but the pages held "
            f"{len(features):,}; try again later or build offline with `--source DIR`."
        )
    collection = _merged(head, features)
    write_json(settings.raw / "pdok" / TYPE_PREFIX / str(year) / f"{layer}.json", collection)
    return FetchedLayer(
        year=year, layer=layer, collection=collection, origin=url, retrieved=utc_now()
    )


def _read_mirror(year: int, layer: str, source: Path) -> FetchedLayer | None:
    path = source / "pdok" / TYPE_PREFIX / str(year) / f"{layer}.json"
    if not path.is_file():
        return None
    what = f"PDOK {layer} {year}"
    collection = read_json(path, what=what)
    _features(collection, what, str(path))
    return FetchedLayer(
        year=year,
        layer=layer,
        collection=collection,
        origin=str(path),
        retrieved=utc_timestamp(path.stat().st_mtime),
    )


def _features(payload: Any, what: str, where: str) -> list[Any]:
    features = payload.get("features") if isinstance(payload, dict) else None
    if not isinstance(features, list) or payload.get("type") != "FeatureCollection":
        raise SourceFormatError(
            f"{what} from {where} is not a GeoJSON FeatureCollection with a 'features' list; "
            "the service may have changed. Build offline with `--source DIR` meanwhile."
        )
    return features


def _count(value: Any) -> int | None:
    """Return ``numberMatched`` as an int; ``None`` where the service says ``"unknown"``."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _merged(head: Mapping[str, Any], features: list[Any]) -> dict[str, Any]:
    """One collection from the first page's members and all features; page links dropped."""
    merged = {k: v for k, v in head.items() if k != "links"}
    for key in ("numberMatched", "numberReturned", "totalFeatures"):
        if key in merged or key == "numberReturned":
            merged[key] = len(features)
    merged["features"] = features
    return merged
