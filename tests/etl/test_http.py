"""The retrying session and the mirror files, over real HTTP against the replay server."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from etl.errors import ExtractError, SourceFormatError
from etl.http import RetryingSession, read_json, session_class, write_json
from etl.settings import Settings
from replay import Fault, ReplayServer

FAST = Settings(retries=3, backoff=0.5, backoff_max=3.0, timeout=10.0)


def table_infos(server: ReplayServer) -> str:
    return f"{server.dataderden_url}/ODataFeed/odata/47018NED/TableInfos?$format=json"


def test_backoff_doubles_and_stops_at_the_cap() -> None:
    session = RetryingSession(Settings(backoff=1.0, backoff_max=5.0))
    assert [session.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_retry_after_is_honoured_within_the_cap() -> None:
    session = RetryingSession(Settings(backoff=1.0, backoff_max=10.0))
    assert session.delay(1, retry_after=4.0) == 4.0
    assert session.delay(3, retry_after=2.0) == 4.0  # never shorter than the backoff
    assert session.delay(1, retry_after=3600.0) == 10.0


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_with_backoff(replay: ReplayServer, status: int) -> None:
    replay.inject(Fault(kind="status", path="TableInfos", times=2, status=status))
    sleeps: list[float] = []
    with RetryingSession(FAST, sleep=sleeps.append) as session:
        answer = session.get(table_infos(replay))
    assert answer.json()["value"][0]["Identifier"] == "47018NED"
    assert sleeps == [0.5, 1.0]
    assert replay.count("TableInfos") == 3


def test_retry_after_header_sets_the_wait(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="status", path="TableInfos", status=503, retry_after=2))
    sleeps: list[float] = []
    with RetryingSession(FAST, sleep=sleeps.append) as session:
        assert session.get(table_infos(replay)).status_code == 200
    assert sleeps == [2.0]


def test_permanent_failure_names_url_attempts_error_and_next_step(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="status", path="TableInfos", times=None, status=502))
    sleeps: list[float] = []
    with (
        RetryingSession(FAST, sleep=sleeps.append) as session,
        pytest.raises(ExtractError) as caught,
    ):
        session.get(table_infos(replay))
    message = str(caught.value)
    assert "gave up after 4 attempts" in message
    assert "HTTP 502" in message
    assert "/47018NED/TableInfos" in message
    assert "--source DIR" in message
    assert sleeps == [0.5, 1.0, 2.0]
    assert replay.count("TableInfos") == 4


def test_client_errors_fail_at_once(replay: ReplayServer) -> None:
    sleeps: list[float] = []
    with (
        RetryingSession(FAST, sleep=sleeps.append) as session,
        pytest.raises(ExtractError, match=r"HTTP 400 .*retrying will not help"),
    ):
        session.get(table_infos(replay), params={"$skip": "-3"})
    assert sleeps == []
    assert replay.count("TableInfos") == 1


def test_allowed_status_is_handed_back(replay: ReplayServer) -> None:
    url = f"{replay.cbs_url}/ODataFeed/odata/99999NED/?$format=json"
    with RetryingSession(FAST, allow_status=frozenset({404})) as session:
        assert session.get(url).status_code == 404
    with RetryingSession(FAST) as session, pytest.raises(ExtractError, match="HTTP 404"):
        session.get(url)


def test_truncated_json_is_retried_then_reported(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="truncate", path="TableInfos", times=1))
    with RetryingSession(FAST, sleep=lambda _: None) as session:
        assert session.get(table_infos(replay)).json()["value"]
    replay.inject(Fault(kind="truncate", path="TableInfos", times=None))
    with (
        RetryingSession(FAST, sleep=lambda _: None) as session,
        pytest.raises(SourceFormatError, match=r"not valid JSON \(truncated\?"),
    ):
        session.get(table_infos(replay))


def test_body_cut_off_is_retried(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="drop", path="TableInfos", times=2))
    with RetryingSession(FAST, sleep=lambda _: None) as session:
        assert session.get(table_infos(replay)).json()["value"]
    assert replay.count("TableInfos") == 3


def test_default_timeout_comes_from_settings(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="slow", path="TableInfos", times=None, delay=2.0))
    quick = Settings(retries=1, backoff=0.0, timeout=0.2)
    with (
        RetryingSession(quick) as session,
        pytest.raises(ExtractError, match=r"timeout of 0\.2 s") as caught,
    ):
        session.get(table_infos(replay))
    assert "gave up after 2 attempts" in str(caught.value)


def test_unreachable_service_is_an_extract_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        RetryingSession(Settings(retries=1, backoff=0.0), sleep=lambda _: None) as session,
        pytest.raises(ExtractError, match="no connection"),
    ):
        session.get(f"http://127.0.0.1:{port}/x")


def test_bound_session_class_takes_no_arguments(replay: ReplayServer) -> None:
    seen: list[str] = []
    bound = session_class(FAST, on_json=lambda url, payload: seen.append(url))
    with bound() as session:
        session.get(table_infos(replay))
    assert session.settings is FAST
    assert seen == [table_infos(replay)]


def test_write_json_is_atomic_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "cbs" / "X" / "TypedDataSet.json"
    rows = [{"ID": 0, "Naam": "Súdwest-Fryslân"}]
    write_json(path, rows, indent=1)
    write_json(path, rows + rows, indent=1)
    assert read_json(path, what="X") == rows + rows
    assert "Súdwest" in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["TypedDataSet.json"]  # no temp files


def test_write_json_explains_an_unwritable_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "raw"
    blocker.write_text("a file where a directory should be")
    with pytest.raises(ExtractError, match="ZICHT_RAW"):
        write_json(blocker / "cbs" / "x.json", [])


def test_read_json_names_a_truncated_or_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "TypedDataSet.json"
    path.write_text(json.dumps([{"ID": 0}])[:-3])
    with pytest.raises(SourceFormatError, match=r"TypedDataSet\.json .*truncated\?"):
        read_json(path, what="CBS table X, subtable TypedDataSet")
    with pytest.raises(ExtractError, match="Could not read CBS table X"):
        read_json(tmp_path / "absent.json", what="CBS table X")
