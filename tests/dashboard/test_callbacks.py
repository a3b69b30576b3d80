"""The callbacks, called directly: map drawing and patching, URL sync, what-if, downloads."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import ModuleType

import flask
import pandas as pd
import pytest
from dash import Dash, no_update
from dash.exceptions import PreventUpdate

from dashboard import data, downloads, ids, shell, tables, whatif
from dashboard.urls import parse_view
from layers.config import ScoringConfig

pytestmark = pytest.mark.usefixtures("ctx")


def test_draw_map_areas_then_only_paint(pages: dict[str, ModuleType]) -> None:
    kaart = pages["kaart"]
    geo, paint, geokey, _legend, _notes, _crumbs, wrap, _summary, lead, title = kaart.draw_map(
        "", "/", None
    )
    assert "20 %" in lead and title == "Stapeling van problemen"
    assert isinstance(geo, dict) and isinstance(paint, dict)
    assert geokey.startswith(f"{data.default_year('wijk')}|wijk|")
    assert wrap == "map-wrap"
    geo2, paint2, same_key, *_ = kaart.draw_map("?maat=koopwoningen", "/", geokey)
    assert geo2 is no_update and same_key is no_update  # the paths and the view stay
    assert paint2["classes"] != paint["classes"] and len(paint2["classes"]) == len(geo["codes"])
    with pytest.raises(PreventUpdate):
        kaart.draw_map("", "/gebied/GM0363", geokey)


def test_sync_from_controls_writes_the_url(pages: dict[str, ModuleType]) -> None:
    kaart = pages["kaart"]
    current = {
        "niveau": "gemeente",
        "jaar": 2022,
        "maat": "koopwoningen",
        "gemeente": None,
        "focus": [],
    }
    out = kaart.sync("", current, from_url=False)
    assert out is not None and out["search"] == "?niveau=gemeente&jaar=2022&maat=koopwoningen"
    assert "maat_options" in out  # level changed: new menus


def test_sync_from_url_sets_controls_once(pages: dict[str, ModuleType]) -> None:
    kaart = pages["kaart"]
    current = {"niveau": "wijk", "jaar": 2022, "maat": "stapeling", "gemeente": None, "focus": []}
    out = kaart.sync("?niveau=gemeente&maat=koopwoningen", current, from_url=True)
    assert out is not None and (out["niveau"], out["maat"]) == ("gemeente", "koopwoningen")
    assert "search" not in out
    settled = {k: out[k] for k in kaart.VALUES}
    assert kaart.sync("?niveau=gemeente&maat=koopwoningen", settled, from_url=True) is None


def test_drill_down_callback(pages: dict[str, ModuleType]) -> None:
    kaart = pages["kaart"]
    assert kaart.drill_down({"points": [{"location": "GM0363"}]}, "?niveau=gemeente").startswith(
        "/?gemeente=GM0363"
    )
    with pytest.raises(PreventUpdate):
        kaart.drill_down({"points": []}, "")


def test_whatif_sync_both_ways() -> None:
    base = ([1.0] * 5, 80.0, 200, "nl")
    search, weights, threshold, _minpop, _ref, age, summary = whatif.sync(
        "?maat=koopwoningen", [1, 3, 1, 1, 1], 75, 200, "nl", 0, ids.WHATIF_WEIGHT
    )
    assert search == "?maat=koopwoningen&weight_onderwijs=3&threshold=75"
    assert age == ScoringConfig().max_age
    assert weights[1] == 3 and threshold == 75
    assert "aangepast" in summary
    out = whatif.sync(search, *base, 0, ids.URL)
    assert out[0] is no_update and out[1][1] == 3 and out[2] == 75
    with pytest.raises(PreventUpdate):
        whatif.sync(search, [1, 3, 1, 1, 1], 75, 200, "nl", 0, ids.URL)
    reset = whatif.sync(search, [1, 3, 1, 1, 1], 75, 200, "nl", 1, ids.WHATIF_RESET)
    assert reset[0] == "?maat=koopwoningen"
    older = whatif.sync(search, *base, 0, ids.WHATIF_MAX_AGE, 2)
    assert older[0] == "?maat=koopwoningen&max_age=2" and older[5] == 2
    assert parse_view(older[0]).scoring.max_age == 2
    assert whatif.sync(older[0], *base, 0, ids.WHATIF_MAX_AGE, 99)[5] == 4  # out of range


def test_keep_page() -> None:
    view = parse_view("maat=x")
    assert shell.keep_page({"path": "/", "search": ""}, "/", view)
    assert not shell.keep_page({"path": "/", "search": "?taal=en"}, "/", view)
    assert not shell.keep_page({"path": "/methode", "search": ""}, "/methode", view)
    assert not shell.keep_page(None, "/", view)


def test_router_keeps_the_map_for_a_query_change(pages: dict[str, ModuleType]) -> None:
    with pytest.raises(PreventUpdate):
        pages["kaart"].layout(shown={"path": "/", "search": ""}, maat="koopwoningen")


def test_table_sources_render_every_registered_table(pages: dict[str, ModuleType]) -> None:
    body = tables.render(
        "map", "/", parse_view("niveau=gemeente"), {"sort": "waarde", "desc": True, "page": 1}
    )
    text = str(body.to_plotly_json())
    assert "2 / 14" in text  # 345 gemeenten, 25 per page
    focus = tables.render("focus", "/focusgebieden", parse_view(""), None)
    assert "Utrecht Overvecht" in str(focus.to_plotly_json())
    with pytest.raises(PreventUpdate):
        tables.render("map", "/methode", parse_view(""), None)


def test_download_of_the_map_view_and_its_codebook(pages: dict[str, ModuleType]) -> None:
    view = parse_view("niveau=gemeente&threshold=70")
    export = downloads.export_for("/", view)
    jaar = data.default_year("gemeente")
    assert export is not None and len(export.frame) == len(data.statistics(jaar, "gemeente"))
    body, name = downloads.content(export, "csv")
    frame = pd.read_csv(io.BytesIO(body))
    # a what-if download is named apart from the default one, and from other what-ifs
    assert name.startswith(f"zicht-op-wijken_gemeente_{jaar}_whatif-") and name.endswith(".csv")
    default = downloads.export_for("/", parse_view("niveau=gemeente"))
    assert default is not None
    assert downloads.content(default, "csv")[1] == f"zicht-op-wijken_gemeente_{jaar}.csv"
    other = downloads.export_for("/", parse_view("niveau=gemeente&threshold=60"))
    assert other is not None and downloads.content(other, "csv")[1] != name
    # counts are whole numbers, flags 1/0, ranks two decimals: as a spreadsheet should show them
    cells = pd.read_csv(io.BytesIO(body), dtype=str)
    assert cells["inwoners"].dropna().str.fullmatch(r"\d+").all()  # 23065, not 23065.0
    assert cells["stapeling"].dropna().str.fullmatch(r"\d").all()
    assert set(frame["te_weinig_inwoners"].dropna()) <= {0, 1}
    assert frame["koopwoningen_pct"].dropna().map(lambda v: round(v, 2) == v).all()
    assert list(frame.columns[:3]) == ["code", "naam", "niveau"]
    assert {"stapeling", "samengesteld", "koopwoningen", "koopwoningen_pct"} <= set(frame.columns)
    book, book_name = downloads.content(export, "codebook")
    codebook = pd.read_csv(io.BytesIO(book))
    assert book_name.endswith(".codebook.csv")
    assert set(frame.columns) <= set(codebook["column"])
    threshold = codebook.loc[codebook["column"] == "threshold", "value"].iloc[0]
    assert float(threshold) == 70.0
    excel, _ = downloads.content(export, "excel")
    assert excel.startswith(b"\xef\xbb\xbf") and b";" in excel.splitlines()[0]
    assert b"True" not in excel and b"False" not in excel


def test_download_callback_body() -> None:
    sent = shell.download({"type": ids.DOWNLOAD_BUTTON, "fmt": "csv"}, "/", "?niveau=gemeente")
    assert sent["filename"] == f"zicht-op-wijken_gemeente_{data.default_year('gemeente')}.csv"
    assert sent["base64"] is True and sent["type"] == "text/csv"
    with pytest.raises(PreventUpdate):
        shell.download({"type": ids.DOWNLOAD_BUTTON, "fmt": "exe"}, "/", "")
    with pytest.raises(PreventUpdate):
        shell.download({"type": ids.DOWNLOAD_BUTTON, "fmt": "csv"}, "/methode", "")


def test_navigation_carries_choices_and_switches_language() -> None:
    hrefs, brand, lang = shell.navigation("?maat=x&jaar=2022&threshold=70&taal=en", "/methode")
    assert hrefs[0] == "/?jaar=2022&threshold=70&taal=en"
    assert brand == hrefs[0]
    assert lang == "/methode?jaar=2022&maat=x&threshold=70"


def test_every_page_registers_an_exporter(pages: dict[str, ModuleType]) -> None:
    for path in ("/", "/gebied/GM0363", "/focusgebieden", "/focusgebied/delft-west", "/vergelijk"):
        view = parse_view("codes=GM0363")
        export = downloads.export_for(path, view)
        assert export is not None, path
        assert len(export.frame) > 0
    assert downloads.export_for("/methode", parse_view("")) is None


def test_every_small_map_follows_clicks_like_the_main_map(pages: dict[str, ModuleType]) -> None:
    click = {"points": [{"location": "WK034403"}]}
    for page, name in (("kaart", "drill_down"), ("gebied", "open_child")):
        follow = getattr(pages[page], name)
        assert follow(click, "?taal=en") == "/gebied/WK034403?taal=en"
    with pytest.raises(PreventUpdate):
        pages["focusgebied"].open_member({"points": [{"location": "javascript:x"}]}, "")


def test_missing_store_only_when_missing(tmp_path: Path) -> None:
    view = parse_view("")
    assert shell.missing_store(view, "/", page="map") is None
    empty = flask.Flask("no-store")
    empty.config[data.STORE_KEY] = str(tmp_path)
    with empty.test_request_context("/"):
        page = shell.missing_store(view, "/vergelijk", page="compare")
    assert page is not None and "python -m etl build" in str(page.to_plotly_json())


def test_downloads_live_in_the_pages_not_the_shell(app: Dash) -> None:
    """The buttons and the dcc.Download they fill arrive together, so the download
    callback does not run when a page appears (also when the first page comes with the
    layout)."""
    from plotly.io.json import to_json_plotly

    def has(layout: str, component_id: str) -> bool:
        return f'"id":"{component_id}"' in layout or f'"type":"{component_id}"' in layout

    shell_alone = to_json_plotly(app.layout())
    assert not has(shell_alone, ids.DOWNLOAD) and not has(shell_alone, ids.DOWNLOAD_BUTTON)
    referer = {"Referer": "http://localhost/?jaar=2022"}
    with app.server.test_request_context("/_dash-layout", headers=referer):
        first = to_json_plotly(app.layout())
    assert has(first, ids.DOWNLOAD) and has(first, ids.DOWNLOAD_BUTTON)


def test_choosing_a_level_the_year_lacks_says_so_on_the_map(pages: dict[str, ModuleType]) -> None:
    kaart = pages["kaart"]
    have = [j for j in data.years() if data.has_statistics(j, "buurt")]
    lacking = [j for j in data.years() if j not in have and data.has_statistics(j, "wijk")]
    if not have or not lacking:
        pytest.skip("the store has buurten in every year or in none")
    current = {"niveau": "buurt", "jaar": lacking[0], "maat": None, "gemeente": None, "focus": []}
    out = kaart.sync(f"?jaar={lacking[0]}", current, from_url=False)
    assert out is not None and out["jaar"] in have  # the URL and the menu show the year shown
    notes = kaart.draw_map(out["asked"], "/", None)[4]
    text = json.dumps([n.to_plotly_json() for n in notes], default=str)
    assert f"{lacking[0]} heeft geen buurten" in text


def test_choosing_a_year_that_lacks_the_measure_says_so_on_the_map(
    pages: dict[str, ModuleType],
) -> None:
    from layers.indicators import INDICATORS

    kaart = pages["kaart"]
    carried = {j: {i.id for i in data.carried_indicators(j, "wijk")} for j in data.years()}
    pairs = [
        (a, b, i.id)
        for i in INDICATORS
        for a in carried
        for b in carried
        if i.id in carried[a] and i.id not in carried[b]
    ]
    if not pairs:
        pytest.skip("every year carries every indicator")
    had, lacks, maat = pairs[0]
    current = {"niveau": "wijk", "jaar": lacks, "maat": maat, "gemeente": None, "focus": []}
    out = kaart.sync(f"?jaar={had}&maat={maat}", current, from_url=False)
    assert out is not None and out["maat"] == "stapeling"
    notes = kaart.draw_map(out["asked"], "/", None)[4]
    assert "bevat deze maat niet" in json.dumps([n.to_plotly_json() for n in notes], default=str)


def test_the_app_and_the_command_line_export_the_same_files(store: Path, tmp_path: Path) -> None:
    from layers.__main__ import main

    jaar = data.default_year("wijk")
    assert jaar is not None
    out = tmp_path / "scores.csv"
    args = ["export", "--store", str(store), "--year", str(jaar), "--niveau", "wijk"]
    assert main([*args, "--out", str(out)]) == 0
    export = downloads.export_for("/", parse_view(f"jaar={jaar}"))
    assert export is not None
    body, _ = downloads.content(export, "csv")
    book, name = downloads.content(export, "codebook")
    assert name == f"zicht-op-wijken_wijk_{jaar}.codebook.csv"
    assert body == out.read_bytes()
    assert book == (tmp_path / "scores.codebook.csv").read_bytes()


def test_a_focus_area_download_records_the_police_edition_like_the_command_line(
    pages: dict[str, ModuleType], store: Path, tmp_path: Path
) -> None:
    from layers.__main__ import main

    export = downloads.export_for("/focusgebieden", parse_view(""))
    assert export is not None
    book = pd.read_csv(io.BytesIO(downloads.content(export, "codebook")[0]), dtype=str)
    out = tmp_path / "focus.csv"
    args = ["export", "--store", str(store), "--year", str(export.jaar), "--focusgebieden"]
    assert main([*args, "--out", str(out)]) == 0
    cli = pd.read_csv(tmp_path / "focus.codebook.csv", dtype=str)

    def vintage(frame: pd.DataFrame) -> dict[str, str]:
        rows = frame[frame["column"].str.startswith("crime", na=False)]
        return dict(zip(rows["column"], rows["value"], strict=True))

    assert vintage(book) == vintage(cli)
    assert "crime_periode" in vintage(cli) or not data.crime().size


def test_the_compare_download_holds_the_references_shown(pages: dict[str, ModuleType]) -> None:
    """The references beside the chosen areas are in the download, named as on the page."""
    jaar = data.default_year("wijk")
    alone = downloads.export_for("/vergelijk", parse_view(f"jaar={jaar}&codes=WK034403"))
    asked = parse_view(f"jaar={jaar}&codes=WK034403,GM0363&met=gemeente,nl")
    export = downloads.export_for("/vergelijk", asked)
    assert alone is not None and export is not None
    assert list(alone.frame.index) == ["WK034403"]
    frame = pd.read_csv(io.BytesIO(downloads.content(export, "csv")[0]), dtype=str)
    refs = frame[frame["niveau"] == "groep"]
    assert list(frame["code"][:2]) == ["WK034403", "GM0363"]
    # Utrecht among its wijken, NL among wijken and NL among gemeenten: three rows, two "NL"
    assert list(refs["code"]) == ["GM0344", "NL", "NL"]
    assert refs["naam"].str.contains(r"\(alle (?:wijken|gemeenten)\)").all()
    assert refs["naam"].is_unique and refs["stapeling"].notna().all()
