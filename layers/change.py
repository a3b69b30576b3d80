"""Change between two editions: what got better or worse, per indicator and area.

CBS keeps an area's code only while the area keeps its boundaries; a changed area gets a new
code. So a change is computed only for codes present in both editions (``beide``), in the
indicator's own unit (:data:`~layers.constants.VERSCHIL`) and as movement of the area's
percentile rank within each edition (:data:`~layers.constants.PERCENTIEL_VERSCHIL`). A code
only in the later edition is ``nieuw``, one only in the earlier edition ``vervallen``: shown
as such, never as zero change. A value suppressed (or below the minimum population) in
either edition leaves the change missing (class ``onbekend``). A code that disappears and
reappears is compared wherever both editions compared hold it.

:func:`classify` turns a change into diverging classes worded by the indicator's direction
(better / worse; higher / lower for context indicators), with breaks in units of the
earlier edition's interquartile range (:func:`layers.peers.robust_scale`);
:func:`movers` lists the biggest changes (e.g. per gemeente), and :func:`persistence` the
share of codes kept between editions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Final

import numpy as np
import pandas as pd

from etl import schema
from layers import constants
from layers.constants import (
    BEIDE,
    HOGER_BETER,
    HOGER_SLECHTER,
    KLASSE,
    NIEUW,
    PERCENTIEL_TOT,
    PERCENTIEL_VAN,
    PERCENTIEL_VERSCHIL,
    STATUS,
    VERSCHIL,
    VERVALLEN,
    WAARDE_TOT,
    WAARDE_VAN,
)
from layers.errors import ChangeError
from layers.indicators import Indicator, get_indicator
from layers.peers import robust_scale
from layers.scoring import place

BREAKS: Final[tuple[float, float]] = (0.1, 0.5)
"""Default class breaks, in interquartile ranges of the earlier edition: a change smaller
than 0.1 IQR is ``gelijk``, from 0.5 IQR it is ``veel``."""

ONBEKEND: Final = "onbekend"
"""Class of an area in both editions whose change is missing (suppressed in one)."""

CLASSES: Final[Mapping[str, tuple[str, ...]]] = {
    HOGER_SLECHTER: ("veel_beter", "beter", "gelijk", "slechter", "veel_slechter"),
    HOGER_BETER: ("veel_beter", "beter", "gelijk", "slechter", "veel_slechter"),
    constants.NEUTRAAL: ("veel_lager", "lager", "gelijk", "hoger", "veel_hoger"),
}
"""The diverging classes per direction, from the best (or lowest) to the worst (highest)."""

OTHER_CLASSES: Final[tuple[str, ...]] = (ONBEKEND, NIEUW, VERVALLEN)
"""Classes of areas without a change: missing in one edition, new code, code gone."""


def class_order(indicator: Indicator) -> tuple[str, ...]:
    """All classes of an indicator's change, diverging classes first (for legends)."""
    return (*CLASSES[indicator.direction], *OTHER_CLASSES)


def _values(view: pd.DataFrame, ind: Indicator) -> pd.Series:
    """The indicator's values, missing where the area is too small to be scored."""
    if ind.id not in view.columns:
        return pd.Series(np.nan, index=view.index, dtype="float64")
    values = view[ind.id].astype("float64")
    if constants.TE_WEINIG_INWONERS in view.columns:
        values = values.mask(view[constants.TE_WEINIG_INWONERS].fillna(True).astype(bool))
    if ind.min_population and constants.INWONERS in view.columns:
        values = values.where(view[constants.INWONERS] >= ind.min_population)
    return values


def _percentile(values: pd.Series) -> np.ndarray:
    """Mid-rank percentile of each value among all values of its edition (100 = highest)."""
    v = values.to_numpy(dtype="float64")
    groups = np.zeros(len(v), dtype="int64")
    return place(v, groups, v, groups)


def _niveau(view: pd.DataFrame) -> str | None:
    if schema.NIVEAU not in view.columns:
        return None
    found = sorted(map(str, pd.unique(view[schema.NIVEAU].dropna())))
    return found[0] if len(found) == 1 else None


