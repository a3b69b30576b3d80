"""Browser benchmark: the SVG map beside today's plotly map, a minimal Dash page and a bare
SVG page, in headless Chromium, for three layers.

Layers: the national wijk map (2022), the wijken of one gemeente (Amsterdam), and a
*synthetic* national buurt layer (every wijk of the coverage cut into quadrants, about
14,000 areas, random classes: the mirror has no buurt boundaries). Renderers, all from one
process in one run, each repetition in a fresh browser context (nothing cached):

- *app*: the dashboard's map page (wijk layers; the app draws buurten per gemeente only, so
  it has no national buurt page);
- *plotly*: today's renderer, a plotly ``choroplethmap`` of the same simplified geometry,
  classes, colours and hover text on a plain page with plotly.min.js (no Dash, so a lower
  bound of today's page); recolour: ``Plotly.restyle`` of ``z`` as the old ``Patch`` did;
- *dash-svg*: a minimal Dash app drawing the same SVG paths with the same script, recoloured
  by a server callback and the clientside callback (the cost of Dash itself);
- *bare-svg*: a plain page with the same script and paths, no Dash.

Times are read inside the page (``performance.now()``, zero at navigation start), polled on
every animation frame. *Usable*: the areas are painted and hovering a point shows the
tooltip. *Recolour*: pointer-down on the control (for the app: on the option of its open
measure menu) until the new colours are applied.
*Bytes*: transfer sizes (compressed, with headers) until usable.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely

from bench import plotlymap, server
from bench.measure import Figure
from dashboard import ASSETS, create_app, data, ids, mapview, measures, svgmap
from dashboard.urls import parse_view

SECTION: Final = "browser"
BASELINE: Final = (
    "today's renderer: a plotly `choroplethmap` page (plain page, plotly.min.js, same "
    "geometry, classes and hover; recolour = `Plotly.restyle` of z, as the old Patch); a "
    "minimal Dash page drawing the same SVG paths; a bare SVG page (no Dash)"
)
CHROMIUM: Final = Path("/usr/bin/chromium")
ARGS: Final = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LAPTOP: Final = {"width": 1366, "height": 768}
SIZE: Final = (1030, 520)

READY: Final = """([n, old]) => {
    const e = document.querySelector('#map-svg');
    if (!e || e.dataset.state !== 'drawn' || !e.dataset.painted) return 0;
    if (old && e.dataset.painted === window.__oldPaint) return 0;
    return Number(e.dataset.areas) === n ? performance.now() : 0;
}"""
"""The app's map has painted ``n`` areas (with ``old``: a paint other than before)."""
SVG_READY: Final = """([sel, n]) => {
    const e = document.querySelector(sel);
    if (!e || e.dataset.state !== 'drawn' || !e.dataset.painted) return 0;
    return Number(e.dataset.areas) === n ? performance.now() : 0;
}"""
SVG_ARM: Final = """(sel) => {
    const e = document.querySelector(sel);
    window.__oldPaint = e.dataset.painted;
    window.__t0 = 0;
    window.__shown = 0;
    document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); },
                              {capture: true, once: true});
    new MutationObserver((_, observer) => {
        if (e.dataset.state !== 'drawn' || e.dataset.painted === window.__oldPaint) return;
        observer.disconnect();
        requestAnimationFrame(() => { window.__shown = performance.now(); });
    }).observe(e, {attributes: true, attributeFilter: ['data-painted', 'data-state']});
}"""
"""Arm the recolour clock: zero at the next pointer-down; ``__shown`` at the start of the
first frame after the map's new paint (observed in the page, not by polling from outside,
whose latency differs with the page's load)."""
SVG_SHOWN: Final = "() => window.__shown"
SVG_POINT: Final = """([sel, x, y]) => {
    const svg = document.querySelector(sel + ' svg');
    const p = svg.createSVGPoint(); p.x = x; p.y = y;
    const q = p.matrixTransform(svg.getScreenCTM());
    return [q.x, q.y];
}"""
SVG_HOVER: Final = """(sel) => {
    const t = document.querySelector(sel + ' .zmap-tip');
    return t && !t.hidden ? performance.now() : 0;
}"""
PLOTLY_READY: Final = """([n, old]) => {
    const gd = document.querySelector('#gd');
    if (!gd || !gd._fullLayout || !gd._fullLayout.map || !gd.data || !gd.data.length) return 0;
    if (old && gd.data[0].z === window.__oldZ) return 0;
    const m = gd._fullLayout.map._subplot && gd._fullLayout.map._subplot.map;
    const done = m && m.loaded() && m.areTilesLoaded();
    return (done && gd.data[0].locations.length === n) ? performance.now() : 0;
}"""
PLOTLY_ARM: Final = """() => {
    window.__oldZ = document.querySelector('#gd').data[0].z;
    window.__t0 = 0;
    document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); },
                              {capture: true, once: true});
}"""
PLOTLY_POINT: Final = """([lon, lat]) => {
    const gd = document.querySelector('#gd');
    const m = gd._fullLayout.map._subplot.map;
    const p = m.project([lon, lat]);
    const r = m.getCanvas().getBoundingClientRect();
    return [r.left + p.x, r.top + p.y];
}"""
PLOTLY_HOVER: Final = """() => document.querySelector('#gd .hoverlayer .hovertext')
    ? performance.now() : 0"""
