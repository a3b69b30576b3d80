"""The map component's server side: map paths served immutable with an ETag, and the parts
(geo, paint) a map is drawn from."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dash import Dash

from dashboard import svgmap
from dashboard.figures import classify
from etl import schema


def _url(store: Path, jaar: int, niveau: str) -> tuple[str, schema.FileEntry]:
    _, entry = schema.map_paths_file(store, jaar, niveau)  # type: ignore[arg-type]
    return svgmap.ROUTE + entry.path, entry


def test_map_paths_are_served_immutable_with_their_hash_as_etag(app: Dash, store: Path) -> None:
    url, entry = _url(store, 2022, "wijk")
    client = app.server.test_client()
    first = client.get(url)
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.headers["Cache-Control"] == svgmap.CACHE_CONTROL
    assert hashlib.sha256(first.data).hexdigest() == entry.sha256
    assert first.headers["ETag"].strip('"') == entry.sha256
    payload = json.loads(first.data)
    assert len(payload["codes"]) == entry.rows
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_map_paths_are_compressed_and_still_conditional(app: Dash, store: Path) -> None:
    url, entry = _url(store, 2022, "wijk")
    client = app.server.test_client()
    packed = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] in ("br", "gzip")
    assert len(packed.data) < (store / entry.path).stat().st_size / 2
    etag = packed.headers["ETag"]
    again = client.get(url, headers={"Accept-Encoding": "br, gzip", "If-None-Match": etag})
    assert again.status_code == 304


def test_only_map_paths_the_manifest_names_are_served(app: Dash, store: Path) -> None:
    client = app.server.test_client()
    web = schema.read_manifest(store).entry("web", 2022, "wijk")
    _, entry = _url(store, 2022, "wijk")
    for name in (
        web.path,
        "manifest.json",
        "../manifest.json",
        entry.path.replace(entry.sha256[:12], "0" * 12),
        "%2e%2e/%2e%2e/etc/passwd",
    ):
        assert client.get(svgmap.ROUTE + name).status_code == 404, name


def test_paint_marks_background_areas_and_keeps_the_classes() -> None:
    c = classify([1.0, 2.0, float("nan")], fixed=range(3))
    paint = svgmap.paint(c, ["Stapeling"], [["1", "2", "–"]], key="k", context=[False, True, False])
    assert paint["classes"] == [1, -2, -1]
    assert paint["palette"] == list(c.colours) and paint["values"] == [["1", "2", "–"]]


def test_geo_names_the_element_and_the_click_store() -> None:
    geo = svgmap.geo("m", "/u", ["WK000101"], key="k", label="Kaart", taal="en", click="c")
    assert geo["el"] == svgmap.element_id("m") and geo["click"] == "c"
    assert geo["words"]["reset"] == "Whole map"
    view = svgmap.view("m", geo, None, label="Kaart", taal="en", click="c")
    found = [getattr(c, "id", None) for c in view.children]
    assert svgmap.element_id("m") in found and "c" in found
    assert svgmap.geo_id("m") in found and svgmap.paint_id("m") in found


def test_a_damaged_map_paths_file_is_a_store_problem_not_a_map(store: Path, tmp_path: Path) -> None:
    import shutil

    from dashboard import create_app

    copy = tmp_path / "store"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("raw*"))
    url, entry = _url(copy, 2022, "wijk")
    damaged = copy / entry.path
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0000000000")  # same size, other bytes
    answer = create_app(copy).server.test_client().get(url)
    assert answer.status_code == 503  # the rebuild answer, never the tampered paths
    assert b'"codes"' not in answer.data


def test_browsers_that_accept_brotli_get_the_builds_compressed_copy(app: Dash, store: Path) -> None:
    import brotli

    url, entry = _url(store, 2022, "wijk")
    manifest = schema.read_manifest(store)
    packed_entry = manifest.entry(schema.MAP_PATHS_BR, 2022, "wijk")
    identity = (store / entry.path).read_bytes()
    client = app.server.test_client()
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "br" and "Accept-Encoding" in packed.vary
    assert packed.data == (store / packed_entry.path).read_bytes()
    assert brotli.decompress(packed.data) == identity  # the same payload, byte for byte
    assert len(packed.data) < len(brotli.compress(identity, quality=5))  # smaller than live
    assert packed.headers["ETag"].strip('"') == f"{entry.sha256}:br"
    again = client.get(
        url, headers={"Accept-Encoding": "br", "If-None-Match": packed.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    import gzip

    assert gzip.decompress(gzipped.data) == identity
    # the compressed copy is never served under its own name
    assert client.get(svgmap.ROUTE + packed_entry.path).status_code == 404


def test_a_damaged_compressed_copy_is_a_store_problem_too(store: Path, tmp_path: Path) -> None:
    import shutil

    from dashboard import create_app

    copy = tmp_path / "store"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("raw*"))
    url, _ = _url(copy, 2022, "wijk")
    packed = copy / schema.read_manifest(copy).entry(schema.MAP_PATHS_BR, 2022, "wijk").path
    packed.write_bytes(packed.read_bytes()[:-4] + b"\0\0\0\0")
    client = create_app(copy).server.test_client()
    assert client.get(url, headers={"Accept-Encoding": "br"}).status_code == 503


def test_a_gemeente_gets_its_slice_of_the_map_paths(app: Dash, store: Path) -> None:
    import json

    url, entry = _url(store, 2022, "wijk")
    whole = json.loads((store / entry.path).read_bytes())
    with app.server.test_request_context("/"):
        sliced = svgmap.paths_url(2022, "wijk", "GM0363")
    assert sliced is not None and svgmap.whole_url(sliced) == url and svgmap.whole_url(url) == url
    client = app.server.test_client()
    answer = client.get(sliced)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == svgmap.CACHE_CONTROL
    part = json.loads(answer.data)
    wanted = [i for i, c in enumerate(whole["codes"]) if c.startswith("WK0363")]
    assert part["codes"] == [whole["codes"][i] for i in wanted] and wanted
    assert part["paths"] == [whole["paths"][i] for i in wanted]  # the same projection
    assert part["unit_m"] == whole["unit_m"] and part["bounds"] != whole["bounds"]
    boxes = part["boxes"]
    assert part["bounds"] == [
        min(b[0] for b in boxes), min(b[1] for b in boxes),
        max(b[2] for b in boxes), max(b[3] for b in boxes),
    ]  # fmt: skip
    assert len(answer.data) * 10 < len(json.dumps(whole))
    again = client.get(sliced, headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # an unknown gemeente, a malformed name: not found
    assert client.get(sliced.replace("GM0363", "GM9999")).status_code == 404
    assert client.get(sliced.replace("GM0363", "GM03")).status_code == 404


def test_the_map_of_a_gemeente_draws_from_its_slice(app: Dash) -> None:
    from dashboard import mapview
    from dashboard.urls import parse_view

    with app.server.test_request_context("/"):
        first = mapview.render(parse_view("jaar=2022&gemeente=GM0363"), None)
        national = mapview.render(parse_view("jaar=2022"), None)
    assert first.geo is not None and national.geo is not None
    assert first.geo["url"].endswith(".GM0363.json") and first.geo["whole"] == national.geo["url"]
