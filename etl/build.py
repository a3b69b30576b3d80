"""The pipeline: extract each year's tables and boundaries, transform, and load the store.

:func:`build` validates the years first, fetches and transforms everything in memory and
stages files, and commits the manifest only when every step succeeded (see
:mod:`etl.store`), so a failure anywhere leaves the previous store untouched.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import brotli
import geopandas as gpd
import pandas as pd

from etl import geometry, plausibility, schema, transform
from etl.cbs import FetchedTable, fetch_table
from etl.errors import ExtractError, SourceFormatError
from etl.files import utc_timestamp
from etl.pdok import fetch_layer
from etl.registry import CRIME_TABLE, PDOK_LAYERS, SOURCES, kwb_table, stem
from etl.settings import Settings
from etl.store import StoreWriter

Progress = Callable[[str], None]

FOCUS_DEFINITION = Path(__file__).resolve().parent.parent / "data" / "focusgebieden.csv"
"""The project's definition of the 20 NPLV focus areas (member codes per indeling year)."""


@dataclass(frozen=True)
class BuildOptions:
    """Choices of one build.

    Attributes
    ----------
    years
        KWB years to (re)build; other years already in the store are kept.
    source
        A directory in the mirror layout, or ``None`` for the live CBS and PDOK services.
    store
        The store directory.
    geometry_fallback
        For a year without boundaries of its own, attach this year's boundaries (codes
        that do not match are reported).
    crime
        Whether to load police-registered crime (CBS 47018NED) and the other area sources
        that are not KWB (RIVM 50090NED).
    focus
        The focus-area definition file.
    """

    years: tuple[int, ...]
    source: Path | None
    store: Path
    geometry_fallback: int | None = None
    crime: bool = True
    focus: Path = FOCUS_DEFINITION


def _origin(fetched: FetchedTable, what: str) -> dict[str, str]:
    return {"source": what, "origin": fetched.origin, "retrieved": fetched.retrieved}


def build(options: BuildOptions, *, settings: Settings, progress: Progress) -> schema.Manifest:
    """Build (or update) the store for some KWB years.

    Parameters
    ----------
    options
        What to build and where; see :class:`BuildOptions`.
    settings
        Service URLs, timeouts, retries and the raw cache directory.
    progress
        Receives one line per step.

    Returns
    -------
    etl.schema.Manifest
        The committed manifest.

    Raises
    ------
    etl.registry.UnknownYearError
        Before anything is fetched, for a year without a known table.
    etl.errors.EtlError
        For any failure; the previous store is left as it was.
    """
    tables = {jaar: kwb_table(jaar) for jaar in options.years}  # fail fast on unknown years
    fallback_table = None
    if options.geometry_fallback is not None:
        kwb_table(options.geometry_fallback)
        fallback_table = options.geometry_fallback
    started = time.perf_counter()
    focus = read_focus_definition(options.focus)
    years: list[schema.YearInfo] = []
    boundary_cache: dict[tuple[int, str], tuple[gpd.GeoDataFrame, dict[str, str]] | None] = {}

    def bounds(year: int, niveau: str) -> tuple[gpd.GeoDataFrame, dict[str, str]] | None:
        if (year, niveau) not in boundary_cache:
            layer = PDOK_LAYERS[niveau]
            fetched = fetch_layer(
                year, layer, source=options.source, settings=settings, progress=progress
            )
            boundary_cache[(year, niveau)] = (
                None
                if fetched is None
                else (
                    geometry.boundaries(fetched.collection, what=f"PDOK {year} {layer}"),
                    {"source": layer, "origin": fetched.origin, "retrieved": fetched.retrieved},
                )
            )
        return boundary_cache[(year, niveau)]

    with StoreWriter(options.store) as writer:
        for step, (jaar, table) in enumerate(sorted(tables.items()), start=1):
            progress(f"[{step}/{len(tables)}] {jaar}: CBS table {table}")
            fetched = fetch_table(
                table, source=options.source, settings=settings, progress=progress
            )
            years.append(_load_year(writer, fetched, jaar, bounds, fallback_table, progress))
        replace = {"focusgebieden"}
        writer.add_frame(
            focus,
            kind="focusgebieden",
            sources=[
                {
                    "source": "focusgebieden",
                    "origin": str(options.focus.resolve()),
                    "retrieved": utc_timestamp(options.focus.stat().st_mtime),
                }
            ],
        )
        if options.crime:
            crime = _crime(options, settings, progress)
            if crime is not None:
                _load_crime(writer, *crime)
                replace.add("crime")
            for edition in _rivm_editions(options.years):
                if _load_rivm(writer, edition, options, settings, progress):
                    replace.add(schema.RIVM)
        manifest = writer.commit(years, replace_kinds=replace)
    progress(f"store {options.store} committed in {time.perf_counter() - started:.1f} s")
    return manifest


