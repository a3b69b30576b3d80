"""What the app's HTTP responses get besides Dash's own, installed by :func:`install`.

- response compression (brotli or gzip), with the compressed static bundles cached;
- a strict Content-Security-Policy that allows no other host, and protective headers;
- HTTP 404 for the index page of a path no page claims, or an area or focus area the store
  does not hold (the page still helps on), and 400/404 for requests Dash cannot serve;
- on the map page, a preload of the map paths its view draws.
"""

from __future__ import annotations

import base64
import hashlib
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import Final

import dash
import flask
from dash import Dash
from dash.exceptions import DependencyException, UnsupportedRelativePath
from flask import Request, Response
from flask_compress import Compress
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from dashboard import mapview, routes, shell, svgmap
from etl.schema import StoreError


def install(app: Dash) -> None:
    """Add compression, security headers, client-error and page statuses and the map
    preload to an app."""
    server = app.server
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_BR_LEVEL=5,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=600,
        COMPRESS_CACHE_KEY=_cache_key,
        COMPRESS_CACHE_BACKEND=_CompressedCache,
    )
    Compress(server)
    server.after_request(_SecurityHeaders(app))
    _client_errors(server)
    _page_status(app)
    _preload_on_home(app)


CSP: Final = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' {hashes}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "worker-src 'self' blob:; child-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'self'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
"""Content-Security-Policy: the browser may load nothing from any other host, and run no
inline script but Dash's own (by hash). plotly (charts) needs ``eval``."""


class _CompressedCache:
    """A small, thread-safe LRU of compressed static bundles (keyed per algorithm and URL);
    dynamic responses (key without a URL) are never stored."""

    def __init__(self, size: int = 96) -> None:
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._size = size

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def _preload_on_home(app: Dash) -> None:
    """Add a preload of the map paths to the index page of the map page (see
    :func:`dashboard.svgmap.preload`): the paths of the view its query asks for (a query
    is parsed like every map URL, so an odd one preloads the default view's paths or none).
    Other pages do not draw the national map."""
    interpolate: Callable[..., str] = app.interpolate_index

    def with_preload(**kwargs: str) -> str:
        page = interpolate(**kwargs)
        request = flask.request if flask.has_request_context() else None
        if request is not None and routes.MAP.holds(request.path):
            view = shell.view_of(request.query_string.decode("utf-8", "replace"))
            link = svgmap.preload(mapview.paths_for(view))
            page = page.replace("</title>", "</title>" + link, 1)
        return page

    # Dash calls it with keywords only, so a keyword-only override fits
    app.interpolate_index = with_preload  # type: ignore[method-assign, assignment]


def _cache_key(request: Request) -> str:
    """Cache only versioned static bundles (their URL changes with their content)."""
    if request.method == "GET" and request.path.startswith(
        ("/_dash-component-suites/", svgmap.ROUTE)
    ):
        return request.full_path
    return ""


class _SecurityHeaders:
    """Adds the Content-Security-Policy (with the hashes of Dash's inline scripts) and
    a few other protective headers to every response."""

    def __init__(self, app: Dash) -> None:
        self._app = app
        self._csp: str | None = None

    def __call__(self, response: Response) -> Response:
        if self._csp is None:
            hashes = [*self._app.csp_hashes(), script_hash(self._app.renderer)]
            self._csp = CSP.format(hashes=" ".join(hashes))
        response.headers.setdefault("Content-Security-Policy", self._csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def script_hash(script: str) -> str:
    """The CSP hash of an inline script (the one that starts Dash's renderer)."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def _client_errors(server: flask.Flask) -> None:
    """Requests Dash cannot serve (a script that is not there, a router path that is not
    absolute) are the client's mistake: answer 404 or 400 with a short text, not a 500.
    Malformed callback requests are stopped before Dash by :mod:`dashboard.server`."""

    def not_found(_: Exception) -> Response:
        return Response("Not found.", status=404, mimetype="text/plain")

    def missing_file(exc: FileNotFoundError) -> Response:
        if flask.request.path.startswith("/_dash-component-suites/"):
            return not_found(exc)
        raise exc

    def bad_request(_: Exception) -> Response:
        return Response("Bad request.", status=400, mimetype="text/plain")

    server.register_error_handler(DependencyException, not_found)
    server.register_error_handler(FileNotFoundError, missing_file)
    server.register_error_handler(UnsupportedRelativePath, bad_request)


@lru_cache(maxsize=4)
def _page_rules(pages: tuple[tuple[str, str], ...]) -> Map:
    """The werkzeug rules of the pages ``(path or template, module)``, built once."""
    return Map([Rule(rule, endpoint=module) for rule, module in pages], strict_slashes=False)


def _page_exists(path: str) -> bool:
    """Whether a page claims this path and, for a page with path variables that defines
    ``exists(**variables)`` (an area, a focus area), whether the store has what it names.
    The page rules are the Dash Pages registry, read as werkzeug rules (the same syntax)."""
    pages = tuple(
        (page["path_template"] or page["path"], page["module"])
        for page in dash.page_registry.values()
        if page["path"] != routes.NOT_FOUND.path()
    )
    try:
        module, variables = _page_rules(pages).bind("").match(path)
    except HTTPException:  # NotFound, or a redirect to the other form of the slash
        return False
    exists = getattr(sys.modules.get(module), "exists", None)
    if exists is None or not variables:
        return True
    try:  # a broken store never gets here: the request boundary answers it with 503
        return bool(exists(**variables))
    except StoreError:  # the store broke while this page was built: its page says so
        return True


def _page_status(app: Dash) -> None:
    """Answer the index page of an unknown path, area or focus area with HTTP 404: the page
    still helps on, but a crawler, a link checker or a script sees that it is not there."""
    prefix = app.config.routes_pathname_prefix
    index = {prefix, prefix + "<path:path>"}

    def status(response: Response) -> Response:
        request = flask.request
        if (
            request.method == "GET"
            and request.endpoint in index
            and response.status_code == 200
            and response.mimetype == "text/html"
            and not _page_exists("/" + request.path[len(prefix) :])
        ):
            response.status_code = 404
        return response

    app.server.after_request(status)
