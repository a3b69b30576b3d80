"""The app served on 127.0.0.1 for benchmarks: in a thread of this process (werkzeug,
threaded), or under gunicorn in a child process group that is always stopped again.

Both bind loopback only, on a free port, and wait until the index page answers.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import requests

from bench.measure import REPO

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, *, timeout: float = 60.0, alive: Any = None) -> None:
    """Wait until ``GET url`` answers 200.

    Parameters
    ----------
    alive
        A callable that returns False once the server process has died (then give up).

    Raises
    ------
    RuntimeError
        When the server does not answer within ``timeout`` seconds or died.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive is not None and not alive():
            raise RuntimeError(f"the server for {url} exited before it answered")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, timeout=5).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def threaded(wsgi: Any) -> Iterator[str]:
    """Serve a WSGI app with werkzeug (one thread per request) in a daemon thread; yields
    the base URL and shuts the server down afterwards."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server(HOST, free_port(), wsgi, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()
    base = f"http://{HOST}:{server.server_port}"
    try:
        wait_ready(base + "/", timeout=30)
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _stop(proc: subprocess.Popen[bytes], *, grace: float = 10.0) -> None:
    """Stop a child started in its own session: SIGTERM to its process group (gunicorn's
    master and workers), then SIGKILL after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)


@contextlib.contextmanager
def gunicorn(
    store: Path,
    *,
    workers: int,
    log: Path,
    extra: Sequence[str] = (),
    timeout: float = 90.0,
) -> Iterator[str]:
    """Run ``gunicorn --preload -w N app:server`` from the repository root on a free
    loopback port, with the store given through ``ZICHT_STORE``; yields the base URL.
    Run from there, gunicorn reads the repository's ``gunicorn.conf.py`` (threaded workers;
    the options given here take precedence).

    The server runs in its own process group, which is terminated when the block ends,
    also on an exception or Ctrl-C (and at interpreter exit as a last resort).
    Its output goes to ``log``.
    """
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--preload",
        "-w",
        str(workers),
        "-b",
        f"{HOST}:{port}",
        "--graceful-timeout",
        "5",
        *extra,
        "app:server",
    ]
    env = {**os.environ, "ZICHT_STORE": str(store.resolve())}
    env.pop("FLASK_DEBUG", None)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    atexit.register(_stop, proc, grace=2.0)
    base = f"http://{HOST}:{port}"
    try:
        wait_ready(base + "/", timeout=timeout, alive=lambda: proc.poll() is None)
        yield base
    finally:
        _stop(proc)
        atexit.unregister(_stop)