def change(
    before: pd.DataFrame,
    after: pd.DataFrame,
    indicator: str,
    *,
    breaks: tuple[float, float] = BREAKS,
) -> pd.DataFrame:
    """Return the change of one indicator between two editions for every area of either.

    Parameters
    ----------
    before, after
        Views of the same niveau in two editions, as :func:`layers.scoring.score` returns
        them (index ``code``).
    indicator
        Id of the indicator (:data:`layers.indicators.INDICATORS`).
    breaks
        Class breaks of :func:`classify`.

    Returns
    -------
    pandas.DataFrame
        Index ``code``: the codes of ``after``, then the codes only ``before`` has. Columns
        ``naam``, ``gemeente_code``, ``gemeentenaam`` (from the later edition where it has
        the code); ``status``; ``waarde_van``, ``waarde_tot`` (in the indicator's unit);
        ``verschil`` (``waarde_tot − waarde_van``, only for ``beide``); ``percentiel_van``,
        ``percentiel_tot`` (mid-rank among the areas of that edition with a value, 100 =
        highest value) and ``percentiel_verschil``; ``klasse`` (:func:`classify`).
        ``attrs`` holds ``indicator``, ``jaar_van``, ``jaar_tot`` and ``schaal`` (the IQR
        the breaks are measured in).

    Raises
    ------
    layers.errors.UnknownIndicatorError
        For an id the registry does not hold.
    layers.errors.ChangeError
        When the editions hold different niveaus or neither carries the indicator.
    """
    ind = get_indicator(indicator)
    niveaus = {_niveau(before), _niveau(after)}
    if len(niveaus) != 1 or None in niveaus:
        raise ChangeError(
            f"Compare editions of one niveau; got {sorted(map(str, niveaus))}. Pass two views "
            "of the same niveau (e.g. wijk 2022 and wijk 2024)."
        )
    missing = [
        str(_year(v)) for v in (before, after) if ind.id not in v.columns or v[ind.id].isna().all()
    ]
    if missing:
        raise ChangeError(
            f"Indicator {ind.id!r} has no values in {' and '.join(missing)}; choose an indicator "
            "both editions carry."
        )
    codes = after.index.append(before.index.difference(after.index, sort=False))
    van = _values(before, ind).reindex(codes)
    tot = _values(after, ind).reindex(codes)
    in_before = before.index.get_indexer(codes) >= 0
    in_after = after.index.get_indexer(codes) >= 0
    status = np.where(in_before & in_after, BEIDE, np.where(in_after, NIEUW, VERVALLEN))
    both = status == BEIDE
    pct_van = pd.Series(_percentile(_values(before, ind)), index=before.index).reindex(codes)
    pct_tot = pd.Series(_percentile(_values(after, ind)), index=after.index).reindex(codes)
    out = pd.DataFrame(index=pd.Index(codes, name=schema.CODE))
    for col in (schema.NAAM, schema.GEMEENTE_CODE, schema.GEMEENTENAAM):
        later = after[col] if col in after.columns else pd.Series(dtype="string")
        earlier = before[col] if col in before.columns else pd.Series(dtype="string")
        out[col] = (
            later.reindex(codes).astype("string").fillna(earlier.reindex(codes).astype("string"))
        )
    out[STATUS] = pd.Categorical(status, categories=[BEIDE, NIEUW, VERVALLEN])
    out[WAARDE_VAN] = van.to_numpy()
    out[WAARDE_TOT] = tot.to_numpy()
    out[VERSCHIL] = np.where(both, tot.to_numpy() - van.to_numpy(), np.nan)
    out[PERCENTIEL_VAN] = pct_van.to_numpy()
    out[PERCENTIEL_TOT] = pct_tot.to_numpy()
    out[PERCENTIEL_VERSCHIL] = np.where(both, pct_tot.to_numpy() - pct_van.to_numpy(), np.nan)
    _, iqr = robust_scale(_values(before, ind).to_frame())
    scale = float(iqr.iloc[0])
    out[KLASSE] = classify(out[VERSCHIL], out[STATUS], ind, scale=scale, breaks=breaks)
    out.attrs.update(indicator=ind.id, jaar_van=_year(before), jaar_tot=_year(after), schaal=scale)
    return out


def _year(view: pd.DataFrame) -> int | None:
    if schema.JAAR not in view.columns or view[schema.JAAR].isna().all():
        return None
    return int(view[schema.JAAR].dropna().iloc[0])


