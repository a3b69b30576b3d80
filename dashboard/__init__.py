"""The Zicht op Wijken dashboard: a Dash Pages app over the read-only store.

:func:`create_app` builds the app: pages from ``dashboard/pages`` (map, area pages, focus
areas, compare, method, a helpful 404), assets from ``dashboard/assets`` (own CSS, print
CSS, the map's script; nothing from a CDN), what its responses get besides Dash's
(:mod:`dashboard.responses`: compression, a strict Content-Security-Policy, 404 statuses,
the map preload), the request boundary (:mod:`dashboard.server`) and the shared callbacks
of :mod:`dashboard.shell`. Nothing is read from the store when the app is built; pages read it
when a request comes in, so ``gunicorn --preload app:server`` starts fast and an empty store
gives a page that says how to build it.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Final

import flask
from dash import Dash, State, _callback

from dashboard import data, ids, responses, shell, svgmap
from dashboard import server as server_boundary
from dashboard.data import STORE_KEY
from etl.schema import store_dir

PACKAGE: Final = Path(__file__).resolve().parent
PAGES: Final = PACKAGE / "pages"
ASSETS: Final = PACKAGE / "assets"

INDEX: Final = """<!DOCTYPE html>
<html lang="nl">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        <noscript>Zicht op Wijken heeft JavaScript nodig. / It needs JavaScript.</noscript>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


class _Warmer:
    """At a worker's first request, fill the home page's caches in a background thread
    (the browser spends the next few hundred milliseconds loading scripts anyway)."""

    def __init__(self, config: flask.Config) -> None:
        self._config = config
        self._started = False
        self._lock = threading.Lock()

    def __call__(self) -> None:
        if self._started:
            return
        with self._lock:
            if self._started:
                return
            self._started = True
        # read the store at the first request, not at creation: ``python app.py --store DIR``
        # sets it after the app is built
        store = self._config[STORE_KEY]
        threading.Thread(target=data.warm, args=(store,), daemon=True).start()


def create_app(store: str | os.PathLike[str] | None = None, *, debug: bool = False) -> Dash:
    """Build the Dash app.

    Parameters
    ----------
    store
        The store directory; default ``$ZICHT_STORE`` or ``data/store``. Not read here.
    debug
        Dash dev tools (error overlay, callback graph); off unless asked for.

    Returns
    -------
    dash.Dash
        The app; ``app.server`` is the Flask WSGI application.
    """
    app = Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PAGES),
        assets_folder=str(ASSETS),
        serve_locally=True,
        title="Zicht op Wijken",
        update_title=None,  # type: ignore[arg-type]  # Dash documents None, annotates str
        suppress_callback_exceptions=True,
        routing_callback_inputs={"shown": State(ids.SHOWN, "data")},
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description", "content": "Stapeling van problemen in Nederlandse wijken"},
        ],
    )
    server = app.server
    server.config[STORE_KEY] = str(store_dir(store))
    server.before_request(_Warmer(server.config))
    server_boundary.install(app)
    app.index_string = INDEX
    responses.install(app)
    app.layout = shell.app_layout(app)
    app.enable_dev_tools(debug=debug, dev_tools_ui=debug, dev_tools_props_check=debug)
    shell.register(app)
    svgmap.register(app)
    _claim_page_callbacks(app)
    return app


def _claim_page_callbacks(app: Dash) -> None:
    """Move the callbacks the page modules just registered with ``dash.callback`` into
    this app now rather than at its first request (what Dash does lazily), so a second app
    built in the same process (tests) gets its own copies instead of sharing duplicates."""
    for key in list(_callback.GLOBAL_CALLBACK_MAP):
        app.callback_map[key] = _callback.GLOBAL_CALLBACK_MAP.pop(key)
    app._callback_list.extend(_callback.GLOBAL_CALLBACK_LIST)
    _callback.GLOBAL_CALLBACK_LIST.clear()
    app._inline_scripts.extend(_callback.GLOBAL_INLINE_SCRIPTS)
    _callback.GLOBAL_INLINE_SCRIPTS.clear()
