"""Browser benchmark: how soon the national wijk map is interactive in headless Chromium,
and how soon a recolour is painted, beside the floor any plotly map pays.

The app runs on 127.0.0.1 in a thread (werkzeug, threaded) on a warm process; each
repetition uses a fresh browser context (nothing cached). Times are read inside the page
(``performance.now()``, whose zero is the start of the navigation), polled on every
animation frame:

- *drawn*: the map's plotly div holds all features, and its maplibre map reports the style
  and every tile loaded (``map.loaded() && map.areTilesLoaded()``, as the browser tests
  wait for it);
- *interactive*: then the mouse moves over Utrecht, and the hover label appears (the same
  check as ``tests/browser/test_dashboard.py``);
- *recolour painted*: from the pointer-down on a new measure in the menu until the plot
  holds the new ``z`` values and the map has rendered them (loaded again);
- *bytes*: the transfer sizes (compressed, with headers) of the page and every resource
  loaded until interactive.

Baseline in the same run (the floor): a plain HTML page, served by the same server, with
only plotly.min.js (from the app's own component suites) and a small script that fetches
the app's own first figure (same web geometry, values, colours and hover text) and draws it
with ``Plotly.newPlot``; its recolour is the naive full re-draw: fetch the next figure with
full geometry and ``Plotly.newPlot`` again.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from bench import payloads, server
from bench.maps import JAAR, Client
from bench.measure import Figure
from dashboard import create_app, figures, ids

SECTION: Final = "browser"
BASELINE: Final = (
    "floor: a plain page with only plotly.min.js (from the app's own component suites) that "
    "fetches the app's own figure (same web geometry, values and hover) and draws it with "
    "`Plotly.newPlot`; recolour floor: fetch the next figure with full geometry and "
    "`Plotly.newPlot` again (the naive full re-draw)"
)
CHROMIUM: Final = Path("/usr/bin/chromium")
ARGS: Final = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LAPTOP: Final = {"width": 1366, "height": 768}
UTRECHT: Final = (5.1214, 52.0907)
"""A point in the city of Utrecht (lon, lat): where the hover check points."""
FLOOR_NAME: Final = "floor: plotly.min.js + Plotly.newPlot"
RECOLOUR_NAME: Final = "naive: fetch full figure + Plotly.newPlot"

READY: Final = """([n, old]) => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullLayout.map || !gd.data || !gd.data.length) return 0;
    if (old && gd.data[0].z === window.__oldZ) return 0;
    const sub = gd._fullLayout.map._subplot;
    const m = sub && sub.map;
    const done = m && m.loaded() && m.areTilesLoaded();
    return (done && gd.data[0].locations.length === n) ? performance.now() : 0;
}"""
"""The map is drawn (with ``old``: drawn with other ``z`` values than before the change)."""

POINT: Final = """([lon, lat]) => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    const m = gd._fullLayout.map._subplot.map;
    const p = m.project([lon, lat]);
    const r = m.getCanvas().getBoundingClientRect();
    return [r.left + p.x, r.top + p.y];
}"""
HOVER: Final = """() => document.querySelector('#map-graph .hoverlayer .hovertext')
    ? performance.now() : 0"""
ARM: Final = """() => {
    const gd = document.querySelector('#map-graph .js-plotly-plot');
    window.__oldZ = gd.data[0].z;
    window.__t0 = 0;
    document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); },
                              {capture: true, once: true});
}"""
BYTES: Final = """() => performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .reduce((s, e) => s + (e.transferSize || 0), 0)"""

FLOOR_HTML: Final = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>plotly floor</title>
<script src="/_dash-component-suites/plotly/package_data/plotly.min.js"></script>
<script src="/bench/floor.js" defer></script></head>
<body style="margin:0"><button id="redraw" type="button">redraw</button>
<div id="map-graph"><div id="gd" style="width:{w}px;height:{h}px"></div></div></body></html>
"""
FLOOR_JS: Final = """(function () {
    var gd = document.getElementById('gd');
    var config = %s;
    function draw(i) {
        return fetch('/bench/figure/' + i + '.json')
            .then(function (r) { return r.json(); })
            .then(function (fig) { return Plotly.newPlot(gd, fig.data, fig.layout, config); });
    }
    draw(0);
    document.getElementById('redraw').addEventListener('click', function () { draw(1); });
})();
"""


def floor_routes(flask_app: Any, served: Mapping[str, bytes]) -> None:
    """Add the floor page to the app's Flask server (before its first request): the page,
    its script and the figures in ``served`` (filled later; same compression and CSP as
    every response of the app)."""
    import flask

    blueprint = flask.Blueprint("bench_floor", __name__)

    @blueprint.route("/bench/floor.html")
    def page() -> flask.Response:
        w, h = figures.MAP_SIZE
        return flask.Response(FLOOR_HTML.format(w=w, h=h), mimetype="text/html")

    @blueprint.route("/bench/floor.js")
    def script() -> flask.Response:
        return flask.Response(served["floor.js"], mimetype="text/javascript")

    @blueprint.route("/bench/figure/<int:index>.json")
    def figure(index: int) -> flask.Response:
        return flask.Response(served[f"figure-{index}"], mimetype="application/json")

    flask_app.register_blueprint(blueprint)


