"""The indicator registry: one frozen record per indicator, and the values they give.

This is the place to start reading :mod:`layers`. :data:`DOMAINS` lists the NPLV problem
domains (plus context, shown but not scored); :data:`INDICATORS` holds one :class:`Indicator`
per indicator — id, Dutch and English label, domain, CBS source stems and table, derivation
(see :mod:`layers.derivations`), unit, direction, denominator for aggregation, minimum
population and a one-line definition. The registry is data: it is validated when this module
is imported (:class:`layers.errors.RegistryError`), and the scoring never branches on an
indicator id.

A KWB year carries an indicator when its statistics have a value in every column the
indicator needs (:func:`carried`); an indicator a year lacks is simply not part of that
year's domain. Source tables: ``KWB`` is the year's Kerncijfers wijken en buurten table
(``85318NED`` for 2022, ``85984NED`` for 2024, see :data:`etl.registry.KWB_TABLES`);
``47018NED`` is police-registered crime (:mod:`layers.crime`); ``50090NED`` is RIVM's
Gezondheid per wijk en buurt (adults, 18 jaar of ouder). Which edition of its source an
indicator takes in a view of a year is :mod:`layers.view`'s business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal, get_args

import pandas as pd

from etl import schema
from layers import constants
from layers.constants import (
    CRIME_STEM,
    CRIME_TABLE,
    HOGER_BETER,
    HOGER_SLECHTER,
    KWB,
    NEUTRAAL,
    RATE_MIN_POPULATION,
    RIVM_TABLE,
    SOURCE_OF_TABLE,
)
from layers.crime import crime_input, crime_inputs
from layers.derivations import DERIVATIONS, Values
from layers.errors import (
    MissingColumnError,
    RegistryError,
    ScoringInputError,
    UnknownIndicatorError,
)

Direction = Literal["hoger_slechter", "hoger_beter", "neutraal"]
"""Whether a higher value means a worse situation, a better one, or neither (context)."""


@dataclass(frozen=True)
class Domain:
    """A problem domain of the NPLV (or ``context``, shown but not scored)."""

    id: str
    label_nl: str
    label_en: str
    scored: bool


DOMAINS: Final[tuple[Domain, ...]] = (
    Domain("armoede_werk", "Armoede en werk", "Poverty and work", True),
    Domain("onderwijs", "Onderwijs", "Education", True),
    Domain("gezondheid_zorg", "Gezondheid en zorg", "Health and care", True),
    Domain("wonen", "Wonen", "Housing", True),
    Domain("veiligheid", "Veiligheid", "Safety", True),
    Domain("context", "Context", "Context", False),
)
"""The domains in display order."""

SCORED_DOMAINS: Final[tuple[str, ...]] = tuple(d.id for d in DOMAINS if d.scored)
"""Ids of the five scored domains, in display order."""


UNITS_EN: Final[Mapping[str, str]] = {
    "% van 15-74-jarigen": "% of people aged 15-74",
    "% van 15-74-jarigen met bekend niveau": "% of people aged 15-74 with a known level",
    "% van huishoudens": "% of households",
    "% van inkomensontvangers": "% of income recipients",
    "% van inwoners": "% of inhabitants",
    "% van 18-plussers": "% of adults (18+)",
    "% van jongeren tot 23": "% of young people under 23",
    "% van woningen": "% of dwellings",
    "aantal": "number",
    "inwoners per km² land": "inhabitants per km² of land",
    "klasse 1-5": "class 1-5",
    "per 1 000 inwoners": "per 1,000 inhabitants",
    "× 1 000 euro": "× 1,000 euro",
    "adressen per km²": "addresses per km²",
    "personen per huishouden": "persons per household",
    "woningen per 1 000 inwoners": "dwellings per 1,000 inhabitants",
}
"""English for every unit of the registry (which states them in Dutch); a unit without
one is refused when the registry is built."""


@dataclass(frozen=True)
class Indicator:
    """One indicator of the registry.

    Attributes
    ----------
    id
        Snake-case id; also the name of its column in every frame :mod:`layers` returns.
    label_nl, label_en
        Short labels for maps and tables.
    domain
        Id of its :class:`Domain`.
    table
        ``KWB`` (the year's Kerncijfers wijken en buurten table), ``47018NED`` (police) or
        ``50090NED`` (RIVM).
    stems
        CBS key stems it is computed from; the first is the numerator or published value.
    derivation
        Id of its :class:`layers.derivations.Derivation` (e.g. ``per_1000_inwoners``).
    unit
        Unit of the value, in Dutch (:attr:`unit_en` in English).
    direction
        ``hoger_slechter``, ``hoger_beter`` or ``neutraal`` (context only).
    denominator
        The count that divides (quotients) or weights (published shares and averages) the
        value when areas are aggregated: a stem or a sum of stems written ``A + B``;
        ``None`` for counts and codes.
    min_population
        Inhabitants an area needs for this indicator to be scored, on top of the scoring
        configuration's minimum (the larger of the two applies).
    definition_nl, definition_en
        One-line definition, with the approximations made.
    denominator_fallback
        Stem used when a year's table lacks the denominator (weights only).
    misdrijf_groep
        For 47018NED: the group of crime types (:data:`etl.schema.CRIME_GROUPS`).
    until
        Last KWB year whose table carried the stems, for stems CBS dropped.
    """

    id: str
    label_nl: str
    label_en: str
    domain: str
    table: str
    stems: tuple[str, ...]
    derivation: str
    unit: str
    direction: Direction
    denominator: str | None
    min_population: int
    definition_nl: str
    definition_en: str
    denominator_fallback: str | None = None
    misdrijf_groep: str | None = None
    until: int | None = None

    @property
    def unit_en(self) -> str:
        """The unit in English (:data:`UNITS_EN`)."""
        return UNITS_EN[self.unit]

    @property
    def scored(self) -> bool:
        """Whether the indicator belongs to a scored domain (and gets a percentile)."""
        return self.domain in SCORED_DOMAINS

    @property
    def source_id(self) -> str:
        """The id of the indicator's source in :data:`etl.schema.SOURCES` (kwb, politie,
        rivm)."""
        return SOURCE_OF_TABLE[self.table]

    @property
    def source(self) -> str:
        """The input column of the value: the first stem, or the crime group's count."""
        if self.misdrijf_groep is not None:
            return crime_input(self.misdrijf_groep)
        return self.stems[0]

    @property
    def denominator_stems(self) -> tuple[str, ...]:
        """The stems summed into the denominator (empty when there is none)."""
        return _split(self.denominator)

    @property
    def required(self) -> tuple[str, ...]:
        """Input columns the value needs; a year carries the indicator if it has them all."""
        needs = DERIVATIONS[self.derivation].value_needs_denominator
        return tuple(dict.fromkeys((self.source, *(self.denominator_stems if needs else ()))))

    @property
    def soort_misdrijf(self) -> tuple[str, ...]:
        """The 47018NED crime-type codes counted (empty for KWB indicators)."""
        return schema.CRIME_GROUPS[self.misdrijf_groep] if self.misdrijf_groep else ()

    @property
    def formula(self) -> str:
        """The computation with concrete CBS stems (``WmoClienten ÷ AantalInwoners × 1 000``)."""
        stems = self.stems
        if self.misdrijf_groep is not None:
            stems = (f"{CRIME_STEM} (SoortMisdrijf {', '.join(self.soort_misdrijf)})",)
        den = self.denominator
        if den and self.denominator_fallback:
            den = f"{den} (else {self.denominator_fallback})"
        return DERIVATIONS[self.derivation].formula(stems, den)


