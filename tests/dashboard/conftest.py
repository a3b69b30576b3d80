"""Fixtures of the dashboard tests: a store built from ../shared, the app, a request context."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from dash import Dash

from dashboard import create_app
from etl.build import BuildOptions, build
from etl.settings import Settings

YEARS = (2017, 2019, 2022, 2024)


@pytest.fixture(scope="session")
def store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every year of the offline mirror (built once per session, ~3 s)."""
    path = tmp_path_factory.mktemp("dashboard-store")
    build(
        BuildOptions(years=YEARS, source=shared, store=path),
        settings=Settings(raw=path / "raw-unused"),
        progress=lambda _: None,
    )
    return path


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
