"""The scoring recipe: percentiles, domain scores, the stacking count and the composite.

Steps (``DESIGN.md``; every parameter in :class:`layers.config.ScoringConfig`):

1. Orient every scored indicator so that higher = worse (``hoger_beter`` is negated).
2. Missing values stay missing; areas below the minimum population (the configuration's,
   or the indicator's own if larger) get no percentile and are left out of the reference.
3. Percentile rank against all areas of the same niveau and year (or of the same
   gemeente): the mid-rank ``100 × (below + ½ × equal) ÷ n``, so ties share one value, a
   lone area scores 50 and a group placed in the distribution scores like an area with
   its value would.
4. Domain score = mean of the percentiles of the domain's carried indicators, when at
   least ``min_coverage`` of them are present.
5. ``stapeling`` = number of domains scoring at or above the threshold.
6. ``samengesteld`` = weighted mean of the available domain scores.

Everything is vectorised over areas; the only loops run over indicators and domains.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from etl import schema
from layers import constants
from layers.aggregate import aggregate_inputs, membership
from layers.config import ScoringConfig
from layers.constants import HOGER_BETER
from layers.errors import MissingColumnError, ScoringInputError
from layers.indicators import (
    SCORED_DOMAINS,
    Indicator,
    carried_by,
    inputs,
    values_of,
)

_DEFAULT = ScoringConfig()


def _validated(stats: pd.DataFrame) -> pd.DataFrame:
    """Check that ``stats`` holds rows of one niveau and one year with the needed columns."""
    missing = [c for c in constants.REQUIRED if c not in stats.columns]
    if missing:
        raise MissingColumnError(
            f"The statistics lack columns {missing}; pass a frame as "
            "etl.schema.read_statistics returns it."
        )
    if len(stats) == 0:
        raise ScoringInputError(
            "The statistics have no rows; select the areas of one niveau and year first."
        )
    for col in (schema.NIVEAU, schema.JAAR):
        values = sorted(map(str, pd.unique(stats[col].dropna())))
        if len(values) != 1:
            example = repr(values[0]) if col == schema.NIVEAU else values[0]
            raise ScoringInputError(
                f"Score one {col} at a time; the statistics hold {', '.join(values)}. "
                f"Filter first, e.g. stats[stats.{col} == {example}]."
                if values
                else f"The statistics have no {col}."
            )
    return stats


def _oriented(
    values: pd.DataFrame, inwoners: np.ndarray, inds: tuple[Indicator, ...], config: ScoringConfig
) -> pd.DataFrame:
    """Scored indicators oriented so higher = worse, missing below the minimum population."""
    out = {}
    for ind in inds:
        if not ind.scored:
            continue
        v = values[ind.id].to_numpy(dtype="float64")
        v = -v if ind.direction == HOGER_BETER else v
        floor = max(config.min_population, ind.min_population)
        with np.errstate(invalid="ignore"):
            out[ind.id] = np.where(inwoners >= floor, v, np.nan)
    return pd.DataFrame(out, index=values.index)


def place(
    reference: np.ndarray,
    reference_groups: np.ndarray,
    target: np.ndarray,
    target_groups: np.ndarray,
) -> np.ndarray:
    """Return the mid-rank percentile (0–100) of each target value within the reference
    values of the same group.

    ``100 × (number below + ½ × number equal) ÷ number of reference values`` in the group,
    comparing values rounded to :data:`layers.constants.VALUE_DECIMALS` decimals. Missing
    reference values are left out; a missing target, or a target whose group
    (negative group number) has no reference values, gets NaN.

    Parameters
    ----------
    reference, target
        Float values; NaN is missing.
    reference_groups, target_groups
        Non-negative integer group numbers (all 0 for one national reference); a negative
        number means no group.
    """
    out = np.full(len(target), np.nan)
    keep = ~np.isnan(reference) & (reference_groups >= 0)
    ask = ~np.isnan(target) & (target_groups >= 0)
    if not keep.any() or not ask.any():
        return out
    ref_v = np.round(reference[keep], constants.VALUE_DECIMALS)
    tgt_v = np.round(target[ask], constants.VALUE_DECIMALS)
    ref_g, tgt_g = reference_groups[keep].astype("int64"), target_groups[ask].astype("int64")
    # Dense ranks over both sets turn (group, value) into one exact integer key.
    _, rank = np.unique(np.concatenate([ref_v, tgt_v]), return_inverse=True)
    width = int(rank.max()) + 2
    ref_key = np.sort(ref_g * width + rank[: len(ref_v)])
    tgt_key = tgt_g * width + rank[len(ref_v) :]
    start = np.searchsorted(ref_key, tgt_g * width, side="left")
    below = np.searchsorted(ref_key, tgt_key, side="left") - start
    upto = np.searchsorted(ref_key, tgt_key, side="right") - start
    n = np.bincount(ref_g, minlength=int(max(ref_g.max(), tgt_g.max())) + 1)[tgt_g]
    with np.errstate(invalid="ignore", divide="ignore"):
        out[ask] = np.where(n > 0, 100.0 * (below + upto) / 2.0 / n, np.nan)
    return out


def _group_numbers(reference: pd.Series, target: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, _ = pd.factorize(pd.concat([reference, target], ignore_index=True))
    return codes[: len(reference)], codes[len(reference) :]


def _percentiles(
    reference: pd.DataFrame,
    target: pd.DataFrame,
    ref_gemeente: pd.Series | None,
    target_gemeente: pd.Series | None,
) -> pd.DataFrame:
    if ref_gemeente is None or target_gemeente is None:
        ref_g = np.zeros(len(reference), dtype="int64")
        tgt_g = np.zeros(len(target), dtype="int64")
    else:
        ref_g, tgt_g = _group_numbers(ref_gemeente, target_gemeente)
    return pd.DataFrame(
        {
            c: place(reference[c].to_numpy(), ref_g, target[c].to_numpy(), tgt_g)
            for c in reference.columns
        },
        index=target.index,
    )


def _domains(
    pct: pd.DataFrame, inds: tuple[Indicator, ...], config: ScoringConfig
) -> tuple[pd.DataFrame, pd.Series]:
    """Domain scores, and whether an area lacked coverage in a carried domain."""
    scores = {}
    lacking = pd.Series(False, index=pct.index)
    for domain in SCORED_DOMAINS:
        ids = [i.id for i in inds if i.domain == domain and i.scored]
        if not ids:
            scores[domain] = pd.Series(np.nan, index=pct.index)
            continue
        block = pct[ids]
        present = block.notna().sum(axis=1)
        enough = (present > 0) & (present / len(ids) >= config.min_coverage)
        scores[domain] = block.mean(axis=1).where(enough)
        lacking |= ~enough
    return pd.DataFrame(scores, index=pct.index), lacking


def _summary(scores: pd.DataFrame, config: ScoringConfig) -> tuple[pd.Series, pd.Series]:
    """Stacking count (Int64, <NA> without any domain score) and weighted composite."""
    present = scores.notna()
    stapeling = (scores >= config.threshold).sum(axis=1).astype("Int64")
    stapeling = stapeling.mask(~present.any(axis=1))
    weights = np.array([config.weight(d) for d in scores.columns])
    used = present.to_numpy() * weights
    total = used.sum(axis=1)
    weighted = (np.nan_to_num(scores.to_numpy()) * used).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        samengesteld = np.where(total > 0, weighted / total, np.nan)
    return stapeling, pd.Series(samengesteld, index=scores.index)


def _assemble(
    ident: pd.DataFrame,
    inwoners: np.ndarray,
    values: pd.DataFrame,
    pct: pd.DataFrame,
    inds: tuple[Indicator, ...],
    config: ScoringConfig,
    extra: pd.DataFrame | None = None,
    gate: np.ndarray | None = None,
) -> pd.DataFrame:
    """The result frame; ``gate`` is the population the minimum is checked on (default:
    ``inwoners``)."""
    scores, lacking = _domains(pct, inds, config)
    stapeling, samengesteld = _summary(scores, config)
    with np.errstate(invalid="ignore"):
        small = ~((inwoners if gate is None else gate) >= config.min_population)
    parts: dict[str, pd.Series | np.ndarray] = {constants.INWONERS: inwoners}
    for ind in inds:
        if ind.id != constants.INWONERS:
            parts[ind.id] = values[ind.id].to_numpy()
        if ind.scored:
            parts[constants.pct_column(ind.id)] = pct[ind.id].to_numpy()
    for domain in SCORED_DOMAINS:
        parts[constants.score_column(domain)] = scores[domain].to_numpy()
    parts[constants.STAPELING] = stapeling.array
    parts[constants.SAMENGESTELD] = samengesteld.to_numpy()
    parts[constants.TE_WEINIG_INWONERS] = small
    parts[constants.ONVOLDOENDE_GEGEVENS] = (~small) & lacking.to_numpy()
    out = pd.concat([ident, pd.DataFrame(parts, index=ident.index)], axis=1)
    if extra is not None:
        out = out.join(extra)
    out.attrs["config"] = config.to_dict()
    return out


def _identity(stats: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(index=index)
    for c in constants.IDENTITY:
        if c == schema.JAAR:
            frame[c] = stats[c].to_numpy(dtype="int64")
        elif c in stats.columns:
            frame[c] = pd.Series(stats[c].astype("string").array, index=index)
        else:
            frame[c] = pd.Series(pd.NA, index=index, dtype="string")
    return frame


def score(
    stats: pd.DataFrame,
    *,
    config: ScoringConfig = _DEFAULT,
    crime: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score every area of one niveau and year on every domain the year carries.

    Parameters
    ----------
    stats
        Statistics of one KWB year and one niveau (CBS KWB table, e.g. 85318NED for 2022),
        as :func:`etl.schema.read_statistics` returns them; a GeoDataFrame is accepted and
        its geometry is not carried into the result.
    config
        The scoring parameters.
    crime
        Police-registered crime (CBS 47018NED) as :func:`etl.schema.read_crime` returns it;
        without it the veiligheid domain holds only what the KWB table carries.

    Returns
    -------
    pandas.DataFrame
        Index ``code`` in the order of ``stats``. Columns: ``naam``, ``niveau``, ``jaar``,
        ``gemeente_code``, ``gemeentenaam``, ``wijk_code``, ``inwoners``; for every carried
        indicator its value (``<id>``, in its unit) and, for scored domains,
        ``<id>_pct`` (0–100, higher = worse); ``score_<domain>`` for the five scored
        domains (0–100, NaN when not carried or not covered); ``stapeling`` (Int64, 0–5);
        ``samengesteld`` (0–100); ``te_weinig_inwoners`` and ``onvoldoende_gegevens``
        (bool). ``attrs["config"]`` holds ``config.to_dict()``.

    Raises
    ------
    layers.errors.MissingColumnError
        When an identity column or ``AantalInwoners`` is missing.
    layers.errors.ScoringInputError
        For no rows, several niveaus or years, duplicate codes, or reference ``gemeente``
        at niveau gemeente.
    """
    frame = _validated(stats)
    available = inputs(frame, crime, max_age=config.max_age)
    return score_values(frame, values_of(available), carried_by(available), config=config)


