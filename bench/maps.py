"""Map benchmark: server time and bytes of the real app's map callbacks against the naive
approach, for the national wijk map, a gemeente's wijken and (where the store has them) the
buurten of a large gemeente.

The app is driven through its HTTP interface (Flask's test client on ``app.server``, so the
whole Flask → Dash → callback → JSON → compression path runs, without socket noise) with
the request bodies the browser sends (:mod:`bench.payloads`) and ``Accept-Encoding: br,
gzip`` as Chromium sends it. A figure's server time is the median wall time of the request
on a warm process (caches filled by a first request, whose time is reported on its own).

- *First map*: the router request that delivers the map page with its figure (national),
  or the map callback after a click on a gemeente (drill-down: new geometry).
- *Recolour*: the map callback after the measure changed: a ``Patch`` of colours, classes
  and hover text; the geometry stays in the browser.

Baseline (:func:`bench.baselines.naive_map`): on every change a fresh
``plotly.express.choropleth_map`` of the same areas and values with the full-resolution
geometry of the statistics file, serialised as Dash serialises a callback response and
compressed with the app's own algorithm and level; build + serialise + compress is timed.
"""

from __future__ import annotations

import gzip
import itertools
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import brotli
import geopandas as gpd
import pandas as pd

from bench import payloads
from bench.baselines import naive_map
from bench.measure import Figure
from bench.payloads import Callbacks
from dashboard import create_app, ids
from etl import schema
from layers.config import ScoringConfig
from layers.scoring import score

SECTION: Final = "map"
BASELINE: Final = (
    "naive map callback: on every change a fresh `plotly.express.choropleth_map` of the same "
    "areas and values with the full-resolution geometry of the statistics file (EPSG:28992 → "
    "4326, held in memory), serialised as Dash serialises a response and compressed with the "
    "app's algorithm and level (brotli 5); build + serialise + compress timed in-process "
    "(no HTTP overhead, which favours the baseline)"
)
JAAR: Final = 2022
"""The year with all wijken of NL and their boundaries on the mirror."""
GEMEENTE: Final = "GM0363"
"""Amsterdam: the gemeente with the most wijken and buurten."""
HEADERS: Final = {"Content-Type": "application/json", "Accept-Encoding": "br, gzip"}
NAIVE_NAME: Final = "naive: fresh px.choropleth_map, full-res geometry"


@dataclass(frozen=True)
class Response:
    """One timed request: seconds, bytes as sent and as decoded, and the decoded JSON."""

    seconds: float
    sent: int
    decoded: int
    body: Any


class Client:
    """Posts callback bodies to an app through Flask's test client, as a browser would."""

    def __init__(self, app: Any) -> None:
        self._client = app.server.test_client()
        deps = self._client.get("/_dash-dependencies").get_json()
        self.callbacks = Callbacks(deps)

    def post(self, body: Mapping[str, Any]) -> Response:
        """Send one callback request; raise on anything but 200/204."""
        data = json.dumps(body)
        start = time.perf_counter()
        r = self._client.post(payloads.URL, data=data, headers=HEADERS)
        seconds = time.perf_counter() - start
        if r.status_code not in (200, 204):
            raise RuntimeError(f"{body['output'][:60]}: HTTP {r.status_code}")
        raw = r.get_data()
        text = decode(raw, r.headers.get("Content-Encoding"))
        return Response(seconds, len(raw), len(text), json.loads(text) if text else None)


def decode(raw: bytes, encoding: str | None) -> bytes:
    """Undo the response's content encoding (brotli or gzip)."""
    if encoding == "br":
        return bytes(brotli.decompress(raw))
    if encoding == "gzip":
        return gzip.decompress(raw)
    return raw


def compress(text: str, config: Mapping[str, Any]) -> bytes:
    """Compress as the app does (its first algorithm and level from the Flask config)."""
    algorithms = config.get("COMPRESS_ALGORITHM", ["br"])
    first = algorithms[0] if isinstance(algorithms, list | tuple) else str(algorithms)
    if first == "br":
        return bytes(brotli.compress(text.encode(), quality=int(config["COMPRESS_BR_LEVEL"])))
    return gzip.compress(text.encode(), int(config.get("COMPRESS_LEVEL", 6)))


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def timed_requests(client: Client, bodies: Sequence[Mapping[str, Any]], repeat: int) -> Response:
    """Post ``repeat`` requests cycling through ``bodies`` (after one unmeasured); the
    median time, and sizes of the last."""
    client.post(bodies[0])
    runs = [client.post(b) for b, _ in zip(itertools.cycle(bodies), range(repeat), strict=False)]
    return Response(_median([r.seconds for r in runs]), runs[-1].sent, runs[-1].decoded, None)


