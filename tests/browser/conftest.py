"""A live dashboard on 127.0.0.1 and headless Chromium (Debian's) to drive it.

The app runs in a thread with werkzeug's server on a free port, on the store that
``tests/conftest.py`` builds from ../shared. Every page records its requests and console
errors; :func:`checked_page` asserts at the end of each test that there were no errors and no
request left the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.browser import ARGS, CHROMIUM, LAPTOP
from bench.server import threaded
from dashboard import create_app

SHOTS = Path("/tmp/zow-shots")
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_server(store: Path) -> Iterator[str]:
    """The dashboard served by werkzeug (threaded) on 127.0.0.1 and a free port."""
    with threaded(create_app(store).server) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent; install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """What a page did: every request URL and every console error."""

    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign(self) -> list[str]:
        """Requests to any host but the app's own (blob: and data: URLs stay in the page)."""
        own = urlsplit(self.base).netloc
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme not in ("blob", "data") and urlsplit(u).netloc != own
        ]


def _checked(context, live_server: str) -> Iterator[tuple[object, Recorder]]:  # type: ignore[no-untyped-def]
    page = context.new_page()
    rec = Recorder(live_server)
    page.on("request", lambda r: rec.requests.append(r.url))
    page.on("console", lambda m: rec.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: rec.errors.append(f"pageerror: {e}"))
    yield page, rec
    context.close()
    assert rec.errors == [], rec.errors
    assert rec.foreign() == [], rec.foreign()


@pytest.fixture
def checked_page(browser, live_server: str) -> Iterator[tuple[object, Recorder]]:  # type: ignore[no-untyped-def]
    """A fresh laptop-sized page; after the test: no console errors, no foreign requests."""
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    yield from _checked(context, live_server)


@pytest.fixture
def phone_page(browser, live_server: str) -> Iterator[tuple[object, Recorder]]:  # type: ignore[no-untyped-def]
    """The same on a phone: small screen, touch; after the test the same checks."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield from _checked(context, live_server)
