"""Exports for researchers: the score table, its codebook, and safe CSV bytes.

:func:`export_frame` picks and orders the columns a researcher gets; :func:`codebook`
describes every one of them (definition, unit, CBS table and key, direction) and adds the
scoring parameters and the data vintage, so a result can be reproduced; :func:`to_csv`
writes either flavour (plain: ``,`` and ``.``, UTF-8; Excel: ``;``, decimal comma, UTF-8
with BOM) with text cells neutralised against spreadsheet formula injection; :func:`bundle`
is the one recipe that makes a :class:`Bundle` of data and codebook from a scored result, for
the command line and the app's downloads alike. Pure functions: writing files is the
command line's job (``python -m layers export``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from etl import schema
from layers import constants
from layers.columns import Column, column, is_column, ordered
from layers.config import ScoringConfig
from layers.constants import CODEBOOK_COLUMNS, CRIME_STEM, CRIME_TABLE, FORMULA_PREFIXES, KWB
from layers.crime import crime_period
from layers.derivations import DERIVATIONS
from layers.indicators import (
    INDICATORS,
    SCORED_DOMAINS,
    Indicator,
    carried,
    domain_indicators,
)


def export_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """Return the columns a researcher gets, ``code`` first.

    Parameters
    ----------
    scores
        A scored result: :func:`layers.view.score_view` or ``score_view_groups`` (or
        :func:`layers.scoring.score` / ``score_groups`` on one year's statistics).

    Returns
    -------
    pandas.DataFrame
        ``code``, identity, ``inwoners``, ``stapeling``, ``samengesteld``, the domain
        scores, the flags, then per indicator its value, percentile and (groups) coverage;
        other columns (geometry) are left out. A fresh RangeIndex. Counts and class codes
        are whole numbers (nullable integers), flags ``1``/``0``, and percentiles and scores
        are rounded to :data:`~layers.constants.RANK_DECIMALS` decimals; indicator values
        keep their full precision.
    """
    frame = scores.reset_index() if schema.CODE not in scores.columns else scores.copy()
    frame = frame[ordered(list(frame.columns))].reset_index(drop=True)
    for col in frame.columns:
        kind = column(col).kind
        if kind == "whole":
            frame[col] = frame[col].astype("Float64").round().astype("Int64")
        elif kind == "flag":
            frame[col] = frame[col].astype("boolean").astype("Int8")
        elif kind == "rank":
            frame[col] = frame[col].astype(float).round(constants.RANK_DECIMALS)
    return frame


def vintage(
    manifest: schema.Manifest,
    *,
    jaar: int,
    niveau: str,
    crime_periode: int | None = None,
    provenance: Provenance | None = None,
) -> dict[str, object]:
    """Return the data vintage of an export from the store's manifest.

    Parameters
    ----------
    manifest
        The store's manifest (:func:`etl.schema.read_manifest`).
    jaar, niveau
        The KWB year and level exported.
    crime_periode
        The 47018NED period used (:func:`layers.crime.crime_period`), if any.
    provenance
        For a composed view (``score_view(...).attrs["provenance"]``): the crime period is
        the police edition it used, and ``domains`` lists per domain the editions used.

    Returns
    -------
    dict
        ``jaar``, ``niveau``, ``kwb_table``, ``kwb_title``, ``store_built``,
        ``statistics_file``, ``statistics_sha256``, ``retrieved`` (source → retrieval
        time), ``columns`` (stem → CBS key), ``plausibility_checks`` and
        ``plausibility_warnings`` (what the build checked, and the values it stored although
        they are unusual, :mod:`etl.plausibility`) and, with crime, ``crime_table``,
        ``crime_periode``, ``crime_retrieved``, ``crime_plausibility_warnings``;
        :func:`codebook` reads ``kwb_table`` and ``columns`` for the source of each column.
    """
    if provenance is not None:
        crime_periode = next(
            (int(str(p["edition"])) for p in provenance.values()
             if p.get("source") == schema.POLITIE),
            None,
        )  # fmt: skip
    info = manifest.year(jaar)
    entry = manifest.entry("statistics", jaar, niveau)
    out: dict[str, object] = {
        "jaar": jaar,
        "niveau": niveau,
        "kwb_table": info.table,
        "kwb_title": info.title,
        "store_built": manifest.built,
        "statistics_file": entry.path,
        "statistics_sha256": entry.sha256,
        "retrieved": {s.get("source", "?"): s.get("retrieved", "?") for s in entry.sources},
        "columns": dict(entry.columns),
        "plausibility_checks": list(entry.checks),
        "plausibility_warnings": list(entry.warnings),
    }
    if crime_periode is not None and manifest.has("crime"):
        crime = manifest.entry("crime")
        out["crime_table"] = CRIME_TABLE
        out["crime_periode"] = crime_periode
        out["crime_retrieved"] = "; ".join(s.get("retrieved", "?") for s in crime.sources)
        out["crime_plausibility_warnings"] = list(crime.warnings)
    if provenance is not None:
        domains: dict[str, list[str]] = {}
        for p in provenance.values():
            if p.get("domain") in SCORED_DOMAINS:
                used = f"{p['publisher']} {p['table']} {p['edition']}"
                domains.setdefault(str(p["domain"]), []).append(used)
        out["domains"] = {d: sorted(set(v)) for d, v in domains.items()}
    return out


def _row(column: str, **fields: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(CODEBOOK_COLUMNS, "")
    row.update(kind="column", column=column, **fields)
    return row


Provenance = Mapping[str, Mapping[str, object]]
"""Indicator id → its provenance in a view (``layers.view.Provenance.to_dict``)."""


def _source(
    ind: Indicator, vintage: Mapping[str, object], used: Mapping[str, object] | None
) -> tuple[str, str]:
    """Source table and CBS key(s) of an indicator in this export."""
    keys: Mapping[str, str] = vintage.get("columns") or {}  # type: ignore[assignment]
    if used is not None and used.get("edition") != vintage.get("jaar"):
        keys = {}  # another edition than the export's year: its keys have other suffixes
    if ind.table == CRIME_TABLE:
        periode = vintage.get("crime_periode") if used is None else used.get("edition")
        when = f"; Perioden {periode}JJ00" if periode is not None else ""
        return CRIME_TABLE, (
            f"{CRIME_STEM}_1; SoortMisdrijf {', '.join(ind.soort_misdrijf)}{when}; "
            f"÷ {keys.get(schema.POPULATION, schema.POPULATION)}"
        )
    table = str(vintage.get("kwb_table") or KWB) if used is None else str(used["table"])
    stems = dict.fromkeys((*ind.stems, *ind.denominator_stems))
    return table, " + ".join(keys.get(s, s) for s in stems)


def _declared(col: Column, config: ScoringConfig, niveau: str) -> dict[str, object]:
    """The codebook fields a column's declaration gives (:mod:`layers.columns`)."""
    return {
        "label_nl": col.label_nl, "label_en": col.label_en,
        "definition": col.describe(config, niveau), "unit": col.unit, "unit_en": col.unit_en,
        "direction": col.direction,
    }  # fmt: skip


def _carried_note(domain_id: str, present: set[str]) -> str:
    """Which of a domain's indicators the export carries (for its score's definition)."""
    inds = domain_indicators(domain_id)
    used = [i.id for i in inds if i.id in present]
    left = [i.id for i in inds if i.id not in present]
    carried = (
        f" Indicators this year carries: {', '.join(used)}."
        if used
        else " This year carries none of the domain's indicators: always missing."
    )
    return carried + (f" Left out, not in this year's data: {', '.join(left)}." if left else "")


def _indicator_row(
    ind: Indicator,
    vintage: Mapping[str, object],
    used: Mapping[str, object] | None,
    config: ScoringConfig,
    niveau: str,
) -> dict[str, object]:
    table, key = _source(ind, vintage, used)
    where = {} if used is None else {
        "source": used.get("publisher", ""), "edition": used.get("edition", ""),
        "periode": used.get("periode", ""), "indeling": used.get("indeling", ""),
        "coverage": used.get("coverage", ""),
    }  # fmt: skip
    return _row(
        ind.id,
        **_declared(column(ind.id), config, niveau),
        definition_nl=ind.definition_nl,
        source_table=table,
        cbs_key=key,
        derivation=f"{ind.derivation}: {ind.formula}",
        denominator=ind.denominator or "",
        **where,
    )


def _text(value: object) -> str:
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def codebook(
    columns: Sequence[str],
    *,
    config: ScoringConfig,
    vintage: Mapping[str, object],
    provenance: Provenance | None = None,
    extra: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """Describe every column of an export, then the scoring parameters and data vintage.

    Parameters
    ----------
    columns
        The export's columns (:func:`export_frame`).
    config
        The scoring parameters used.
    vintage
        The data vintage (:func:`vintage`); ``kwb_table`` and ``columns`` (stem → CBS key)
        name the source of each column, and every entry becomes a ``vintage`` row.
    provenance
        For a composed view (``score_view(...).attrs["provenance"]``): per indicator the
        publisher, table, edition, period, indeling and coverage it was taken from.
    extra
        Further parameters of the export (e.g. ``peers``: how the peers were found), one
        ``parameter`` row each.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CODEBOOK_COLUMNS`: one ``column`` row per column (in order), one
        ``parameter`` row per scoring parameter plus ``scoring_config`` (the JSON that
        :meth:`layers.config.ScoringConfig.from_dict` reads back), one ``vintage`` row per
        vintage entry.

    Raises
    ------
    ValueError
        For a column the codebook cannot describe.
    """
    present = set(columns)
    niveau = str(vintage.get("niveau", "the same niveau"))
    by_id = {i.id: i for i in INDICATORS}
    scores = {constants.score_column(d): d for d in SCORED_DOMAINS}
    rows: list[dict[str, object]] = []
    for col in columns:
        if not is_column(col):
            raise ValueError(
                f"The codebook cannot describe column {col!r}; export only the columns "
                "export_frame returns (declared in layers/columns.py)."
            )
        if col in by_id:
            row = _indicator_row(by_id[col], vintage, (provenance or {}).get(col), config, niveau)
        else:
            row = _row(col, **_declared(column(col), config, niveau))
            if col in scores:
                row["definition"] = f"{row['definition']}{_carried_note(scores[col], present)}"
        rows.append(row)
    for name, value in config.to_dict().items():
        rows.append({**_row(name), "kind": "parameter", "value": _text(value)})
    rows.append(
        {
            **_row("scoring_config"),
            "kind": "parameter",
            "definition": "All scoring parameters as JSON (ScoringConfig.from_dict reads it).",
            "value": json.dumps(config.to_dict(), sort_keys=True),
        }
    )
    derivations = {d.id: d.description_en for d in DERIVATIONS.values()}
    rows.append(
        {
            **_row("derivations"),
            "kind": "parameter",
            "definition": "How each derivation computes a value and a group's value.",
            "value": json.dumps(derivations, ensure_ascii=False),
        }
    )
    for name, value in (extra or {}).items():
        rows.append({**_row(name), "kind": "parameter", "value": _text(value)})
    for name, value in vintage.items():
        rows.append({**_row(name), "kind": "vintage", "value": _text(value)})
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS)).astype("string")


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would read as a formula with ``'``, also when the
    formula hides behind invisible format characters (U+200B, U+FEFF, any Unicode ``Cf``)."""
    if isinstance(value, str) and _visible(value).startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _visible(text: str) -> str:
    """The text from its first character that is not an invisible format character."""
    for i, char in enumerate(text):
        if unicodedata.category(char) != "Cf":
            return text[i:]
    return ""


def to_csv(frame: pd.DataFrame, *, excel: bool = False) -> bytes:
    """Return a frame as CSV bytes, safe against spreadsheet formula injection.

    Parameters
    ----------
    frame
        Typically :func:`export_frame` or :func:`codebook`; the index is not written.
    excel
        ``False``: ``,`` separator, decimal point, UTF-8. ``True``: ``;`` separator,
        decimal comma, UTF-8 with BOM, as Dutch Excel reads it. Lines end in ``\\r\\n``.

    Returns
    -------
    bytes
        Text cells (and headers) beginning with ``=``, ``+``, ``-``, ``@``, tab or
        carriage return, also after invisible format characters, are prefixed with ``'``;
        numbers are written in full precision (missing values as empty cells), so
        :func:`pandas.read_csv` reads them back exactly.
    """
    safe = frame.copy()
    for col in safe.columns:
        if not (pd.api.types.is_numeric_dtype(safe[col]) or pd.api.types.is_bool_dtype(safe[col])):
            safe[col] = safe[col].map(neutralise, na_action="ignore")
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    text = safe.to_csv(
        index=False,
        sep=";" if excel else ",",
        decimal="," if excel else ".",
        lineterminator="\r\n",  # RFC 4180; also makes the writer quote cells holding \r
    )
    return text.encode("utf-8-sig" if excel else "utf-8")


CODEBOOK_TAG: Final = ".codebook"
"""What a codebook's file name adds to its data file's stem (``scores.csv`` →
``scores.codebook.csv``), for the command line and the app's downloads alike."""

