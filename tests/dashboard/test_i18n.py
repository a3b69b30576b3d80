"""Texts in both languages and number formatting."""

from __future__ import annotations

import string

import pytest

from dashboard.i18n import STRINGS, fmt_number, fmt_share, fmt_value, join_words, t


def test_every_text_has_both_languages_and_the_same_placeholders() -> None:
    fields = string.Formatter()
    for key, (nl, en) in STRINGS.items():
        assert nl and en, key
        names_nl = {f for _, f, _, _ in fields.parse(nl) if f}
        names_en = {f for _, f, _, _ in fields.parse(en) if f}
        assert names_nl == names_en, key


def test_t_fills_placeholders_and_rejects_unknown_keys() -> None:
    assert t("map.summary", "en", n_stacked=1, n_scored=2, share="50 %").startswith("1 of 2")
    with pytest.raises(KeyError):
        t("no.such.key")


@pytest.mark.parametrize(
    ("value", "taal", "expected"),
    [
        (12345.678, "nl", "12.346"),
        (12345.678, "en", "12,346"),
        (12.34, "nl", "12,3"),
        (12.34, "en", "12.3"),
        (3.0, "nl", "3"),
        (None, "nl", "–"),
        (float("nan"), "nl", "–"),
        ("x", "nl", "–"),
    ],
)
def test_fmt_number(value: object, taal: str, expected: str) -> None:
    assert fmt_number(value, taal) == expected


def test_fmt_value_units_and_share() -> None:
    assert fmt_value(12.34, "%", "nl") == "12,3 %"
    assert fmt_value(245000, "€", "nl") == "€ 245.000"
    assert fmt_value(8.1, "per 1 000 inwoners") == "8,1 per 1 000 inwoners"
    assert fmt_share(1, 4) == "25 %"
    assert fmt_share(1, 0) == "–"


def test_join_words() -> None:
    assert join_words(["a", "b", "c"]) == "a, b en c"
    assert join_words(["a", "b"], "en") == "a and b"
    assert join_words(["armoede en werk", "wonen"]) == "armoede en werk; wonen"
    assert join_words([]) == ""


def test_every_unit_shown_has_its_english_from_the_declarations() -> None:
    """Units come from layers/columns.py and the registry; RIVM's "% van 18-plussers" was
    shown in Dutch on the English pages."""
    from dashboard.i18n import unit
    from layers.indicators import INDICATORS

    for ind in INDICATORS:
        assert unit(ind.unit, "en") == ind.unit_en != ind.unit, ind.id
        assert unit(ind.unit, "nl") == ind.unit
    assert unit("% van 18-plussers", "en") == "% of adults (18+)"
    assert fmt_value(8.1, "per 1 000 inwoners", "en") == "8.1 per 1,000 inhabitants"
