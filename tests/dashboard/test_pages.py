"""Every page's layout for good, odd and hostile URLs; the empty store; the app itself."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dash import Dash

from dashboard import data, svgmap
from layers import constants
from layers.config import ScoringConfig

CASES = [
    ("kaart", {}),
    ("kaart", {"niveau": "gemeente", "jaar": "2024", "maat": "inwoners"}),
    ("kaart", {"niveau": "buurt"}),
    ("kaart", {"gemeente": "GM0363", "focus": "1", "taal": "en"}),
    ("kaart", {"jaar": "2017"}),
    ("kaart", {"maat": "<script>alert(1)</script>", "jaar": "x", "niveau": ["a", "b"]}),
    ("gebied", {"code": "GM0363"}),
    ("gebied", {"code": "WK036300", "jaar": "2019", "threshold": "60"}),
    ("gebied", {"code": "wk0363aa"}),
    ("gebied", {"code": "BU03630000", "jaar": "2019", "taal": "en"}),
    ("gebied", {"code": "<img src=x onerror=alert(1)>"}),
    ("gebied", {"code": "../../etc/passwd"}),
    ("gebied", {"code": "WK999999"}),
    ("focusgebieden", {}),
    ("focusgebieden", {"jaar": "2024", "taal": "en", "reference": "gemeente"}),
    ("focusgebied", {"focus_id": "rotterdam-zuid"}),
    ("focusgebied", {"focus_id": "<script>"}),
    ("vergelijk", {"codes": "WK034403,WK036300,GM0363,BU03630000"}),
    ("vergelijk", {"codes": "x,y"}),
    ("methode", {"weight_onderwijs": "3", "threshold": "75", "taal": "en"}),
    ("not_found_404", {}),
]


@pytest.mark.parametrize(("page", "query"), CASES)
def test_layouts_render(app: Dash, pages: dict[str, ModuleType], page: str, query: dict) -> None:  # type: ignore[type-arg]
    with app.server.test_request_context("/"):
        out = pages[page].layout(**query)
    text = json.dumps(out.to_plotly_json(), default=str)
    assert "Zicht op Wijken" in text  # every page has the shell
    assert "<script>alert" not in text.replace("\\u003c", "<").split('"maat"')[0] or page != "kaart"


def test_unknown_codes_get_a_helpful_page(app: Dash, pages: dict[str, ModuleType]) -> None:
    with app.server.test_request_context("/"):
        text = json.dumps(pages["gebied"].layout(code="WK999999").to_plotly_json(), default=str)
        assert "Gebied niet gevonden" in text and "WK999999" in text
        text = json.dumps(
            pages["focusgebied"].layout(focus_id="nope").to_plotly_json(), default=str
        )
        assert "Utrecht Overvecht" in text  # the list of known focus areas


def test_malformed_codes_are_cut_short(app: Dash, pages: dict[str, ModuleType]) -> None:
    with app.server.test_request_context("/"):
        out = pages["gebied"].layout(code="A" * 500)
    assert "A" * 21 not in json.dumps(out.to_plotly_json(), default=str)


def test_area_page_explains_stacking(app: Dash, pages: dict[str, ModuleType]) -> None:
    with app.server.test_request_context("/"):
        text = json.dumps(pages["gebied"].layout(code="WK034403").to_plotly_json(), default=str)
        jaar = data.default_year("wijk")
        assert jaar is not None
        config = ScoringConfig()
        domains = data.scored_domains(jaar, "wijk")
        row = data.scores(jaar, "wijk", config).loc["WK034403"]
    hits = sum(1 for d in domains if row[constants.score_column(d)] >= config.threshold)
    assert f"hoort op {hits} van de {len(domains)} gescoorde domeinen" in text
    assert 0 < len(domains) < 5 and f"Niet gescoord in {jaar}" in text


def test_empty_store_says_how_to_build_it(tmp_path: Path) -> None:
    from dashboard import create_app

    app = create_app(tmp_path / "no-store")
    client = app.server.test_client()
    page = client.get("/")  # 503, still the app, whose router shows the page below
    assert page.status_code == 503
    assert '<div id="react-entry-point">' in page.get_data(as_text=True)
    import sys

    with app.server.test_request_context("/"):
        assert data.years() == ()
        for name in ("kaart", "gebied", "focusgebieden", "focusgebied", "vergelijk", "methode"):
            module = sys.modules[f"dashboard.pages.{name}"]
            kwargs = {"code": "GM0363"} if name == "gebied" else {}
            kwargs = {"focus_id": "delft-west"} if name == "focusgebied" else kwargs
            text = json.dumps(module.layout(**kwargs).to_plotly_json(), default=str)
            assert "python -m etl build" in text, name


def test_index_and_headers(app: Dash) -> None:
    client = app.server.test_client()
    response = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    html = (
        response.get_data(as_text=True) if response.headers.get("Content-Encoding") is None else ""
    )
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    plain = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in plain
    assert "cdn" not in plain.lower() and "unpkg" not in plain.lower()
    assert html == "" or "<html" in html


def test_bundles_are_compressed_and_served_locally(app: Dash) -> None:
    client = app.server.test_client()
    plain = client.get("/").get_data(as_text=True)
    scripts = [s.split('"')[0] for s in plain.split('src="')[1:]]
    assert scripts and all(s.startswith("/") for s in scripts)
    bundle = client.get(scripts[-1], headers={"Accept-Encoding": "br"})
    assert bundle.status_code == 200 and bundle.headers.get("Content-Encoding") == "br"


def test_dependencies_have_no_duplicates(app: Dash) -> None:
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    outputs = [d["output"] for d in deps]
    assert len(outputs) == len(set(outputs))


def test_debug_is_off_by_default(app: Dash) -> None:
    assert app.config.get("suppress_callback_exceptions") is True
    assert not app.server.debug
    assert not app._dev_tools.ui


def test_renderer_is_allowed_by_the_csp_and_the_map_paths_are_preloaded(
    app: Dash, ctx: None
) -> None:
    from dashboard import responses

    response = app.server.test_client().get("/")
    page = response.get_data(as_text=True)
    assert app.renderer in page
    assert responses.script_hash(app.renderer) in response.headers["Content-Security-Policy"]
    assert "zicht-map.js" in page and "plotly.min.js" not in page
    url = svgmap.paths_url(data.default_year("wijk"), "wijk")  # type: ignore[arg-type]
    assert url is not None
    assert f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{url}">' in page
    # a map URL with a query preloads the paths of the view it asks for
    asked = app.server.test_client().get("/?jaar=2022&niveau=gemeente").get_data(as_text=True)
    other = svgmap.paths_url(2022, "gemeente")
    assert other is not None and other != url and "zicht-map.js" in asked
    assert f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{other}">' in asked
    assert asked.count('rel="preload" as="fetch"') == 1
    # no map (buurten need a gemeente), no preload; nothing on other pages
    for query in ("/?niveau=buurt", "/methode", "/gebied/WK034403"):
        assert 'rel="preload"' not in app.server.test_client().get(query).get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/vergelijk", 200),
        ("/gebied/WK034403", 200),
        ("/gebied/wk034403", 200),
        ("/focusgebied/rotterdam-zuid", 200),
        ("/gebied/GM9999", 404),
        ("/gebied/<script>", 404),
        ("/gebied/", 404),
        ("/focusgebied/nergens", 404),
        ("/geen-pagina", 404),
        ("/404", 404),
    ],
)
def test_unknown_paths_areas_and_focus_areas_are_404(app: Dash, path: str, status: int) -> None:
    # the page still helps on (its HTML is the app), but the status tells scripts and crawlers
    response = app.server.test_client().get(path)
    assert response.status_code == status
    assert response.mimetype == "text/html"


def test_without_a_store_area_urls_are_not_called_missing(tmp_path: Path) -> None:
    from dashboard import create_app

    client = create_app(tmp_path / "no-store").server.test_client()
    assert client.get("/gebied/WK034403").status_code == 503  # the rebuild page, not "missing"


def test_a_partial_year_is_not_called_nederland_on_focus_pages(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from dashboard import focusareas
    from dashboard.urls import ViewState

    with app.server.test_request_context("/"):
        partial = [j for j in data.years() if not data.covers_nl(j, "wijk")]
        if not partial:
            pytest.skip("every year of this store covers NL")
        jaar = partial[0]
        fid = next(iter(data.focus_members(jaar)))
        d = focusareas.detail(fid, jaar, ViewState(jaar=jaar))
        assert d is not None
        land = data.land_values(jaar)
        if land is None:
            assert d.nl is None
        else:  # CBS's national row, not the aggregate of the few gemeenten the year holds
            assert d.nl is not None
            assert d.nl.drop(labels=["naam"]).equals(land.drop(labels=["naam"]))
        pages["focusgebied"].layout(focus_id=fid, jaar=str(jaar))


def test_tab_titles_name_the_area_not_its_code(app: Dash, pages: dict[str, ModuleType]) -> None:
    with app.server.test_request_context("/"):
        name = data.area_name(data.area_years("WK034403")[-1], "wijk", "WK034403")
        assert name and pages["gebied"].title(code="wk034403") == f"{name} — Zicht op Wijken"
        assert pages["gebied"].title(code="WK999999").startswith("WK999999 —")
        focus = data.focus_overview().iloc[0]
        title = pages["focusgebied"].title(focus_id=focus["focusgebied_id"])
        assert title == f"Focusgebied {focus['focusgebied']} — Zicht op Wijken"


def test_a_gemeente_reference_built_from_wijken_says_so(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    # the focus page's gemeente column is Utrecht's wijken scored among wijken; the compare
    # page scores the gemeente among gemeenten: the labels must tell the two apart
    with app.server.test_request_context("/"):
        focus = pages["focusgebied"].layout(focus_id="utrecht-overvecht")
        area = pages["gebied"].layout(code="WK034403")
    for out in (focus, area):
        assert "Utrecht (alle wijken)" in json.dumps(out.to_plotly_json(), default=str)


def test_area_page_lists_absent_indicators_in_one_line(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    with app.server.test_request_context("/"):
        out = pages["gebied"].layout(code="WK034403", jaar="2022")
        text = json.dumps(out.to_plotly_json(), default=str)
    assert "niet in dit jaar" not in text  # no row per indicator the year lacks
    assert "Niet in de cijfers van 2022: " in text


def test_insufficient_data_is_said_once(app: Dash) -> None:
    from dashboard import areas
    from dashboard.urls import ViewState
    from layers.config import ScoringConfig
    from layers.constants import ONVOLDOENDE_GEGEVENS, STAPELING, TE_WEINIG_INWONERS

    with app.server.test_request_context("/"):
        found = []
        for jaar in data.years():
            s = data.scores(jaar, "wijk", ScoringConfig())
            hit = s[s[STAPELING].isna() & s[ONVOLDOENDE_GEGEVENS] & ~s[TE_WEINIG_INWONERS]]
            found += [(jaar, code) for code in hit.index[:1]]
        if not found:
            pytest.skip("no unscored area with insufficient data in this store")
        jaar, code = found[0]
        p = areas.profile(code, jaar, ViewState(jaar=jaar))
        assert p is not None
        said = " ".join(areas.stacking_sentences(p, "nl")).casefold()
    assert said.count("onvoldoende gegevens") == 1


def test_units_are_stated_once_per_row_not_in_every_cell(app: Dash) -> None:
    import re

    from dashboard import areas, compare
    from dashboard.urls import ViewState

    number = re.compile(r"^(–|-?[\d.]+(,\d+)?( \(\d+\))?)?$")  # 12,3 / 23.065 / 41 (87) / –
    with app.server.test_request_context("/"):
        p = areas.profile("WK034403", 2022, ViewState(jaar=2022))
        assert p is not None
        rows = [r for r in areas.indicator_rows(p, "nl") if r["carried"]]
        cmp = compare.table_rows([p], "nl")
    assert rows and all(r["eenheid"] for r in rows)
    for r in rows:
        assert number.match(r["waarde"]) and number.match(r["nl"]), r
    for r in cmp:
        assert number.match(r["WK034403"]) or "eenheid" not in r, r


def test_area_page_says_when_it_shows_another_year_than_asked(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    with app.server.test_request_context("/"):
        years = data.area_years("WK034403")
        other = next(j for j in data.years() if j not in years)
        swapped = pages["gebied"].layout(code="WK034403", jaar=str(other))
        asked = pages["gebied"].layout(code="WK034403", jaar=str(years[0]))
    assert f"niet in de cijfers van {other}" in json.dumps(swapped.to_plotly_json(), default=str)
    assert "niet in de cijfers van" not in json.dumps(asked.to_plotly_json(), default=str)


def test_method_page_lists_every_source_and_the_origin_of_each_indicator(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from etl import schema

    with app.server.test_request_context("/"):
        text = json.dumps(pages["methode"].layout().to_plotly_json(), default=str)
        jaar = data.default_year("wijk")
        assert jaar is not None
        used = data.provenance(jaar, "wijk")
    for source in schema.SOURCES.values():
        assert source.publisher in text and f"{source.catalog}.cbs.nl" in text
        assert all(table in text for table in source.tables)
    assert "Leeftijd 20300, Marges MW00000" in text
    assert "Waarom in dit domein" in text and "hoort bij armoede" in text
    assert used and f"Herkomst per indicator (wijk {jaar})" in text
    for p in used.values():
        assert f"{int(p['matched']):,} / {int(p['areas']):,}" in text  # type: ignore[call-overload]


def test_method_page_speaks_to_readers_not_to_the_build_machine(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from dash import html

    methode = pages["methode"]
    with app.server.test_request_context("/"):
        layout = methode.layout()
        manifest = data.manifest()
    text = json.dumps(layout.to_plotly_json(), default=str)
    origins = {s["origin"] for f in manifest.files for s in f.sources if s.get("origin")}
    assert origins and not any(o in text for o in origins)  # no paths of the build machine
    assert "min_coverage" not in text and "Minimaal aandeel van de indicatoren" in text
    notes = [f"{y.jaar}: {w}" for y in manifest.years for w in y.warnings]

    def strings(node: Any, folded: bool = False) -> list[tuple[str, bool]]:
        """Every text of the layout, and whether it sits in the folded build notes."""
        if isinstance(node, str):
            return [(node, folded)]
        folded = folded or (isinstance(node, html.Details) and node.className == "build-notes")
        children = getattr(node, "children", None)
        out = []
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None:
                out += strings(child, folded)
        return out

    texts = strings(layout)
    assert all(folded for s, folded in texts if s in notes)
    assert {s for s, folded in texts if folded} >= set(notes)
    summary = [s for s, folded in texts if folded and s.startswith("Technische bouwnotities")]
    assert len(summary) == (1 if notes else 0)
    assert methode.origin_kind("https://opendata.cbs.nl/ODataApi/odata/85984NED", "nl") == (
        "opendata.cbs.nl"
    )
    assert methode.origin_kind("../shared/cbs/85984NED", "en") == "offline copy of the source"
    assert methode.origin_kind("/srv/app/data/focusgebieden.csv", "nl") == (
        "bestand van dit project"
    )


def test_focus_and_compare_pages_say_when_they_show_another_year_than_asked(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from dashboard import focusareas

    with app.server.test_request_context("/"):
        focus_years = focusareas.years()
        without = next(j for j in range(1995, 2100) if j not in data.years())
        shown = focusareas.year_for(without)
        overview = pages["focusgebieden"].layout(jaar=str(without))
        fid = next(iter(focusareas.names()))
        report = pages["focusgebied"].layout(focus_id=fid, jaar=str(without))
        compared = pages["vergelijk"].layout(jaar=str(without), codes="WK034403")
        plain = pages["focusgebieden"].layout(jaar=str(focus_years[0]))
    said = f"{without} heeft geen focusgebieden; getoond wordt {shown}"
    for page in (overview, report):
        assert said in json.dumps(page.to_plotly_json(), default=str)
    assert f"{without} heeft geen cijfers" in json.dumps(compared.to_plotly_json(), default=str)
    assert "heeft geen" not in json.dumps(plain.to_plotly_json(), default=str)


def _legend_counts(node: Any) -> list[tuple[str, int]]:
    """(label, count) of every legend line in a layout's JSON form."""
    out: list[tuple[str, int]] = []
    if isinstance(node, dict):
        props = node.get("props", {})
        kids = props.get("children")
        if node.get("type") == "Li" and isinstance(kids, list) and len(kids) == 3:
            texts = [k.get("props", {}).get("children") for k in kids if isinstance(k, dict)]
            if len(texts) == 3 and isinstance(texts[2], str):
                out.append((str(texts[1]), int(texts[2].replace(".", ""))))
                return out
        for value in node.values():
            out += _legend_counts(value)
    elif isinstance(node, list):
        for item in node:
            out += _legend_counts(item)
    return out