def score_values(
    stats: pd.DataFrame,
    values: pd.DataFrame,
    inds: tuple[Indicator, ...],
    *,
    config: ScoringConfig = _DEFAULT,
) -> pd.DataFrame:
    """Score areas on indicator values that are already computed (a composed view).

    Parameters
    ----------
    stats
        The areas of one niveau and year (identity columns and ``AantalInwoners``).
    values
        Indicator id → value per area, index ``code`` in the order of ``stats``.
    inds
        The indicators ``values`` carries, in registry order.
    config
        The scoring parameters.

    Returns
    -------
    pandas.DataFrame
        As :func:`score`.
    """
    frame = _validated(stats)
    if config.reference == "gemeente" and (frame[schema.NIVEAU] == "gemeente").all():
        raise ScoringInputError(
            "Reference 'gemeente' ranks areas within their gemeente; gemeenten themselves "
            "need reference 'nl' (ScoringConfig.for_niveau('gemeente'))."
        )
    inwoners = frame[schema.POPULATION].to_numpy(dtype="float64", na_value=np.nan)
    oriented = _oriented(values, inwoners, inds, config)
    gemeente = None
    if config.reference == "gemeente":
        gemeente = pd.Series(frame[schema.GEMEENTE_CODE].to_numpy(), dtype="string")
    pct = _percentiles(oriented, oriented, gemeente, gemeente)
    return _assemble(_identity(frame, values.index), inwoners, values, pct, inds, config)


