"""What the map shows: resolution of a view, first draw versus recolour, drill-down."""

from __future__ import annotations

import json

import pytest

from dashboard import data, ids, mapview, svgmap
from dashboard.i18n import domain_label
from dashboard.urls import ViewState, parse_view
from layers.constants import score_column
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


def test_first_draw_sends_the_areas_and_a_recolour_only_classes() -> None:
    from dashboard import data

    first = mapview.render(parse_view(""), None)
    assert first.geo is not None and first.paint is not None and first.visible
    jaar = data.default_year("wijk")
    assert jaar is not None
    layer = data.web_layer(jaar, "wijk")
    assert layer is not None and first.geo["codes"] == list(layer.codes)
    assert first.geo["url"].startswith(svgmap.ROUTE) and first.geo["click"] == ids.MAP_GRAPH
    again = mapview.render(parse_view("maat=koopwoningen"), first.geokey)
    assert again.geo is None and again.paint is not None
    paint = again.paint
    assert len(paint["classes"]) == len(layer.codes)
    assert set(paint["classes"]) <= set(range(-1, len(paint["palette"])))
    assert len(paint["lines"]) == len(paint["values"]) == 3  # value, percentile, stacking
    assert all(len(v) == len(layer.codes) for v in paint["values"])
    assert "M" not in json.dumps(paint["classes"]) and "paths" not in paint


def test_outline_toggle_only_repaints() -> None:
    first = mapview.render(parse_view(""), None)
    toggled = mapview.render(parse_view("focus=1"), first.geokey)
    assert toggled.geo is None and toggled.paint is not None and toggled.paint["focus"] is True
    assert first.paint is not None and first.paint["focus"] is False
    groups = first.geo["focus"]  # type: ignore[index]
    assert groups and all(set(g) <= set(first.geo["codes"]) for g in groups)  # type: ignore[index]


def test_new_level_or_gemeente_resends_the_areas() -> None:
    first = mapview.render(parse_view(""), None)
    gemeenten = mapview.render(parse_view("niveau=gemeente"), first.geokey)
    assert gemeenten.geo is not None and gemeenten.geo["url"] != first.geo["url"]  # type: ignore[index]
    zoomed = mapview.render(parse_view("gemeente=GM0363"), first.geokey)
    assert zoomed.geo is not None and zoomed.geo["whole"] == first.geo["url"]  # type: ignore[index]
    assert 0 < len(zoomed.geo["codes"]) < 200
    assert all(c.startswith("WK0363") for c in zoomed.geo["codes"])


def test_no_boundaries_gives_a_note_and_no_map() -> None:
    r = mapview.render(parse_view("jaar=2017"), None)
    assert not r.visible and r.geo is None
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


def test_stacking_map_is_an_svg_map_with_its_legend() -> None:
    from dashboard import data
    from layers.config import ScoringConfig

    layer = data.web_layer(2022, "wijk", "GM0344")
    assert layer is not None
    scores = data.scores(2022, "wijk", ScoringConfig())
    wrap, legend = mapview.stacking_map(
        "g", 2022, "wijk", layer, scores, ScoringConfig(), "nl", label="Kaart", click="g-click"
    )
    view = wrap.children
    stores = {json.dumps(c.id, sort_keys=True): c for c in view.children if hasattr(c, "data")}
    geo = stores[json.dumps(svgmap.geo_id("g"), sort_keys=True)].data
    paint = stores[json.dumps(svgmap.paint_id("g"), sort_keys=True)].data
    assert geo["codes"] == list(layer.codes) and geo["click"] == "g-click"
    assert paint["classes"] == [
        -1 if v != v else int(v) for v in scores.reindex(list(layer.codes))["stapeling"]
    ]
    assert "Stapeling" in json.dumps(legend.to_plotly_json(), default=str)


def test_the_map_says_which_domains_rest_on_which_year_and_the_hover_names_the_source() -> None:
    from dashboard import areas, measures
    from layers.config import ScoringConfig

    jaar = data.default_year("wijk")
    assert jaar is not None
    years = data.domain_years(jaar, "wijk")
    resolved = mapview.resolve(parse_view(""))
    assert resolved is not None
    note = areas.domain_years_note(jaar, "wijk", resolved.config, "nl")
    assert years and note in resolved.notes
    for domain, editions in years.items():
        assert f"{domain_label(domain, 'nl')}: {', '.join(map(str, editions))}" in note
    # hover: the edition of the indicator shown, from the view's provenance
    scores = data.scores(jaar, "wijk", ScoringConfig())
    indicator = next(iter(data.provenance(jaar, "wijk")))
    measure = measures.find(
        measures.available(
            data.scored_domains(jaar, "wijk"), data.carried_indicators(jaar, "wijk")
        ),
        indicator,
    )
    assert measure is not None
    provenance = data.provenance(jaar, "wijk")
    lines, columns = mapview.hover(scores, measure, ScoringConfig(), "nl", provenance)
    source = areas.source_text(provenance[indicator], "nl")
    assert lines[0].endswith(f" · Bron: {source}") and len(columns) == len(lines)
    drawn = mapview.render(parse_view(f"jaar={jaar}&maat={indicator}"), None)
    assert drawn.paint is not None and drawn.paint["lines"][0] == lines[0]  # the map's hover
    assert str(data.provenance(jaar, "wijk")[indicator]["table"]) in source


