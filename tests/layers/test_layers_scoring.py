"""The scoring recipe on tiny frames: percentiles, coverage, stacking, composite, groups."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from etl import schema
from layers import constants
from layers.config import ScoringConfig
from layers.errors import MissingColumnError, ScoringInputError
from layers.indicators import SCORED_DOMAINS
from layers.scoring import place, score, score_groups

TinyStats = Callable[..., pd.DataFrame]


def test_percentiles_are_mid_ranks_oriented_so_higher_is_worse(make_stats: TinyStats) -> None:
    stats = make_stats(4, InBezitWoningcorporatie=[10, 20, 30, 40], Koopwoningen=[80, 60, 40, 20])
    result = score(stats)
    assert result["corporatiewoningen_pct"].tolist() == [12.5, 37.5, 62.5, 87.5]
    assert result["koopwoningen_pct"].tolist() == [12.5, 37.5, 62.5, 87.5]  # hoger_beter
    assert result["score_wonen"].tolist() == [12.5, 37.5, 62.5, 87.5]
    assert result["corporatiewoningen"].tolist() == [10.0, 20.0, 30.0, 40.0]  # unit kept


def test_ties_share_a_percentile_and_a_lone_area_scores_50(make_stats: TinyStats) -> None:
    result = score(make_stats(3, PercentageOnbewoond=[5, 5, 9]))
    assert result["leegstand_pct"].tolist() == pytest.approx([100 / 3, 100 / 3, 500 / 6])
    assert score(make_stats(1, PercentageOnbewoond=3))["leegstand_pct"].iloc[0] == 50.0


def test_place_ranks_within_groups_and_skips_missing() -> None:
    ref = np.array([1.0, 2.0, np.nan, 10.0, 20.0])
    groups = np.array([0, 0, 0, 1, 1])
    target = np.array([2.0, 2.0, np.nan, 15.0])
    out = place(ref, groups, target, np.array([0, 1, 0, -1]))
    assert out[0] == 75.0  # 1 below, 1 equal, of 2
    assert out[1] == 0.0  # below every value of group 1
    assert np.isnan(out[2]) and np.isnan(out[3])


def test_small_areas_are_flagged_and_left_out_of_the_reference(make_stats: TinyStats) -> None:
    stats = make_stats(4, AantalInwoners=[1000, 1000, 150, 1000], PercentageOnbewoond=[1, 2, 99, 3])
    result = score(stats)
    assert result[constants.TE_WEINIG_INWONERS].tolist() == [False, False, True, False]
    assert np.isnan(result["leegstand_pct"].iloc[2])
    assert result["leegstand"].iloc[2] == 99.0  # the value is still shown
    without = score(stats.drop(index=2))
    assert result["leegstand_pct"].drop(result.index[2]).tolist() == (
        without["leegstand_pct"].tolist()
    )
    assert pd.isna(result[constants.STAPELING].iloc[2])
    assert not result[constants.ONVOLDOENDE_GEGEVENS].iloc[2]
    lower = score(stats, config=ScoringConfig(min_population=100))
    assert not lower[constants.TE_WEINIG_INWONERS].any()


def test_an_indicators_own_minimum_population_applies(make_stats: TinyStats) -> None:
    stats = make_stats(3, AantalInwoners=[50, 1000, 1000], WmoClienten=[5, 50, 80])
    result = score(stats, config=ScoringConfig(min_population=0))
    assert np.isnan(result["wmo_per_1000_pct"].iloc[0])  # rates need 100 inhabitants
    assert not result[constants.TE_WEINIG_INWONERS].iloc[0]


def test_a_domain_needs_enough_of_its_indicators(make_stats: TinyStats) -> None:
    stats = make_stats(
        3, InBezitWoningcorporatie=[10, np.nan, np.nan], PercentageOnbewoond=[1, 2, np.nan]
    )
    result = score(stats)
    assert result["score_wonen"].iloc[1] == result["leegstand_pct"].iloc[1]  # 1 of 2 = half
    assert np.isnan(result["score_wonen"].iloc[2])
    assert result[constants.ONVOLDOENDE_GEGEVENS].tolist() == [False, False, True]
    strict = score(stats, config=ScoringConfig(min_coverage=1.0))
    assert strict["score_wonen"].isna().tolist() == [False, True, True]
    assert strict[constants.ONVOLDOENDE_GEGEVENS].tolist() == [False, True, True]


def test_stacking_counts_domains_at_or_above_the_threshold(make_stats: TinyStats) -> None:
    stats = make_stats(
        4,
        PercentageOnbewoond=[1, 2, 3, 4],
        PersonenPerSoortUitkeringBijstand=[40, 30, 20, 10],
    )
    result = score(stats)
    # wonen: 12.5 37.5 62.5 87.5; armoede_werk: 87.5 62.5 37.5 12.5
    assert result[constants.STAPELING].tolist() == [1, 0, 0, 1]
    assert str(result[constants.STAPELING].dtype) == "Int64"
    assert result[constants.SAMENGESTELD].tolist() == [50.0] * 4
    low = score(stats, config=ScoringConfig(threshold=60))
    assert low[constants.STAPELING].tolist() == [1, 1, 1, 1]
    weights = dict.fromkeys(SCORED_DOMAINS, 1.0) | {"wonen": 3.0}
    weighted = score(stats, config=ScoringConfig(weights=weights))
    assert weighted[constants.SAMENGESTELD].iloc[3] == pytest.approx((3 * 87.5 + 12.5) / 4)


def test_domains_the_year_lacks_are_missing_not_zero(make_stats: TinyStats) -> None:
    result = score(make_stats(3, PercentageOnbewoond=[1, 2, 3]))
    for domain in ("armoede_werk", "onderwijs", "gezondheid_zorg", "veiligheid"):
        assert result[constants.score_column(domain)].isna().all()
    assert result[constants.SAMENGESTELD].tolist() == result["score_wonen"].tolist()
    assert not result[constants.ONVOLDOENDE_GEGEVENS].any()


def test_no_domain_at_all_gives_no_stacking_count(make_stats: TinyStats) -> None:
    result = score(make_stats(3, k_65JaarOfOuder=[100, 200, 300]))
    assert result[constants.STAPELING].isna().all()
    assert result[constants.SAMENGESTELD].isna().all()
    assert result["leeftijd_65_plus"].tolist() == [10.0, 20.0, 30.0]
    assert "leeftijd_65_plus_pct" not in result  # context is not scored


def test_reference_gemeente_ranks_within_the_gemeente(make_stats: TinyStats) -> None:
    stats = make_stats(4, PercentageOnbewoond=[1, 2, 30, 40])  # two wijken per gemeente
    result = score(stats, config=ScoringConfig(reference="gemeente"))
    assert result["leegstand_pct"].tolist() == [25.0, 75.0, 25.0, 75.0]
    gemeenten = make_stats(3, niveau="gemeente", PercentageOnbewoond=[1, 2, 3])
    with pytest.raises(ScoringInputError, match="need reference 'nl'"):
        score(gemeenten, config=ScoringConfig(reference="gemeente"))


def test_the_result_has_the_agreed_shape(make_stats: TinyStats) -> None:
    stats = make_stats(3, PercentageOnbewoond=[1, 2, 3], MateVanStedelijkheid=[1, 2, 5])
    stats = stats.iloc[[2, 0, 1]]
    result = score(stats)
    assert result.index.name == schema.CODE
    assert list(result.index) == list(stats[schema.CODE])
    assert list(result.columns[:7]) == [*constants.IDENTITY, constants.INWONERS]
    assert [c for c in result.columns if c.startswith("score_")] == [
        constants.score_column(d) for d in SCORED_DOMAINS
    ]
    assert result.columns[-4:].tolist() == [
        constants.STAPELING, constants.SAMENGESTELD,
        constants.TE_WEINIG_INWONERS, constants.ONVOLDOENDE_GEGEVENS,
    ]  # fmt: skip
    assert result[constants.TE_WEINIG_INWONERS].dtype == bool
    assert result["stedelijkheid"].tolist() == [5.0, 1.0, 2.0]
    assert result.attrs["config"] == ScoringConfig().to_dict()


def test_a_geodataframe_is_accepted_and_geometry_dropped(make_stats: TinyStats) -> None:
    stats = make_stats(3, PercentageOnbewoond=[1, 2, 3])
    geo = gpd.GeoDataFrame(stats, geometry=[Point(i, i) for i in range(3)], crs="EPSG:28992")
    result = score(geo)
    assert "geometry" not in result.columns
    assert not isinstance(result, gpd.GeoDataFrame)
    pd.testing.assert_frame_equal(result, score(stats))


@pytest.mark.parametrize("missing", [schema.NAAM, schema.GEMEENTE_CODE, schema.POPULATION])
def test_a_missing_identity_column_is_a_clear_error(make_stats: TinyStats, missing: str) -> None:
    stats = make_stats(3, PercentageOnbewoond=[1, 2, 3]).drop(columns=[missing])
    with pytest.raises(MissingColumnError, match=missing):
        score(stats)


def test_several_niveaus_or_no_rows_are_refused(make_stats: TinyStats) -> None:
    stats = make_stats(3, PercentageOnbewoond=[1, 2, 3])
    mixed = stats.assign(**{schema.NIVEAU: ["wijk", "buurt", "wijk"]})
    with pytest.raises(ScoringInputError, match="Score one niveau at a time"):
        score(mixed)
    with pytest.raises(ScoringInputError, match="no rows"):
        score(stats.iloc[:0])


def test_a_group_of_one_scores_exactly_like_its_member(make_stats: TinyStats) -> None:
    stats = make_stats(
        5,
        AantalInwoners=[1000, 2000, 3000, 800, 1200],
        Woningvoorraad=[400, 900, 1300, 300, 500],
        Koopwoningen=[55, 23, 71, 40, 65],
        k_40PersonenMetLaagsteInkomen=[41.3, 38.7, 52.9, 40.1, 33.3],
    )
    code = stats[schema.CODE].iloc[2]
    areas = score(stats)
    groups = score_groups(stats, {"een": [code]}, names={"een": "Eén gebied"})
    row = groups.loc["een"]
    assert row[schema.NAAM] == "Eén gebied"
    assert row[schema.NIVEAU] == constants.GROEP_NIVEAU
    assert row[constants.N_GEBIEDEN] == 1
    for col in ("koopwoningen", "koopwoningen_pct", "personen_laagste_40_pct", "score_wonen"):
        assert row[col] == areas.loc[code, col], col
    assert row[constants.STAPELING] == areas.loc[code, constants.STAPELING]


def test_a_group_with_a_member_of_unknown_population_is_not_too_small(
    make_stats: TinyStats,
) -> None:
    """NL in 2017: one gemeente without inhabitants leaves the total unknown, but the known
    members alone pass the minimum, so the group is scored; one too small stays unscored."""
    stats = make_stats(
        4, AantalInwoners=[1000, np.nan, 1000, 150], PercentageOnbewoond=[1, 2, 3, 9]
    )
    codes = stats[schema.CODE].tolist()
    result = score_groups(stats, {"all": codes, "small": codes[1:2] + codes[3:]})
    assert pd.isna(result.loc["all", constants.INWONERS])  # the sum is unknown: never guessed
    assert not result.loc["all", constants.TE_WEINIG_INWONERS]
    assert pd.notna(result.loc["all", "score_wonen"])
    assert result.loc["small", constants.TE_WEINIG_INWONERS]  # 150 known, under 200
    assert pd.isna(result.loc["small", "score_wonen"])


def test_groups_are_placed_among_the_areas(make_stats: TinyStats) -> None:
    stats = make_stats(4, AantalInwoners=[1000, 1000, 1000, 3000], PercentageOnbewoond=[1, 2, 3, 9])
    codes = stats[schema.CODE].tolist()
    result = score_groups(stats, {"a": codes[:2], "b": codes[2:]})
    assert result.loc["a", "leegstand"] == pytest.approx(1.5)  # weighted by inhabitants
    assert result.loc["b", "leegstand"] == pytest.approx(7.5)
    assert result.loc["a", "leegstand_pct"] == 25.0  # between the 1st and 2nd of 4
    assert result.loc["b", "leegstand_pct"] == 75.0
    assert result.loc["a", schema.GEMEENTE_CODE] == "GM0001"
    assert result.loc["b", schema.GEMEENTE_CODE] == "GM0002"
    both = score_groups(stats, {"ab": codes})
    assert pd.isna(both.loc["ab", schema.GEMEENTE_CODE])
    with pytest.raises(ScoringInputError, match="span several gemeenten"):
        score_groups(stats, {"ab": codes}, config=ScoringConfig(reference="gemeente"))
    with pytest.raises(ScoringInputError, match="not among the areas"):
        score_groups(stats, {"x": ["WK999901"]})
