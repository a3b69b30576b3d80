"""Which CBS table holds which year, and how key stems are harmonised across years.

The sources themselves (publisher, catalog, table id and period and indeling per edition)
are the data of :data:`etl.schema.SOURCES`; this module reads them for the build.

CBS publishes Kerncijfers Wijken en Buurten (KWB) as one OData table per year; the same topic
keeps its key stem while the position suffix shifts (``HuishOnderOfRondSociaalMinimum_73`` in
2017, ``_80`` in 2024). A few stems were renamed; :data:`STEM_ALIASES` maps the old stem to
the current one so one name serves every year.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from etl import schema

SOURCES: Final = schema.SOURCES
"""The source registry (KWB, police, RIVM) with every edition; defined with the store's
schema so that the layers and the dashboard can name sources too."""

KWB_TABLES: Final[Mapping[int, str]] = {e.jaar: e.table for e in SOURCES[schema.KWB].editions}
"""KWB year → CBS table id (Kerncijfers wijken en buurten)."""

CRIME_TABLE: Final = schema.CRIME_TABLE
"""Police-registered crime per wijk and buurt; defined with the store's crime columns."""

RIVM_TABLE: Final = schema.RIVM_TABLE
"""RIVM Gezondheid per wijk en buurt 2020; defined with the store's sources."""

STEM_ALIASES: Final[Mapping[str, str]] = {
    "GemiddeldeWoningwaarde": "GemiddeldeWOZWaardeVanWoningen",
    "IndelingswijzigingWijkenEnBuurten": "IndelingswijzigingGemeenteWijkBuurt",
    "PersonenautoSBrandstofOverig": "PersonenautoSOverigeBrandstof",
}
"""Old stem → current stem, for topics CBS renamed between KWB years."""

REGION_KEYS: Final[Mapping[str, str]] = {
    "WijkenEnBuurten": "code",
    "Gemeentenaam": "gemeentenaam",
    "SoortRegio": "soort_regio",
    "Codering": "codering",
}
"""Region columns of a KWB table (by stem) → identity column of the store."""

PDOK_LAYERS: Final[Mapping[str, str]] = {
    "gemeente": "gemeente_gegeneraliseerd",
    "wijk": "wijk_gegeneraliseerd",
    "buurt": "buurt_gegeneraliseerd",
}
"""niveau → layer of the PDOK "CBS gebiedsindelingen" WFS."""

_SUFFIX = re.compile(r"_\d+$")


class UnknownYearError(ValueError):
    """A KWB year the registry does not know."""


def kwb_table(jaar: int) -> str:
    """Return the CBS table id of a KWB year.

    Raises
    ------
    UnknownYearError
        With the supported years, if the year has no table.
    """
    try:
        return KWB_TABLES[jaar]
    except KeyError:
        supported = ", ".join(str(j) for j in KWB_TABLES)
        raise UnknownYearError(
            f"No KWB table is known for {jaar}; supported years: {supported}."
        ) from None


def catalog_of(table: str) -> schema.Catalog:
    """Return the catalog a table is published in: ``dataderden`` for the police and RIVM
    tables of :data:`SOURCES`, else ``opendata``."""
    source = schema.source_of_table(table)
    return source.catalog if source is not None else "opendata"


def stem(key: str) -> str:
    """Return the harmonised stem of a CBS key (``Koopwoningen_40`` → ``Koopwoningen``,
    ``GemiddeldeWoningwaarde_35`` → ``GemiddeldeWOZWaardeVanWoningen``)."""
    base = _SUFFIX.sub("", key)
    return STEM_ALIASES.get(base, base)
