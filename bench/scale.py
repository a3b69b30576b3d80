"""Scale benchmark: how the map callback and scoring times grow from gemeente to wijk to
buurt level, and whether having every year loaded slows the map down.

- *Map callback*: the real app's map callback through HTTP (:mod:`bench.maps`'s client),
  once with new areas (the codes to draw) and once as a recolour (the paint), for every
  year and level the store has boundaries of (the mirror: 2022 and 2024, gemeente and wijk;
  no buurt boundaries, and none at all for 2017 and 2019).
- *Scoring*: :func:`layers.scoring.score` of all areas of a year and level, for every
  level the year carries (2017 and 2024 have buurten).
- *Growth*: each series gets a fitted exponent ``k`` of time ∝ areasᵏ (least squares on
  logarithms): 1 is linear, below 1 means fixed costs still dominate.
- *Years loaded*: the 2022 wijk map callbacks in a fresh process with only 2022 warm,
  against a fresh process with every year of the store warm (all levels' scores and
  geometry cached), with the resident memory of each.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from bench import payloads
from bench.measure import Figure, child_json, current_mib, median_seconds, peak_mib
from etl import schema
from layers.config import ScoringConfig
from layers.scoring import score

SECTION: Final = "scale"
BASELINE: Final = (
    "growth: the time at each level is reported with its number of areas, and each series "
    "gets a fitted exponent k of time ∝ areasᵏ; years loaded: the same 2022 wijk map "
    "callbacks in a fresh process with only 2022 warm (ratio ≈ 1: more years cost nothing)"
)
LEVELS: Final = ("gemeente", "wijk", "buurt")


def exponent(areas: Sequence[float], seconds: Sequence[float]) -> float:
    """The least-squares slope of log(seconds) on log(areas); NaN for fewer than two sizes."""
    if len(set(areas)) < 2:
        return math.nan
    slope, _ = np.polyfit(np.log(np.asarray(areas, float)), np.log(np.asarray(seconds, float)), 1)
    return float(slope)


def _count(response: Any) -> int:
    from dashboard import mapview, svgmap

    geo = payloads.output(response, svgmap.geo_id(mapview.MAP), "data") or {}
    return len(geo.get("codes") or [])


Point = tuple[str, int, float]
"""One measurement of a series: its label (year and level), areas and seconds."""


def map_series(store: Path, *, repeat: int) -> list[Figure]:
    """Map callback times (new geometry and recolour) per year and level with boundaries:
    one figure per kind, its growth exponent over every year and level."""
    from bench.maps import Client
    from dashboard import create_app

    manifest = schema.read_manifest(store)
    client = Client(create_app(store))
    cb = client.callbacks
    points: dict[str, list[Point]] = {"new geometry": [], "recolour": []}
    for jaar in manifest.jaren:
        for niveau in LEVELS:
            if not manifest.has("web", jaar, niveau):
                continue
            view = f"?niveau={niveau}&jaar={jaar}" + ("&gemeente=GM0363" * (niveau == "buurt"))
            drawn = client.post(cb.draw_map(view, None)).body
            key = payloads.output(drawn, "map-geokey", "data")
            cases = {
                "new geometry": [cb.draw_map(view, None)],
                "recolour": [
                    cb.draw_map(f"{view}&maat={m}", key) for m in ("samengesteld", "stapeling")
                ],
            }
            for kind, bodies in cases.items():
                client.post(bodies[0])
                times = [client.post(bodies[i % len(bodies)]).seconds for i in range(repeat)]
                points[kind].append((f"{jaar} {niveau}", _count(drawn), statistics.median(times)))
    figures = [_growth(f"map callback, {kind}", pts, repeat) for kind, pts in points.items()]
    missing = [f"{j} {n}" for j in manifest.jaren for n in LEVELS
               if manifest.has("statistics", j, n) and not manifest.has("web", j, n)]  # fmt: skip
    figures.append(
        Figure(SECTION, "map callback without boundaries", None, "",
               note=f"not measurable: none for {', '.join(missing)}; scored below")
    )  # fmt: skip
    return figures


def scoring_series(store: Path, *, repeat: int) -> list[Figure]:
    """Scoring times per year and level: one figure per year, its growth exponent over the
    levels (the years carry different indicators, so sizes are compared within a year)."""
    manifest = schema.read_manifest(store)
    crime = schema.read_crime(store)
    config = ScoringConfig()
    figures: list[Figure] = []
    for jaar in manifest.jaren:
        points: list[Point] = []
        for niveau in LEVELS:
            if not manifest.has("statistics", jaar, niveau):
                continue
            frame = schema.read_statistics(store, jaar, niveau)  # type: ignore[arg-type]
            stats = pd.DataFrame(frame.drop(columns=frame.geometry.name))
            t = median_seconds(lambda s=stats: score(s, config=config, crime=crime), repeat=repeat)
            points.append((niveau, len(stats), t))
        if points:
            partial = max(n for _, n, _ in points) < 1000  # 2019: one gemeente only
            figures.append(_growth(f"scoring {jaar}", points, repeat, fit=not partial))
    return figures


def _growth(series: str, points: Sequence[Point], repeat: int, *, fit: bool = True) -> Figure:
    """A series as one figure: the fitted exponent, each point's areas and time in the note."""
    k = exponent([n for _, n, _ in points], [t for _, _, t in points]) if fit else math.nan
    steps = " · ".join(f"{label} {n:,}: {t * 1e3:.1f} ms" for label, n, t in points)
    return Figure(
        SECTION,
        f"{series}: growth exponent k (time ∝ areasᵏ)",
        None if math.isnan(k) else round(k, 2),
        "",
        repeats=repeat,
        note=steps if fit else f"{steps}; not fitted (one gemeente only)",
        extra={"points": [{"level": label, "areas": n, "ms": t * 1e3} for label, n, t in points]},
    )


