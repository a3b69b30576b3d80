"""Properties of the scoring and the aggregation on random frames (hypothesis)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from etl import schema
from layers import constants
from layers.aggregate import aggregate
from layers.config import ScoringConfig
from layers.indicators import SCORED_DOMAINS, get_indicator
from layers.scoring import place, score, score_groups

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

STEMS: dict[str, tuple[int, int]] = {
    "InBezitWoningcorporatie": (0, 100),  # wonen, higher is worse
    "Koopwoningen": (0, 100),  # wonen, higher is better
    "PercentageOnbewoond": (0, 30),  # wonen
    "PersonenPerSoortUitkeringBijstand": (0, 400),  # armoede_werk, a count
    "Nettoarbeidsparticipatie": (20, 90),  # armoede_werk, higher is better
    "WmoClienten": (0, 400),  # gezondheid_zorg, a count
    "Woningvoorraad": (0, 3000),  # denominator only
}
NAN = float("nan")


def _column(lo: int, hi: int, n: int) -> st.SearchStrategy[list[float]]:
    # Values on a coarse grid so that ties occur; about one in six missing.
    value = st.integers(lo, hi).map(lambda v: v / 2 if hi <= 100 else float(v))
    return st.lists(
        st.one_of(value, value, value, value, value, st.just(NAN)), min_size=n, max_size=n
    )


Spec = dict[str, Any]
TinyStats = Callable[..., pd.DataFrame]


@st.composite
def specs(draw: st.DrawFn, min_rows: int = 1, max_rows: int = 24) -> Spec:
    """Arguments of the ``make_stats`` fixture: row count, inhabitants and stem columns."""
    n = draw(st.integers(min_rows, max_rows))
    pop = draw(
        st.lists(st.one_of(st.integers(0, 5000).map(float), st.just(NAN)), min_size=n, max_size=n)
    )
    stems = {stem: draw(_column(lo, hi, n)) for stem, (lo, hi) in STEMS.items()}
    return {"n": n, "AantalInwoners": pop, **stems}


configs = st.builds(
    ScoringConfig,
    min_population=st.integers(0, 1000),
    threshold=st.integers(0, 100).map(float),
    weights=st.lists(st.integers(0, 3), min_size=5, max_size=5)
    .filter(lambda w: sum(w) > 0)
    .map(lambda w: dict(zip(SCORED_DOMAINS, map(float, w), strict=True))),
    reference=st.sampled_from(["nl", "gemeente"]),
    min_coverage=st.sampled_from([0.25, 0.5, 1.0]),
)


def _in_bounds(series: pd.Series, lo: float, hi: float) -> bool:
    values = series.dropna().astype("float64")
    return bool(((values >= lo) & (values <= hi)).all())


@SETTINGS
@given(spec=specs(), config=configs)
def test_scores_stay_within_bounds(
    make_stats: TinyStats, spec: Spec, config: ScoringConfig
) -> None:
    frame = make_stats(**spec)
    result = score(frame, config=config)
    for col in result.columns:
        if col.endswith(constants.PCT_SUFFIX) or col.startswith(constants.SCORE_PREFIX):
            assert _in_bounds(result[col], 0, 100), col
    assert _in_bounds(result[constants.SAMENGESTELD], 0, 100)
    carried = sum(result[constants.score_column(d)].notna().any() for d in SCORED_DOMAINS)
    assert _in_bounds(result[constants.STAPELING], 0, carried)
    small = result[constants.TE_WEINIG_INWONERS]
    assert result.loc[small, constants.SAMENGESTELD].isna().all()


@SETTINGS
@given(
    spec=specs(),
    config=configs,
    data=st.data(),
    stem=st.sampled_from(["InBezitWoningcorporatie", "PersonenPerSoortUitkeringBijstand"]),
)
def test_raising_a_worse_indicator_never_lowers_its_domain_score(
    make_stats: TinyStats, spec: Spec, config: ScoringConfig, data: st.DataObject, stem: str
) -> None:
    frame = make_stats(**spec)
    row = data.draw(st.integers(0, len(frame) - 1))
    assume(not math.isnan(frame[stem].iloc[row]))
    raised = frame.copy()
    raised.loc[raised.index[row], stem] += data.draw(st.integers(1, 200))
    domain = "wonen" if stem == "InBezitWoningcorporatie" else "armoede_werk"
    col = constants.score_column(domain)
    before = score(frame, config=config)[col].iloc[row]
    after = score(raised, config=config)[col].iloc[row]
    assert math.isnan(before) == math.isnan(after)
    if not math.isnan(before):
        assert after >= before - 1e-9


@SETTINGS
@given(spec=specs(), config=configs, data=st.data())
def test_row_order_does_not_change_results(
    make_stats: TinyStats, spec: Spec, config: ScoringConfig, data: st.DataObject
) -> None:
    frame = make_stats(**spec)
    order = data.draw(st.permutations(list(range(len(frame)))))
    result = score(frame, config=config)
    shuffled = score(frame.iloc[order], config=config)
    pd.testing.assert_frame_equal(shuffled.loc[result.index], result)
    codes = list(frame[schema.CODE])
    groups = {"alle": codes, "eerste": codes[:1]}
    pd.testing.assert_frame_equal(aggregate(frame.iloc[order], groups), aggregate(frame, groups))


@SETTINGS
@given(spec=specs(min_rows=2), config=configs, data=st.data())
def test_missing_values_never_count_as_zero(
    make_stats: TinyStats, spec: Spec, config: ScoringConfig, data: st.DataObject
) -> None:
    frame = make_stats(**spec)
    row = data.draw(st.integers(0, len(frame) - 1))
    holed = frame.copy()
    holed.loc[holed.index[row], "PercentageOnbewoond"] = NAN
    result = score(holed, config=config)
    code = holed[schema.CODE].iloc[row]
    if "leegstand_pct" not in result:
        return  # the column has no value left at all: not carried
    assert math.isnan(result.loc[code, "leegstand_pct"])
    # The other areas rank as if the area were not there for this indicator.
    dropped = score(holed.drop(index=holed.index[row]), config=config)
    pd.testing.assert_series_equal(
        result["leegstand_pct"].drop(code), dropped["leegstand_pct"], check_names=False
    )
    # The domain score is the mean of the percentiles that are present.
    present = [c for c in ("corporatiewoningen_pct", "koopwoningen_pct") if c in result]
    wonen = result.loc[code, present].dropna()
    if len(wonen) and not math.isnan(result.loc[code, "score_wonen"]):
        assert result.loc[code, "score_wonen"] == pytest.approx(wonen.mean())
    # Missing domains are not counted in the stacking count nor the composite.
    scores = result.loc[code, [constants.score_column(d) for d in SCORED_DOMAINS]]
    stacked = result.loc[code, constants.STAPELING]
    if scores.notna().any():
        assert stacked == int((scores.dropna() >= config.threshold).sum())
    else:
        assert pd.isna(stacked)


@SETTINGS
@given(spec=specs(), data=st.data())
def test_a_group_of_one_area_keeps_its_values(
    make_stats: TinyStats, spec: Spec, data: st.DataObject
) -> None:
    frame = make_stats(**spec)
    row = data.draw(st.integers(0, len(frame) - 1))
    assume(frame[schema.POPULATION].iloc[row] > 0)
    code = frame[schema.CODE].iloc[row]
    areas = score(frame)
    groups = score_groups(frame, {"g": [code]})
    stock = frame["Woningvoorraad"]
    weight = (stock if stock.notna().any() else frame[schema.POPULATION]).iloc[row]
    checked = ["bijstand_per_1000", "wmo_per_1000"]
    if weight > 0:  # published shares need a positive weight to be rebuilt
        checked += ["corporatiewoningen", "koopwoningen"]
    for ind in checked:
        if ind not in areas:
            continue
        a, g = areas.loc[code, ind], groups.loc["g", ind]
        assert (math.isnan(a) and math.isnan(g)) or a == pytest.approx(g, rel=1e-9)
        pct = constants.pct_column(ind)
        a, g = areas.loc[code, pct], groups.loc["g", pct]
        assert (math.isnan(a) and math.isnan(g)) or a == g


@SETTINGS
@given(spec=specs(min_rows=2))
def test_aggregation_sums_numerators_and_denominators(make_stats: TinyStats, spec: Spec) -> None:
    frame = make_stats(**spec)
    codes = list(frame[schema.CODE])
    result = aggregate(frame, {"alle": codes}, min_coverage=1e-9)
    pop = frame[schema.POPULATION]
    count = frame["PersonenPerSoortUitkeringBijstand"]
    ok = count.notna() & pop.notna()
    if "bijstand_per_1000" in result and pop[ok].sum() > 0:
        expected = count[ok].sum() / pop[ok].sum() * 1000
        assert result.loc["alle", "bijstand_per_1000"] == pytest.approx(expected)
    stock, share = frame["Woningvoorraad"], frame["InBezitWoningcorporatie"]
    ok = stock.notna() & share.notna()
    if "corporatiewoningen" in result and stock[ok].sum() > 0 and pop.fillna(0)[ok].sum() > 0:
        expected = (share[ok] * stock[ok]).sum() / stock[ok].sum()
        assert result.loc["alle", "corporatiewoningen"] == pytest.approx(expected)
    if pop.notna().all():
        assert result.loc["alle", constants.INWONERS] == pop.sum()
    else:
        assert math.isnan(result.loc["alle", constants.INWONERS])


@SETTINGS
@given(
    ref=st.lists(st.one_of(st.integers(-5, 5).map(float), st.just(NAN)), max_size=30),
    target=st.lists(st.integers(-6, 6).map(float), min_size=1, max_size=10),
)
def test_place_is_a_mid_rank_percentile(ref: list[float], target: list[float]) -> None:
    r, t = np.array(ref), np.array(target)
    out = place(r, np.zeros(len(r), dtype="int64"), t, np.zeros(len(t), dtype="int64"))
    valid = r[~np.isnan(r)]
    for value, got in zip(t, out, strict=True):
        if len(valid) == 0:
            assert math.isnan(got)
        else:
            expected = 100 * ((valid < value).sum() + 0.5 * (valid == value).sum()) / len(valid)
            assert got == pytest.approx(expected)


def test_directions_of_the_property_stems() -> None:
    # The properties above rely on these directions.
    assert get_indicator("corporatiewoningen").direction == constants.HOGER_SLECHTER
    assert get_indicator("bijstand_per_1000").direction == constants.HOGER_SLECHTER
    assert get_indicator("koopwoningen").direction == constants.HOGER_BETER
