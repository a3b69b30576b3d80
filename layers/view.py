"""Views composed per indicator: each indicator at the latest edition of its own source.

A view is one year *Y* and one niveau. Its areas are those of the KWB statistics of *Y*
(indeling *Y*). Every indicator takes the most recent edition of its source (KWB, police
crime 47018NED, RIVM 50090NED; :data:`etl.schema.SOURCES`) from *Y − max_age* up to *Y*
that gives a value to at least :data:`layers.constants.MIN_EDITION_COVERAGE` of the view's
areas at this niveau, computes its values within that edition (a count and
its denominator always come from the same edition, except crime, which is divided by the
inhabitants of *Y*), and is joined **by code** onto the areas of *Y*. An area whose code the
edition lacks is missing, never zero, and no wijk or gemeente figure is ever summed from its
buurten: a niveau reads only that niveau's rows. Every view records per indicator the edition
used and its coverage (:class:`Provenance`), e.g. "gezondheid 2020 → wijken 2024: 2,913 of
3,393".

:func:`score_view` is the one public entry point for "the scores of year Y, niveau N, with
this configuration"; :func:`compose` returns the view before scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from etl import schema
from layers import constants
from layers.aggregate import aggregate_inputs
from layers.config import ScoringConfig
from layers.crime import crime_inputs
from layers.derivations import DERIVATIONS
from layers.errors import ScoringInputError
from layers.indicators import DOMAINS, INDICATORS, Indicator, denominator, inputs
from layers.scoring import score_group_values, score_values

_DEFAULT = ScoringConfig()

NIVEAU_PLURAL: Final[Mapping[str, str]] = {
    "land": "Nederland",
    "gemeente": "gemeenten",
    "wijk": "wijken",
    "buurt": "buurten",
}
"""Plural of each niveau, for coverage texts."""


Inputs = schema.SourceFrames
"""What the store holds for one niveau, by source edition (:func:`etl.schema.read_sources`)."""


@dataclass(frozen=True)
class Provenance:
    """Where one indicator of a view comes from, and how much of the view it covers.

    Attributes
    ----------
    indicator, domain
        The indicator's id and domain.
    source, publisher, table
        Source id (``kwb``, ``politie``, ``rivm``), publisher and CBS table id.
    edition, periode, indeling
        The edition used (its year), its ``Perioden`` key and the year of its area division.
    jaar, niveau
        The view.
    matched, areas
        Areas of the view with a value from this edition, and all areas of the view.
    """

    indicator: str
    domain: str
    source: str
    publisher: str
    table: str
    edition: int
    periode: str
    indeling: int
    jaar: int
    niveau: str
    matched: int
    areas: int

    @property
    def text(self) -> str:
        """E.g. ``gezondheid_zorg 2020 → wijken 2024: 2,913 of 3,393``."""
        return (
            f"{self.domain} {self.edition} → {NIVEAU_PLURAL.get(self.niveau, self.niveau)} "
            f"{self.jaar}: {self.matched:,} of {self.areas:,}"
        )

    def to_dict(self) -> dict[str, object]:
        """Return the record as plain JSON data."""
        return {
            "indicator": self.indicator,
            "domain": self.domain,
            "source": self.source,
            "publisher": self.publisher,
            "table": self.table,
            "edition": self.edition,
            "periode": self.periode,
            "indeling": self.indeling,
            "jaar": self.jaar,
            "niveau": self.niveau,
            "matched": self.matched,
            "areas": self.areas,
            "coverage": self.text,
        }


@dataclass(frozen=True)
class View:
    """A composed view: the areas of year *Y*, every indicator's values and provenance.

    ``inputs`` maps each carried indicator to the inputs (counts and denominators, by code)
    of the edition it was taken from, so groups of areas are aggregated from the same
    editions as their members (:func:`score_view_groups`); ``max_age`` is the window the
    editions were chosen in.
    """

    jaar: int
    niveau: str
    max_age: int
    stats: pd.DataFrame
    values: pd.DataFrame
    provenance: Mapping[str, Provenance]
    inputs: Mapping[str, pd.DataFrame]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """The indicators the view carries, in registry order."""
        return tuple(i for i in INDICATORS if i.id in self.provenance)


def _edition(source_id: str, jaar: int, table: str | None = None) -> schema.Edition:
    found = schema.SOURCES[source_id].edition(jaar)
    if found is not None:
        return found
    indeling = schema.CRIME_INDELING if source_id == schema.POLITIE else jaar
    return schema.Edition(jaar, table or "", f"{jaar}JJ00", indeling)


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric columns with at least one value, indexed by code (an edition's inputs)."""
    codes = pd.Index(frame[schema.CODE].astype("string"), name=schema.CODE)
    if codes.has_duplicates:
        raise ScoringInputError(f"Codes occur twice in a source edition, e.g. {codes[0]}.")
    skip = {schema.JAAR, *constants.IDENTITY}
    data = {
        c: frame[c].to_numpy(dtype="float64", na_value=np.nan)
        for c in frame.columns
        if c not in skip and pd.api.types.is_numeric_dtype(frame[c])
    }
    out = pd.DataFrame(data, index=codes)
    return out.loc[:, out.notna().any()]


