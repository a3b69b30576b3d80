"""Read-only data access on a store built from ../shared."""

from __future__ import annotations

import pytest

from dashboard import data
from layers.config import ScoringConfig

pytestmark = pytest.mark.usefixtures("ctx")


def test_years_and_default_year() -> None:
    assert data.years() == (2017, 2019, 2022, 2024)
    # Both have boundaries; the 2024 view carries more scored domains (KWB 2022, RIVM 2020
    # and police 2024) than the 2022 view (no crime up to 2022).
    assert len(data.scored_domains(2024, "wijk")) > len(data.scored_domains(2022, "wijk")) >= 3
    assert data.default_year("wijk") == 2024
    assert data.resolve_year(2022, "wijk") == 2022
    assert data.resolve_year(1999, "wijk") == 2024
    assert data.resolve_year(2022, "buurt") == data.default_year("buurt")


def test_statistics_have_no_geometry_and_are_cached() -> None:
    stats = data.statistics(2022, "wijk")
    assert "geometry" not in stats.columns
    assert data.statistics(2022, "wijk") is stats


def test_scores_are_cached_per_config() -> None:
    base = data.scores(2022, "wijk", ScoringConfig())
    assert data.scores(2022, "wijk", ScoringConfig()) is base
    other = data.scores(2022, "wijk", ScoringConfig(threshold=60.0))
    assert other is not base
    assert other["stapeling"].sum() > base["stapeling"].sum()


def test_gemeenten_are_scored_among_nl_whatever_the_reference() -> None:
    within = ScoringConfig(reference="gemeente")
    assert data.scores(2022, "gemeente", within) is data.scores(2022, "gemeente", ScoringConfig())
    assert not data.scores(2022, "wijk", within).equals(data.scores(2022, "wijk", ScoringConfig()))


def test_web_layer_per_level_and_gemeente() -> None:
    national = data.web_layer(2022, "wijk")
    assert national is not None and len(national.codes) == 3340
    amsterdam = data.web_layer(2022, "wijk", "GM0363")
    assert amsterdam is not None and all(c.startswith("WK0363") for c in amsterdam.codes)
    assert amsterdam.codes == tuple(c for c in national.codes if c.startswith("WK0363"))
    assert amsterdam.gemeente == "GM0363" and national.gemeente is None
    assert data.web_layer(2024, "buurt", "GM0363") is None  # the mirror has no buurt boundaries
    assert data.web_layer(2017, "wijk") is None
    assert data.web_layer(2024, "buurt") is None


def test_focus_members() -> None:
    members = data.focus_members(2022)
    assert len(members) == 20
    assert members["utrecht-overvecht"] == ["WK034403"]


def test_partial_years_use_the_national_row() -> None:
    assert data.covers_nl(2022, "wijk")
    assert not data.covers_nl(2019, "wijk")  # Amsterdam only
    land = data.land_values(2019)
    assert land is not None and land["inwoners"] > 17_000_000
    assert data.coverage_names(2019) == ["Amsterdam"]


def test_search_index_and_area_years() -> None:
    index = data.search_index(2022)
    assert {"gemeente", "wijk"} <= set(index["niveau"])
    assert index["needle"].str.contains("overvecht").any()
    assert data.area_years("WK036300") == (2017, 2019, 2022)
    assert data.area_years("WK0363AA") == (2024,)


def test_warm_fills_the_home_page_caches(store) -> None:  # type: ignore[no-untyped-def]
    data._web_layer.cache_clear()
    data.warm(store)
    assert data._web_layer.cache_info().currsize == 1
    data.warm(store.parent / "no-store")  # a missing store is ignored


def test_area_name() -> None:
    assert data.area_name(2022, "gemeente", "GM0344") == "Utrecht"
    assert data.area_name(2022, "gemeente", "GM9999") is None
    assert data.area_name(2022, "buurt", "BU03630000") is None  # no buurten that year