BYTES: Final = """() => performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .reduce((s, e) => s + (e.transferSize || 0), 0)"""

PLOTLY_HTML: Final = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>plotly map</title>
<script src="/_dash-component-suites/plotly/package_data/plotly.min.js"></script>
<script src="/bench/plotly.js?layer={layer}" defer></script></head>
<body style="margin:0"><button id="recolour" type="button">recolour</button>
<div id="gd" style="width:{w}px;height:{h}px"></div></body></html>
"""
PLOTLY_JS: Final = """(function () {
    var layer = new URLSearchParams(document.currentScript.src.split('?')[1]).get('layer');
    var gd = document.getElementById('gd');
    fetch('/bench/' + layer + '/figure.json').then(function (r) { return r.json(); })
        .then(function (fig) { return Plotly.newPlot(gd, fig.data, fig.layout, fig.config); });
    document.getElementById('recolour').addEventListener('click', function () {
        fetch('/bench/' + layer + '/restyle.json').then(function (r) { return r.json(); })
            .then(function (props) {
                var update = {};  // restyle takes one value per trace: wrap the arrays
                Object.keys(props).forEach(function (k) {
                    update[k] = Array.isArray(props[k]) ? [props[k]] : props[k];
                });
                return Plotly.restyle(gd, update, [0]);
            });
    });
})();
"""
BARE_HTML: Final = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>bare SVG map</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/zicht-map.js" defer></script>
<script src="/bench/bare.js?layer={layer}" defer></script></head>
<body style="margin:0"><button id="recolour" type="button">recolour</button>
<div style="width:{w}px;height:{h}px"><div class="zmap-wrap"><div id="b-svg" class="zmap">
</div></div></div></body></html>
"""
BARE_JS: Final = """(function () {
    var layer = new URLSearchParams(document.currentScript.src.split('?')[1]).get('layer');
    window.dash_clientside = window.dash_clientside || {no_update: null, set_props: function () {}};
    function get(name) {
        return fetch('/bench/' + layer + '/' + name + '.json')
            .then(function (r) { return r.json(); });
    }
    var geo;
    Promise.all([get('geo'), get('paint-0')]).then(function (parts) {
        geo = parts[0];
        window.zichtMap.draw(geo, parts[1]);
    });
    document.getElementById('recolour').addEventListener('click', function () {
        get('paint-1').then(function (p) { window.zichtMap.draw(geo, p); });
    });
})();
"""


@dataclass(frozen=True)
class Layer:
    """One layer to measure: its name, areas, the point the hover check uses, and what each
    renderer needs (app URL or ``None``; geo and two paints; a plotly figure and restyle)."""

    key: str
    name: str
    n: int
    app_url: str | None
    app_control: str | None
    hover_code: str
    geo: dict[str, Any]
    paints: tuple[dict[str, Any], dict[str, Any]]
    figure: dict[str, Any]
    restyle: dict[str, Any]
    lonlat: tuple[float, float]
    screen: tuple[float, float]
    payload: bytes | None = None


def _inside(geom: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    """A point inside an area (EPSG:4326 geometry) as lon/lat and as map screen units."""
    from pyproj import Transformer

    p = shapely.point_on_surface(geom)
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True).transform(p.x, p.y)
    from etl.schema import MAP_TOP_M, MAP_UNIT_M

    return (p.x, p.y), (x / MAP_UNIT_M, (MAP_TOP_M - y) / MAP_UNIT_M)


