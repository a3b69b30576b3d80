"""The indicator registry: its validation, its stems against CBS metadata, and the values."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl import schema
from etl.registry import stem
from layers import constants
from layers.crime import crime_period
from layers.errors import MissingColumnError, RegistryError, ScoringInputError
from layers.indicators import (
    DOMAINS,
    INDICATORS,
    SCORED_DOMAINS,
    carried,
    get_indicator,
    indicator_values,
    validate,
)

TinyStats = Callable[..., pd.DataFrame]


def _crime(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(schema.CRIME_COLUMNS))
    return frame.astype({schema.CODE: "string", schema.MISDRIJF_SOORT: "string"})


def test_domains_are_in_the_agreed_order() -> None:
    assert [d.id for d in DOMAINS] == [
        "armoede_werk", "onderwijs", "gezondheid_zorg", "wonen", "veiligheid", "context",
    ]  # fmt: skip
    assert tuple(d.id for d in DOMAINS[:5]) == SCORED_DOMAINS
    assert not DOMAINS[-1].scored


def test_every_scored_domain_has_indicators_and_ids_are_unique() -> None:
    ids = [i.id for i in INDICATORS]
    assert len(ids) == len(set(ids))
    for domain in SCORED_DOMAINS:
        assert any(i.domain == domain for i in INDICATORS)
    for ind in INDICATORS:
        assert ind.scored == (ind.direction != constants.NEUTRAAL)


def test_the_issue_list_is_covered() -> None:
    stems = {s for i in INDICATORS for s in i.stems}
    for needed in (
        "HuishOnderOfRondSociaalMinimum", "HuishoudensMetEenLaagInkomen",
        "k_40PersonenMetLaagsteInkomen", "GemiddeldInkomenPerInwoner",
        "PersonenPerSoortUitkeringBijstand", "PersonenPerSoortUitkeringAO",
        "PersonenPerSoortUitkeringWW", "Nettoarbeidsparticipatie", "OpleidingsniveauLaag",
        "PercentageJongerenMetJeugdzorg", "WmoClienten", "GemiddeldeWOZWaardeVanWoningen",
        "Koopwoningen", "InBezitWoningcorporatie", "PercentageOnbewoond",
        "TotaalDiefstalUitWoningSchuurED", "VernielingMisdrijfTegenOpenbareOrde",
        "GeweldsEnSeksueleMisdrijven", "AantalInwoners", "k_65JaarOfOuder",
        "Bevolkingsdichtheid", "MateVanStedelijkheid",
    ):  # fmt: skip
        assert needed in stems, needed
    groups = {i.misdrijf_groep for i in INDICATORS if i.table == constants.CRIME_TABLE}
    assert groups == {"totaal", "geweld", "vermogen"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"domain": "sport"}, "domain 'sport' is unknown"),
        ({"direction": "neutraal"}, "needs direction hoger_slechter or hoger_beter"),
        ({"stems": ("Koopwoningen_40",)}, "without position suffix"),
        ({"derivation": "gok"}, "derivation 'gok' is unknown"),
        ({"definition_en": "two\nlines"}, "one line each"),
        ({"id": "stapeling"}, "collides with an output column"),
        ({"denominator": None}, "needs a denominator"),
        ({"misdrijf_groep": "totaal"}, "only 47018NED indicators"),
    ],
)
def test_validation_rejects_bad_records(change: dict[str, object], message: str) -> None:
    bad = dataclasses.replace(get_indicator("koopwoningen"), **change)  # type: ignore[arg-type]
    with pytest.raises(RegistryError, match=message):
        validate((*INDICATORS, bad) if "id" in change else (bad, *INDICATORS[1:]))


def test_validation_rejects_a_duplicate_id() -> None:
    with pytest.raises(RegistryError, match="occurs twice"):
        validate((*INDICATORS, INDICATORS[0]))


def test_get_indicator_names_the_known_ids() -> None:
    assert get_indicator("woz_waarde").domain == "wonen"
    with pytest.raises(KeyError, match="known ids: huishoudens_sociaal_minimum"):
        get_indicator("armoede")


def _topic_stems(path: Path) -> set[str]:
    return {
        stem(p["Key"])
        for p in json.loads(path.read_text(encoding="utf-8"))
        if p.get("Type") == "Topic"
    }


def test_registry_stems_exist_in_the_2024_table(shared: Path) -> None:
    """Every KWB stem (values, denominators, fallbacks) is a topic of 85984NED, except the
    older crime columns the registry documents with ``until``."""
    topics = _topic_stems(shared / "cbs" / "85984NED" / "DataProperties.json")
    for ind in INDICATORS:
        if ind.table != constants.KWB:
            continue
        used = {*ind.stems, *ind.denominator_stems}
        if ind.denominator_fallback:
            used.add(ind.denominator_fallback)
        if ind.until is not None:
            assert ind.until < 2024 and not (set(ind.stems) & topics), ind.id
            assert ind.denominator_stems == (schema.POPULATION,)
            continue
        assert used <= topics, (ind.id, used - topics)


def test_crime_stems_exist_in_the_47018NED_metadata(shared: Path) -> None:
    table = shared / "cbs" / constants.CRIME_TABLE
    assert constants.CRIME_STEM in _topic_stems(table / "DataProperties.json")
    soorten = {
        str(r["Key"]).strip()
        for r in json.loads((table / "SoortMisdrijf.json").read_text(encoding="utf-8"))
    }
    for ind in INDICATORS:
        if ind.table == constants.CRIME_TABLE:
            assert set(ind.soort_misdrijf) <= soorten, ind.id


def test_values_follow_their_derivations(make_stats: TinyStats) -> None:
    stats = make_stats(
        AantalInwoners=[1000, 500, 0],
        PersonenPerSoortUitkeringBijstand=[30, 5, 0],
        OpleidingsniveauLaag=[100, np.nan, 0],
        OpleidingsniveauMiddelbaar=[200, 10, 0],
        OpleidingsniveauHoog=[200, 10, 0],
        Koopwoningen=[40, np.nan, 70],
        Bevolkingsdichtheid=[2000, 1000, 0],
    )
    values = indicator_values(stats)
    assert list(values.index) == list(stats[schema.CODE])
    assert values["bijstand_per_1000"].tolist()[:2] == [30.0, 10.0]
    assert np.isnan(values["bijstand_per_1000"].iloc[2])  # 0 inhabitants: no rate
    assert values["opleidingsniveau_laag"].iloc[0] == pytest.approx(20.0)
    assert values["opleidingsniveau_laag"].iloc[1:].isna().all()  # missing stays missing
    assert np.isnan(values["koopwoningen"].iloc[1])
    assert values["bevolkingsdichtheid"].tolist() == [2000.0, 1000.0, 0.0]
    assert values[constants.INWONERS].tolist() == [1000.0, 500.0, 0.0]


def test_a_column_without_any_value_is_not_carried(make_stats: TinyStats) -> None:
    stats = make_stats(Koopwoningen=np.nan, PercentageOnbewoond=[1, 2, 3])
    ids = {i.id for i in carried(stats)}
    assert "leegstand" in ids
    assert "koopwoningen" not in ids
    assert "koopwoningen" not in indicator_values(stats).columns


@pytest.mark.parametrize("missing", [schema.CODE, schema.POPULATION])
def test_a_missing_column_is_a_clear_error(make_stats: TinyStats, missing: str) -> None:
    stats = make_stats(Koopwoningen=50).drop(columns=[missing])
    with pytest.raises(MissingColumnError, match=rf"lack columns \['{missing}'\]"):
        indicator_values(stats)


def test_duplicate_codes_are_refused(make_stats: TinyStats) -> None:
    stats = make_stats(Koopwoningen=50)
    stats.loc[1, schema.CODE] = stats.loc[0, schema.CODE]
    with pytest.raises(ScoringInputError, match="more than once"):
        indicator_values(stats)


def test_crime_uses_the_latest_period_up_to_the_year_and_missing_areas_stay_missing(
    make_stats: TinyStats,
) -> None:
    stats = make_stats(AantalInwoners=[1000, 2000, 500], jaar=2025)
    codes = stats[schema.CODE].tolist()
    crime = _crime([(codes[0], 2021, "0.0.0", 50.0), (codes[1], 2021, "0.0.0", 10.0)])
    assert crime_period(crime, 2025) == 2021  # 4 years older: still within the default age
    assert crime_period(crime, 2025, max_age=3) is None
    assert crime_period(crime, 2021) == 2021
    assert crime_period(crime, 2020) is None  # never a later period
    assert crime_period(crime, 2026) is None  # 5 years older
    values = indicator_values(stats, crime=crime)
    assert values["misdrijven_per_1000"].tolist()[:2] == [50.0, 5.0]
    assert np.isnan(values["misdrijven_per_1000"].iloc[2])  # no row: missing, not zero
    ids = {i.id for i in carried(stats, crime)}
    assert "misdrijven_per_1000" in ids
    assert "geweldsmisdrijven_per_1000" not in ids  # its crime types are absent
    assert "misdrijven_per_1000" not in {i.id for i in carried(make_stats(jaar=2020), crime)}


def test_a_crime_group_sums_its_types_and_needs_all_of_them(make_stats: TinyStats) -> None:
    stats = make_stats(jaar=2023)
    codes = stats[schema.CODE].tolist()
    geweld = schema.CRIME_GROUPS["geweld"]
    rows = [(codes[0], 2023, t, 2.0) for t in geweld]
    rows += [(codes[1], 2023, t, 1.0) for t in geweld[:-1]]  # one type missing
    values = indicator_values(stats, crime=_crime(rows))
    assert values["geweldsmisdrijven_per_1000"].iloc[0] == pytest.approx(2.0 * len(geweld))
    assert values["geweldsmisdrijven_per_1000"].iloc[1:].isna().all()


def test_crime_needs_one_year(make_stats: TinyStats) -> None:
    stats = pd.concat([make_stats(jaar=2022), make_stats(jaar=2024)], ignore_index=True)
    stats[schema.CODE] = [f"WK0001{i:02d}" for i in range(len(stats))]
    with pytest.raises(ScoringInputError, match="several years"):
        indicator_values(stats, crime=_crime([("WK000100", 2022, "0.0.0", 1.0)]))


def test_bad_crime_table_is_a_clear_error(make_stats: TinyStats) -> None:
    with pytest.raises(MissingColumnError, match="read_crime"):
        indicator_values(make_stats(), crime=pd.DataFrame({"code": ["WK000100"]}))


def test_years_of_the_mirror_carry_what_the_readme_promises(
    read_stats: Callable[[int, str], pd.DataFrame], crime: pd.DataFrame
) -> None:
    carried_2022 = {i.id for i in carried(read_stats(2022, "wijk"), crime)}
    assert {"personen_laagste_40", "nettoarbeidsparticipatie", "woz_waarde", "koopwoningen"} <= (
        carried_2022
    )
    scored_2022 = {get_indicator(i).domain for i in carried_2022 if get_indicator(i).scored}
    assert scored_2022 == {"armoede_werk", "wonen"}
    carried_2024 = {i.id for i in carried(read_stats(2024, "wijk"), crime)}
    assert {"misdrijven_per_1000", "leeftijd_0_15", "leeftijd_65_plus"} <= carried_2024
