"""How an indicator's value follows from CBS columns, and how a group's value is rebuilt.

Every derivation does two things, vectorised over all areas of a frame:

* :meth:`Derivation.value` — the indicator value of each area, in the indicator's unit;
* :meth:`Derivation.parts` — a numerator and a denominator per area that can be *summed*
  over the members of a group; :meth:`Derivation.combine` turns the sums into the group's
  value with the same formula. A published percentage becomes a count again
  (share × denominator ÷ 100), a published average a total (mean × denominator); the group
  value is never an average of percentages.

The registry :data:`DERIVATIONS` maps a derivation id (the ``derivation`` field of an
indicator) to its object, in the manner of mapclassify's name → class registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

Values = npt.NDArray[np.float64]
"""One float per area (NaN is missing)."""


def _ratio(numerator: Values, denominator: Values, scale: float) -> Values:
    """``scale × numerator ÷ denominator``; missing where the denominator is not positive."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, scale * numerator / denominator, np.nan)


def _missing(like: Values) -> Values:
    return np.full(len(like), np.nan)


def _scale_text(scale: float) -> str:
    return "" if scale == 1 else f" × {scale:,.0f}".replace(",", " ")


@dataclass(frozen=True)
class Derivation:
    """A way to compute an indicator from CBS columns; subclasses override the methods.

    Attributes
    ----------
    id
        The registry key, used in the ``derivation`` field of an indicator.
    description_nl, description_en
        One line saying how the value and a group's value are computed.
    scale
        100 for percentages, 1,000 for rates per 1,000, 1 otherwise.
    needs_denominator
        Whether the indicator must name a denominator (for its value or its aggregation).
    value_needs_denominator
        Whether the value itself needs the denominator columns (so a year without them
        does not carry the indicator).
    additive
        Whether a group value can be built from its members at all.
    whole
        Whether the values are whole numbers (counts, class codes), exported without decimals.
    """

    id: str
    description_nl: str
    description_en: str
    scale: float = 1.0
    needs_denominator: bool = True
    value_needs_denominator: bool = False
    additive: bool = True
    whole: bool = False

    def value(self, source: Values, denominator: Values | None) -> Values:
        """Return the value of each area from its source column (the indicator's first
        stem) and, where the derivation uses one, its denominator."""
        return source

    def parts(self, source: Values, denominator: Values | None) -> tuple[Values, Values | None]:
        """Return summable numerator and denominator of each area (``None``: counts are
        summed as they are)."""
        if denominator is None:
            return _missing(source), None
        return source * denominator / self.scale, denominator

    def combine(self, numerator: Values, denominator: Values | None) -> Values:
        """Return the group value from summed numerators and denominators."""
        if denominator is None:
            return _missing(numerator)
        return _ratio(numerator, denominator, self.scale)

    def formula(self, stems: tuple[str, ...], denominator: str | None) -> str:
        """Return the computation with the concrete CBS stems, for the codebook."""
        weight = f"; group: weighted by {denominator}" if denominator else ""
        return f"{stems[0]} as published by CBS{weight}"


@dataclass(frozen=True)
class Published(Derivation):
    """A percentage, average or rate that CBS publishes; groups weight it by a count."""


@dataclass(frozen=True)
class Quotient(Derivation):
    """A count divided by a denominator count, computed here (``scale × count ÷ noemer``)."""

    value_needs_denominator: bool = True

    def value(self, source: Values, denominator: Values | None) -> Values:
        """Return ``scale × source ÷ denominator``; missing where the denominator is 0."""
        if denominator is None:
            return _missing(source)
        return _ratio(source, denominator, self.scale)

    def parts(self, source: Values, denominator: Values | None) -> tuple[Values, Values | None]:
        """Return the count and the denominator as they are."""
        return source, denominator

    def formula(self, stems: tuple[str, ...], denominator: str | None) -> str:
        """Return e.g. ``PersonenPerSoortUitkeringWW ÷ AantalInwoners × 1 000``."""
        den = f"({denominator})" if denominator and "+" in denominator else denominator
        return f"{stems[0]} ÷ {den}{_scale_text(self.scale)}"