def _plotly(
    geojson: Mapping[str, Any],
    codes: list[str],
    names: list[str],
    paint: Mapping[str, Any],
    bounds: tuple[float, float, float, float],
) -> dict[str, Any]:
    """Today's plotly map of a layer painted as ``paint`` says, with its config."""
    fig = plotlymap.choropleth(geojson, codes, names, plotlymap.restyle(paint), bounds=bounds)
    return {**fig, "config": plotlymap.config()}


def _geojson(
    jaar: int, niveau: str, codes: list[str]
) -> tuple[dict[str, Any], tuple[float, float, float, float], Any]:
    """The store's web geometry of ``codes`` as the GeoJSON a plotly map reads (EPSG:4326,
    features with the code as id), its bounds and the shapes, in the order of ``codes``."""
    from etl import schema

    web = schema.read_web_geometry(data.store_path(), jaar, niveau)  # type: ignore[arg-type]
    shapes = web.set_index(web[schema.CODE].astype(str)).geometry.loc[codes].to_numpy()
    features = [
        {"type": "Feature", "id": c, "properties": {}, "geometry": json.loads(g)}
        for c, g in zip(codes, shapely.to_geojson(shapes), strict=True)
    ]
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(shapes))
    return {"type": "FeatureCollection", "features": features}, (x0, y0, x1, y1), shapes


def _app_layer(key: str, name: str, query: str, hover: str, maat: str) -> Layer:
    """A layer as the app's map page shows it, with the paint of a second measure."""
    view = parse_view(query)
    first = mapview.render(view, None)
    second = mapview.render(parse_view(query + f"&maat={maat}"), first.geokey)
    assert first.geo is not None and first.paint is not None and second.paint is not None
    codes = first.geo["codes"]
    resolved = mapview.resolve(view)
    assert resolved is not None
    geojson, bounds, shapes = _geojson(resolved.jaar, resolved.view.niveau, codes)
    lonlat, screen = _inside(shapes[codes.index(hover)])
    names = [data.area_name(resolved.jaar, resolved.view.niveau, c) or c for c in codes]
    figure = _plotly(geojson, codes, names, first.paint, bounds)
    return Layer(key, name, len(codes), "/" + query, maat, hover, first.geo,
                 (first.paint, second.paint), figure, plotlymap.restyle(second.paint),
                 lonlat, screen)  # fmt: skip


def synthetic_buurten(jaar: int = 2022) -> Layer:
    """The synthetic national buurt layer: every wijk of the simplified coverage cut into
    its four quadrants (pieces keep the wijk's code plus a two-digit suffix), random
    stacking classes (seeded)."""
    from etl import geometry, schema

    web = schema.read_web_geometry(data.store_path(), jaar, "wijk")
    rd = web.to_crs(schema.COMPUTE_CRS)
    codes: list[str] = []
    pieces: list[Any] = []
    for code, geom in zip(rd[schema.CODE].astype(str), rd.geometry, strict=True):
        x0, y0, x1, y1 = geom.bounds
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        quads = [(x0, y0, mx, my), (mx, y0, x1, my), (x0, my, mx, y1), (mx, my, x1, y1)]
        for k, q in enumerate(quads):
            part = geometry.polygonal(np.asarray([shapely.intersection(geom, shapely.box(*q))]))[0]
            if not part.is_empty:
                codes.append(f"BU{code[2:]}{k:02d}")
                pieces.append(part)
    payload, n = geometry.map_paths(codes, np.asarray(pieces, dtype=object))
    kept = json.loads(payload)["codes"]
    index = {c: i for i, c in enumerate(codes)}
    from dashboard.figures import classify

    def paint(seed: int) -> dict[str, Any]:
        values = np.random.default_rng(seed).integers(0, 6, len(kept)).astype(float)
        c = classify(values, fixed=range(6))
        return svgmap.paint(c, ["Klasse"], [[str(int(v)) for v in values]], key=f"synthetic-{seed}")

    url = "/bench/buurt/paths.json"
    geo = svgmap.geo("b", url, kept, key="synthetic", label="synthetic buurten", taal="nl")
    hover = next(c for c in kept if c.startswith("BU034403"))
    wgs = shapely.to_wkb(np.asarray([pieces[index[c]] for c in kept], dtype=object))
    import geopandas as gpd

    frame = gpd.GeoSeries(shapely.from_wkb(wgs), crs=schema.COMPUTE_CRS).to_crs(schema.WEB_CRS)
    frame = gpd.GeoSeries(shapely.set_precision(frame.to_numpy(), 1e-5), crs=schema.WEB_CRS)
    features = [
        {"type": "Feature", "id": c, "properties": {}, "geometry": json.loads(g)}
        for c, g in zip(kept, shapely.to_geojson(frame.to_numpy()), strict=True)
    ]
    geojson = {"type": "FeatureCollection", "features": features}
    p0, p1 = paint(1), paint(2)
    bounds = tuple(float(v) for v in frame.total_bounds)
    figure = _plotly(geojson, kept, kept, p0, bounds)  # type: ignore[arg-type]
    lonlat, screen = _inside(frame.to_numpy()[kept.index(hover)])
    return Layer("buurt", f"synthetic national buurt layer ({n:,} areas: wijken cut in "
                 "quadrants)", n, None, None, hover, geo, (p0, p1), figure,
                 plotlymap.restyle(p1), lonlat, screen, payload)  # fmt: skip


