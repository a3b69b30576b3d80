"""Every page of the app, once: its key, path, place in the navigation and how it treats its
query. Pages register with Dash from here, the header and the 404 page list the
navigation from here, downloads and links build their paths from here.

A route with a parameter (``/gebied/<code>``) fills it with :meth:`Route.path`; a route
without takes none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote


@dataclass(frozen=True)
class Route:
    """One page.

    Attributes
    ----------
    key
        Its name in component ids and navigation (``map``, ``compare``, …).
    template
        Its path, with a parameter in angle brackets (``/gebied/<code>``) where it has one.
    nav
        The i18n key of its label in the header navigation, or ``None`` when it is not there.
    follows_query
        Whether the page follows a change of its own query without being rendered again
        (the map and compare pages keep their controls and focus).
    order
        Its place among the pages Dash lists (navigation order).
    section
        The key of the navigation entry it belongs to (a focus area's report belongs to the
        focus areas); its own key when ``None``.
    """

    key: str
    template: str
    nav: str | None = None
    follows_query: bool = False
    order: int | None = None
    section: str | None = None

    @property
    def prefix(self) -> str:
        """The path up to its parameter (``/gebied/``), or the whole path when it has none."""
        return self.template.split("<", 1)[0]

    @property
    def has_parameter(self) -> bool:
        """Whether the path takes a parameter."""
        return "<" in self.template

    def path(self, value: str | None = None) -> str:
        """The path of the page (of one area, one focus area: ``value``, quoted)."""
        if not self.has_parameter:
            return self.template
        return self.prefix + quote(value or "", safe="")

    def holds(self, path: object) -> bool:
        """Whether a URL path belongs to this page (for a parameter page, any value)."""
        if not isinstance(path, str):
            return False
        return path.startswith(self.prefix) if self.has_parameter else path == self.template

    @property
    def pattern(self) -> str:
        """A regular expression of its paths (for :func:`dashboard.downloads.exporter`)."""
        return re.escape(self.prefix) + ".+" if self.has_parameter else re.escape(self.template)


MAP: Final = Route("map", "/", nav="nav.map", follows_query=True, order=0)
FOCUS_AREAS: Final = Route("focus", "/focusgebieden", nav="nav.focus", order=1)
COMPARE: Final = Route("compare", "/vergelijk", nav="nav.compare", follows_query=True, order=2)
METHOD: Final = Route("method", "/methode", nav="nav.method", order=3)
AREA: Final = Route("area", "/gebied/<code>")
FOCUS_AREA: Final = Route("focusarea", "/focusgebied/<focus_id>", section="focus")
NOT_FOUND: Final = Route("notfound", "/404")

ROUTES: Final = (MAP, FOCUS_AREAS, COMPARE, METHOD, AREA, FOCUS_AREA, NOT_FOUND)
"""Every page."""

NAV: Final = tuple(r for r in ROUTES if r.nav)
"""The pages of the header navigation, in order."""


def route_of(path: object) -> Route | None:
    """The page a URL path belongs to, or ``None`` (not found)."""
    return next((r for r in ROUTES if r.holds(path)), None)
