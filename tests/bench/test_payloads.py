"""The callback bodies of :mod:`bench.payloads`: the app accepts each and answers with what
the step needs, and they are the bodies Chromium sends (recorded with Playwright)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import browser, payloads, server
from bench.maps import Client
from dashboard import create_app, data, ids, mapview, svgmap
from dashboard.urls import parse_view


@pytest.fixture(scope="module")
def client(store: Path) -> Client:
    return Client(create_app(store))


@pytest.fixture(scope="module")
def opening(store: Path) -> tuple[int, int]:
    """The year the map opens with and its number of wijken, read from the store."""
    with create_app(store).server.test_request_context("/"):
        jaar = data.default_year("wijk")
        assert jaar is not None
        return jaar, len(data.statistics(jaar, "wijk"))


def test_output_strings_come_from_the_app(client: Client) -> None:
    cb = client.callbacks
    assert cb.output_of("_pages_content.children").startswith("..")
    with pytest.raises(LookupError):
        cb.output_of("no-such-component.value")
    pairs = payloads.split_output(cb.output_of(f"{ids.MAP_GEOKEY}.data"))
    assert pairs[0][0] == ids.url("map") and pairs[0][1].startswith("search")  # one callback:
    assert (svgmap.geo_id(mapview.MAP), "data") in pairs  # controls, URL and map
    assert (ids.MAP_GEOKEY, "data") in pairs
    assert payloads.sid({"type": "a", "page": "b"}) == '{"page":"b","type":"a"}'
    assert payloads.page_of("/gebied/WK036300") == "area"
    assert payloads.page_of("/elders") == "notfound"


def test_a_visit_step_by_step(client: Client, opening: tuple[int, int]) -> None:
    jaar, areas = opening
    cb = client.callbacks
    page = client.post(cb.router("/", "")).body
    geokey = payloads.prop(page, ids.MAP_GEOKEY, "data")
    search = payloads.prop(page, ids.url("map"), "search")
    assert geokey.startswith(f"{jaar}|wijk|") and search == f"?jaar={jaar}"
    assert client.post(cb.download("/", search, clicks=0)).body is None  # 204: nothing to send
    controls = {"niveau": "wijk", "jaar": jaar, "maat": "koopwoningen", "gemeente": None,
                "focus": []}  # fmt: skip
    drawn = client.post(cb.sync_controls(search, controls, "maat", geokey=geokey)).body
    new = payloads.output(drawn, ids.url("map"), "search")
    assert new == f"?jaar={jaar}&maat=koopwoningen"  # URL and map in one answer
    paint = payloads.output(drawn, svgmap.paint_id(mapview.MAP), "data")
    assert paint["key"].startswith("koopwoningen") and len(paint["classes"]) == areas
    assert payloads.sid(svgmap.geo_id(mapview.MAP)) not in drawn["response"]  # paths stay
    table = client.post(cb.table_body("map", "/", new)).body
    assert "Koopwoningen" in json.dumps(table)
    kept = client.post(cb.router("/", new, shown={"path": "/", "search": search},
                                 changed=("search",)))  # fmt: skip
    assert kept.body is None  # the router keeps the map on screen
    whatif = client.post(cb.whatif("/", new)).body
    assert whatif is None or "whatif-summary" in json.dumps(whatif)
    links = client.post(cb.nav("/", new)).body
    assert "maat=koopwoningen" in json.dumps(links)
    href = client.post(cb.drill(payloads.drill_click("GM0363"), "?niveau=gemeente")).body
    assert "gemeente=GM0363" in payloads.output(href, ids.url("map"), "href")
    csv = client.post(cb.download("/", new, fmt="csv")).body
    assert payloads.output(csv, ids.DOWNLOAD, "data")["filename"].endswith(".csv")
    area = client.post(cb.router("/gebied/WK036300", "", shown={"path": "/", "search": new}))
    assert payloads.find(area.body, ids.url("area"))["pathname"] == "/gebied/WK036300"


@pytest.mark.browser
def test_bodies_are_what_chromium_sends(store: Path, opening: tuple[int, int]) -> None:
    """Record the map page's callback requests in Chromium and rebuild each one."""
    jaar, wijken = opening
    if not browser.CHROMIUM.exists():
        pytest.skip(f"{browser.CHROMIUM} is absent")
    from playwright.sync_api import sync_playwright

    app = create_app(store)
    client = Client(app)
    cb = client.callbacks
    geokey = payloads.prop(client.post(cb.router("/", "")).body, ids.MAP_GEOKEY, "data")
    sent: list[dict[str, Any]] = []
    with server.threaded(app.server) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.ARGS)
        try:
            page = chromium.new_page(viewport=browser.LAPTOP)
            page.on(
                "request",
                lambda r: (
                    sent.append(json.loads(r.post_data or "{}")) if payloads.URL in r.url else None
                ),
            )
            page.goto(base + "/")
            page.wait_for_function(browser.READY, arg=[wijken, False], timeout=60_000)
            page.click(f"#{ids.MAP_MAAT}")
            page.get_by_role("option", name="Koopwoningen (% van woningen)", exact=True).click()
            page.wait_for_url("**maat=koopwoningen**")
            page.wait_for_function(browser.READY, arg=[wijken, True], timeout=60_000)
            page.wait_for_timeout(500)
        finally:
            chromium.close()
    new = f"?jaar={jaar}&maat=koopwoningen"
    controls = {"niveau": "wijk", "jaar": jaar, "maat": "koopwoningen", "gemeente": None,
                "focus": []}  # fmt: skip
    # The buttons' first call (when Dash makes it before the recording ends) carries the
    # search of that moment: the page may or may not have rewritten it to the resolved view.
    inits = [cb.download("/", s, clicks=0) for s in ("", f"?jaar={jaar}")]
    assert all(b in inits for b in sent if b.get("output") == inits[0]["output"])
    # the first page comes with the layout (shell.app_layout): no routing round trip
    routed = [b for b in sent if b.get("output") == cb.router("/", "")["output"]]
    assert routed and all(b["changedPropIds"] == ["_pages_location.search"] for b in routed)
    expected = [
        cb.sync_controls(f"?jaar={jaar}", controls, "maat", geokey=geokey),
        cb.table_body("map", "/", new),
        cb.router("/", new, shown={"path": "/", "search": ""}, changed=("search",)),
        cb.whatif("/", new),
        cb.nav("/", new),
    ]
    # the colourings come once the map is drawn (search as the page then has it), and each
    # URL change asks again with the key of the bundle held
    assert any(cb.recolours(s, geokey) in sent for s in ("", f"?jaar={jaar}"))
    with app.server.test_request_context("/"):
        held = mapview.recolours_key(parse_view(f"?jaar={jaar}"))
    assert held is not None
    again = cb.recolours(new, geokey, held, changed="search")
    assert again in sent, json.dumps(again)[:300]
    for body in expected:
        assert body in sent, json.dumps(body)[:300]