def _split(expression: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in expression.split("+")) if expression else ()


def _ind(
    id: str,
    label_nl: str,
    label_en: str,
    domain: str,
    stems: tuple[str, ...] | str,
    derivation: str,
    unit: str,
    direction: Direction,
    denominator: str | None,
    definition_nl: str,
    definition_en: str,
    *,
    table: str = KWB,
    min_population: int = 0,
    denominator_fallback: str | None = None,
    misdrijf_groep: str | None = None,
    until: int | None = None,
) -> Indicator:
    return Indicator(
        id=id,
        label_nl=label_nl,
        label_en=label_en,
        domain=domain,
        table=table,
        stems=(stems,) if isinstance(stems, str) else stems,
        derivation=derivation,
        unit=unit,
        direction=direction,
        denominator=denominator,
        min_population=min_population,
        definition_nl=definition_nl,
        definition_en=definition_en,
        denominator_fallback=denominator_fallback,
        misdrijf_groep=misdrijf_groep,
        until=until,
    )


_POP = schema.POPULATION
_PER_1000 = "per 1 000 inwoners"
_ELSE_POP_NL = ", zonder die kolom met inwoners"
_ELSE_POP_EN = ", by inhabitants where that column is absent"
_CRIME_NOTE_NL = (
    "politie (BVI), het recentste jaar tot en met het jaar van de kaart; gebieden zonder rij "
    "ontbreken"
)
_CRIME_NOTE_EN = (
    "police (BVI), the most recent year up to the map's year; areas without a row are missing"
)
_RIVM_NL = (
    "van de inwoners van 18 jaar of ouder, geschat per gebied uit de Gezondheidsmonitor "
    "(RIVM, GGD'en, CBS); groepen wegen met alle inwoners (benadering van 18+)"
)
_RIVM_EN = (
    "of inhabitants aged 18 or over, estimated per area from the Health Monitor (RIVM, GGDs, "
    "CBS); groups weight by all inhabitants (an approximation of those aged 18+)"
)
_ADULTS = "% van 18-plussers"