Bounds = Callable[[int, str], tuple[gpd.GeoDataFrame, dict[str, str]] | None]


def _load_year(
    writer: StoreWriter,
    fetched: FetchedTable,
    jaar: int,
    bounds: Bounds,
    fallback: int | None,
    progress: Progress,
) -> schema.YearInfo:
    """Transform one KWB table, attach boundaries per niveau and stage its files."""
    stats, columns = transform.kwb_frame(fetched.subtables, table=fetched.table, jaar=jaar)
    checked = plausibility.check_frame(
        stats,
        table=fetched.table,
        subtables=fetched.subtables,
        columns=columns,
        previous=writer.previous_columns(jaar, fetched.table),
    )
    notes: list[str] = list(checked.warnings)
    without: list[str] = []
    geometry_year: int | None = None
    for niveau in schema.NIVEAUS:
        rows = stats[stats[schema.NIVEAU] == niveau].reset_index(drop=True)
        if rows.empty:
            continue
        sources = [_origin(fetched, fetched.table)]
        if niveau == "land":
            frame = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries([None] * len(rows)))
            frame = frame.set_crs(schema.COMPUTE_CRS)
        else:
            frame, used, note = _with_boundaries(rows, jaar, niveau, bounds, fallback)
            if used is None:
                without.append(niveau)
            else:
                geometry_year = used if geometry_year is None else geometry_year
                sources.append(bounds(used, niveau)[1])  # type: ignore[index]
            if note:
                notes.append(note)
        writer.add_frame(
            frame,
            kind="statistics",
            jaar=jaar,
            niveau=niveau,
            sources=sources,
            columns=columns,
            checks=checked,
            edition=SOURCES[schema.KWB].edition(jaar),
            source=schema.KWB,
        )
        with_geom = frame[frame.geometry.notna()]
        if niveau != "land" and len(with_geom):
            web, paths, n = geometry.web_outputs(with_geom, niveau=niveau)
            writer.add_frame(web, kind="web", jaar=jaar, niveau=niveau, sources=sources[1:])
            writer.add_json(
                paths, kind=schema.MAP_PATHS, rows=n, jaar=jaar, niveau=niveau, sources=sources[1:]
            )
            writer.add_json(
                brotli.compress(paths, quality=schema.MAP_PATHS_BR_QUALITY),
                kind=schema.MAP_PATHS_BR,
                rows=n,
                jaar=jaar,
                niveau=niveau,
                sources=sources[1:],
                suffix="json.br",
            )
        progress(f"  {niveau}: {len(frame):,} areas, {len(with_geom):,} with boundaries")
    if without:
        hint = "" if fallback else " (--geometry-fallback YEAR borrows another year's)"
        notes.append(
            f"{jaar}: the source has no {', '.join(without)} boundaries; those statistics are "
            f"stored without a map{hint}."
        )
    for note in notes:
        progress(f"  warning: {note}")
    info = fetched.subtables.get("TableInfos") or [{}]
    return schema.YearInfo(
        jaar=jaar,
        table=fetched.table,
        title=str(info[0].get("Title") or f"Kerncijfers wijken en buurten {jaar}"),
        geometry_year=geometry_year,
        warnings=tuple(notes),
    )


