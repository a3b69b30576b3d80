"""Scoring benchmark: :func:`layers.scoring.score` against the row-by-row baseline
(:func:`bench.baselines.score_rows`), with a check that both give the same results."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bench.baselines import score_rows
from bench.measure import Figure, median_seconds
from etl import schema
from layers.config import ScoringConfig
from layers.scoring import score
from layers.view import score_view

SECTION = "scoring"
BASELINE = (
    "`bench.baselines.score_rows`: the same recipe written row by row in pandas (a Python "
    "loop over areas, percentiles by comparison per area); its results are checked equal to "
    "the vectorised ones before timing"
)
VIEW_CASES = ((2024, "wijk"), (2024, "buurt"))
"""Views composed from several sources (KWB 2022 and 2024, RIVM 2020, police 2024)."""

CASES = ((2017, "wijk"), (2017, "buurt"), (2022, "wijk"), (2024, "wijk"))
"""Year and niveau pairs that carry scored indicators on the mirror (all wijken and buurten
of a year)."""


def equal(fast: pd.DataFrame, slow: pd.DataFrame) -> bool:
    """Whether every column of the baseline equals the vectorised result (NaN = NaN)."""
    for column in slow.columns:
        a = fast.loc[slow.index, column].astype("float64").to_numpy()
        b = slow[column].astype("float64").to_numpy()
        if not np.allclose(a, b, equal_nan=True, rtol=0, atol=1e-9):
            return False
    return True


def run(store: Path, *, repeat: int, cases: Sequence[tuple[int, str]] = CASES) -> list[Figure]:
    """Time both implementations on real areas of the store; refuse unequal results."""
    config = ScoringConfig()
    crime = schema.read_crime(store)
    figures = []
    for jaar, niveau in cases:
        stats = schema.read_statistics(store, jaar, niveau)
        fast = score(stats, config=config, crime=crime)
        slow = score_rows(stats, config=config, crime=crime)
        if not equal(fast, slow):
            raise AssertionError(f"scoring {jaar} {niveau}: vectorised and row-by-row differ")
        t_fast = median_seconds(lambda s=stats: score(s, config=config, crime=crime),
                                repeat=max(repeat, 5))  # fmt: skip
        slow_repeat = 1 if len(stats) > 5000 else repeat
        t_slow = median_seconds(lambda s=stats: score_rows(s, config=config, crime=crime),
                                repeat=slow_repeat, warmup=0)  # fmt: skip
        figures.append(
            Figure(SECTION, f"score {jaar} {niveau} ({len(stats):,} areas)", t_fast * 1e3,
                   "ms", t_slow * 1e3, "row-by-row pandas, same recipe (results equal)",
                   max(repeat, 5), extra={"areas": len(stats), "baseline_repeats": slow_repeat})
        )  # fmt: skip
    for jaar, niveau in VIEW_CASES if cases == CASES else ():
        sources = schema.read_sources(store, niveau)  # type: ignore[arg-type]
        stats = sources.statistics[jaar]
        t_view = median_seconds(
            lambda j=jaar, n=niveau, src=sources: score_view(src, jaar=j, niveau=n, config=config),
            repeat=max(repeat, 5),
        )
        t_own = median_seconds(lambda s=stats: score(s, config=config, crime=crime),
                               repeat=max(repeat, 5))  # fmt: skip
        figures.append(
            Figure(SECTION, f"composed view {jaar} {niveau} ({len(stats):,} areas, every "
                   "indicator at its own source's edition)", t_view * 1e3, "ms", t_own * 1e3,
                   "score of the year's own KWB table and crime only (no composition)",
                   max(repeat, 5), extra={"areas": len(stats)})
        )  # fmt: skip
    return figures
