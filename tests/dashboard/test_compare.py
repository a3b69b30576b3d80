"""Comparing areas: search for the autocomplete, side-by-side rows."""

from __future__ import annotations

import pytest

from dashboard import areas, compare, data
from dashboard.urls import parse_view
from layers.indicators import SCORED_DOMAINS

pytestmark = pytest.mark.usefixtures("ctx")


def test_search_by_name_and_code_best_first() -> None:
    hits = compare.search("overvecht", 2022, "nl")
    assert hits and hits[0]["value"] == "WK034403"
    assert "wijk · Utrecht" in hits[0]["label"]
    assert compare.search("GM0363", 2022, "nl")[0]["value"] == "GM0363"
    assert compare.search("a", 2022, "nl") == []  # at least two characters
    assert len(compare.search("en", 2022, "nl")) == compare.MAX_RESULTS


def test_search_keeps_chosen_areas_first() -> None:
    hits = compare.search("utrecht", 2022, "en", keep=("WK036300",))
    assert hits[0]["value"] == "WK036300"
    assert "district" in hits[0]["label"]
    assert sum(h["value"] == "WK036300" for h in hits) == 1


def test_chosen_profiles_and_rows() -> None:
    view = parse_view("codes=WK034403,GM0363,BU03630000,WK999999")
    profiles, missing = compare.chosen(view.codes, 2022, view)
    assert [p.code for p in profiles] == ["WK034403", "GM0363"]
    assert missing == ["BU03630000", "WK999999"]
    rows = compare.table_rows(profiles, "nl")
    labels = [r["indicator"] for r in rows]
    assert labels[:3] == ["Inwoners", "Stapeling", "Samengesteld"]
    assert labels.count("Inwoners") == 1
    koop = next(r for r in rows if r["indicator"] == "Koopwoningen")
    assert koop["WK034403"].endswith(")")  # value (percentile)
    carried = {d for n in ("wijk", "gemeente") for d in data.scored_domains(2022, n)}
    assert {"armoede_werk", "gezondheid_zorg", "wonen"} <= carried  # KWB 2022 and RIVM 2020
    assert compare.domains_of(profiles) == [d for d in SCORED_DOMAINS if d in carried]


def test_series_are_the_domain_scores_of_each_area() -> None:
    view = parse_view("")
    profiles, _ = compare.chosen(("WK034403", "GM0363"), 2022, view)
    domains = compare.domains_of(profiles)
    assert compare.series(profiles) == [
        (f"{p.naam} ({p.code})", areas.domain_scores(p.row, domains)) for p in profiles
    ]
    scores = areas.domain_scores(profiles[0].row, domains)
    assert all(isinstance(s, float) and 0 <= s <= 100 for s in scores)
    assert areas.domain_scores(None, domains) == [None] * len(domains)