def _with_boundaries(
    rows: pd.DataFrame,
    jaar: int,
    niveau: str,
    bounds: Bounds,
    fallback: int | None,
) -> tuple[gpd.GeoDataFrame, int | None, str | None]:
    own = bounds(jaar, niveau)
    if own is not None:
        frame, unmatched = geometry.attach(rows, own[0])
        populated = rows[schema.POPULATION].fillna(0) > 0
        missing = int((frame.geometry.isna() & populated.to_numpy()).sum())
        note = (
            f"{jaar} {niveau}: {missing} populated areas have no boundary, e.g. {unmatched[:5]}"
            if missing
            else None
        )
        return frame, jaar, note
    empty = gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries([None] * len(rows)))
    empty = empty.set_crs(schema.COMPUTE_CRS)
    if fallback is None or fallback == jaar:
        return empty, None, None
    other = bounds(fallback, niveau)
    if other is None:
        return empty, None, None
    frame, unmatched = geometry.attach(rows, other[0])
    return (
        frame,
        fallback,
        f"{jaar} {niveau}: boundaries of {fallback} attached; {len(unmatched)} of {len(rows)} "
        f"codes did not match{', e.g. ' + str(unmatched[:5]) if unmatched else ''}.",
    )


def _crime(
    options: BuildOptions, settings: Settings, progress: Progress
) -> tuple[pd.DataFrame, FetchedTable, plausibility.Checked] | None:
    """Fetch 47018NED with every yearly period, live and offline alike (the live fetch
    selects only the crime types the transform keeps, so both give the same rows)."""
    soorten = sorted({c for group in schema.CRIME_GROUPS.values() for c in group})
    filters = " or ".join(f"SoortMisdrijf eq '{s.ljust(6)}'" for s in soorten)
    progress(f"crime: CBS table {CRIME_TABLE} ({SOURCES[schema.POLITIE].catalog})")
    try:
        fetched = fetch_table(
            CRIME_TABLE,
            source=options.source,
            settings=settings,
            filters=filters,
            progress=progress,
        )
    except ExtractError as exc:
        if _absent_offline(options, CRIME_TABLE):
            progress(f"  warning: {exc} Crime figures are left out.")
            return None
        raise
    frame = transform.crime_frame(fetched.subtables, table=CRIME_TABLE)
    keys = [k for row in fetched.subtables["TypedDataSet"][:1] for k in row]
    value_keys = [k for k in keys if stem(k) == schema.CRIME_STEM]
    checked = plausibility.check_frame(
        frame,
        table=CRIME_TABLE,
        subtables=fetched.subtables,
        columns={schema.MISDRIJF_AANTAL: value_keys[0]} if value_keys else {},
    )
    for warning in checked.warnings:
        progress(f"  warning: {warning}")
    if frame.empty:
        progress(f"  warning: {CRIME_TABLE} has no figures of the crime types used.")
    else:
        found = sorted(set(frame[schema.PERIODE]))
        progress(f"  crime: {len(frame):,} rows, periods {found}")
    return frame, fetched, checked


def _absent_offline(options: BuildOptions, table: str) -> bool:
    return options.source is not None and not (options.source / "cbs" / table).is_dir()


def _load_crime(
    writer: StoreWriter,
    frame: pd.DataFrame,
    fetched: FetchedTable,
    checked: plausibility.Checked,
) -> None:
    """Stage crime as one file per edition (period) of the police source, each with the
    plausibility checks of the table."""
    source = SOURCES[schema.POLITIE]
    for periode in sorted(set(frame[schema.PERIODE].astype(int))):
        rows = frame[frame[schema.PERIODE] == periode]
        edition = source.edition(periode) or schema.Edition(
            periode, CRIME_TABLE, f"{periode}JJ00", schema.CRIME_INDELING
        )
        writer.add_frame(
            rows.reset_index(drop=True),
            kind="crime",
            sources=[_origin(fetched, CRIME_TABLE)],
            edition=edition,
            source=schema.POLITIE,
            checks=checked,
        )


def _rivm_editions(years: Sequence[int]) -> tuple[schema.Edition, ...]:
    """The RIVM editions a build of these KWB years needs: every one up to the last year."""
    last = max(years)
    return tuple(e for e in SOURCES[schema.RIVM].editions if e.jaar <= last)


