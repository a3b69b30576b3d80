"""Sortable, paged tables: state changes and sorting."""

from __future__ import annotations

from dashboard import tables


def test_next_state_sorts_and_pages() -> None:
    state = {"sort": "waarde", "desc": True, "page": 3}
    assert tables.next_state(state, {"col": "waarde"}) == {
        "sort": "waarde",
        "desc": False,
        "page": 0,
    }
    assert tables.next_state(state, {"col": "naam"})["desc"] is True
    assert tables.next_state(state, {"dir": "next"})["page"] == 4
    assert tables.next_state({"page": 0}, {"dir": "prev"})["page"] == 0
    assert tables.next_state(None, None) == {"sort": None, "desc": True, "page": 0}


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