EXCEL_TAG: Final = "_excel"
"""What the Excel flavour's file name adds to the stem (``scores_excel.csv``)."""


def data_name(stem: str, *, excel: bool = False) -> str:
    """The file name of an export's data in a flavour (see :data:`EXCEL_TAG`)."""
    return f"{stem}{EXCEL_TAG if excel else ''}.csv"


def codebook_name(data_name: str) -> str:
    """The file name of the codebook that goes with a data file (see :data:`CODEBOOK_TAG`)."""
    stem, dot, suffix = data_name.rpartition(".")
    return f"{stem}{CODEBOOK_TAG}.{suffix}" if dot and stem else f"{data_name}{CODEBOOK_TAG}"


@dataclass(frozen=True)
class Bundle:
    """A research export: the data and the codebook that describes it, always together.

    Attributes
    ----------
    data
        The exported columns (:func:`export_frame`).
    codebook
        Its codebook (:func:`codebook`), with the scoring parameters and data vintage.
    """

    data: pd.DataFrame
    codebook: pd.DataFrame


def bundle(
    result: pd.DataFrame,
    manifest: schema.Manifest,
    *,
    jaar: int,
    niveau: str,
    config: ScoringConfig,
    stats: pd.DataFrame | None = None,
    crime: pd.DataFrame | None = None,
    extra: Mapping[str, object] | None = None,
) -> Bundle:
    """Make the export of a scored result: its columns and a codebook with the parameters
    and the data vintage (the one recipe for the command line and the app).

    A composed view (``score_view``) carries its provenance, which names every edition; for
    a result scored from one year's statistics alone (``score``, ``score_groups``) give
    ``stats`` and ``crime``, so the police period it used is recorded when it used one.
    ``extra`` adds rows to the codebook (see :func:`codebook`).
    """
    provenance = result.attrs.get("provenance")
    periode = None
    if (
        provenance is None
        and stats is not None
        and crime is not None
        and any(i.misdrijf_groep for i in carried(stats, crime, max_age=config.max_age))
    ):
        periode = crime_period(crime, jaar, config.max_age)
    used = vintage(manifest, jaar=jaar, niveau=niveau, crime_periode=periode, provenance=provenance)
    frame = export_frame(result)
    book = codebook(
        list(frame.columns), config=config, vintage=used, provenance=provenance, extra=extra
    )
    return Bundle(frame, book)
