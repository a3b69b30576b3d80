"""Aggregation from summed numerators and denominators, on tiny frames and real gemeenten."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from etl import schema
from layers import constants
from layers.aggregate import aggregate
from layers.errors import MissingColumnError, ScoringInputError
from layers.indicators import indicator_values

TinyStats = Callable[..., pd.DataFrame]


def test_published_shares_are_weighted_by_their_denominator(make_stats: TinyStats) -> None:
    stats = make_stats(2, Woningvoorraad=[100, 300], Koopwoningen=[50, 10])
    result = aggregate(stats, {"g": list(stats[schema.CODE])})
    assert result.loc["g", "koopwoningen"] == pytest.approx(20.0)  # not (50 + 10) / 2
    assert result.loc["g", constants.N_GEBIEDEN] == 2
    assert result.loc["g", constants.INWONERS] == 2000
    assert result.loc["g", constants.dekking_column("koopwoningen")] == 100.0


def test_the_wijken_of_a_tiny_gemeente_add_up_to_the_gemeente(make_stats: TinyStats) -> None:
    wijken = make_stats(
        2,
        AantalInwoners=[1000, 2000],
        Woningvoorraad=[400, 600],
        Koopwoningen=[40, 50],
        GemiddeldeWOZWaardeVanWoningen=[200, 300],
        PersonenPerSoortUitkeringBijstand=[20, 40],
    )
    gemeente = make_stats(
        1,
        niveau="gemeente",
        AantalInwoners=3000,
        Woningvoorraad=1000,
        Koopwoningen=46,
        GemiddeldeWOZWaardeVanWoningen=260,
        PersonenPerSoortUitkeringBijstand=60,
    )
    result = aggregate(wijken, {"GM0001": list(wijken[schema.CODE])}).loc["GM0001"]
    own = indicator_values(gemeente).loc["GM0001"]
    for col in ("inwoners", "koopwoningen", "woz_waarde", "bijstand_per_1000"):
        assert result[col] == pytest.approx(own[col]), col


def test_rates_are_summed_counts_over_summed_population(make_stats: TinyStats) -> None:
    stats = make_stats(
        3,
        AantalInwoners=[1000, 3000, 500],
        PersonenPerSoortUitkeringBijstand=[50, 30, 40],
        OpleidingsniveauLaag=[100, 300, 20],
        OpleidingsniveauMiddelbaar=[100, 300, 20],
        OpleidingsniveauHoog=[200, 1400, 10],
    )
    codes = list(stats[schema.CODE])
    result = aggregate(stats, {"ab": codes[:2], "abc": codes})
    assert result.loc["ab", "bijstand_per_1000"] == pytest.approx(80 / 4000 * 1000)
    assert result.loc["abc", "bijstand_per_1000"] == pytest.approx(120 / 4500 * 1000)
    assert result.loc["ab", "opleidingsniveau_laag"] == pytest.approx(400 / 2400 * 100)


def test_a_missing_denominator_column_falls_back_to_population(make_stats: TinyStats) -> None:
    stats = make_stats(2, AantalInwoners=[1000, 3000], k_40PersonenMetLaagsteInkomen=[30, 50])
    result = aggregate(stats, {"g": list(stats[schema.CODE])})
    assert result.loc["g", "personen_laagste_40"] == pytest.approx(45.0)
    recipients = stats.assign(AantalInkomensontvangers=[800, 800])
    again = aggregate(recipients, {"g": list(stats[schema.CODE])})
    assert again.loc["g", "personen_laagste_40"] == pytest.approx(40.0)


def test_members_without_a_value_are_left_out_and_reported(make_stats: TinyStats) -> None:
    stats = make_stats(
        3,
        AantalInwoners=[1000, 1000, 2000],
        Woningvoorraad=[500, 500, 800],
        Koopwoningen=[40, 60, np.nan],
    )
    codes = list(stats[schema.CODE])
    result = aggregate(stats, {"half": codes[:2] + codes[2:], "ab": codes[:2]})
    dekking = constants.dekking_column("koopwoningen")
    assert result.loc["half", dekking] == pytest.approx(50.0)
    assert result.loc["half", "koopwoningen"] == pytest.approx(50.0)  # over the two that have it
    strict = aggregate(stats, {"half": codes}, min_coverage=0.75)
    assert np.isnan(strict.loc["half", "koopwoningen"])  # too little of the population covered
    assert result.loc["ab", dekking] == 100.0


def test_counts_need_every_member_and_codes_have_no_group_value(make_stats: TinyStats) -> None:
    stats = make_stats(3, AantalInwoners=[1000, np.nan, 500], MateVanStedelijkheid=[1, 1, 1])
    codes = list(stats[schema.CODE])
    result = aggregate(stats, {"all": codes, "ac": [codes[0], codes[2]]})
    assert np.isnan(result.loc["all", constants.INWONERS])
    assert result.loc["ac", constants.INWONERS] == 1500
    assert result["stedelijkheid"].isna().all()


def test_density_divides_inhabitants_by_the_implied_area(make_stats: TinyStats) -> None:
    stats = make_stats(2, AantalInwoners=[1000, 1000], Bevolkingsdichtheid=[1000, 250])
    result = aggregate(stats, {"g": list(stats[schema.CODE])})
    assert result.loc["g", "bevolkingsdichtheid"] == pytest.approx(2000 / 5)  # 1 + 4 km²


def test_groups_keep_their_order_and_may_overlap(make_stats: TinyStats) -> None:
    stats = make_stats(3, PercentageOnbewoond=[1, 2, 3])
    codes = list(stats[schema.CODE])
    result = aggregate(stats, {"z": codes, "a": codes[:1], "leeg": [], "dubbel": codes[:1] * 2})
    assert list(result.index) == ["z", "a", "leeg", "dubbel"]
    assert result.index.name == schema.CODE
    assert result.loc["leeg", constants.N_GEBIEDEN] == 0
    assert np.isnan(result.loc["leeg", constants.INWONERS])
    assert result.loc["dubbel", constants.N_GEBIEDEN] == 1


def test_unknown_members_and_missing_columns_are_clear_errors(make_stats: TinyStats) -> None:
    stats = make_stats(3, PercentageOnbewoond=[1, 2, 3])
    with pytest.raises(
        ScoringInputError, match=r"not among the areas given, e\.g\. \['WK123456'\]"
    ):
        aggregate(stats, {"g": ["WK123456"]})
    with pytest.raises(MissingColumnError, match="AantalInwoners"):
        aggregate(stats.drop(columns=[schema.POPULATION]), {"g": []})


# --- real data: the wijken of a gemeente add up to the gemeente ------------------------------

TOLERANCE = {
    # published with 0 decimals (±0.5 each), weights approximated where noted in the registry
    "koopwoningen": 1.0,
    "nettoarbeidsparticipatie": 1.0,
    "personen_laagste_40": 0.6,
    "woz_waarde": 2.0,  # × 1,000 euro; CBS averages over valued dwellings only
    "leeftijd_0_15": 0.05,
    "leeftijd_15_25": 0.05,
    "leeftijd_25_45": 0.05,
    "leeftijd_45_65": 0.05,
    "leeftijd_65_plus": 0.05,
}


@pytest.mark.parametrize(
    ("jaar", "gemeente"), [(2022, "GM0080"), (2022, "GM0917"), (2024, "GM0080"), (2024, "GM0917")]
)
def test_all_wijken_of_a_gemeente_reproduce_the_gemeente(
    read_stats: Callable[[int, str], pd.DataFrame], jaar: int, gemeente: str
) -> None:
    """Leeuwarden and Heerlen (two focus-area gemeenten): aggregating every wijk gives the
    gemeente's own figures within rounding (CBS rounds counts of small areas to 5)."""
    wijken = read_stats(jaar, "wijk")
    members = wijken.loc[wijken[schema.GEMEENTE_CODE] == gemeente, schema.CODE].tolist()
    result = aggregate(wijken, {gemeente: members}).loc[gemeente]
    gemeenten = read_stats(jaar, "gemeente")
    own = indicator_values(gemeenten[gemeenten[schema.CODE] == gemeente]).loc[gemeente]
    assert result[constants.INWONERS] == pytest.approx(
        own[constants.INWONERS], abs=2.5 * len(members)
    )
    compared = [c for c in TOLERANCE if c in own.index and not np.isnan(own[c])]
    assert len(compared) >= 4
    for col in compared:
        assert result[col] == pytest.approx(own[col], abs=TOLERANCE[col]), col
