"""Plausibility of transformed data: impossible values never reach the store without a word.

Every transform calls :func:`check_frame` on the frame it built, with the subtables it read
and its column → CBS key mapping; boundary layers go through :func:`check_boundaries`. The
checks read what CBS declares: the ``Unit`` of each topic in ``DataProperties`` chooses a
plausible range (:data:`UNIT_RANGES`: a share lies in 0–100 %, a count is not negative), every
number must be finite and of a sane magnitude, a dimension list (``WijkenEnBuurten``,
``SoortMisdrijf``, …) names each key once, and boundaries lie within the extent of the
Netherlands (the area of use of EPSG:28992) with one feature per code. An impossible value
is refused with :class:`ImplausibleDataError`, naming table, key, code and value; what CBS
itself publishes (a negative median wealth, a topic declared but absent from a partial
extract), and a column the previous build of the table had but this one lacks (a renamed
topic), are stored with a warning. The result, :class:`Checked`, goes into the manifest entry
(``checks``, ``warnings``) and from there into the codebook of every export.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from etl import schema
from etl.errors import SourceFormatError

Action = Literal["reject", "warn"]


@dataclass(frozen=True)
class Range:
    """The plausible values of a CBS unit, and what to do with a value outside them.

    Attributes
    ----------
    low, high
        Bounds (inclusive); ``None`` for none.
    action
        ``"reject"`` (the build fails) or ``"warn"`` (stored, with a warning).
    why
        Says why the range holds, for messages.
    """

    low: float | None
    high: float | None
    action: Action
    why: str


_COUNT: Final = Range(0, None, "reject", "a count or measure cannot be negative")

UNIT_RANGES: Final[Mapping[str, Range]] = {
    "%": Range(0, 100, "reject", "a share lies between 0 and 100 %"),
    "aantal": _COUNT,
    "ha": _COUNT,
    "km": _COUNT,
    "kWh": _COUNT,
    "m³": _COUNT,
    "per km²": _COUNT,
    "aantal inwoners per km²": _COUNT,
    "per 1 000 inwoners": _COUNT,
    "per huishouden": _COUNT,
    "x 1 000 euro": Range(
        0, None, "warn", "CBS publishes negative amounts where debts exceed assets"
    ),
}
"""CBS ``Unit`` (DataProperties) → plausible range; units not listed get only the generic
checks (finite, magnitude)."""

MAX_MAGNITUDE: Final = 1e12
"""No CBS figure of an area comes near this; a larger one (1e308) is a broken value."""

EXTENT_MARGIN_M: Final = 20_000.0
"""Slack around the extent of the Netherlands, in metres."""


PARTS_APART_M: Final = 1_000.0
"""Features sharing a code are parts of one area when each lies this close to the others (a
layer served in pieces); further apart they are two areas under one code, which is refused."""


class ImplausibleDataError(SourceFormatError):
    """A source holds values that cannot be true; the message names table, key, code, value."""


@dataclass(frozen=True)
class Checked:
    """What the plausibility checks of one frame tested and passed, and what they warned of.

    Attributes
    ----------
    passed
        One line per check that ran (``"AantalInwoners_5 (aantal): at least 0"``).
    warnings
        Values stored although they are outside the usual range, with the reason.
    """

    passed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def check_frame(
    frame: pd.DataFrame,
    *,
    table: str,
    subtables: Mapping[str, Sequence[Mapping[str, Any]]],
    columns: Mapping[str, str],
    previous: Mapping[str, str] | None = None,
) -> Checked:
    """Check a transformed frame against what its CBS table declares.

    Call it in every transform, after the frame is built, e.g.
    ``plausibility.check_frame(frame, table="85318NED", subtables=fetched.subtables,
    columns=stem_to_key)``.

    Parameters
    ----------
    frame
        The transformed rows; ``code`` identifies an area in messages where present.
    table
        The CBS table id, for messages.
    subtables
        The subtables fetched: ``DataProperties`` gives each key's unit and the topics the
        table declares; lists of ``{Key, Title}`` rows (dimensions) are checked for keys named
        twice.
    columns
        Column of ``frame`` → the CBS key it was read from; only these columns are checked.
    previous
        The same mapping as the store's previous build of this table recorded it (the
        manifest's ``columns``), if any: a column it had and this frame lacks was renamed or
        dropped at the source, which is reported.

    Returns
    -------
    Checked
        The checks passed and the warnings, for the manifest entry.

    Raises
    ------
    ImplausibleDataError
        For a topic with a numeric unit whose values are text (its Datatype changed), a
        value that is not finite or absurdly large, one outside its unit's range where
        that range is firm, a key declared twice, or a dimension key named twice with
        different titles.
    """
    passed: list[str] = []
    warnings: list[str] = []
    properties = [p for p in subtables.get("DataProperties") or () if isinstance(p, Mapping)]
    units = _units(properties, table)
    for name, rows in subtables.items():
        if name != "DataProperties" and _is_dimension(rows):
            warnings += _check_dimension(rows, table=table, name=name)
    codes = frame.get(schema.CODE)
    for column, key in columns.items():
        if column not in frame:
            continue
        unit = units.get(key, "")
        if not pd.api.types.is_numeric_dtype(frame[column]):
            if unit in UNIT_RANGES:
                raise ImplausibleDataError(
                    f"Table {table}, key {key}: the unit is {unit!r}, but the values are text "
                    f"(DataProperties declares its Datatype as "
                    f"{_datatype(properties, key)!r}); the table's schema changed. Restore "
                    "the table from the mirror or fetch it again live."
                )
            continue
        values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
        _check_finite(values, codes, table=table, key=key)
        rule = UNIT_RANGES.get(unit)
        what = f"{key} ({unit or 'no unit'})"
        if rule is None:
            passed.append(f"{what}: finite, |x| ≤ {MAX_MAGNITUDE:g}")
            continue
        outside = _outside(values, rule)
        if outside.any():
            message = _describe(values, codes, outside, table=table, key=key, unit=unit, rule=rule)
            if rule.action == "reject":
                raise ImplausibleDataError(
                    f"{message} ({rule.why}). The source is damaged or its unit changed: "
                    "restore the file from the mirror or fetch the table again live."
                )
            warnings.append(f"{message}; stored as published ({rule.why}).")
        else:
            passed.append(f"{what}: {_bounds(rule)}")
    declared = {str(p.get("Key")) for p in properties if p.get("Type") == "Topic"}
    numeric = {
        str(p.get("Key"))
        for p in properties
        if p.get("Type") == "Topic" and str(p.get("Unit") or "") in UNIT_RANGES
    }
    absent = sorted(numeric - set(columns.values()))
    if absent and declared:
        warnings.append(
            f"Table {table}: {len(absent)} topics declared in DataProperties are absent from "
            f"the data set (a partial extract, or renamed?), e.g. {absent[:5]}; they are not "
            "stored. A renamed topic needs its old stem in STEM_ALIASES (etl/registry.py)."
        )
    before = previous or {}
    gone = sorted(set(before) - set(columns))
    if gone:
        warnings.append(
            f"Table {table}: {len(gone)} columns of the store's previous build of this table "
            f"are missing now (renamed or dropped at the source?), e.g. "
            f"{[f'{c} ({before[c]})' for c in gone[:5]]}; indicators that read them "
            "are left out. If CBS renamed a topic, map its new stem to the old one in "
            "STEM_ALIASES (etl/registry.py)."
        )
    return Checked(passed=tuple(passed), warnings=tuple(warnings))


def _units(properties: Sequence[Mapping[str, Any]], table: str) -> dict[str, str]:
    units: dict[str, str] = {}
    for p in properties:
        if p.get("Type") != "Topic" or not p.get("Key"):
            continue
        key = str(p["Key"])
        if key in units:
            raise ImplausibleDataError(
                f"Table {table}: DataProperties declares key {key} twice; the metadata is "
                "damaged. Restore it from the mirror or fetch the table again live."
            )
        units[key] = str(p.get("Unit") or "").strip()
    return units


def _datatype(properties: Sequence[Mapping[str, Any]], key: str) -> str:
    return next((str(p.get("Datatype")) for p in properties if p.get("Key") == key), "?")


def _is_dimension(rows: Any) -> bool:
    return (
        isinstance(rows, Sequence)
        and len(rows) > 0
        and all(isinstance(r, Mapping) and "Key" in r and "Title" in r for r in rows[:50])
    )


def _check_dimension(rows: Sequence[Mapping[str, Any]], *, table: str, name: str) -> list[str]:
    titles: dict[str, str] = {}
    repeated: list[str] = []
    for row in rows:
        key = str(row.get("Key") or "").strip()
        title = str(row.get("Title") or "").strip()
        if key not in titles:
            titles[key] = title
        elif titles[key] != title:
            raise ImplausibleDataError(
                f"Table {table}, {name}: key {key!r} is named twice, as {titles[key]!r} and "
                f"{title!r}; which name holds is unknown. Restore the file from the mirror or "
                "fetch the table again live."
            )
        else:
            repeated.append(key)
    if repeated:
        return [
            f"Table {table}, {name}: {len(repeated)} keys are listed twice with the same name, "
            f"e.g. {repeated[:5]}; one copy is used."
        ]
    return []


def _check_finite(values: np.ndarray, codes: pd.Series | None, *, table: str, key: str) -> None:
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & ~(np.abs(values) <= MAX_MAGNITUDE)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ImplausibleDataError(
            f"Table {table}, key {key}: {_values(int(bad.sum()))} not finite or larger than "
            f"{MAX_MAGNITUDE:g}, e.g. {_where(codes, i)}value {float(values[i])!r}. The source is "
            "damaged: restore the file from the mirror or fetch the table again live."
        )


def _outside(values: np.ndarray, rule: Range) -> np.ndarray:
    out = np.zeros(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.low is not None:
            out |= values < rule.low
        if rule.high is not None:
            out |= values > rule.high
    return out


def _bounds(rule: Range) -> str:
    if rule.low is not None and rule.high is not None:
        return f"between {rule.low:g} and {rule.high:g}"
    if rule.low is not None:
        return f"at least {rule.low:g}"
    return f"at most {rule.high:g}"


def _values(n: int) -> str:
    return "1 value is" if n == 1 else f"{n:,} values are"


def _where(codes: pd.Series | None, i: int) -> str:
    return "" if codes is None else f"code {codes.iloc[i]}, "


def _describe(
    values: np.ndarray,
    codes: pd.Series | None,
    outside: np.ndarray,
    *,
    table: str,
    key: str,
    unit: str,
    rule: Range,
) -> str:
    idx = np.flatnonzero(outside)
    examples = ", ".join(f"{_where(codes, int(i))}value {values[int(i)]:g}" for i in idx[:3])
    return (
        f"Table {table}, key {key} (unit {unit}): {_values(len(idx))} not {_bounds(rule)}, "
        f"e.g. {examples}"
    )


@lru_cache(maxsize=1)
def netherlands_extent() -> tuple[float, float, float, float]:
    """Return the extent of the Netherlands in EPSG:28992 metres (``minx, miny, maxx, maxy``):
    the area of use of the CRS (land, Waddenzee and the 12-mile zone) plus
    :data:`EXTENT_MARGIN_M`."""
    area = pyproj.CRS(schema.COMPUTE_CRS).area_of_use
    if area is None:  # pragma: no cover - the EPSG database always has it
        raise RuntimeError(f"{schema.COMPUTE_CRS} has no area of use in the PROJ database")
    to_rd = pyproj.Transformer.from_crs(schema.WEB_CRS, schema.COMPUTE_CRS, always_xy=True)
    minx, miny, maxx, maxy = to_rd.transform_bounds(*area.bounds)
    m = EXTENT_MARGIN_M
    return (minx - m, miny - m, maxx + m, maxy + m)


def check_boundaries(frame: gpd.GeoDataFrame, *, what: str) -> Checked:
    """Check boundary features (``code``, geometry in EPSG:28992) before they are used.

    Raises
    ------
    ImplausibleDataError
        When features sharing a code lie more than :data:`PARTS_APART_M` apart, or a
        feature has coordinates
        that are not finite or lie outside the Netherlands (the message suggests a missing
        or wrong CRS).
    """
    warnings: list[str] = []
    geoms = frame.geometry.to_numpy()
    codes = frame[schema.CODE].astype("string")
    present = ~shapely.is_missing(geoms)
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(bounds).all(axis=1) | ~present | shapely.is_empty(geoms)
    if not finite.all():
        i = int(np.flatnonzero(~finite)[0])
        raise ImplausibleDataError(
            f"{what}: {int((~finite).sum())} features have coordinates that are not numbers "
            f"(NaN or infinite), e.g. code {codes.iloc[i]}. Restore the layer from the mirror or "
            "fetch it again live."
        )
    minx, miny, maxx, maxy = netherlands_extent()
    with np.errstate(invalid="ignore"):
        out = present & ~shapely.is_empty(geoms) & (
            (bounds[:, 0] < minx) | (bounds[:, 1] < miny) | (bounds[:, 2] > maxx)
            | (bounds[:, 3] > maxy)
        )  # fmt: skip
    if out.any():
        i = int(np.flatnonzero(out)[0])
        b = ", ".join(f"{v:,.0f}" for v in bounds[i])
        raise ImplausibleDataError(
            f"{what}: {int(out.sum())} features lie outside the Netherlands, e.g. code "
            f"{codes.iloc[i]} with bounds ({b}) m in {schema.COMPUTE_CRS}; the layer's CRS "
            "may be missing or wrong (a layer without a 'crs' member is read as WGS 84). "
            "Restore the layer from the mirror or fetch it again live."
        )
    dup = codes[codes.duplicated(keep=False)]
    for code in dict.fromkeys(dup.tolist()):
        shapes = geoms[(codes == code).to_numpy()]
        apart = max(
            float(shapely.distance(shape, shapely.union_all(np.delete(shapes, i))))
            for i, shape in enumerate(shapes)
        )
        if apart > PARTS_APART_M:
            raise ImplausibleDataError(
                f"{what}: {len(shapes)} features have code {code}, {apart:,.0f} m apart; merged "
                "they would draw one area across the map. Restore the layer from the mirror "
                "or fetch it again live."
            )
        warnings.append(
            f"{what}: code {code} is served as {len(shapes)} adjacent parts; they are merged."
        )
    checks = (
        f"{what}: coordinates finite and within the Netherlands",
        f"{what}: one feature per code",
    )
    return Checked(passed=checks, warnings=tuple(warnings))