def bench_routes(flask_app: Any, layers: Mapping[str, Layer]) -> None:
    """The plotly and bare-SVG pages and their data on the app's server (before its first
    request): same compression and CSP as every response of the app."""
    import flask

    blueprint = flask.Blueprint("bench_pages", __name__)
    w, h = SIZE

    def as_json(value: Any) -> flask.Response:
        return flask.Response(json.dumps(value), mimetype="application/json")

    @blueprint.route("/bench/plotly.html")
    def plotly_page() -> flask.Response:
        layer = str(flask.request.args.get("layer", ""))
        return flask.Response(PLOTLY_HTML.format(layer=layer, w=w, h=h), mimetype="text/html")

    @blueprint.route("/bench/bare.html")
    def bare_page() -> flask.Response:
        layer = str(flask.request.args.get("layer", ""))
        return flask.Response(BARE_HTML.format(layer=layer, w=w, h=h), mimetype="text/html")

    @blueprint.route("/bench/plotly.js")
    def plotly_js() -> flask.Response:
        return flask.Response(PLOTLY_JS, mimetype="text/javascript")

    @blueprint.route("/bench/bare.js")
    def bare_js() -> flask.Response:
        return flask.Response(BARE_JS, mimetype="text/javascript")

    @blueprint.route("/bench/<key>/<what>.json")
    def layer_data(key: str, what: str) -> flask.Response:
        layer = layers[key]
        if what == "paths" and layer.payload is not None:
            response = flask.Response(layer.payload, mimetype="application/json")
            response.headers["Cache-Control"] = svgmap.CACHE_CONTROL
            return response
        parts = {
            "geo": {**layer.geo, "el": "b-svg"},
            "paint-0": layer.paints[0],
            "paint-1": layer.paints[1],
            "figure": layer.figure,
            "restyle": layer.restyle,
        }
        return as_json(parts[what])

    flask_app.register_blueprint(blueprint)


def minimal_dash(layer: Layer, paths: bytes) -> Any:
    """A minimal Dash app that draws a layer's SVG paths with the map's script (one store
    for the areas, one for the paint; a button recolours through a server callback)."""
    import flask
    from dash import MATCH, Dash, Input, Output, dcc, html
    from flask_compress import Compress

    app = Dash("bench_dash_svg", assets_folder=str(ASSETS), serve_locally=True)
    Compress(app.server)
    geo = {**layer.geo, "url": "/paths.json", "el": "b-svg"}
    w, h = SIZE
    app.layout = html.Div([
        html.Button("recolour", id="recolour"),
        dcc.Store(id=svgmap.geo_id("b"), data=geo),
        dcc.Store(id=svgmap.paint_id("b"), data=layer.paints[0]),
        dcc.Store(id={"type": ids.SVGMAP_DRAWN, "map": "b"}),
        html.Div(html.Div(html.Div(id="b-svg", className="zmap"), className="zmap-wrap"),
                 style={"width": f"{w}px", "height": f"{h}px"}),
    ])  # fmt: skip
    app.clientside_callback(
        svgmap.DRAW,
        Output({"type": ids.SVGMAP_DRAWN, "map": MATCH}, "data"),
        Input({"type": ids.SVGMAP_GEO, "map": MATCH}, "data"),
        Input({"type": ids.SVGMAP_PAINT, "map": MATCH}, "data"),
    )

    @app.callback(
        Output(svgmap.paint_id("b"), "data"), Input("recolour", "n_clicks"),
        prevent_initial_call=True,
    )  # fmt: skip
    def recolour(n: int) -> dict[str, Any]:
        return layer.paints[n % 2]

    @app.server.route("/paths.json")
    def serve_paths() -> flask.Response:
        response = flask.Response(paths, mimetype="application/json")
        response.headers["Cache-Control"] = svgmap.CACHE_CONTROL
        return response

    return app.server


