"""A broken store shows the "rebuild the store" page, never a 500.

Each case damages a copy of the shared store (a manifest that is ``[]``, lacks ``files``,
has a non-numeric row count or is not JSON; a data file that is missing or truncated) and
asks the app for pages and callbacks: the ``GET`` of a page is ``503`` while the manifest
cannot be read, the router shows the page with the command that rebuilds the store, and
any other callback answers ``503`` with that command, never a traceback. The damaged file
is the one the first map needs, found through the manifest.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bench import payloads
from bench.payloads import Callbacks
from dashboard import create_app
from etl import schema

REBUILD = "python -m etl build"
"""What every answer about a broken store tells the reader to run (the method page, which
also works without a store, shows it in the store's own message)."""


def _manifest(store: Path) -> dict[str, Any]:
    return json.loads((store / schema.MANIFEST).read_text(encoding="utf-8"))


def _write_manifest(store: Path, content: Any) -> None:
    (store / schema.MANIFEST).write_text(json.dumps(content), encoding="utf-8")


def _first_map_file(store: Path) -> Path:
    """The statistics file of the year and level the home page opens with."""
    manifest = schema.read_manifest(store)
    wijk = [f for f in manifest.files if f.kind == "statistics" and f.niveau == "wijk"]
    with_web = [f for f in wijk if manifest.has("web", f.jaar, "wijk")]
    return store / max(with_web or wijk, key=lambda f: f.jaar or 0).path


def _rows_not_a_number(store: Path) -> None:
    content = _manifest(store)
    content["files"][0]["rows"] = "many"
    _write_manifest(store, content)


def _without_files(store: Path) -> None:
    content = _manifest(store)
    del content["files"]
    _write_manifest(store, content)


def _truncate(store: Path) -> None:
    path = _first_map_file(store)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE: dict[str, tuple[Callable[[Path], None], bool]] = {
    # case: (how to damage the store, whether the manifest itself is unreadable)
    "manifest is []": (lambda s: _write_manifest(s, []), True),
    "manifest lacks files": (_without_files, True),
    "row count not a number": (_rows_not_a_number, True),
    "manifest not JSON": (lambda s: (s / schema.MANIFEST).write_text("{", encoding="utf-8"), True),
    "data file missing": (lambda s: _first_map_file(s).unlink(), False),
    "data file truncated": (_truncate, False),
}


@pytest.fixture(params=list(DAMAGE))
def broken(request: pytest.FixtureRequest, store: Path, tmp_path: Path) -> tuple[Path, bool]:
    """A damaged copy of the shared store, and whether its manifest is unreadable."""
    copy = tmp_path / "store"
    shutil.copytree(store, copy, ignore=shutil.ignore_patterns("raw*"))
    damage, manifest_broken = DAMAGE[request.param]
    damage(copy)
    return copy, manifest_broken


def _no_traceback(response: Any) -> str:
    """The answer's text (JSON decoded, so ``\u002f`` reads ``/``); never a 5xx but 503."""
    text = response.get_data(as_text=True)
    assert response.status_code < 500 or response.status_code == 503, response.status_code
    assert "Traceback" not in text
    if response.mimetype == "application/json":
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def test_a_broken_store_shows_the_rebuild_page(broken: tuple[Path, bool]) -> None:
    store, manifest_broken = broken
    client = create_app(store).server.test_client()
    callbacks = Callbacks(client.get("/_dash-dependencies").get_json())

    page = client.get("/")
    _no_traceback(page)
    assert page.status_code == (503 if manifest_broken else 200)
    assert '<div id="react-entry-point">' in page.get_data(as_text=True)

    for path in ("/", "/gebied/WK036300", "/focusgebieden", "/vergelijk", "/methode"):
        routed = client.post(payloads.URL, json=callbacks.router(path, ""))
        text = _no_traceback(routed)
        assert routed.status_code == 200, (path, routed.status_code)
        if manifest_broken or path != "/methode":  # the method page reads no data file
            assert REBUILD in text, path

    statuses = []
    for body in (
        callbacks.draw_map("?niveau=wijk", None),
        callbacks.table_body("map", "/", ""),
        callbacks.download("/", "", fmt="csv", clicks=1),
    ):
        answer = client.post(payloads.URL, json=body)
        text = _no_traceback(answer)
        statuses.append(answer.status_code)
        if answer.status_code == 503:
            answer_json = json.loads(text)
            assert answer_json["error"] and REBUILD in answer_json["rebuild"], text
        else:  # a callback that did not need the damaged part
            assert answer.status_code in (200, 204), answer.status_code
    if not manifest_broken:  # the map needs the damaged file (without a manifest: no map)
        assert statuses[0] == 503, statuses
