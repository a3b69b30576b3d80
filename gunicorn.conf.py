"""Production server configuration: ``gunicorn -c gunicorn.conf.py app:server``.

Threaded workers (``gthread``): a connection waits for its request in the worker's poller,
not in a thread, and each worker serves several requests at once, so a few slow clients
(that open a connection and never finish their headers) cannot starve the app as they
starve gunicorn's default sync workers, where each one holds a whole worker until the
30 s timeout. The store is read-only and loaded lazily, so ``preload_app`` shares the
imported code between workers. Facing the internet, put a buffering reverse proxy (nginx,
Caddy) in front as well: it absorbs any number of slow clients.

Settings come from the environment: ``ZICHT_BIND`` (default ``127.0.0.1:8050``),
``ZICHT_WORKERS`` (default 2), ``ZICHT_THREADS`` (default 8 per worker); the store from
``ZICHT_STORE`` as for every command. Command-line options override this file.
"""

import os

bind = os.environ.get("ZICHT_BIND", "127.0.0.1:8050")
workers = int(os.environ.get("ZICHT_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("ZICHT_THREADS", "8"))
preload_app = True

timeout = 60  # a worker silent this long is restarted (a callback takes well under 1 s)
graceful_timeout = 30
keepalive = 5  # seconds an idle kept-alive connection waits in the poller

limit_request_line = 4094  # the app's longest URLs are a few hundred bytes
limit_request_fields = 100
limit_request_field_size = 8190

max_requests = 5000  # recycle workers now and then; jitter so they do not restart together
max_requests_jitter = 500