@dataclass(frozen=True)
class Count(Derivation):
    """A count as published; a group sums it (only when every member has it)."""

    needs_denominator: bool = False
    whole: bool = True

    def parts(self, source: Values, denominator: Values | None) -> tuple[Values, Values | None]:
        """Return the count as numerator and no denominator."""
        return source, None

    def combine(self, numerator: Values, denominator: Values | None) -> Values:
        """Return the summed count."""
        return numerator

    def formula(self, stems: tuple[str, ...], denominator: str | None) -> str:
        """Return e.g. ``AantalInwoners; group: sum``."""
        return f"{stems[0]} as published by CBS; group: sum"


@dataclass(frozen=True)
class Density(Derivation):
    """Inhabitants per km² as published; a group divides summed inhabitants by the summed
    land area implied by each member (inhabitants ÷ density)."""

    def parts(self, source: Values, denominator: Values | None) -> tuple[Values, Values | None]:
        """Return inhabitants and implied land area (km²) of each area."""
        if denominator is None:
            return _missing(source), None
        area = _ratio(denominator, source, 1.0)
        return np.where(np.isnan(area), np.nan, denominator), area

    def formula(self, stems: tuple[str, ...], denominator: str | None) -> str:
        """Return the published stem and the group rule."""
        implied = f"({denominator} ÷ {stems[0]})"
        return f"{stems[0]} as published by CBS; group: Σ {denominator} ÷ Σ {implied}"


@dataclass(frozen=True)
class Code(Derivation):
    """A class code (e.g. urbanity 1–5); it has no group value."""

    needs_denominator: bool = False
    additive: bool = False
    whole: bool = True

    def formula(self, stems: tuple[str, ...], denominator: str | None) -> str:
        """Return the stem; codes are not aggregated."""
        return f"{stems[0]} as published by CBS; no group value"


DERIVATIONS: Final[Mapping[str, Derivation]] = MappingProxyType(
    {
        d.id: d
        for d in (
            Published(
                "aandeel",
                "percentage zoals CBS het publiceert; groep: Σ(aandeel × noemer ÷ 100) ÷ Σ noemer",
                "percentage as published by CBS; group: Σ(share × denominator ÷ 100) ÷ "
                "Σ denominator",
                scale=100.0,
            ),
            Published(
                "gemiddelde",
                "gemiddelde zoals CBS het publiceert; groep: Σ(gemiddelde × noemer) ÷ Σ noemer",
                "average as published by CBS; group: Σ(average × denominator) ÷ Σ denominator",
            ),
            Published(
                "per_1000_gepubliceerd",
                "aantal per 1 000 inwoners zoals CBS het publiceert; groep: "
                "Σ(waarde × inwoners ÷ 1 000) ÷ Σ inwoners × 1 000",
                "rate per 1,000 inhabitants as published by CBS; group: "
                "Σ(rate × inhabitants ÷ 1,000) ÷ Σ inhabitants × 1,000",
                scale=1000.0,
            ),
            Quotient(
                "per_1000_inwoners",
                "aantal ÷ inwoners × 1 000; groep: Σ aantal ÷ Σ inwoners × 1 000",
                "count ÷ inhabitants × 1,000; group: Σ count ÷ Σ inhabitants × 1,000",
                scale=1000.0,
            ),
            Quotient(
                "aandeel_berekend",
                "aantal ÷ noemer × 100; groep: Σ aantal ÷ Σ noemer × 100",
                "count ÷ denominator × 100; group: Σ count ÷ Σ denominator × 100",
                scale=100.0,
            ),
            Count("aantal", "aantal zoals CBS het publiceert; groep: som", "count; group: sum"),
            Density(
                "dichtheid",
                "inwoners per km² land; groep: Σ inwoners ÷ Σ (inwoners ÷ dichtheid)",
                "inhabitants per km² of land; group: Σ inhabitants ÷ Σ (inhabitants ÷ density)",
            ),
            Code(
                "code",
                "klassecode zoals CBS die publiceert; geen groepswaarde",
                "class code as published by CBS; no group value",
            ),
        )
    }
)
"""Derivation id → derivation."""
