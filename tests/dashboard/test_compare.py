"""Comparing areas: search for the autocomplete, side-by-side rows."""

from __future__ import annotations

import pytest

from dashboard import areas, compare, data
from dashboard.floats import as_float
from dashboard.i18n import fmt_number
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


def test_search_lists_hits_before_the_chosen_areas() -> None:
    # the chosen areas stay in the options (their labels), but after the hits, so Enter in
    # the search box takes the best hit instead of removing a chosen area
    hits = compare.search("utrecht", 2022, "en", keep=("WK036300",))
    assert hits[0]["value"] == "GM0344"
    assert hits[-1]["value"] == "WK036300" and "district" in hits[-1]["label"]
    assert sum(h["value"] == "WK036300" for h in hits) == 1


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Den Haag", "GM0518"), ("den bosch", "GM0796"), ("s-Gravenhage", "GM0518"),
     ("'S GRAVENHAGE", "GM0518"), ("hertogenbosch", "GM0796")],
)  # fmt: skip
def test_search_finds_other_names_and_ignores_punctuation(typed: str, code: str) -> None:
    hits = compare.search(typed, 2022, "nl")
    assert hits and hits[0]["value"] == code
    # the browser filters the options on ``search`` as typed: it must hold the typed form
    assert data.fold(typed) in hits[0]["search"]


def test_fold_drops_accents_case_and_punctuation() -> None:
    assert data.fold("Súdwest-Fryslân") == "sudwest fryslan"
    assert data.fold("  'S-Hertogenbosch ") == "s hertogenbosch"
    assert data.fold("Chassébuurt") == data.fold("CHASSEBUURT")


def test_an_accent_free_query_finds_an_accented_name() -> None:
    accented = [
        (jaar, row.code, row.naam)
        for jaar in data.years()
        for row in data.search_index(jaar).itertuples()
        if data.fold(row.naam).isascii() and not row.naam.isascii() and len(row.naam) > 4
    ]
    if not accented:
        pytest.skip("the store has no accented area names")
    jaar, code, naam = accented[0]
    typed = data.fold(naam)  # as typed on a keyboard without accents
    assert typed.isascii() and typed != naam.casefold()
    assert code in [h["value"] for h in compare.search(typed, jaar, "nl")]


def test_chosen_profiles_and_rows() -> None:
    view = parse_view("codes=WK034403,GM0363,BU03630000,WK999999")
    profiles, missing = compare.chosen(view.codes, 2022, view)
    assert [p.code for p in profiles] == ["WK034403", "GM0363"]
    assert missing == ["BU03630000", "WK999999"]
    rows = compare.table_rows(profiles, "nl")
    labels = [r["indicator"] for r in rows]
    # the labels of layers/columns.py, as in the codebook
    assert labels[:3] == ["Inwoners", "Stapeling", "Samengestelde score"]
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
    assert compare.series(profiles, "nl") == [
        (compare.series_label(p, "nl"), areas.domain_scores(p.row, domains)) for p in profiles
    ]
    # each label says among which level the area is scored: a gemeente and a wijk differ
    labels = [label for label, _ in compare.series(profiles, "nl")]
    assert labels[0].endswith("onder wijken") and labels[1].endswith("onder gemeenten")
    scores = areas.domain_scores(profiles[0].row, domains)
    assert all(isinstance(s, float) and 0 <= s <= 100 for s in scores)
    assert areas.domain_scores(None, domains) == [None] * len(domains)


def test_codes_beyond_the_maximum_are_named_not_dropped_silently(app, pages) -> None:  # type: ignore[no-untyped-def]
    from dashboard.urls import MAX_COMPARE

    codes = data.search_index(2022)["code"].head(MAX_COMPARE + 2).tolist()
    page = pages["vergelijk"]
    text = str(page.layout(codes=",".join(codes), jaar="2022").to_plotly_json())
    assert f"left out: {codes[-2]}, {codes[-1]}" in text.replace("weggelaten", "left out")
    with app.server.test_request_context("/"):
        body = page.result(parse_view("codes=" + ",".join(codes)), page.left_out(codes))
    assert codes[-1] in str(body.to_plotly_json())
    assert page.left_out(codes[:MAX_COMPARE]) == ()


def test_nl_and_the_gemeente_can_be_set_beside_the_areas(app, pages) -> None:  # type: ignore[no-untyped-def]
    view = parse_view("codes=WK034403,WK036300&met=nl,gemeente&jaar=2022")
    assert view.met == ("gemeente", "nl") and "met=gemeente,nl" in view.query()
    assert parse_view("met=wereld,nl,nl").met == ("nl",)
    profiles, _ = compare.chosen(view.codes, 2022, view)
    refs = compare.references(profiles, view.met, "nl")
    assert [r.label for r in refs] == [
        "Utrecht (alle wijken)",
        "Amsterdam (alle wijken)",
        "Nederland (alle wijken)",
    ]
    utrecht, nl = refs[0], refs[2]
    assert utrecht.row is profiles[0].gemeente and nl.row is profiles[0].nl
    rows = compare.table_rows(profiles, "nl", refs)
    koop = next(r for r in rows if r["indicator"] == "Koopwoningen")
    assert koop["WK034403"].endswith(")")  # an area: value (percentile)
    expected = fmt_number(as_float(profiles[0].gemeente.get("koopwoningen")), "nl")
    assert koop[utrecht.key] == expected  # a reference: its value, no percentile
    domains = compare.domains_of(profiles)
    series = compare.series(profiles, "nl", refs)
    assert series[-1] == (nl.label, areas.domain_scores(profiles[0].nl, domains))
    assert compare.references(profiles, (), "nl") == []
    # the page: a choice that follows the URL, and the columns in the table
    with app.server.test_request_context("/"):
        body = pages["vergelijk"].result(view)
    assert "Nederland (alle wijken)" in str(body.to_plotly_json())


def test_one_label_means_one_number_on_every_page() -> None:
    """Journey 5: "Utrecht (alle wijken)" on the focus page, the area page and compare is
    one row with one set of scores; Utrecht ranked among gemeenten is labelled apart."""
    from dashboard import focusareas

    view = parse_view("")
    checked = []
    for jaar in (j for j in data.years() if data.has_statistics(j, "wijk")):
        d = focusareas.detail("utrecht-overvecht", jaar, view)
        if d is None or d.gemeente is None:
            continue
        checked.append(jaar)
        wijk = areas.profile("WK034403", jaar, view)
        gemeente = areas.profile("GM0344", jaar, view)
        assert wijk is not None and gemeente is not None and wijk.gemeente is not None
        refs = compare.references([wijk], ("gemeente",), "nl")
        assert [r.label for r in refs] == ["Utrecht (alle wijken)"]
        scores = [f"score_{s}" for s in SCORED_DOMAINS]
        for row in (wijk.gemeente, refs[0].row):
            assert [as_float(row.get(c)) for c in scores] == pytest.approx(
                [as_float(d.gemeente.get(c)) for c in scores], nan_ok=True
            ), jaar
        among = compare.series_label(gemeente, "nl")
        assert among.endswith("onder gemeenten") and among not in {r.label for r in refs}
    assert checked, "no year has the focus area"