def _value(ind: Indicator, available: pd.DataFrame) -> pd.Series | None:
    """The indicator's value per code of ``available``, or ``None`` when it has none."""
    if not all(c in available.columns for c in ind.required):
        return None
    values = DERIVATIONS[ind.derivation].value(
        available[ind.source].to_numpy(dtype="float64"), denominator(ind, available)
    )
    series = pd.Series(values, index=available.index)
    return series if series.notna().any() else None


def _candidates(ind: Indicator, source: Inputs, jaar: int, max_age: int) -> list[int]:
    """Edition years of the indicator's source within the window, most recent first."""
    if ind.source_id == schema.KWB:
        have: set[int] = set(source.statistics)
    elif ind.source_id == schema.POLITIE:
        crime = source.crime
        have = set() if crime is None or crime.empty else set(crime[schema.PERIODE].astype(int))
    else:
        have = {e for s, e in source.sources if s == ind.source_id}
    return sorted((e for e in have if jaar - max_age <= e <= jaar), reverse=True)


def compose(source: Inputs, *, jaar: int, niveau: str, config: ScoringConfig = _DEFAULT) -> View:
    """Compose the view of year ``jaar`` at ``niveau``, indicator by indicator.

    Parameters
    ----------
    source
        The store's editions at this niveau (:class:`Inputs`); ``statistics[jaar]`` gives
        the areas of the view.
    jaar, niveau
        The view.
    config
        ``max_age`` limits how old an edition may be.

    Raises
    ------
    layers.errors.ScoringInputError
        When the store has no KWB statistics of ``jaar`` at this niveau.
    """
    if jaar not in source.statistics:
        raise ScoringInputError(
            f"No {niveau} statistics of {jaar} to compose a view on; the store has "
            f"{sorted(source.statistics) or 'none'}."
        )
    base = source.statistics[jaar].reset_index(drop=True)
    base = pd.DataFrame(base.drop(columns=[schema.GEOMETRY], errors="ignore"))
    codes = pd.Index(base[schema.CODE].astype("string"), name=schema.CODE)
    own = inputs(base)
    cache: dict[tuple[str, int], pd.DataFrame] = {}

    def available(ind: Indicator, edition: int) -> pd.DataFrame:
        key = (ind.source_id, edition)
        if key not in cache:
            if ind.source_id == schema.KWB:
                cache[key] = own if edition == jaar else _numeric(source.statistics[edition])
            elif ind.source_id == schema.POLITIE:
                assert source.crime is not None
                rows = source.crime[source.crime[schema.PERIODE].astype(int) == edition]
                counts = crime_inputs(rows, edition, codes, 0)
                cache[key] = own.join(counts.loc[:, counts.notna().any()])
            else:
                cache[key] = _numeric(source.sources[key])
        return cache[key]

    values: dict[str, pd.Series] = {}
    provenance: dict[str, Provenance] = {}
    used: dict[str, pd.DataFrame] = {}
    for ind in INDICATORS:
        for edition in _candidates(ind, source, jaar, config.max_age):
            found = _value(ind, available(ind, edition))
            if found is None:
                continue
            joined = found.reindex(codes)
            if joined.notna().sum() < constants.MIN_EDITION_COVERAGE * len(codes):
                continue  # a regional extract, not a figure for this view's areas
            values[ind.id] = joined
            used[ind.id] = available(ind, edition)
            info = _edition(ind.source_id, edition, ind.table)
            src = schema.SOURCES[ind.source_id]
            provenance[ind.id] = Provenance(
                indicator=ind.id, domain=ind.domain, source=src.id, publisher=src.publisher,
                table=info.table, edition=edition, periode=info.periode, indeling=info.indeling,
                jaar=jaar, niveau=niveau, matched=int(joined.notna().sum()), areas=len(codes),
            )  # fmt: skip
            break
    frame = pd.DataFrame({k: v.to_numpy() for k, v in values.items()}, index=codes)
    return View(
        jaar=jaar, niveau=niveau, max_age=config.max_age, stats=base, values=frame,
        provenance=provenance, inputs=used,
    )  # fmt: skip


