"""Fixtures of the dashboard tests: the app on the shared store (``tests/conftest.py``), a
request context, the page modules and an app without a store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from dash import Dash

from dashboard import create_app


@pytest.fixture(scope="session")
def app(store: Path) -> Dash:
    """The dashboard on that store."""
    return create_app(store)


@pytest.fixture
def ctx(app: Dash) -> Iterator[None]:
    """A request context, so data access finds the app's store."""
    with app.server.test_request_context("/"):
        yield


@pytest.fixture(scope="session")
def pages(app: Dash) -> dict[str, ModuleType]:
    """The page modules as Dash imported them (``kaart``, ``gebied``, …)."""
    prefix = "dashboard.pages."
    return {
        name[len(prefix) :]: mod for name, mod in sys.modules.items() if name.startswith(prefix)
    }


@pytest.fixture
def empty_app(tmp_path: Path) -> Dash:
    """The dashboard on a directory without a store."""
    return create_app(tmp_path / "no-store")
