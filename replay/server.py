"""A local replay of the CBS OData v3 feed and the PDOK WFS, serving a mirror directory.

:class:`ReplayServer` answers on 127.0.0.1 the way the two live services do, from a directory
in the mirror layout (``cbs/<TABLE>/<Subtable>.json``, ``pdok/gebiedsindelingen/<YEAR>/
<layer>.json``), so that the unmodified ``cbsodata`` client and :mod:`etl.pdok` can be tested
and benchmarked offline:

- CBS's two catalogs under separate roots, as on the real services: ``/opendata`` for
  CBS's own tables (``opendata.cbs.nl``) and ``/dataderden`` for the third-party ones
  (``dataderden.cbs.nl``: a table whose ``TableInfos`` names a ``Catalog`` other than
  ``CBS``, such as "Politie" or "RIVM"); a table asked of the wrong catalog is a 404;
- ``<catalog>/ODataFeed/odata/<TABLE>/?$format=json`` lists the subtables (always both
  ``TypedDataSet`` and ``UntypedDataSet``, which ``cbsodata`` needs; ``UntypedDataSet``
  replays the typed rows);
- ``<catalog>/ODataFeed/odata/<TABLE>/<Subtable>?$format=json`` serves rows with ``$filter``
  (:func:`parse_filter`: ``eq ne gt ge lt le``, ``startswith``, ``endswith``,
  ``substringof``, ``and or not``, parentheses; parsed, never evaluated as code),
  ``$select``, ``$skip`` and ``$top``, in pages of ``page_size`` rows with an absolute
  ``odata.nextLink``;
- ``/cbs/gebiedsindelingen/<YEAR>/wfs/v1_0?service=WFS&request=GetFeature&typeNames=...``
  serves GeoJSON pages (``startIndex``, ``count`` up to 1,000) with ``numberMatched`` and
  ``numberReturned``; the ``crs`` member is the file's (``srsName`` does not reproject).

Unknown tables, subtables, years and layers answer 404; malformed queries 400. Injected
:class:`Fault` objects make chosen requests fail (an HTTP status, a slow answer, a truncated
body, a dropped connection), and every request is logged for tests to inspect. Run
``python -m replay --help`` to serve a mirror by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, cast, get_args
from urllib.parse import parse_qs, quote, unquote, unquote_plus, urlencode, urlsplit
from xml.sax.saxutils import escape

from replay.odata import QueryError, Row, parse_filter, parse_select

CBS_FEED: Final = "/ODataFeed/odata"
"""Path of the CBS bulk feed under a catalog's root."""

CATALOG_ROOTS: Final = {"opendata": "/opendata", "dataderden": "/dataderden"}
"""Root of each CBS catalog on the replay server (the hosts opendata.cbs.nl and
dataderden.cbs.nl on the real services)."""

OWN_CATALOG: Final = "CBS"
"""``TableInfos`` ``Catalog`` of the tables CBS publishes in opendata."""

PDOK_PREFIX: Final = "/cbs/gebiedsindelingen"
"""Path of PDOK's CBS gebiedsindelingen services; years follow."""

WFS_MAX_COUNT: Final = 1000
"""The most features one WFS answer holds, as on PDOK."""

LISTING_FIRST: Final = ("TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties")
"""Subtables listed first in a table's root, in the order CBS lists them."""

CBS_JSON: Final = "application/json;odata=minimalmetadata;streaming=true;charset=utf-8"
GEOJSON: Final = "application/json; subtype=geojson; charset=utf-8"

_TABLE: Final = re.compile(r"^[0-9A-Za-z]{1,32}$")
_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_LAYER: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_WFS: Final = re.compile(r"^(\d{4})/wfs/v1_0/?$")
_CBS_OPTIONS: Final = frozenset({"$format", "$filter", "$select", "$skip", "$top"})
_JSON_FORMATS: Final = frozenset({"json", "application/json", "geojson", "application/geo+json"})


# ---------------------------------------------------------------------------------- faults

FaultKind = Literal["status", "slow", "truncate", "drop", "drip", "self-link", "endless"]


