"""Values of the score frames as plain floats, ``None`` where a value is missing.

Table rows keep raw numbers (tables sort on them, see :mod:`dashboard.tables`) and figure
series draw ``None`` as a gap; both take their numbers from here. :func:`as_float` converts
one value; :func:`as_floats` and :func:`column` convert a whole column at once, which is what
the tables of thousands of areas need.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


def as_float(value: Any) -> float | None:
    """Return ``value`` as a float; ``None`` for a missing value (``None``, NaN, ``pd.NA``)
    or anything that is not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def as_floats(values: pd.Series | Iterable[Any]) -> list[float | None]:
    """Return :func:`as_float` of every value, converted as one column."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return [None if math.isnan(x) else x for x in numbers.tolist()]


def column(frame: pd.DataFrame, name: str | None) -> list[float | None]:
    """Return a column of ``frame`` as :func:`as_floats`; all ``None`` when the frame lacks
    it (or ``name`` is ``None``)."""
    if name is None or name not in frame.columns:
        return [None] * len(frame)
    return as_floats(frame[name])
