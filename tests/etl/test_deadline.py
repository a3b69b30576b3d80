"""A hostile server cannot hold a live fetch: a dripping answer meets the request deadline, a
next link back to itself is caught, endless paging meets the page cap or the table deadline."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from etl.cbs import fetch_table
from etl.deadline import MAX_ROWS, SPARE_PAGES, TableDeadline, page_cap
from etl.errors import ExtractError, SourceFormatError
from etl.settings import Settings
from replay import Fault, ReplayServer

CRIME = "47018NED"
PAGE = 1_000


def _rows(shared: Path) -> int:
    return len(json.loads((shared / "cbs" / CRIME / "TypedDataSet.json").read_text("utf-8")))


@pytest.fixture
def counted_mirror(shared: Path, tmp_path: Path) -> Path:
    """47018NED with ``RecordCount`` in TableInfos, as CBS itself serves it."""
    into = tmp_path / "mirror" / "cbs" / CRIME
    into.mkdir(parents=True)
    for src in (shared / "cbs" / CRIME).glob("*.json"):
        if src.name != "TableInfos.json":
            (into / src.name).symlink_to(src)
    infos = json.loads((shared / "cbs" / CRIME / "TableInfos.json").read_text("utf-8"))
    infos[0]["RecordCount"] = _rows(shared)
    (into / "TableInfos.json").write_text(json.dumps(infos), encoding="utf-8")
    return tmp_path / "mirror"


@pytest.fixture
def server(counted_mirror: Path) -> Iterator[ReplayServer]:
    with ReplayServer(counted_mirror, page_size=PAGE) as replay:
        yield replay


def _settings(server: ReplayServer, tmp_path: Path, **changes: float) -> Settings:
    base = Settings(
        cbs_url=server.cbs_url,
        dataderden_url=server.dataderden_url,
        raw=tmp_path / "raw",
        timeout=5.0,
        retries=0,
    )
    return base.with_(**changes)


def test_a_dripping_answer_ends_at_the_request_deadline(
    server: ReplayServer, tmp_path: Path
) -> None:
    server.inject(Fault(kind="drip", path="TypedDataSet", times=None, delay=0.02))
    settings = _settings(server, tmp_path, deadline=1.0)
    with pytest.raises(ExtractError) as caught:
        fetch_table(CRIME, source=None, settings=settings)
    message = str(caught.value)
    assert "subtable TypedDataSet, page 1" in message
    assert "no complete answer within the deadline of 1 s" in message
    assert "ZICHT_DEADLINE" in message
    received = int(message.split(" bytes received")[0].rsplit("(", 1)[1].replace(",", ""))
    assert 0 < received < 1_000  # at 50 bytes a second: cut off early, not read to the end
    assert not (settings.raw / "cbs" / CRIME).exists()


@pytest.mark.parametrize("times", [1, None], ids=["once", "always"])
def test_a_next_link_back_to_the_same_page_is_caught(
    server: ReplayServer, tmp_path: Path, times: int | None
) -> None:
    server.inject(Fault(kind="self-link", path="TypedDataSet", times=times))
    with pytest.raises(SourceFormatError, match="subtable TypedDataSet, page 1: odata.nextLink"):
        fetch_table(CRIME, source=None, settings=_settings(server, tmp_path))
    assert server.count("TypedDataSet") == 1


def test_endless_paging_stops_at_the_cap_from_the_declared_row_count(
    server: ReplayServer, tmp_path: Path, shared: Path
) -> None:
    server.inject(Fault(kind="endless", path="TypedDataSet", times=None))
    rows = _rows(shared)
    cap = page_cap(rows, PAGE)
    with pytest.raises(ExtractError) as caught:
        fetch_table(CRIME, source=None, settings=_settings(server, tmp_path))
    assert f"more than its {rows:,} rows need ({cap:,} pages)" in str(caught.value)
    assert server.count("TypedDataSet") == cap


def test_endless_paging_stops_at_the_table_deadline(server: ReplayServer, tmp_path: Path) -> None:
    server.inject(Fault(kind="slow", path="TypedDataSet", times=None, delay=0.3))
    settings = _settings(server, tmp_path, table_deadline=0.5)
    with pytest.raises(ExtractError, match=r"past the deadline of 0.5 s .*ZICHT_TABLE_DEADLINE"):
        fetch_table(CRIME, source=None, settings=settings)
    assert 1 <= server.count("TypedDataSet") <= 3


def test_the_table_deadline_counts_from_its_start() -> None:
    now = [100.0]
    deadline = TableDeadline("CBS table X", 10.0, clock=lambda: now[0])
    now[0] = 109.0
    deadline.check("page 3")
    now[0] = 111.0
    with pytest.raises(ExtractError, match="CBS table X: gave up at page 4 after 11 s"):
        deadline.check("page 4")


def test_page_cap_follows_the_row_count_or_falls_back() -> None:
    assert page_cap(17_002, 10_000) == 2 + SPARE_PAGES
    assert page_cap(0, 10_000) == SPARE_PAGES
    for unknown in (None, "many", float("nan"), True, -1):
        assert page_cap(unknown, 10_000) == MAX_ROWS // 10_000 + SPARE_PAGES


def test_fault_options_parse_and_refuse_nonsense() -> None:
    assert Fault.parse("drip,path=TypedDataSet,times=always,delay=0.5") == Fault(
        kind="drip", path="TypedDataSet", times=None, delay=0.5
    )
    assert Fault.parse("status,status=429,retry_after=2") == Fault(
        kind="status", status=429, retry_after=2.0
    )
    for bad in ("teleport", "drip,speed=3", "drip,delay=soon", "status,status=200", "drip,times"):
        with pytest.raises(ValueError):
            Fault.parse(bad)


def test_replay_command_line_serves_a_fault(shared: Path) -> None:
    bad = subprocess.run(
        [sys.executable, "-m", "replay", "--root", str(shared), "--fault", "teleport"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "teleport" in bad.stderr
    with subprocess.Popen(
        [sys.executable, "-m", "replay", "--root", str(shared), "--port", "0",
         "--fault", "self-link,path=TypedDataSet,times=always"],
        stdout=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None
            lines = [proc.stdout.readline() for _ in range(4)]
            # police tables are served by the third-party catalog
            base = next(line for line in lines if line.startswith("ZICHT_DATADERDEN_URL=")).split(
                "="
            )[1]
            assert any(line.startswith("Fault: ") for line in lines)
            url = f"{base.strip()}/ODataFeed/odata/{CRIME}/TypedDataSet?$format=json"
            page = requests.get(url, timeout=30).json()
            assert page["odata.nextLink"].endswith(f"/{CRIME}/TypedDataSet?$format=json")
        finally:
            proc.terminate()
