"""Every component id of the app, as constants in one place.

Callbacks and layouts import these names instead of spelling ids as strings, so a renamed
component breaks at import rather than silently in the browser. Ids that Dash Pages owns
(the router's location and content) are repeated here under our own names.
"""

from __future__ import annotations

from typing import Final

# Dash Pages' own components (see dash.dash._ID_*): the router's location, the page's
# content, its store and a dummy (the shell builds them itself for a prerendered first page).
LOCATION: Final = "_pages_location"
PAGE_CONTENT: Final = "_pages_content"
PAGE_STORE: Final = "_pages_store"
PAGE_DUMMY: Final = "_pages_dummy"

# The shell: navigation, language switch, what-if panel, downloads.
URL: Final = "page-url"
"""Type of each page's own location (pattern-matching id ``{"type": URL, "page": key}``):
page callbacks read and write the URL through their page's one, shared callbacks through
``ALL``, so no callback ever refers to a component another page lacks."""


def url(page: str) -> dict[str, str]:
    """The id of a page's own ``dcc.Location`` (``page``: map, area, focus, …)."""
    return {"type": URL, "page": page}


SHOWN: Final = "shell-shown"
NAV: Final = "shell-nav"
NAV_LINK: Final = "shell-nav-link"  # pattern-matching: {"type": NAV_LINK, "page": <key>}
LANG_LINK: Final = "shell-lang-link"
SKIP_LINK: Final = "shell-skip-link"
BRAND: Final = "shell-brand"
FOOTER: Final = "shell-footer"
WHATIF: Final = "whatif-panel"
WHATIF_SUMMARY: Final = "whatif-summary"
WHATIF_WEIGHT: Final = "whatif-weight"  # pattern-matching: {"type": WHATIF_WEIGHT, "domain": id}
WHATIF_THRESHOLD: Final = "whatif-threshold"
WHATIF_MIN_POPULATION: Final = "whatif-min-population"
WHATIF_REFERENCE: Final = "whatif-reference"
WHATIF_RESET: Final = "whatif-reset"
WHATIF_MAX_AGE: Final = "whatif-max-age"
DOWNLOAD: Final = "download"
DOWNLOAD_BUTTON: Final = (
    "download-button"  # pattern-matching: {"type": ..., "fmt": csv|excel|codebook}
)
PRINT_BUTTON: Final = "print-button"
PRINT_DUMMY: Final = "print-dummy"

# Map page (home).
MAP_GRAPH: Final = "map-graph"
MAP_GEOKEY: Final = "map-geokey"
MAP_FITTED: Final = "map-fitted"
MAP_WRAP: Final = "map-wrap"
MAP_GEMEENTE: Final = "map-gemeente"
MAP_LEGEND: Final = "map-legend"
MAP_NOTE: Final = "map-note"
MAP_BREADCRUMBS: Final = "map-breadcrumbs"
MAP_NIVEAU: Final = "map-niveau"
MAP_JAAR: Final = "map-jaar"
MAP_MAAT: Final = "map-maat"
MAP_FOCUS: Final = "map-focus"
MAP_SUMMARY: Final = "map-summary"
MAP_LEAD: Final = "map-lead"
MAP_TITLE: Final = "map-title"
MAP_RECOLOURS: Final = "map-recolours"
MAP_RECOLOURS_KEY: Final = "map-recolours-key"
MAP_DRAWN: Final = "map-drawn"

# Every SVG map (dashboard/svgmap.py), pattern-matching ``{"type": …, "map": <name>}``.
SVGMAP_GEO: Final = "svgmap-geo"
SVGMAP_PAINT: Final = "svgmap-paint"
SVGMAP_DRAWN: Final = "svgmap-drawn"

# Area page (gemeente, wijk, buurt).
AREA_TREND_INDICATOR: Final = "area-trend-indicator"
AREA_TREND_GRAPH: Final = "area-trend-graph"
AREA_TREND_TABLE: Final = "area-trend-table"
AREA_MAP: Final = "area-map"

# Focus areas.
FOCUS_MAP: Final = "focus-map"
FOCUS_MEMBER_MAP: Final = "focus-member-map"

AREA_TREND_WRAP: Final = AREA_TREND_GRAPH + "-wrap"
STACKING_TITLE: Final = "stacking-title"
MAIN: Final = "main"
"""The page's main content (the skip link's target)."""

# The SVG maps by name (:func:`dashboard.svgmap.view` derives their elements' ids).
MAP_NAME: Final = "map"
AREA_MAP_NAME: Final = "area"
AREA_CHANGE_MAP_NAME: Final = "area-change-map"
FOCUS_AREAS_MAP_NAME: Final = "focus-areas"
FOCUS_MEMBERS_MAP_NAME: Final = "focus-members"


def label_of(component_id: str) -> str:
    """The id of the visible label (or group name) of a control."""
    return f"{component_id}-label"


def weight(domain: str) -> str:
    """The id of a domain's weight group in the what-if panel (its slider has a pattern id)."""
    return f"weight-{domain}"


# Compare page.
COMPARE_SEARCH: Final = "compare-search"
COMPARE_RESULT: Final = "compare-result"
COMPARE_WITH: Final = "compare-with"
