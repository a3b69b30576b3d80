"""Fetching CBS tables: the unmodified cbsodata client through the replay server, and mirrors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import cbsodata
import cbsodata.cbsodata3
import pytest

from etl.cbs import fetch_table
from etl.errors import ExtractError, SourceFormatError
from etl.settings import Settings
from replay import Fault, ReplayServer

CRIME = "47018NED"
SMALL_PAGE = 50  # rows per page of the small-page server below


def pages(rows: int, page_size: int) -> int:
    """How many pages a replay of ``page_size`` rows per page serves for ``rows`` rows."""
    return max(1, -(-rows // page_size))


def mirror(shared: Path, table: str, sub: str = "TypedDataSet") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((shared / "cbs" / table / f"{sub}.json").read_text())
    return rows


def cbsodata_globals() -> tuple[object, str, bool]:
    return (cbsodata.cbsodata3.Session, cbsodata.options.catalog_url, cbsodata.options.use_https)


@pytest.fixture(scope="module")
def small_pages_server(shared: Path) -> Iterator[ReplayServer]:
    with ReplayServer(shared, page_size=SMALL_PAGE) as server:
        yield server


@pytest.fixture
def small_pages(small_pages_server: ReplayServer, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a replay that pages 47018NED in pages of :data:`SMALL_PAGE` rows."""
    small_pages_server.clear()
    yield Settings(
        cbs_url=small_pages_server.cbs_url,
        dataderden_url=small_pages_server.dataderden_url,
        raw=tmp_path / "raw",
        timeout=10.0,
        retries=2,
        backoff=0.0,
        backoff_max=0.0,
    )
    small_pages_server.clear()


# --------------------------------------------------------------------------------- live


def test_live_fetch_pages_across_the_10000_row_boundary(
    replay: ReplayServer, replay_settings: Settings, shared: Path
) -> None:
    lines: list[str] = []
    fetched = fetch_table("85984NED", source=None, settings=replay_settings, progress=lines.append)
    assert fetched.subtables["TypedDataSet"] == mirror(shared, "85984NED")
    assert len(fetched.subtables["TypedDataSet"]) == 18_310
    assert replay.count(r"/85984NED/TypedDataSet\?") == 2
    assert replay.count(r"/85984NED/TypedDataSet\?.*\$skip=10000") == 1
    assert "85984NED TypedDataSet: page 2, 18,310 rows so far" in lines
    assert set(fetched.subtables) == {
        "TableInfos",
        "TypedDataSet",
        "DataProperties",
        "WijkenEnBuurten",
    }
    assert fetched.origin == f"{replay.cbs_url}/ODataFeed/odata/85984NED/"
    assert datetime.fromisoformat(fetched.retrieved).utcoffset() is not None


def test_live_fetch_caches_every_subtable_in_the_mirror_layout(
    replay_settings: Settings, shared: Path
) -> None:
    fetched = fetch_table("85318NED", source=None, settings=replay_settings)
    cache = replay_settings.raw / "cbs" / "85318NED"
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        p.name for p in (shared / "cbs" / "85318NED").iterdir()
    )
    for path in cache.iterdir():
        assert path.read_bytes() == (shared / "cbs" / "85318NED" / path.name).read_bytes()
    again = fetch_table("85318NED", source=replay_settings.raw, settings=replay_settings)
    assert again.subtables == fetched.subtables  # --source data/raw repeats the build


def test_filters_reach_the_service(
    replay: ReplayServer, replay_settings: Settings, shared: Path
) -> None:
    text = (
        "(SoortMisdrijf eq '0.0.0 ' or SoortMisdrijf eq '1.1.1 ') "
        "and startswith(WijkenEnBuurten,'WK0363A') and Perioden eq '2025JJ00'"
    )
    fetched = fetch_table(CRIME, source=None, settings=replay_settings, filters=text)
    expected = [
        r
        for r in mirror(shared, CRIME)
        if r["SoortMisdrijf"] in ("0.0.0 ", "1.1.1 ")
        and r["WijkenEnBuurten"].startswith("WK0363A")
        and r["Perioden"] == "2025JJ00"
    ]
    assert expected and fetched.subtables["TypedDataSet"] == expected
    assert fetched.subtables["SoortMisdrijf"] == mirror(
        shared, CRIME, "SoortMisdrijf"
    )  # unfiltered