def test_focus_members_are_cached_but_not_shared() -> None:
    first = data.focus_members(2022)
    first["utrecht-overvecht"].append("WK999999")
    first.clear()
    assert data.focus_members(2022)["utrecht-overvecht"] == ["WK034403"]
    assert data.focus_overview() is data.focus_overview()


def test_a_worker_keeps_only_the_current_build_in_its_caches(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Rebuild a store (a new ``built`` in its manifest) N times while serving the home
    page's data: the caches hold entries of at most two builds of it, and no more entries
    than one build needs."""
    import json
    import os
    import shutil

    import flask

    from etl import schema

    copy = tmp_path / "store"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("raw*"))
    app = flask.Flask("rebuilds")
    app.config[data.STORE_KEY] = str(copy)
    manifest = copy / schema.MANIFEST
    sizes, builds = [], []
    with app.app_context():
        for n in range(8):
            content = json.loads(manifest.read_text(encoding="utf-8"))
            content["built"] = f"2026-01-01T00:00:{n:02d}+00:00"
            manifest.write_text(json.dumps(content), encoding="utf-8")
            os.utime(manifest, ns=(n * 10**9 + 10**18, n * 10**9 + 10**18))
            jaar = data.default_year("wijk")
            assert jaar is not None
            data.scores(jaar, "wijk", ScoringConfig())
            assert data.web_layer(jaar, "wijk") is not None
            data.search_index(jaar)
            mine = {b for s, b in data.cached_builds() if s == str(copy.resolve())}
            builds.append(len(mine))
            sizes.append(sum(c.cache_info().currsize for c in data._CACHES))
    assert max(builds) <= 2, builds
    assert builds[-1] == 1 and max(sizes[1:]) <= sizes[0], sizes


def test_every_figure_of_a_view_names_its_source_edition_and_coverage() -> None:
    jaar = data.default_year("wijk")
    assert jaar is not None
    used = data.provenance(jaar, "wijk")
    scores = data.scores(jaar, "wijk", ScoringConfig())
    assert set(used) == {i.id for i in data.carried_indicators(jaar, "wijk")}
    for indicator, p in used.items():
        assert int(p["edition"]) <= jaar  # type: ignore[call-overload]
        assert p["matched"] == int(scores[indicator].notna().sum()), indicator
        assert p["areas"] == len(scores)
    years = data.domain_years(jaar, "wijk")
    assert set(years) == set(data.scored_domains(jaar, "wijk"))


def test_a_trend_uses_each_indicator_its_own_editions() -> None:
    from dashboard import areas
    from dashboard.urls import parse_view
    from layers.indicators import get_indicator

    code, view = "WK034403", parse_view("")
    for indicator_id in ("koopwoningen", "ervaren_gezondheid_goed", "inwoners"):
        shown, _ = areas.trend(code, get_indicator(indicator_id), (2022, 2024), view)
        editions = [
            int(data.provenance(j, "wijk")[indicator_id]["edition"])  # type: ignore[call-overload]
            for j in (2022, 2024)
            if indicator_id in data.provenance(j, "wijk")
        ]
        assert shown == sorted(set(editions)), indicator_id
    # KWB 2022 serves both views: one point, not two; inhabitants have both years.
    assert areas.trend(code, get_indicator("koopwoningen"), (2022, 2024), view)[0] == [2022]
    assert areas.trend(code, get_indicator("inwoners"), (2022, 2024), view)[0] == [2022, 2024]


def test_reference_and_focus_rows_carry_every_domain_their_areas_carry() -> None:
    """NL, a gemeente and the focus areas are aggregated from the same sources and years as
    the wijken they sit beside (RIVM 2020, KWB of an earlier year, police of the year)."""
    config = ScoringConfig()
    for jaar in (j for j in data.years() if data.has_statistics(j, "wijk")):
        areas = data.scores(jaar, "wijk", config)
        scored = [c for c in areas.columns if c.startswith("score_") and areas[c].notna().any()]
        rows = data.group_scores(jaar, "wijk", {"NL": list(areas.index)}, config)
        assert rows.loc["NL", scored].notna().all(), (jaar, rows.loc["NL", scored])
