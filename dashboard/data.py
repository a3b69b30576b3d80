"""Read-only, cached access to the store for the dashboard, and scoring through ``layers``.

The only module of the dashboard that touches the store, and only through
:mod:`etl.schema`'s read functions. The store directory is set once per app
(:func:`dashboard.create_app` writes it into the Flask config under :data:`STORE_KEY`);
outside a request it comes from ``$ZICHT_STORE`` or ``data/store``. Every cache is keyed on
the store directory and the manifest's build time, so a rebuilt store is picked up without a
restart, and on hashable arguments only (years, levels, a frozen
:class:`layers.config.ScoringConfig`). The caches are ``functools.lru_cache``: thread-safe,
per process (each gunicorn worker keeps its own); a new build of a store empties them all,
so a worker holds one build, not every build it has seen. A data file that cannot be read
is a :class:`StoreError`, like a missing store. Frames returned are shared between
requests: callers must not modify them (pandas copy-on-write makes accidental writes
harmless).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import pandas as pd
import pyarrow as pa

from etl import schema
from etl.schema import Manifest, StoreError
from layers.change import change
from layers.config import ScoringConfig
from layers.errors import LayersError
from layers.export import Bundle, bundle
from layers.focus import members, overview
from layers.indicators import SCORED_DOMAINS, Indicator, indicator_values
from layers.peers import PeerSet, find_peers
from layers.view import Inputs, View, compose, score_composed, score_view_groups
from layers.view import domain_years as view_domain_years

STORE_KEY: Final = "ZICHT_STORE"
"""Key of the store directory in the Flask app's config."""

NL_GROUP: Final = "NL"
"""Group id of all areas of a level, aggregated (the national reference row)."""

__all__ = ["Manifest", "StoreError"]

_F = TypeVar("_F", bound=Callable[..., Any])
_T = TypeVar("_T")


def store_path() -> Path:
    """Return the store directory of the running app (or of the environment)."""
    configured = None
    try:
        from flask import current_app

        configured = current_app.config.get(STORE_KEY)
    except RuntimeError:  # outside an app context: tests, scripts
        configured = None
    return schema.store_dir(configured)


def manifest() -> Manifest:
    """Return the store's manifest.

    Raises
    ------
    etl.schema.StoreError
        When the store has not been built, with the command that builds it.
    """
    return schema.read_manifest(store_path())


_CACHES: list[Any] = []
_HELD: set[tuple[str, str]] = set()
_BUILDS: dict[str, str] = {}
_BUILDS_LOCK = threading.Lock()


def _cached(*, maxsize: int) -> Callable[[_F], _F]:
    """``functools.lru_cache`` for functions keyed on ``(store, built, …)``, registered so
    that :func:`_key` can empty them all when a store is rebuilt."""

    def wrap(function: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)

        @wraps(function)
        def call(store: str, built: str, *args: Any) -> Any:
            _HELD.add((store, built))
            return cached(store, built, *args)

        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return cast(_F, call)

    return wrap


def per_build(*, maxsize: int) -> Callable[[_F], _F]:
    """A cache for what views compute from the store (the map's colourings): keyed on the
    current store build and the function's hashable arguments, and emptied with the
    store's own caches when the store is rebuilt."""

    def wrap(function: _F) -> _F:
        @_cached(maxsize=maxsize)
        def on_build(store: str, built: str, *args: Any) -> Any:
            return function(*args)

        @wraps(function)
        def call(*args: Any) -> Any:
            return on_build(*_key(), *args)

        call.cache_info = on_build.cache_info  # type: ignore[attr-defined]
        return cast(_F, call)

    return wrap


def cached_builds() -> set[tuple[str, str]]:
    """The (store, build) pairs the caches hold entries of."""
    return set(_HELD)


