"""The NPLV focus areas: members per indeling year and niveau, and the overview."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from etl import schema
from layers.errors import MissingColumnError, ScoringInputError
from layers.focus import members, overview


def _focus(rows: list[tuple[str, int, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            (fid, fid.title(), "GM0599", jaar, niveau, code, zekerheid, f"bron {fid}")
            for fid, jaar, niveau, code, zekerheid in rows
        ],
        columns=list(schema.FOCUS_COLUMNS),
    )
    return frame.astype({c: "string" for c in schema.FOCUS_COLUMNS if c != schema.INDELING_JAAR})


TINY = _focus(
    [
        ("zuid", 2022, "wijk", "WK059910", "bevestigd"),
        ("zuid", 2024, "wijk", "WK059910", "bevestigd"),
        ("zuid", 2024, "buurt", "BU05991081", "bevestigd"),
        ("noord", 2022, "wijk", "WK059901", "bevestigd"),
        ("noord", 2022, "wijk", "WK059902", "onzeker"),
    ]
)


def test_the_indeling_of_the_year_or_the_latest_earlier_one_else_the_first() -> None:
    assert members(TINY, jaar=2022, niveau="wijk") == {
        "zuid": ["WK059910"],
        "noord": ["WK059901", "WK059902"],
    }
    assert members(TINY, jaar=2023, niveau="wijk")["noord"] == ["WK059901", "WK059902"]
    assert members(TINY, jaar=2025, niveau="wijk")["zuid"] == ["WK059910"]
    assert members(TINY, jaar=2019, niveau="wijk") == members(TINY, jaar=2022, niveau="wijk")


def test_buurten_come_from_buurt_members_or_from_expanding_wijken() -> None:
    assert members(TINY, jaar=2024, niveau="buurt") == {"zuid": ["BU05991081"]}
    areas = ["BU05990101", "BU05990102", "BU05990201", "BU05991081", "BU05991082"]
    expanded = members(TINY, jaar=2024, niveau="buurt", areas=areas)
    assert expanded == {
        "zuid": ["BU05991081"],  # its own buurt definition wins
        "noord": ["BU05990101", "BU05990102", "BU05990201"],
    }


def test_only_wijk_and_buurt_and_the_right_columns() -> None:
    with pytest.raises(ScoringInputError, match="groups of wijken or buurten"):
        members(TINY, jaar=2022, niveau="gemeente")
    with pytest.raises(MissingColumnError, match="read_focusgebieden"):
        members(TINY.drop(columns=[schema.ZEKERHEID]), jaar=2022, niveau="wijk")


def test_overview_is_onzeker_when_any_member_is() -> None:
    view = overview(TINY)
    assert list(view.columns) == [
        schema.FOCUSGEBIED_ID, schema.FOCUSGEBIED, schema.GEMEENTE_CODE, schema.ZEKERHEID,
        schema.BRON,
    ]  # fmt: skip
    assert view.set_index(schema.FOCUSGEBIED_ID)[schema.ZEKERHEID].to_dict() == {
        "zuid": "bevestigd",
        "noord": "onzeker",
    }


def test_the_store_defines_20_focus_areas_whose_members_exist(
    focus: pd.DataFrame, read_stats: Callable[[int, str], pd.DataFrame]
) -> None:
    view = overview(focus)
    assert len(view) == 20
    assert set(view[schema.ZEKERHEID]) == {"bevestigd", "onzeker"}
    for jaar in (2022, 2024):
        codes = set(read_stats(jaar, "wijk")[schema.CODE])
        groups = members(focus, jaar=jaar, niveau="wijk")
        assert len(groups) == 20
        assert {c for m in groups.values() for c in m} <= codes
    buurten = read_stats(2024, "buurt")[schema.CODE]
    by_buurt = members(focus, jaar=2024, niveau="buurt", areas=buurten)
    assert len(by_buurt) == 20
    assert len(by_buurt["rotterdam-zuid"]) == 7  # the NPRZ buurten, not all of Feijenoord
    assert set(by_buurt["rotterdam-zuid"]) <= set(buurten)