def test_focus_map_legends_count_the_focus_areas_not_the_areas_around_them(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from plotly.io.json import to_json_plotly

    from dashboard import focusareas
    from dashboard.urls import ViewState

    with app.server.test_request_context("/"):
        jaar = focusareas.year_for(2022)
        assert jaar is not None
        view = ViewState(jaar=jaar)
        fid = "rotterdam-zuid"
        d = focusareas.detail(fid, jaar, view)
        assert d is not None
        layer = data.web_layer(jaar, "wijk", d.gemeente_code)
        report = json.loads(to_json_plotly(pages["focusgebied"].member_map(d, view)))
        overview = focusareas.overview(jaar, view)
        small = json.loads(to_json_plotly(pages["focusgebieden"].small_map(overview, jaar, view)))
        national = data.web_layer(jaar, "wijk")
        in_focus = sum(len(c) for c in data.focus_members(jaar, "wijk").values())
    assert layer is not None and national is not None
    counts = _legend_counts(report)
    context = dict(counts).pop("overige gebieden, ter oriëntatie")
    members = len(d.members)
    assert sum(n for label, n in counts if "oriëntatie" not in label) == members
    assert context == len(layer.codes) - members
    counts = _legend_counts(small)
    assert sum(n for label, n in counts if "oriëntatie" not in label) == len(overview)
    assert dict(counts)["overige gebieden, ter oriëntatie"] == len(national.codes) - in_focus


def _string_ids(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        value = node.get("props", {}).get("id") if "props" in node else None
        if isinstance(value, str):
            found.add(value)
        for child in node.values():
            found |= _string_ids(child)
    elif isinstance(node, list):
        for child in node:
            found |= _string_ids(child)
    return found


def test_every_component_id_on_every_page_comes_from_ids(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from plotly.io.json import to_json_plotly

    from dashboard import ids, svgmap
    from layers.indicators import SCORED_DOMAINS

    shown = [
        ("kaart", {}),
        ("kaart", {"gemeente": "GM0363"}),
        ("gebied", {"code": "WK034403"}),
        ("gebied", {"code": "GM0363"}),
        ("focusgebieden", {}),
        ("focusgebied", {"focus_id": "rotterdam-zuid"}),
        ("vergelijk", {"codes": "WK034403,GM0363"}),
        ("methode", {}),
        ("not_found_404", {}),
    ]
    found: set[str] = set()
    with app.server.test_request_context("/"):
        for name, query in shown:
            found |= _string_ids(json.loads(to_json_plotly(pages[name].layout(**query))))
    declared = {v for k, v in vars(ids).items() if k.isupper() and isinstance(v, str)}
    maps = {v for k, v in vars(ids).items() if k.endswith("MAP_NAME")}
    derived = (
        {ids.label_of(v) for v in declared}
        | {ids.label_of(ids.weight(d)) for d in SCORED_DOMAINS}
        | {svgmap.element_id(m) for m in maps}
        | {svgmap.keys_id(m) for m in maps}
    )
    assert found and found <= declared | derived, sorted(found - declared - derived)


def test_the_first_page_comes_with_the_layout(app) -> None:  # type: ignore[no-untyped-def]
    """The renderer's layout request names its page (Referer): that page is in the layout,
    its location equal to the URL, so no routing round trip is needed; any other request
    gets Dash's empty page container and the router draws the page."""
    import dash
    from plotly.io.json import to_json_plotly

    from dashboard import ids

    def props(node: Any, wanted: str) -> dict[str, Any] | None:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == wanted:
                return dict(node["props"])
            return next((f for v in node.values() if (f := props(v, wanted)) is not None), None)
        if isinstance(node, list):
            return next((f for v in node if (f := props(v, wanted)) is not None), None)
        return None

    def layout(referrer: str | None) -> Any:
        headers = {"Referer": referrer} if referrer else {}
        with app.server.test_request_context("/_dash-layout", headers=headers):
            return json.loads(to_json_plotly(app.layout()))

    first = layout("http://localhost/gebied/WK034403?jaar=2022&taal=en")
    location, content = props(first, ids.LOCATION), props(first, ids.PAGE_CONTENT)
    assert location is not None and content is not None
    assert (location["pathname"], location["search"]) == ("/gebied/WK034403", "?jaar=2022&taal=en")
    assert "Overvecht" in json.dumps(content) and props(first, ids.PAGE_STORE) is not None
    missing = props(layout("http://localhost/geen-pagina"), ids.PAGE_CONTENT)
    assert missing is not None and "Page not found" not in json.dumps(missing)
    assert "Pagina niet gevonden" in json.dumps(missing)  # the 404 page
    empty = json.loads(to_json_plotly(dash.page_container))
    for other in (None, "http://elders.example/gebied/WK034403", "not a url"):
        got = layout(other)
        assert empty in got["props"]["children"] and "Overvecht" not in json.dumps(got), other
