"""The constants of :mod:`layers` in one place: output column names, vocabularies, sources.

The statistics frames of the store keep their own names (:data:`etl.schema.IDENTITY_COLUMNS`
and one column per CBS key stem). Every column :mod:`layers` computes is named here, so the
scoring, the aggregation, the export, the codebook and the dashboard say the same thing;
so are the words of the registry (directions, source tables) and the few fixed numbers.
"""

from __future__ import annotations

from typing import Final

from etl import schema

INWONERS: Final = "inwoners"
"""Number of inhabitants (CBS ``AantalInwoners``); also the id of the context indicator."""

N_GEBIEDEN: Final = "n_gebieden"
"""Number of member areas of an aggregated group."""

STAPELING: Final = "stapeling"
"""Stacking count: the number of scored domains at or above the threshold (0–5)."""

SAMENGESTELD: Final = "samengesteld"
"""Composite score: weighted mean of the available domain scores (0–100)."""

TE_WEINIG_INWONERS: Final = "te_weinig_inwoners"
"""Flag: fewer inhabitants than the minimum population (or unknown), so no scores."""

ONVOLDOENDE_GEGEVENS: Final = "onvoldoende_gegevens"
"""Flag: at least one domain the year carries lacked enough indicator values."""

GROEP_NIVEAU: Final = "groep"
"""The ``niveau`` of a row that aggregates several areas (a focus area, a chosen group)."""

IDENTITY: Final[tuple[str, ...]] = (
    schema.NAAM,
    schema.NIVEAU,
    schema.JAAR,
    schema.GEMEENTE_CODE,
    schema.GEMEENTENAAM,
    schema.WIJK_CODE,
)
"""Identity columns a score frame carries over from the statistics (the index is ``code``)."""

REQUIRED: Final[tuple[str, ...]] = (
    schema.CODE,
    schema.NAAM,
    schema.NIVEAU,
    schema.JAAR,
    schema.GEMEENTE_CODE,
    schema.GEMEENTENAAM,
    schema.POPULATION,
)
"""Columns a statistics frame must have to be scored (``wijk_code`` is optional)."""

PCT_SUFFIX: Final = "_pct"
SCORE_PREFIX: Final = "score_"
DEKKING_SUFFIX: Final = "_dekking"


def pct_column(indicator_id: str) -> str:
    """Name of the percentile column of an indicator (``bijstand_per_1000_pct``)."""
    return indicator_id + PCT_SUFFIX


def score_column(domain_id: str) -> str:
    """Name of the score column of a domain (``score_wonen``)."""
    return SCORE_PREFIX + domain_id


def dekking_column(indicator_id: str) -> str:
    """Name of the coverage column of an aggregated indicator (``koopwoningen_dekking``)."""
    return indicator_id + DEKKING_SUFFIX


# --- vocabularies of the registry ---------------------------------------------------------
HOGER_SLECHTER: Final = "hoger_slechter"
"""Direction: a higher value means a worse situation."""

HOGER_BETER: Final = "hoger_beter"
"""Direction: a higher value means a better situation (oriented by negation)."""

NEUTRAAL: Final = "neutraal"
"""Direction of context indicators, which are not scored."""

KWB: Final = "KWB"
"""Source table of indicators read from the year's Kerncijfers wijken en buurten table
(:data:`etl.registry.KWB_TABLES`: 85318NED for 2022, 85984NED for 2024, …)."""

CRIME_TABLE: Final = schema.CRIME_TABLE
"""CBS table of police-registered crime per wijk and buurt (Geregistreerde misdrijven)."""

RIVM_TABLE: Final = schema.RIVM_TABLE
"""RIVM table of health per wijk and buurt (Gezondheidsmonitor; 18 jaar of ouder)."""

SOURCE_OF_TABLE: Final = {KWB: schema.KWB, CRIME_TABLE: schema.POLITIE, RIVM_TABLE: schema.RIVM}
"""The ``table`` of an indicator → the id of its source in :data:`etl.schema.SOURCES`."""

CRIME_STEM: Final = schema.CRIME_STEM
"""Key stem of the count in 47018NED (``GeregistreerdeMisdrijven_1``)."""

ONZEKER: Final = "onzeker"
"""``zekerheid`` of a focus-area delineation that is the best reading of the sources."""

# --- numbers ------------------------------------------------------------------------------
DEFAULT_MAX_AGE: Final = 4
"""Default of :attr:`layers.config.ScoringConfig.max_age`: a view takes figures up to 4 years
older than its year (the range allowed is :data:`layers.config.MAX_AGE_RANGE`)."""

MIN_EDITION_COVERAGE: Final = 0.5
"""A view uses an edition for an indicator only when it gives a value to at least this share
of the view's areas: an extract of one region (KWB 2019 of the mirror: Amsterdam only) would
otherwise rank a few areas among themselves and leave every other area short of data."""

RATE_MIN_POPULATION: Final = 100
"""Inhabitants below which rates computed here from small counts are not scored."""

VALUE_DECIMALS: Final = 9
"""Resolution of comparisons: percentiles compare values rounded to this many decimals, so
floating-point noise of summing and dividing never breaks a tie (a group of one area ranks
exactly like that area)."""

# --- export -------------------------------------------------------------------------------
RANK_DECIMALS: Final = 2
"""Decimals of the percentiles, domain scores and composite score in an export (they rank
areas; more digits would only suggest a precision the data do not have)."""

FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula."""

CODEBOOK_COLUMNS: Final = (
    "kind",
    "column",
    "label_nl",
    "label_en",
    "definition",
    "definition_nl",
    "unit",
    "unit_en",
    "source_table",
    "source",
    "edition",
    "periode",
    "indeling",
    "coverage",
    "cbs_key",
    "derivation",
    "denominator",
    "direction",
    "value",
)
"""Columns of the codebook; ``kind`` is ``column``, ``parameter`` or ``vintage``."""

# --- peers and change ---------------------------------------------------------------------
AFSTAND: Final = "afstand"
"""Distance of a comparable area to the area it is compared with (weighted, standardised)."""

PEER_RANG: Final = "peer_rang"
"""Rank of a comparable area by distance (1 = nearest); 0 is the area itself."""

STATUS: Final = "status"
"""Whether an area's code is in both editions compared (``beide``), only the later one
(``nieuw``) or only the earlier one (``vervallen``)."""

BEIDE: Final = "beide"
NIEUW: Final = "nieuw"
VERVALLEN: Final = "vervallen"

WAARDE_VAN: Final = "waarde_van"
WAARDE_TOT: Final = "waarde_tot"
VERSCHIL: Final = "verschil"
"""Change of an indicator between two editions, in the indicator's own unit."""

PERCENTIEL_VAN: Final = "percentiel_van"
PERCENTIEL_TOT: Final = "percentiel_tot"
PERCENTIEL_VERSCHIL: Final = "percentiel_verschil"
"""Movement of an area's percentile rank (0–100, 100 = highest value) between editions."""

KLASSE: Final = "klasse"
"""Diverging change class, worded by the indicator's direction (:mod:`layers.change`)."""
