"""Store values as plain floats: one value at a time and whole columns agree."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard import floats

MIXED = [1, 2.5, None, float("nan"), pd.NA, "3", "x", True, np.int64(4), math.inf]


def test_as_float_turns_missing_and_non_numbers_into_none() -> None:
    assert [floats.as_float(v) for v in MIXED] == [
        1.0, 2.5, None, None, None, 3.0, None, 1.0, 4.0, math.inf,
    ]  # fmt: skip


def test_as_floats_agrees_with_as_float() -> None:
    assert floats.as_floats(MIXED) == [floats.as_float(v) for v in MIXED]
    assert floats.as_floats(pd.Series([1, None], dtype="Int64")) == [1.0, None]
    assert floats.as_floats(pd.Series(["1.5", None], dtype="str")) == [1.5, None]
    assert floats.as_floats([]) == []


def test_column_of_a_missing_column_is_all_none() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0]})
    assert floats.column(frame, "a") == [1.0, None, 3.0]
    assert floats.column(frame, "b") == [None, None, None]
    assert floats.column(frame, None) == [None, None, None]
