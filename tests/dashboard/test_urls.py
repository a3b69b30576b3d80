"""URL state: parsing never raises, invalid values fall back, building is canonical."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.urls import (
    LEGACY_KEYS,
    MAX_COMPARE,
    ViewState,
    area_path,
    is_code,
    is_focus_id,
    parse_codes,
    parse_view,
)
from layers.config import ScoringConfig

DEFAULT = ScoringConfig()
WHATIF = DEFAULT.replace(
    weights={**dict(DEFAULT.weights), "onderwijs": 2.0, "wonen": 0.5},
    threshold=75.0,
    min_population=500,
    reference="gemeente",
    max_age=2,
)


def test_defaults() -> None:
    view = parse_view("")
    assert view == ViewState()
    assert view.query() == ""
    assert (view.niveau, view.maat, view.taal) == ("wijk", "stapeling", "nl")


def test_round_trip() -> None:
    view = ViewState(
        niveau="gemeente",
        jaar=2022,
        maat="koopwoningen",
        gemeente="GM0363",
        focus=True,
        taal="en",
        scoring=WHATIF,
        codes=("WK036300", "GM0344"),
    )
    query = view.query()
    assert parse_view(query) == view
    assert "weight_onderwijs=2&weight_wonen=0.5&threshold=75&min_population=500" in query
    assert "reference=gemeente&max_age=2" in query and "codes=WK036300,GM0344" in query


def test_the_url_speaks_the_names_of_the_scoring_config() -> None:
    """Each what-if key is a ScoringConfig field (weights: ``weight_<domain>``)."""
    names = set(DEFAULT.to_dict())
    for key, _value in (p.split("=") for p in ViewState(scoring=WHATIF).query()[1:].split("&")):
        assert key in names or key.removeprefix("weight_") in dict(DEFAULT.weights), key


def test_links_of_earlier_versions_still_open_the_same_view() -> None:
    old = "w_onderwijs=2&w_wonen=0.5&drempel=75&min_inw=500&ref=gemeente&max_leeftijd=2"
    assert parse_view(old).scoring == WHATIF
    assert parse_view(old).query() == ViewState(scoring=WHATIF).query()
    assert set(LEGACY_KEYS) == {"w_", "drempel", "min_inw", "ref", "max_leeftijd"}
    assert parse_view("drempel=60&threshold=70").scoring.threshold == 70  # today's key wins


def test_weights_all_zero_count_as_not_given() -> None:
    zero = "&".join(f"weight_{d}=0" for d, _ in DEFAULT.weights)
    assert parse_view(zero).scoring == DEFAULT
    assert parse_view(zero + "&threshold=70").scoring == DEFAULT.replace(threshold=70.0)


def test_dash_keyword_form() -> None:
    """Dash Pages passes repeated keys as lists; the first value counts."""
    view = parse_view({"niveau": ["buurt", "wijk"], "jaar": "2019", "taal": "en"})
    assert (view.niveau, view.jaar, view.taal) == ("buurt", 2019, "en")


@pytest.mark.parametrize(
    ("query", "field", "expected"),
    [
        ("niveau=provincie", "niveau", "wijk"),
        ("jaar=twintig", "jaar", None),
        ("jaar=99999999", "jaar", None),
        ("maat=<script>alert(1)</script>", "maat", "stapeling"),
        ("maat=DROP TABLE", "maat", "stapeling"),
        ("gemeente=WK036300", "gemeente", None),
        ("gemeente=GM03", "gemeente", None),
        ("threshold=120", "threshold", DEFAULT.threshold),
        ("threshold=nan", "threshold", DEFAULT.threshold),
        ("threshold=inf", "threshold", DEFAULT.threshold),
        ("threshold=75,5", "threshold", 75.5),
        ("min_population=-5", "min_population", DEFAULT.min_population),
        ("min_population=1e9", "min_population", DEFAULT.min_population),
        ("min_population=1000", "min_population", 1000),
        ("reference=wereld", "reference", DEFAULT.reference),
        ("max_age=11", "max_age", DEFAULT.max_age),
        ("taal=fr", "taal", "nl"),
        ("focus=ja", "focus", True),
        ("weight_onderwijs=-1", "weights", DEFAULT.weights),
        ("weight_onbekend=2", "weights", DEFAULT.weights),
        ("weight_onderwijs=11", "weights", DEFAULT.weights),
    ],
)
def test_invalid_values_fall_back(query: str, field: str, expected: object) -> None:
    view = parse_view(query)
    got = getattr(view.scoring if hasattr(DEFAULT, field) else view, field)
    assert got == expected


def test_codes_are_validated_deduplicated_and_capped() -> None:
    raw = "wk036300,WK036300,<b>,GM0363," + ",".join(f"GM{i:04d}" for i in range(10))
    codes = parse_codes(raw)
    assert codes[:2] == ("WK036300", "GM0363")
    assert len(codes) == MAX_COMPARE
    assert all(is_code(c) for c in codes)


def test_carried_keeps_language_year_and_whatif_only() -> None:
    view = parse_view(
        "niveau=buurt&maat=x&jaar=2022&taal=en&threshold=70&weight_wonen=2&codes=GM0363"
    )
    assert view.carried() == "?jaar=2022&weight_wonen=2&threshold=70&taal=en"


def test_paths_and_ids() -> None:
    assert area_path("WK036300") == "/gebied/WK036300"
    assert is_focus_id("rotterdam-zuid")
    assert not is_focus_id("../../etc/passwd")
    assert not is_code("NL00")


@given(st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=8))
def test_parse_never_raises(query: dict[str, str]) -> None:
    view = parse_view(query)
    assert parse_view(view.query()) == view


@given(st.text(max_size=300))
def test_parse_string_never_raises(query: str) -> None:
    parse_view(query)
    parse_codes(query)
