"""Police-registered crime (CBS 47018NED) as inputs of the veiligheid indicators.

The store keeps crime as a long table (``code``, ``periode``, ``soort_misdrijf``, ``aantal``;
see :func:`etl.schema.read_crime`). For KWB year *Y* the crime of period *Y* is used, else of
period *Y + 1* (47018NED codes areas by the indeling of its release, so a later period often
fits a KWB year's codes better). Counts are summed per group of crime types
(:data:`etl.schema.CRIME_GROUPS`); an area without a row is missing, never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl import schema
from layers.constants import CRIME_STEM
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


def crime_period(crime: pd.DataFrame | None, jaar: int) -> int | None:
    """Return the crime period used for KWB year ``jaar``: ``jaar`` itself if the table has
    it, else ``jaar + 1``, else ``None``.

    Parameters
    ----------
    crime
        Long table of CBS 47018NED as :func:`etl.schema.read_crime` returns it.
    jaar
        The KWB year.
    """
    if crime is None or crime.empty:
        return None
    _check(crime)
    periods = set(pd.to_numeric(crime[schema.PERIODE], errors="coerce").dropna().astype(int))
    for periode in (jaar, jaar + 1):
        if periode in periods:
            return periode
    return None


def crime_inputs(crime: pd.DataFrame | None, jaar: int, codes: pd.Index) -> pd.DataFrame:
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
    codes
        The area codes; the result has them as index, in this order.

    Returns
    -------
    pandas.DataFrame
        One float column per present group, named by :func:`crime_input` (counts of
        registered crimes in the period).
    """
    periode = crime_period(crime, jaar)
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
