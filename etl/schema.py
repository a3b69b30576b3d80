"""The store's schema and its read-only access: the one module other layers may import.

The store (``data/store/`` unless ``--store`` or ``ZICHT_STORE`` says otherwise) holds, per
KWB year and niveau, a GeoParquet file of statistics with boundaries in EPSG:28992, a
GeoParquet file of web geometry in EPSG:4326 simplified as a coverage, the same areas as
projected SVG paths in a JSON payload for the map, police-registered
crime (CBS 47018NED) as a long table per period, RIVM's health figures (50090NED) per edition
and niveau, the NPLV focus-area definition, and ``manifest.json``. Every file of a source
edition records its source, edition, period and indeling (:data:`SOURCES`). The manifest
is the commit point: it names every file with its source, retrieval time, row count and
SHA-256, and readers only open files it names. Data files are
content-addressed (``2022/wijk.3f2a….parquet``), so a rebuild that changes nothing writes the
same names and a reader never sees a half-written store.

Columns of a statistics file: the identity columns below, then one float column per CBS key
stem the table carries (``AantalInwoners``, ``HuishOnderOfRondSociaalMinimum``, …; the stem is
the CBS key without its position suffix, renamed stems already mapped to their current name).
A stem that a year's table lacks is absent, never zero; a suppressed value is NaN.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import geopandas as gpd
import pandas as pd
from pyarrow import ArrowException

from etl.integrity import DamagedFileError, verify

Niveau = Literal["land", "gemeente", "wijk", "buurt"]

NIVEAUS: Final[tuple[Niveau, ...]] = ("land", "gemeente", "wijk", "buurt")
"""Levels from coarse to fine; ``land`` is the single NL00 row where a table has it."""

MAP_NIVEAUS: Final[tuple[Niveau, ...]] = ("gemeente", "wijk", "buurt")
"""Levels that are drawn on a map and scored."""

PREFIX_NIVEAU: Final[Mapping[str, Niveau]] = {
    "NL": "land",
    "GM": "gemeente",
    "WK": "wijk",
    "BU": "buurt",
}
"""The niveau of an area follows from the first two letters of its code."""

CODE_PATTERN: Final = re.compile(r"^(NL00|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
"""A valid CBS region code after stripping padding (``GM0363``, ``WK0363AA``, ``BU03630001``)."""

COMPUTE_CRS: Final = "EPSG:28992"
"""Amersfoort / RD New: lengths and areas in metres; every computation uses it."""

WEB_CRS: Final = "EPSG:4326"
"""WGS 84 longitude/latitude, for web maps."""

MAP_UNIT_M: Final = 10.0
"""One unit of the map's screen coordinates in metres: map paths are EPSG:28992 divided by
this, with y measured down from :data:`MAP_TOP_M` (SVG's y axis points down)."""
MAP_TOP_M: Final = 625_000.0
"""The RD New northing of screen y = 0 (north of the Netherlands)."""
MAP_PATHS: Final = "paths"
"""Kind of the store's map files: per year and niveau a JSON payload of projected SVG paths
(see :func:`etl.geometry.map_paths`)."""
MAP_PATHS_BR: Final = "paths-br"
"""Kind of the same payloads compressed once at build time with Brotli at a level too slow
for a request (``<jaar>/paths-br-<niveau>.<sha12>.json.br``), served as is to browsers that
accept ``br``."""
MAP_PATHS_BR_QUALITY: Final = 10
"""Brotli quality of :data:`MAP_PATHS_BR` (about 15 % smaller than a request-time level 5)."""

# Identity columns of every statistics file, in this order.
CODE: Final = "code"
NAAM: Final = "naam"
NIVEAU: Final = "niveau"
JAAR: Final = "jaar"
GEMEENTE_CODE: Final = "gemeente_code"
GEMEENTENAAM: Final = "gemeentenaam"
WIJK_CODE: Final = "wijk_code"
GEOMETRY: Final = "geometry"
IDENTITY_COLUMNS: Final = (CODE, NAAM, NIVEAU, JAAR, GEMEENTE_CODE, GEMEENTENAAM, WIJK_CODE)

POPULATION: Final = "AantalInwoners"
"""Stem of the population count that every KWB table carries."""

# The long table of police-registered crime (CBS 47018NED).
CRIME_TABLE: Final = "47018NED"
"""Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers (police, by year)."""
CRIME_STEM: Final = "GeregistreerdeMisdrijven"
"""Key stem of the count in 47018NED (``GeregistreerdeMisdrijven_1``)."""
MISDRIJF_SOORT: Final = "soort_misdrijf"
MISDRIJF_AANTAL: Final = "aantal"
PERIODE: Final = "periode"
CRIME_COLUMNS: Final = (CODE, PERIODE, MISDRIJF_SOORT, MISDRIJF_AANTAL)

CRIME_GROUPS: Final[Mapping[str, tuple[str, ...]]] = {
    "totaal": ("0.0.0",),
    "geweld": ("1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.4.5", "1.4.6", "1.4.7"),
    "vermogen": (
        "1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.5.2", "2.5.1", "2.5.2",
    ),
}  # fmt: skip
"""Groups of ``SoortMisdrijf`` codes (47018NED, stripped): all crime; violent and sexual
crime (1.4.x); property crime (burglary, theft, shoplifting). The ETL fetches their union."""

# The sources: one record per publisher's table, each edition with its period and indeling.
Catalog = Literal["opendata", "dataderden"]
"""CBS's own catalog (``opendata.cbs.nl``) or its third-party one (``dataderden.cbs.nl``,
where the police and RIVM publish)."""

KWB: Final = "kwb"
POLITIE: Final = "politie"
RIVM: Final = "rivm"
RIVM_TABLE: Final = "50090NED"
"""Gezondheid per wijk en buurt 2020 (RIVM Gezondheidsmonitor, indeling 2020)."""


@dataclass(frozen=True)
class Edition:
    """One edition of a source: the year its figures describe, its table, period, indeling.

    Attributes
    ----------
    jaar
        The year the figures describe (the KWB year; the crime year; the monitor's year).
    table
        The CBS table id of this edition (``85984NED``, ``47018NED``, ``50090NED``).
    periode
        The ``Perioden`` key of the figures (``2024JJ00``); empty for tables without one.
    indeling
        The year of the area division whose codes the edition uses.
    """

    jaar: int
    table: str
    periode: str
    indeling: int


@dataclass(frozen=True)
class Source:
    """A source of the store, as data: who publishes it, where, and which editions exist.

    Attributes
    ----------
    id
        ``kwb``, ``politie`` or ``rivm``; the name of the source in the manifest.
    publisher
        ``CBS``, ``Politie`` or ``RIVM`` (TableInfos ``Catalog`` of the third-party tables).
    title
        What the source measures.
    catalog
        ``opendata`` or ``dataderden`` (see :data:`Catalog`); both base URLs are settings.
    editions
        Every edition with a real table id, oldest first.
    selection
        Dimension → key the build keeps (``Leeftijd`` 20300 = 18 jaar of ouder, ``Marges``
        MW00000 = the estimate); empty where every row is kept.
    """

    id: str
    publisher: str
    title: str
    catalog: Catalog
    editions: tuple[Edition, ...]
    selection: Mapping[str, str] = field(default_factory=dict)

    def edition(self, jaar: int) -> Edition | None:
        """Return the edition of a year, or ``None`` when the source has none."""
        return next((e for e in self.editions if e.jaar == jaar), None)

    @property
    def tables(self) -> tuple[str, ...]:
        """The distinct table ids of the source's editions."""
        return tuple(dict.fromkeys(e.table for e in self.editions))


_KWB_TABLE_IDS: Final = {
    2017: "83765NED", 2018: "84286NED", 2019: "84583NED", 2020: "84799NED",
    2021: "85039NED", 2022: "85318NED", 2023: "85618NED", 2024: "85984NED",
    2025: "86165NED",
}  # fmt: skip
CRIME_INDELING: Final = 2024
"""47018NED publishes every year on the area division of its release (indeling 2024)."""

SOURCES: Final[Mapping[str, Source]] = {
    s.id: s
    for s in (
        Source(
            KWB, "CBS", "Kerncijfers wijken en buurten", "opendata",
            tuple(Edition(j, t, f"{j}", j) for j, t in _KWB_TABLE_IDS.items()),
        ),
        Source(
            POLITIE, "Politie",
            "Geregistreerde misdrijven; soort misdrijf, wijk, buurt, jaarcijfers", "dataderden",
            tuple(Edition(j, CRIME_TABLE, f"{j}JJ00", CRIME_INDELING) for j in range(2012, 2026)),
        ),
        Source(
            RIVM, "RIVM", "Gezondheid per wijk en buurt (Gezondheidsmonitor)", "dataderden",
            (Edition(2020, RIVM_TABLE, "2020JJ00", 2020),),
            {"Leeftijd": "20300", "Marges": "MW00000"},
        ),
    )
}  # fmt: skip
"""Source id → record: KWB 2017–2025 (opendata), police crime 47018NED (dataderden, every
yearly period on indeling 2024) and RIVM 50090NED 2020 (dataderden, indeling 2020)."""


def source_of_table(table: str) -> Source | None:
    """Return the source whose editions use a table id, or ``None``."""
    return next((s for s in SOURCES.values() if table in s.tables), None)


RIVM_NL: Final = "NL01"
"""RIVM codes Nederland ``NL01`` where CBS writes ``NL00``."""

# The focus-area definition as stored.
FOCUSGEBIED_ID: Final = "focusgebied_id"
FOCUSGEBIED: Final = "focusgebied"
INDELING_JAAR: Final = "indeling_jaar"
ZEKERHEID: Final = "zekerheid"
BRON: Final = "bron"
FOCUS_COLUMNS: Final = (
    FOCUSGEBIED_ID, FOCUSGEBIED, GEMEENTE_CODE, INDELING_JAAR, NIVEAU, CODE, ZEKERHEID, BRON,
)  # fmt: skip

MANIFEST: Final = "manifest.json"
SCHEMA_VERSION: Final = 1
DEFAULT_STORE: Final = Path("data") / "store"
STORE_ENV: Final = "ZICHT_STORE"
STORE_HELP: Final = f"store directory (default: ${STORE_ENV} or {DEFAULT_STORE})"
"""The help text of every command's ``--store`` option (see :func:`store_dir`)."""


class StoreError(Exception):
    """The store is missing, empty or does not hold what was asked for."""


@dataclass(frozen=True)
class FileEntry:
    """One file of the store as the manifest records it.

    Attributes
    ----------
    path
        Path relative to the store directory.
    kind
        ``statistics``, ``web``, ``paths`` (map paths), ``crime`` or ``focusgebieden``.
    rows
        Number of rows (features) in the file.
    sha256
        Hex digest of the file's bytes.
    sources
        Where the content came from: for each source its table id or layer, the URL or
        directory, and the retrieval time (ISO 8601, UTC).
    jaar, niveau
        KWB year and level, where the file belongs to one.
    columns
        For statistics files: stem → the CBS key it was read from (e.g.
        ``"HuishOnderOfRondSociaalMinimum": "HuishOnderOfRondSociaalMinimum_80"``).
    size
        Size of the file in bytes; ``None`` in manifests written before sizes were recorded.
    checks, warnings
        What the build's plausibility checks (:mod:`etl.plausibility`) tested and passed, and
        what they let through with a warning (values CBS itself publishes that way).
    source, edition, periode, indeling
        For files of one source edition (statistics, crime, rivm): the source id of
        :data:`SOURCES`, the edition's year, its ``Perioden`` key and the year of the area
        division its codes follow. ``None`` in manifests written before sources had editions.
    """

    path: str
    kind: str
    rows: int
    sha256: str
    sources: tuple[Mapping[str, str], ...]
    jaar: int | None = None
    niveau: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    size: int | None = None
    checks: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str | None = None
    edition: int | None = None
    periode: str | None = None
    indeling: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the entry as plain JSON data."""
        return {
            "path": self.path,
            "kind": self.kind,
            "rows": self.rows,
            "sha256": self.sha256,
            "sources": [dict(s) for s in self.sources],
            "jaar": self.jaar,
            "niveau": self.niveau,
            "columns": dict(self.columns),
            "size": self.size,
            "checks": list(self.checks),
            "warnings": list(self.warnings),
            "source": self.source,
            "edition": self.edition,
            "periode": self.periode,
            "indeling": self.indeling,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileEntry:
        """Read an entry written by :meth:`to_json`."""
        return cls(
            path=str(data["path"]),
            kind=str(data["kind"]),
            rows=int(data["rows"]),
            sha256=str(data["sha256"]),
            sources=tuple(dict(s) for s in data.get("sources", ())),
            jaar=None if data.get("jaar") is None else int(data["jaar"]),
            niveau=data.get("niveau"),
            columns=dict(data.get("columns") or {}),
            size=None if data.get("size") is None else int(data["size"]),
            checks=tuple(str(c) for c in data.get("checks") or ()),
            warnings=tuple(str(w) for w in data.get("warnings") or ()),
            source=data.get("source"),
            edition=_int_or_none(data.get("edition")),
            periode=data.get("periode"),
            indeling=_int_or_none(data.get("indeling")),
        )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class YearInfo:
    """What the manifest says of one KWB year.

    Attributes
    ----------
    jaar
        The KWB year.
    table
        The CBS table id (e.g. ``85318NED``).
    title
        The table's title from ``TableInfos``.
    geometry_year
        The year of the boundaries attached, ``None`` where the year has none.
    warnings
        Messages the build raised for this year (missing boundaries, unmatched codes).
    """

    jaar: int
    table: str
    title: str
    geometry_year: int | None
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the year record as plain JSON data."""
        return {
            "jaar": self.jaar,
            "table": self.table,
            "title": self.title,
            "geometry_year": self.geometry_year,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> YearInfo:
        """Read a year record written by :meth:`to_json`."""
        gy = data.get("geometry_year")
        return cls(
            jaar=int(data["jaar"]),
            table=str(data["table"]),
            title=str(data.get("title", "")),
            geometry_year=None if gy is None else int(gy),
            warnings=tuple(data.get("warnings", ())),
        )


@dataclass(frozen=True)
class Manifest:
    """The store's table of contents and provenance; see the module docstring."""

    built: str
    files: tuple[FileEntry, ...]
    years: tuple[YearInfo, ...]
    schema_version: int = SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        """Return the manifest as plain JSON data."""
        return {
            "schema_version": self.schema_version,
            "built": self.built,
            "years": [y.to_json() for y in sorted(self.years, key=lambda y: y.jaar)],
            "files": [f.to_json() for f in sorted(self.files, key=lambda f: f.path)],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Manifest:
        """Read a manifest written by :meth:`to_json`."""
        version = int(data.get("schema_version", 0))
        if version != SCHEMA_VERSION:
            raise StoreError(
                f"The store has schema version {version}, this code reads {SCHEMA_VERSION}: "
                "rebuild it with `python -m etl build`."
            )
        return cls(
            built=str(data["built"]),
            files=tuple(FileEntry.from_json(f) for f in data["files"]),
            years=tuple(YearInfo.from_json(y) for y in data["years"]),
            schema_version=version,
        )

    @property
    def jaren(self) -> tuple[int, ...]:
        """The KWB years in the store, ascending."""
        return tuple(sorted(y.jaar for y in self.years))

    def year(self, jaar: int) -> YearInfo:
        """Return the record of one year, or raise :class:`StoreError`."""
        for y in self.years:
            if y.jaar == jaar:
                return y
        raise StoreError(f"The store has no year {jaar}; it has {_listing(self.jaren)}.")

    def entry(self, kind: str, jaar: int | None = None, niveau: str | None = None) -> FileEntry:
        """Return the file of a kind (and year and niveau), or raise :class:`StoreError`."""
        for f in self.files:
            if f.kind == kind and f.jaar == jaar and f.niveau == niveau:
                return f
        what = " ".join(str(x) for x in (kind, jaar, niveau) if x is not None)
        raise StoreError(f"The store holds no {what} file.")

    def editions(self, kind: str, niveau: str | None = None) -> tuple[FileEntry, ...]:
        """Return the files of one kind (and niveau) that belong to a source edition,
        oldest edition first (statistics: one per KWB year; crime: one per period)."""
        found = [
            f for f in self.files if f.kind == kind and f.niveau == niveau and f.edition is not None
        ]
        return tuple(sorted(found, key=lambda f: f.edition or 0))

    def has(self, kind: str, jaar: int | None = None, niveau: str | None = None) -> bool:
        """Tell whether the store holds a file of a kind (and year and niveau)."""
        return any(f.kind == kind and f.jaar == jaar and f.niveau == niveau for f in self.files)


def _listing(jaren: tuple[int, ...]) -> str:
    return ", ".join(str(j) for j in jaren) if jaren else "no years"


def store_dir(arg: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the store directory: the ``--store`` argument, else ``$ZICHT_STORE``, else
    ``data/store`` relative to the working directory."""
    if arg:
        return Path(arg)
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else DEFAULT_STORE


def niveau_of(code: str) -> Niveau:
    """Return the niveau of a stripped CBS region code (``WK0363AA`` → ``wijk``).

    Raises
    ------
    ValueError
        If the code is not a valid region code.
    """
    if not CODE_PATTERN.match(code):
        raise ValueError(f"{code!r} is not a CBS region code (GMxxxx, WKxxxxxx or BUxxxxxxxx).")
    return PREFIX_NIVEAU[code[:2]]


def gemeente_of(code: str) -> str | None:
    """Return the gemeente code an area code belongs to (``BU03630001`` → ``GM0363``)."""
    return None if code.startswith("NL") else "GM" + code[2:6]


def wijk_of(code: str) -> str | None:
    """Return the wijk code a buurt code belongs to (``BU0363AA01`` → ``WK0363AA``)."""
    return "WK" + code[2:8] if code.startswith("BU") else None


def read_manifest(store: Path) -> Manifest:
    """Read ``manifest.json`` of a store.

    Raises
    ------
    StoreError
        If the store has not been built, with the command that builds it.
    """
    return _read_manifest_cached(str(Path(store).resolve()), _mtime(Path(store) / MANIFEST))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns / 1e9
    except FileNotFoundError:
        return -1.0


@lru_cache(maxsize=8)
def _read_manifest_cached(store: str, mtime: float) -> Manifest:
    path = Path(store) / MANIFEST
    if mtime < 0:
        raise StoreError(
            f"No store at {store}: build one with "
            "`python -m etl build --years 2022 2024 --source ../shared` "
            "(or without --source to fetch from CBS and PDOK)."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: JSON, UTF-8
        raise StoreError(
            f"The store manifest {path} cannot be read ({_short(exc)}); {REBUILD}."
        ) from exc
    if not isinstance(data, dict):
        raise StoreError(
            f"The store manifest {path} is not a JSON object but {type(data).__name__}; {REBUILD}."
        )
    try:
        return Manifest.from_json(data)
    except StoreError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        what = f"lacks {exc}" if isinstance(exc, KeyError) else f"is damaged ({_short(exc)})"
        raise StoreError(f"The store manifest {path} {what}; {REBUILD}.") from exc


REBUILD: Final = (
    "rebuild the store with `python -m etl build --years YEAR ...` (with the --source it was "
    "built from), or check it with `python -m etl status`"
)
"""What every message about a damaged store tells the reader to do."""


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def verified_path(store: Path, entry: FileEntry, *, built: str, memo: bool = True) -> Path:
    """Return the path of a manifest entry's file after checking it (:mod:`etl.integrity`):
    inside the store, the recorded size, the recorded SHA-256.

    Raises
    ------
    StoreError
        Naming the file, what is wrong with it and the command that repairs it.
    """
    try:
        return verify(
            Path(store), entry.path, sha256=entry.sha256, size=entry.size, built=built, memo=memo
        )
    except DamagedFileError as exc:
        years = f"--years {entry.jaar}" if entry.jaar is not None else "--years YEAR ..."
        raise StoreError(
            f"The store file {exc}: rebuild the store with `python -m etl build {years}` "
            "(with the --source it was built from) to repair it."
        ) from exc


_FrameT = TypeVar("_FrameT", pd.DataFrame, gpd.GeoDataFrame)


def _read(
    store: Path, manifest: Manifest, entry: FileEntry, reader: Callable[[Path], _FrameT]
) -> _FrameT:
    """Verify an entry's file and read it; any failure is a :class:`StoreError`."""
    path = verified_path(store, entry, built=manifest.built)
    try:
        return reader(path)
    except (OSError, ValueError, TypeError, ArrowException) as exc:
        raise StoreError(
            f"The store file {entry.path} cannot be read ({_short(exc)}); {REBUILD}."
        ) from exc


def read_statistics(store: Path, jaar: int, niveau: Niveau) -> gpd.GeoDataFrame:
    """Read the statistics of one KWB year and niveau, with boundaries in EPSG:28992.

    Rows whose area had no boundary have an empty (None) geometry. Like every reader here,
    it verifies the file against the manifest first (:func:`verified_path`).
    """
    manifest = read_manifest(store)
    return _read(store, manifest, manifest.entry("statistics", jaar, niveau), gpd.read_parquet)


def read_web_geometry(store: Path, jaar: int, niveau: Niveau) -> gpd.GeoDataFrame:
    """Read the web geometry of a year and niveau: columns ``code`` and ``geometry``,
    EPSG:4326, simplified as a coverage so neighbours keep shared borders."""
    manifest = read_manifest(store)
    return _read(store, manifest, manifest.entry("web", jaar, niveau), gpd.read_parquet)


def map_paths_file(store: Path, jaar: int, niveau: Niveau) -> tuple[Path, FileEntry]:
    """The map-paths payload of a year and niveau (JSON, see :data:`MAP_PATHS`) and its
    manifest entry, whose SHA-256 names its content."""
    manifest = read_manifest(store)
    entry = manifest.entry(MAP_PATHS, jaar, niveau)
    return verified_path(store, entry, built=manifest.built), entry


def read_crime(store: Path) -> pd.DataFrame:
    """Read police-registered crime (CBS 47018NED) as a long table with the columns of
    :data:`CRIME_COLUMNS`, every edition (period) the store holds; empty when it holds none."""
    manifest = read_manifest(store)
    files = [f for f in manifest.files if f.kind == "crime"]
    if not files:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CRIME_COLUMNS})
    frames: list[pd.DataFrame] = [_read(store, manifest, f, pd.read_parquet) for f in files]
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return out.sort_values([CODE, PERIODE, MISDRIJF_SOORT], kind="stable").reset_index(drop=True)


def read_source(store: Path, kind: str, edition: int, niveau: Niveau) -> pd.DataFrame:
    """Read one edition of an area-level source that is not KWB (``rivm``) at one niveau:
    ``code``, ``niveau`` and one float column per topic stem (suppressed: NaN).

    Raises
    ------
    StoreError
        When the store holds no such file.
    """
    manifest = read_manifest(store)
    for f in manifest.files:
        if f.kind == kind and f.edition == edition and f.niveau == niveau:
            frame: pd.DataFrame = _read(store, manifest, f, pd.read_parquet)
            return frame
    raise StoreError(f"The store holds no {kind} {edition} {niveau} file.")


@dataclass(frozen=True)
class SourceFrames:
    """What the store holds for one niveau, by source edition.

    Attributes
    ----------
    statistics
        KWB year → statistics of that year at the niveau (:func:`read_statistics`).
    crime
        Police-registered crime, every period (:func:`read_crime`), or ``None``.
    sources
        ``(source id, edition)`` → an area source at the niveau that is not KWB
        (:func:`read_source`, e.g. ``("rivm", 2020)``).
    """

    statistics: Mapping[int, pd.DataFrame]
    crime: pd.DataFrame | None = None
    sources: Mapping[tuple[str, int], pd.DataFrame] = field(default_factory=dict)


def read_sources(
    store: Path,
    niveau: Niveau,
    *,
    statistics: Callable[[int], pd.DataFrame] | None = None,
    crime: Callable[[], pd.DataFrame] | None = None,
) -> SourceFrames:
    """Read every source edition the store holds at one niveau (statistics without
    geometry), for composing views (``layers.view``).

    ``statistics`` (KWB year → frame without geometry) and ``crime`` replace the readers
    of those two, for a caller that already holds them (the dashboard's caches).
    """
    manifest = read_manifest(store)

    def from_store(f: FileEntry) -> pd.DataFrame:
        return pd.DataFrame(_read(store, manifest, f, gpd.read_parquet)).drop(columns=[GEOMETRY])

    years = {
        f.jaar: f
        for f in manifest.files
        if f.kind == "statistics" and f.niveau == niveau and f.jaar is not None
    }
    frames = {j: statistics(j) if statistics else from_store(f) for j, f in years.items()}
    police = crime() if crime else read_crime(store)
    sources = {
        (f.kind, f.edition): _read(store, manifest, f, pd.read_parquet)
        for f in manifest.files
        if f.kind in (RIVM,) and f.niveau == niveau and f.edition is not None
    }
    return SourceFrames(statistics=frames, crime=None if police.empty else police, sources=sources)


def read_focusgebieden(store: Path) -> pd.DataFrame:
    """Read the NPLV focus-area members with the columns of :data:`FOCUS_COLUMNS`."""
    manifest = read_manifest(store)
    focus: pd.DataFrame = _read(store, manifest, manifest.entry("focusgebieden"), pd.read_parquet)
    return focus
