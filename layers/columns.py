"""Every column a scored result can hold, declared once: name, labels, unit, dtype, meaning.

A :class:`Column` is what a researcher reads in the codebook, what the dashboard writes in
a table header or legend, and how an export writes its values (:attr:`Column.kind`). The
identity, peer, summary and flag columns are declared in :data:`FIXED`; the columns of the
registry are generated from it: per indicator its value (labels, units and definition of
:class:`layers.indicators.Indicator`), ``<id>_pct`` and ``<id>_dekking``, and per scored
domain ``score_<domain>``. :func:`column` returns the declaration of any of them and
:func:`ordered` the order an export writes them in. Definitions may name the scoring
parameters; :meth:`Column.describe` fills them in from a :class:`ScoringConfig`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from etl import schema
from layers import constants
from layers.config import ScoringConfig
from layers.derivations import DERIVATIONS
from layers.indicators import DOMAINS, INDICATORS, SCORED_DOMAINS, Indicator

Kind = Literal["plain", "whole", "flag", "rank", "value"]
"""How an export writes a column: as it is (``plain``: codes, names, years), as a whole
number (``whole``: nullable integers), ``1``/``0`` (``flag``), rounded to
:data:`~layers.constants.RANK_DECIMALS` decimals (``rank``: percentiles and scores), or at
full precision (``value``)."""

Describe = Callable[[ScoringConfig, str], str]
"""A definition that names scoring parameters: (configuration, niveau) → English text."""


@dataclass(frozen=True)
class Column:
    """One output column.

    Attributes
    ----------
    name
        The column name in every frame and export.
    label_nl, label_en
        Short labels, for table headers, legends and the codebook.
    unit, unit_en
        The unit in Dutch and in English (empty for codes and names).
    kind
        How exports write it (:data:`Kind`).
    direction
        ``hoger_slechter``, ``hoger_beter``, ``neutraal`` or empty.
    definition
        The English definition: a text, or a function of the scoring configuration and
        the niveau for definitions that name parameters (see :meth:`describe`).
    """

    name: str
    label_nl: str
    label_en: str
    unit: str = ""
    unit_en: str = ""
    kind: Kind = "value"
    direction: str = ""
    definition: str | Describe = ""

    def label(self, taal: str) -> str:
        """The label in a language (``nl`` or ``en``)."""
        return self.label_en if taal == "en" else self.label_nl

    def describe(self, config: ScoringConfig, niveau: str = "the same niveau") -> str:
        """The definition, with the parameters of ``config`` filled in."""
        return (
            self.definition if isinstance(self.definition, str) else self.definition(config, niveau)
        )


_YES_NO = ("1 = ja, 0 = nee", "1 = yes, 0 = no")
_SCORE_UNIT = ("score 0–100", "score 0–100")
_PERCENTILE_UNIT = ("percentiel 0–100", "percentile 0–100")


def _weights(config: ScoringConfig) -> str:
    return ", ".join(f"{d} {w:g}" for d, w in config.weights)


def _reference(config: ScoringConfig) -> str:
    return "the same gemeente" if config.reference == "gemeente" else "NL"


FIXED: Final[tuple[Column, ...]] = (
    Column(schema.CODE, "Code", "Code", kind="plain",
           definition="CBS region code (GM, WK or BU prefix), or the group id."),
    Column(schema.NAAM, "Naam", "Name", kind="plain", definition="Name of the area or group."),
    Column(schema.NIVEAU, "Niveau", "Level", kind="plain",
           definition="gemeente, wijk or buurt; groep for an aggregated group."),
    Column(schema.JAAR, "Jaar", "Year", kind="plain",
           definition="KWB year (Kerncijfers wijken en buurten) of the areas."),
    Column(schema.GEMEENTE_CODE, "Gemeentecode", "Municipality code", kind="plain",
           definition="CBS code of the gemeente."),
    Column(schema.GEMEENTENAAM, "Gemeente", "Municipality", kind="plain",
           definition="Name of the gemeente."),
    Column(schema.WIJK_CODE, "Wijkcode", "District code", kind="plain",
           definition="CBS code of the wijk (buurten only)."),
    Column(constants.PEER_RANG, "Rang", "Rank", "rang", "rank", kind="whole",
           definition="0 for the area compared, then 1, 2, … for its peers, nearest first."),
    Column(constants.AFSTAND, "Afstand", "Distance", "gewogen z", "weighted z",
           definition=(
               "Context distance to the area compared: √Σ weight × z² over the context "
               "features, each robustly standardised as (x − median) ÷ IQR (the peers "
               "parameter row gives features and weights)."
           )),
    Column(constants.N_GEBIEDEN, "Aantal gebieden", "Number of areas", "aantal", "number",
           kind="whole", definition="Number of member areas of the group."),
    Column(constants.STAPELING, "Stapeling", "Stacking count", "domeinen", "domains",
           kind="whole", direction=constants.HOGER_SLECHTER,
           definition=lambda c, _n: (
               f"Number of scored domains (0–{len(SCORED_DOMAINS)}) with a score of at least "
               f"{c.threshold:g}; missing when no domain could be scored."
           )),
    Column(constants.SAMENGESTELD, "Samengestelde score", "Composite score", *_SCORE_UNIT,
           kind="rank", direction=constants.HOGER_SLECHTER,
           definition=lambda c, _n: (
               f"Weighted mean of the available domain scores (weights: {_weights(c)}). "
               f"Rounded to {constants.RANK_DECIMALS} decimals."
           )),
    Column(constants.TE_WEINIG_INWONERS, "Te weinig inwoners", "Too few inhabitants",
           *_YES_NO, kind="flag",
           definition=lambda c, _n: (
               f"1 when the area has fewer than {c.min_population} inhabitants (or an "
               "unknown number; a group: fewer known): it gets no percentiles or scores; "
               "else 0."
           )),
    Column(constants.ONVOLDOENDE_GEGEVENS, "Onvoldoende gegevens", "Insufficient data",
           *_YES_NO, kind="flag",
           definition=(
               "1 when an area with enough inhabitants lacked enough indicator values for at "
               "least one domain the year carries; else 0."
           )),
)  # fmt: skip
"""The columns that are not generated from the registry, in export order."""


def _indicator(ind: Indicator) -> Column:
    floor = f" Scored from {ind.min_population} inhabitants." if ind.min_population else ""
    whole = DERIVATIONS[ind.derivation].whole
    return Column(ind.id, ind.label_nl, ind.label_en, ind.unit, ind.unit_en,
                  kind="whole" if whole else "value", direction=ind.direction,
                  definition=ind.definition_en + floor)  # fmt: skip


def _percentile(ind: Indicator) -> Column:
    def describe(c: ScoringConfig, niveau: str) -> str:
        return (
            f"Mid-rank percentile of {ind.id} among all {niveau} areas of the year in "
            f"{_reference(c)}, oriented so that higher = worse ({ind.direction}); missing "
            f"when the value is missing or the area has fewer than "
            f"{max(c.min_population, ind.min_population)} inhabitants. Rounded to "
            f"{constants.RANK_DECIMALS} decimals."
        )

    return Column(constants.pct_column(ind.id), f"{ind.label_nl} (percentiel)",
                  f"{ind.label_en} (percentile)", *_PERCENTILE_UNIT, kind="rank",
                  direction=constants.HOGER_SLECHTER, definition=describe)  # fmt: skip


def _coverage(ind: Indicator) -> Column:
    return Column(constants.dekking_column(ind.id), f"{ind.label_nl} (dekking)",
                  f"{ind.label_en} (coverage)", "% van inwoners", "% of inhabitants",
                  direction=constants.NEUTRAAL,
                  definition=lambda c, _n: (
                      f"Share of the group's inhabitants living in members that have "
                      f"{ind.id}; the group value is missing below {c.min_coverage:.0%}."
                  ))  # fmt: skip


def _score(domain_id: str) -> Column:
    domain = next(d for d in DOMAINS if d.id == domain_id)
    return Column(constants.score_column(domain.id), f"Score {domain.label_nl.lower()}",
                  f"{domain.label_en} score", *_SCORE_UNIT, kind="rank",
                  direction=constants.HOGER_SLECHTER,
                  definition=lambda c, _n: (
                      "Mean of the percentiles of the domain's indicators; missing when "
                      f"fewer than {c.min_coverage:.0%} of them are present. Rounded to "
                      f"{constants.RANK_DECIMALS} decimals."
                  ))  # fmt: skip


@cache
def _all() -> Mapping[str, Column]:
    out: dict[str, Column] = {}
    head = [c for c in FIXED if c.name not in (constants.TE_WEINIG_INWONERS,
                                                constants.ONVOLDOENDE_GEGEVENS)]  # fmt: skip
    flags = [c for c in FIXED if c not in head]
    inwoners = next(i for i in INDICATORS if i.id == constants.INWONERS)
    at = next(i for i, c in enumerate(head) if c.name == constants.N_GEBIEDEN)
    ordered_cols = [*head[:at], _indicator(inwoners), *head[at:]]
    ordered_cols += [_score(d) for d in SCORED_DOMAINS] + flags
    for ind in INDICATORS:
        if ind.id != constants.INWONERS:
            ordered_cols += [_indicator(ind), _percentile(ind), _coverage(ind)]
    for c in ordered_cols:
        out[c.name] = c
    return out


def column(name: str) -> Column:
    """The declaration of an output column.

    Raises
    ------
    KeyError
        For a name that is no output column, saying so.
    """
    found = _all().get(name)
    if found is None:
        raise KeyError(f"{name!r} is not an output column (see layers/columns.py).")
    return found


def is_column(name: str) -> bool:
    """Whether ``name`` is a declared output column."""
    return name in _all()


def ordered(present: Sequence[str]) -> list[str]:
    """The declared columns among ``present``, in export order: code, identity, peers,
    inhabitants, the group size, stacking, composite, domain scores, flags, then per
    indicator its value, percentile and coverage."""
    have = set(present)
    return [name for name in _all() if name in have]


def units_en() -> Mapping[str, str]:
    """Dutch unit → English, for every declared column (registry units included)."""
    return {c.unit: c.unit_en for c in _all().values() if c.unit}
