"""Police-registered crime (CBS 47018NED) as inputs of the veiligheid indicators.

The store keeps crime as a long table (``code``, ``periode``, ``soort_misdrijf``, ``aantal``;
see :func:`etl.schema.read_crime`). For a view of year *Y* the crime of the most recent
period from *Y − max_age* up to *Y* is used (each period is an edition of the police
source; 47018NED codes every period by the indeling of its release, joined by code onto the
areas of *Y*). Counts are summed per group of crime types (:data:`etl.schema.CRIME_GROUPS`);
an area without a row is missing, never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import schema
from layers.constants import CRIME_STEM, DEFAULT_MAX_AGE
from layers.errors import MissingColumnError


def crime_input(group: str) -> str:
    """Name of the input column that holds the count of a crime group
    (``GeregistreerdeMisdrijven:geweld``)."""
    return f"{CRIME_STEM}:{group}"


def _check(crime: pd.DataFrame) -> None:
    missing = [c for c in schema.CRIME_COLUMNS if c not in crime.columns]
    if missing:
        raise MissingColumnError(
            f"The crime table lacks columns {missing}; pass the frame that "
            "etl.schema.read_crime returns (columns code, periode, soort_misdrijf, aantal)."
        )


def crime_period(
    crime: pd.DataFrame | None, jaar: int, max_age: int = DEFAULT_MAX_AGE
) -> int | None:
    """Return the crime period used for a view of year ``jaar``: the most recent period the
    table has from ``jaar - max_age`` up to ``jaar``, else ``None``.

    Parameters
    ----------
    crime
        Long table of CBS 47018NED as :func:`etl.schema.read_crime` returns it.
    jaar
        The year of the view (the KWB year of its areas).
    max_age
        How many years older than ``jaar`` the period may be
        (:attr:`layers.config.ScoringConfig.max_age`).
    """
    if crime is None or crime.empty:
        return None
    _check(crime)
    periods = set(pd.to_numeric(crime[schema.PERIODE], errors="coerce").dropna().astype(int))
    usable = [p for p in periods if jaar - max_age <= p <= jaar]
    return max(usable) if usable else None


def crime_inputs(
    crime: pd.DataFrame | None, jaar: int, codes: pd.Index, max_age: int = DEFAULT_MAX_AGE
) -> pd.DataFrame:
    """Return the crime count of every group for the given areas.

    A group is present only if every crime type of the group occurs in the period used
    (:func:`crime_period`); an area's count is missing when it has no row for one of the
    group's types.

    Parameters
    ----------
    crime
        Long table of CBS 47018NED, or ``None``.
    jaar
        The KWB year of the areas.
    max_age
        How much older the period may be (see :func:`crime_period`).
    codes
        The area codes; the result has them as index, in this order.

    Returns
    -------
    pandas.DataFrame
        One float column per present group, named by :func:`crime_input` (counts of
        registered crimes in the period).
    """
    periode = crime_period(crime, jaar, max_age)
    if crime is None or periode is None:
        return pd.DataFrame(index=codes)
    rows = crime[pd.to_numeric(crime[schema.PERIODE], errors="coerce") == periode]
    soort = rows[schema.MISDRIJF_SOORT].astype("string").str.strip()
    table = (
        pd.DataFrame(
            {
                schema.CODE: rows[schema.CODE].astype("string").str.strip().to_numpy(),
                schema.MISDRIJF_SOORT: soort.to_numpy(),
                schema.MISDRIJF_AANTAL: pd.to_numeric(rows[schema.MISDRIJF_AANTAL]).to_numpy(
                    dtype="float64", na_value=np.nan
                ),
            }
        )
        .groupby([schema.CODE, schema.MISDRIJF_SOORT])[schema.MISDRIJF_AANTAL]
        .sum(min_count=1)
        .unstack()
    )
    out = {}
    for group, types in schema.CRIME_GROUPS.items():
        if all(t in table.columns for t in types):
            out[crime_input(group)] = table[list(types)].sum(axis=1, min_count=len(types))
    return pd.DataFrame(out, index=table.index).reindex(codes)