def _ms(page: Any, script: str, arg: Any = None, *, timeout: float = 90_000) -> float:
    handle = page.wait_for_function(script, arg=arg, polling="raf", timeout=timeout)
    return float(handle.json_value())


def _hover(page: Any, point: Callable[[], list[float]], hovered: Callable[[], float]) -> float:
    for _ in range(40):
        x, y = point()
        page.mouse.move(x, y)
        try:
            return hovered()
        except Exception:  # playwright's TimeoutError: move away and back
            page.mouse.move(2, 2)
    raise RuntimeError("no tooltip at the hover point")


def measure_svg(
    page: Any,
    url: str,
    layer: Layer,
    sel: str,
    trigger: Callable[[], None],
    prepare: Callable[[], None] | None = None,
) -> dict[str, float]:
    """Open an SVG map page: painted, usable (tooltip), bytes until usable, recolour (from
    the pointer-down of ``trigger``; ``prepare`` runs before, e.g. opening a menu)."""
    page.goto(url, wait_until="commit")
    painted = _ms(page, SVG_READY, [sel, layer.n])
    usable = _hover(
        page,
        lambda: page.evaluate(SVG_POINT, [sel, *layer.screen]),
        lambda: _ms(page, SVG_HOVER, sel, timeout=500),
    )
    got = {"painted": painted, "usable": usable, "bytes": float(page.evaluate(BYTES))}
    if prepare is not None:
        prepare()
    page.evaluate(SVG_ARM, sel)
    trigger()
    done = _ms(page, SVG_SHOWN)
    got["recolour"] = done - float(page.evaluate("() => window.__t0"))
    return got


def measure_plotly(page: Any, url: str, layer: Layer) -> dict[str, float]:
    """Open the plotly page: drawn, usable (hover label), bytes until usable, recolour."""
    page.goto(url, wait_until="commit")
    painted = _ms(page, PLOTLY_READY, [layer.n, False])
    usable = _hover(
        page,
        lambda: page.evaluate(PLOTLY_POINT, list(layer.lonlat)),
        lambda: _ms(page, PLOTLY_HOVER, timeout=500),
    )
    got = {"painted": painted, "usable": usable, "bytes": float(page.evaluate(BYTES))}
    page.evaluate(PLOTLY_ARM)
    page.click("#recolour")
    done = _ms(page, PLOTLY_READY, [layer.n, True])
    got["recolour"] = done - float(page.evaluate("() => window.__t0"))
    return got


