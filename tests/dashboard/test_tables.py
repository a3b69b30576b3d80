"""Sortable, paged tables: state changes, sorting and rows built from score frames."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from dashboard import data, tables
from dashboard.i18n import domain_label
from dashboard.urls import parse_view
from etl.schema import NAAM


def test_next_state_sorts_and_pages() -> None:
    state = {"sort": "waarde", "desc": True, "page": 3}
    assert tables.next_state(state, {"col": "waarde"}) == {
        "sort": "waarde",
        "desc": False,
        "page": 0,
        "filter": "",
    }
    assert tables.next_state(state, {"col": "naam"})["desc"] is True
    assert tables.next_state(state, {"dir": "next"})["page"] == 4
    assert tables.next_state({"page": 0}, {"dir": "prev"})["page"] == 0
    assert tables.next_state(None, None) == {"sort": None, "desc": True, "page": 0, "filter": ""}


def test_sort_rows_puts_missing_last_and_ignores_case() -> None:
    rows = [
        {"v": 2.0, "n": "b"},
        {"v": None, "n": "A"},
        {"v": float("nan"), "n": "c"},
        {"v": 5, "n": "a"},
    ]
    assert [r["v"] for r in tables.sort_rows(rows, "v", True)][:2] == [5, 2.0]
    assert tables.sort_rows(rows, "v", False)[0]["v"] == 2.0
    assert [r["n"] for r in tables.sort_rows(rows, "n", False)] == ["A", "a", "b", "c"]
    assert tables.sort_rows(rows, None, True) == rows


def test_records_zip_columns_into_rows() -> None:
    assert tables.records({"a": [1, 2], "b": ["x", "y"]}) == [
        {"a": 1, "b": "x"},
        {"a": 2, "b": "y"},
    ]
    assert tables.records({}) == []
    with pytest.raises(ValueError):
        tables.records({"a": [1, 2], "b": ["x"]})


def test_area_names_fall_back_to_the_code() -> None:
    frame = pd.DataFrame({NAAM: ["Oost", None]}, index=pd.Index(["WK000101", "WK000102"]))
    assert tables.area_names(frame) == ["Oost", "WK000102"]


def _frame() -> pd.DataFrame:
    """Three score rows: a complete one, one without a name or scores, one unscored."""
    return pd.DataFrame(
        {
            NAAM: ["Oost", None, "West"],
            "inwoners": [1200, 80, np.nan],
            "stapeling": [2.0, np.nan, 0.0],
            "samengesteld": [81.4, np.nan, 12.0],
            "score_wonen": [90.5, np.nan, 10.0],
        },
        index=pd.Index(["WK000101", "WK000102", "WK000103"], name="code"),
    )


def test_scores_table_rows_hold_raw_numbers_and_none() -> None:
    view = parse_view("threshold=70&taal=en")
    spec = tables.scores_table(_frame(), ("wonen",), view)
    assert spec.rows[0] == {
        "code": "WK000101",
        "naam": "Oost",
        "inwoners": 1200.0,
        "stapeling": 2.0,
        "samengesteld": 81.4,
        "score_wonen": 90.5,
    }
    assert spec.rows[1]["naam"] == "WK000102"
    assert spec.rows[1]["stapeling"] is None and spec.rows[2]["inwoners"] is None
    assert [c.key for c in spec.columns] == [
        "naam", "code", "inwoners", "stapeling", "samengesteld", "score_wonen",
    ]  # fmt: skip
    link = spec.columns[0].render(spec.rows[0])  # type: ignore[misc]
    assert link.href == "/gebied/WK000101?threshold=70&taal=en"
    assert spec.columns[5].label == "Housing"
    assert [c.render(spec.rows[1]) for c in spec.columns[2:]] == ["80", "–", "–", "–"]  # type: ignore[misc]
    assert spec.page_size == 25 and spec.caption.startswith("3 · ")


def test_number_column_shows_whole_numbers() -> None:
    column = tables.number_column("v", "V", "nl")
    assert column.numeric
    assert [column.render({"v": v}) for v in (1234.6, None)] == ["1.235", "–"]  # type: ignore[misc]


@pytest.mark.usefixtures("ctx")
def test_the_map_table_says_where_its_figures_come_from(pages: dict[str, ModuleType]) -> None:
    jaar = data.default_year("wijk")
    assert jaar is not None
    used = data.provenance(jaar, "wijk")["ervaren_gezondheid_goed"]
    spec = pages["kaart"].map_table("/", parse_view("maat=ervaren_gezondheid_goed"))
    assert f"{used['publisher']} {used['table']}, {used['edition']}" in str(spec.caption)
    assert str(used["coverage"]) in str(spec.caption)
    stacking = pages["kaart"].map_table("/", parse_view(""))
    for domain, years in data.domain_years(jaar, "wijk").items():
        assert f"{domain_label(domain, 'nl')}: {', '.join(map(str, years))}" in str(
            stacking.caption
        )


def test_filter_state_is_cleaned_and_starts_on_the_first_page() -> None:
    state = {"sort": "waarde", "desc": False, "page": 4, "filter": "x"}
    assert tables.filtered(state, "  Súdwest ") == {
        "sort": "waarde",
        "desc": False,
        "page": 0,
        "filter": "Súdwest",
    }
    assert tables.filtered(state, {"evil": 1})["filter"] == ""
    assert tables.filtered(None, "a" * 500)["filter"] == "a" * 60
    # sorting and paging keep the filter
    assert tables.next_state({"filter": "utrecht"}, {"dir": "next"})["filter"] == "utrecht"


def test_matching_ignores_accents_case_and_punctuation() -> None:
    rows = [
        {"naam": "Wijk 01", "code": "WK190001", "gemeente": "Súdwest-Fryslân"},
        {"naam": "Centrum", "code": "WK036300", "gemeente": "Amsterdam"},
        {"naam": None, "code": "WK999999", "gemeente": None},
    ]
    keys = ("naam", "code", "gemeente")
    assert tables.matching(rows, keys, "sudwest fryslan") == [rows[0]]
    assert tables.matching(rows, keys, "wk0363") == [rows[1]]
    assert tables.matching(rows, keys, "  ") == rows
    assert tables.matching(rows, keys, "nergens") == []


@pytest.mark.usefixtures("ctx")
def test_the_national_map_table_can_be_searched(pages: dict[str, ModuleType]) -> None:
    view = parse_view("")
    spec = pages["kaart"].map_table("/", view)
    everything = tables.render("map", "/", view, {"sort": "waarde", "page": 0})
    body = tables.render("map", "/", view, {"sort": "waarde", "page": 0, "filter": "utrecht"})
    wanted = [
        r for r in spec.rows if "utrecht" in data.fold(f"{r['naam']} {r['code']} {r['gemeente']}")
    ]
    assert 0 < len(wanted) < len(spec.rows)
    text = str(body.to_plotly_json())
    assert f"{len(wanted)} van {len(spec.rows):,} gebieden".replace(",", ".") in text
    assert "passen bij" not in str(everything.to_plotly_json())
