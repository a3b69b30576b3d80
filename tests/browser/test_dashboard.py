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
import shapely

from etl import schema
from layers.config import ScoringConfig
from layers.constants import score_column
from layers.indicators import SCORED_DOMAINS
from layers.view import score_view

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/zow-shots")
GRAPH = "#map-graph .js-plotly-plot"
GD = "document.querySelector('#map-graph .js-plotly-plot')"
MAP_READY = """(n) => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullLayout.map || !gd.data || !gd.data.length) return false;
    const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    const done = m && m.loaded() && m.areTilesLoaded();
    return !!done && (n === null || gd.data[0].locations.length === n);
}"""


def wait_map(page: Any, features: int | None = None, timeout: float = 30_000) -> None:
    """Wait until the map has drawn (software WebGL renders after network idle)."""
    page.wait_for_selector("#map-graph .maplibregl-canvas", timeout=timeout)
    page.wait_for_function(MAP_READY, arg=features, timeout=timeout)


def point_of(page: Any, lon: float, lat: float) -> tuple[float, float]:
    """Screen position of a lon/lat on the map."""
    xy = page.evaluate(
        """([lon, lat]) => {
            const gd = document.querySelector('#map-graph .js-plotly-plot');
            const m = gd._fullLayout.map._subplot.map;
            const p = m.project([lon, lat]);
            const r = m.getCanvas().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        [lon, lat],
    )
    return float(xy[0]), float(xy[1])


def inside(store: Path, jaar: int, niveau: str, code: str) -> tuple[float, float]:
    """A point surely inside an area (lon, lat), from the store's web geometry."""
    frame = schema.read_web_geometry(store, jaar, niveau)  # type: ignore[arg-type]
    geom = frame.loc[frame[schema.CODE] == code].geometry.iloc[0]
    point = shapely.point_on_surface(geom)
    return point.x, point.y


def click_area(page: Any, store: Path, jaar: int, niveau: str, code: str) -> None:
    """Click an area on the map, once the map has settled on its view (the browser fits
    the map to its bounds right after drawing)."""
    lonlat = inside(store, jaar, niveau, code)
    page.wait_for_function(MAP_READY, arg=None)
    x, y = point_of(page, *lonlat)
    for _ in range(40):
        page.wait_for_timeout(150)
        again = point_of(page, *lonlat)
        if abs(again[0] - x) < 0.5 and abs(again[1] - y) < 0.5:
            break
        x, y = again
    page.mouse.move(x, y)
    page.wait_for_timeout(150)
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
    wait_map(page, 3340)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def test_map_loads_interactive_and_measured(browser, checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """National wijk map: time to interactive, bytes of the first map and of a recolour.

    Measured on a warm server (its caches filled by a first visit) in a fresh browser
    context (nothing cached in the browser); the first visit's time is kept too.
    """
    cold = _cold_load(browser, live_server + "/?jaar=2022")
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
    page.goto(live_server + "/?jaar=2022")
    page.wait_for_selector("#map-graph .maplibregl-canvas", timeout=30_000)
    canvas = time.perf_counter() - start
    wait_map(page, 3340)
    drawn = time.perf_counter() - start
    # Interactive: hovering an area shows its label.
    x, y = point_of(page, 5.1214, 52.0907)  # Utrecht
    page.mouse.move(x, y)
    page.wait_for_selector(f"{GRAPH} .hoverlayer .hovertext", timeout=10_000)
    interactive = time.perf_counter() - start
    hover = page.locator(f"{GRAPH} .hoverlayer").text_content() or ""
    assert "Utrecht" in hover or "WK0344" in hover, hover
    buttons = page.evaluate(
        "() => [...document.querySelectorAll('.modebar-btn')].map(b => b.dataset.title)"
    )
    assert buttons and not any("Share" in b or "Cloud" in b for b in buttons), buttons
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

    first = update_requests("_pages_content")
    assert first and first[0].get("encoded")
    # Recolour: choose another measure; only classes, colours and hover text travel.
    before = page.evaluate(f"() => {GD}.data[0].geojson.features.length")
    choose(page, "#map-maat", "Koopwoningen (% van woningen)")
    page.wait_for_url("**maat=koopwoningen**")
    page.wait_for_function(
        "() => document.querySelector('#map-legend').innerText.includes('Koopwoningen')"
    )
    page.wait_for_timeout(500)
    recolour = [r for r in update_requests("map-graph.figure") if r.get("encoded")]
    assert recolour, "no map callback after the measure changed"
    assert page.evaluate(f"() => {GD}.data[0].geojson.features.length") == before
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
    assert recolour[-1]["decoded"] < first[0]["decoded"] / 10
    assert first[0]["encoded"] < first[0]["decoded"] / 3  # compressed


def test_switch_level_and_drill_down_by_clicking(
    checked_page, live_server: str, store: Path
) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022")
    wait_map(page, 345)
    page.get_by_label("wijk", exact=True).check()
    page.wait_for_url("**/?jaar=2022")
    wait_map(page, 3340)
    page.get_by_label("gemeente", exact=True).check()
    page.wait_for_url("**niveau=gemeente**")
    wait_map(page, 345)
    # A gemeente → its wijken on the map.
    click_area(page, store, 2022, "gemeente", "GM0344")
    page.wait_for_url("**gemeente=GM0344**")
    wait_map(page, None)
    page.wait_for_function(f"() => {GD}.data[0].locations.every(c => c.startsWith('WK0344'))")
    assert "Utrecht" in page.inner_text("#map-breadcrumbs")
    shot(page, "laptop-map-utrecht")
    # A wijk → its page, with breadcrumbs back up.
    click_area(page, store, 2022, "wijk", "WK034403")
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
    url = live_server + "/?niveau=gemeente&jaar=2022&maat=koopwoningen&focus=1&drempel=70"
    page.goto(url)
    wait_map(page, 345)

    def state() -> dict[str, Any]:
        return {
            "legend": page.inner_text("#map-legend").split("\n")[0],
            "niveau": page.locator("#map-niveau input:checked").get_attribute("value"),
            "focus": page.locator("#map-focus input").is_checked(),
            "threshold": page.input_value("#whatif-threshold"),
            "outlines": page.evaluate(
                "() => document.querySelector('#map-graph .js-plotly-plot').data[1].visible"
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
    page.wait_for_url("**drempel=60**")
    page.wait_for_function(
        "(b) => document.querySelector('#map-summary').innerText !== b", arg=before
    )
    assert "aangepast" in page.inner_text("#whatif-summary")
    # Links to other pages keep the choice.
    assert "drempel=60" in page.get_attribute("a.nav-link >> nth=1", "href")


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
    page.wait_for_selector(".maplibregl-canvas")
    shot(page, "laptop-focus-overview", full=True)
    page.click("table.data-table >> text=Utrecht Overvecht")
    page.wait_for_url("**/focusgebied/utrecht-overvecht**")
    page.wait_for_selector("h1:has-text('Utrecht Overvecht')")
    page.wait_for_selector("main >> text=Wijk 03 Overvecht")
    assert "Samengeteld hoort het gebied" in page.inner_text(".stacking")
    page.wait_for_selector(".maplibregl-canvas")
    page.wait_for_timeout(800)
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


def test_download_csv_of_the_view(checked_page, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022&drempel=70")
    wait_map(page, 345)
    with page.expect_download() as info:
        page.click("button:has-text('CSV') >> nth=0")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "zicht-op-wijken_gemeente_2022.csv"
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
    page, _ = checked_page
    page.goto(live_server + "/bestaat-niet")
    page.wait_for_selector("h1:has-text('Pagina niet gevonden')")
    page.goto(live_server + "/gebied/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    page.wait_for_selector("h1:has-text('Gebied niet gevonden')")
    assert page.locator("script:has-text('alert(1)')").count() == 0


def test_phone_layout(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """Pages fit a phone: no horizontal scrolling of the page itself."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
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
    finally:
        context.close()
    assert errors == []


COUNT_PLOTLY = """
window.__plotlyEvaluations = 0;
Object.defineProperty(window, "Plotly", {
    configurable: true,
    get() { return window.__plotly; },
    set(value) {
        if (value && value.newPlot) { window.__plotlyEvaluations += 1; }
        window.__plotly = value;
    },
});
"""


def test_plotly_is_evaluated_once_even_when_it_arrives_late(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """The map page starts plotly.js while its first callback is on the server
    (assets/plotly-early.js); the map's dcc.Graph waits for that script, also when it
    arrives after the page content, instead of loading plotly.js a second time."""
    page, _ = checked_page
    page.add_init_script(COUNT_PLOTLY)

    def late(route: Any) -> None:
        time.sleep(1.5)
        route.continue_()

    page.route("**/plotly.min.js", late)
    page.goto(live_server + "/?jaar=2022")
    wait_map(page, 3340)
    assert page.evaluate("() => window.__plotlyEvaluations") == 1
    assert page.locator("script[src*='plotly.min.js']").count() == 1