def _key() -> tuple[str, str]:
    """Cache key of the current store: its directory and build time. A new build of a
    store empties every cache, so a long-running worker keeps the current build, not
    every build it has seen."""
    store = store_path()
    key = str(store.resolve()), schema.read_manifest(store).built
    if _BUILDS.get(key[0]) != key[1]:
        with _BUILDS_LOCK:
            if _BUILDS.get(key[0]) not in (None, key[1]):
                for cache in _CACHES:
                    cache.cache_clear()
                _HELD.clear()
            _BUILDS[key[0]] = key[1]
    return key


def _read(reader: Callable[..., _T], store: str, *args: Any) -> _T:
    """Read one data file of the store; a file that cannot be read (missing, truncated,
    not parquet) is a store problem: :class:`StoreError` with what to do."""
    try:
        return reader(Path(store), *args)
    except StoreError:
        raise
    except (OSError, ValueError, pa.ArrowException) as exc:
        name = getattr(reader, "__name__", "read").removeprefix("read_").replace("_", " ")
        what = " ".join([name, *map(str, args)])
        raise StoreError(
            f"The store's {what} file cannot be read ({type(exc).__name__}); rebuild the store."
        ) from exc


def years() -> tuple[int, ...]:
    """KWB years in the store, ascending (empty when the store is missing)."""
    try:
        return manifest().jaren
    except StoreError:
        return ()


def years_with(niveau: str) -> tuple[int, ...]:
    """The years in the store that hold statistics of this level, ascending."""
    return tuple(j for j in years() if has_statistics(j, niveau))


def has_statistics(jaar: int, niveau: str) -> bool:
    """Tell whether the store holds statistics of this year and level."""
    try:
        return manifest().has("statistics", jaar, niveau)
    except StoreError:
        return False


def has_geometry(jaar: int, niveau: str) -> bool:
    """Tell whether the store holds web geometry of this year and level."""
    try:
        return manifest().has("web", jaar, niveau)
    except StoreError:
        return False


def statistics(jaar: int, niveau: str) -> pd.DataFrame:
    """Return the statistics of one year and level without geometry (CBS units).

    Raises
    ------
    etl.schema.StoreError
        When the store lacks that year or level.
    """
    return _statistics(*_key(), jaar, niveau)


@_cached(maxsize=32)
def _statistics(store: str, built: str, jaar: int, niveau: str) -> pd.DataFrame:
    frame = _read(schema.read_statistics, store, jaar, niveau)
    return pd.DataFrame(frame.drop(columns=frame.geometry.name))


def crime() -> pd.DataFrame:
    """Return police-registered crime (CBS 47018NED), empty when the store holds none."""
    return _crime(*_key())


@_cached(maxsize=4)
def _crime(store: str, built: str) -> pd.DataFrame:
    return _read(schema.read_crime, store)


def scores(jaar: int, niveau: str, config: ScoringConfig) -> pd.DataFrame:
    """Score the composed view of a year and level (:func:`layers.view.score_view`: each
    indicator at the latest edition of its own source), cached; ``attrs["provenance"]``
    names per indicator the source, table, edition, indeling and coverage. ``config``
    applies as :meth:`ScoringConfig.for_niveau` says.

    Raises
    ------
    etl.schema.StoreError
        When the store lacks that year or level.
    """
    return _scores(*_key(), jaar, niveau, config.for_niveau(niveau))


@_cached(maxsize=32)
def _scores(store: str, built: str, jaar: int, niveau: str, config: ScoringConfig) -> pd.DataFrame:
    composed = _composed(store, built, jaar, niveau, config.max_age)
    return _bare(score_composed(composed, config=config))


def _bare(result: pd.DataFrame) -> pd.DataFrame:
    """A result without ``attrs``: pandas deep-copies them on every operation on the frame
    (each column read), a cost on every request; :func:`provenance` answers for them."""
    result.attrs = {}
    return result


def _view_inputs(store: str, built: str, jaar: int, niveau: str) -> Inputs:
    """The source editions of a level, when the store holds the year's statistics there."""
    sources = _sources(store, built, niveau)
    if jaar not in sources.statistics:
        raise StoreError(f"The store holds no {niveau} statistics for {jaar}.")
    return sources