def timed_naive(make: Callable[[int], str], config: Mapping[str, Any], repeat: int) -> Response:
    """Median time of building, serialising and compressing the naive figure; sizes too."""
    make(0)
    times, sizes = [], (0, 0)
    for i in range(repeat):
        start = time.perf_counter()
        text = make(i)
        sent = compress(text, config)
        times.append(time.perf_counter() - start)
        sizes = (len(sent), len(text.encode()))
    return Response(_median(times), sizes[0], sizes[1], None)


@dataclass(frozen=True)
class Case:
    """One map view: how the app draws it first and recolours it, and the naive inputs."""

    name: str
    first: Mapping[str, Any]
    recolours: Sequence[Mapping[str, Any]]
    frame: gpd.GeoDataFrame
    values: Sequence[pd.Series]


def figures_of(
    case: Case, client: Client, config: Mapping[str, Any], *, repeat: int, naive_repeat: int
) -> list[Figure]:
    """The four figures of a case: server time and bytes sent (brotli; uncompressed in the
    note and the JSON) of the first map and of a recolour, each beside the naive figure."""
    app_first = timed_requests(client, [case.first], repeat)
    app_recolour = timed_requests(client, case.recolours, repeat)

    def naive(offset: int) -> Callable[[int], str]:
        return lambda i: naive_map(case.frame, case.values[(offset + i) % len(case.values)])

    naive_first = timed_naive(naive(0), config, naive_repeat)
    naive_recolour = timed_naive(naive(1), config, naive_repeat)
    n = len(case.frame)
    extra = {"areas": n, "baseline_repeats": naive_repeat}
    out = []
    for step, app, base in (
        ("first map", app_first, naive_first),
        ("recolour", app_recolour, naive_recolour),
    ):
        label = f"{case.name}, {step}"
        raw = f"uncompressed {_size(app.decoded)} vs {_size(base.decoded)}"
        out += [
            Figure(SECTION, f"{label}: server time", app.seconds * 1e3, "ms",
                   base.seconds * 1e3, NAIVE_NAME, repeat, extra=extra),
            Figure(SECTION, f"{label}: bytes sent (brotli)", app.sent, "B", base.sent,
                   NAIVE_NAME, repeat, note=raw,
                   extra={**extra, "uncompressed": app.decoded, "baseline_uncompressed":
                          base.decoded}),
        ]  # fmt: skip
    return out


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.2f} MiB" if n >= 1024 * 1024 else f"{n / 1024:,.0f} KiB"


def full_resolution(store: Path, jaar: int, niveau: str) -> gpd.GeoDataFrame:
    """Areas with their boundaries as the statistics file keeps them, in EPSG:4326."""
    stats = schema.read_statistics(store, jaar, niveau)  # type: ignore[arg-type]
    keep = [schema.CODE, schema.NAAM, schema.GEMEENTE_CODE, "geometry"]
    frame = stats[keep][stats.geometry.notna() & ~stats.geometry.is_empty]
    return frame.to_crs(schema.WEB_CRS).reset_index(drop=True)


def _values(scores: pd.DataFrame, frame: gpd.GeoDataFrame, measures: Sequence[str]) -> list[Any]:
    codes = pd.Index(frame[schema.CODE].astype(str), dtype="string")
    shown = scores.reindex(codes)
    return [pd.to_numeric(shown[m], errors="coerce") for m in measures if m in shown]


