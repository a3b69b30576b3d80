"""Exports: column order, the codebook, safe CSV in both flavours, and the command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import schema
from layers import constants
from layers.__main__ import main
from layers.config import ScoringConfig
from layers.export import codebook, export_frame, to_csv
from layers.indicators import INDICATORS
from layers.scoring import score, score_groups

TinyStats = Callable[..., pd.DataFrame]
REPO = Path(__file__).resolve().parents[2]
VINTAGE = {"jaar": 2019, "niveau": "wijk", "kwb_table": "84583NED", "columns": {}}


def _read(data: bytes, *, excel: bool, **options: object) -> pd.DataFrame:
    if excel:
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", **options)
    return pd.read_csv(io.BytesIO(data), **options)


@pytest.fixture
def scores(make_stats: TinyStats) -> pd.DataFrame:
    stats = make_stats(
        4,
        AantalInwoners=[1000, 150, 2500, 4000],
        PercentageOnbewoond=[1.5, 2, np.nan, 0.1],
        PersonenPerSoortUitkeringBijstand=[12, 1, 90, 33],
        MateVanStedelijkheid=[1, 5, 2, 3],
    )
    stats[schema.NAAM] = ['=HYPERLINK("http://x")', "+31 buurt", "-min", "'s-Gravenhage"]
    return score(stats)


def test_export_frame_puts_code_first_and_keeps_every_score_column(scores: pd.DataFrame) -> None:
    frame = export_frame(scores)
    assert frame.columns[0] == schema.CODE
    assert set(frame.columns) == {schema.CODE, *scores.columns}
    assert list(frame[schema.CODE]) == list(scores.index)
    assert frame.columns.get_loc(constants.STAPELING) < frame.columns.get_loc("leegstand")


def test_codebook_lists_every_column_then_parameters_and_vintage(scores: pd.DataFrame) -> None:
    frame = export_frame(scores)
    config = ScoringConfig(threshold=70)
    book = codebook(list(frame.columns), config=config, vintage=VINTAGE)
    described = book[book["kind"] == "column"]
    assert described["column"].tolist() == list(frame.columns)
    assert described["definition"].str.len().gt(0).all()
    row = described.set_index("column").loc["bijstand_per_1000"]
    assert row["source_table"] == "84583NED"
    assert row["unit"] == "per 1 000 inwoners"
    assert row["direction"] == "hoger_slechter"
    wonen = described.set_index("column").loc["score_wonen", "definition"]
    assert "leegstand" in wonen and "Left out, not in this year's data: " in wonen
    params = book[book["kind"] == "parameter"].set_index("column")["value"]
    assert ScoringConfig.from_dict(json.loads(params["scoring_config"])) == config
    assert book[book["kind"] == "vintage"]["column"].tolist() == list(VINTAGE)
    with pytest.raises(ValueError, match="cannot describe column 'geheim'"):
        codebook(["geheim"], config=config, vintage=VINTAGE)


def test_formula_injection_is_neutralised(scores: pd.DataFrame) -> None:
    frame = export_frame(scores).assign(extra=["@SUM(A1)", "\tx", "\rx", "ok"])
    frame = frame.rename(columns={"extra": "=kop"})
    back = _read(to_csv(frame), excel=False)
    assert back.columns[-1] == "'=kop"
    assert back[schema.NAAM].tolist() == [
        "'=HYPERLINK(\"http://x\")", "'+31 buurt", "'-min", "'s-Gravenhage",
    ]  # fmt: skip
    assert back["'=kop"].tolist() == ["'@SUM(A1)", "'\tx", "'\rx", "ok"]


@pytest.mark.parametrize("excel", [False, True])
def test_exports_round_trip_through_pandas(make_stats: TinyStats, excel: bool) -> None:
    stats = make_stats(
        5,
        AantalInwoners=[1000, 150, 2500, 4000, 777],
        PercentageOnbewoond=[1.5, 2, np.nan, 0.1, 3.3],
        WmoClienten=[12, 1, 90, 33, 7],
    )
    stats[schema.NAAM] = ["Één", "Noord; Oost", 'Zuid "centrum"', "Laan, 1,5", "Ĳsselmonde"]
    frame = export_frame(score(stats))
    data = to_csv(frame, excel=excel)
    assert data.startswith(b"\xef\xbb\xbf") == excel
    back = _read(data, excel=excel)
    assert list(back.columns) == list(frame.columns)
    for col in frame.columns:
        if pd.api.types.is_float_dtype(frame[col]):
            np.testing.assert_array_equal(back[col].to_numpy(), frame[col].to_numpy(), col)
        elif col == constants.STAPELING:
            assert back[col].astype("Int64").equals(frame[col])
        elif col == schema.WIJK_CODE or frame[col].isna().all():
            assert back[col].isna().all()
        else:
            assert back[col].astype(str).tolist() == frame[col].astype(str).tolist(), col


def test_the_codebook_round_trips_too() -> None:
    book = codebook(["code", "inwoners"], config=ScoringConfig(), vintage=VINTAGE)
    for excel in (False, True):
        back = _read(to_csv(book, excel=excel), excel=excel, dtype=str, keep_default_na=False)
        assert back.to_numpy().tolist() == book.to_numpy().tolist()


def test_groups_export_with_counts_and_coverage(make_stats: TinyStats) -> None:
    stats = make_stats(4, PercentageOnbewoond=[1, 2, 3, 4])
    groups = score_groups(stats, {"g": list(stats[schema.CODE][:2])})
    frame = export_frame(groups)
    book = codebook(list(frame.columns), config=ScoringConfig(), vintage=VINTAGE)
    assert {constants.N_GEBIEDEN, "leegstand_dekking"} <= set(book["column"])
    assert frame[constants.N_GEBIEDEN].tolist() == [2]


# --- the command line ------------------------------------------------------------------------


def test_cli_writes_scores_and_codebook(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.csv"
    assert (
        main(
            [
                "export",
                "--year",
                "2022",
                "--niveau",
                "wijk",
                "--out",
                str(out),
                "--store",
                str(store),
            ]
        )
        == 0
    )
    frame = pd.read_csv(out)
    book = pd.read_csv(tmp_path / "scores.codebook.csv")
    assert len(frame) == 3340
    assert frame.columns[0] == schema.CODE
    assert book.loc[book["kind"] == "column", "column"].tolist() == list(frame.columns)
    vintage = book[book["kind"] == "vintage"].set_index("column")["value"]
    assert vintage["kwb_table"] == "85318NED"
    keys = book[book["kind"] == "column"].set_index("column")["cbs_key"]
    assert keys["koopwoningen"] == "Koopwoningen_40 + Woningvoorraad_34"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.codebook.csv", "scores.csv"]


def test_cli_excel_focus_areas_with_crime(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "focus.csv"
    args = ["export", "--year", "2024", "--out", str(out), "--store", str(store)]
    assert main([*args, "--excel", "--focusgebieden", "--weight", "veiligheid=2"]) == 0
    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert len(frame) == 20
    amsterdam = frame[frame[schema.GEMEENTE_CODE] == "GM0363"]
    assert amsterdam["misdrijven_per_1000"].notna().all()
    book = pd.read_csv(tmp_path / "focus.codebook.csv", sep=";", encoding="utf-8-sig")
    vintage = book[book["kind"] == "vintage"].set_index("column")["value"]
    periods = set(schema.read_crime(store)[schema.PERIODE].astype(int))
    assert vintage["crime_periode"] == str(max(p for p in periods if p <= 2024))
    params = book[book["kind"] == "parameter"].set_index("column")["value"]
    assert json.loads(params["weights"])["veiligheid"] == 2.0


def test_cli_errors_say_what_to_do(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "s.csv")
    assert main(["export", "--year", "2021", "--out", out, "--store", str(store)]) == 2
    assert "has no year 2021; it has " in capsys.readouterr().err
    assert main(["export", "--year", "2022", "--out", out, "--store", str(tmp_path / "leeg")]) == 2
    assert "python -m etl build" in capsys.readouterr().err
    assert (
        main(["export", "--year", "2022", "--niveau", "buurt", "--out", out, "--store", str(store)])
        == 2
    )
    assert "no buurt statistics for 2022" in capsys.readouterr().err
    assert (
        main(
            ["export", "--year", "2022", "--out", out, "--store", str(store), "--weight", "sport=2"]
        )
        == 2
    )
    assert "DOMAIN=W" in capsys.readouterr().err
    missing_dir = str(tmp_path / "nergens" / "s.csv")
    assert main(["export", "--year", "2022", "--out", missing_dir, "--store", str(store)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "s.csv").exists()


def test_cli_unknown_year_lists_the_store_years(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["export", "--year", "1999", "--out", str(tmp_path / "s.csv"), "--store", str(store)])
        == 2
    )
    err = capsys.readouterr().err
    assert "no year 1999" in err and "2022" in err and "2024" in err


def test_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for option in (
        "--year", "--niveau", "--out", "--codebook", "--store", "--excel", "--focusgebieden",
        "--config", "--reference", "--min-population", "--threshold", "--min-coverage", "--weight",
    ):  # fmt: skip
        assert option in text


def test_the_documented_command_works_as_typed(store: Path, tmp_path: Path) -> None:
    """``python -m layers export --year 2022 --niveau wijk --out scores.csv``, with the store
    found through $ZICHT_STORE as it would be through data/store."""
    env = {**os.environ, schema.STORE_ENV: str(store.resolve())}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "layers", "export", "--year", "2022", "--niveau", "wijk",
         "--out", "scores.csv"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "scores.csv").is_file() and (tmp_path / "scores.codebook.csv").is_file()


def test_cli_export_of_a_composed_view_names_every_indicator_source(
    store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "wijk.csv"
    args = ["export", "--year", "2024", "--niveau", "wijk", "--out", str(out)]
    assert main([*args, "--store", str(store), "--max-age", "4"]) == 0
    frame = pd.read_csv(out)
    scored = [c for c in frame.columns if c.startswith("score_") and frame[c].notna().any()]
    assert len(scored) >= 4
    book = pd.read_csv(tmp_path / "wijk.codebook.csv", dtype=str)
    rows = book[book["kind"] == "column"].set_index("column")
    indicators = [c for c in frame.columns if c in {i.id for i in INDICATORS}]
    assert indicators
    for col in (*indicators, "inwoners"):
        for field in ("source", "source_table", "edition", "indeling", "coverage"):
            assert isinstance(rows.loc[col, field], str) and rows.loc[col, field], (col, field)
    rivm = rows.loc["ervaren_gezondheid_goed"]
    assert (rivm["source"], rivm["source_table"], rivm["indeling"]) == ("RIVM", "50090NED", "2020")
    matched = int(frame["ervaren_gezondheid_goed"].notna().sum())
    assert rivm["coverage"].endswith(f"wijken 2024: {matched:,} of {len(frame):,}")
    params = book[book["kind"] == "parameter"].set_index("column")["value"]
    assert params["max_age"] == "4"
    assert main([*args, "--store", str(store), "--max-age", "11"]) == 2