@_cached(maxsize=8)
def _sources(store: str, built: str, niveau: str) -> Inputs:
    """Every source edition of a level, sharing the cached statistics and crime frames."""
    return schema.read_sources(
        Path(store),
        niveau,  # type: ignore[arg-type]
        statistics=lambda jaar: _statistics(store, built, jaar, niveau),
        crime=lambda: _crime(store, built),
    )


def provenance(
    jaar: int, niveau: str, config: ScoringConfig | None = None
) -> dict[str, dict[str, object]]:
    """Per indicator of a view: publisher, table, edition, period, indeling and coverage
    (:meth:`layers.view.Provenance.to_dict`), for hovers, tables, notes and codebooks."""
    max_age = (config or ScoringConfig()).max_age
    return dict(_provenance(*_key(), jaar, niveau, max_age))


@_cached(maxsize=32)
def _provenance(
    store: str, built: str, jaar: int, niveau: str, max_age: int
) -> tuple[tuple[str, dict[str, object]], ...]:
    composed = _composed(store, built, jaar, niveau, max_age)
    return tuple((k, p.to_dict()) for k, p in composed.provenance.items())


def domain_years(
    jaar: int, niveau: str, config: ScoringConfig | None = None
) -> dict[str, list[int]]:
    """Per scored domain of a view, the edition years its indicators come from."""
    return view_domain_years(provenance(jaar, niveau, config))


