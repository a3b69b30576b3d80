"""Fetching PDOK boundary layers: WFS paging through the replay server, and mirror files."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from etl.errors import ExtractError, SourceFormatError
from etl.pdok import fetch_layer
from etl.settings import Settings
from replay import Fault, ReplayServer

WIJK = "wijk_gegeneraliseerd"


def layer_file(shared: Path, year: int, layer: str) -> Path:
    return shared / "pdok" / "gebiedsindelingen" / str(year) / f"{layer}.json"


def collection(shared: Path, year: int, layer: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(layer_file(shared, year, layer).read_text())
    return data


def test_live_fetch_pages_3340_features_in_four_requests(
    replay: ReplayServer, replay_settings: Settings, shared: Path
) -> None:
    lines: list[str] = []
    fetched = fetch_layer(2022, WIJK, source=None, settings=replay_settings, progress=lines.append)
    assert fetched is not None
    assert fetched.collection["features"] == collection(shared, 2022, WIJK)["features"]
    assert fetched.collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::28992"
    assert fetched.collection["numberReturned"] == fetched.collection["numberMatched"] == 3340
    starts = [int(t.split("startIndex=")[1].split("&")[0]) for t in replay.log]
    assert starts == [0, 1000, 2000, 3000]
    assert all("count=1000" in t and "typeNames=gebiedsindelingen:" + WIJK in t for t in replay.log)
    assert lines[-1] == "PDOK wijk_gegeneraliseerd 2022: page 4, 3,340 of 3,340 features"
    assert fetched.origin == f"{replay.pdok_url}/2022/wfs/v1_0"
    assert datetime.fromisoformat(fetched.retrieved).utcoffset() is not None


def test_live_fetch_caches_the_merged_collection_as_the_mirror_has_it(
    replay_settings: Settings, shared: Path
) -> None:
    fetch_layer(2024, WIJK, source=None, settings=replay_settings)
    cached = replay_settings.raw / "pdok" / "gebiedsindelingen" / "2024" / f"{WIJK}.json"
    assert cached.read_bytes() == layer_file(shared, 2024, WIJK).read_bytes()
    offline = fetch_layer(2024, WIJK, source=replay_settings.raw, settings=replay_settings)
    assert offline is not None and offline.origin == str(cached)


@pytest.mark.parametrize(("year", "layer"), [(2022, "buurt_gegeneraliseerd"), (2019, WIJK)])
def test_a_layer_the_service_lacks_is_none(
    replay_settings: Settings, year: int, layer: str
) -> None:
    assert fetch_layer(year, layer, source=None, settings=replay_settings) is None
    assert not replay_settings.raw.exists()


def test_transient_failures_mid_paging_are_retried(
    replay: ReplayServer, replay_settings: Settings, shared: Path
) -> None:
    replay.inject(
        Fault(kind="status", path=r"startIndex=2000", times=2, status=503),
        Fault(kind="drop", path=r"startIndex=3000"),
    )
    sleeps: list[float] = []
    settings = replay_settings.with_(retries=3, backoff=0.5, backoff_max=0.75)
    fetched = fetch_layer(2022, WIJK, source=None, settings=settings, sleep=sleeps.append)
    assert fetched is not None
    assert fetched.collection["features"] == collection(shared, 2022, WIJK)["features"]
    assert len(replay.log) == 7  # 4 pages, 2 + 1 retries
    assert sleeps == [0.5, 0.75, 0.5]


def test_permanent_failure_names_layer_year_and_page(
    replay: ReplayServer, replay_settings: Settings
) -> None:
    replay.inject(Fault(kind="status", path=r"startIndex=1000", times=None, status=500))
    with pytest.raises(ExtractError) as caught:
        fetch_layer(2022, WIJK, source=None, settings=replay_settings)
    message = str(caught.value)
    assert "PDOK wijk_gegeneraliseerd 2022, page 2 (startIndex 1000)" in message
    assert "gave up after 3 attempts" in message and "HTTP 500" in message


def test_mirror_read_and_absent_layer(shared: Path) -> None:
    fetched = fetch_layer(2024, "gemeente_gegeneraliseerd", source=shared, settings=Settings())
    assert fetched is not None
    assert fetched.collection == collection(shared, 2024, "gemeente_gegeneraliseerd")
    assert fetched.origin == str(layer_file(shared, 2024, "gemeente_gegeneraliseerd"))
    assert fetch_layer(2024, "buurt_gegeneraliseerd", source=shared, settings=Settings()) is None


@pytest.mark.parametrize(
    ("content", "says"),
    [('{"type": "FeatureCollection", "feat', r"not valid JSON \(truncated\?"),
     ('{"type": "Feature"}', "not a GeoJSON FeatureCollection")],
)  # fmt: skip
def test_broken_mirror_file_is_named(tmp_path: Path, content: str, says: str) -> None:
    path = layer_file(tmp_path, 2022, WIJK)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(SourceFormatError, match=says):
        fetch_layer(2022, WIJK, source=tmp_path, settings=Settings())


@pytest.mark.parametrize(("year", "layer"), [(22, WIJK), (2022, "../2024/wijk")])
def test_nonsense_requests_are_refused(shared: Path, year: int, layer: str) -> None:
    with pytest.raises(ExtractError, match="not a valid request"):
        fetch_layer(year, layer, source=shared, settings=Settings())