def _load_rivm(
    writer: StoreWriter,
    edition: schema.Edition,
    options: BuildOptions,
    settings: Settings,
    progress: Progress,
) -> bool:
    """Fetch, select and stage one RIVM edition per niveau; ``False`` when an offline
    source lacks the table (a warning, as for crime)."""
    source = SOURCES[schema.RIVM]
    progress(f"health: {source.publisher} table {edition.table} ({edition.jaar}, "
             f"indeling {edition.indeling}, {source.catalog})")  # fmt: skip
    try:
        fetched = fetch_table(
            edition.table, source=options.source, settings=settings, progress=progress
        )
    except ExtractError as exc:
        if _absent_offline(options, edition.table):
            progress(f"  warning: {exc} Health figures are left out.")
            return False
        raise
    frame = transform.source_frame(
        fetched.subtables, table=edition.table, periode=edition.periode,
        selection=source.selection,
    )  # fmt: skip
    keys = [k for row in fetched.subtables["TypedDataSet"][:1] for k in row]
    checked = plausibility.check_frame(
        frame,
        table=edition.table,
        subtables=fetched.subtables,
        columns={stem(k): k for k in keys if stem(k) in frame.columns},
    )
    for warning in checked.warnings:
        progress(f"  warning: {warning}")
    for niveau in schema.NIVEAUS:
        rows = frame[frame[schema.NIVEAU] == niveau].reset_index(drop=True)
        if rows.empty:
            continue
        writer.add_frame(
            rows, kind=schema.RIVM, niveau=niveau, sources=[_origin(fetched, edition.table)],
            edition=edition, source=schema.RIVM, checks=checked,
        )  # fmt: skip
        progress(f"  {niveau}: {len(rows):,} areas")
    return True


def read_focus_definition(path: Path) -> pd.DataFrame:
    """Read and validate the focus-area definition file.

    Raises
    ------
    SourceFormatError
        For missing columns, invalid codes, a niveau that does not fit the code, or an
        unknown ``zekerheid``.
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ExtractError(f"The focus-area definition {path} cannot be read: {exc}") from exc
    frame = pd.DataFrame(rows, dtype="string")
    missing = [c for c in schema.FOCUS_COLUMNS if c not in frame]
    if missing:
        raise SourceFormatError(f"{path}: columns {missing} are missing.")
    frame = frame[list(schema.FOCUS_COLUMNS)].apply(lambda s: s.str.strip())
    codes = frame[schema.CODE].fillna("")
    valid = codes.str.match(schema.CODE_PATTERN.pattern)
    fits = codes.map(lambda c: schema.PREFIX_NIVEAU.get(c[:2])) == frame[schema.NIVEAU]
    if not (valid & fits).all():
        raise SourceFormatError(
            f"{path}: invalid member codes {codes[~(valid & fits)].head(5).tolist()}."
        )
    if not frame[schema.ZEKERHEID].isin(["bevestigd", "onzeker"]).all():
        raise SourceFormatError(f"{path}: zekerheid must be 'bevestigd' or 'onzeker'.")
    key = [schema.FOCUSGEBIED_ID, schema.INDELING_JAAR, schema.CODE]
    if frame.duplicated(key).any():
        raise SourceFormatError(f"{path}: a member occurs twice in one focus area and year.")
    frame[schema.INDELING_JAAR] = frame[schema.INDELING_JAAR].astype("int64")
    out: pd.DataFrame = frame.reset_index(drop=True)
    return out


def build_years(
    years: Sequence[int],
    *,
    source: Path | None,
    store: Path,
    settings: Settings,
    progress: Progress,
    geometry_fallback: int | None = None,
    crime: bool = True,
) -> schema.Manifest:
    """Shorthand for :func:`build` with keyword arguments."""
    return build(
        BuildOptions(
            years=tuple(years),
            source=source,
            store=store,
            geometry_fallback=geometry_fallback,
            crime=crime,
        ),
        settings=settings,
        progress=progress,
    )
