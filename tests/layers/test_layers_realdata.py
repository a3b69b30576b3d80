"""The layers on the real mirror: focus areas stand out, and scoring a year is fast.

2022 (85318NED) carries two scored domains on the mirror, armoede & werk (net labour
participation, persons in the lowest 40 % of income) and wonen (WOZ value, owner-occupied
dwellings); measured when written: the 87 scored focus wijken are 2.8 % of the scored wijken
but 18.2 % of the top decile of the composite, with a mean stacking count of 1.40 against
0.26 for the other wijken.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pandas as pd
import pytest

from etl import schema
from layers import constants
from layers.config import ScoringConfig
from layers.constants import RATE_MIN_POPULATION
from layers.focus import members, overview
from layers.scoring import score, score_groups

Reader = Callable[[int, str], pd.DataFrame]


@pytest.fixture(scope="module")
def wijken_2022(read_stats: Reader, focus: pd.DataFrame) -> pd.DataFrame:
    result = score(read_stats(2022, "wijk"))
    codes = {c for m in members(focus, jaar=2022, niveau="wijk").values() for c in m}
    return result.assign(focus=result.index.isin(codes))


def test_2022_carries_armoede_werk_and_wonen_only(wijken_2022: pd.DataFrame) -> None:
    carried = [d for d in ("armoede_werk", "onderwijs", "gezondheid_zorg", "wonen", "veiligheid")
               if wijken_2022[constants.score_column(d)].notna().any()]  # fmt: skip
    assert carried == ["armoede_werk", "wonen"]


def test_focus_wijken_are_over_represented_at_the_top(wijken_2022: pd.DataFrame) -> None:
    scored = wijken_2022[wijken_2022[constants.SAMENGESTELD].notna()]
    top = scored[constants.SAMENGESTELD] >= scored[constants.SAMENGESTELD].quantile(0.9)
    share_all = scored["focus"].mean()
    share_top = scored.loc[top, "focus"].mean()
    assert scored["focus"].sum() >= 80
    assert share_top >= 4 * share_all  # measured: 18.2 % against 2.8 %
    stacking = scored.groupby("focus")[constants.STAPELING].mean()
    assert stacking[True] >= stacking[False] + 0.8  # measured: 1.40 against 0.26


def test_focus_areas_score_high_as_groups(read_stats: Reader, focus: pd.DataFrame) -> None:
    names = dict(overview(focus)[[schema.FOCUSGEBIED_ID, schema.FOCUSGEBIED]].to_numpy())
    groups = members(focus, jaar=2022, niveau="wijk")
    result = score_groups(read_stats(2022, "wijk"), groups, names=names)
    assert len(result) == 20
    assert result[constants.N_GEBIEDEN].sum() == sum(len(m) for m in groups.values())
    assert (result[constants.STAPELING] == 2).sum() >= 15
    assert result[constants.SAMENGESTELD].median() >= 85
    assert result.loc["rotterdam-zuid", schema.NAAM] == "Rotterdam-Zuid"


def test_2024_scores_safety_where_crime_is_known(read_stats: Reader, crime: pd.DataFrame) -> None:
    result = score(read_stats(2024, "wijk"), crime=crime)
    safety = result[constants.score_column("veiligheid")]
    total = crime[(crime[schema.PERIODE] == 2024) & (crime[schema.MISDRIJF_SOORT] == "0.0.0")]
    known = result.index.isin(total.loc[total[schema.MISDRIJF_AANTAL].notna(), schema.CODE])
    large = result[constants.INWONERS] >= max(ScoringConfig().min_population, RATE_MIN_POPULATION)
    assert known.sum() >= len(result) // 2
    assert safety[known & large].notna().all()
    assert safety[~known].isna().all()
    assert result.loc[
        ~known & ~result[constants.TE_WEINIG_INWONERS], constants.ONVOLDOENDE_GEGEVENS
    ].all()


@pytest.mark.parametrize(("jaar", "niveau"), [(2022, "wijk"), (2024, "wijk"), (2024, "buurt")])
def test_scoring_a_whole_year_takes_milliseconds(
    read_stats: Reader, crime: pd.DataFrame, jaar: int, niveau: str
) -> None:
    stats = read_stats(jaar, niveau)
    score(stats, crime=crime)  # warm up
    best = min(_timed(lambda: score(stats, crime=crime)) for _ in range(5))
    assert best < 0.25, f"{len(stats)} areas took {best * 1000:.0f} ms"  # measured: 8-9 ms


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start
