"""Serving: the production configuration (``gunicorn.conf.py``) with the real gunicorn, and
Dash's development routes with debugging off."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import server
from dashboard import create_app

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "gunicorn.conf.py"
SLOW_CLIENTS = 6
"""Connections that never finish their headers: more than the three sync workers the old
serving line used, each of which one slow client blocked."""


def _get(port: int, path: str, timeout: float) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection(server.HOST, port, timeout=timeout)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


@pytest.fixture
def gunicorn(store: Path, tmp_path: Path) -> Iterator[int]:
    """The real gunicorn with ``gunicorn.conf.py`` (and its two workers) on a free port,
    serving the shared store; yields the port once the app answers."""
    extra = ["-c", str(CONFIG)]
    with server.gunicorn(store, workers=2, log=tmp_path / "gunicorn.log", extra=extra) as base:
        yield int(base.rsplit(":", 1)[1])


def _still_open(sock: socket.socket) -> bool:
    """The server has neither answered nor closed this connection."""
    sock.settimeout(0)
    try:
        sock.recv(1, socket.MSG_PEEK)  # an answer (b"H…") or the end (b"")
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def test_slow_clients_do_not_starve_the_production_server(gunicorn: int) -> None:
    """Slow clients hold connections with unfinished headers; a normal request is still
    answered at once, while every slow client is still connected (not after the server
    gave up on them, which is how the sync workers got free again)."""
    slow = []
    for _ in range(SLOW_CLIENTS):
        sock = socket.create_connection((server.HOST, gunicorn), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        slow.append(sock)
    try:
        time.sleep(1.0)  # let the workers take the slow connections
        started = time.monotonic()
        response = _get(gunicorn, "/", timeout=60)
        elapsed = time.monotonic() - started
        assert response.status == 200
        assert all(_still_open(s) for s in slow), "the server dropped a slow client first"
        print(f"normal request answered in {elapsed * 1000:.0f} ms beside {SLOW_CLIENTS} "
              "slow clients")  # fmt: skip
    finally:
        for sock in slow:
            sock.close()


def test_reload_hash_is_not_found_without_debug(store: Path) -> None:
    assert create_app(store).server.test_client().get("/_reload-hash").status_code == 404
    debug = create_app(store, debug=True)
    assert debug.server.test_client().get("/_reload-hash").status_code == 200