@dataclass(frozen=True)
class Fault:
    """A failure to inject into the answers of requests whose target matches ``path``.

    Attributes
    ----------
    kind
        ``"status"``: answer ``status`` (with ``Retry-After: retry_after`` if set) and an
        error body. ``"slow"``: wait ``delay`` seconds, then answer normally. ``"truncate"``:
        send only the first ``keep`` fraction of the body, with a Content-Length that matches
        it, so the client reads invalid JSON. ``"drop"``: announce the full Content-Length,
        send the first ``keep`` fraction and close the connection (``keep=0``: close before
        any byte of the answer). ``"drip"``: send the answer one byte every ``delay``
        seconds (a read timeout never fires). ``"self-link"``: a CBS page whose
        ``odata.nextLink`` points back to the page itself. ``"endless"``: CBS pages that never
        end, each with a next link further on (rows repeat once the data runs out).
    path
        Regular expression searched in the decoded request target (path and query, e.g.
        ``r"TypedDataSet.*\\$skip=10000"`` for the second page); ``""`` matches every request.
    times
        How many matching requests fail; ``None`` for all of them, for good.
    status, retry_after, delay, keep
        Parameters of the kinds above.
    """

    kind: FaultKind
    path: str = ""
    times: int | None = 1
    status: int = 503
    retry_after: float | None = None
    delay: float = 1.0
    keep: float = 0.5

    def __post_init__(self) -> None:
        if self.kind not in get_args(FaultKind):
            raise ValueError(f"Fault kind {self.kind!r} is not one of {get_args(FaultKind)}.")
        if self.times is not None and self.times < 1:
            raise ValueError("Fault times must be at least 1, or None for always.")
        if not 400 <= self.status <= 599:
            raise ValueError(f"Fault status {self.status} is not an HTTP error status.")
        if not 0 <= self.keep < 1 or self.delay < 0:
            raise ValueError("Fault keep must be in [0, 1) and delay at least 0.")
        re.compile(self.path)

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """Read a fault from the command line: ``KIND[,path=REGEX][,times=N|always]
        [,status=503][,retry_after=S][,delay=S][,keep=F]``, e.g. ``drip,delay=1`` or
        ``status,path=TypedDataSet,times=2,status=503``.

        Raises
        ------
        ValueError
            For an unknown kind or option, or a value that is not a number.
        """
        kind, *options = spec.split(",")
        fields: dict[str, Any] = {}
        numbers = {"times": int, "status": int, "retry_after": float, "delay": float, "keep": float}
        for option in options:
            name, sep, value = option.partition("=")
            name = name.strip().replace("-", "_")
            if not sep or name not in {"path", *numbers}:
                raise ValueError(
                    f"Fault option {option!r}: write NAME=VALUE with NAME one of path, "
                    f"{', '.join(numbers)}."
                )
            if name == "path":
                fields[name] = value
            elif name == "times" and value == "always":
                fields[name] = None
            else:
                try:
                    fields[name] = numbers[name](value)
                except ValueError:
                    raise ValueError(
                        f"Fault option {option!r}: {value!r} is not a number."
                    ) from None
        return cls(kind=cast(FaultKind, kind.strip()), **fields)

    def matches(self, target: str) -> bool:
        """Tell whether a decoded request target is one this fault is for."""
        return re.search(self.path, target) is not None


@dataclass
class _Armed:
    """A fault with the number of failures it has left (``None``: unlimited)."""

    fault: Fault
    left: int | None


# ---------------------------------------------------------------------------------- server


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _File:
    mtime_ns: int
    data: Any
    columns: frozenset[str] = field(default_factory=frozenset)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # many clients at once (benchmarks) without refused connections

    def __init__(self, address: tuple[str, int], app: ReplayServer) -> None:
        self.app = app
        super().__init__(address, _Handler)