def classify(
    verschil: pd.Series,
    status: pd.Series,
    indicator: Indicator,
    *,
    scale: float,
    breaks: tuple[float, float] = BREAKS,
) -> pd.Series:
    """Return the diverging class of each change.

    Parameters
    ----------
    verschil
        Change in the indicator's unit (missing where unknown).
    status
        ``beide``, ``nieuw`` or ``vervallen`` per area.
    indicator
        Its direction words the classes: for ``hoger_slechter`` a rise is ``slechter``, for
        ``hoger_beter`` a rise is ``beter``, for context a rise is ``hoger``.
    scale
        The unit of the breaks (e.g. the earlier edition's IQR); must be above 0.
    breaks
        ``(small, large)``: ``|verschil| < small × scale`` is ``gelijk``, from
        ``large × scale`` the class is ``veel_…``.

    Returns
    -------
    pandas.Series
        Categorical with categories :func:`class_order`; ``nieuw`` and ``vervallen`` for
        codes in one edition only, ``onbekend`` for a missing change.
    """
    small, large = breaks
    if not (0 <= small < large) or not np.isfinite(large):
        raise ChangeError(f"Class breaks must satisfy 0 ≤ small < large; got {breaks}.")
    if not (np.isfinite(scale) and scale > 0):
        raise ChangeError(f"The scale of the class breaks must be above 0; got {scale}.")
    labels = CLASSES[indicator.direction]
    d = verschil.to_numpy(dtype="float64") / scale
    if indicator.direction == HOGER_BETER:
        d = -d  # a rise is better: orient so that positive = worse
    idx = np.select([d <= -large, d <= -small, d < small, d < large], [0, 1, 2, 3], default=4)
    cls = np.array(labels, dtype=object)[idx]
    state = status.astype("string").to_numpy()
    cls = np.where(np.isnan(d), ONBEKEND, cls)
    cls = np.where(state == NIEUW, NIEUW, np.where(state == VERVALLEN, VERVALLEN, cls))
    return pd.Series(
        pd.Categorical(cls, categories=list(class_order(indicator)), ordered=False),
        index=verschil.index,
    )


def movers(frame: pd.DataFrame, *, gemeente: str | None = None, n: int = 10) -> pd.DataFrame:
    """Return the biggest changes: areas in both editions, largest ``|verschil|`` first.

    Parameters
    ----------
    frame
        The result of :func:`change`.
    gemeente
        Only the areas of this gemeente code (``GM0344``).
    n
        Number of areas.
    """
    if n < 1:
        raise ChangeError(f"Ask for at least 1 area; got n={n}.")
    rows = frame[(frame[STATUS] == BEIDE) & frame[VERSCHIL].notna()]
    if gemeente is not None:
        if gemeente not in set(frame[schema.GEMEENTE_CODE].dropna()):
            raise ChangeError(
                f"No area of gemeente {gemeente!r} in these editions; write a code like GM0344."
            )
        rows = rows[rows[schema.GEMEENTE_CODE] == gemeente]
    order = rows[VERSCHIL].abs().sort_values(ascending=False, kind="stable")
    return rows.loc[order.index[:n]]


def persistence(codes: Mapping[int, Sequence[str] | pd.Index]) -> pd.DataFrame:
    """Return the share of codes kept between every pair of editions, and through all.

    Parameters
    ----------
    codes
        Edition year → the area codes of one niveau in that edition.

    Returns
    -------
    pandas.DataFrame
        One row per pair of years (earlier first) and a last row ``van`` = first year,
        ``tot`` = ``"alle"`` for the codes present in every edition. Columns ``van``,
        ``tot``, ``n_van``, ``n_tot``, ``n_beide`` and ``aandeel_van`` (``n_beide ÷
        n_van``: the share of the earlier edition's codes that persist) and ``aandeel_tot``
        (the share of the later edition's codes that existed before).
    """
    if len(codes) < 2:
        raise ChangeError("Give at least two editions to compare codes.")
    sets = {int(y): set(map(str, c)) for y, c in sorted(codes.items())}
    rows = []
    for a, b in combinations(sets, 2):
        both = sets[a] & sets[b]
        rows.append((a, str(b), len(sets[a]), len(sets[b]), len(both)))
    years = list(sets)
    all_through = set.intersection(*sets.values())
    rows.append((years[0], "alle", len(sets[years[0]]), len(sets[years[-1]]), len(all_through)))
    out = pd.DataFrame(rows, columns=["van", "tot", "n_van", "n_tot", "n_beide"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["aandeel_van"] = out["n_beide"] / out["n_van"].where(out["n_van"] > 0)
        out["aandeel_tot"] = out["n_beide"] / out["n_tot"].where(out["n_tot"] > 0)
    return out
