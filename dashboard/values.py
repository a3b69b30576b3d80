"""How callbacks read the values of their inputs: any JSON value may arrive.

:mod:`dashboard.server` guarantees the shape of a callback request (ids, lists for
wildcards, strings for locations), but not the values of ``value``, ``data`` or
``search_value`` properties: a crafted request can put a number where a component holds
text, or a dict where it holds a list of codes. Callbacks read such values through these
functions, which return the expected type or its empty value and never raise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from dashboard.urls import MAX_COMPARE, parse_codes

MAX_TEXT: Final = 200
"""Longest text a callback reads from a value (longer input is cut)."""


def text(value: Any, *, limit: int = MAX_TEXT) -> str:
    """A text value (typed into a search box, chosen in a menu); ``""`` for anything that
    is not a string."""
    return value[:limit] if isinstance(value, str) else ""


def codes(value: Any, *, limit: int | None = MAX_COMPARE) -> tuple[str, ...]:
    """Area codes from a list of codes (a multi-select) or a comma-separated string: only
    valid codes, at most ``limit``, see :func:`dashboard.urls.parse_codes`."""
    if isinstance(value, list | tuple):
        return parse_codes([v for v in value if isinstance(v, str)], limit=limit)
    return parse_codes(value, limit=limit) if isinstance(value, str) else ()


def mapping(value: Any) -> Mapping[str, Any]:
    """A dict value (a store's data, a figure's click); ``{}`` for anything else."""
    return value if isinstance(value, Mapping) else {}
