"""Turn CBS OData rows into the store's frames: one row per area, harmonised key stems.

Pure functions on the subtables that :mod:`etl.cbs` fetched: they strip padding, derive the
niveau from the code prefix (2017 has Nuenen rows with an empty ``SoortRegio_2``), turn
suppressed values into NaN, validate codes and uniqueness, and name every column by its key
stem (:func:`etl.registry.stem`) so one name serves every year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd

from etl import schema
from etl.errors import SourceFormatError
from etl.registry import REGION_KEYS, stem

NUMERIC_TYPES: Final = frozenset({"Long", "Double", "Integer", "Float", "Decimal", "Short"})
"""``Datatype`` values of DataProperties that hold numbers."""

MISSING_SYMBOLS: Final = frozenset({"", ".", "x", "-", "?"})
"""Symbols CBS uses in untyped answers for missing or secret figures; they become NaN."""

_DROP_KEYS: Final = frozenset({"ID"})


def topic_keys(properties: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Return the ``Datatype`` of every topic key in a table's DataProperties.

    Parameters
    ----------
    properties
        Rows of the ``DataProperties`` subtable.
    """
    return {
        str(p["Key"]): str(p.get("Datatype") or "")
        for p in properties
        if p.get("Type") == "Topic" and p.get("Key")
    }


def column_names(keys: Sequence[str]) -> dict[str, str]:
    """Name each CBS key by its harmonised stem; a stem that recurs within one table (2024
    has ``Nederland_17`` under herkomstland and ``Nederland_20`` under geboren in Nederland)
    gets ``__2``, ``__3`` in order of appearance.

    Returns
    -------
    dict
        CBS key → store column name, in the order of ``keys``.
    """
    seen: dict[str, int] = {}
    names: dict[str, str] = {}
    for key in keys:
        base = stem(key)
        seen[base] = seen.get(base, 0) + 1
        names[key] = base if seen[base] == 1 else f"{base}__{seen[base]}"
    return names


def _strip(values: pd.Series) -> pd.Series:
    text: pd.Series = values.astype("string").str.strip()
    return text.mask(text.eq(""))