def group_scores(
    jaar: int,
    niveau: str,
    groups: Mapping[str, Sequence[str]],
    config: ScoringConfig,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Score groups of areas of one level, placed among the individual areas, cached.

    With reference ``gemeente`` a group spanning gemeenten (NL) cannot be placed; such
    groups are then scored against NL.
    """
    frozen = tuple((g, tuple(codes)) for g, codes in groups.items())
    labels = tuple(sorted((names or {}).items()))
    return _group_scores(*_key(), jaar, niveau, frozen, labels, config)


@_cached(maxsize=256)
def _group_scores(
    store: str,
    built: str,
    jaar: int,
    niveau: str,
    groups: tuple[tuple[str, tuple[str, ...]], ...],
    names: tuple[tuple[str, str], ...],
    config: ScoringConfig,
) -> pd.DataFrame:
    view = _composed(store, built, jaar, niveau, config.max_age)
    try:
        return _bare(score_view_groups(view, dict(groups), config=config, names=dict(names)))
    except LayersError:
        if config.reference == "nl":
            raise
        nl = config.replace(reference="nl")
        return _bare(score_view_groups(view, dict(groups), config=nl, names=dict(names)))


@_cached(maxsize=16)
def _composed(store: str, built: str, jaar: int, niveau: str, max_age: int) -> View:
    """The composed view of a year and level (:func:`layers.view.compose`)."""
    inputs = _view_inputs(store, built, jaar, niveau)
    return compose(inputs, jaar=jaar, niveau=niveau, config=ScoringConfig(max_age=max_age))


def change_between(
    van: int, tot: int, niveau: str, config: ScoringConfig, indicator: str
) -> pd.DataFrame:
    """The change of one indicator between two years of a level (see
    :func:`layers.change.change`), cached."""
    return _change(*_key(), van, tot, niveau, config, indicator)


@_cached(maxsize=128)
def _change(
    store: str, built: str, van: int, tot: int, niveau: str, config: ScoringConfig, indicator: str
) -> pd.DataFrame:
    return change(scores(van, niveau, config), scores(tot, niveau, config), indicator)


def peers_of(jaar: int, niveau: str, config: ScoringConfig, code: str) -> PeerSet:
    """The comparable areas of an area (see :func:`layers.peers.find_peers`), cached.

    Raises
    ------
    layers.errors.LayersError
        When the area has no comparable areas (the message says why).
    """
    return _peers_of(*_key(), jaar, niveau, config, code)


@_cached(maxsize=512)
def _peers_of(
    store: str, built: str, jaar: int, niveau: str, config: ScoringConfig, code: str
) -> PeerSet:
    return find_peers(scores(jaar, niveau, config), code)


def land_values(jaar: int) -> pd.Series | None:
    """CBS's own national figures (the ``NL00`` row) as indicator values, where the year's
    table has that row; ``inwoners`` included."""
    if not has_statistics(jaar, "land"):
        return None
    return _land_values(*_key(), jaar)


@_cached(maxsize=8)
def _land_values(store: str, built: str, jaar: int) -> pd.Series | None:
    stats = _statistics(store, built, jaar, "land")
    if stats.empty:
        return None
    values = indicator_values(stats)
    row = values.iloc[0].astype(object)
    row["inwoners"] = float(stats[schema.POPULATION].iloc[0])
    row[schema.NAAM] = "Nederland"
    return row


def covers_nl(jaar: int, niveau: str) -> bool:
    """Whether the areas of a year and level cover (nearly) all of NL, judged by their
    inhabitants against CBS's national row (a year without that row counts as complete)."""
    land = land_values(jaar)
    if land is None or not has_statistics(jaar, niveau):
        return True
    total = float(statistics(jaar, niveau)[schema.POPULATION].sum())
    return total >= 0.9 * float(land["inwoners"])


def nl_group(jaar: int, niveau: str) -> dict[str, list[str]]:
    """The national reference group of a year and level: all its areas, when they cover NL;
    else none, so that a partial year (2019: Amsterdam only) is never called Nederland."""
    if not has_statistics(jaar, niveau) or not covers_nl(jaar, niveau):
        return {}
    return {NL_GROUP: statistics(jaar, niveau)[schema.CODE].astype(str).tolist()}


def nl_row(refs: pd.DataFrame, jaar: int) -> pd.Series | None:
    """The national reference row: the aggregate of :func:`nl_group` where it was scored,
    else CBS's own national figures of the year (if its table has them)."""
    if NL_GROUP in refs.index:
        row = cast(pd.Series, refs.loc[NL_GROUP])
        return row
    return land_values(jaar)


def coverage_names(jaar: int) -> list[str]:
    """Names of the gemeenten a year holds (to say which part of NL a partial year covers)."""
    if not has_statistics(jaar, "gemeente"):
        return []
    stats = statistics(jaar, "gemeente")
    return sorted(stats[schema.NAAM].fillna(stats[schema.CODE]).astype(str).tolist())


def carried_indicators(jaar: int, niveau: str) -> tuple[Indicator, ...]:
    """Indicators a year and level carry (values present), in registry order."""
    return _carried(*_key(), jaar, niveau)


@_cached(maxsize=32)
def _carried(store: str, built: str, jaar: int, niveau: str) -> tuple[Indicator, ...]:
    return _composed(store, built, jaar, niveau, ScoringConfig().max_age).indicators


def scored_domains(jaar: int, niveau: str) -> tuple[str, ...]:
    """Ids of the scored domains a year and level carry at least one indicator of."""
    have = {i.domain for i in carried_indicators(jaar, niveau)}
    return tuple(d for d in SCORED_DOMAINS if d in have)


def default_year(niveau: str) -> int | None:
    """The year the map opens with: among years with boundaries at this level, the one
    carrying the most scored domains (the latest on a tie); else the latest year."""
    ranked = []
    for jaar in years():
        if not has_statistics(jaar, niveau):
            continue
        ranked.append((has_geometry(jaar, niveau), len(scored_domains(jaar, niveau)), jaar))
    return max(ranked)[2] if ranked else None


def resolve_year(jaar: int | None, niveau: str) -> int | None:
    """The year a view shows: the one asked for if the store has it at this level, else the
    default year of the level."""
    if jaar is not None and has_statistics(jaar, niveau):
        return jaar
    return default_year(niveau)


@dataclass(frozen=True)
class WebLayer:
    """The areas a map of one year and level (optionally one gemeente) draws: those with
    web geometry. The shapes themselves are drawn from the map paths the build made
    (:mod:`dashboard.svgmap`); nothing is projected or serialised per request.

    Attributes
    ----------
    codes
        The codes of the areas, in the order of the store's web geometry.
    gemeente
        The gemeente whose areas these are, or ``None`` for all of NL (its map paths are
        then the gemeente's slice, :func:`dashboard.svgmap.paths_url`).
    """

    codes: tuple[str, ...]
    gemeente: str | None = None


def web_layer(
    jaar: int, niveau: str, gemeente: str | None = None, *, wijk: str | None = None
) -> WebLayer | None:
    """Return the map geometry of a year and level, or ``None`` when the store has none.

    Parameters
    ----------
    gemeente
        Only the areas of this gemeente. Buurten are only served per gemeente (all of NL
        is too heavy for one map): at niveau ``buurt`` without it the answer is ``None``.
    wijk
        Only the buurten of this wijk.
    """
    if wijk is not None:
        gemeente = schema.gemeente_of(wijk)
    if not has_geometry(jaar, niveau) or (niveau == "buurt" and not gemeente):
        return None
    return _web_layer(*_key(), jaar, niveau, gemeente, wijk)


@_cached(maxsize=8)
def _web_codes(store: str, built: str, jaar: int, niveau: str) -> tuple[str, ...]:
    frame = _read(schema.read_web_geometry, store, jaar, niveau)
    drawn = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    return tuple(drawn[schema.CODE].astype(str))


@_cached(maxsize=64)
def _web_layer(
    store: str, built: str, jaar: int, niveau: str, gemeente: str | None, wijk: str | None
) -> WebLayer | None:
    codes = _web_codes(store, built, jaar, niveau)
    if gemeente:
        codes = tuple(c for c in codes if schema.gemeente_of(c) == gemeente)
    if wijk:
        codes = tuple(c for c in codes if schema.wijk_of(c) == wijk)
    return WebLayer(codes, gemeente or None) if codes else None


def warm(store: str | Path) -> None:
    """Fill the caches the home page needs (the default wijk map: its year, scores,
    areas and focus-area members), so the first visitor does not wait for them.

    Meant for a background thread at a worker's first request; a missing store is ignored.
    """
    from flask import Flask

    app = Flask("dashboard-warm")
    app.config[STORE_KEY] = str(store)
    with app.app_context():
        try:
            jaar = default_year("wijk")
            if jaar is None:
                return
            scores(jaar, "wijk", ScoringConfig())
            web_layer(jaar, "wijk")
            focus_members(jaar, "wijk")
        except (StoreError, LayersError, OSError, ValueError):
            return


def focus_frame() -> pd.DataFrame:
    """Return the NPLV focus-area definition (empty when the store holds none)."""
    try:
        return _focus_frame(*_key())
    except StoreError:
        return pd.DataFrame(columns=list(schema.FOCUS_COLUMNS))


@_cached(maxsize=4)
def _focus_frame(store: str, built: str) -> pd.DataFrame:
    return _read(schema.read_focusgebieden, store)


def focus_overview() -> pd.DataFrame:
    """One row per focus area: id, name, gemeente code, zekerheid and source, cached."""
    frame = focus_frame()
    if frame.empty:
        return pd.DataFrame(columns=["focusgebied_id", "focusgebied", "gemeente_code"])
    return _focus_overview(*_key())


@_cached(maxsize=4)
def _focus_overview(store: str, built: str) -> pd.DataFrame:
    return overview(_focus_frame(store, built))


def focus_members(jaar: int, niveau: str = "wijk") -> dict[str, list[str]]:
    """Member codes of each focus area in a year (only members the statistics hold), cached
    (a new dict each call)."""
    if focus_frame().empty or not has_statistics(jaar, niveau):
        return {}
    found = _focus_members(*_key(), jaar, niveau)
    return {fid: list(codes) for fid, codes in found.items()}


@_cached(maxsize=16)
def _focus_members(store: str, built: str, jaar: int, niveau: str) -> dict[str, tuple[str, ...]]:
    known = _codes(store, built, jaar, niveau)
    found = members(_focus_frame(store, built), jaar=jaar, niveau=niveau)
    out = {fid: tuple(c for c in codes if c in known) for fid, codes in found.items()}
    return {fid: codes for fid, codes in out.items() if codes}


def export_bundle(
    result: pd.DataFrame,
    jaar: int,
    niveau: str,
    config: ScoringConfig,
    *,
    extra: Mapping[str, object] | None = None,
) -> Bundle:
    """The export of a scored result of the store: data and codebook, made by the same
    recipe as the command line's (:func:`layers.export.bundle`). Every result the app
    shows comes from the composed view of ``jaar`` and ``niveau``: the codebook names every
    edition used (:func:`provenance`)."""
    result = result.copy(deep=False)
    result.attrs["provenance"] = provenance(jaar, niveau, config)
    return bundle(result, manifest(), jaar=jaar, niveau=niveau, config=config, extra=extra)


def area_name(jaar: int, niveau: str, code: str) -> str | None:
    """The name of an area in a year; ``None`` when the store lacks the area or CBS gives
    it no name."""
    if not has_statistics(jaar, niveau):
        return None
    return _names(*_key(), jaar, niveau).get(code)


@_cached(maxsize=32)
def _names(store: str, built: str, jaar: int, niveau: str) -> dict[str, str]:
    stats = _statistics(store, built, jaar, niveau)
    named = stats[stats[schema.NAAM].notna()]
    return dict(zip(named[schema.CODE].astype(str), named[schema.NAAM].astype(str), strict=True))


def area_years(code: str) -> tuple[int, ...]:
    """The years whose statistics hold this code."""
    niveau = schema.niveau_of(code)
    return tuple(j for j in years() if code in _codes(*_key(), j, niveau))


@_cached(maxsize=32)
def _codes(store: str, built: str, jaar: int, niveau: str) -> frozenset[str]:
    if not schema.read_manifest(Path(store)).has("statistics", jaar, niveau):
        return frozenset()
    return frozenset(_statistics(store, built, jaar, niveau)[schema.CODE].astype(str))


NAME_ALIASES: Final[Mapping[str, str]] = {
    "GM0518": "Den Haag",
    "GM0796": "Den Bosch",
}
"""The names people search for gemeenten whose official CBS name differs (by code)."""


def fold(text: str) -> str:
    """A text as search compares it: case-folded, accents dropped (``Súdwest`` → ``sudwest``),
    punctuation as spaces (``'s-Gravenhage`` → ``s gravenhage``), spaces collapsed."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def search_index(jaar: int) -> pd.DataFrame:
    """All areas of a year for search: ``code``, ``naam``, ``niveau``, ``gemeentenaam`` and a
    ``needle`` of name, code and known other name, as :func:`fold` writes them."""
    return _search_index(*_key(), jaar)


@_cached(maxsize=8)
def _search_index(store: str, built: str, jaar: int) -> pd.DataFrame:
    parts = []
    for niveau in schema.MAP_NIVEAUS:
        if not schema.read_manifest(Path(store)).has("statistics", jaar, niveau):
            continue
        stats = _statistics(store, built, jaar, niveau)
        parts.append(
            pd.DataFrame(
                {
                    "code": stats[schema.CODE].astype(str).to_numpy(),
                    "naam": stats[schema.NAAM].fillna(stats[schema.CODE]).astype(str).to_numpy(),
                    "niveau": niveau,
                    "gemeentenaam": stats[schema.GEMEENTENAAM].fillna("").astype(str).to_numpy(),
                    "inwoners": stats[schema.POPULATION].to_numpy(dtype=float, na_value=0.0),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["code", "naam", "niveau", "gemeentenaam", "needle"])
    out = pd.concat(parts, ignore_index=True)
    alias = out["code"].map(NAME_ALIASES).fillna("")
    out["needle"] = (out["naam"] + " " + out["code"] + " " + alias).map(fold)
    return out
