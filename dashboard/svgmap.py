"""The map component: areas as SVG paths drawn in the browser from the store's map paths.

The ETL writes, per year and niveau, the areas as SVG paths in a fixed screen projection
(``etl.schema.MAP_PATHS``). :func:`register` serves them at :data:`ROUTE` under their
content-addressed store name, cached immutable with an ETag, so a browser fetches each once;
a map of one gemeente's areas gets that gemeente's slice of the file
(``<name>.GM0363.json``, cut from the verified file once per process), a small fraction of
the national paths; a browser that already holds the national file draws from it.
A map on a page is :func:`view`: a ``geo`` part (which payload, which areas, focus-area
groups, selection) that builds the paths, and a ``paint`` part (a class per area, the
palette, the value text) that recolours them without touching their geometry. One clientside
callback (:func:`register`) hands both to ``assets/zicht-map.js``, which draws, recolours,
shows tooltips, zooms and pans, moves by keyboard and reports clicks on the map's click
store (``{"points": [{"location": code}]}``) for the page's drill-down callback.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape as html_escape
from pathlib import Path
from typing import Any, Final

import flask
from dash import MATCH, Dash, Input, Output, dcc, html

from dashboard import components, data, ids
from dashboard.figures import NO_DATA, Classification
from dashboard.i18n import t
from etl import schema

ROUTE: Final = "/map-paths/"
"""Prefix of the map-paths URLs; the rest is the file's path in the store."""
CACHE_CONTROL: Final = "public, max-age=31536000, immutable"
CLICK_PROP: Final = "data"
"""The prop of a map's click store that receives ``{"points": [{"location": code}]}``."""
CONTEXT: Final = "#e4e8ee"
"""Fill of areas drawn only as background (class ``-2``), e.g. NL around focus areas."""


_SLICE: Final = re.compile(r"^(?P<whole>.+)\.(?P<gemeente>GM\d{4})\.json$")
"""The name of a gemeente's slice of a map-paths file: ``<file without .json>.GM0363.json``."""


def paths_url(jaar: int, niveau: str, gemeente: str | None = None) -> str | None:
    """The URL of the map paths of a year and niveau (only ``gemeente``'s areas: its slice),
    or ``None`` when the store has none."""
    manifest = data.manifest()
    if not manifest.has(schema.MAP_PATHS, jaar, niveau):
        return None
    name = manifest.entry(schema.MAP_PATHS, jaar, niveau).path
    if gemeente:
        name = name.removesuffix(".json") + f".{gemeente}.json"
    return ROUTE + name


def whole_url(url: str) -> str:
    """The national file of a map-paths URL (the URL itself when it is not a slice)."""
    found = _SLICE.match(url)
    return found["whole"] + ".json" if found else url


def preload(url: str | None) -> str:
    """A ``<link rel="preload">`` of map paths for an index page: the browser fetches them
    (and ``assets/zicht-map.js`` parses them) while it loads Dash's scripts instead of after
    the first callback. Nothing for ``None``."""
    if url is None:
        return ""
    return f'<link rel="preload" as="fetch" crossorigin="anonymous" href="{html_escape(url)}">'


