"""The 20 NPLV focus areas (focusgebieden) as groups of CBS areas.

The project defines them in ``data/focusgebieden.csv``; the ETL loads that file into the
store and :func:`etl.schema.read_focusgebieden` reads it (columns
:data:`etl.schema.FOCUS_COLUMNS`): per focus area and indeling year the member codes, their
niveau, a ``zekerheid`` (``bevestigd`` or ``onzeker``) and the source. A KWB year uses the
indeling of the same year, else the latest earlier one; a year before every indeling of a
focus area uses its first indeling (codes that year does not know simply match no area, so
the 2019 Amsterdam wijken, whose codes the 2022 indeling kept, are found).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from etl import schema
from layers.constants import ONZEKER
from layers.errors import MissingColumnError, ScoringInputError

_NIVEAUS = ("wijk", "buurt")


def _check(focus: pd.DataFrame) -> None:
    missing = [c for c in schema.FOCUS_COLUMNS if c not in focus.columns]
    if missing:
        raise MissingColumnError(
            f"The focus-area table lacks columns {missing}; pass the frame that "
            "etl.schema.read_focusgebieden returns."
        )


def _indeling(focus: pd.DataFrame, jaar: int) -> pd.DataFrame:
    """Rows of the indeling that fits KWB year ``jaar``, per focus area: the same year, else
    the latest earlier one, else the first one."""
    years = pd.to_numeric(focus[schema.INDELING_JAAR], errors="coerce")
    rows = focus.assign(**{schema.INDELING_JAAR: years})
    # Earlier (or equal) indelingen rank by closeness; later ones only after all of them.
    distance = (jaar - years).where(years <= jaar, 10_000 + (years - jaar))
    best = distance.groupby(rows[schema.FOCUSGEBIED_ID]).transform("min")
    return rows[distance == best]


def members(
    focus: pd.DataFrame,
    *,
    jaar: int,
    niveau: str,
    areas: Iterable[str] | None = None,
) -> dict[str, list[str]]:
    """Return the member codes of each focus area for a KWB year and niveau.

    Parameters
    ----------
    focus
        The focus-area definition (:func:`etl.schema.read_focusgebieden`).
    jaar
        The KWB year; the indeling of that year is used, else the latest earlier one, else
        the first one.
    niveau
        ``wijk`` or ``buurt``. A focus area defined by buurten in that indeling (Rotterdam-
        Zuid in 2024: seven NPRZ buurten inside its two member wijken) gives those buurten;
        at niveau wijk it gives its wijk members.
    areas
        Optional codes of all areas of ``niveau`` in that year (e.g. ``stats["code"]``).
        At niveau buurt, a focus area defined only by wijken is then expanded into the
        buurten of those wijken; without ``areas`` such focus areas are left out.

    Returns
    -------
    dict
        focusgebied_id → sorted member codes, in the order of the definition file; focus
        areas without members for this year and niveau are left out.

    Raises
    ------
    layers.errors.ScoringInputError
        For a niveau other than wijk or buurt.
    """
    _check(focus)
    if niveau not in _NIVEAUS:
        raise ScoringInputError(
            f"Focus areas are groups of wijken or buurten; niveau {niveau!r} is not one of "
            f"{', '.join(_NIVEAUS)}."
        )
    rows = _indeling(focus, jaar)
    by_niveau = rows.groupby([schema.FOCUSGEBIED_ID, schema.NIVEAU], sort=False)[schema.CODE]
    own = {k: sorted(set(map(str, v))) for k, v in by_niveau}
    buurten_of: dict[str, list[str]] = {}
    if niveau == "buurt" and areas is not None:
        for code in map(str, areas):
            wijk = schema.wijk_of(code)
            if wijk is not None:
                buurten_of.setdefault(wijk, []).append(code)
    out: dict[str, list[str]] = {}
    for fid in pd.unique(rows[schema.FOCUSGEBIED_ID]):
        codes = own.get((fid, niveau))
        if codes is None and niveau == "buurt" and buurten_of:
            wijken = own.get((fid, "wijk"), [])
            codes = sorted(b for w in wijken for b in buurten_of.get(w, []))
        if codes:
            out[str(fid)] = codes
    return out


def overview(focus: pd.DataFrame) -> pd.DataFrame:
    """Return one row per focus area.

    Returns
    -------
    pandas.DataFrame
        Columns ``focusgebied_id``, ``focusgebied`` (name), ``gemeente_code``,
        ``zekerheid`` (``onzeker`` if any member in any indeling is, else ``bevestigd``)
        and ``bron`` (the distinct sources joined by ``; ``), in the order of the file.
    """
    _check(focus)
    grouped = focus.groupby(schema.FOCUSGEBIED_ID, sort=False)
    out = grouped.agg(
        **{
            schema.FOCUSGEBIED: (schema.FOCUSGEBIED, "first"),
            schema.GEMEENTE_CODE: (schema.GEMEENTE_CODE, "first"),
            schema.ZEKERHEID: (
                schema.ZEKERHEID,
                lambda s: ONZEKER if (s == ONZEKER).any() else str(s.iloc[0]),
            ),
            schema.BRON: (schema.BRON, lambda s: "; ".join(dict.fromkeys(map(str, s.dropna())))),
        }
    )
    return out.reset_index().astype("string")
