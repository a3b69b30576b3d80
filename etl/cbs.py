"""Fetching CBS OData v3 tables: live through the ``cbsodata`` client, or from a mirror directory.

Live, :func:`fetch_table` drives the unmodified ``cbsodata.download_data`` against the
table's own catalog (``settings.cbs_url`` for CBS's opendata tables,
``settings.dataderden_url`` for the police and RIVM tables; :func:`etl.registry.catalog_of`),
with retries, backoff and a timeout that the client itself lacks (its ``Session`` is swapped
for :class:`etl.http.RetryingSession` for the duration of the call), and caches every
subtable under ``settings.raw`` in the mirror layout so that ``--source data/raw`` repeats
the build offline. Offline, it reads ``<source>/cbs/<TABLE>/<Subtable>.json``.
Rows come back exactly as CBS serves them (keys and codes padded with spaces); stripping,
filtering and typing belong to :mod:`etl.transform`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import cbsodata
import cbsodata.cbsodata3
import requests

from etl.deadline import MAX_ROWS, TableDeadline, page_cap
from etl.errors import ExtractError, SourceFormatError
from etl.files import utc_now, utc_timestamp
from etl.http import (
    Progress,
    RetryingSession,
    Sleep,
    Target,
    read_json,
    session_class,
    write_json,
)
from etl.registry import catalog_of
from etl.settings import Settings

FEED: Final = "ODataFeed/odata"
"""Path of the bulk OData v3 feed under the CBS base URL (pages of 10,000 rows)."""

REQUIRED_SUBTABLES: Final = ("TypedDataSet", "DataProperties")
"""Subtables every table must have; ``TableInfos`` and the dimension lists are optional."""

TABLE_ID: Final = re.compile(r"^[0-9A-Za-z]{1,32}$")
"""A CBS table identifier (``85318NED``, ``47018NED``); nothing that could leave a directory."""

_URL_SETTING: Final = {"opendata": "ZICHT_CBS_URL", "dataderden": "ZICHT_DATADERDEN_URL"}
"""The setting that holds the base URL of each catalog."""

# cbsodata keeps its Session class and catalog URL in process globals; calls that swap them
# take turns so that two threads never see each other's settings.
_CBSODATA_LOCK: Final = threading.Lock()


@dataclass(frozen=True)
class FetchedTable:
    """A CBS table as fetched: every subtable's rows, and where and when they came from.

    Attributes
    ----------
    table
        The CBS table id, e.g. ``85318NED``.
    subtables
        Subtable name → rows as CBS serves them (``TypedDataSet``, ``DataProperties``,
        ``TableInfos``, ``WijkenEnBuurten``, …); codes keep their padding.
    origin
        The table's root URL (live) or the directory read (offline).
    retrieved
        ISO 8601 time in UTC of the fetch; offline, the newest modification time of the files.
    """

    table: str
    subtables: Mapping[str, list[dict[str, Any]]]
    origin: str
    retrieved: str


def fetch_table(
    table: str,
    *,
    source: Path | None,
    settings: Settings,
    filters: str | None = None,
    progress: Progress | None = None,
    sleep: Sleep = time.sleep,
) -> FetchedTable:
    """Fetch every subtable of a CBS OData v3 table.

    Parameters
    ----------
    table
        The CBS table id, e.g. ``85318NED`` (KWB 2022) or ``47018NED`` (crime).
    source
        ``None`` to fetch live from the table's catalog (``settings.cbs_url`` or
        ``settings.dataderden_url``); else a mirror directory holding
        ``cbs/<table>/<Subtable>.json``.
    settings
        Service URL, timeout, retries and backoff, and the cache directory ``settings.raw``.
    filters
        An OData ``$filter`` for the data set (live only; e.g. ``"Perioden eq '2024JJ00'"``).
        Offline rows are not filtered; the transform filters. A filtered live fetch caches
        only the rows it received.
    progress
        Receives a line per page fetched (``"85984NED TypedDataSet: page 2, 18,310 rows so
        far"``).
    sleep
        How to wait between attempts (tests pass a recorder).

    Returns
    -------
    FetchedTable
        Rows exactly as served, with codes padded.

    Raises
    ------
    etl.errors.ExtractError
        When the service keeps failing or times out (the message names the table, subtable
        and page), the table is unknown, or the source directory has no such table.
    etl.errors.SourceFormatError
        When an answer or file is not valid JSON or lacks a required subtable.
    """
    if not TABLE_ID.match(table):
        raise ExtractError(f"{table!r} is not a CBS table id (like 85318NED); see etl/registry.py.")
    if source is None:
        return _fetch_live(
            table, settings=settings, filters=filters, progress=progress, sleep=sleep
        )
    return _read_mirror(table, Path(source))


def _fetch_live(
    table: str,
    *,
    settings: Settings,
    filters: str | None,
    progress: Progress | None,
    sleep: Sleep,
) -> FetchedTable:
    catalog = catalog_of(table)
    base = settings.catalog_url(catalog)
    root = f"{base.rstrip('/')}/{FEED}/{table}/"
    pages = _Pages(table, progress, TableDeadline(f"CBS table {table}", settings.table_deadline))
    session = session_class(settings, sleep=sleep, describe=pages.describe, on_json=pages.record)
    with cbsodata_client(base, session) as catalog_url:
        try:
            data = cbsodata.download_data(
                table,
                typed=False,
                filters=filters,
                catalog_url=catalog_url,
                timeout=settings.timeout,
            )
        except ValueError as exc:  # the root listing lacks TypedDataSet or UntypedDataSet
            raise SourceFormatError(
                f"CBS table {table} at {root}: the table listing lacks a data set ({exc}); the "
                "service may have changed. Build offline with `--source DIR` meanwhile."
            ) from exc
        except requests.RequestException as exc:
            raise ExtractError(
                f"Could not fetch CBS table {table} from {root}: {exc}. Check "
                f"{_URL_SETTING[catalog]}."
            ) from exc
    retrieved = utc_now()
    subtables = {
        str(name): _rows(rows, f"CBS table {table}, subtable {name}", root)
        for name, rows in data.items()
    }
    _require(subtables, table, root)
    for name, rows in subtables.items():
        write_json(settings.raw / "cbs" / table / f"{name}.json", rows, indent=1)
    return FetchedTable(table=table, subtables=subtables, origin=root, retrieved=retrieved)


def _read_mirror(table: str, source: Path) -> FetchedTable:
    directory = source / "cbs" / table
    if not directory.is_dir():
        parent = source / "cbs"
        held = sorted(p.name for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []
        holds = f"it holds {', '.join(held)}" if held else f"{parent} holds no tables"
        raise ExtractError(
            f"No CBS table {table} in the source directory: looked in {directory} ({holds}). "
            f"Fetch it live (omit --source), or add cbs/{table}/<Subtable>.json files in the "
            "mirror layout."
        )
    files = sorted(p for p in directory.glob("*.json") if p.is_file())
    names = {p.stem for p in files}
    missing = [f"{name}.json" for name in REQUIRED_SUBTABLES if name not in names]
    if missing:
        raise SourceFormatError(
            f"CBS table {table} in {directory} lacks {' and '.join(missing)}, which every "
            "table needs. Restore the file(s) from the mirror, or fetch the table live "
            "(omit --source)."
        )
    subtables = {
        p.stem: _rows(
            read_json(p, what=f"CBS table {table}, subtable {p.stem}"),
            f"CBS table {table}, subtable {p.stem}",
            str(p),
        )
        for p in files
    }
    newest = max(p.stat().st_mtime for p in files)
    return FetchedTable(
        table=table, subtables=subtables, origin=str(directory), retrieved=utc_timestamp(newest)
    )


def _rows(data: Any, what: str, where: str) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise SourceFormatError(
            f"{what} from {where} is not a list of rows (JSON objects); the source may have "
            "changed or the file is not in the mirror layout."
        )
    return data


def _require(subtables: Mapping[str, Any], table: str, where: str) -> None:
    missing = [name for name in REQUIRED_SUBTABLES if name not in subtables]
    if missing:
        raise SourceFormatError(
            f"CBS table {table} at {where} has no {' and '.join(missing)}, which every table "
            "needs; the service may have changed. Build offline with `--source DIR` meanwhile."
        )


class _Pages:
    """Counts the pages and rows of one live fetch, to name them in messages and progress,
    and bounds it: the table's deadline before every request, a page cap per subtable from
    ``TableInfos`` ``RecordCount`` (:func:`etl.deadline.page_cap`), and no ``odata.nextLink``
    that leads to a page already fetched."""

    def __init__(self, table: str, progress: Progress | None, deadline: TableDeadline) -> None:
        self.table = table
        self.progress = progress
        self.deadline = deadline
        self.pages: dict[str, int] = {}
        self.rows: dict[str, int] = {}
        self.first_rows: dict[str, int] = {}
        self.fetched: set[str] = set()
        self.record_count: Any = None

    def subtable(self, url: str) -> str:
        """Return the subtable a URL asks for; ``""`` for the table's root listing."""
        path = urlsplit(url).path
        marker = f"/{self.table}/"
        return path.split(marker, 1)[1].strip("/") if marker in path else ""

    def describe(self, url: str) -> Target:
        """Name what a URL fetches: table, subtable and page; called before every attempt,
        it raises :class:`ExtractError` once the table's deadline has passed."""
        name = self.subtable(url)
        self.deadline.check(f"subtable {name or 'listing'}, page {self.pages.get(name, 0) + 1}")
        if not name:
            return Target(
                what=f"CBS table {self.table}, table listing",
                missing=(
                    f"the service has no table {self.table}; check the table id "
                    f"(etl/schema.py SOURCES) and {_URL_SETTING[catalog_of(self.table)]}"
                ),
            )
        return Target(
            what=f"CBS table {self.table}, subtable {name}, page {self.pages.get(name, 0) + 1}",
            missing=(
                f"missing subtable: the table lists {name}, but the service does not serve it; "
                "try again later, or build offline with `--source DIR`"
            ),
        )

    def record(self, url: str, payload: Any) -> None:
        """Check the shape of one answer, count it and report progress."""
        what = self.describe(url).what
        value = payload.get("value") if isinstance(payload, dict) else None
        if not isinstance(value, list):
            raise SourceFormatError(
                f"{what} from {url} is JSON without a 'value' list; the service may have "
                "changed. Build offline with `--source DIR` meanwhile."
            )
        name = self.subtable(url)
        if not name and not all(
            isinstance(v, dict) and isinstance(v.get("name"), str) for v in value
        ):
            raise SourceFormatError(
                f"{what} from {url} does not list subtables as {{'name', 'url'}} objects; the "
                "service may have changed. Build offline with `--source DIR` meanwhile."
            )
        self.pages[name] = page = self.pages.get(name, 0) + 1
        self.rows[name] = rows = self.rows.get(name, 0) + len(value)
        self._bound(name, url, payload, page, len(value))
        if self.progress is not None:
            if name:
                self.progress(f"{self.table} {name}: page {page}, {rows:,} rows so far")
            else:
                self.progress(f"{self.table}: table listing, {rows} subtables")

    def _bound(self, name: str, url: str, payload: dict[str, Any], page: int, rows: int) -> None:
        """Refuse a next link that repeats a page, and more pages than the rows need."""
        if name == "TableInfos" and isinstance(payload["value"], list) and payload["value"]:
            first = payload["value"][0]
            self.record_count = first.get("RecordCount") if isinstance(first, dict) else None
        if url in self.fetched:
            raise SourceFormatError(
                f"CBS table {self.table}, subtable {name}, page {page}: {url[:200]} was "
                "already fetched; the service's odata.nextLink is looping. Try again later, or "
                "build offline with `--source DIR`."
            )
        self.fetched.add(url)
        link = payload.get("odata.nextLink")
        if not link:
            return
        what = f"CBS table {self.table}, subtable {name}, page {page}"
        if not isinstance(link, str) or link in self.fetched:
            raise SourceFormatError(
                f"{what}: odata.nextLink {str(link)[:200]!r} leads back to a page already "
                "fetched; the service is looping. Try again later, or build offline with "
                "`--source DIR`."
            )
        self.first_rows.setdefault(name, rows)
        declared = self.record_count if name in DATA_SETS else None
        cap = page_cap(declared, self.first_rows[name])
        if page >= cap:
            need = (
                f"its {declared:,} rows need"
                if isinstance(declared, int)
                else f"{MAX_ROWS:,} rows need (TableInfos declares no RecordCount)"
            )
            raise ExtractError(
                f"{what}: the service offers yet another page after {page:,} pages of "
                f"{self.rows[name]:,} rows, more than {need} ({cap:,} pages); it keeps paging. "
                "Try again later, or build offline with `--source DIR`."
            )


DATA_SETS: Final = frozenset({"TypedDataSet", "UntypedDataSet"})
"""Subtables whose row count ``TableInfos`` declares (``RecordCount``)."""


@contextmanager
def cbsodata_client(base_url: str, session: type[RetryingSession]) -> Iterator[str]:
    """Point ``cbsodata`` at a catalog and give it a session class, for a ``with`` block.

    Sets ``cbsodata.options.catalog_url`` and ``use_https`` from ``base_url`` (scheme, host,
    port and any path prefix) and replaces ``cbsodata.cbsodata3.Session``; all three are
    restored on leaving, also after an error. Calls from several threads take turns. The
    block receives the ``catalog_url`` value (``dataderden.cbs.nl``) to pass to cbsodata.

    Raises
    ------
    etl.errors.ExtractError
        If ``base_url`` is not an http(s) URL.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ExtractError(
            f"The CBS service URL {base_url!r} is not an http(s) URL; set ZICHT_CBS_URL to e.g. "
            "https://opendata.cbs.nl (ZICHT_DATADERDEN_URL: https://dataderden.cbs.nl)"
        )
    module: Any = cbsodata.cbsodata3
    options: Any = cbsodata.options
    with _CBSODATA_LOCK:
        saved: tuple[Callable[[], Any], str, bool] = (
            module.Session,
            options.catalog_url,
            options.use_https,
        )
        try:
            module.Session = session
            catalog_url = parts.netloc + parts.path.rstrip("/")
            options.catalog_url = catalog_url
            options.use_https = parts.scheme == "https"
            yield catalog_url
        finally:
            module.Session, options.catalog_url, options.use_https = saved
