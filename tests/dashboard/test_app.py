"""The app factory: the store chosen after the app is built is the one it reads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dashboard import create_app, data
from dashboard.data import STORE_KEY


def test_first_request_warms_the_store_set_after_creation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``python app.py --store DIR`` builds the app first and sets the store afterwards
    warmed: list[str] = []
    done = threading.Event()

    def record(store: str) -> None:
        warmed.append(str(store))
        done.set()

    monkeypatch.setattr(data, "warm", record)
    app = create_app(tmp_path / "default-store")
    chosen = tmp_path / "chosen-store"
    app.server.config[STORE_KEY] = str(chosen)
    app.server.test_client().get("/_favicon-absent")
    assert done.wait(10)
    assert warmed == [str(chosen)]