def _common(stats: pd.DataFrame, members: pd.DataFrame, groups: pd.Index) -> pd.DataFrame:
    """Identity of each group: a member attribute shared by all members, else missing."""
    out = {}
    for col in (schema.GEMEENTE_CODE, schema.GEMEENTENAAM, schema.WIJK_CODE):
        if col not in stats.columns:
            out[col] = pd.Series(pd.NA, index=groups, dtype="string")
            continue
        vals = pd.Series(stats[col].to_numpy()[members["positie"].to_numpy()], dtype="string")
        grouped = vals.groupby(members["groep"].to_numpy())
        per = grouped.first().where(grouped.nunique(dropna=False) == 1)
        out[col] = per.reindex(groups).astype("string")
    return pd.DataFrame(out, index=groups)


def score_groups(
    stats: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    config: ScoringConfig = _DEFAULT,
    crime: pd.DataFrame | None = None,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Score groups of areas (focus areas, user-chosen groups) against the areas of ``stats``.

    Indicator values come from summed numerators and denominators of the members
    (:mod:`layers.aggregate`); percentiles place each group within the distribution of
    the individual areas of ``stats`` (so a focus area's scores compare with its wijken).
    A member of unknown population leaves the group's ``inwoners`` missing, but the
    minimum population is checked on the inhabitants of the members that are known.

    Parameters
    ----------
    stats
        Statistics of one KWB year and niveau, as for :func:`score`.
    groups
        Group id → member codes (rows of ``stats``).
    config
        The scoring parameters; with reference ``gemeente`` every group must lie in one
        gemeente.
    crime
        Police-registered crime (CBS 47018NED), as for :func:`score`.
    names
        Group id → display name (default: the id).

    Returns
    -------
    pandas.DataFrame
        Index ``code`` = group id; the columns of :func:`score` (``niveau`` is ``groep``;
        ``gemeente_code``, ``gemeentenaam`` and ``wijk_code`` where all members share
        them) plus ``n_gebieden`` and ``<id>_dekking`` of :func:`layers.aggregate.aggregate`.

    Raises
    ------
    layers.errors.ScoringInputError
        For unknown members, or groups spanning several gemeenten with reference gemeente.
    """
    frame = _validated(stats)
    available = inputs(frame, crime, max_age=config.max_age)
    agg = aggregate_inputs(available, groups, min_coverage=config.min_coverage)
    return score_group_values(
        frame, values_of(available), carried_by(available), agg, groups, config=config, names=names
    )


def score_group_values(
    stats: pd.DataFrame,
    values: pd.DataFrame,
    inds: tuple[Indicator, ...],
    aggregated: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    config: ScoringConfig = _DEFAULT,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Score groups whose indicator values are already aggregated (a composed view:
    :func:`layers.view.score_view_groups`), placed among the areas' ``values``.

    Parameters
    ----------
    stats, values, inds
        The areas, as for :func:`score_values`.
    aggregated
        Per group (index: group id, in the order of ``groups``) ``inwoners``,
        ``n_gebieden``, a value per indicator of ``inds`` and its ``<id>_dekking``, as
        :func:`layers.aggregate.aggregate_inputs` returns them.
    groups, config, names
        As for :func:`score_groups`.

    Returns
    -------
    pandas.DataFrame
        As :func:`score_groups`.
    """
    frame = _validated(stats)
    inwoners = frame[schema.POPULATION].to_numpy(dtype="float64", na_value=np.nan)
    members = membership(groups, pd.Index(frame[schema.CODE].astype("string"), name=schema.CODE))
    agg = aggregated
    ident = _common(frame, members, agg.index)
    group_inwoners = agg[constants.INWONERS].to_numpy(dtype="float64")
    # A group with a member of unknown population has no known total, but at least the
    # inhabitants of its known members: enough to pass the minimum (NL in 2017, one
    # gemeente unknown, is not "too small").
    known = np.bincount(
        agg.index.get_indexer(pd.Index(members["groep"])),
        weights=np.nan_to_num(inwoners[members["positie"].to_numpy()]),
        minlength=len(agg),
    )
    gate = np.where(np.isnan(group_inwoners), known, group_inwoners)
    reference = _oriented(values, inwoners, inds, config)
    target = _oriented(agg, gate, inds, config)
    ref_gem = tgt_gem = None
    if config.reference == "gemeente":
        spread = ident.index[ident[schema.GEMEENTE_CODE].isna()].tolist()
        if spread:
            raise ScoringInputError(
                f"Groups {spread[:5]} span several gemeenten (or none); reference 'gemeente' "
                "needs each group inside one gemeente: use reference 'nl'."
            )
        ref_gem = pd.Series(frame[schema.GEMEENTE_CODE].to_numpy(), dtype="string")
        tgt_gem = pd.Series(ident[schema.GEMEENTE_CODE].to_numpy(), dtype="string")
    pct = _percentiles(reference, target, ref_gem, tgt_gem)
    label = dict(names or {})
    ident.insert(0, schema.NAAM, [label.get(g, g) for g in agg.index])
    ident.insert(1, schema.NIVEAU, constants.GROEP_NIVEAU)
    ident.insert(2, schema.JAAR, int(frame[schema.JAAR].iloc[0]))
    ident = ident[list(constants.IDENTITY)]
    extra = agg[
        [
            c
            for c in agg.columns
            if c == constants.N_GEBIEDEN or c.endswith(constants.DEKKING_SUFFIX)
        ]
    ]
    return _assemble(ident, group_inwoners, agg, pct, inds, config, extra=extra, gate=gate)
