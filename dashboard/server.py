"""The server side of the app that is not a page: the request boundary and store problems.

:func:`install` adds two things to the Flask server of a Dash app (and hides Dash's hot
reload route, ``/_reload-hash``, unless debugging):

- **One request boundary** in front of ``POST /_dash-update-component``: before Dash sees a
  callback request, its body must be what dash-renderer sends: at most :data:`MAX_BODY`
  bytes of UTF-8 JSON nested at most :data:`MAX_DEPTH` deep, without lone surrogates; an
  object whose ``output`` names a server callback (a clientside callback runs in the browser
  only), whose ``outputs``, ``inputs`` and ``state`` match that callback's declaration (same
  number, same component ids and properties, a list where the id has an ``ALL`` wildcard,
  the same components wherever one pattern appears), whose location values
  (``pathname``, ``search``, ``hash``, ``href``) are strings and whose ``id`` values are the
  component's own id. Anything else is answered ``400`` (``413`` when too big) with a short
  JSON message that repeats nothing of the request. The callbacks behind it still get any
  JSON value in a ``value`` or ``data`` property and read those with
  :mod:`dashboard.values`.
- **Store problems** (:class:`etl.schema.StoreError`: a store that is missing, a broken
  manifest, a damaged or missing data file) show the "rebuild the store" page
  (:func:`dashboard.chrome.empty_store`) with the command to run: the ``GET`` of a page
  is answered ``503`` (still the app's index) while the manifest cannot be read, every
  page's layout shows that page for a store problem met while it is built, and any other
  callback gets ``503`` with a JSON message naming the command. Never a 500 traceback.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any, Final

import dash
import flask
from dash import Dash
from flask import Response

from dashboard import chrome, data, shell
from dashboard.chrome import BUILD_COMMAND
from etl.schema import StoreError

MAX_BODY: Final = 256 * 1024
"""Largest callback request accepted, in bytes (the app's own are below 10 KiB)."""

MAX_DEPTH: Final = 24
"""Deepest nesting of arrays and objects accepted in a callback request (the app's own
requests nest about 7 deep)."""

LOCATION_PROPS: Final = frozenset({"pathname", "search", "hash", "href"})
"""Properties of ``dcc.Location`` and links: always strings in the browser."""

CALLBACK_ROUTE: Final = "_dash-update-component"

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_WILDCARDS: Final = frozenset({"ALL", "ALLSMALLER", "MATCH"})


class CallbackRequestError(ValueError):
    """A callback request that the renderer would never send (answered ``status``)."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


TOO_LARGE: Final = f"The request is larger than {MAX_BODY // 1024} KiB."


def depth(text: str) -> int:
    """How deep arrays and objects nest in a JSON text, counted without parsing it (so a
    text nested 100,000 deep cannot exhaust the parser's recursion)."""
    level = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        level += 1 if match.group() in "[{" else -1
        deepest = max(deepest, level)
    return deepest


def parse_body(raw: bytes) -> Any:
    """Decode a callback request body, refusing what no renderer sends.

    Raises
    ------
    CallbackRequestError
        For a body that is too big, not UTF-8, too deep, not JSON or that holds a lone
        surrogate.
    """
    if len(raw) > MAX_BODY:
        raise CallbackRequestError(TOO_LARGE, status=413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CallbackRequestError("The request is not UTF-8.") from exc
    if depth(text) > MAX_DEPTH:
        raise CallbackRequestError(f"The request nests deeper than {MAX_DEPTH} levels.")
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise CallbackRequestError("The request is not JSON.") from exc
    if any(_SURROGATE.search(s) for s in _strings(body)):
        raise CallbackRequestError("The request holds a lone surrogate (not valid Unicode).")
    return body


def _strings(node: Any) -> Iterable[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _declared_id(component_id: str) -> Any:
    """A declared id as Dash's callback table spells it (a string; a dict id as JSON, its
    wildcards as ``["ALL"]``) turned into data."""
    return json.loads(component_id) if component_id.startswith("{") else component_id


def _wildcard(value: Any) -> str | None:
    """``ALL``, ``ALLSMALLER`` or ``MATCH`` for a wildcard value of a declared id."""
    if isinstance(value, list) and len(value) == 1 and value[0] in _WILDCARDS:
        return str(value[0])
    return None


class _Request:
    """Checks one parsed callback request against the declaration of its callback."""

    def __init__(self) -> None:
        self.expansions: dict[str, list[Any]] = {}

    def spec(self, spec: Any, declared_id: Any, prop: str, *, where: str) -> None:
        wild = (
            {k: _wildcard(v) for k, v in declared_id.items()}
            if isinstance(declared_id, dict)
            else {}
        )
        many = any(w in {"ALL", "ALLSMALLER"} for w in wild.values())
        items = spec if many and isinstance(spec, list) else [spec]
        if many and not isinstance(spec, list):
            raise CallbackRequestError(f"An item of `{where}` must be a list (a wildcard id).")
        for item in items:
            self.item(item, declared_id, wild, prop, where=where)
        if many:
            pattern = json.dumps(declared_id, sort_keys=True, default=str)
            found = [item["id"] for item in items]
            if self.expansions.setdefault(pattern, found) != found:
                raise CallbackRequestError("One wildcard id stands for different components.")

    @staticmethod
    def item(
        item: Any, declared_id: Any, wild: Mapping[str, str | None], prop: str, *, where: str
    ) -> None:
        if not isinstance(item, dict) or not isinstance(item.get("property"), str):
            raise CallbackRequestError(f"An item of `{where}` must be an object with a property.")
        if item["property"].split("@", 1)[0] != prop:
            raise CallbackRequestError(f"`{where}` do not match the callback.")
        component_id = item.get("id")
        if isinstance(declared_id, dict):
            if not isinstance(component_id, dict) or set(component_id) != set(declared_id):
                raise CallbackRequestError(f"`{where}` do not match the callback.")
            for key, value in component_id.items():
                if wild[key] is None and value != declared_id[key]:
                    raise CallbackRequestError(f"`{where}` do not match the callback.")
                if wild[key] is not None and not isinstance(value, str | int | float):
                    raise CallbackRequestError(f"`{where}` do not match the callback.")
        elif component_id != declared_id:
            raise CallbackRequestError(f"`{where}` do not match the callback.")
        if "value" not in item:
            return
        value = item["value"]
        if prop in LOCATION_PROPS and not (isinstance(value, str) or value is None):
            raise CallbackRequestError(f"A `{prop}` must be a string.")
        if prop == "pathname" and value is None:
            raise CallbackRequestError("A `pathname` must be a string.")
        if prop == "id" and value != component_id:
            raise CallbackRequestError("An `id` value must be the component's own id.")


def check_callback(app: Dash, body: Any) -> None:
    """Check a parsed callback request against the app's callbacks.

    Raises
    ------
    CallbackRequestError
        When the request does not have the shape the renderer sends for that callback.
    """
    if not isinstance(body, dict):
        raise CallbackRequestError("The request must be a JSON object.")
    output = body.get("output")
    entry = app.callback_map.get(output) if isinstance(output, str) else None
    if entry is None or "callback" not in entry:
        raise CallbackRequestError("No server callback has this output.")
    request = _Request()
    declared = entry["output"]
    outputs = body.get("outputs")
    if isinstance(declared, list | tuple):
        if not isinstance(outputs, list) or len(outputs) != len(declared):
            raise CallbackRequestError("`outputs` do not match the callback.")
        pairs = list(zip(outputs, declared, strict=True))
    else:
        pairs = [(outputs, declared)]
    for spec, dep in pairs:
        request.spec(
            spec, _declared_id(dep.component_id_str()), dep.component_property, where="outputs"
        )
    for key in ("inputs", "state"):
        given = body.get(key, [] if key == "state" else None)
        wanted = entry[key]
        if not isinstance(given, list) or len(given) != len(wanted):
            raise CallbackRequestError(f"`{key}` do not match the callback.")
        for spec, dep in zip(given, wanted, strict=True):
            request.spec(spec, _declared_id(dep["id"]), dep["property"], where=key)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise CallbackRequestError("`changedPropIds` must be a list of strings.")


def _bad_request(message: str, status: int = 400) -> Response:
    return Response(json.dumps({"error": message}), status=status, mimetype="application/json")


def _boundary(app: Dash) -> Any:
    route = app.config.routes_pathname_prefix + CALLBACK_ROUTE

    def before_request() -> Response | None:
        request = flask.request
        if request.method != "POST" or request.path != route:
            return None
        if (request.content_length or 0) > MAX_BODY:
            return _bad_request(TOO_LARGE, 413)
        try:
            check_callback(app, parse_body(request.get_data(cache=True)))
        except CallbackRequestError as exc:
            return _bad_request(str(exc), exc.status)
        return None

    return before_request


def _store_problem(app: Dash) -> Any:
    route = app.config.routes_pathname_prefix + CALLBACK_ROUTE

    def handler(exc: StoreError) -> Response:
        app.logger.warning("store problem: %s", exc)
        if flask.request.path == route:
            return Response(
                json.dumps({"error": str(exc), "rebuild": BUILD_COMMAND}),
                status=503,
                mimetype="application/json",
            )
        return Response(app.index(), status=503, mimetype="text/html")

    return handler


def _pages_check_store(app: Dash) -> Any:
    """A page (not an asset, not a Dash route) is answered 503 while the store is broken,
    still with the app's index: its router shows the "rebuild the store" page."""

    prefix = app.config.routes_pathname_prefix

    def before_request() -> None:
        request = flask.request
        if request.method != "GET" or request.path.startswith(
            (prefix + "_", prefix + "assets/", "/_")
        ):
            return
        data.manifest()

    return before_request


def _guard_pages(app: Dash) -> None:
    """Every page's layout shows the "rebuild the store" page for a store problem that
    appears while it is built (a data file damaged or missing), like a missing store."""
    for entry in dash.page_registry.values():
        layout = entry.get("layout")
        if not callable(layout) or getattr(layout, "guarded", False):
            continue
        module = sys.modules.get(str(entry.get("module")))
        entry["layout"] = _guarded(
            layout, str(entry.get("path") or "/"), str(getattr(module, "PAGE", "notfound"))
        )


def _guarded(layout: Callable[..., Any], path: str, page: str) -> Callable[..., Any]:
    @wraps(layout)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return layout(*args, **kwargs)
        except StoreError as exc:
            flask.current_app.logger.warning("store problem: %s", exc)
            return chrome.empty_store(str(exc), shell.view_of(kwargs), path, page=page)

    guarded.guarded = True  # type: ignore[attr-defined]
    return guarded


def _reload_hash_only_in_debug(app: Dash) -> Any:
    """``/_reload-hash`` (Dash's hot reload) answers 404 unless hot reloading is on."""
    route = app.config.routes_pathname_prefix + "_reload-hash"

    def before_request() -> Response | None:
        if flask.request.path == route and not app._dev_tools.get("hot_reload"):
            return Response("Not found.", status=404, mimetype="text/plain")
        return None

    return before_request


def install(app: Dash) -> None:
    """Add the request boundary and the store-problem answers to an app's server."""
    server = app.server
    server.config.setdefault("MAX_CONTENT_LENGTH", 4 * MAX_BODY)
    server.before_request(_reload_hash_only_in_debug(app))
    server.before_request(_boundary(app))
    server.before_request(_pages_check_store(app))
    server.register_error_handler(StoreError, _store_problem(app))
    _guard_pages(app)
