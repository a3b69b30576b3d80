"""Fixtures of the layers tests: tiny statistics frames, and the real store.

Integration tests read the session's store built from the real mirror ``../shared``
(``tests/conftest.py``); they are skipped when ``../shared`` is absent.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from etl import schema

TinyStats = Callable[..., pd.DataFrame]


def tiny_stats(n: int = 3, *, jaar: int = 2022, niveau: str = "wijk", **stems: Any) -> pd.DataFrame:
    """A statistics frame of ``n`` wijken of two gemeenten with the given stem columns.

    ``AantalInwoners`` defaults to 1,000 per area; values may be scalars or sequences.
    """
    prefix = {"wijk": "WK", "buurt": "BU", "gemeente": "GM"}[niveau]
    gemeenten = ["GM0001" if i < (n + 1) // 2 else "GM0002" for i in range(n)]
    if niveau == "gemeente":
        codes = [f"GM{i + 1:04d}" for i in range(n)]
        gemeenten = codes
    elif niveau == "wijk":
        codes = [f"{prefix}{g[2:]}{i:02d}" for i, g in enumerate(gemeenten)]
    else:
        codes = [f"{prefix}{g[2:]}00{i:02d}" for i, g in enumerate(gemeenten)]
    frame = pd.DataFrame(
        {
            schema.CODE: pd.array(codes, dtype="string"),
            schema.NAAM: pd.array([f"Gebied {i}" for i in range(n)], dtype="string"),
            schema.NIVEAU: pd.array([niveau] * n, dtype="string"),
            schema.JAAR: np.full(n, jaar, dtype="int64"),
            schema.GEMEENTE_CODE: pd.array(gemeenten, dtype="string"),
            schema.GEMEENTENAAM: pd.array([f"Gemeente {g}" for g in gemeenten], dtype="string"),
            schema.WIJK_CODE: pd.array([schema.wijk_of(c) for c in codes], dtype="string"),
        }
    )
    values = {schema.POPULATION: 1000.0, **stems}
    for stem, value in values.items():
        frame[stem] = np.broadcast_to(np.asarray(value, dtype="float64"), (n,)).copy()
    return frame


@pytest.fixture(scope="session")
def make_stats() -> TinyStats:
    """Factory of tiny statistics frames (see :func:`tiny_stats`)."""
    return tiny_stats


@pytest.fixture(scope="session")
def read_stats(store: Path) -> Callable[[int, str], pd.DataFrame]:
    """Reader of the store's statistics by year and niveau (cached per session)."""
    cache: dict[tuple[int, str], pd.DataFrame] = {}

    def read(jaar: int, niveau: str) -> pd.DataFrame:
        if (jaar, niveau) not in cache:
            cache[(jaar, niveau)] = schema.read_statistics(store, jaar, niveau)  # type: ignore[arg-type]
        return cache[(jaar, niveau)]

    return read


@pytest.fixture(scope="session")
def crime(store: Path) -> pd.DataFrame:
    """Police-registered crime (47018NED) of the store."""
    return schema.read_crime(store)


@pytest.fixture(scope="session")
def focus(store: Path) -> pd.DataFrame:
    """The NPLV focus-area definition of the store."""
    return schema.read_focusgebieden(store)
