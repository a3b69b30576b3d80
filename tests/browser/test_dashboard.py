"""The dashboard in headless Chromium: map, measures, levels, drill-down, focus areas,
compare, downloads, shared URLs, language, what-if, phone layout, and what it costs.

Every test runs on :func:`checked_page`, which fails it on any console error or any request
to a host other than the app's own. Screenshots go to /tmp/zow-shots/; the timing and byte
counts of the first map and of a recolour go to /tmp/zow-shots/metrics.json.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest

from etl import schema
from layers.config import ScoringConfig
from layers.constants import score_column
from layers.indicators import SCORED_DOMAINS
from layers.view import score_view

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/zow-shots")
MAP = "#map-svg"
MAP_READY = """([sel, n]) => {
    const e = document.querySelector(sel);
    return !!e && e.dataset.state === 'drawn' && !!e.dataset.painted
        && (n === null || Number(e.dataset.areas) === n);
}"""
AREA_POINT = """([sel, code]) => {
    const path = document.querySelector(`${sel} path[data-code="${code}"]`);
    if (!path) return null;
    const r = path.getBoundingClientRect();
    const points = [];
    for (let i = 0; i <= 20; i++) for (let j = 0; j <= 20; j++) {
        points.push([r.left + r.width * i / 20, r.top + r.height * j / 20]);
    }
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    points.sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
    return points.find(([x, y]) => document.elementFromPoint(x, y) === path) || null;
}"""
"""A point on screen where the area ``code`` is the topmost element (areas are concave)."""


def wait_map(
    page: Any, features: int | None = None, timeout: float = 30_000, sel: str = MAP
) -> None:
    """Wait until the map has drawn and painted ``features`` areas (any number: ``None``)."""
    page.wait_for_function(MAP_READY, arg=[sel, features], timeout=timeout)


def area_point(page: Any, code: str, sel: str = MAP) -> tuple[float, float]:
    """Screen position of a point inside an area of a map."""
    page.locator(f"{sel} path[data-code='{code}']").scroll_into_view_if_needed()
    xy = page.evaluate(AREA_POINT, [sel, code])
    assert xy is not None, f"{code} is not visible on the map"
    return float(xy[0]), float(xy[1])


def click_area(page: Any, code: str, sel: str = MAP) -> None:
    """Click an area on a map."""
    x, y = area_point(page, code, sel)
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def shot(page: Any, name: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def choose(page: Any, dropdown: str, option: str) -> None:
    """Pick an option of a dcc.Dropdown by its visible text."""
    page.click(f"{dropdown}")
    page.get_by_role("option", name=option, exact=True).first.click()


def _cold_load(browser: Any, url: str) -> float:
    """Load the map once in its own context (a first visitor on a fresh server)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    wait_map(page)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def test_map_loads_interactive_and_measured(browser, checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """National wijk map: time to interactive, bytes of the first map and of a recolour.

    Measured on a warm server (its caches filled by a first visit) in a fresh browser
    context (nothing cached in the browser); the first visit's time is kept too.
    """
    # the default view (its paths are the ones the page preloads)
    cold = _cold_load(browser, live_server + "/")
    page, _ = checked_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sent: dict[str, dict[str, Any]] = {}
    cdp.on(
        "Network.requestWillBeSent",
        lambda e: sent.__setitem__(
            e["requestId"], {"body": e["request"].get("postData") or "", "url": e["request"]["url"]}
        ),
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sent.get(e["requestId"], {}).__setitem__("encoded", e["encodedDataLength"]),
    )
    decoded: dict[str, int] = {}
    cdp.on(
        "Network.dataReceived",
        lambda e: decoded.__setitem__(
            e["requestId"], decoded.get(e["requestId"], 0) + e["dataLength"]
        ),
    )

    start = time.perf_counter()
    page.goto(live_server + "/")
    page.wait_for_selector(f"{MAP} path", timeout=30_000)
    canvas = time.perf_counter() - start
    wait_map(page)
    drawn = time.perf_counter() - start
    # Interactive: hovering an area shows its name and value.
    page.mouse.move(*area_point(page, "WK034403"))
    page.wait_for_selector(f"{MAP} .zmap-tip:not([hidden])", timeout=10_000)
    interactive = time.perf_counter() - start
    hover = page.inner_text(f"{MAP} .zmap-tip")
    assert "Overvecht" in hover and "WK034403" in hover and "Stapeling" in hover, hover
    label = page.get_attribute(f"{MAP} path[data-code='WK034403']", "aria-label")
    assert label is not None and label.startswith("Wijk 03 Overvecht: "), label
    assert page.locator(f"{MAP} .zmap-zoom button").count() == 3
    legend = page.inner_text("#map-legend")
    assert "geen gegevens / te weinig inwoners" in legend and "Vaste klassen 0–5" in legend
    assert "gebieden" in page.inner_text(".table-section caption")
    shot(page, "laptop-map")

    def update_requests(marker: str) -> list[dict[str, Any]]:
        return [
            {**v, "decoded": decoded.get(k, 0)}
            for k, v in sent.items()
            if "_dash-update-component" in v["url"] and marker in v["body"]
        ]

    # the first page comes with the layout (no router round trip): its bytes are the map's
    assert not update_requests("_pages_content")
    first = [
        {**v, "decoded": decoded.get(k, 0)}
        for k, v in sent.items()
        if v["url"].endswith("/_dash-layout")
    ]
    assert first and first[0].get("encoded")
    # Recolour: choose another measure; only classes, colours and hover text travel.
    fill = page.get_attribute(f"{MAP} path[data-code='WK034403']", "fill")
    page.evaluate(f"() => document.querySelectorAll('{MAP} path').forEach(p => p.__kept = 1)")
    choose(page, "#map-maat", "Koopwoningen (% van woningen)")
    page.wait_for_url("**maat=koopwoningen**")
    page.wait_for_function(
        "() => document.querySelector('#map-legend').innerText.includes('Koopwoningen')"
    )
    page.wait_for_timeout(500)
    page.wait_for_function(
        f"() => document.querySelector('{MAP}').dataset.painted.startsWith('koopwoningen')"
    )
    recolour = [r for r in update_requests("map-geokey.data") if r.get("encoded")]
    assert recolour, "no map callback after the measure changed"
    # The same path elements, recoloured: nothing was redrawn.
    kept = f"() => [...document.querySelectorAll('{MAP} path[data-code]')].every(p => p.__kept)"
    assert page.evaluate(kept)
    assert page.get_attribute(f"{MAP} path[data-code='WK034403']", "fill") != fill
    # The heading and lead follow the measure (they said "Stapeling" for every measure).
    assert page.inner_text("#map-title").startswith("Koopwoningen")
    assert "probleemdomeinen" not in page.inner_text("#map-lead")
    assert page.get_attribute(f"{MAP} path[data-code='WK034403']", "aria-label").startswith(
        "Wijk 03 Overvecht: "
    )
    paths = [v for v in sent.values() if "/map-paths/" in v["url"]]
    assert len(paths) == 1, paths  # fetched once (preloaded), not per view
    metrics = {
        "cold_server_map_drawn_s": round(cold, 2),
        "national_wijk_map_canvas_s": round(canvas, 2),
        "national_wijk_map_drawn_s": round(drawn, 2),
        "national_wijk_map_interactive_s": round(interactive, 2),
        "first_map_bytes_compressed": first[0]["encoded"],
        "first_map_bytes_uncompressed": first[0]["decoded"],
        "recolour_bytes_compressed": recolour[-1]["encoded"],
        "recolour_bytes_uncompressed": recolour[-1]["decoded"],
        "total_bytes_compressed": sum(v.get("encoded", 0) for v in sent.values()),
    }
    (SHOTS / "metrics.json").write_text(json.dumps(metrics, indent=2))
    print(json.dumps(metrics))
    assert recolour[-1]["decoded"] < first[0]["decoded"] / 2
    assert first[0]["encoded"] < first[0]["decoded"] / 3  # compressed
    assert paths[0].get("encoded", 0) > 0


def test_a_second_visit_transfers_no_map_paths(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?jaar=2022")
    wait_map(page, 3340)
    page.goto(live_server + "/?jaar=2022&niveau=wijk&maat=koopwoningen")
    wait_map(page, 3340)
    entries = page.evaluate(
        "() => performance.getEntriesByType('resource').filter(e => e.name.includes('/map-paths/'))"
        ".map(e => [e.name, e.transferSize])"
    )
    assert entries and all(size == 0 for _, size in entries), entries


def test_switch_level_and_drill_down_by_clicking(
    checked_page, live_server: str, store: Path
) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022")
    wait_map(page, 345)
    page.get_by_label("wijk", exact=True).check()
    page.wait_for_url("**/?jaar=2022")
    wait_map(page, 3340)
    # A level the year lacks: the map shows a year that has it, and says so.
    manifest = schema.read_manifest(store)
    have = [j for j in manifest.jaren if manifest.has("statistics", j, "buurt")]
    if have and 2022 not in have:
        page.get_by_label("buurt", exact=True).check()
        page.wait_for_url("**niveau=buurt**")
        page.wait_for_selector("#map-note :text('2022 heeft geen buurten')")
        assert "jaar=2022" not in page.url
        page.go_back()
        page.wait_for_url("**/?jaar=2022")
        # the controls follow the URL back before the next choice (the national buurt view
        # draws no map, so the map's count alone does not show the page has settled)
        page.wait_for_function(
            "() => document.querySelector('#map-niveau input[value=wijk]')?.checked"
        )
        wait_map(page, 3340)
    page.get_by_label("gemeente", exact=True).check()
    page.wait_for_url("**niveau=gemeente**")
    wait_map(page, 345)
    # A gemeente → its wijken on the map.
    click_area(page, "GM0344")
    page.wait_for_url("**gemeente=GM0344**")
    page.wait_for_function(
        f"() => document.querySelector('{MAP} path[data-code^=WK0344]') && "
        f"[...document.querySelectorAll('{MAP} path[data-code]')]"
        ".every(p => p.dataset.code.startsWith('WK0344'))"
    )
    wait_map(page, None)
    assert "Utrecht" in page.inner_text("#map-breadcrumbs")
    shot(page, "laptop-map-utrecht")
    # A wijk → its page, with breadcrumbs back up.
    click_area(page, "WK034403")
    page.wait_for_url("**/gebied/WK034403**")
    page.wait_for_selector("h1:has-text('Overvecht')")
    crumbs = page.inner_text(".breadcrumbs")
    assert "Nederland" in crumbs and "Utrecht" in crumbs
    view = score_view(schema.read_sources(store, "wijk"), jaar=2022, niveau="wijk")
    carried = [c for c in (score_column(d) for d in SCORED_DOMAINS) if view[c].notna().any()]
    hits = int((view.loc["WK034403", carried] >= ScoringConfig().threshold).sum())
    assert f"hoort op {hits} van de {len(carried)} gescoorde domeinen" in page.inner_text(
        ".stacking"
    )
    shot(page, "laptop-area-overvecht", full=True)
    page.click(".breadcrumbs >> text=Utrecht")
    page.wait_for_url("**/gebied/GM0344**")
    page.wait_for_selector("h1:has-text('Utrecht')")
    # Back twice: the wijk page, then the zoomed map.
    page.go_back()
    page.wait_for_selector("h1:has-text('Overvecht')")
    page.go_back()
    wait_map(page, None)
    assert "gemeente=GM0344" in page.url


def test_shared_url_restores_the_view_and_back_works(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    url = live_server + "/?niveau=gemeente&jaar=2022&maat=koopwoningen&focus=1&threshold=70"
    page.goto(url)
    wait_map(page, 345)

    def state() -> dict[str, Any]:
        return {
            "legend": page.inner_text("#map-legend").split("\n")[0],
            "niveau": page.locator("#map-niveau input:checked").get_attribute("value"),
            "focus": page.locator("#map-focus input").is_checked(),
            "threshold": page.input_value("#whatif-threshold"),
            "outlines": page.evaluate(
                f"() => document.querySelector('{MAP} .zmap-focus').style.display !== 'none' "
                f"&& document.querySelectorAll('{MAP} .zmap-focus path').length > 0"
            ),
        }

    shown = state()
    assert shown == {
        "legend": "Koopwoningen",
        "niveau": "gemeente",
        "focus": True,
        "threshold": "70",
        "outlines": True,
    }
    page.reload()
    wait_map(page, 345)
    assert state() == shown
    # Change the measure, then Back restores the previous measure without reloading.
    choose(page, "#map-maat", "Stapeling (aantal domeinen boven de drempel)")
    page.wait_for_function(
        "() => document.querySelector('#map-legend').innerText.startsWith('Stapeling')"
    )
    assert "maat=" not in page.url
    page.go_back()
    page.wait_for_function(
        "() => document.querySelector('#map-legend').innerText.startsWith('Koopwoningen')"
    )
    assert page.url == url


def test_whatif_threshold_recomputes_and_is_in_the_url(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022")
    wait_map(page, 345)
    before = page.inner_text("#map-summary")
    page.click("#whatif-panel summary")
    page.fill("#whatif-threshold", "60")
    page.press("#whatif-threshold", "Enter")
    page.wait_for_url("**threshold=60**")
    page.wait_for_function(
        "(b) => document.querySelector('#map-summary').innerText !== b", arg=before
    )
    assert "aangepast" in page.inner_text("#whatif-summary")
    # Links to other pages keep the choice.
    assert "threshold=60" in page.get_attribute("a.nav-link >> nth=1", "href")


def test_focus_area_overview_and_report(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/")
    page.click("a.nav-link:has-text('Focusgebieden')")
    page.wait_for_url("**/focusgebieden**")
    page.wait_for_selector("table.data-table >> text=Rotterdam-Zuid")
    rows = page.locator("table.data-table tbody tr")
    assert rows.count() == 20
    page.click("button.sort-button:has-text('Wonen')")
    sorted_on = "[...document.querySelectorAll('th[aria-sort]')].map(t => t.innerText).join()"
    page.wait_for_function(f"() => {sorted_on}.includes('Wonen')")
    wait_map(page, None, sel="#focus-areas-svg")
    assert page.locator("#focus-areas-svg .zmap-focus path").count() >= 15
    shot(page, "laptop-focus-overview", full=True)
    page.click("table.data-table >> text=Utrecht Overvecht")
    page.wait_for_url("**/focusgebied/utrecht-overvecht**")
    page.wait_for_selector("h1:has-text('Utrecht Overvecht')")
    page.wait_for_selector("main >> text=Wijk 03 Overvecht")
    assert "Samengeteld hoort het gebied" in page.inner_text(".stacking")
    wait_map(page, None, sel="#focus-members-svg")
    assert page.locator("#focus-members-svg .zmap-focus path").count() == 1
    assert page.locator("#focus-members-svg path.selected").count() >= 1
    page.emulate_media(media="print")
    shot(page, "print-focus-overvecht", full=True)
    assert page.locator(".site-header").is_hidden()
    page.emulate_media(media="screen")


def test_compare_two_wijken_by_search(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/vergelijk?jaar=2022")  # WK036300 is a code of indeling 2022
    page.wait_for_selector("#compare-search")
    for text, option in (
        ("Overvecht", "Wijk 03 Overvecht (WK034403)"),
        ("WK036300", "Burgwallen-Oude Zijde (WK036300)"),
    ):
        page.click("#compare-search")
        page.locator("input.dash-dropdown-search").fill(text)  # the search box is a popover
        page.get_by_role("option", name=option).first.click()
        page.keyboard.press("Escape")
    page.wait_for_url("**codes=WK034403,WK036300**")
    page.wait_for_selector("#compare-result table >> text=Burgwallen-Oude Zijde")
    table = page.inner_text("#compare-result table")
    assert "Wijk 03 Overvecht" in table and "Koopwoningen" in table
    shot(page, "laptop-compare", full=True)
    page.reload()
    page.wait_for_selector("#compare-result table >> text=Wijk 03 Overvecht")
    # NL and the gemeenten beside them, as references, kept in the URL
    page.get_by_label("Nederland", exact=True).check()
    page.wait_for_url("**met=nl**")
    page.wait_for_selector("#compare-result table >> text=Nederland (alle wijken)")
    page.get_by_label("de gemeente van elke gekozen wijk of buurt").check()
    page.wait_for_url("**met=gemeente,nl**")
    page.wait_for_selector("#compare-result table >> text=Utrecht (alle wijken)")
    page.reload()
    page.wait_for_selector("#compare-result table >> text=Amsterdam (alle wijken)")
    assert page.get_by_label("Nederland", exact=True).is_checked()


def test_compare_search_keeps_every_typed_character(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    # typed at 60-200 ms a key, while the server answers the earlier letters
    page, _ = checked_page
    page.goto(live_server + "/vergelijk?jaar=2022")
    page.wait_for_selector("#compare-search")
    page.click("#compare-search")
    box = page.locator("input.dash-dropdown-search")
    for delay in (60, 120, 200, 90):
        box.fill("")
        box.press_sequentially("Charlois", delay=delay)
        assert box.input_value() == "Charlois", delay
        page.get_by_role("option", name="Charlois (WK059915) · wijk · Rotterdam").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_url("**codes=WK059915**")


def test_download_csv_of_the_view(checked_page, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022&threshold=70")
    wait_map(page, 345)
    with page.expect_download() as info:
        page.click("button:has-text('CSV') >> nth=0")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.startswith("zicht-op-wijken_gemeente_2022_whatif-")  # threshold=70
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == 345
    utrecht = next(r for r in rows if r["code"] == "GM0344")
    assert utrecht["naam"] == "Utrecht" and utrecht["niveau"] == "gemeente"
    assert 0 <= float(utrecht["koopwoningen_pct"]) <= 100
    with page.expect_download() as info:
        page.click("button:has-text('Codeboek')")
    book = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert {r["column"] for r in book} >= set(rows[0])
    assert next(r for r in book if r["column"] == "threshold")["value"] == "70.0"


def test_english_and_keyboard(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/methode")
    page.wait_for_selector("h1:has-text('Methode')")
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    assert "83765NED" in page.inner_text("main") and "CC BY 4.0" in page.inner_text("main")
    page.click("a.lang-link")
    page.wait_for_selector("h1:has-text('Method and sources')")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert "taal=en" in page.url
    # Keyboard: the skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_unknown_pages_and_codes_are_helpful(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, rec = checked_page
    answer = page.goto(live_server + "/bestaat-niet")
    assert answer is not None and answer.status == 404  # the status says it, the page helps on
    page.wait_for_selector("h1:has-text('Pagina niet gevonden')")
    answer = page.goto(live_server + "/gebied/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert answer is not None and answer.status == 404
    page.wait_for_selector("h1:has-text('Gebied niet gevonden')")
    assert page.locator("script:has-text('alert(1)')").count() == 0
    # Chromium logs each 404 document as a console error; those two are the point of the test
    documents = [e for e in rec.errors if "status of 404" in e]
    assert len(documents) == 2
    rec.errors[:] = [e for e in rec.errors if e not in documents]


def test_phone_layout(phone_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """Pages fit a phone: no horizontal scrolling of the page itself."""
    page, _ = phone_page
    for path, name in (
        ("/?jaar=2022", "phone-map"),
        ("/gebied/WK034403", "phone-area"),
        ("/focusgebieden", "phone-focus"),
    ):
        page.goto(live_server + path)
        page.wait_for_selector("main h1")
        if path.startswith("/?"):
            wait_map(page, 3340)
        else:
            page.wait_for_timeout(1200)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 392, (path, width)
        shot(page, name, full=path != "/")


def test_the_map_page_loads_no_plotly(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, rec = checked_page
    page.goto(live_server + "/?jaar=2022")
    wait_map(page, 3340)
    assert not [u for u in rec.requests if "plotly" in u], rec.requests


def test_keyboard_focus_stays_on_the_table_button_after_sorting_and_paging(
    checked_page, live_server: str
) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente")
    page.wait_for_selector(".pager .button")
    active_id = "() => document.activeElement && document.activeElement.id"
    # sort by a column with the keyboard: the header button keeps the focus
    header = page.locator(".sort-button").nth(1)
    before = header.get_attribute("id")
    header.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("th[aria-sort] .sort-button")
    page.wait_for_function(f"() => ({active_id})() === {before!r}")
    # page on with the keyboard: the pager button keeps the focus, twice in a row
    nxt = page.locator(".pager .button").nth(1)
    nxt.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".pager-status:has-text('2 /')")
    page.wait_for_function("() => document.activeElement.matches('.pager .button')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".pager-status:has-text('3 /')")
    assert page.evaluate("() => document.activeElement.matches('.pager .button')")


def test_the_national_table_can_be_searched_accents_aside(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?jaar=2022")
    wait_map(page, 3340)
    pages_before = page.inner_text(".pager-status")
    box = page.get_by_label("Zoek in de tabel (naam, code of gemeente)")
    box.fill("Súdwest")  # CBS writes Sudwest-Fryslan in 2022
    page.wait_for_selector(".table-filtered:has-text('van 3.340 gebieden passen')")
    gemeenten = page.locator(".table-section tbody tr td:nth-child(3)").all_inner_texts()
    assert gemeenten and all("sudwest" in g.casefold() for g in gemeenten), gemeenten
    assert box.evaluate("e => e === document.activeElement")  # the box keeps the focus
    box.fill("")
    page.wait_for_selector(".table-filtered", state="detached")
    assert page.inner_text(".pager-status") == pages_before
