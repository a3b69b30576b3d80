"""Every page's layout for good, odd and hostile URLs; the empty store; the app itself."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from dash import Dash

from dashboard import data
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
    ("gebied", {"code": "WK036300", "jaar": "2019", "drempel": "60"}),
    ("gebied", {"code": "wk0363aa"}),
    ("gebied", {"code": "BU03630000", "jaar": "2019", "taal": "en"}),
    ("gebied", {"code": "<img src=x onerror=alert(1)>"}),
    ("gebied", {"code": "../../etc/passwd"}),
    ("gebied", {"code": "WK999999"}),
    ("focusgebieden", {}),
    ("focusgebieden", {"jaar": "2024", "taal": "en", "ref": "gemeente"}),
    ("focusgebied", {"focus_id": "rotterdam-zuid"}),
    ("focusgebied", {"focus_id": "<script>"}),
    ("vergelijk", {"codes": "WK034403,WK036300,GM0363,BU03630000"}),
    ("vergelijk", {"codes": "x,y"}),
    ("methode", {"w_onderwijs": "3", "drempel": "75", "taal": "en"}),
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
    assert client.get("/").status_code == 200
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


def test_renderer_hook_is_allowed_by_the_csp(app: Dash) -> None:
    import dashboard

    response = app.server.test_client().get("/")
    assert dashboard.RENDERER in response.get_data(as_text=True)
    assert dashboard._script_hash(dashboard.RENDERER) in response.headers["Content-Security-Policy"]
    assert "plotly-early.js" in response.get_data(as_text=True)


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
