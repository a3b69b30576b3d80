"""Views composed per indicator: edition choice, joins by code, coverage, no partial sums."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import schema
from layers import constants
from layers.config import MAX_AGE_RANGE, ScoringConfig
from layers.view import Inputs, compose, score_view

TinyStats = Callable[..., pd.DataFrame]


def _crime(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(schema.CRIME_COLUMNS))
    return frame.astype({schema.CODE: "string", schema.MISDRIJF_SOORT: "string"})


def _rivm(codes: list[str], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            schema.CODE: pd.array(codes, dtype="string"),
            schema.NIVEAU: pd.array(["wijk"] * len(codes), dtype="string"),
            "ErvarenGezondheidGoedZeerGoed": values,
        }
    )


def test_each_indicator_takes_its_latest_edition_within_the_age_limit(
    make_stats: TinyStats,
) -> None:
    areas = make_stats(4, jaar=2024)
    old = make_stats(4, jaar=2020, Koopwoningen=[10.0, 20, 30, 40], Woningvoorraad=100.0)
    newer = make_stats(4, jaar=2025, Koopwoningen=[90.0, 90, 90, 90], Woningvoorraad=100.0)
    source = Inputs(statistics={2020: old, 2024: areas, 2025: newer})
    view = compose(source, jaar=2024, niveau="wijk")  # default max_age 4: 2020 is the limit
    assert view.provenance["koopwoningen"].edition == 2020
    assert view.provenance["koopwoningen"].table == "84799NED"
    assert view.values["koopwoningen"].tolist() == [10.0, 20, 30, 40]  # never 2025's
    assert view.provenance["inwoners"].edition == 2024
    tight = compose(source, jaar=2024, niveau="wijk", config=ScoringConfig(max_age=3))
    assert "koopwoningen" not in tight.provenance
    assert "koopwoningen" not in tight.values


@pytest.mark.parametrize("age", [MAX_AGE_RANGE[0] - 1, MAX_AGE_RANGE[1] + 1, 2.5, True])
def test_max_age_outside_its_range_is_refused(age: object) -> None:
    with pytest.raises(ValueError, match="max_age must be a whole number"):
        ScoringConfig(max_age=age)  # type: ignore[arg-type]


def test_a_source_on_another_indeling_joins_by_code_and_reports_coverage(
    make_stats: TinyStats,
) -> None:
    areas = make_stats(4, jaar=2024)
    codes = areas[schema.CODE].tolist()
    # Indeling 2020: three of the four codes exist, one of them suppressed; plus a code the
    # 2024 indeling no longer has.
    rivm = _rivm([codes[0], codes[1], codes[2], "WK999901"], [80.0, np.nan, 70.0, 50.0])
    source = Inputs(statistics={2024: areas}, sources={(schema.RIVM, 2020): rivm})
    view = compose(source, jaar=2024, niveau="wijk")
    p = view.provenance["ervaren_gezondheid_goed"]
    assert (p.source, p.table, p.edition, p.indeling) == ("rivm", schema.RIVM_TABLE, 2020, 2020)
    assert (p.matched, p.areas) == (2, 4)
    assert p.text == "gezondheid_zorg 2020 → wijken 2024: 2 of 4"
    got = view.values["ervaren_gezondheid_goed"]
    assert got.iloc[0] == 80.0 and got.iloc[2] == 70.0
    assert got.iloc[[1, 3]].isna().all()  # suppressed and unmatched: missing, never zero
    assert "WK999901" not in view.values.index


def test_a_wijk_count_is_never_summed_from_its_buurten(make_stats: TinyStats) -> None:
    wijken = make_stats(2, jaar=2024)
    w0, w1 = wijken[schema.CODE].tolist()
    b = "BU" + w0[2:]
    crime = _crime(
        [(w1, 2024, "0.0.0", 30.0), (b + "01", 2024, "0.0.0", 5.0), (b + "02", 2024, "0.0.0", 7.0)]
    )
    view = compose(Inputs(statistics={2024: wijken}, crime=crime), jaar=2024, niveau="wijk")
    rate = view.values["misdrijven_per_1000"]
    assert np.isnan(rate.loc[w0])  # its buurten have rows, the wijk has none: missing
    assert rate.loc[w1] == 30.0
    assert view.provenance["misdrijven_per_1000"].matched == 1


def test_a_regional_extract_is_not_used_for_a_national_view(make_stats: TinyStats) -> None:
    areas = make_stats(4, jaar=2024, Koopwoningen=np.nan, Woningvoorraad=100.0)
    region = areas.head(1).assign(Koopwoningen=50.0, jaar=2022)
    view = compose(Inputs(statistics={2022: region, 2024: areas}), jaar=2024, niveau="wijk")
    assert "koopwoningen" not in view.provenance  # 1 of 4 areas is below half


# ------------------------------------------------------------------------- the real store


@pytest.fixture(scope="module")
def views(store: Path) -> dict[tuple[int, str], pd.DataFrame]:
    out = {}
    for jaar, niveau in ((2022, "wijk"), (2024, "wijk"), (2024, "buurt")):
        source = schema.read_sources(store, niveau)  # type: ignore[arg-type]
        out[(jaar, niveau)] = score_view(source, jaar=jaar, niveau=niveau)
    return out


def _domains(result: pd.DataFrame) -> list[str]:
    scored = ("armoede_werk", "onderwijs", "gezondheid_zorg", "wonen", "veiligheid")
    return [d for d in scored if result[constants.score_column(d)].notna().sum() >= 1000]


def test_the_2024_wijk_view_scores_four_domains_from_their_own_sources(
    views: dict[tuple[int, str], pd.DataFrame], shared: Path
) -> None:
    result = views[(2024, "wijk")]
    assert {"armoede_werk", "gezondheid_zorg", "wonen", "veiligheid"} <= set(_domains(result))
    prov = result.attrs["provenance"]
    assert prov["ervaren_gezondheid_goed"]["table"] == schema.RIVM_TABLE
    assert prov["misdrijven_per_1000"]["edition"] == 2024
    assert prov["koopwoningen"]["table"] == "85318NED"
    # Coverage of the RIVM indicators: 2024 wijken whose code has an adult estimate in 2020.
    rows = json.loads((shared / "cbs" / schema.RIVM_TABLE / "TypedDataSet.json").read_text())
    known = {
        r["WijkenEnBuurten"].strip()
        for r in rows
        if r["Leeftijd"].strip() == "20300" and r["ErvarenGezondheidGoedZeerGoed_4"] is not None
    }
    expected = int(result.index.isin(list(known)).sum())
    assert prov["ervaren_gezondheid_goed"]["matched"] == expected
    assert prov["ervaren_gezondheid_goed"]["coverage"] == (
        f"gezondheid_zorg 2020 → wijken 2024: {expected:,} of {len(result):,}"
    )


def test_the_2022_wijk_view_scores_at_least_three_domains(
    views: dict[tuple[int, str], pd.DataFrame],
) -> None:
    result = views[(2022, "wijk")]
    assert len(_domains(result)) >= 3
    assert all(p["edition"] <= 2022 for p in result.attrs["provenance"].values())
    assert "misdrijven_per_1000" not in result.attrs["provenance"]  # no crime up to 2022


def test_the_buurt_view_reads_buurt_rows_only(
    views: dict[tuple[int, str], pd.DataFrame], store: Path
) -> None:
    result = views[(2024, "buurt")]
    crime = schema.read_crime(store)
    total = crime[(crime[schema.PERIODE] == 2024) & (crime[schema.MISDRIJF_SOORT] == "0.0.0")]
    buurten = set(total.loc[total[schema.CODE].str.startswith("BU"), schema.CODE])
    prov = result.attrs["provenance"]["misdrijven_per_1000"]
    assert prov["matched"] == int(result.index.isin(list(buurten)).sum())
