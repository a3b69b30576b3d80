"""Entry point of the Zicht op Wijken dashboard.

``python app.py`` serves on http://127.0.0.1:8050 (``--host``, ``--port``, ``--store``,
``--debug``); ``gunicorn app:server`` serves the same app (``--preload`` and several workers
work: nothing is read from the store until a request comes in). The store directory comes
from ``--store``, else ``$ZICHT_STORE``, else ``data/store``.
"""

from __future__ import annotations

import argparse
import sys

from dashboard import create_app
from dashboard.data import STORE_KEY
from etl.schema import STORE_HELP, store_dir

app = create_app()
server = app.server


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and serve the app with Flask's server."""
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="Serve the Zicht op Wijken dashboard (for production use gunicorn app:server).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--store",
        metavar="DIR",
        help=STORE_HELP,
    )
    parser.add_argument("--debug", action="store_true", help="Dash dev tools and reloading")
    args = parser.parse_args(argv)
    if args.store:
        server.config[STORE_KEY] = str(store_dir(args.store))
    if args.debug:
        app.enable_dev_tools(debug=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
