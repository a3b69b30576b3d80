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
from layers.view import Inputs, compose, score_composed, score_view, score_view_groups

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


def test_a_group_is_aggregated_from_the_editions_its_members_take(make_stats: TinyStats) -> None:
    """Each indicator of a group comes from the edition the view takes it from: KWB of an
    older year, RIVM's percentages (weighed by the inhabitants of the view's year) and the
    police count of the view's year, never only from the view year's own table."""
    areas = make_stats(4, jaar=2024, AantalInwoners=[1000.0, 3000, 500, 500])
    codes = areas[schema.CODE].tolist()
    old = make_stats(
        4, jaar=2022, Koopwoningen=[10.0, 30, 50, 70], Woningvoorraad=[100.0, 300, 1, 1]
    )
    rivm = _rivm(codes, [80.0, 60.0, 10.0, 10.0])
    crime = _crime([(codes[0], 2024, "0.0.0", 10.0), (codes[1], 2024, "0.0.0", 50.0)])
    source = Inputs(
        statistics={2022: old, 2024: areas}, sources={(schema.RIVM, 2020): rivm}, crime=crime
    )
    view = compose(source, jaar=2024, niveau="wijk")
    got = score_view_groups(view, {"G": codes[:2]}, names={"G": "Groep"}).loc["G"]
    assert got["koopwoningen"] == pytest.approx((10 * 100 + 30 * 300) / 400)  # 2022's counts
    assert got["ervaren_gezondheid_goed"] == pytest.approx((80 * 1000 + 60 * 3000) / 4000)
    assert got["misdrijven_per_1000"] == pytest.approx(60 / 4000 * 1000)
    assert got["inwoners"] == 4000 and got["naam"] == "Groep"
    assert got[constants.dekking_column("ervaren_gezondheid_goed")] == 100.0
    assert set(score_view_groups(view, {"G": codes}).attrs["provenance"]) == set(view.provenance)
    with pytest.raises(ValueError, match="max_age"):
        score_view_groups(view, {"G": codes}, config=ScoringConfig(max_age=2))


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


@pytest.mark.parametrize(("jaar", "niveau"), [(2022, "wijk"), (2024, "wijk")])
def test_a_group_of_one_area_is_that_area_and_nl_carries_every_domain(
    store: Path, jaar: int, niveau: str
) -> None:
    """Groups (focus areas, a gemeente, NL) are scored on the same sources and years as the
    areas of the view: a group of one area has that area's values and scores, and NL has a
    score in every domain the view scores."""
    view = compose(schema.read_sources(store, niveau), jaar=jaar, niveau=niveau)  # type: ignore[arg-type]
    areas = score_composed(view)
    full = areas.dropna(subset=[constants.SAMENGESTELD]).index[:: max(1, len(areas) // 40)][:40]
    groups = {f"g{i}": [code] for i, code in enumerate(full)}
    single = score_view_groups(view, groups)
    indicators = [i.id for i in view.indicators if i.derivation != "code"]  # no group value
    left = single[indicators].to_numpy(dtype="float64")
    right = areas.loc[list(full), indicators].to_numpy(dtype="float64")
    np.testing.assert_allclose(left, right, rtol=1e-9, equal_nan=True)
    scores = [c for c in areas.columns if c.startswith(constants.SCORE_PREFIX)]
    np.testing.assert_allclose(
        single[scores].to_numpy(dtype="float64"),
        areas.loc[list(full), scores].to_numpy(dtype="float64"),
        atol=1e-6,
        equal_nan=True,
    )
    nl = score_view_groups(view, {"NL": list(areas.index)}).iloc[0]
    scored = [c for c in scores if areas[c].notna().any()]
    assert scored and nl[scored].notna().all(), nl[scored]
