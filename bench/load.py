"""``python -m bench.load``: the app under gunicorn with several workers, and many simulated
users following realistic paths on loopback, for a bounded time.

Each user is a thread with its own ``requests.Session`` (brotli/gzip accepted, as a
browser does) that repeats a visit until the time is up or the request budget is spent:

1. open the map: the index page (on a user's first visit also every script it lists), the
   layout, the callback list, the router request that brings the national wijk map, and the
   download buttons' initial call;
2. recolour one to three times: the controls ⇄ URL sync after a new measure, then the map
   patch, the table, the router (keeps the page), what-if and header links;
3. often, drill down: switch to the gemeente level (sync, new geometry, table, …), click a
   large gemeente (the click callback, then the map of its wijken);
4. sometimes, download the view as CSV;
5. open an area page (a wijk or gemeente) and its download buttons' call;
6. sometimes, open the method page.

Requests are the ones Chromium sends (:mod:`bench.payloads`), with short random think
times between steps. An error is any status outside 200–299, a connection error or
timeout, or a response without what the step needs (no geometry key, no CSV). Reported:
requests served, throughput, latency percentiles per kind of request and overall, and
errors (the target is zero). gunicorn runs in its own process group on a free 127.0.0.1
port and is always stopped at the end; nothing but loopback is contacted.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import requests

from bench import payloads, report, server
from bench.measure import percentile
from bench.payloads import Callbacks
from dashboard import ids, routes
from etl import schema

HEADERS: Final = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "zow-bench-load/1"}
TIMEOUT: Final = 60.0
"""Seconds a single request may take before it counts as an error."""


@dataclass
class Sample:
    """One request: its kind, latency (s), status (0 for an exception), size, error."""

    kind: str
    seconds: float
    status: int
    size: int
    error: str = ""


@dataclass
class Budget:
    """Shared limits of a run: a deadline and a maximum number of requests."""

    deadline: float
    max_requests: int
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def take(self) -> bool:
        """Claim one request; False once time or budget is spent."""
        with self.lock:
            if self.stop.is_set() or time.monotonic() >= self.deadline:
                self.stop.set()
                return False
            if self.count >= self.max_requests:
                self.stop.set()
                return False
            self.count += 1
            return True


class OverError(Exception):
    """The run is over (time or request budget)."""


class StepError(Exception):
    """A step got no usable answer (already recorded as an error); the visit starts over."""


@dataclass(frozen=True)
class Areas:
    """Codes the users visit: area pages and gemeenten to drill into."""

    pages: tuple[str, ...]
    gemeenten: tuple[str, ...]


def map_year(store: Path) -> int:
    """The latest year of the store with gemeente and wijk boundaries (what users browse).

    Raises
    ------
    etl.schema.StoreError
        When no year has both.
    """
    manifest = schema.read_manifest(store)
    years = [j for j in manifest.jaren
             if manifest.has("web", j, "gemeente") and manifest.has("web", j, "wijk")]  # fmt: skip
    if not years:
        raise schema.StoreError(
            f"{store} holds no year with gemeente and wijk boundaries to browse; build one, "
            "e.g. python -m etl build --years 2022 --source ../shared"
        )
    return years[-1]


def areas_of(store: Path, rng: random.Random) -> Areas:
    """A sample of wijken and the 30 largest gemeenten (by inhabitants) of the map year."""
    jaar = map_year(store)
    gm = schema.read_statistics(store, jaar, "gemeente")
    wk = schema.read_statistics(store, jaar, "wijk")
    large = gm.sort_values(schema.POPULATION, ascending=False)[schema.CODE].astype(str)
    wijken = sorted(wk[schema.CODE].astype(str))
    pages = rng.sample(wijken, min(300, len(wijken))) + list(large[:20])
    return Areas(tuple(pages), tuple(large[:30]))


class User:
    """One simulated visitor."""

    def __init__(self, base: str, budget: Budget, areas: Areas, *, think: float, seed: int) -> None:
        self.base = base
        self.budget = budget
        self.areas = areas
        self.think = think
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.session.headers.update(HEADERS)
        self.samples: list[Sample] = []
        self.callbacks: Callbacks | None = None
        self.visits = 0

    def _request(self, kind: str, method: str, path: str, body: Any = None) -> requests.Response:
        if not self.budget.take():
            raise OverError
        start = time.perf_counter()
        try:
            if method == "GET":
                r = self.session.get(self.base + path, timeout=TIMEOUT)
            else:
                r = self.session.post(self.base + path, json=body, timeout=TIMEOUT)
            size = int(r.headers.get("Content-Length") or len(r.content))
        except requests.RequestException as exc:
            self.samples.append(Sample(kind, time.perf_counter() - start, 0, 0, repr(exc)[:200]))
            raise StepError from exc
        seconds = time.perf_counter() - start
        ok = 200 <= r.status_code < 300
        error = "" if ok else f"HTTP {r.status_code}: {r.text[:120]}"
        self.samples.append(Sample(kind, seconds, r.status_code, size, error))
        if not ok:
            raise StepError
        return r

    def _bad(self, kind: str, why: str) -> None:
        """Mark the last sample of ``kind`` as an error (its content was unusable)."""
        for sample in reversed(self.samples):
            if sample.kind == kind:
                sample.error = f"bad content: {why}"
                break
        raise StepError

    def get(self, kind: str, path: str) -> requests.Response:
        return self._request(kind, "GET", path)

    def call(self, kind: str, body: Mapping[str, Any]) -> Any:
        r = self._request(kind, "POST", payloads.URL, body)
        return r.json() if r.status_code == 200 else None

    def pause(self) -> None:
        """A short think time (interrupted when the run ends)."""
        self.budget.stop.wait(self.rng.uniform(0.5, 1.5) * self.think)

    def run(self) -> None:
        """Visit until the run is over."""
        try:
            while not self.budget.stop.is_set():
                try:
                    self.visit()
                    self.visits += 1
                except StepError:
                    self.pause()
        except OverError:
            return

    def visit(self) -> None:
        """One visit: map, recolours, drill-down, CSV, area page, method page."""
        index = self.get("GET index", routes.MAP.path())
        if self.callbacks is None:  # a first visit loads scripts and styles; later ones cache
            for src in re.findall(r'<(?:script src|link[^>]+href)="(/[^"]+)"', index.text):
                self.get("GET static", src)
        self.get("GET layout", "/_dash-layout")
        deps = self.get("GET dependencies", "/_dash-dependencies").json()
        self.callbacks = cb = Callbacks(deps)
        page = self.call("page: national map", cb.router("/", ""))
        geokey = payloads.prop(page, ids.MAP_GEOKEY, "data")
        search = payloads.prop(page, ids.url("map"), "search")
        options = payloads.prop(page, ids.MAP_MAAT, "options") or []
        if not geokey or search is None:
            self._bad("page: national map", "no map in the page")
        self.call("download buttons", cb.download(routes.MAP.path(), search, clicks=0))
        bundle = self.call("map: colourings", cb.recolours(search, geokey))
        held = payloads.output(bundle or {}, ids.MAP_RECOLOURS_KEY, "data")
        if not held:
            self._bad("map: colourings", "no colourings for the map")
        shown = {"path": "/", "search": search}
        controls = {
            "niveau": "wijk",
            "jaar": payloads.prop(page, ids.MAP_JAAR, "value"),
            "maat": "stapeling",
            "gemeente": None,
            "focus": [],
        }
        measures = [o["value"] for o in options if not o.get("disabled")]
        for _ in range(self.rng.randint(1, 3)):
            self.pause()
            controls["maat"] = self.rng.choice(measures)
            search = self.change(controls, "maat", search, geokey, shown)
            shown = {"path": "/", "search": search}
        if self.rng.random() < 0.6:
            self.pause()
            controls.update(niveau="gemeente", maat="stapeling")
            search, geokey = self.drill(controls, search, geokey, shown)
            shown = {"path": "/", "search": search}
        if self.rng.random() < 0.35:
            self.pause()
            csv = cb.download(routes.MAP.path(), search, fmt="csv", clicks=1)
            got = self.call("download csv", csv)
            sent = payloads.output(got or {}, ids.DOWNLOAD, "data") or {}
            if not str(sent.get("filename", "")).endswith(".csv"):
                self._bad("download csv", "no CSV")
        self.pause()
        code = self.rng.choice(self.areas.pages)
        path = routes.AREA.path(code)
        area = self.call("page: area", cb.router(path, "", shown=shown))
        area_search = payloads.prop(area, ids.url("area"), "search")
        self.call("download buttons", cb.download(path, area_search or "", clicks=0))
        if self.rng.random() < 0.25:
            self.pause()
            shown = {"path": path, "search": area_search or ""}
            self.call(
                "page: method", cb.router(routes.METHOD.path(), area_search or "", shown=shown)
            )

    def change(
        self, controls: Mapping[str, Any], changed: str, search: str, geokey: Any, shown: Any
    ) -> str:
        """A map control changed: sync, then every callback the new URL fires; the new
        search."""
        cb = self.callbacks
        assert cb is not None
        synced = self.call("controls sync", cb.sync_controls(search, controls, changed))
        new = payloads.output(synced or {}, ids.url("map"), "search") or search
        self.call("map: recolour or new level", cb.draw_map(new, geokey))
        self.call("table", cb.table_body("map", "/", new))
        self.call(
            "page: kept (query change)", cb.router("/", new, shown=shown, changed=("search",))
        )
        self.call("what-if", cb.whatif("/", new))
        self.call("header links", cb.nav("/", new))
        return str(new)

    def drill(
        self, controls: dict[str, Any], search: str, geokey: Any, shown: Any
    ) -> tuple[str, Any]:
        """Switch to the gemeente level, then click a large gemeente: its wijken."""
        cb = self.callbacks
        assert cb is not None
        synced = self.call("controls sync", cb.sync_controls(search, controls, "niveau"))
        level = payloads.output(synced or {}, ids.url("map"), "search") or search
        drawn = self.call("map: recolour or new level", cb.draw_map(level, geokey))
        gm_key = payloads.output(drawn or {}, ids.MAP_GEOKEY, "data") or geokey
        self.call("table", cb.table_body("map", "/", level))
        self.pause()
        code = self.rng.choice(self.areas.gemeenten)
        href = self.call("drill click", cb.drill(payloads.drill_click(code), level))
        target = payloads.output(href or {}, ids.url("map"), "href")
        if not isinstance(target, str) or code not in target:
            self._bad("drill click", f"no link to {code}")
        new = "?" + target.split("?", 1)[1] if "?" in target else ""
        zoomed = self.call("map: drill-down (wijken of a gemeente)", cb.draw_map(new, gm_key))
        wk_key = payloads.output(zoomed or {}, ids.MAP_GEOKEY, "data")
        if not wk_key:
            self._bad("map: drill-down (wijken of a gemeente)", "no geometry")
        self.call("table", cb.table_body("map", "/", new))
        self.call(
            "page: kept (query change)",
            cb.router("/", new, shown={"path": "/", "search": level}, changed=("search",)),
        )
        self.call("header links", cb.nav("/", new))
        return new, wk_key


def summarise(samples: Sequence[Sample], seconds: float) -> dict[str, Any]:
    """Counts, throughput and latency percentiles per kind of request and overall."""
    kinds: dict[str, list[Sample]] = {}
    for s in samples:
        kinds.setdefault(s.kind, []).append(s)

    def stats(group: Sequence[Sample]) -> dict[str, Any]:
        ms = [s.seconds * 1e3 for s in group]
        return {
            "requests": len(group),
            "errors": sum(1 for s in group if s.error),
            "p50_ms": percentile(ms, 50),
            "p95_ms": percentile(ms, 95),
            "p99_ms": percentile(ms, 99),
            "max_ms": max(ms, default=0.0),
            "mean_kib": sum(s.size for s in group) / max(len(group), 1) / 1024,
        }

    per_kind = {k: stats(v) for k, v in sorted(kinds.items(), key=lambda kv: -len(kv[1]))}
    overall = stats(samples)
    overall["throughput_rps"] = len(samples) / seconds if seconds > 0 else 0.0
    errors = [{"kind": s.kind, "status": s.status, "error": s.error} for s in samples if s.error]
    return {"overall": overall, "per_kind": per_kind, "error_samples": errors[:20]}


def markdown(result: Mapping[str, Any]) -> str:
    """The load result as Markdown: the run, then one row per kind of request."""
    o = result["overall"]
    cfg = result["config"]
    m = result["machine"]
    lines = [
        f"Load test {m['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_gib']} GiB): "
        f"`gunicorn --preload -w {cfg['workers']} app:server` on 127.0.0.1, {cfg['users']} "
        f"simulated users, think time {cfg['think']} s, {result['seconds']:.0f} s "
        f"({result['stopped_by']}). Store: {cfg['store']}. Load average (1 min) "
        f"{result['load_before']:.1f} before the run.",
        "",
        f"**{o['requests']:,} requests** in {result['visits']:,} visits, "
        f"**{o['throughput_rps']:.1f} requests/s**, **{o['errors']} errors**; latency "
        f"p50 {o['p50_ms']:.0f} ms, p95 {o['p95_ms']:.0f} ms, p99 {o['p99_ms']:.0f} ms.",
        "",
        "| request | count | errors | p50 ms | p95 ms | p99 ms | max ms | mean KiB sent |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [*result["per_kind"].items(), ("**all**", o)]
    for kind, s in rows:
        lines.append(
            f"| {kind} | {s['requests']:,} | {s['errors']} | {s['p50_ms']:.0f} | "
            f"{s['p95_ms']:.0f} | {s['p99_ms']:.0f} | {s['max_ms']:.0f} | {s['mean_kib']:.1f} |"
        )
    if result["error_samples"]:
        lines += ["", "Errors (first 20):", ""]
        lines += [f"- {e['kind']}: {e['error']}" for e in result["error_samples"]]
    return "\n".join(lines) + "\n"


def run_load(
    base: str,
    store: Path,
    *,
    users: int,
    seconds: float,
    max_requests: int,
    think: float,
    seed: int,
) -> tuple[list[User], float, str]:
    """Run the users against ``base`` until time or budget runs out; the users, the elapsed
    seconds and what stopped the run."""
    rng = random.Random(seed)
    areas = areas_of(store, rng)
    start = time.monotonic()
    budget = Budget(deadline=start + seconds, max_requests=max_requests)
    crowd = [
        User(base, budget, areas, think=think, seed=rng.randrange(2**32)) for _ in range(users)
    ]
    threads = [
        threading.Thread(target=u.run, name=f"user-{i}", daemon=True) for i, u in enumerate(crowd)
    ]
    ramp = min(3.0, seconds / 5)
    started = []
    for thread in threads:
        thread.start()
        started.append(thread)
        if budget.stop.wait(ramp / max(users, 1)):
            break
    for thread in started:
        thread.join(timeout=max(0.0, budget.deadline - time.monotonic()) + TIMEOUT + 5)
    budget.stop.set()
    elapsed = time.monotonic() - start
    stopped = "request budget" if budget.count >= max_requests else "time"
    return crowd, elapsed, stopped


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Run the app under gunicorn on 127.0.0.1 and simulate many users "
        "(map, recolour, drill-down, CSV, area and method pages) for a bounded time; print "
        "requests, throughput, latency percentiles and errors, and write load.json and "
        "load.md. Exits 1 when any request failed.",
    )
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="how long the users keep going (default 60)"
    )
    parser.add_argument(
        "--users", type=int, default=40, help="simulated users, one thread each (default 40)"
    )
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn worker processes (default 3)"
    )
    parser.add_argument(
        "--store",
        metavar="DIR",
        type=Path,
        help=schema.STORE_HELP,
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("bench-out"),
        help="where load.json, load.md and gunicorn.log go (default bench-out)",
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=200_000,
        help="stop after this many requests even if time is left (default 200000)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.3,
        help="mean think time between a user's steps, seconds (default 0.3)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.users < 1 or args.workers < 1 or args.max_requests < 1:
        parser.error("--seconds, --users, --workers and --max-requests must be positive")
    if args.seconds > 3600:
        parser.error("--seconds is at most 3600")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Start gunicorn, run the users, report; 0 when no request failed."""
    args = parse(argv)
    store = schema.store_dir(args.store)
    try:
        map_year(store)
    except schema.StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out: Path = args.out
    log = out / "gunicorn.log"
    # Ctrl-C and SIGTERM (e.g. from timeout) both unwind through the finally that stops
    # gunicorn's process group.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_before = report.machine()["load_average"]
    print(
        f"starting gunicorn --preload -w {args.workers} on 127.0.0.1 (store {store}) …",
        file=sys.stderr,
    )
    with server.gunicorn(store, workers=args.workers, log=log) as base:
        print(f"{base} answers; {args.users} users for {args.seconds:.0f} s …", file=sys.stderr)
        crowd, elapsed, stopped = run_load(
            base,
            store,
            users=args.users,
            seconds=args.seconds,
            max_requests=args.max_requests,
            think=args.think,
            seed=args.seed,
        )
    samples = [s for u in crowd for s in u.samples]
    result: dict[str, Any] = {
        "machine": report.machine(),
        "config": {
            "users": args.users,
            "workers": args.workers,
            "seconds": args.seconds,
            "think": args.think,
            "max_requests": args.max_requests,
            "seed": args.seed,
            "store": str(store),
        },
        "seconds": elapsed,
        "stopped_by": stopped,
        "load_before": (load_before or [0.0])[0],
        "visits": sum(u.visits for u in crowd),
        **summarise(samples, elapsed),
    }
    out.mkdir(parents=True, exist_ok=True)
    text = markdown(result)
    (out / "load.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / "load.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {out / 'load.json'} and {out / 'load.md'}", file=sys.stderr)
    return 0 if result["overall"]["errors"] == 0 and samples else 1


if __name__ == "__main__":
    sys.exit(main())