class ReplayServer:
    """Serve a mirror directory over HTTP like CBS OData v3 and PDOK WFS; see the module.

    Parameters
    ----------
    root
        The mirror directory (``../shared``, ``data/raw``).
    page_size
        Rows per CBS page (10,000 as on CBS; smaller to test paging on small tables).
    host, port
        Where to listen; port 0 picks a free port.
    verbose
        Print every request to standard error.

    Examples
    --------
    >>> with ReplayServer(Path("../shared")) as server:  # doctest: +SKIP
    ...     settings = Settings(cbs_url=server.cbs_url, dataderden_url=server.dataderden_url,
    ...                         pdok_url=server.pdok_url)
    ...     server.inject(Fault(kind="status", path=r"TypedDataSet", times=2, status=503))
    """

    def __init__(
        self,
        root: Path,
        *,
        page_size: int = 10_000,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        if page_size < 1:
            raise ValueError("page_size must be at least 1.")
        self.root = Path(root)
        self.page_size = page_size
        self.verbose = verbose
        self._lock = threading.Lock()
        self._faults: list[_Armed] = []
        self._log: list[str] = []
        self._files: dict[Path, _File] = {}
        self._files_lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._httpd = _HTTPServer((host, port), self)

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` of the server."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def cbs_url(self) -> str:
        """The value for ``Settings.cbs_url`` (``ZICHT_CBS_URL``): the opendata catalog."""
        return self.base_url + CATALOG_ROOTS["opendata"]

    @property
    def dataderden_url(self) -> str:
        """The value for ``Settings.dataderden_url`` (``ZICHT_DATADERDEN_URL``): the
        third-party catalog, where the police and RIVM tables are."""
        return self.base_url + CATALOG_ROOTS["dataderden"]

    @property
    def pdok_url(self) -> str:
        """The value for ``Settings.pdok_url`` (``ZICHT_PDOK_URL``)."""
        return self.base_url + PDOK_PREFIX

    def start(self) -> ReplayServer:
        """Start serving in a background thread; return the server."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},  # how quickly stop() is noticed
                name="replay-server",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; slow answers in progress are abandoned."""
        self._stopping.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def inject(self, *faults: Fault) -> None:
        """Arm faults; a request takes the first armed fault that matches it."""
        with self._lock:
            self._faults.extend(_Armed(f, f.times) for f in faults)

    def clear(self) -> None:
        """Remove all faults and empty the request log."""
        with self._lock:
            self._faults.clear()
            self._log.clear()

    @property
    def log(self) -> list[str]:
        """The decoded targets (path and query) of every request received, in order."""
        with self._lock:
            return list(self._log)

    def count(self, pattern: str) -> int:
        """Return how many logged requests match a regular expression."""
        compiled = re.compile(pattern)
        return sum(1 for target in self.log if compiled.search(target))

    # -- request handling, called from the handler threads

    def _receive(self, target: str) -> Fault | None:
        """Log a request and take the fault it triggers, if any."""
        with self._lock:
            self._log.append(target)
            for armed in self._faults:
                if armed.left != 0 and armed.fault.matches(target):
                    if armed.left is not None:
                        armed.left -= 1
                    return armed.fault
        return None

    def _answer(self, raw: str, fault: Fault | None = None) -> _Answer:
        split = urlsplit(raw)
        path = unquote(split.path)
        query = parse_qs(split.query, keep_blank_values=True)
        pdok = path.startswith(PDOK_PREFIX + "/")
        try:
            for catalog, root in CATALOG_ROOTS.items():
                if path.startswith(root + CBS_FEED + "/"):
                    paging = fault.kind if fault is not None else None
                    rest = path[len(root + CBS_FEED) + 1 :]
                    return self._cbs(catalog, rest, query, raw, paging)
            if pdok:
                return self._wfs(path[len(PDOK_PREFIX) + 1 :], query)
            roots = " or ".join(f"{r}{CBS_FEED}/<TABLE>/" for r in CATALOG_ROOTS.values())
            return _error(404, f"Nothing is served at {path}; try {roots}.", pdok)
        except QueryError as exc:
            return _error(400, str(exc), pdok)
        except (OSError, ValueError) as exc:
            return _error(500, f"The mirror file could not be read: {exc}", pdok)

    def catalog(self, table: str) -> str:
        """Return the catalog a mirror table belongs to: ``dataderden`` when its
        ``TableInfos`` names a ``Catalog`` other than CBS, else ``opendata``."""
        info = self.root / "cbs" / table / "TableInfos.json"
        if not info.is_file():
            return "opendata"
        rows = self._load(info).data
        named = rows[0].get("Catalog") if isinstance(rows, list) and rows else None
        return "dataderden" if named and named != OWN_CATALOG else "opendata"

    def _cbs(
        self,
        catalog: str,
        rest: str,
        query: Mapping[str, list[str]],
        raw: str = "",
        paging: str | None = None,
    ) -> _Answer:
        table, _, sub = rest.partition("/")
        sub = sub.strip("/")
        directory = self.root / "cbs" / table
        if not _TABLE.match(table) or not directory.is_dir() or self.catalog(table) != catalog:
            return _error(404, f"Table '{table}' does not exist.")
        for key in query:
            if key.startswith("$") and key not in _CBS_OPTIONS:
                raise QueryError(f"The query option {key} is not supported.")
        if _one(query, "$format") != "json":
            raise QueryError("Add $format=json: this replay serves JSON only.")
        if not sub:
            return self._listing(catalog, table, directory)
        file = directory / f"{'TypedDataSet' if sub == 'UntypedDataSet' else sub}.json"
        if not _NAME.match(sub) or not file.is_file():
            return _error(404, f"Resource '{sub}' of table '{table}' does not exist.")
        loaded = self._load(file)
        if not isinstance(loaded.data, list):
            raise ValueError(f"{file} is not a list of rows")
        rows: list[Row] = loaded.data
        text = _one(query, "$filter")
        if text:
            predicate = parse_filter(text, loaded.columns)
            rows = [row for row in rows if predicate(row)]
        skip = _natural(query, "$skip") or 0
        top = _natural(query, "$top")
        start = skip
        if paging == "endless" and rows:  # past the end, the rows come round again
            rows = [rows[(skip + i) % len(rows)] for i in range(self.page_size + 1)]
            start = 0
        window = rows[start:] if top is None else rows[start : start + top]
        page = window[: self.page_size]
        selected = _one(query, "$select")
        if selected:
            names = parse_select(selected, loaded.columns)
            page = [{name: row.get(name) for name in names} for row in page]
        feed = f"{self.base_url}{CATALOG_ROOTS[catalog]}{CBS_FEED}/{table}"
        body: dict[str, Any] = {
            "odata.metadata": f"{feed}/$metadata#Cbs.OData.WebAPI.{sub}",
            "value": page,
        }
        if len(window) > self.page_size:
            params = {"$format": "json"}
            if text:
                params["$filter"] = text
            if selected:
                params["$select"] = selected
            if top is not None:
                params["$top"] = str(top - self.page_size)
            params["$skip"] = str(skip + self.page_size)
            next_query = urlencode(params, quote_via=quote, safe="$,'()")
            body["odata.nextLink"] = f"{feed}/{sub}?{next_query}"
        if paging == "self-link":
            body["odata.nextLink"] = f"{self.base_url}{raw}"
        return _json(body, CBS_JSON)

    def _listing(self, catalog: str, table: str, directory: Path) -> _Answer:
        present = {p.stem for p in directory.glob("*.json") if _NAME.match(p.stem)}
        names = [*LISTING_FIRST, *sorted(present - set(LISTING_FIRST))]
        names = [n for n in names if n in present or n in ("TypedDataSet", "UntypedDataSet")]
        feed = f"{self.base_url}{CATALOG_ROOTS[catalog]}{CBS_FEED}/{table}"
        return _json(
            {
                "odata.metadata": f"{feed}/$metadata",
                "value": [{"name": n, "url": f"{feed}/{n}"} for n in names],
            },
            CBS_JSON,
        )

    def _wfs(self, rest: str, query: Mapping[str, list[str]]) -> _Answer:
        match = _WFS.match(rest)
        if match is None:
            return _error(404, f"No service at {PDOK_PREFIX}/{rest}.", True)
        year = match.group(1)
        kvp = {key.lower(): values for key, values in query.items()}  # WFS keys ignore case
        if (_one(kvp, "service") or "").upper() != "WFS":
            raise QueryError("service=WFS is required.")
        if (_one(kvp, "request") or "").lower() != "getfeature":
            raise QueryError("This replay serves request=GetFeature only.")
        type_name = _one(kvp, "typenames") or _one(kvp, "typename")
        if not type_name:
            raise QueryError("typeNames is required, e.g. gebiedsindelingen:wijk_gegeneraliseerd.")
        prefix, _, layer = type_name.rpartition(":")
        if prefix not in ("", "gebiedsindelingen") or not _LAYER.match(layer):
            raise QueryError(f"Unknown feature type {type_name!r}.")
        if (_one(kvp, "outputformat") or "").lower() not in _JSON_FORMATS:
            raise QueryError("This replay serves outputFormat=json only.")
        start = _natural(kvp, "startindex") or 0
        count = min(_natural(kvp, "count") or WFS_MAX_COUNT, WFS_MAX_COUNT)
        file = self.root / "pdok" / "gebiedsindelingen" / year / f"{layer}.json"
        if not file.is_file():
            return _error(404, f"Feature type {type_name} is not served for {year}.", True)
        collection = self._load(file).data
        features = collection.get("features") if isinstance(collection, dict) else None
        if not isinstance(features, list):
            raise ValueError(f"{file} is not a GeoJSON FeatureCollection")
        page = features[start : start + count]
        body = {key: value for key, value in collection.items() if key != "features"}
        body["numberMatched"] = len(features)
        body["numberReturned"] = len(page)
        body["features"] = page
        return _json(body, GEOJSON)

    def _load(self, path: Path) -> _File:
        """Parse a mirror file once; reload it only when it changed on disk."""
        mtime = path.stat().st_mtime_ns
        with self._files_lock:
            cached = self._files.get(path)
            if cached is not None and cached.mtime_ns == mtime:
                return cached
            data = json.loads(path.read_bytes())
            columns = (
                frozenset(key for row in data if isinstance(row, dict) for key in row)
                if isinstance(data, list)
                else frozenset()
            )
            loaded = _File(mtime, data, columns)
            self._files[path] = loaded
            return loaded


def _one(query: Mapping[str, list[str]], key: str) -> str | None:
    values = query.get(key)
    if values is None:
        return None
    if len(values) != 1:
        raise QueryError(f"{key} is given {len(values)} times.")
    return values[0]


def _natural(query: Mapping[str, list[str]], key: str) -> int | None:
    value = _one(query, key)
    if value is None:
        return None
    if not value.isdecimal() or len(value) > 12:
        raise QueryError(f"{key} must be a whole number of at least 0, not {value!r}.")
    return int(value)


def _json(body: Any, content_type: str) -> _Answer:
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _Answer(200, data, content_type)


def _error(
    status: int, message: str, pdok: bool = False, headers: tuple[tuple[str, str], ...] = ()
) -> _Answer:
    """An error answer: an OData error object for CBS paths, an OWS report for PDOK."""
    if pdok:
        code = "InvalidParameterValue" if status == 400 else "NoApplicableCode"
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">'
            f'<ows:Exception exceptionCode="{code}"><ows:ExceptionText>{escape(message)}'
            "</ows:ExceptionText></ows:Exception></ows:ExceptionReport>"
        )
        return _Answer(status, xml.encode("utf-8"), "application/xml; charset=utf-8", headers)
    body = {"odata.error": {"code": "", "message": {"lang": "en-US", "value": message}}}
    answer = _json(body, "application/json;charset=utf-8")
    return _Answer(status, answer.body, answer.content_type, headers)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections end after this many seconds

    def do_GET(self) -> None:
        app = cast(_HTTPServer, self.server).app
        target = unquote_plus(self.path)
        fault = app._receive(target)
        if fault is not None and fault.kind == "status":
            headers = (
                () if fault.retry_after is None else (("Retry-After", f"{fault.retry_after:g}"),)
            )
            answer = _error(
                fault.status,
                f"Injected fault: HTTP {fault.status}",
                target.startswith(PDOK_PREFIX),
                headers,
            )
        else:
            if fault is not None and fault.kind == "slow" and app._stopping.wait(fault.delay):
                self.close_connection = True
                return
            answer = app._answer(self.path, fault)
        try:
            self._send(answer, fault)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True

    def _send(self, answer: _Answer, fault: Fault | None) -> None:
        body = answer.body
        cut = len(body)
        kind = fault.kind if fault is not None else None
        if kind == "drip":
            assert fault is not None
            self._drip(answer, fault.delay)
            return
        if kind in ("truncate", "drop"):
            assert fault is not None
            if kind == "drop" and fault.keep == 0:
                self.close_connection = True
                return
            cut = int(len(body) * fault.keep)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(cut if kind == "truncate" else len(body)))
        for name, value in answer.headers:
            self.send_header(name, value)
        if kind == "drop":
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body[:cut])
        self.wfile.flush()
        if kind == "drop":
            self.close_connection = True

    def _drip(self, answer: _Answer, interval: float) -> None:
        """Send the headers, then the body one byte every ``interval`` seconds."""
        app = cast(_HTTPServer, self.server).app
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.flush()
        for i in range(len(answer.body)):
            if app._stopping.wait(interval):
                break
            self.wfile.write(answer.body[i : i + 1])
            self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        if cast(_HTTPServer, self.server).app.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


# --------------------------------------------------------------------------------------- CLI


def _fault_option(spec: str) -> Fault:
    try:
        return Fault.parse(spec)
    except (TypeError, ValueError, re.error) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Serve a mirror directory until interrupted; print the three base URLs."""
    parser = argparse.ArgumentParser(
        prog="python -m replay",
        description=(
            "Serve a mirror directory (cbs/<TABLE>/<Subtable>.json, "
            "pdok/gebiedsindelingen/<YEAR>/<layer>.json) over HTTP like CBS OData v3 and "
            "PDOK WFS, for offline runs and benchmarks. Point a build at it with "
            "ZICHT_CBS_URL, ZICHT_DATADERDEN_URL and ZICHT_PDOK_URL (printed on start)."
        ),
    )
    parser.add_argument(
        "--root", type=Path, default=Path("../shared"),
        help="mirror directory to serve (default: ../shared)",
    )  # fmt: skip
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )  # fmt: skip
    parser.add_argument(
        "--port",
        type=int,
        default=8765,
        help="port to listen on; 0 picks a free one (default: 8765)",
    )
    parser.add_argument(
        "--page-size", type=int, default=10_000,
        help="rows per CBS page before an odata.nextLink (default: 10000, as CBS)",
    )  # fmt: skip
    parser.add_argument(
        "--verbose", action="store_true", help="print every request to standard error"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        type=_fault_option,
        metavar="KIND[,OPTION=VALUE...]",
        help=(
            "inject a fault; repeat for several. KIND: status (an HTTP error), slow (wait, "
            "then answer), truncate (cut the body, matching Content-Length), drop (close the "
            "connection mid-body), drip (one byte every DELAY s), self-link (an "
            "odata.nextLink back to the same page), endless (pages that never end). OPTIONs: "
            "path=REGEX (requests it applies to; default all), times=N|always (default 1), "
            "status=503, retry_after=S, delay=S (default 1), keep=F (fraction kept, default "
            "0.5). E.g. --fault drip,path=TypedDataSet,times=always,delay=1"
        ),
    )
    args = parser.parse_args(argv)
    root: Path = args.root
    if not ((root / "cbs").is_dir() or (root / "pdok").is_dir()):
        parser.error(f"{root} holds neither cbs/ nor pdok/; pass a mirror directory with --root.")
    try:
        server = ReplayServer(
            root, page_size=args.page_size, host=args.host, port=args.port, verbose=args.verbose
        )
    except OSError as exc:
        parser.error(f"cannot listen on {args.host}:{args.port} ({exc}); try another --port.")
    server.inject(*args.fault)
    with server:
        print(f"Serving {root.resolve()}")
        for fault in args.fault:
            print(f"Fault: {fault}")
        print(f"ZICHT_CBS_URL={server.cbs_url}")
        print(f"ZICHT_DATADERDEN_URL={server.dataderden_url}")
        print(f"ZICHT_PDOK_URL={server.pdok_url}")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