def test_two_transient_503s_are_retried(
    replay: ReplayServer, replay_settings: Settings, shared: Path
) -> None:
    replay.inject(Fault(kind="status", path="TypedDataSet", times=2, status=503))
    sleeps: list[float] = []
    settings = replay_settings.with_(backoff=0.25, backoff_max=1.0)
    fetched = fetch_table(CRIME, source=None, settings=settings, sleep=sleeps.append)
    rows = mirror(shared, CRIME)
    assert fetched.subtables["TypedDataSet"] == rows
    assert replay.count("TypedDataSet") == 2 + pages(len(rows), replay.page_size)
    assert sleeps == [0.25, 0.5]


def test_permanent_503_names_table_subtable_and_page(
    small_pages_server: ReplayServer, small_pages: Settings
) -> None:
    small_pages_server.inject(Fault(kind="status", path=r"TypedDataSet.*skip=50\b", times=None))
    with pytest.raises(ExtractError) as caught:
        fetch_table(CRIME, source=None, settings=small_pages)
    message = str(caught.value)
    assert "CBS table 47018NED, subtable TypedDataSet, page 2" in message
    assert "gave up after 3 attempts" in message
    assert "HTTP 503" in message
    assert "--source DIR" in message
    assert not (small_pages.raw / "cbs" / CRIME).exists()  # nothing half cached


def test_permanently_truncated_json_is_a_source_format_error(
    replay: ReplayServer, replay_settings: Settings
) -> None:
    replay.inject(Fault(kind="truncate", path="DataProperties", times=None))
    with pytest.raises(
        SourceFormatError, match=r"subtable DataProperties, page 1 .*not valid JSON"
    ):
        fetch_table(CRIME, source=None, settings=replay_settings)
    assert replay.count("DataProperties") == 3


def test_transiently_truncated_json_is_retried(
    small_pages_server: ReplayServer, small_pages: Settings, shared: Path
) -> None:
    small_pages_server.inject(Fault(kind="truncate", path=r"TypedDataSet.*skip=100", times=1))
    fetched = fetch_table(CRIME, source=None, settings=small_pages)
    rows = mirror(shared, CRIME)
    assert fetched.subtables["TypedDataSet"] == rows
    assert small_pages_server.count(r"TypedDataSet") == pages(len(rows), SMALL_PAGE) + 1  # 1 retry


def test_connection_dropped_mid_paging_is_retried(
    small_pages_server: ReplayServer, small_pages: Settings, shared: Path
) -> None:
    small_pages_server.inject(Fault(kind="drop", path=r"TypedDataSet.*skip=50\b", times=2))
    fetched = fetch_table(CRIME, source=None, settings=small_pages)
    assert fetched.subtables["TypedDataSet"] == mirror(shared, CRIME)


def test_connection_always_dropped_mid_paging_is_a_clear_error(
    small_pages_server: ReplayServer, small_pages: Settings
) -> None:
    small_pages_server.inject(Fault(kind="drop", path=r"TypedDataSet.*skip=50\b", times=None))
    with pytest.raises(ExtractError, match=r"subtable TypedDataSet, page 2 .*cut off mid-body"):
        fetch_table(CRIME, source=None, settings=small_pages)


def test_slow_answers_time_out_and_say_so(replay: ReplayServer, replay_settings: Settings) -> None:
    replay.inject(Fault(kind="slow", path="TableInfos", times=None, delay=2.0))
    with pytest.raises(ExtractError, match=r"TableInfos, page 1 .*timeout of 0\.2 s"):
        fetch_table(CRIME, source=None, settings=replay_settings.with_(timeout=0.2))
    assert replay.count("TableInfos") == 3


