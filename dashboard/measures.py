"""What can be mapped: the stacking count, the composite, domain scores and indicators.

A :class:`Measure` names one column of a score frame (:func:`layers.scoring.score`) with its
label, unit, direction and how it is classified on a map. :func:`available` lists the
measures a year and level carry (domains and indicators the year lacks are left out), so
the measure menu never offers an empty map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from dashboard.i18n import t, unit
from layers.columns import column
from layers.constants import (
    HOGER_BETER,
    HOGER_SLECHTER,
    SAMENGESTELD,
    STAPELING,
    pct_column,
    score_column,
)
from layers.indicators import SCORED_DOMAINS, Indicator

STACKING_CLASSES: Final = tuple(range(len(SCORED_DOMAINS) + 1))
"""The classes of the stacking count: 0 up to every scored domain."""


@dataclass(frozen=True)
class Measure:
    """A mappable column of a score frame.

    Attributes
    ----------
    id
        The column (and the ``maat`` in the URL).
    kind
        ``stapeling``, ``samengesteld``, ``score`` or ``indicator``.
    label_nl, label_en
        Labels for menus, legends and tables.
    unit
        Unit of the values.
    direction
        ``hoger_slechter``, ``hoger_beter`` or ``neutraal``.
    percentile
        The column holding the area's percentile, if any.
    domain
        The domain of a score or indicator.
    """

    id: str
    kind: str
    label_nl: str
    label_en: str
    unit: str
    direction: str = HOGER_SLECHTER
    percentile: str | None = None
    domain: str | None = None

    def label(self, taal: str) -> str:
        """The label in a language."""
        return self.label_en if taal == "en" else self.label_nl

    @property
    def fixed_classes(self) -> tuple[int, ...] | None:
        """Fixed classes (the stacking count, :data:`STACKING_CLASSES`) or ``None`` for
        quantiles."""
        return STACKING_CLASSES if self.kind == STAPELING else None

    @property
    def problem(self) -> bool:
        """Whether a high value is a problem (drawn in the problem palette)."""
        return self.direction == HOGER_SLECHTER


STAPELING_MEASURE: Final = Measure(
    STAPELING,
    STAPELING,
    t("measure.stapeling", "nl"),
    t("measure.stapeling", "en"),
    column(STAPELING).unit,
)
SAMENGESTELD_MEASURE: Final = Measure(
    SAMENGESTELD,
    SAMENGESTELD,
    column(SAMENGESTELD).label_nl,
    column(SAMENGESTELD).label_en,
    column(SAMENGESTELD).unit,
)


def domain_measure(domain_id: str) -> Measure:
    """The measure of a domain score (``score_<domain>``)."""
    declared = column(score_column(domain_id))
    return Measure(
        declared.name,
        "score",
        declared.label_nl,
        declared.label_en,
        declared.unit,
        domain=domain_id,
    )


def indicator_measure(indicator: Indicator) -> Measure:
    """The measure of an indicator's raw value (its percentile is shown on hover)."""
    return Measure(
        indicator.id,
        "indicator",
        indicator.label_nl,
        indicator.label_en,
        indicator.unit,
        direction=indicator.direction,
        percentile=pct_column(indicator.id) if indicator.scored else None,
        domain=indicator.domain,
    )


def available(domains: Sequence[str], indicators: Sequence[Indicator]) -> tuple[Measure, ...]:
    """Measures a year and level carry, headline first.

    Parameters
    ----------
    domains
        Scored domains the year carries (:func:`dashboard.data.scored_domains`).
    indicators
        Indicators the year carries (:func:`dashboard.data.carried_indicators`).
    """
    out = [STAPELING_MEASURE, SAMENGESTELD_MEASURE]
    out += [domain_measure(d) for d in domains]
    out += [indicator_measure(i) for i in indicators]
    return tuple(out)


def find(measures: Sequence[Measure], measure_id: str) -> Measure | None:
    """The measure with this id, or ``None``."""
    return next((m for m in measures if m.id == measure_id), None)


def options(measures: Sequence[Measure], taal: str) -> list[dict[str, object]]:
    """Options of the measure menu, grouped by disabled headings."""
    groups = (
        ("measure.group_headline", ("stapeling", "samengesteld")),
        ("measure.group_domains", ("score",)),
        ("measure.group_indicators", ("indicator",)),
    )
    out: list[dict[str, object]] = []
    for heading, kinds in groups:
        members = [m for m in measures if m.kind in kinds]
        if not members:
            continue
        out.append({"label": f"— {t(heading, taal)} —", "value": f"__{heading}", "disabled": True})
        for m in members:
            suffix = f" ({unit(m.unit, taal)})" if m.kind == "indicator" and m.unit else ""
            out.append({"label": m.label(taal) + suffix, "value": m.id})
    return out


def direction_key(measure: Measure) -> str:
    """The i18n key of the legend's direction note."""
    if measure.direction == HOGER_BETER:
        return "map.direction_better"
    if measure.direction == HOGER_SLECHTER:
        return "map.direction_worse"
    return "map.direction_neutral"