def _numeric(values: pd.Series, key: str, table: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64")
    text = values.astype("string").str.strip()
    out = pd.to_numeric(text.where(~text.isin(MISSING_SYMBOLS)), errors="coerce")
    bad = text[out.isna() & text.notna() & ~text.isin(MISSING_SYMBOLS)]
    if len(bad):
        raise SourceFormatError(
            f"Table {table}, column {key}: {len(bad)} values are not numbers "
            f"(e.g. {bad.iloc[0]!r}); the table's schema may have changed."
        )
    return out.astype("float64")


def validate_codes(codes: pd.Series, *, what: str, unique: bool = True) -> None:
    """Check that every code is a valid CBS region code and, with ``unique``, occurs once.

    Raises
    ------
    SourceFormatError
        Naming up to five offending codes.
    """
    valid = codes.astype("string").fillna("").str.match(schema.CODE_PATTERN.pattern)
    if not valid.all():
        bad = codes[~valid].head(5).tolist()
        raise SourceFormatError(f"{what}: {int((~valid).sum())} invalid region codes, e.g. {bad}.")
    if not unique:
        return
    dup = codes[codes.duplicated()]
    if len(dup):
        raise SourceFormatError(
            f"{what}: {len(dup)} areas occur more than once, e.g. {dup.head(5).tolist()}."
        )


def _data_rows(subtables: Mapping[str, Sequence[Mapping[str, Any]]], table: str) -> pd.DataFrame:
    """The rows of a table's data set, after checking it and its DataProperties are there."""
    for required in ("TypedDataSet", "DataProperties"):
        if required not in subtables:
            raise SourceFormatError(f"Table {table} has no {required} subtable.")
    rows = pd.DataFrame.from_records(list(subtables["TypedDataSet"]))
    if rows.empty:
        raise SourceFormatError(f"Table {table}: TypedDataSet has no rows.")
    return rows


def kwb_frame(
    subtables: Mapping[str, Sequence[Mapping[str, Any]]], *, table: str, jaar: int
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Build the statistics of all areas of one KWB table.

    Parameters
    ----------
    subtables
        ``TypedDataSet`` and ``DataProperties`` rows, and ``WijkenEnBuurten`` (area names)
        where the source has it.
    table
        CBS table id, e.g. ``85318NED``; used in messages.
    jaar
        The KWB year.

    Returns
    -------
    frame, columns
        One row per area with :data:`etl.schema.IDENTITY_COLUMNS` then one float column per
        topic stem (CBS units); and stem → CBS key of every topic column.

    Raises
    ------
    SourceFormatError
        For a missing subtable, a column that DataProperties does not declare (a changed
        schema), a non-numeric value in a numeric column, or invalid or duplicate codes.
    """
    rows = _data_rows(subtables, table)
    declared = topic_keys(subtables["DataProperties"])
    region = {k: REGION_KEYS[stem(k)] for k in rows.columns if stem(k) in REGION_KEYS}
    if "code" not in region.values():
        raise SourceFormatError(f"Table {table}: no WijkenEnBuurten column in TypedDataSet.")
    undeclared = [
        k for k in rows.columns if k not in declared and k not in region and k not in _DROP_KEYS
    ]
    if undeclared:
        raise SourceFormatError(
            f"Table {table}: columns {undeclared[:5]} are not in DataProperties; the table's "
            "schema changed. Update etl/registry.py (STEM_ALIASES) if a topic was renamed."
        )
    topics = [k for k in rows.columns if k in declared and k not in region]
    names = column_names(topics)

    ident = rows[list(region)].rename(columns=region)
    codes = _strip(ident["code"]).astype(object)
    validate_codes(codes, what=f"Table {table}")
    out = pd.DataFrame(
        {
            schema.CODE: codes.astype("string"),
            schema.NAAM: _area_names(subtables.get("WijkenEnBuurten"), codes),
            schema.NIVEAU: codes.map(lambda c: schema.PREFIX_NIVEAU[c[:2]]).astype("string"),
            schema.JAAR: np.full(len(rows), jaar, dtype="int64"),
            schema.GEMEENTE_CODE: codes.map(schema.gemeente_of).astype("string"),
            schema.GEMEENTENAAM: _strip(ident["gemeentenaam"])
            if "gemeentenaam" in ident
            else pd.Series(pd.NA, index=rows.index, dtype="string"),
            schema.WIJK_CODE: codes.map(schema.wijk_of).astype("string"),
        }
    )
    values = {
        names[k]: _numeric(rows[k], k, table) if declared[k] in NUMERIC_TYPES else _strip(rows[k])
        for k in topics
    }
    out = pd.concat([out, pd.DataFrame(values, index=rows.index)], axis=1)
    if schema.POPULATION not in out:
        raise SourceFormatError(f"Table {table}: no AantalInwoners column; cannot use it.")
    # A gemeente's own row names it; where the name list is missing use that.
    gm = out[schema.NIVEAU] == "gemeente"
    out.loc[gm, schema.NAAM] = out.loc[gm, schema.NAAM].fillna(out.loc[gm, schema.GEMEENTENAAM])
    land = out[schema.NIVEAU] == "land"
    out.loc[land, schema.NAAM] = out.loc[land, schema.NAAM].fillna("Nederland")
    out = out.sort_values(schema.CODE, kind="stable").reset_index(drop=True)
    return out, {names[k]: k for k in topics}


def _area_names(
    wijken_en_buurten: Sequence[Mapping[str, Any]] | None, codes: pd.Series
) -> pd.Series:
    if not wijken_en_buurten:
        return pd.Series(pd.NA, index=codes.index, dtype="string")
    titles = {
        str(r["Key"]).strip(): str(r.get("Title") or "").strip() or None for r in wijken_en_buurten
    }
    return codes.map(titles).astype("string")


def crime_frame(
    subtables: Mapping[str, Sequence[Mapping[str, Any]]], *, table: str
) -> pd.DataFrame:
    """Build the long table of police-registered crime from CBS 47018NED.

    Keeps yearly periods (``2023JJ00``) and the crime types of
    :data:`etl.schema.CRIME_GROUPS`; codes are stripped and validated.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`etl.schema.CRIME_COLUMNS`; ``aantal`` is a count (float, NaN where
        suppressed), ``periode`` the calendar year.
    """
    if "TypedDataSet" not in subtables:
        raise SourceFormatError(f"Table {table} has no TypedDataSet subtable.")
    rows = pd.DataFrame.from_records(list(subtables["TypedDataSet"]))
    if rows.empty:  # no rows for the periods asked: no figures, not an error
        return pd.DataFrame(
            {
                schema.CODE: pd.Series(dtype="string"),
                schema.PERIODE: pd.Series(dtype="int64"),
                schema.MISDRIJF_SOORT: pd.Series(dtype="string"),
                schema.MISDRIJF_AANTAL: pd.Series(dtype="float64"),
            }
        )
    value_keys = [k for k in rows.columns if stem(k) == schema.CRIME_STEM]
    needed = {"WijkenEnBuurten", "Perioden", "SoortMisdrijf"}
    if not value_keys or not needed <= set(rows.columns):
        raise SourceFormatError(
            f"Table {table}: expected columns WijkenEnBuurten, Perioden, SoortMisdrijf and "
            f"GeregistreerdeMisdrijven_*, got {list(rows.columns)[:8]}; the schema changed."
        )
    wanted = {c for group in schema.CRIME_GROUPS.values() for c in group}
    soort = _strip(rows["SoortMisdrijf"])
    periode = _strip(rows["Perioden"])
    keep = soort.isin(wanted) & periode.str.fullmatch(r"\d{4}JJ00").fillna(False).astype(bool)
    codes = _strip(rows["WijkenEnBuurten"]).astype(object)
    out = pd.DataFrame(
        {
            schema.CODE: codes[keep].astype("string"),
            schema.PERIODE: periode[keep].str[:4].astype("int64"),
            schema.MISDRIJF_SOORT: soort[keep],
            schema.MISDRIJF_AANTAL: _numeric(rows.loc[keep, value_keys[0]], value_keys[0], table),
        }
    ).reset_index(drop=True)
    validate_codes(out[schema.CODE], what=f"Table {table}", unique=False)
    key = [schema.CODE, schema.PERIODE, schema.MISDRIJF_SOORT]
    if out.duplicated(key).any():
        raise SourceFormatError(f"Table {table}: an area, period and crime type occur twice.")
    return out.sort_values(key).reset_index(drop=True)


def source_frame(
    subtables: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    table: str,
    periode: str,
    selection: Mapping[str, str],
) -> pd.DataFrame:
    """Build one edition of an area-level source that is not KWB (RIVM 50090NED).

    Keeps the rows of the edition's period and of the dimension selection (``Leeftijd``
    20300, ``Marges`` MW00000), strips padding, writes RIVM's ``NL01`` for Nederland as the
    store's ``NL00``, and turns every numeric topic into a float column named by its stem;
    suppressed values (``null`` in the typed data set, ``.`` and the other
    :data:`MISSING_SYMBOLS` in the untyped one) become NaN.

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``niveau``, then one float column per topic stem; one row per
        area, sorted by code.

    Raises
    ------
    SourceFormatError
        For a missing subtable or selection column, an undeclared column, a non-numeric
        value, or invalid or duplicate codes.
    """
    rows = _data_rows(subtables, table)
    wanted = {"Perioden": periode, **selection} if periode else dict(selection)
    missing = [d for d in (*wanted, "WijkenEnBuurten") if d not in rows.columns]
    if missing:
        raise SourceFormatError(
            f"Table {table}: dimensions {missing} are missing from TypedDataSet; the schema "
            "changed. Update the source's selection in etl/schema.py SOURCES."
        )
    keep = pd.Series(True, index=rows.index)
    for dim, key in wanted.items():
        keep &= _strip(rows[dim]).eq(key).fillna(False).astype(bool)
    rows = rows[keep].reset_index(drop=True)
    if rows.empty:
        raise SourceFormatError(
            f"Table {table} has no rows for {', '.join(f'{d} {k}' for d, k in wanted.items())}."
        )
    declared = topic_keys(subtables["DataProperties"])
    dimensions = {"ID", "WijkenEnBuurten", *wanted}
    undeclared = [k for k in rows.columns if k not in declared and k not in dimensions]
    if undeclared:
        raise SourceFormatError(
            f"Table {table}: columns {undeclared[:5]} are not in DataProperties; the table's "
            "schema changed."
        )
    topics = [
        k
        for k in rows.columns
        if k in declared and declared[k] in NUMERIC_TYPES and stem(k) not in REGION_KEYS
    ]
    codes = _strip(rows["WijkenEnBuurten"]).replace(schema.RIVM_NL, "NL00").astype(object)
    validate_codes(codes, what=f"Table {table}")
    names = column_names(topics)
    out = pd.DataFrame(
        {
            schema.CODE: codes.astype("string"),
            schema.NIVEAU: codes.map(lambda c: schema.PREFIX_NIVEAU[c[:2]]).astype("string"),
            **{names[k]: _numeric(rows[k], k, table) for k in topics},
        }
    )
    return out.sort_values(schema.CODE, kind="stable").reset_index(drop=True)