def _app_menu(page: Any, label: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """Open the measure menu (before the clock starts), then choose ``label`` in it."""
    option = page.get_by_role("option", name=label, exact=True).first

    def prepare() -> None:
        page.click(f"#{ids.MAP_MAAT}")
        option.wait_for()

    return prepare, option.click


def _measure(
    kind: str, page: Any, urls: Mapping[str, str], key: str, layer: Layer, label: str
) -> dict[str, float]:
    """One renderer's figures for one layer in a fresh page."""
    if kind == "app":
        url = urls["app"] + str(layer.app_url)
        prepare, choose = _app_menu(page, label)
        return measure_svg(page, url, layer, "#map-svg", choose, prepare)
    if kind == "plotly":
        return measure_plotly(page, f"{urls['page']}/bench/plotly.html?layer={key}", layer)
    url = (
        urls["dash-svg"] + "/"
        if kind == "dash-svg"
        else f"{urls['page']}/bench/bare.html?layer={key}"
    )
    return measure_svg(page, url, layer, "#b-svg", lambda: page.click("#recolour"))


def run(store: Path, *, repeat: int) -> list[Figure]:
    """Measure every layer with every renderer in Chromium."""
    if not CHROMIUM.exists():
        return [
            Figure(SECTION, "maps in headless Chromium", None, "s",
                   note=f"skipped: {CHROMIUM} is absent (apt-get install chromium)")
        ]  # fmt: skip
    from playwright.sync_api import sync_playwright

    app = create_app(store)
    with app.server.test_request_context("/"):
        shown = mapview.resolve(parse_view("?jaar=2022&maat=koopwoningen"))
        assert shown is not None and shown.measure.id == "koopwoningen"
        label = next(
            str(o["label"])
            for o in measures.options(shown.measures, "nl")
            if o["value"] == "koopwoningen"
        )
        layers = {
            "wijk": _app_layer("wijk", "national wijk map 2022", "?jaar=2022", "WK034403",
                               "koopwoningen"),
            "gemeente": _app_layer("gemeente", "wijken of GM0363 Amsterdam 2022",
                                   "?jaar=2022&gemeente=GM0363", "WK036300", "koopwoningen"),
            "buurt": synthetic_buurten(2022),
        }  # fmt: skip
        wijk_paths, _ = svgmap_paths(2022, "wijk")
    bench_routes(app.server, layers)
    runs: dict[str, list[float]] = {}
    with server.threaded(app.server) as base, sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for key, layer in layers.items():
                paths = layer.payload if layer.payload is not None else wijk_paths
                with server.threaded(minimal_dash(layer, paths)) as dash_base:
                    for i in range(repeat + 1):  # the first round warms up
                        for kind in ("app", "dash-svg", "bare-svg", "plotly"):
                            if kind == "app" and layer.app_url is None:
                                continue
                            context = chromium.new_context(viewport=LAPTOP)
                            try:
                                urls = {"app": base, "dash-svg": dash_base, "page": base}
                                got = _measure(kind, context.new_page(), urls, key, layer, label)
                            finally:
                                context.close()
                            if i:
                                for metric, value in got.items():
                                    runs.setdefault(f"{key}.{kind}.{metric}", []).append(value)
                        print(f"  browser {key} round {i}/{repeat}", file=sys.stderr)
        finally:
            chromium.close()
    return _figures(runs, layers, repeat, label)


def svgmap_paths(jaar: int, niveau: str) -> tuple[bytes, str]:
    """The store's map paths of a year and level and their URL (inside a request context)."""
    from etl import schema

    path, _ = schema.map_paths_file(data.store_path(), jaar, niveau)  # type: ignore[arg-type]
    return path.read_bytes(), str(svgmap.paths_url(jaar, niveau))


RENDERERS: Final = {
    "plotly": "plotly choroplethmap page (today's renderer, no Dash)",
    "dash-svg": "minimal Dash page, same SVG paths",
    "bare-svg": "bare SVG page (no Dash)",
}


def _figures(
    runs: Mapping[str, list[float]], layers: Mapping[str, Layer], repeat: int, label: str
) -> list[Figure]:
    out: list[Figure] = []
    metrics = (
        ("usable", "usable (painted, hover shows the tooltip)", 1e3, "s"),
        (
            "recolour",
            f"recolour painted (option {label} chosen in the open menu / button "
            "pressed → new colours)",
            1.0,
            "ms",
        ),
        ("bytes", "bytes until usable", 1.0, "B"),
    )
    for key, layer in layers.items():
        main = "app" if layer.app_url is not None else "bare-svg"
        for metric, text, scale, unit in metrics:
            value = statistics.median(runs[f"{key}.{main}.{metric}"]) / scale
            extra = {k: [round(v, 1) for v in vs] for k, vs in runs.items()
                     if k.startswith(f"{key}.") and k.endswith(f".{metric}")}  # fmt: skip
            for other, other_name in RENDERERS.items():
                if other == main:
                    continue
                base = statistics.median(runs[f"{key}.{other}.{metric}"]) / scale
                who = "app" if main == "app" else "bare SVG page"
                out.append(Figure(SECTION, f"{layer.name} ({layer.n:,} areas), {who}: {text}",
                                  value, unit, base, other_name, repeat, extra=extra))  # fmt: skip
    return out
