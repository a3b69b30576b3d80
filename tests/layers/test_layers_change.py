"""Change between editions: codes in both, new and gone codes, suppression, classes, movers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from layers import constants
from layers.change import CLASSES, change, class_order, classify, movers, persistence
from layers.errors import ChangeError, UnknownIndicatorError
from layers.indicators import get_indicator
from layers.scoring import score

BIJSTAND = "bijstand_per_1000"
CLASSES_BIJSTAND = CLASSES["hoger_slechter"]


def _view(make_stats: Callable[..., pd.DataFrame], jaar: int, codes: list[str], **stems):  # type: ignore[no-untyped-def]
    stats = make_stats(len(codes), jaar=jaar, **stems)
    stats["code"] = pd.array(codes, dtype="string")
    stats["gemeente_code"] = pd.array(["GM" + c[2:6] for c in codes], dtype="string")
    return score(stats)


def test_change_in_unit_and_percentile_for_codes_in_both(make_stats) -> None:  # type: ignore[no-untyped-def]
    codes = ["WK000100", "WK000101", "WK000102"]
    before = _view(make_stats, 2022, codes, PersonenPerSoortUitkeringBijstand=[10, 20, 30])
    after = _view(make_stats, 2024, codes, PersonenPerSoortUitkeringBijstand=[40, 20, 30])
    out = change(before, after, BIJSTAND)
    assert out.attrs["jaar_van"] == 2022 and out.attrs["jaar_tot"] == 2024
    assert (out[constants.STATUS] == constants.BEIDE).all()
    assert out[constants.VERSCHIL].tolist() == pytest.approx([30.0, 0.0, 0.0])
    # WK000100 moves from the lowest to the highest value: 1/6 → 5/6 of the way.
    assert out.loc["WK000100", constants.PERCENTIEL_VAN] == pytest.approx(100 / 6)
    assert out.loc["WK000100", constants.PERCENTIEL_TOT] == pytest.approx(500 / 6)
    # WK000101 keeps its value but drops from the middle to the bottom.
    assert out.loc["WK000101", constants.PERCENTIEL_VERSCHIL] == pytest.approx(-100 / 3)
    assert out.loc["WK000100", constants.KLASSE] == "veel_slechter"  # more bijstand: worse
    assert out.loc["WK000101", constants.KLASSE] == "gelijk"


def test_suppressed_in_one_edition_is_missing_not_zero(make_stats) -> None:  # type: ignore[no-untyped-def]
    codes = ["WK000100", "WK000101", "WK000102"]
    before = _view(make_stats, 2022, codes, PersonenPerSoortUitkeringBijstand=[10, 20, 30])
    after = _view(make_stats, 2024, codes, PersonenPerSoortUitkeringBijstand=[10, np.nan, 30])
    out = change(before, after, BIJSTAND)
    row = out.loc["WK000101"]
    assert row[constants.STATUS] == constants.BEIDE
    assert row[constants.WAARDE_VAN] == pytest.approx(20.0)
    assert np.isnan(row[constants.WAARDE_TOT])
    assert np.isnan(row[constants.VERSCHIL]) and np.isnan(row[constants.PERCENTIEL_VERSCHIL])
    assert row[constants.KLASSE] == "onbekend"


def test_boundary_change_shows_new_and_gone_codes_never_zero(make_stats) -> None:  # type: ignore[no-untyped-def]
    # WK000102 is split into WK000103 and WK000104 with the same values as before.
    before = _view(
        make_stats, 2022, ["WK000100", "WK000101", "WK000102"],
        PersonenPerSoortUitkeringBijstand=[10, 20, 30],
    )  # fmt: skip
    after = _view(
        make_stats, 2024, ["WK000100", "WK000101", "WK000103", "WK000104"],
        PersonenPerSoortUitkeringBijstand=[10, 20, 30, 30],
    )  # fmt: skip
    out = change(before, after, BIJSTAND)
    assert list(out.index) == ["WK000100", "WK000101", "WK000103", "WK000104", "WK000102"]
    status = out[constants.STATUS].astype(str).to_dict()
    assert status["WK000102"] == constants.VERVALLEN
    assert status["WK000103"] == status["WK000104"] == constants.NIEUW
    for code in ("WK000102", "WK000103", "WK000104"):
        assert np.isnan(out.loc[code, constants.VERSCHIL])
        assert out.loc[code, constants.KLASSE] == status[code]
    assert out.loc["WK000102", constants.WAARDE_VAN] == pytest.approx(30.0)
    assert out.loc["WK000103", constants.WAARDE_TOT] == pytest.approx(30.0)
    assert out.loc["WK000102", "naam"] == before.loc["WK000102", "naam"]


def test_a_code_that_reappears_is_compared_where_both_editions_hold_it(make_stats) -> None:  # type: ignore[no-untyped-def]
    y2017 = _view(
        make_stats, 2017, ["WK000100", "WK000101", "WK000102"],
        PersonenPerSoortUitkeringBijstand=[10, 20, 30],
    )  # fmt: skip
    y2022 = _view(
        make_stats, 2022, ["WK000100", "WK000101"], PersonenPerSoortUitkeringBijstand=[10, 20]
    )
    y2024 = _view(
        make_stats, 2024, ["WK000100", "WK000101", "WK000102"],
        PersonenPerSoortUitkeringBijstand=[10, 20, 25],
    )  # fmt: skip
    assert change(y2017, y2022, BIJSTAND).loc["WK000102", constants.STATUS] == constants.VERVALLEN
    assert change(y2022, y2024, BIJSTAND).loc["WK000102", constants.STATUS] == constants.NIEUW
    through = change(y2017, y2024, BIJSTAND).loc["WK000102"]
    assert through[constants.STATUS] == constants.BEIDE
    assert through[constants.VERSCHIL] == pytest.approx(-5.0)
    assert through[constants.KLASSE] in ("beter", "veel_beter")


def test_areas_too_small_to_score_have_no_change(make_stats) -> None:  # type: ignore[no-untyped-def]
    codes = ["WK000100", "WK000101", "WK000102"]
    before = _view(
        make_stats, 2022, codes, AantalInwoners=[1000, 150, 1000],
        PersonenPerSoortUitkeringBijstand=[10, 2, 30],
    )  # fmt: skip
    after = _view(make_stats, 2024, codes, PersonenPerSoortUitkeringBijstand=[10, 20, 30])
    out = change(before, after, BIJSTAND)
    assert np.isnan(out.loc["WK000101", constants.WAARDE_VAN])
    assert out.loc["WK000101", constants.KLASSE] == "onbekend"


@pytest.mark.parametrize(
    ("indicator", "rise", "fall", "small_rise"),
    [
        ("bijstand_per_1000", "veel_slechter", "veel_beter", "slechter"),
        ("inkomen_per_inwoner", "veel_beter", "veel_slechter", "beter"),
        ("leeftijd_65_plus", "veel_hoger", "veel_lager", "hoger"),
    ],
)
def test_classes_follow_the_direction(
    indicator: str, rise: str, fall: str, small_rise: str
) -> None:
    ind = get_indicator(indicator)
    verschil = pd.Series([5.0, -5.0, 0.05, 0.2, np.nan])
    status = pd.Series([constants.BEIDE] * 5)
    out = classify(verschil, status, ind, scale=1.0, breaks=(0.1, 0.5))
    assert out.iloc[0] == rise and out.iloc[1] == fall
    assert out.iloc[2] == "gelijk"
    assert out.iloc[3] == small_rise
    assert out.iloc[4] == "onbekend"
    assert list(out.cat.categories) == list(class_order(ind))


def test_bad_breaks_and_scales_are_refused() -> None:
    ind = get_indicator(BIJSTAND)
    s, st = pd.Series([1.0]), pd.Series([constants.BEIDE])
    with pytest.raises(ChangeError, match="breaks"):
        classify(s, st, ind, scale=1.0, breaks=(0.5, 0.1))
    with pytest.raises(ChangeError, match="scale"):
        classify(s, st, ind, scale=0.0)


def test_errors_name_what_to_do(make_stats) -> None:  # type: ignore[no-untyped-def]
    codes = ["WK000100", "WK000101"]
    before = _view(make_stats, 2022, codes, PersonenPerSoortUitkeringBijstand=[10, 20])
    after = _view(make_stats, 2024, codes)
    with pytest.raises(ChangeError, match="no values in 2024"):
        change(before, after, BIJSTAND)
    with pytest.raises(UnknownIndicatorError):
        change(before, after, "onbekend")
    gemeenten = score(make_stats(2, niveau="gemeente", PersonenPerSoortUitkeringBijstand=1))
    with pytest.raises(ChangeError, match="one niveau"):
        change(before, gemeenten, BIJSTAND)


def test_movers_biggest_first_per_gemeente(make_stats) -> None:  # type: ignore[no-untyped-def]
    codes = ["WK000100", "WK000101", "WK000202", "WK000203"]
    before = _view(make_stats, 2022, codes, PersonenPerSoortUitkeringBijstand=[10, 20, 30, 40])
    after = _view(
        make_stats, 2024, [*codes[:3], "WK000204"],
        PersonenPerSoortUitkeringBijstand=[12, 5, 90, 40],
    )  # fmt: skip
    out = change(before, after, BIJSTAND)
    assert movers(out, n=2).index.tolist() == ["WK000202", "WK000101"]
    assert movers(out, gemeente="GM0001").index.tolist() == ["WK000101", "WK000100"]
    assert movers(out, gemeente="GM0002").index.tolist() == ["WK000202"]  # new/gone left out
    with pytest.raises(ChangeError, match="GM9999"):
        movers(out, gemeente="GM9999")


def test_persistence_pairwise_and_through_all() -> None:
    table = persistence(
        {2024: ["A", "B", "D"], 2017: ["A", "B", "C", "E"], 2022: ["A", "C", "D"]}
    ).set_index(["van", "tot"])
    assert table.loc[(2017, "2022"), "n_beide"] == 2
    assert table.loc[(2017, "2022"), "aandeel_van"] == pytest.approx(0.5)
    assert table.loc[(2022, "2024"), "aandeel_tot"] == pytest.approx(2 / 3)
    assert table.loc[(2017, "alle"), "n_beide"] == 1  # only A is in every edition
    assert table.loc[(2017, "alle"), "aandeel_van"] == pytest.approx(0.25)
    with pytest.raises(ChangeError):
        persistence({2017: ["A"]})


@given(
    before=st.dictionaries(
        st.sampled_from([f"WK0001{i:02d}" for i in range(12)]),
        st.one_of(st.none(), st.integers(0, 200)),
        min_size=2,
    ),
    after=st.dictionaries(
        st.sampled_from([f"WK0001{i:02d}" for i in range(12)]),
        st.one_of(st.none(), st.integers(0, 200)),
        min_size=2,
    ),
)
@settings(max_examples=40, deadline=None)
def test_status_and_change_for_any_two_editions(
    before: dict[str, int | None], after: dict[str, int | None]
) -> None:
    from tests.layers.conftest import tiny_stats

    def view(jaar: int, values: dict[str, int | None]) -> pd.DataFrame:
        counts = [np.nan if v is None else float(v) for v in values.values()]
        stats = tiny_stats(len(values), jaar=jaar, PersonenPerSoortUitkeringBijstand=counts)
        stats["code"] = pd.array(list(values), dtype="string")
        return score(stats)

    # An edition without any value does not carry the indicator (an error, tested above).
    assume(any(v is not None for v in before.values()))
    assume(any(v is not None for v in after.values()))
    out = change(view(2022, before), view(2024, after), BIJSTAND)
    assert set(out.index) == set(before) | set(after)
    for code, row in out.iterrows():
        status = row[constants.STATUS]
        expected = (
            constants.BEIDE if code in before and code in after
            else constants.NIEUW if code in after else constants.VERVALLEN
        )  # fmt: skip
        assert status == expected
        known = status == constants.BEIDE and before[code] is not None and after[code] is not None
        if known:
            assert row[constants.VERSCHIL] == pytest.approx(after[code] - before[code])
            assert row[constants.KLASSE] in CLASSES_BIJSTAND
        else:
            assert np.isnan(row[constants.VERSCHIL])  # never a zero change
            assert row[constants.KLASSE] == (status if status != constants.BEIDE else "onbekend")
