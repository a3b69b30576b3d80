"""The store's schema and its read-only access: the one module other layers may import.

The store (``data/store/`` unless ``--store`` or ``ZICHT_STORE`` says otherwise) holds, per
KWB year and niveau, a GeoParquet file of statistics with boundaries in EPSG:28992, a
GeoParquet file of web geometry in EPSG:4326 simplified as a coverage, one long table of
police-registered crime (CBS 47018NED), the NPLV focus-area definition, and
``manifest.json``. The manifest is the commit point: it names every file with its source,
retrieval time, row count and SHA-256, and readers only open files it names. Data files are
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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import pandas as pd

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
        ``statistics``, ``web``, ``crime`` or ``focusgebieden``.
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
    """

    path: str
    kind: str
    rows: int
    sha256: str
    sources: tuple[Mapping[str, str], ...]
    jaar: int | None = None
    niveau: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)

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
        )


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
    except (OSError, json.JSONDecodeError) as exc:
        raise StoreError(
            f"The store manifest {path} cannot be read ({exc}); "
            "rebuild the store with `python -m etl build`."
        ) from exc
    try:
        return Manifest.from_json(data)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise StoreError(
            f"The store manifest {path} is not a valid manifest ({type(exc).__name__}: {exc}); "
            "rebuild the store with `python -m etl build`."
        ) from exc


def _open(store: Path, entry: FileEntry) -> Path:
    path = Path(store) / entry.path
    if not path.is_file():
        raise StoreError(
            f"The manifest names {entry.path}, but the file is missing; rebuild the store."
        )
    return path


def read_statistics(store: Path, jaar: int, niveau: Niveau) -> gpd.GeoDataFrame:
    """Read the statistics of one KWB year and niveau, with boundaries in EPSG:28992.

    Rows whose area had no boundary have an empty (None) geometry.
    """
    entry = read_manifest(store).entry("statistics", jaar, niveau)
    return gpd.read_parquet(_open(store, entry))


def read_web_geometry(store: Path, jaar: int, niveau: Niveau) -> gpd.GeoDataFrame:
    """Read the web geometry of a year and niveau: columns ``code`` and ``geometry``,
    EPSG:4326, simplified as a coverage so neighbours keep shared borders."""
    entry = read_manifest(store).entry("web", jaar, niveau)
    return gpd.read_parquet(_open(store, entry))


def read_crime(store: Path) -> pd.DataFrame:
    """Read police-registered crime (CBS 47018NED) as a long table with the columns of
    :data:`CRIME_COLUMNS`; empty when the store holds none."""
    manifest = read_manifest(store)
    if not manifest.has("crime"):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in CRIME_COLUMNS})
    return pd.read_parquet(_open(store, manifest.entry("crime")))


def read_focusgebieden(store: Path) -> pd.DataFrame:
    """Read the NPLV focus-area members with the columns of :data:`FOCUS_COLUMNS`."""
    manifest = read_manifest(store)
    return pd.read_parquet(_open(store, manifest.entry("focusgebieden")))