def run(store: Path, *, repeat: int, naive_repeat: int | None = None) -> list[Figure]:
    """Measure the map figures on a store (which must hold 2022 wijken with boundaries)."""
    naive_repeat = naive_repeat or max(1, min(repeat, 3))
    app = create_app(store)
    client = Client(app)
    cb = client.callbacks
    config = app.server.config
    start = time.perf_counter()
    first = client.post(cb.router("/", f"?jaar={JAAR}"))
    cold = time.perf_counter() - start
    geokey = payloads.prop(first.body, ids.MAP_GEOKEY, "data")
    search = payloads.prop(first.body, ids.url("map"), "search") or ""
    if not str(geokey).startswith(f"{JAAR}|wijk|"):
        raise RuntimeError(f"the map opens on {geokey!r}, not the {JAAR} wijk map")
    options = payloads.prop(first.body, ids.MAP_MAAT, "options") or []
    current = payloads.prop(first.body, ids.MAP_MAAT, "value")
    measures = [o["value"] for o in options if o["value"] != current][:3]
    figures = [
        Figure(SECTION, f"national wijk map {JAAR}, first map on a cold process: server time",
               cold * 1e3, "ms", note="first request: reads the store, scores, builds geometry",
               extra={"bytes_sent": first.sent, "bytes_uncompressed": first.decoded}),
    ]  # fmt: skip

    crime = schema.read_crime(store)
    wijk_stats = schema.read_statistics(store, JAAR, "wijk")
    scores = score(
        pd.DataFrame(wijk_stats.drop(columns="geometry")), config=ScoringConfig(), crime=crime
    )
    national = full_resolution(store, JAAR, "wijk")
    recolours = [cb.draw_map(f"{search}&maat={m}", geokey) for m in measures]
    n = len(national)
    figures += figures_of(
        Case(f"national wijk map {JAAR} ({n:,} wijken)", cb.router("/", f"?jaar={JAAR}"), recolours,
             national, _values(scores, national, [str(current), *measures])),
        client, config, repeat=repeat, naive_repeat=naive_repeat,
    )  # fmt: skip
    figures.append(recolour_total(client, search, geokey, measures, repeat=repeat))

    gemeente_map = client.post(cb.router("/", f"?niveau=gemeente&jaar={JAAR}")).body
    gm_key = payloads.prop(gemeente_map, ids.MAP_GEOKEY, "data")
    drill = f"?jaar={JAAR}&gemeente={GEMEENTE}"
    zoomed = client.post(cb.draw_map(drill, gm_key)).body
    ams_key = payloads.output(zoomed, ids.MAP_GEOKEY, "data")
    ams = national[national[schema.GEMEENTE_CODE] == GEMEENTE].reset_index(drop=True)
    figures += figures_of(
        Case(f"wijken of {GEMEENTE} Amsterdam {JAAR} ({len(ams)} wijken), drill-down",
             cb.draw_map(drill, gm_key),
             [cb.draw_map(f"{drill}&maat={m}", ams_key) for m in measures],
             ams, _values(scores, ams, [str(current), *measures])),
        client, config, repeat=repeat, naive_repeat=naive_repeat,
    )  # fmt: skip
    figures += buurt_figures(store, client, config, repeat=repeat, naive_repeat=naive_repeat)
    return figures


def recolour_total(
    client: Client, search: str, geokey: Any, measures: Sequence[str], *, repeat: int
) -> Figure:
    """Every callback request a recolour makes in the browser, one after the other: the
    controls ⇄ URL ⇄ map callback, the table, the router (keeps the page), what-if, header
    links."""
    cb = client.callbacks
    controls = {"niveau": "wijk", "jaar": JAAR, "gemeente": None, "focus": []}
    totals, count = [], 0
    for i in range(repeat + 1):
        maat = measures[i % len(measures)]
        new = f"{search}&maat={maat}"
        bodies = [
            cb.sync_controls(search, {**controls, "maat": maat}, "maat", geokey=geokey),
            cb.table_body("map", "/", new),
            cb.router("/", new, shown={"path": "/", "search": search}, changed=("search",)),
            cb.whatif("/", new),
            cb.nav("/", new),
        ]
        seconds = sum(client.post(b).seconds for b in bodies)
        count = len(bodies)
        if i:
            totals.append(seconds)
    return Figure(
        SECTION,
        f"national wijk map {JAAR}, recolour: all {count} callback requests, server time",
        _median(totals) * 1e3,
        "ms",
        repeats=repeat,
        note="controls ⇄ URL ⇄ map, table, router, what-if, links; sequential sum",
    )


def buurt_figures(
    store: Path, client: Client, config: Mapping[str, Any], *, repeat: int, naive_repeat: int
) -> list[Figure]:
    """The buurten of a large gemeente, where the store has buurt boundaries."""
    manifest = schema.read_manifest(store)
    years = [j for j in manifest.jaren if manifest.has("web", j, "buurt")]
    if not years:
        return [
            Figure(SECTION, f"buurten of {GEMEENTE} Amsterdam: first map and recolour", None,
                   "ms", baseline_name=NAIVE_NAME,
                   note="not measurable: the store holds no buurt boundaries (the offline "
                   "mirror has none: buurten are tables only); nothing is fabricated")
        ]  # fmt: skip
    jaar = years[-1]
    cb = client.callbacks
    view = f"?niveau=buurt&jaar={jaar}&gemeente={GEMEENTE}"
    drawn = client.post(cb.draw_map(view, None)).body
    key = payloads.output(drawn, ids.MAP_GEOKEY, "data")
    stats = schema.read_statistics(store, jaar, "buurt")
    crime = schema.read_crime(store)
    scores = score(
        pd.DataFrame(stats.drop(columns="geometry")), config=ScoringConfig(), crime=crime
    )
    frame = full_resolution(store, jaar, "buurt")
    frame = frame[frame[schema.GEMEENTE_CODE] == GEMEENTE].reset_index(drop=True)
    measures = [c for c in ("stapeling", "samengesteld") if c in scores]
    return figures_of(
        Case(f"buurten of {GEMEENTE} Amsterdam {jaar} ({len(frame)} buurten)",
             cb.draw_map(view, None),
             [cb.draw_map(f"{view}&maat={m}", key) for m in measures[1:] or measures],
             frame, _values(scores, frame, measures)),
        client, config, repeat=repeat, naive_repeat=naive_repeat,
    )  # fmt: skip
