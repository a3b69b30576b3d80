"""The naive baselines on small real slices: the row-by-row scoring gives the vectorised
results, and the naive map draws the same areas with full-resolution geometry."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import shapely

from bench import maps, payloads
from bench.baselines import naive_map, score_rows
from bench.scoring import equal
from dashboard import create_app, ids, mapview, svgmap
from etl import schema
from layers.config import ScoringConfig
from layers.scoring import score


def test_row_by_row_scoring_equals_the_vectorised_recipe(store: Path) -> None:
    crime = schema.read_crime(store)
    stats = schema.read_statistics(store, 2017, "wijk")
    part = stats[stats[schema.GEMEENTE_CODE].isin(["GM0363", "GM0599", "GM0344"])]
    for config in (ScoringConfig(), ScoringConfig(threshold=70.0, min_population=500)):
        fast = score(part, config=config, crime=crime)
        slow = score_rows(part, config=config, crime=crime)
        assert len(slow) == len(part) > 100
        assert equal(fast, slow)
    slow.iloc[0, 0] = (slow.iloc[0, 0] or 0) + 1  # equal() notices a difference
    assert not equal(fast, slow)


def test_naive_map_draws_every_area_at_full_resolution(store: Path) -> None:
    frame = maps.full_resolution(store, 2022, "wijk")
    ams = frame[frame[schema.GEMEENTE_CODE] == "GM0363"].reset_index(drop=True)
    values = pd.Series(range(len(ams)), dtype=float)
    sent = json.loads(naive_map(ams, values))
    trace = sent["response"]["map-graph"]["figure"]["data"][0]
    assert trace["type"] == "choroplethmap" and len(trace["locations"]) == len(ams) == 99
    assert len(trace["geojson"]["features"]) == 99
    web = schema.read_web_geometry(store, 2022, "wijk")
    web = web[web[schema.CODE].str.startswith("WK0363")]
    # Full resolution: more vertices than the web geometry the app sends.
    assert shapely.get_num_coordinates(ams.geometry.to_numpy()).sum() > (
        shapely.get_num_coordinates(web.geometry.to_numpy()).sum()
    )


def test_map_case_measures_app_and_naive_on_amsterdam(store: Path) -> None:
    app = create_app(store)
    client = maps.Client(app)
    cb = client.callbacks
    level = client.post(cb.router("/", "?niveau=gemeente&jaar=2022")).body
    gm_key = payloads.prop(level, ids.MAP_GEOKEY, "data")
    drill = cb.draw_map("?jaar=2022&gemeente=GM0363", gm_key)
    zoomed = client.post(drill).body
    key = payloads.output(zoomed, ids.MAP_GEOKEY, "data")
    assert key.startswith("2022|wijk|GM0363")
    patch = client.post(cb.draw_map("?jaar=2022&gemeente=GM0363&maat=koopwoningen", key))
    paint = payloads.output(patch.body, svgmap.paint_id(mapview.MAP), "data")
    assert paint["key"].startswith("koopwoningen") and patch.sent < patch.decoded  # compressed
    assert payloads.output(patch.body, svgmap.geo_id(mapview.MAP), "data") is None
    frame = maps.full_resolution(store, 2022, "wijk")
    ams = frame[frame[schema.GEMEENTE_CODE] == "GM0363"].reset_index(drop=True)
    values = [pd.Series(1.0, index=ams.index), pd.Series(2.0, index=ams.index)]
    recolour = cb.draw_map("?jaar=2022&gemeente=GM0363&maat=woz_waarde", key)
    case = maps.Case("Amsterdam", drill, [recolour], ams, values)
    got = maps.figures_of(case, client, app.server.config, repeat=1, naive_repeat=1)
    assert len(got) == 4 and all(f.value and f.baseline for f in got)
    by_name = {f.name: f for f in got}
    sent = by_name["Amsterdam, recolour: bytes sent (brotli)"]
    assert sent.ratio > 4  # no geometry resent (the paths stay in the browser)
    assert sent.extra["uncompressed"] > sent.value and "uncompressed" in sent.note


def test_buurt_map_is_reported_not_measurable_without_buurt_boundaries(
    store: Path,
) -> None:
    client = maps.Client(create_app(store))
    (figure,) = maps.buurt_figures(store, client, {}, repeat=1, naive_repeat=1)
    assert figure.value is None and "no buurt boundaries" in figure.note
