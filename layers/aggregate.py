"""Indicator values of groups of areas (focus areas, user-chosen groups) from counts.

A group's value is never an average of its members' values: each member contributes a
numerator and a denominator (:meth:`layers.derivations.Derivation.parts` — e.g. a published
percentage becomes share × denominator ÷ 100), the group sums both and applies the
indicator's formula to the sums.

Missing values: a member counts for an indicator only when it has both numerator and
denominator. The group value is computed over those members when they hold at least
``min_coverage`` of the group's inhabitants (the share is reported as ``<id>_dekking``, in
%; for a group without inhabitants, the share of its members); below that it is missing.
Counts (``aantal``) are summed only when every member has them, and class codes have no
group value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from etl import schema
from layers import constants
from layers.derivations import DERIVATIONS
from layers.errors import ScoringInputError
from layers.indicators import carried_by, denominator, inputs


def membership(groups: Mapping[str, Sequence[str]], codes: pd.Index) -> pd.DataFrame:
    """Return the members of each group as a long frame with the position of each member.

    Parameters
    ----------
    groups
        Group id → member codes (a member may belong to several groups; repeats within one
        group count once).
    codes
        The codes of the areas the members must be among.

    Returns
    -------
    pandas.DataFrame
        Columns ``groep`` (group id), ``code`` and ``positie`` (position in ``codes``).

    Raises
    ------
    layers.errors.ScoringInputError
        When members are not among ``codes``, naming up to five.
    """
    if isinstance(groups, (str, bytes)) or not isinstance(groups, Mapping):
        raise ScoringInputError("groups must be a mapping of group id → member codes.")
    pairs = [
        (str(g), str(c))
        for g, members in groups.items()
        for c in ([members] if isinstance(members, str) else members)
    ]
    frame = pd.DataFrame(pairs, columns=["groep", schema.CODE]).drop_duplicates()
    frame["positie"] = codes.get_indexer(pd.Index(frame[schema.CODE], dtype="string"))
    unknown = frame.loc[frame["positie"] < 0, schema.CODE].unique()
    if len(unknown):
        raise ScoringInputError(
            f"{len(unknown)} group members are not among the areas given, e.g. "
            f"{unknown[:5].tolist()}; members must be codes of the same niveau and year as the "
            "statistics (for focus areas use layers.focus.members with that jaar and niveau)."
        )
    return frame.reset_index(drop=True)


def aggregate_inputs(
    available: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    min_coverage: float,
    population: np.ndarray | None = None,
) -> pd.DataFrame:
    """Aggregate input columns (see :func:`layers.indicators.inputs`) into groups.

    This is :func:`aggregate` for callers that already hold the inputs. ``population``
    (per row of ``available``) weighs coverage instead of the inputs' own
    ``AantalInwoners``: a composed view weighs an older edition's members by the
    inhabitants of the view's year.
    """
    members = membership(groups, available.index)
    ids = pd.Index(list(dict.fromkeys(str(g) for g in groups)), name=schema.CODE)
    gidx = ids.get_indexer(pd.Index(members["groep"]))
    pos = members["positie"].to_numpy()
    n_groups = len(ids)

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(gidx, weights=weights, minlength=n_groups).astype("float64")

    n_members = total(np.ones(len(pos)))
    if population is not None:
        pop = np.asarray(population, dtype="float64")[pos]
    elif schema.POPULATION in available:
        pop = available[schema.POPULATION].to_numpy()[pos]
    else:
        pop = np.full(len(pos), np.nan)
    pop = np.nan_to_num(pop, nan=0.0)
    pop_total = total(pop)

    out: dict[str, np.ndarray] = {constants.N_GEBIEDEN: n_members}
    cover: dict[str, np.ndarray] = {}
    for ind in carried_by(available):
        derivation = DERIVATIONS[ind.derivation]
        source = available[ind.source].to_numpy(dtype="float64")
        num, den = derivation.parts(source, denominator(ind, available))
        num_m = num[pos]
        den_m = None if den is None else den[pos]
        ok = ~np.isnan(num_m) if den_m is None else ~np.isnan(num_m) & ~np.isnan(den_m)
        n_ok = total(ok.astype("float64"))
        with np.errstate(invalid="ignore", divide="ignore"):
            dekking = np.where(
                pop_total > 0,
                100 * total(np.where(ok, pop, 0.0)) / pop_total,
                100 * n_ok / n_members,
            )
        num_sum = total(np.where(ok, num_m, 0.0))
        den_sum = None if den_m is None else total(np.where(ok, den_m, 0.0))
        value = derivation.combine(num_sum, den_sum)
        if den_m is None:
            usable = (n_ok == n_members) & (n_members > 0)
        else:
            usable = dekking >= 100 * min_coverage - 1e-9
        out[ind.id] = np.where(usable, value, np.nan)
        if ind.id != constants.INWONERS:
            cover[constants.dekking_column(ind.id)] = dekking
    frame = pd.DataFrame({**out, **cover}, index=ids)
    frame[constants.N_GEBIEDEN] = n_members.astype("int64")
    if constants.INWONERS not in frame:
        frame[constants.INWONERS] = np.nan
    first = [constants.INWONERS, constants.N_GEBIEDEN]
    return frame[first + [c for c in frame.columns if c not in first]]


def aggregate(
    stats: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    *,
    crime: pd.DataFrame | None = None,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Return the indicator values of groups of areas, from summed numerators and
    denominators.

    Parameters
    ----------
    stats
        Statistics of one KWB year and niveau (CBS KWB table, e.g. 85318NED), as
        :func:`etl.schema.read_statistics` returns them.
    groups
        Group id → codes of member areas (rows of ``stats``).
    crime
        Police-registered crime (CBS 47018NED) as :func:`etl.schema.read_crime` returns it.
    min_coverage
        Share of the group's inhabitants that members with a value must hold for the group
        to get one (default: as :class:`layers.config.ScoringConfig`).

    Returns
    -------
    pandas.DataFrame
        Index ``code`` = group id, in the order of ``groups``. Columns ``inwoners`` (sum;
        missing if a member lacks it), ``n_gebieden`` (number of members), one column per
        indicator the statistics carry (in its unit), and ``<id>_dekking``: the % of the
        group's inhabitants living in members that have the indicator.

    Raises
    ------
    layers.errors.ScoringInputError
        For members that are not rows of ``stats``.
    layers.errors.MissingColumnError
        Without ``code`` or ``AantalInwoners``.
    """
    return aggregate_inputs(inputs(stats, crime), groups, min_coverage=min_coverage)