def loaded(store: str, years: Sequence[int], repeat: int) -> dict[str, Any]:
    """In this (fresh) process: warm every level of ``years``, then time the 2022 wijk map's
    first-map and recolour requests; with the resident memory. Printed as JSON by the child
    that :func:`years_loaded` starts."""
    from bench.maps import Client
    from dashboard import create_app

    client = Client(create_app(Path(store)))
    cb = client.callbacks
    manifest = schema.read_manifest(Path(store))
    for jaar in years:
        for niveau in LEVELS:
            if manifest.has("statistics", jaar, niveau):
                client.post(cb.router("/", f"?niveau={niveau}&jaar={jaar}"))
    first = cb.router("/", "?jaar=2022")
    drawn = client.post(first).body
    key = payloads.prop(drawn, "map-geokey", "data")
    patches = [cb.draw_map(f"?jaar=2022&maat={m}", key) for m in ("samengesteld", "stapeling")]
    out: dict[str, Any] = {"years": list(years)}
    for name, bodies in (("first_map", [first]), ("recolour", patches)):
        client.post(bodies[0])
        times = [client.post(bodies[i % len(bodies)]).seconds for i in range(repeat)]
        out[f"{name}_ms"] = statistics.median(times) * 1e3
    out["rss_mib"] = current_mib()
    out["peak_mib"] = peak_mib()
    return out


def years_loaded(store: Path, *, repeat: int) -> list[Figure]:
    """The 2022 wijk map with one year warm against every year warm, in fresh children."""
    jaren = list(schema.read_manifest(store).jaren)
    if 2022 not in jaren:
        return []
    code = (
        "import json, sys; from bench.scale import loaded; "
        "print(json.dumps(loaded(sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]))))"
    )
    one = child_json(["-c", code, str(store), json.dumps([2022]), str(repeat)])
    every = child_json(["-c", code, str(store), json.dumps(jaren), str(repeat)])
    label = f"{len(jaren)} years warm ({', '.join(map(str, jaren))})"
    base = "only 2022 warm (fresh process)"
    return [
        Figure(SECTION, f"2022 wijk map, first map: server time, {label}", every["first_map_ms"],
               "ms", one["first_map_ms"], base, repeat),
        Figure(SECTION, f"2022 wijk map, recolour: server time, {label}", every["recolour_ms"],
               "ms", one["recolour_ms"], base, repeat),
        Figure(SECTION, f"resident memory of the app process, {label}", every["rss_mib"], "MiB",
               one["rss_mib"], base, note=f"peak {every['peak_mib']:.0f} vs "
               f"{one['peak_mib']:.0f} MiB"),
    ]  # fmt: skip


def run(store: Path, *, repeat: int) -> list[Figure]:
    """Every scale figure."""
    figures = map_series(store, repeat=max(repeat, 3))
    print("  scale: map callbacks done", file=sys.stderr)
    figures += scoring_series(store, repeat=max(repeat, 5))
    print("  scale: scoring done", file=sys.stderr)
    figures += years_loaded(store, repeat=max(repeat, 3))
    return figures
