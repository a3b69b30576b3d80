"""The peers, change and persistence commands on the store built from the real mirror."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from etl import schema
from layers import constants
from layers.__main__ import main, view
from layers.change import change, persistence
from layers.peers import find_peers

FOCUS = Path(__file__).resolve().parents[2] / "data" / "focusgebieden.csv"


def _years(store: Path) -> list[int]:
    return sorted(y.jaar for y in schema.read_manifest(store).years)


def _latest(store: Path) -> int:
    return _years(store)[-1]


def _focus_wijk(store: Path, year: int) -> str:
    """A focus-area wijk of the year that the store holds (the first listed)."""
    focus = pd.read_csv(FOCUS, dtype=str)
    codes = focus[(focus["indeling_jaar"] == str(year)) & (focus["niveau"] == "wijk")]["code"]
    have = set(schema.read_statistics(store, year, "wijk")[schema.CODE])
    found = [c for c in codes if c in have]
    if not found:
        pytest.skip(f"no focus-area wijk of {year} in the store")
    return found[0]


def test_peers_prints_the_peers_and_writes_the_peer_set(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    year = _latest(store)
    code = _focus_wijk(store, year)
    out = tmp_path / "peers.csv"
    args = ["peers", "--code", code, "--year", str(year), "--store", str(store)]
    assert main([*args, "--k", "5", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    manifest = schema.read_manifest(store)
    expected = find_peers(view(store, manifest, year, "wijk"), code, k=5)
    assert len(expected.codes) == 5
    for peer in expected.codes:
        assert peer in printed
    assert "IQR" in printed and "against its peers" in printed
    frame = pd.read_csv(out)
    assert frame[schema.CODE].tolist() == [code, *expected.codes]
    for feature in expected.features:
        assert feature in frame.columns
    book = pd.read_csv(tmp_path / "peers.codebook.csv")
    described = book.loc[book["kind"] == "column", "column"].tolist()
    assert described == list(frame.columns)
    assert constants.AFSTAND in described


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--code", "WK999999", "--year", "LATEST"], "No area 'WK999999'"),
        (["--code", "XX12", "--year", "LATEST"], "not a CBS region code"),
        (["--code", "WK034403", "--year", "1900"], "has no year 1900"),
        (["--code", "WK034403", "--year", "LATEST", "--weight", "inwoners"], "FEATURE=W"),
        (
            ["--code", "WK034403", "--year", "LATEST", "--weight", "bijstand_per_1000=1"],
            "FEATURE=W",
        ),
        (["--code", "WK034403", "--year", "LATEST", "--k", "0"], "at least 1"),
    ],
)
def test_peers_errors_exit_2(
    store: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [str(_latest(store)) if a == "LATEST" else a for a in argv]
    assert main(["peers", *argv, "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err


def _two_years_with(store: Path, indicator: str) -> tuple[int, int]:
    manifest = schema.read_manifest(store)
    years = [
        y
        for y in _years(store)
        if manifest.has("statistics", y, "wijk")
        and view(store, manifest, y, "wijk")[indicator].notna().any()
    ]
    if len(years) < 2:
        pytest.skip(f"fewer than two editions carry {indicator}")
    return years[0], years[-1]


def test_change_prints_counts_and_movers(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    van, tot = _two_years_with(store, constants.INWONERS)
    argv = ["change", "--indicator", "inwoners", "--from", str(van), "--to", str(tot)]
    assert main([*argv, "--n", "3", "--store", str(store)]) == 0
    printed = capsys.readouterr().out
    manifest = schema.read_manifest(store)
    result = change(
        view(store, manifest, van, "wijk"), view(store, manifest, tot, "wijk"), "inwoners"
    )
    counts = result[constants.STATUS].value_counts()
    assert f"{counts[constants.BEIDE]:,} codes in both" in printed
    assert f"{counts[constants.NIEUW]:,} new" in printed
    biggest = result[constants.VERSCHIL].abs().idxmax()
    assert biggest in printed


def test_change_errors_exit_2(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    year = str(_latest(store))
    argv = ["change", "--indicator", "onbekend", "--from", year, "--to", year]
    assert main([*argv, "--store", str(store)]) == 2
    assert "No indicator 'onbekend'" in capsys.readouterr().err
    argv = ["change", "--indicator", "inwoners", "--from", year, "--to", year]
    assert main([*argv, "--gemeente", "GM9999", "--store", str(store)]) == 2
    assert "GM9999" in capsys.readouterr().err


def test_persistence_prints_the_shares(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    years = _years(store)
    assert main(["persistence", "--years", *map(str, years), "--store", str(store)]) == 0
    printed = capsys.readouterr().out
    codes = {y: schema.read_statistics(store, y, "wijk")[schema.CODE] for y in years}
    table = persistence(codes)
    for year in years:
        assert f"{year}: {len(codes[year]):,} wijk codes" in printed
    for row in table.itertuples():
        cells = rf"{row.van}\s+{row.tot}\s+{row.n_van}\s+{row.n_tot}\s+{row.n_beide}\s"
        assert re.search(cells, printed), cells