def _ms(page: Any, script: str, arg: Any = None, *, timeout: float = 60_000) -> float:
    handle = page.wait_for_function(script, arg=arg, polling="raf", timeout=timeout)
    return float(handle.json_value())


def _hover(page: Any) -> float:
    """Move over Utrecht until the hover label shows (the camera may still be fitting)."""
    for _ in range(40):
        x, y = page.evaluate(POINT, list(UTRECHT))
        page.mouse.move(x, y)
        try:
            return _ms(page, HOVER, timeout=500)
        except Exception:  # playwright's TimeoutError: move the mouse away and back
            page.mouse.move(5, 5)
    raise RuntimeError("no hover label over Utrecht")


def load(page: Any, url: str, n: int) -> dict[str, float]:
    """Open a map page; milliseconds since navigation start until drawn and interactive,
    and the bytes transferred until then."""
    page.goto(url, wait_until="commit")
    drawn = _ms(page, READY, [n, False])
    interactive = _hover(page)
    return {"drawn": drawn, "interactive": interactive, "bytes": float(page.evaluate(BYTES))}


def recolour(page: Any, n: int, trigger: Callable[[], None]) -> float:
    """Milliseconds from the pointer-down of ``trigger`` until the new colours are drawn."""
    page.evaluate(ARM)
    trigger()
    painted = _ms(page, READY, [n, True])
    return painted - float(page.evaluate("() => window.__t0"))


def run(store: Path, *, repeat: int) -> list[Figure]:
    """Measure page load and recolour of the app and of the floor page in Chromium."""
    if not CHROMIUM.exists():
        return [
            Figure(SECTION, "national wijk map in headless Chromium", None, "s",
                   note=f"skipped: {CHROMIUM} is absent (apt-get install chromium)")
        ]  # fmt: skip
    from playwright.sync_api import sync_playwright

    app = create_app(store)
    served: dict[str, bytes] = {}
    floor_routes(app.server, served)
    client = Client(app)
    first = client.post(client.callbacks.router("/", f"?jaar={JAAR}")).body
    graph = payloads.prop(first, ids.MAP_GRAPH, "figure")
    config = dict(payloads.prop(first, ids.MAP_GRAPH, "config") or figures.MAP_CONFIG)
    config.pop("locale", None)
    options = payloads.prop(first, ids.MAP_MAAT, "options") or []
    current = payloads.prop(first, ids.MAP_MAAT, "value")
    target = next(
        o
        for o in options
        if o["value"] != current and isinstance(o["label"], str) and not o.get("disabled")
    )
    second = client.post(client.callbacks.router("/", f"?jaar={JAAR}&maat={target['value']}")).body
    served["figure-0"] = json.dumps(graph).encode()
    served["figure-1"] = json.dumps(payloads.prop(second, ids.MAP_GRAPH, "figure")).encode()
    served["floor.js"] = (FLOOR_JS % json.dumps(config)).encode()
    n = len(graph["data"][0]["locations"])

    runs: dict[str, list[float]] = {}
    with server.threaded(app.server) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for i in range(repeat + 1):  # the first round warms the browser up
                for kind in ("app", "floor"):
                    context = browser.new_context(viewport=LAPTOP)
                    try:
                        page = context.new_page()
                        if kind == "app":
                            got = load(page, base + f"/?jaar={JAAR}", n)
                            page.click(f"#{ids.MAP_MAAT}")
                            option = page.get_by_role("option", name=target["label"], exact=True)
                            option.first.wait_for()
                            got["recolour"] = recolour(page, n, option.first.click)
                        else:
                            got = load(page, base + "/bench/floor.html", n)
                            button = page.locator("#redraw")
                            got["recolour"] = recolour(page, n, button.click)
                    finally:
                        context.close()
                    if i:
                        for key, value in got.items():
                            runs.setdefault(f"{kind}.{key}", []).append(value)
                print(f"  browser round {i}/{repeat}", file=sys.stderr)
        finally:
            browser.close()
    return _figures(runs, n, repeat, str(target["label"]))


def _figures(runs: Mapping[str, list[float]], n: int, repeat: int, label: str) -> list[Figure]:
    def med(key: str) -> float:
        return statistics.median(runs[key])

    name = f"national wijk map {JAAR} ({n:,} wijken)"
    extra = {k: [round(v, 1) for v in vs] for k, vs in runs.items()}
    return [
        Figure(SECTION, f"{name}: drawn (all features, map loaded)", med("app.drawn") / 1e3,
               "s", med("floor.drawn") / 1e3, FLOOR_NAME, repeat, extra=extra),
        Figure(SECTION, f"{name}: interactive (hover over Utrecht shows its label)",
               med("app.interactive") / 1e3, "s", med("floor.interactive") / 1e3, FLOOR_NAME,
               repeat, note="from navigation start"),
        Figure(SECTION, f"{name}: bytes transferred until interactive", med("app.bytes"), "B",
               med("floor.bytes"), FLOOR_NAME, repeat, note="compressed, with headers"),
        Figure(SECTION, f"{name}: recolour painted (menu → {label})", med("app.recolour"),
               "ms", med("floor.recolour"), RECOLOUR_NAME, repeat,
               note="pointer-down until the new colours are drawn"),
    ]  # fmt: skip
