"""Benchmarks and load tests of Zicht op Wijken, each figure beside a baseline in the same run.

``python -m bench --out DIR`` writes ``DIR/bench.json`` and ``DIR/bench.md``;
``python -m bench.load`` runs the app under gunicorn and simulates users on loopback.

Sections: :mod:`bench.pipeline` (ETL), :mod:`bench.scoring`, :mod:`bench.maps`,
:mod:`bench.browser`, :mod:`bench.scale`; their baselines live in :mod:`bench.baselines`.
Shared parts: :mod:`bench.measure` (timing, child processes, the figure record),
:mod:`bench.payloads` (the callback requests a browser sends), :mod:`bench.server` (the app
on 127.0.0.1 in a thread or under gunicorn) and :mod:`bench.report` (JSON and Markdown).
"""
