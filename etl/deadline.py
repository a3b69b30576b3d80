"""Bounds on a live fetch: a deadline per table or layer, and a cap on the pages it may take.

A single request is bounded by :class:`etl.http.RetryingSession` (``ZICHT_TIMEOUT`` per read,
``ZICHT_DEADLINE`` for the whole answer). What a table's requests take together is bounded
here: :class:`TableDeadline` (``ZICHT_TABLE_DEADLINE``) is checked before every page, and
:func:`page_cap` derives the most pages a subtable can need from the row count CBS declares
in ``TableInfos`` (``RecordCount``), or from :data:`MAX_ROWS` where none is declared.
Together with the detection of an ``odata.nextLink`` that repeats (:mod:`etl.cbs`), a server
that links back to itself or never stops paging ends in an
:class:`~etl.errors.ExtractError` instead of filling memory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from etl.errors import ExtractError

MAX_ROWS: Final = 1_000_000
"""Rows a subtable may take when its row count is unknown: above any table the project reads
(KWB: under 20,000 rows; 47018NED as filtered: under 100,000)."""

SPARE_PAGES: Final = 2
"""Pages allowed beyond what the declared row count needs."""


@dataclass
class TableDeadline:
    """The time all requests of one table (or layer) may take together.

    Parameters
    ----------
    what
        Names the table in messages (``"CBS table 85318NED"``).
    seconds
        ``Settings.table_deadline``.
    clock
        Returns seconds (tests pass a fake clock).
    """

    what: str
    seconds: float
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def check(self, doing: str) -> None:
        """Raise :class:`ExtractError` when the deadline has passed.

        Parameters
        ----------
        doing
            What was about to happen (``"subtable TypedDataSet, page 14"``).
        """
        spent = self.clock() - self.started
        if spent > self.seconds:
            raise ExtractError(
                f"{self.what}: gave up at {doing} after {spent:,.0f} s, past the deadline of "
                f"{self.seconds:g} s for one table (ZICHT_TABLE_DEADLINE). The service is too "
                "slow or keeps paging; try again later, raise ZICHT_TABLE_DEADLINE, or build "
                "offline with `--source DIR`."
            )


def page_cap(record_count: Any, page_rows: int) -> int:
    """Return the most pages a subtable may take.

    Parameters
    ----------
    record_count
        ``RecordCount`` from ``TableInfos`` (rows of the data set), or ``None`` if unknown.
    page_rows
        Rows of the first page (the service's page size).
    """
    rows = (
        record_count
        if isinstance(record_count, (int, float))
        and not isinstance(record_count, bool)
        and math.isfinite(record_count)
        and record_count >= 0
        else MAX_ROWS
    )
    return math.ceil(rows / max(page_rows, 1)) + SPARE_PAGES