INDICATORS: Final[tuple[Indicator, ...]] = (
    # --- armoede & werk (bestaanszekerheid) --------------------------------------------------
    _ind(
        "huishoudens_sociaal_minimum", "Huishoudens rond sociaal minimum",
        "Households at or below the social minimum", "armoede_werk",
        "HuishOnderOfRondSociaalMinimum", "aandeel", "% van huishoudens", HOGER_SLECHTER,
        "HuishoudensTotaal",
        "Aandeel particuliere huishoudens (zonder studenten en onvolledig jaarinkomen) met een "
        "inkomen tot 101% van het sociaal minimum; groepen wegen met alle particuliere "
        "huishoudens (benadering van de doelpopulatie), zonder die kolom met inwoners.",
        "Share of private households (excluding students and part-year incomes) with an income "
        "up to 101% of the social minimum; groups weight by all private households (an "
        "approximation of the target population), by inhabitants where that column is absent.",
        denominator_fallback=_POP,
    ),
    _ind(
        "huishoudens_laag_inkomen", "Huishoudens met laag inkomen",
        "Households with a low income", "armoede_werk",
        "HuishoudensMetEenLaagInkomen", "aandeel", "% van huishoudens", HOGER_SLECHTER,
        "HuishoudensTotaal",
        "Aandeel particuliere huishoudens met een gestandaardiseerd inkomen onder de vaste "
        "CBS-lage-inkomensgrens (koopkracht van de bijstand voor een alleenstaande in 1979); "
        "groepen wegen met alle particuliere huishoudens, zonder die kolom met inwoners.",
        "Share of private households whose standardised income is below CBS's fixed "
        "low-income line (purchasing power of 1979 social assistance for a single person); "
        "groups weight by all private households, by inhabitants where that column is absent.",
        denominator_fallback=_POP,
    ),
    _ind(
        "personen_laagste_40", "Personen met laagste 40% inkomen",
        "Persons in the lowest 40% of income", "armoede_werk",
        "k_40PersonenMetLaagsteInkomen", "aandeel", "% van inkomensontvangers", HOGER_SLECHTER,
        "AantalInkomensontvangers",
        "Aandeel personen met persoonlijk inkomen in particuliere huishoudens dat tot de "
        "landelijke 40% laagste persoonlijke inkomens behoort; groepen wegen met "
        "inkomensontvangers, zonder die kolom met inwoners (benadering).",
        "Share of persons with a personal income in private households who belong to the "
        "national lowest 40% of personal incomes; groups weight by income recipients, by "
        "inhabitants where that column is absent (an approximation).",
        denominator_fallback=_POP,
    ),
    _ind(
        "inkomen_per_inwoner", "Gemiddeld inkomen per inwoner",
        "Average income per inhabitant", "armoede_werk",
        "GemiddeldInkomenPerInwoner", "gemiddelde", "× 1 000 euro", HOGER_BETER, _POP,
        "Rekenkundig gemiddeld persoonlijk inkomen per persoon van de bevolking in particuliere "
        "huishoudens; groepen wegen met inwoners (benadering van de bevolking in particuliere "
        "huishoudens).",
        "Arithmetic mean personal income per person of the population in private households; "
        "groups weight by inhabitants (an approximation of the population in private "
        "households).",
    ),
    _ind(
        "bijstand_per_1000", "Bijstandsuitkeringen per 1 000 inwoners",
        "Social assistance recipients per 1,000 inhabitants", "armoede_werk",
        "PersonenPerSoortUitkeringBijstand", "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        "Personen met een bijstandsuitkering (Participatiewet) eind december, per 1 000 "
        "inwoners; CBS rondt de aantallen af op tientallen.",
        "Persons receiving social assistance (Participatiewet) at the end of December, per "
        "1,000 inhabitants; CBS rounds the counts to tens.",
        min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "ao_per_1000", "AO-uitkeringen per 1 000 inwoners",
        "Disability benefit recipients per 1,000 inhabitants", "armoede_werk",
        "PersonenPerSoortUitkeringAO", "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        "Personen met een arbeidsongeschiktheidsuitkering (WAO, WIA, WAZ, Wajong) eind "
        "december, per 1 000 inwoners.",
        "Persons receiving a disability benefit (WAO, WIA, WAZ, Wajong) at the end of "
        "December, per 1,000 inhabitants.",
        min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "ww_per_1000", "WW-uitkeringen per 1 000 inwoners",
        "Unemployment benefit recipients per 1,000 inhabitants", "armoede_werk",
        "PersonenPerSoortUitkeringWW", "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        "Personen met een werkloosheidsuitkering (WW) eind december, per 1 000 inwoners.",
        "Persons receiving an unemployment benefit (WW) at the end of December, per 1,000 "
        "inhabitants.",
        min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "nettoarbeidsparticipatie", "Netto arbeidsparticipatie", "Net labour participation",
        "armoede_werk", "Nettoarbeidsparticipatie", "aandeel", "% van 15-74-jarigen",
        HOGER_BETER, _POP,
        "Werkzame beroepsbevolking als aandeel van de bevolking van 15 tot 75 jaar; groepen "
        "wegen met alle inwoners (benadering van de bevolking van 15 tot 75 jaar).",
        "Employed labour force as a share of the population aged 15 to 74; groups weight by "
        "all inhabitants (an approximation of the population aged 15 to 74).",
    ),
    _ind(
        "moeite_rondkomen", "Moeite met rondkomen", "Difficulty making ends meet",
        "armoede_werk", "MoeiteMetRondkomen", "aandeel", _ADULTS, HOGER_SLECHTER, _POP,
        f"Aandeel dat (veel) moeite heeft met rondkomen, {_RIVM_NL}.",
        f"Share finding it (very) hard to make ends meet, {_RIVM_EN}.",
        table=RIVM_TABLE,
    ),
    # --- onderwijs -------------------------------------------------------------------------
    _ind(
        "opleidingsniveau_laag", "Laag opleidingsniveau", "Low education level", "onderwijs",
        ("OpleidingsniveauLaag", "OpleidingsniveauMiddelbaar", "OpleidingsniveauHoog"),
        "aandeel_berekend", "% van 15-74-jarigen met bekend niveau", HOGER_SLECHTER,
        "OpleidingsniveauLaag + OpleidingsniveauMiddelbaar + OpleidingsniveauHoog",
        "Personen van 15 tot 75 jaar met als hoogst behaald niveau basisonderwijs, vmbo, "
        "onderbouw havo/vwo of mbo-1, als aandeel van laag + middelbaar + hoog.",
        "Persons aged 15 to 74 whose highest level attained is primary education, vmbo, the "
        "first years of havo/vwo or mbo-1, as a share of low + middle + high.",
        min_population=RATE_MIN_POPULATION,
    ),
    # --- gezondheid & zorg -----------------------------------------------------------------
    _ind(
        "jeugdzorg", "Jongeren met jeugdzorg", "Young people with youth care",
        "gezondheid_zorg", "PercentageJongerenMetJeugdzorg", "aandeel", "% van jongeren tot 23",
        HOGER_SLECHTER, "k_0Tot15Jaar + k_15Tot25Jaar",
        "Aandeel personen tot 23 jaar met jeugdhulp, jeugdbescherming of jeugdreclassering; "
        "groepen wegen met de inwoners van 0 tot 25 jaar (benadering van 0 tot 23), zonder "
        "leeftijdsgroepen met alle inwoners.",
        "Share of persons under 23 receiving youth care, child protection or juvenile "
        "probation; groups weight by inhabitants aged 0 to 24 (an approximation of 0 to 22), "
        "by all inhabitants where the age groups are absent.",
        denominator_fallback=_POP,
    ),
    _ind(
        "wmo_per_1000", "Wmo-cliënten per 1 000 inwoners", "Wmo clients per 1,000 inhabitants",
        "gezondheid_zorg", "WmoClienten", "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        "Personen met ten minste één maatwerkarrangement van de Wet maatschappelijke "
        "ondersteuning, per 1 000 inwoners; alleen gemeenten die leverden en publicatie "
        "toestonden.",
        "Persons with at least one tailored arrangement under the Social Support Act (Wmo), "
        "per 1,000 inhabitants; only municipalities that supplied data and allowed "
        "publication.",
        min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "ervaren_gezondheid_goed", "Ervaren gezondheid goed of zeer goed",
        "Self-rated health good or very good", "gezondheid_zorg",
        "ErvarenGezondheidGoedZeerGoed", "aandeel", _ADULTS, HOGER_BETER, _POP,
        f"Aandeel dat de eigen gezondheid goed of zeer goed noemt, {_RIVM_NL}; een laag "
        "aandeel weegt als probleem.",
        f"Share rating their own health good or very good, {_RIVM_EN}; a low share counts "
        "as a problem.",
        table=RIVM_TABLE,
    ),
    _ind(
        "angst_depressie_hoog", "Hoog risico op angst of depressie",
        "High risk of anxiety or depression", "gezondheid_zorg",
        "HoogRisicoOpAngstOfDepressie", "aandeel", _ADULTS, HOGER_SLECHTER, _POP,
        f"Aandeel met een hoog risico op een angststoornis of depressie (Kessler-10), {_RIVM_NL}.",
        f"Share at high risk of an anxiety disorder or depression (Kessler-10), {_RIVM_EN}.",
        table=RIVM_TABLE,
    ),
    _ind(
        "ernstig_eenzaam", "Ernstig of zeer ernstig eenzaam", "Severely lonely",
        "gezondheid_zorg", "ErnstigZeerErnstigEenzaam", "aandeel", _ADULTS, HOGER_SLECHTER,
        _POP,
        f"Aandeel dat zich ernstig of zeer ernstig eenzaam voelt, {_RIVM_NL}.",
        f"Share feeling severely or very severely lonely, {_RIVM_EN}.",
        table=RIVM_TABLE,
    ),
    _ind(
        "beperkt_gezondheid", "Beperkt vanwege gezondheid", "Limited by health",
        "gezondheid_zorg", "BeperktVanwegeGezondheid", "aandeel", _ADULTS, HOGER_SLECHTER,
        _POP,
        f"Aandeel dat al ten minste zes maanden beperkt is in dagelijkse activiteiten door "
        f"gezondheidsproblemen, {_RIVM_NL}.",
        f"Share limited in daily activities by health problems for at least six months, "
        f"{_RIVM_EN}.",
        table=RIVM_TABLE,
    ),
    _ind(
        "langdurige_aandoeningen", "Een of meer langdurige aandoeningen",
        "One or more chronic conditions", "gezondheid_zorg",
        "EenOfMeerLangdurigeAandoeningen", "aandeel", _ADULTS, HOGER_SLECHTER, _POP,
        f"Aandeel met een of meer langdurige ziekten of aandoeningen, {_RIVM_NL}.",
        f"Share with one or more long-term illnesses or conditions, {_RIVM_EN}.",
        table=RIVM_TABLE,
    ),
    # --- wonen -----------------------------------------------------------------------------
    _ind(
        "woz_waarde", "Gemiddelde WOZ-waarde", "Average WOZ property value", "wonen",
        "GemiddeldeWOZWaardeVanWoningen", "gemiddelde", "× 1 000 euro", HOGER_BETER,
        "Woningvoorraad",
        "Gemiddelde WOZ-waarde van woningen (waardepeildatum 1 januari van het jaar ervoor); "
        "een lage waarde geldt als teken van een zwakke woningmarkt; groepen wegen met de "
        f"woningvoorraad{_ELSE_POP_NL}.",
        "Average WOZ (property tax) value of dwellings (valuation date 1 January of the "
        "previous year); a low value counts as a sign of a weak housing market; groups weight "
        f"by the dwelling stock{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
    _ind(
        "koopwoningen", "Koopwoningen", "Owner-occupied dwellings", "wonen", "Koopwoningen",
        "aandeel", "% van woningen", HOGER_BETER, "Woningvoorraad",
        "Aandeel woningen in eigendom van de bewoner of als tweede woning in gebruik; groepen "
        f"wegen met de woningvoorraad{_ELSE_POP_NL}.",
        "Share of dwellings owned by their occupants or used as a second home; groups weight "
        f"by the dwelling stock{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
    _ind(
        "corporatiewoningen", "Huurwoningen van corporaties", "Housing-association rentals",
        "wonen", "InBezitWoningcorporatie", "aandeel", "% van woningen", HOGER_SLECHTER,
        "Woningvoorraad",
        "Aandeel huurwoningen in eigendom van een toegelaten instelling (woningcorporatie), "
        f"ongeacht de huurprijs; groepen wegen met de woningvoorraad{_ELSE_POP_NL}.",
        "Share of rented dwellings owned by an authorised housing association, whatever the "
        f"rent; groups weight by the dwelling stock{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
    _ind(
        "leegstand", "Onbewoonde woningen", "Vacant dwellings", "wonen", "PercentageOnbewoond",
        "aandeel", "% van woningen", HOGER_SLECHTER, "Woningvoorraad",
        "Aandeel woningen waar op 1 januari niemand in de BRP stond ingeschreven; groepen "
        f"wegen met de woningvoorraad{_ELSE_POP_NL}.",
        "Share of dwellings where nobody was registered in the population register on "
        f"1 January; groups weight by the dwelling stock{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
    # --- veiligheid ------------------------------------------------------------------------
    _ind(
        "misdrijven_per_1000", "Geregistreerde misdrijven per 1 000 inwoners",
        "Registered crimes per 1,000 inhabitants", "veiligheid", CRIME_STEM,
        "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        f"Alle door de politie geregistreerde misdrijven per 1 000 inwoners ({_CRIME_NOTE_NL}).",
        f"All crimes registered by the police per 1,000 inhabitants ({_CRIME_NOTE_EN}).",
        table=CRIME_TABLE, misdrijf_groep="totaal", min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "geweldsmisdrijven_per_1000", "Gewelds- en zedenmisdrijven per 1 000 inwoners",
        "Violent and sexual crimes per 1,000 inhabitants", "veiligheid", CRIME_STEM,
        "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        "Geregistreerde zeden-, levens-, geweld-, bedreigings-, mishandelings-, straatroof- en "
        f"overvalmisdrijven (1.4.1-1.4.7) per 1 000 inwoners ({_CRIME_NOTE_NL}).",
        "Registered sexual offences, homicide, public violence, threats, assault, street "
        f"robbery and hold-ups (1.4.1-1.4.7) per 1,000 inhabitants ({_CRIME_NOTE_EN}).",
        table=CRIME_TABLE, misdrijf_groep="geweld", min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "vermogensmisdrijven_per_1000", "Diefstal en inbraak per 1 000 inwoners",
        "Property crimes per 1,000 inhabitants", "veiligheid", CRIME_STEM,
        "per_1000_inwoners", _PER_1000, HOGER_SLECHTER, _POP,
        "Geregistreerde inbraken en diefstallen (woning, schuur, voertuigen, fietsen, "
        f"zakkenrollerij, bedrijven, winkels) per 1 000 inwoners ({_CRIME_NOTE_NL}).",
        "Registered burglaries and thefts (homes, sheds, vehicles, bicycles, pickpocketing, "
        f"businesses, shops) per 1,000 inhabitants ({_CRIME_NOTE_EN}).",
        table=CRIME_TABLE, misdrijf_groep="vermogen", min_population=RATE_MIN_POPULATION,
    ),
    _ind(
        "diefstal_woning_kwb", "Diefstal uit woning/schuur (KWB)",
        "Theft from homes and sheds (KWB)", "veiligheid", "TotaalDiefstalUitWoningSchuurED",
        "per_1000_gepubliceerd", _PER_1000, HOGER_SLECHTER, _POP,
        "Geregistreerde diefstallen uit woning, schuur e.d. per 1 000 inwoners zoals oudere "
        "KWB-tabellen (tot en met 2018) die publiceerden; groepen wegen met inwoners.",
        "Registered thefts from homes, sheds etc. per 1,000 inhabitants as older KWB tables "
        "(up to 2018) published them; groups weight by inhabitants.",
        until=2018,
    ),
    _ind(
        "vernieling_kwb", "Vernieling en openbare orde (KWB)",
        "Vandalism and public-order offences (KWB)", "veiligheid",
        "VernielingMisdrijfTegenOpenbareOrde", "per_1000_gepubliceerd", _PER_1000,
        HOGER_SLECHTER, _POP,
        "Geregistreerde vernielingen en misdrijven tegen de openbare orde per 1 000 inwoners "
        "zoals oudere KWB-tabellen (tot en met 2018) die publiceerden; groepen wegen met "
        "inwoners.",
        "Registered vandalism and offences against public order per 1,000 inhabitants as "
        "older KWB tables (up to 2018) published them; groups weight by inhabitants.",
        until=2018,
    ),
    _ind(
        "geweld_kwb", "Gewelds- en seksuele misdrijven (KWB)",
        "Violent and sexual offences (KWB)", "veiligheid", "GeweldsEnSeksueleMisdrijven",
        "per_1000_gepubliceerd", _PER_1000, HOGER_SLECHTER, _POP,
        "Geregistreerde gewelds- en seksuele misdrijven per 1 000 inwoners zoals oudere "
        "KWB-tabellen (tot en met 2018) die publiceerden; groepen wegen met inwoners.",
        "Registered violent and sexual offences per 1,000 inhabitants as older KWB tables "
        "(up to 2018) published them; groups weight by inhabitants.",
        until=2018,
    ),
    # --- context (shown, not scored) -------------------------------------------------------
    _ind(
        constants.INWONERS, "Inwoners", "Inhabitants", "context", _POP, "aantal", "aantal",
        NEUTRAAL, None,
        "Aantal inwoners op 1 januari volgens de BRP.",
        "Number of inhabitants on 1 January according to the population register.",
    ),
    _ind(
        "leeftijd_0_15", "0 tot 15 jaar", "Aged 0 to 14", "context", "k_0Tot15Jaar",
        "aandeel_berekend", "% van inwoners", NEUTRAAL, _POP,
        "Inwoners van 0 tot 15 jaar op 1 januari als aandeel van alle inwoners.",
        "Inhabitants aged 0 to 14 on 1 January as a share of all inhabitants.",
    ),
    _ind(
        "leeftijd_15_25", "15 tot 25 jaar", "Aged 15 to 24", "context", "k_15Tot25Jaar",
        "aandeel_berekend", "% van inwoners", NEUTRAAL, _POP,
        "Inwoners van 15 tot 25 jaar op 1 januari als aandeel van alle inwoners.",
        "Inhabitants aged 15 to 24 on 1 January as a share of all inhabitants.",
    ),
    _ind(
        "leeftijd_25_45", "25 tot 45 jaar", "Aged 25 to 44", "context", "k_25Tot45Jaar",
        "aandeel_berekend", "% van inwoners", NEUTRAAL, _POP,
        "Inwoners van 25 tot 45 jaar op 1 januari als aandeel van alle inwoners.",
        "Inhabitants aged 25 to 44 on 1 January as a share of all inhabitants.",
    ),
    _ind(
        "leeftijd_45_65", "45 tot 65 jaar", "Aged 45 to 64", "context", "k_45Tot65Jaar",
        "aandeel_berekend", "% van inwoners", NEUTRAAL, _POP,
        "Inwoners van 45 tot 65 jaar op 1 januari als aandeel van alle inwoners.",
        "Inhabitants aged 45 to 64 on 1 January as a share of all inhabitants.",
    ),
    _ind(
        "leeftijd_65_plus", "65 jaar of ouder", "Aged 65 or over", "context",
        "k_65JaarOfOuder", "aandeel_berekend", "% van inwoners", NEUTRAAL, _POP,
        "Inwoners van 65 jaar of ouder op 1 januari als aandeel van alle inwoners.",
        "Inhabitants aged 65 or over on 1 January as a share of all inhabitants.",
    ),
    _ind(
        "bevolkingsdichtheid", "Bevolkingsdichtheid", "Population density", "context",
        "Bevolkingsdichtheid", "dichtheid", "inwoners per km² land", NEUTRAAL, _POP,
        "Inwoners per km² land (gepubliceerd bij 10 of meer inwoners); groepen delen de "
        "inwoners door de som van de afgeleide landoppervlakten.",
        "Inhabitants per km² of land (published for 10 or more inhabitants); groups divide "
        "inhabitants by the summed land areas the members imply.",
    ),
    _ind(
        "stedelijkheid", "Mate van stedelijkheid", "Degree of urbanity", "context",
        "MateVanStedelijkheid", "code", "klasse 1-5", NEUTRAAL, None,
        "Stedelijkheidsklasse naar omgevingsadressendichtheid: 1 zeer sterk stedelijk (2 500 "
        "of meer adressen per km²) tot 5 niet stedelijk (minder dan 500); geen groepswaarde.",
        "Urbanity class by surrounding address density: 1 very strongly urban (2,500 or more "
        "addresses per km²) to 5 not urban (fewer than 500); no group value.",
    ),
    _ind(
        "omgevingsadressendichtheid", "Omgevingsadressendichtheid", "Surrounding address density",
        "context", "Omgevingsadressendichtheid", "gemiddelde", "adressen per km²", NEUTRAAL, _POP,
        "Gemiddeld aantal adressen per km² binnen een cirkel van 1 km rond elk adres (de maat "
        "achter de stedelijkheidsklasse); groepen wegen met inwoners (benadering).",
        "Mean number of addresses per km² within a 1 km circle around each address (the "
        "measure behind the urbanity class); groups weight by inhabitants (an approximation).",
    ),
    _ind(
        "eenpersoonshuishoudens", "Eenpersoonshuishoudens", "Single-person households",
        "context", "Eenpersoonshuishoudens", "aandeel_berekend",
        "% van huishoudens", NEUTRAAL, "HuishoudensTotaal",
        "Eenpersoonshuishoudens als aandeel van alle particuliere huishoudens.",
        "Single-person households as a share of all private households.",
    ),
    _ind(
        "huishoudens_met_kinderen", "Huishoudens met kinderen", "Households with children",
        "context", "HuishoudensMetKinderen", "aandeel_berekend",
        "% van huishoudens", NEUTRAAL, "HuishoudensTotaal",
        "Huishoudens met thuiswonende kinderen als aandeel van alle particuliere huishoudens.",
        "Households with children living at home as a share of all private households.",
    ),
    _ind(
        "huishoudensgrootte", "Gemiddelde huishoudensgrootte", "Average household size",
        "context", "GemiddeldeHuishoudensgrootte", "gemiddelde", "personen per huishouden",
        NEUTRAAL, "HuishoudensTotaal",
        "Inwoners in particuliere huishoudens gedeeld door het aantal particuliere "
        "huishoudens; groepen wegen met de huishoudens{_ELSE_POP_NL}.",
        "Inhabitants of private households divided by the number of private households; "
        f"groups weight by households{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
    _ind(
        "woningen_per_1000", "Woningen per 1 000 inwoners", "Dwellings per 1,000 inhabitants",
        "context", "Woningvoorraad", "per_1000_inwoners", "woningen per 1 000 inwoners",
        NEUTRAAL, _POP,
        "Woningvoorraad op 1 januari per 1 000 inwoners.",
        "Dwelling stock on 1 January per 1,000 inhabitants.",
    ),
    _ind(
        "meergezinswoningen", "Meergezinswoningen", "Multi-family dwellings", "context",
        "PercentageMeergezinswoning", "aandeel", "% van woningen", NEUTRAAL, "Woningvoorraad",
        "Aandeel woningen in een gebouw met meer woningen (flats, appartementen); groepen "
        f"wegen met de woningvoorraad{_ELSE_POP_NL}.",
        "Share of dwellings in a building with several dwellings (flats, apartments); groups "
        f"weight by the dwelling stock{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
    _ind(
        "bouwjaar_vanaf_2000", "Woningen gebouwd vanaf 2000", "Dwellings built from 2000",
        "context", "BouwjaarVanaf2000", "aandeel", "% van woningen", NEUTRAAL, "Woningvoorraad",
        "Aandeel woningen met bouwjaar 2000 of later; groepen wegen met de "
        f"woningvoorraad{_ELSE_POP_NL}.",
        "Share of dwellings built in 2000 or later; groups weight by the dwelling "
        f"stock{_ELSE_POP_EN}.",
        denominator_fallback=_POP,
    ),
)  # fmt: skip
"""Every indicator, grouped by domain in :data:`DOMAINS` order."""

_BY_ID: Final[Mapping[str, Indicator]] = MappingProxyType({i.id: i for i in INDICATORS})

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_STEM = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED = frozenset(
    {schema.CODE, *constants.IDENTITY}
    | {constants.N_GEBIEDEN, constants.STAPELING, constants.SAMENGESTELD}
    | {constants.TE_WEINIG_INWONERS, constants.ONVOLDOENDE_GEGEVENS}
    | {constants.score_column(d.id) for d in DOMAINS}
)


def _problems(indicators: tuple[Indicator, ...]) -> list[str]:
    """Return what is wrong with a registry (empty when it is consistent)."""
    out: list[str] = []
    domains = {d.id: d for d in DOMAINS}
    directions = set(get_args(Direction))
    seen: set[str] = set()
    for ind in indicators:
        where = f"indicator {ind.id!r}"
        if ind.id in seen:
            out.append(f"{where} occurs twice")
        seen.add(ind.id)
        derivation = DERIVATIONS.get(ind.derivation)
        checks = {
            "id must be snake_case": bool(_ID.match(ind.id)),
            "id collides with an output column": ind.id not in _RESERVED,
            "id ends like a derived column": not ind.id.endswith(
                (constants.PCT_SUFFIX, constants.DEKKING_SUFFIX)
            ),
            f"domain {ind.domain!r} is unknown": ind.domain in domains,
            f"direction {ind.direction!r} is unknown": ind.direction in directions,
            f"unit {ind.unit!r} has no English in UNITS_EN": ind.unit in UNITS_EN,
            f"derivation {ind.derivation!r} is unknown": derivation is not None,
            "needs at least one stem": len(ind.stems) >= 1,
            "stems must be CBS key stems without position suffix": all(
                _STEM.match(s) and not re.search(r"_\d+$", s)
                for s in (*ind.stems, *ind.denominator_stems)
            ),
            "labels and definitions must be filled in, one line each": all(
                t.strip() and "\n" not in t
                for t in (ind.label_nl, ind.label_en, ind.definition_nl, ind.definition_en)
            ),
            "unit must be filled in": bool(ind.unit.strip()),
            "min_population must be ≥ 0": ind.min_population >= 0,
            "a scored indicator needs direction hoger_slechter or hoger_beter": (
                ind.direction != NEUTRAAL if ind.scored else ind.direction == NEUTRAAL
            ),
            f"table must be one of {sorted(SOURCE_OF_TABLE)}": ind.table in SOURCE_OF_TABLE,
            "a 47018NED indicator needs a misdrijf_groep of etl.schema.CRIME_GROUPS": (
                ind.table != CRIME_TABLE
                or (ind.misdrijf_groep in schema.CRIME_GROUPS and ind.stems == (CRIME_STEM,))
            ),
            "only 47018NED indicators have a misdrijf_groep": (
                ind.table == CRIME_TABLE or ind.misdrijf_groep is None
            ),
        }
        if derivation is not None:
            checks["the derivation needs a denominator"] = (
                ind.denominator is not None or not derivation.needs_denominator
            )
        if ind.id == constants.INWONERS:
            checks["the inwoners indicator must be the AantalInwoners count"] = (
                ind.stems == (schema.POPULATION,) and ind.derivation == "aantal"
            )
        out.extend(f"{where}: {msg}" for msg, ok in checks.items() if not ok)
    for domain in SCORED_DOMAINS:
        if not any(i.domain == domain for i in indicators):
            out.append(f"scored domain {domain!r} has no indicator")
    if constants.INWONERS not in seen:
        out.append(f"the registry needs the {constants.INWONERS!r} context indicator")
    return out


def validate(indicators: tuple[Indicator, ...]) -> None:
    """Check a registry; raise :class:`RegistryError` listing every problem.

    The module's own :data:`INDICATORS` are checked when it is imported.
    """
    problems = _problems(indicators)
    if problems:
        raise RegistryError(
            "The indicator registry in layers/indicators.py is inconsistent; fix these "
            "records:\n- " + "\n- ".join(problems)
        )


validate(INDICATORS)


def get_indicator(indicator_id: str) -> Indicator:
    """Return the indicator with this id.

    Raises
    ------
    layers.errors.UnknownIndicatorError
        A ``KeyError`` that lists the known ids.
    """
    try:
        return _BY_ID[indicator_id]
    except KeyError:
        known = ", ".join(_BY_ID)
        raise UnknownIndicatorError(
            f"No indicator {indicator_id!r} in the registry; known ids: {known}."
        ) from None


def domain_indicators(domain_id: str) -> tuple[Indicator, ...]:
    """Return the registry's indicators of one domain, in registry order."""
    return tuple(i for i in INDICATORS if i.domain == domain_id)


def inputs(
    stats: pd.DataFrame,
    crime: pd.DataFrame | None = None,
    *,
    max_age: int = constants.DEFAULT_MAX_AGE,
) -> pd.DataFrame:
    """Return the numeric input columns of every area, indexed by code.

    Holds every numeric CBS column of ``stats`` that has at least one value (a column
    without any value counts as absent) and, when ``crime`` is given, the count of each
    crime group of the most recent period up to the statistics' year, at most ``max_age``
    years older (:mod:`layers.crime`).

    Raises
    ------
    layers.errors.MissingColumnError
        Without ``code`` or ``AantalInwoners`` (or ``jaar`` when ``crime`` is given).
    layers.errors.ScoringInputError
        When a code occurs twice, or crime is given for rows of several years.
    """
    _require(stats, (schema.CODE, schema.POPULATION))
    codes = pd.Index(stats[schema.CODE].astype("string"), name=schema.CODE)
    if codes.has_duplicates:
        dup = codes[codes.duplicated()].unique()[:5].tolist()
        raise ScoringInputError(
            f"Codes occur more than once in the statistics, e.g. {dup}; pass one row per "
            "area (one niveau and one year)."
        )
    numeric = [
        c
        for c in stats.columns
        if c not in (schema.JAAR, *constants.IDENTITY) and pd.api.types.is_numeric_dtype(stats[c])
    ]
    frame = pd.DataFrame(
        {c: stats[c].to_numpy(dtype="float64", na_value=float("nan")) for c in numeric},
        index=codes,
    )
    frame = frame.loc[:, frame.notna().any()]
    if crime is not None:
        _require(stats, (schema.JAAR,))
        jaren = pd.unique(stats[schema.JAAR].dropna())
        if len(jaren) > 1:
            raise ScoringInputError(
                f"The statistics hold several years ({sorted(jaren)}); crime is matched to "
                "one KWB year: pass the rows of one year."
            )
        if len(jaren) == 1:
            counts = crime_inputs(crime, int(jaren[0]), codes, max_age)
            frame = frame.join(counts.loc[:, counts.notna().any()])
    return frame


def _require(frame: pd.DataFrame, needed: tuple[str, ...]) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"The statistics lack columns {missing}; pass a frame as "
            "etl.schema.read_statistics returns it (identity columns code, naam, niveau, "
            "jaar, gemeente_code, gemeentenaam, then one column per CBS key stem)."
        )


def carried_by(available: pd.DataFrame) -> tuple[Indicator, ...]:
    """Return the indicators whose input columns are all in ``available`` (see
    :func:`inputs`), in registry order."""
    have = set(available.columns)
    return tuple(i for i in INDICATORS if all(c in have for c in i.required))


def carried(
    stats: pd.DataFrame,
    crime: pd.DataFrame | None = None,
    *,
    max_age: int = constants.DEFAULT_MAX_AGE,
) -> tuple[Indicator, ...]:
    """Return the indicators these statistics (and crime figures) support.

    An indicator is carried when every column it needs is present with at least one value;
    crime indicators also need crime of a period up to the KWB year (:mod:`layers.crime`).

    Parameters
    ----------
    stats
        Statistics of one KWB year (CBS KWB table, e.g. 85318NED), as
        :func:`etl.schema.read_statistics` returns them.
    crime
        Police-registered crime (CBS 47018NED) as :func:`etl.schema.read_crime` returns it.
    """
    return carried_by(inputs(stats, crime, max_age=max_age))


def denominator(indicator: Indicator, available: pd.DataFrame) -> Values | None:
    """Return the denominator of an indicator per area: the sum of its denominator stems,
    else its fallback stem, else ``None`` when ``available`` has neither.

    A sum is missing for an area where one of its terms is missing.
    """
    for stems in (indicator.denominator_stems, _split(indicator.denominator_fallback)):
        if stems and all(s in available.columns for s in stems):
            total: Values = available[stems[0]].to_numpy(dtype="float64")
            for s in stems[1:]:
                total = total + available[s].to_numpy(dtype="float64")
            return total
    return None


def values_of(available: pd.DataFrame) -> pd.DataFrame:
    """Return the value of every indicator that ``available`` (see :func:`inputs`) carries,
    indexed like it."""
    out = {
        ind.id: DERIVATIONS[ind.derivation].value(
            available[ind.source].to_numpy(dtype="float64"), denominator(ind, available)
        )
        for ind in carried_by(available)
    }
    return pd.DataFrame(out, index=available.index)


def indicator_values(stats: pd.DataFrame, *, crime: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the value of every carried indicator for every area.

    Parameters
    ----------
    stats
        Statistics of one KWB year, as :func:`etl.schema.read_statistics` returns them
        (a GeoDataFrame is fine; geometry is ignored).
    crime
        Police-registered crime (CBS 47018NED) as :func:`etl.schema.read_crime` returns it.

    Returns
    -------
    pandas.DataFrame
        Index ``code`` in the order of ``stats``; one float column per carried indicator
        (:func:`carried`), named by its id, in its unit (see :attr:`Indicator.unit`).
        Suppressed or missing figures stay missing.

    Raises
    ------
    layers.errors.MissingColumnError
        Without ``code`` or ``AantalInwoners``.
    """
    return values_of(inputs(stats, crime))
