"""The live code path (cbsodata and the WFS client) through the replay server."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from etl import schema
from etl.build import BuildOptions, build
from etl.errors import ExtractError, SourceFormatError
from etl.settings import Settings
from replay import Fault, ReplayServer

Checksums = Callable[[Path], dict[str, str]]


def _quiet(_: str) -> None:
    return None


def test_live_build_equals_offline_build(
    shared: Path,
    replay: ReplayServer,
    replay_settings: Settings,
    tmp_path: Path,
    checksums: Checksums,
) -> None:
    live, offline = tmp_path / "live", tmp_path / "offline"
    years = (2017, 2022, 2024)
    build(BuildOptions(years=years, source=None, store=live), settings=replay_settings,
          progress=_quiet)  # fmt: skip
    build(BuildOptions(years=years, source=shared, store=offline), settings=Settings(),
          progress=_quiet)  # fmt: skip
    for jaar in years:
        for niveau in schema.NIVEAUS:
            if not schema.read_manifest(offline).has("statistics", jaar, niveau):
                continue  # 2022 has no NL row
            a = schema.read_statistics(live, jaar, niveau)
            b = schema.read_statistics(offline, jaar, niveau)
            assert list(a.columns) == list(b.columns), (jaar, niveau)
            pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
            assert a.geometry.equals(b.geometry)
    # Every table was asked of its own catalog: police and RIVM of the third-party one.
    third = {schema.CRIME_TABLE, schema.RIVM_TABLE}
    asked = [t for t in replay.log if "/ODataFeed/" in t]
    for table in ("85984NED", "85318NED", "83765NED", *sorted(third)):
        mine = [t for t in asked if f"/ODataFeed/odata/{table}/" in t]
        root = "/dataderden/" if table in third else "/opendata/"
        assert mine and all(t.startswith(root) for t in mine), table
    # Crime (every period) and health are the same store, file for file.
    for kind in ("crime", schema.RIVM):
        ours = {(f.path, f.sha256) for f in schema.read_manifest(live).files if f.kind == kind}
        theirs = {(f.path, f.sha256) for f in schema.read_manifest(offline).files if f.kind == kind}
        assert ours and ours == theirs, kind
    pd.testing.assert_frame_equal(schema.read_crime(live), schema.read_crime(offline))
    mirror_crime = json.loads(
        (shared / "cbs" / schema.CRIME_TABLE / "TypedDataSet.json").read_text()
    )
    periods = {int(r["Perioden"][:4]) for r in mirror_crime}
    assert set(schema.read_crime(live)[schema.PERIODE]) == periods
    # The 18,310 rows of 2024 came in two pages of the feed; the wijk layer in pages of 1,000.
    assert replay.count(r"85984NED/TypedDataSet.*skip=10000") == 1
    assert replay.count(r"2022/wfs.*wijk_gegeneraliseerd") == 4
    # Every answer was cached in the mirror layout, so the build can be repeated offline.
    raw = replay_settings.raw
    assert (raw / "cbs" / "85984NED" / "TypedDataSet.json").is_file()
    assert (raw / "pdok" / "gebiedsindelingen" / "2022" / "wijk_gegeneraliseerd.json").is_file()
    again = tmp_path / "again"
    build(BuildOptions(years=years, source=raw, store=again), settings=Settings(),
          progress=_quiet)  # fmt: skip
    data_files = {k: v for k, v in checksums(live).items() if k != schema.MANIFEST}
    assert {k: v for k, v in checksums(again).items() if k != schema.MANIFEST} == data_files


def test_transient_503s_are_retried_and_the_build_completes(
    replay: ReplayServer, replay_settings: Settings, tmp_path: Path
) -> None:
    replay.inject(Fault(kind="status", path=r"85318NED/TypedDataSet", times=2, status=503))
    replay.inject(Fault(kind="status", path=r"wijk_gegeneraliseerd.*startIndex=1000", times=1))
    manifest = build(
        BuildOptions(years=(2022,), source=None, store=tmp_path / "s", crime=False),
        settings=replay_settings,
        progress=_quiet,
    )
    assert manifest.jaren == (2022,)
    assert replay.count(r"85318NED/TypedDataSet") == 3


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        (Fault(kind="status", path=r"85984NED/TypedDataSet", times=None, status=503),
         ExtractError, r"85984NED.*TypedDataSet"),
        (Fault(kind="drop", path=r"85984NED/TypedDataSet.*skip=10000", times=None),
         ExtractError, r"85984NED.*TypedDataSet.*page 2"),
        (Fault(kind="truncate", path=r"85984NED/TypedDataSet", times=None),
         SourceFormatError, r"85984NED.*TypedDataSet"),
        (Fault(kind="status", path=r"85984NED/DataProperties", times=None, status=404),
         ExtractError, r"DataProperties"),
    ],
)  # fmt: skip
def test_permanent_failure_leaves_the_previous_store_intact(
    replay: ReplayServer,
    replay_settings: Settings,
    tmp_path: Path,
    fault: Fault,
    error: type[Exception],
    message: str,
    checksums: Checksums,
) -> None:
    store = tmp_path / "store"
    build(BuildOptions(years=(2022,), source=None, store=store), settings=replay_settings,
          progress=_quiet)  # fmt: skip
    before = checksums(store)
    replay.inject(fault)
    with pytest.raises(error, match=message):
        build(BuildOptions(years=(2022, 2024), source=None, store=store),
              settings=replay_settings, progress=_quiet)  # fmt: skip
    assert checksums(store) == before
    assert schema.read_manifest(store).jaren == (2022,)


@pytest.mark.parametrize("change", ["missing subtable", "changed schema"])
def test_source_changes_end_clearly_and_leave_the_store(
    linked_mirror: Path, tmp_path: Path, change: str, checksums: Checksums
) -> None:
    mirror = linked_mirror
    error: type[Exception]
    typed = mirror / "cbs" / "85984NED" / "TypedDataSet.json"
    if change == "missing subtable":
        (mirror / "cbs" / "85984NED" / "DataProperties.json").unlink()
        error, message = SourceFormatError, r"85984NED.*no DataProperties"
    else:
        rows = json.loads(typed.read_text(encoding="utf-8"))
        typed.unlink()
        renamed = [{("Inwoners_5" if k == "AantalInwoners_5" else k): v for k, v in r.items()}
                   for r in rows]  # fmt: skip
        typed.write_text(json.dumps(renamed), encoding="utf-8")
        error, message = SourceFormatError, r"Inwoners_5.*schema changed"
    with ReplayServer(mirror) as server:
        settings = Settings(cbs_url=server.cbs_url, dataderden_url=server.dataderden_url,
                            pdok_url=server.pdok_url,
                            raw=tmp_path / "raw", retries=1, backoff=0.0)  # fmt: skip
        store = tmp_path / "store"
        build(BuildOptions(years=(2022,), source=None, store=store), settings=settings,
              progress=_quiet)  # fmt: skip
        before = checksums(store)
        with pytest.raises(error, match=message):
            build(BuildOptions(years=(2024,), source=None, store=store), settings=settings,
                  progress=_quiet)  # fmt: skip
    assert checksums(store) == before
