"""What the map shows: resolution of a view, first draw versus recolour, drill-down."""

from __future__ import annotations

import json

import pytest

from dashboard import data, mapview
from dashboard.urls import ViewState, parse_view
from layers.indicators import INDICATORS

pytestmark = pytest.mark.usefixtures("ctx")


def test_resolve_fills_in_year_and_falls_back_to_stacking() -> None:
    r = mapview.resolve(parse_view("maat=onbestaand"))
    assert r is not None
    jaar = data.default_year("wijk")
    assert r.jaar == jaar and r.measure.id == "stapeling"
    assert jaar is not None
    n = len(data.scored_domains(jaar, "wijk"))
    assert n == 5 or any(f"draagt {n} van de 5" in note for note in r.notes)
    carried = {i.id for i in data.carried_indicators(2024, "wijk")}
    absent = next(i.id for i in INDICATORS if i.id not in carried)
    r = mapview.resolve(parse_view(f"jaar=2024&maat={absent}"))
    assert r is not None and r.measure.id == "stapeling"
    assert any("bevat deze maat niet" in n for n in r.notes)


def test_resolve_drops_an_unknown_gemeente() -> None:
    r = mapview.resolve(parse_view("gemeente=GM9999"))
    assert r is not None and r.view.gemeente is None


def test_first_draw_sends_geometry_and_a_recolour_does_not() -> None:
    first = mapview.render(parse_view(""), None)
    assert first.figure is not None and first.visible
    jaar = data.default_year("wijk")
    assert jaar is not None
    assert len(first.figure["data"][0]["locations"]) == len(data.statistics(jaar, "wijk"))
    again = mapview.render(parse_view("maat=koopwoningen"), first.geokey)
    assert again.figure is None and again.recolour is not None
    payload = json.dumps(again.recolour)
    assert "coordinates" not in payload
    assert len(payload) < len(json.dumps(first.figure)) / 5
    assert again.recolour["hovertemplate"].count("customdata") == 3  # value, percentile, stacking


def test_outline_toggle_is_a_patch() -> None:
    first = mapview.render(parse_view(""), None)
    toggled = mapview.render(parse_view("focus=1"), first.geokey)
    assert toggled.figure is None and toggled.outlines is True


def test_new_level_or_gemeente_resends_geometry() -> None:
    first = mapview.render(parse_view(""), None)
    assert mapview.render(parse_view("niveau=gemeente"), first.geokey).figure is not None
    zoomed = mapview.render(parse_view("gemeente=GM0363"), first.geokey)
    assert zoomed.figure is not None
    assert len(zoomed.figure["data"][0]["locations"]) < 200


def test_no_boundaries_gives_a_note_and_no_map() -> None:
    r = mapview.render(parse_view("jaar=2017"), None)
    assert not r.visible and r.figure is None
    assert "geen grenzen" in json.dumps(r.notes, default=str)
    buurt = mapview.render(parse_view("niveau=buurt&jaar=2024&gemeente=GM0363"), None)
    assert not buurt.visible


def test_legend_and_summary_in_english() -> None:
    r = mapview.render(parse_view("taal=en"), None)
    text = json.dumps(r.legend.to_plotly_json(), default=str)
    assert "no data / too few inhabitants" in text
    assert "scored areas" in r.summary


def test_drill_target() -> None:
    view = ViewState(jaar=2022, maat="koopwoningen", taal="en")
    assert mapview.drill_target({"points": [{"location": "GM0363"}]}, view) == (
        "/?jaar=2022&maat=koopwoningen&gemeente=GM0363&taal=en"
    )
    assert mapview.drill_target({"points": [{"location": "WK036300"}]}, view) == (
        "/gebied/WK036300?jaar=2022&taal=en"
    )
    assert mapview.drill_target({"points": [{"location": "javascript:x"}]}, view) is None
    assert mapview.drill_target(None, view) is None


def test_next_view_from_controls() -> None:
    view = parse_view("niveau=wijk&gemeente=GM0363")
    assert mapview.next_view(view, "gemeente", 2022, "stapeling", "GM0363", []).gemeente is None
    chosen = mapview.next_view(
        parse_view("niveau=gemeente"), "gemeente", 2022, "x", "GM0344", ["1"]
    )
    assert (chosen.niveau, chosen.gemeente, chosen.focus) == ("wijk", "GM0344", True)


def test_table_rows_cover_every_area() -> None:
    columns, rows, measure = mapview.table_rows(parse_view("niveau=gemeente"))
    jaar = data.default_year("gemeente")
    assert jaar is not None
    assert len(rows) == len(data.statistics(jaar, "gemeente")) and measure is not None
    assert {c.key for c in columns} >= {"naam", "code", "waarde"}


def test_domain_notes_say_what_the_scores_rest_on() -> None:
    assert mapview.domain_notes(2022, "wijk", "nl") == [
        n
        for n in mapview.resolve(parse_view("jaar=2022")).notes
        if "draagt" in n  # type: ignore[union-attr]
    ]
    n = len(data.scored_domains(2022, "wijk"))
    assert f"draagt {n} van de 5" in mapview.domain_notes(2022, "wijk", "nl")[0]


def test_graph_label_names_measure_level_and_year() -> None:
    r = mapview.resolve(parse_view("taal=en&niveau=gemeente"))
    assert r is not None
    label = mapview.graph_label(r)
    assert str(data.default_year("gemeente")) in label and r.measure.label("en") in label


def test_table_rows_match_the_score_frame() -> None:
    view = parse_view("maat=koopwoningen")
    r = mapview.resolve(view)
    assert r is not None
    scores = mapview.frame(r)
    _, rows, _ = mapview.table_rows(view)
    assert [row["code"] for row in rows] == list(scores.index)
    for row, (code, area) in zip(rows[:400], scores.iterrows(), strict=False):
        assert row["naam"] == (area["naam"] if isinstance(area["naam"], str) else code)
        for key, column in (("waarde", "koopwoningen"), ("percentiel", "koopwoningen_pct")):
            value = area[column]
            assert row[key] == (None if value != value else float(value))  # NaN → None


def test_stacking_map_is_a_graph_with_its_legend() -> None:
    from dashboard import data
    from layers.config import ScoringConfig

    layer = data.web_layer(2022, "wijk", "GM0344")
    assert layer is not None
    scores = data.scores(2022, "wijk", ScoringConfig())
    wrap, legend = mapview.stacking_map("g", layer, scores, ScoringConfig(), "nl", uirevision="u")
    graph = wrap.children
    assert graph.id == "g" and graph.figure["layout"]["uirevision"] == "u"
    assert graph.figure["data"][0]["locations"] == list(layer.codes)
    assert "Stapeling" in json.dumps(legend.to_plotly_json(), default=str)