def test_unknown_table_says_so(replay_settings: Settings) -> None:
    with pytest.raises(ExtractError, match=r"HTTP 404.*has no table 99999NED"):
        fetch_table("99999NED", source=None, settings=replay_settings)


def test_missing_subtable_is_named(tmp_path: Path, shared: Path) -> None:
    table = tmp_path / "cbs" / "12345NED"
    table.mkdir(parents=True)
    shutil.copyfile(shared / "cbs" / CRIME / "DataProperties.json", table / "DataProperties.json")
    with ReplayServer(tmp_path) as server:
        settings = Settings(cbs_url=server.cbs_url, raw=tmp_path / "raw", retries=0)
        with pytest.raises(ExtractError, match=r"subtable TypedDataSet.*missing subtable"):
            fetch_table("12345NED", source=None, settings=settings)


def test_cbsodata_globals_are_restored_after_success_and_failure(
    replay: ReplayServer, replay_settings: Settings
) -> None:
    before = cbsodata_globals()
    fetch_table(CRIME, source=None, settings=replay_settings)
    assert cbsodata_globals() == before
    replay.inject(Fault(kind="status", path="TypedDataSet", times=None, status=500))
    with pytest.raises(ExtractError):
        fetch_table(CRIME, source=None, settings=replay_settings)
    assert cbsodata_globals() == before
    assert before[0].__module__ == "requests.sessions"


def test_a_service_url_that_is_not_http_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match="not an http"):
        fetch_table(
            "85318NED", source=None, settings=Settings(cbs_url="opendata.cbs.nl", raw=tmp_path)
        )
    with pytest.raises(ExtractError, match="not an http"):
        fetch_table(
            CRIME, source=None, settings=Settings(dataderden_url="dataderden", raw=tmp_path)
        )


# ------------------------------------------------------------------------------ offline


def test_mirror_read_returns_every_file(shared: Path) -> None:
    fetched = fetch_table("85318NED", source=shared, settings=Settings())
    directory = shared / "cbs" / "85318NED"
    assert set(fetched.subtables) == {p.stem for p in directory.glob("*.json")}
    assert fetched.subtables["TypedDataSet"] == mirror(shared, "85318NED")
    assert fetched.origin == str(directory)
    newest = max(p.stat().st_mtime for p in directory.iterdir())
    assert datetime.fromisoformat(fetched.retrieved).timestamp() == pytest.approx(newest, abs=1)


def test_missing_table_lists_the_directory_looked_in(shared: Path) -> None:
    with pytest.raises(ExtractError) as caught:
        fetch_table("86165NED", source=shared, settings=Settings())
    message = str(caught.value)
    assert str(shared / "cbs" / "86165NED") in message
    assert "85318NED" in message  # what the directory does hold
    assert "omit --source" in message


def test_mirror_without_data_properties_is_refused(tmp_path: Path, shared: Path) -> None:
    table = tmp_path / "cbs" / CRIME
    table.mkdir(parents=True)
    shutil.copyfile(shared / "cbs" / CRIME / "TypedDataSet.json", table / "TypedDataSet.json")
    with pytest.raises(SourceFormatError, match=r"lacks DataProperties\.json"):
        fetch_table(CRIME, source=tmp_path, settings=Settings())


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('[{"ID": 0, "Soort', r"TypedDataSet\.json .*not valid JSON \(truncated\?"),
        ('{"value": []}', "not a list of rows"),
    ],
)
def test_broken_mirror_file_is_named(tmp_path: Path, shared: Path, content: str, says: str) -> None:
    table = tmp_path / "cbs" / CRIME
    table.mkdir(parents=True)
    shutil.copyfile(shared / "cbs" / CRIME / "DataProperties.json", table / "DataProperties.json")
    (table / "TypedDataSet.json").write_text(content)
    with pytest.raises(SourceFormatError, match=says):
        fetch_table(CRIME, source=tmp_path, settings=Settings())


def test_a_table_id_cannot_leave_the_directory(shared: Path) -> None:
    with pytest.raises(ExtractError, match="not a CBS table id"):
        fetch_table("../cbs/85318NED", source=shared, settings=Settings())