def test_heading_and_lead_name_the_measure_shown() -> None:
    stacking = mapview.render(parse_view(""), None)
    assert stacking.title == "Stapeling van problemen"
    assert "probleemdomeinen" in stacking.lead
    shown = (("koopwoningen", "nl"), ("samengesteld", "en"), (score_column("wonen"), "nl"))
    for maat, taal in shown:
        resolved = mapview.resolve(parse_view(f"maat={maat}&taal={taal}"))
        assert resolved is not None and resolved.measure.id == maat
        r = mapview.render(resolved.view, None)
        label = resolved.measure.label(taal)
        assert r.title == label and label in r.lead
        assert r.title != stacking.title and "probleemdomeinen" not in r.lead
        assert mapview.shown_unit(resolved.measure, taal) in r.lead


def test_recolours_hold_what_the_servers_paint_would_show_for_every_measure() -> None:
    view = parse_view("jaar=2022")
    bundle = mapview.recolours(view)
    resolved = mapview.resolve(view)
    assert bundle is not None and resolved is not None
    first = mapview.render(view, None)
    assert bundle["geokey"] == first.geokey and bundle["el"] == svgmap.element_id(mapview.MAP)
    assert set(bundle["maat"]) == {m.id for m in resolved.measures}
    for measure in resolved.measures[:: max(1, len(resolved.measures) // 6)]:
        shown = mapview.render(view.with_(maat=measure.id), first.geokey)
        entry = bundle["maat"][measure.id]
        assert shown.paint is not None and shown.geo is None
        assert entry["key"] == shown.paint["key"] and entry["key"].endswith(bundle["colouring"])
        assert entry["classes"] == shown.paint["classes"]
        assert entry["palette"] == shown.paint["palette"]
        assert entry["title"] == shown.title and entry["lead"] == shown.lead
        assert json.dumps(entry["legend"].to_plotly_json(), default=str) == json.dumps(
            shown.legend.to_plotly_json(), default=str
        )


def test_the_recolours_key_follows_paths_scoring_and_language_not_the_measure() -> None:
    key = mapview.recolours_key(parse_view("jaar=2022"))
    assert key is not None
    assert mapview.recolours_key(parse_view("jaar=2022&maat=koopwoningen")) == key
    for other in ("jaar=2022&threshold=70", "jaar=2022&taal=en", "jaar=2022&niveau=gemeente"):
        assert mapview.recolours_key(parse_view(other)) not in (None, key)
    assert mapview.recolours_key(parse_view("niveau=buurt")) is None  # no map: no bundle
    assert mapview.recolours(parse_view("niveau=buurt")) is None


def test_a_year_without_the_level_says_which_year_is_shown_instead() -> None:
    have = [j for j in data.years() if data.has_statistics(j, "buurt")]
    lacking = [j for j in data.years() if j not in have]
    if not have or not lacking:
        pytest.skip("the store has buurten in every year or in none")
    r = mapview.resolve(parse_view(f"niveau=buurt&jaar={lacking[0]}"))
    assert r is not None and r.jaar in have
    said = [n for n in r.notes if f"{lacking[0]} heeft geen buurten" in n]
    assert said and f"getoond wordt {r.jaar}" in said[0]
    assert all(str(j) in said[0] for j in have)
    kept = mapview.resolve(parse_view(f"niveau=buurt&jaar={have[0]}"))
    assert kept is not None and not any("heeft geen" in n for n in kept.notes)


def test_the_colourings_of_a_view_are_made_once_for_every_measure() -> None:
    """A change of measure, focus or compare choice asks for the same bundle: it is made
    once per view of the store build (it costs the server a scoring pass per measure)."""
    first = mapview.recolours(parse_view("jaar=2022"))
    assert first is not None and len(first["maat"]) > 5
    assert mapview.recolours(parse_view("jaar=2022&maat=koopwoningen&focus=1")) is first
    other = mapview.recolours(parse_view("jaar=2022&threshold=70"))
    assert other is not None and other is not first and other["key"] != first["key"]