def score_view(
    source: Inputs, *, jaar: int, niveau: str, config: ScoringConfig = _DEFAULT
) -> pd.DataFrame:
    """Score the view of year ``jaar`` at ``niveau`` (see :func:`compose`).

    Returns
    -------
    pandas.DataFrame
        As :func:`layers.scoring.score`; ``attrs["provenance"]`` maps every carried
        indicator to :meth:`Provenance.to_dict` (edition, table, indeling, coverage; see
        :func:`domain_years` for the years per domain).
    """
    return score_composed(compose(source, jaar=jaar, niveau=niveau, config=config), config=config)


def score_composed(view: View, *, config: ScoringConfig = _DEFAULT) -> pd.DataFrame:
    """Score a composed view (:func:`compose`, with the ``max_age`` of ``config``); as
    :func:`score_view`."""
    _same_window(view, config)
    result = score_values(view.stats, view.values, view.indicators, config=config)
    result.attrs["provenance"] = {k: p.to_dict() for k, p in view.provenance.items()}
    return result


def _same_window(view: View, config: ScoringConfig) -> None:
    if view.max_age != config.max_age:
        raise ScoringInputError(
            f"The view was composed with max_age {view.max_age}, the scoring asks for "
            f"{config.max_age}: compose it with the same configuration."
        )


def score_view_groups(
    view: View,
    groups: Mapping[str, Sequence[str]],
    *,
    config: ScoringConfig = _DEFAULT,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Score groups of a composed view's areas (focus areas, a gemeente, NL) and place them
    among those areas: every indicator is aggregated from the counts of the edition the
    view takes it from, so a group carries the same indicators, from the same sources and
    years, as its members. Coverage (``<id>_dekking``) weighs members by the inhabitants of
    the view's year.

    Parameters
    ----------
    view
        :func:`compose` of the year and niveau, with the ``max_age`` of ``config``.
    groups
        Group id → member codes (areas of the view).
    config, names
        As for :func:`layers.scoring.score_groups`.

    Returns
    -------
    pandas.DataFrame
        As :func:`layers.scoring.score_groups`, with ``attrs["provenance"]`` as
        :func:`score_view`.

    Raises
    ------
    layers.errors.ScoringInputError
        For members that are not areas of the view, or a view composed with another
        ``max_age``.
    """
    _same_window(view, config)
    aggregated = aggregate_view(view, groups, min_coverage=config.min_coverage)
    result = score_group_values(
        view.stats, view.values, view.indicators, aggregated, groups, config=config, names=names
    )
    result.attrs["provenance"] = {k: p.to_dict() for k, p in view.provenance.items()}
    return result


def aggregate_view(
    view: View, groups: Mapping[str, Sequence[str]], *, min_coverage: float
) -> pd.DataFrame:
    """Aggregate the indicators of a composed view into groups of its areas, each from the
    inputs of its own edition (:func:`layers.aggregate.aggregate_inputs`), one pass per
    edition. An edition without inhabitants of its own (RIVM's percentages) weighs its
    members by the inhabitants of the view's year, as crime is divided by them."""
    codes = view.values.index
    population = view.stats[schema.POPULATION].to_numpy(dtype="float64", na_value=np.nan)
    own = pd.DataFrame({schema.POPULATION: population}, index=codes)
    base = aggregate_inputs(own, groups, min_coverage=min_coverage)
    parts = [base[[constants.INWONERS, constants.N_GEBIEDEN]]]
    by_edition: dict[int, tuple[pd.DataFrame, list[str]]] = {}
    for ind in view.indicators:
        frame = view.inputs[ind.id]
        by_edition.setdefault(id(frame), (frame, []))[1].append(ind.id)
    for frame, wanted in by_edition.values():
        aligned = frame.reindex(codes)
        if schema.POPULATION not in aligned:  # RIVM: percentages, weighed by inhabitants of Y
            aligned[schema.POPULATION] = population
        agg = aggregate_inputs(aligned, groups, min_coverage=min_coverage, population=population)
        kept = [i for i in wanted if i != constants.INWONERS]
        parts.append(agg[kept + [constants.dekking_column(i) for i in kept]])
    out = pd.concat(parts, axis=1)
    carried = [i.id for i in view.indicators if i.id in out and i.id not in parts[0]]
    head = list(parts[0].columns)
    return out[head + carried + [constants.dekking_column(i) for i in carried]]


def domain_years(provenance: Mapping[str, Mapping[str, object]]) -> dict[str, list[int]]:
    """Per scored domain of a view, the edition years its indicators come from, ascending
    (``{"gezondheid_zorg": [2020], "veiligheid": [2024]}``), from
    ``score_view(...).attrs["provenance"]``."""
    scored = {d.id for d in DOMAINS if d.scored}
    out: dict[str, set[int]] = {}
    for p in provenance.values():
        if p.get("domain") in scored:
            out.setdefault(str(p["domain"]), set()).add(int(str(p["edition"])))
    return {d.id: sorted(out[d.id]) for d in DOMAINS if d.id in out}
