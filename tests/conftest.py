"""Shared fixtures: the real data mirror beside the checkout and a replay server serving it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.build import BuildOptions, build
from etl.settings import Settings
from replay import ReplayServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
MIRROR_YEARS = (2017, 2019, 2022, 2024)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The mirror ``../shared`` (CBS tables and PDOK layers); skips the test when absent."""
    if not (SHARED / "cbs").is_dir():
        pytest.skip(
            f"the data mirror {SHARED} is absent: these tests read the real CBS/PDOK extracts "
            "that sit beside the checkout as ../shared"
        )
    return SHARED


@pytest.fixture(scope="session")
def store(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of every year of the mirror (2017, 2019, 2022, 2024), crime and focus areas,
    built once per session into a temporary directory; tests must not change it."""
    path = tmp_path_factory.mktemp("store")
    build(
        BuildOptions(years=MIRROR_YEARS, source=shared, store=path),
        settings=Settings(raw=path / "raw-unused"),
        progress=lambda _: None,
    )
    return path


@pytest.fixture(scope="session")
def replay_server(shared: Path) -> Iterator[ReplayServer]:
    """One replay server on ``../shared`` for the whole run (it caches the parsed files)."""
    with ReplayServer(shared) as server:
        yield server


@pytest.fixture
def replay(replay_server: ReplayServer) -> Iterator[ReplayServer]:
    """The replay server with no faults armed and an empty request log, for one test."""
    replay_server.clear()
    yield replay_server
    replay_server.clear()


@pytest.fixture
def replay_settings(replay: ReplayServer, tmp_path: Path) -> Settings:
    """Settings pointing at :func:`replay`, caching under ``tmp_path/raw``, retrying at once."""
    return Settings(
        cbs_url=replay.cbs_url,
        dataderden_url=replay.dataderden_url,
        pdok_url=replay.pdok_url,
        raw=tmp_path / "raw",
        timeout=10.0,
        retries=2,
        backoff=0.0,
        backoff_max=0.0,
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reads the real-data mirror (``shared``, directly or through the
    store or the replay server built from it) as ``slow``, so ``make test-fast`` (``-m 'not
    slow and not browser'``) runs the unit tests alone; the marker follows the fixtures."""
    for item in items:
        if {"shared", "store"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