def serve(name: str) -> flask.Response:
    """Answer a map-paths request: the file the manifest names, with a long-lived immutable
    cache header and its SHA-256 as ETag (``If-None-Match`` → 304, nothing sent); 404 for
    any other name. The file is verified against the manifest first
    (:func:`etl.schema.verified_path`): a damaged one is a store problem, not a map."""
    try:
        manifest = data.manifest()
    except schema.StoreError:
        flask.abort(404)
    sliced = _SLICE.match(name)
    whole = sliced["whole"] + ".json" if sliced else name
    entry = next(
        (f for f in manifest.files if f.path == whole and f.kind == schema.MAP_PATHS), None
    )
    if entry is None:
        flask.abort(404)
    if sliced:
        return _serve_slice(manifest, entry, sliced["gemeente"])
    packed = _precompressed(manifest, entry)
    tag = entry.sha256 if packed is None else f"{entry.sha256}:br"
    if _revalidated(entry.sha256):
        response = flask.Response(status=304)
    else:  # checked like every store read: inside the store, size, SHA-256 (else a 503)
        path = schema.verified_path(data.store_path(), packed or entry, built=manifest.built)
        response = flask.Response(path.read_bytes(), mimetype="application/json")
        if packed is not None:
            response.headers["Content-Encoding"] = "br"  # the compression layer leaves it
    response.set_etag(tag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept-Encoding")
    return response


def _serve_slice(
    manifest: schema.Manifest, entry: schema.FileEntry, gemeente: str
) -> flask.Response:
    """Answer a gemeente's slice of a map-paths file (404 when it has no areas there)."""
    tag = f"{entry.sha256}.{gemeente}"
    if _revalidated(tag):
        response = flask.Response(status=304)
    else:
        path = schema.verified_path(data.store_path(), entry, built=manifest.built)
        body = _slice(str(path), entry.sha256, gemeente)
        if body is None:
            flask.abort(404)
        response = flask.Response(body, mimetype="application/json")
    response.set_etag(tag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept-Encoding")
    return response


@lru_cache(maxsize=2)
def _whole(path: str, sha256: str) -> dict[str, Any]:
    """A map-paths file, parsed (``sha256`` keys the cache to its content)."""
    parsed: dict[str, Any] = json.loads(Path(path).read_bytes())
    return parsed


@lru_cache(maxsize=256)
def _slice(path: str, sha256: str, gemeente: str) -> bytes | None:
    """The payload of one gemeente's areas cut from a map-paths file: the same projection,
    its own bounds; ``None`` when the gemeente has no areas in it."""
    whole = _whole(path, sha256)
    keep = [i for i, c in enumerate(whole["codes"]) if schema.gemeente_of(str(c)) == gemeente]
    if not keep:
        return None
    part = {k: [whole[k][i] for i in keep] for k in ("codes", "names", "boxes", "paths")}
    boxes = part["boxes"]
    bounds = [min(b[0] for b in boxes), min(b[1] for b in boxes)]
    bounds += [max(b[2] for b in boxes), max(b[3] for b in boxes)]
    out = {k: v for k, v in whole.items() if k not in part} | part | {"bounds": bounds}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _precompressed(manifest: schema.Manifest, entry: schema.FileEntry) -> schema.FileEntry | None:
    """The build's Brotli copy of a map-paths file when the browser accepts ``br`` and the
    store has one (stores built before it had none), else ``None``."""
    # find() matches as ``in`` does; mypy rejects ``"br" in`` (Accept holds (value, q) pairs)
    accepts_br = flask.request.accept_encodings.find("br") >= 0
    if not accepts_br or entry.jaar is None or entry.niveau is None:
        return None
    if not manifest.has(schema.MAP_PATHS_BR, entry.jaar, entry.niveau):
        return None
    return manifest.entry(schema.MAP_PATHS_BR, entry.jaar, entry.niveau)


def _revalidated(etag: str) -> bool:
    """Whether the request's ``If-None-Match`` names this content, also as the tag of a
    compressed variant (``"<sha>:br"``) that the compression layer hands out."""
    tags = flask.request.if_none_match
    return tags.star_tag or any(
        tags.contains(tag) for tag in (etag, f"{etag}:br", f"{etag}:gzip", f"{etag}:deflate")
    )


DRAW: Final = "function(geo, paint) { return window.zichtMap.draw(geo, paint); }"


def register(app: Dash) -> None:
    """Serve the map paths and register the one clientside callback every map uses."""
    app.server.add_url_rule(
        ROUTE + "<path:name>", endpoint="map_paths", view_func=serve, methods=["GET"]
    )
    app.clientside_callback(
        DRAW,
        Output({"type": ids.SVGMAP_DRAWN, "map": MATCH}, "data"),
        Input({"type": ids.SVGMAP_GEO, "map": MATCH}, "data"),
        Input({"type": ids.SVGMAP_PAINT, "map": MATCH}, "data"),
    )


def geo_id(name: str) -> dict[str, str]:
    """The id of the geometry store of the map ``name``."""
    return {"type": ids.SVGMAP_GEO, "map": name}


def paint_id(name: str) -> dict[str, str]:
    """The id of the paint store of the map ``name``."""
    return {"type": ids.SVGMAP_PAINT, "map": name}


def keys_id(name: str) -> str:
    """The DOM id of the line that says which keys the map ``name`` answers."""
    return f"{name}-keys"


def element_id(name: str) -> str:
    """The DOM id of the element the map ``name`` is drawn in."""
    return f"{name}-svg"


def geo(
    name: str,
    url: str,
    codes: Sequence[str],
    *,
    key: str,
    label: str,
    taal: str,
    click: str | None = None,
    drawn: str | None = None,
    focus: Sequence[Sequence[str]] = (),
    selected: Sequence[str] = (),
    fit: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
    targets: Sequence[str | None] | None = None,
) -> dict[str, Any]:
    """What the paths of a map depend on (sent again only when it changes).

    Parameters
    ----------
    name
        The map's name (its element and stores derive from it).
    url
        The map paths (see :func:`paths_url`).
    codes
        The areas to draw, in the order of the paint's classes.
    key
        Changes whenever any of the rest changes (year, level, gemeente, …).
    label
        The map's accessible name.
    click
        Id of the store that receives clicks; ``None``: areas do not drill down.
    drawn
        Id of a store whose ``data`` becomes ``key`` once these paths are on screen (for work
        that should wait for the map, not compete with it); ``None``: none.
    focus
        Groups of codes whose outer outline is drawn over the map (focus areas).
    selected
        Areas drawn highlighted, on top.
    fit
        Areas the first view fits (all drawn areas when ``None``).
    names, targets
        Per area in ``codes``: a name instead of the payload's, and what a click reports
        instead of the code (``None``: not clickable).
    """
    return {
        "el": element_id(name),
        "url": url,
        "whole": whole_url(url),
        "key": key,
        "codes": list(codes),
        "label": label,
        "click": click,
        "drawn": drawn,
        "focus": [list(g) for g in focus if g],
        "selected": list(selected),
        "fit": None if fit is None else list(fit),
        "names": None if names is None else list(names),
        "targets": None if targets is None else list(targets),
        "words": {
            k: t(f"map.{k}", taal) for k in ("zoom_in", "zoom_out", "reset", "failed", "tap_again")
        },
    }


def paint(
    classification: Classification,
    lines: Sequence[str],
    values: Sequence[Sequence[str]],
    *,
    key: str,
    focus: bool = True,
    context: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """How to colour a map's areas: class per area (``-1`` no data, ``-2`` background), the
    palette, and per hover line its label and one value text per area.

    ``key`` names the colouring (it ends up in the element's ``data-painted``); ``focus``
    shows or hides the focus outlines.
    """
    classes = list(classification.classes)
    if context is not None:
        classes = [-2 if bg else c for c, bg in zip(classes, context, strict=True)]
    return {
        "key": key,
        "classes": classes,
        "palette": list(classification.colours),
        "nodata": NO_DATA,
        "context": CONTEXT,
        "lines": list(lines),
        "values": [list(v) for v in values],
        "focus": focus,
    }


def view(
    name: str,
    geo_part: dict[str, Any] | None,
    paint_part: dict[str, Any] | None,
    *,
    label: str,
    taal: str,
    click: str | None = None,
    class_name: str = "",
) -> html.Div:
    """A map on a page: its element, its two stores and, when it drills down, its click
    store (id ``click``)."""
    children: list[Any] = [
        dcc.Store(id=geo_id(name), data=geo_part),
        dcc.Store(id=paint_id(name), data=paint_part),
        dcc.Store(id={"type": ids.SVGMAP_DRAWN, "map": name}),
        html.Div(
            id=element_id(name),
            className="zmap",
            role="region",
            **components.aria(label=label, describedby=keys_id(name)),
        ),
        html.P(t("map.keys", taal), id=keys_id(name), className="zmap-keys no-print"),
    ]
    if click is not None:
        children.append(dcc.Store(id=click))  # its CLICK_PROP receives the clicks
    return html.Div(children, className=("zmap-wrap " + class_name).strip())
