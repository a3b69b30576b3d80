"""Pure builders of every figure and map legend; no data access, no Dash callbacks.

Map values are put in discrete classes (:func:`classify`: quantiles by default via
mapclassify, fixed classes 0 to the number of domains for the stacking count) drawn with a
colour-blind-safe ColorBrewer palette; areas without a value (missing, suppressed, too few
inhabitants) get class ``-1`` and a distinct grey. The map itself is drawn in the browser as
SVG (see :mod:`dashboard.svgmap`). Charts are plotly figures as plain dicts: building them is
cheap and serialising them is what Dash does anyway.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import mapclassify
import numpy as np
import pandas as pd

from dashboard.i18n import fmt_number, fmt_value, t, unit
from layers.columns import column
from layers.constants import SAMENGESTELD

# ColorBrewer YlOrRd (sequential, colour-blind safe): light = favourable, dark = problems.
PROBLEM_PALETTE: Final = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
# ColorBrewer YlGnBu for raw values without a "worse" direction (context, higher = better).
NEUTRAL_PALETTE: Final = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA: Final = "#bdbdbd"
"""Grey for areas without a value; no palette colour comes near it."""
OUTLINE: Final = "#1a1a1a"
SERIES: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
"""Okabe–Ito colours for series (area, gemeente, NL, compared areas): colour-blind safe."""


@dataclass(frozen=True)
class LegendEntry:
    """One swatch of a map legend: its colour, its label and how many areas it holds."""

    colour: str
    label: str
    count: int


@dataclass(frozen=True)
class Classification:
    """Values of one measure in discrete classes, ready to colour a map.

    Attributes
    ----------
    classes
        Class per area (``-1`` = no data), in the order of the values given.
    colours
        Colour of class 0, 1, …; the no-data grey is separate.
    entries
        Legend swatches, class 0 first, the no-data swatch last.
    method
        ``quantiles``, ``fixed`` or ``unique`` (few distinct values).
    """

    classes: tuple[int, ...]
    colours: tuple[str, ...]
    entries: tuple[LegendEntry, ...]
    method: str

    @property
    def k(self) -> int:
        """Number of classes with a colour."""
        return len(self.colours)


def _palette(k: int, palette: Sequence[str]) -> tuple[str, ...]:
    """Pick ``k`` colours spread over a palette, light to dark; more than the palette has
    are blended between its neighbouring colours (so no number of classes runs out)."""
    if k <= 0:
        return ()
    if k == len(palette):
        return tuple(palette)
    if k < len(palette):
        idx = np.linspace(0, len(palette) - 1, k).round().astype(int)
        return tuple(palette[i] for i in idx)
    rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette], dtype=float)
    at = np.linspace(0, len(palette) - 1, k)
    low = np.floor(at).astype(int).clip(0, len(palette) - 2)
    mix = (at - low)[:, None]
    blended = rgb[low] * (1 - mix) + rgb[low + 1] * mix
    return tuple("#" + "".join(f"{round(v):02x}" for v in row) for row in blended)


def classify(
    values: Sequence[float] | pd.Series | np.ndarray[Any, Any],
    *,
    unit: str = "",
    taal: str = "nl",
    k: int = 5,
    fixed: Sequence[int] | None = None,
    palette: Sequence[str] = PROBLEM_PALETTE,
    decimals: int | None = None,
) -> Classification:
    """Put values in classes for a choropleth.

    Parameters
    ----------
    values
        One value per area; NaN / None is "no data".
    unit
        Unit for the legend labels (``%``, ``per 1.000 inwoners``, …).
    k
        Number of quantile classes (fewer when there are fewer distinct values).
    fixed
        Integer classes to use as they are (e.g. ``range(6)`` for the stacking count).
    palette
        Sequential palette, light to dark.
    decimals
        Digits in legend labels; automatic when ``None``.

    Returns
    -------
    Classification
    """
    arr = pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").to_numpy(float)
    valid = np.isfinite(arr)
    classes = np.full(arr.shape, -1, dtype=int)
    nodata = int((~valid).sum())
    if fixed is not None:
        levels = list(fixed)
        colours = _palette(len(levels), palette)
        lookup = {v: i for i, v in enumerate(levels)}
        for i in np.flatnonzero(valid):
            classes[i] = lookup.get(round(float(arr[i])), -1)
        labels = [fmt_number(v, taal, decimals=0) for v in levels]
        method = "fixed"
    else:
        uniq = np.unique(arr[valid])
        if len(uniq) == 0:
            colours, labels, method = (), [], "quantiles"
        elif len(uniq) <= k:
            colours = _palette(len(uniq), palette)
            classes[valid] = np.searchsorted(uniq, arr[valid])
            labels = [fmt_value(v, unit, taal, decimals=decimals) for v in uniq]
            method = "unique"
        else:
            q = mapclassify.Quantiles(arr[valid], k=k)
            bins = np.asarray(q.bins, dtype=float)
            classes[valid] = np.asarray(q.yb, dtype=int)
            colours = _palette(len(bins), palette)
            lows = [float(arr[valid].min()), *bins[:-1]]
            labels = [
                f"{fmt_value(lo, unit, taal, decimals=decimals)} – "
                f"{fmt_value(hi, unit, taal, decimals=decimals)}"
                for lo, hi in zip(lows, bins, strict=True)
            ]
            method = "quantiles"
    counts = np.bincount(classes[classes >= 0], minlength=len(colours))
    entries = [
        LegendEntry(c, lab, int(n)) for c, lab, n in zip(colours, labels, counts, strict=True)
    ]
    entries.append(LegendEntry(NO_DATA, t("map.no_data", taal), nodata))
    return Classification(tuple(int(c) for c in classes), tuple(colours), tuple(entries), method)


def profile(
    domains: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    threshold: float,
    taal: str = "nl",
    title: str = "",
) -> dict[str, Any]:
    """Horizontal grouped bars of domain scores (0–100) for several series.

    Parameters
    ----------
    domains
        Domain labels, top to bottom.
    series
        (name, one score per domain; ``None``/NaN = no score) per bar group.
    threshold
        Stacking threshold, drawn as a dotted line.
    """
    data = []
    for i, (name, scores) in enumerate(series):
        xs = [None if _missing(v) else round(float(v), 1) for v in scores]  # type: ignore[arg-type]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": str(name),
                "y": list(domains),
                "x": xs,
                "marker": {"color": SERIES[i % len(SERIES)]},
                "text": [fmt_number(x, taal, decimals=0) if x is not None else "–" for x in xs],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:.0f}<extra>%{fullData.name}</extra>",
            }
        )
    height = 110 + 34 * max(1, len(domains)) * max(1, len(series)) ** 0.7
    return {
        "data": data,
        "layout": {
            "title": {"text": html.escape(title)} if title else None,
            "barmode": "group",
            "height": int(height),
            "margin": {"l": 10, "r": 30, "t": 60 if title else 36, "b": 40},
            "xaxis": {
                "range": [0, 108],
                "title": {"text": unit(column(SAMENGESTELD).unit, taal)},
                "fixedrange": True,
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "fixedrange": True},
            "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
            "shapes": [
                {
                    "type": "line",
                    "x0": threshold,
                    "x1": threshold,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "line": {"dash": "dot", "color": "#444", "width": 1.5},
                }
            ],
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "font": {"size": 13},
        },
    }


def trend(
    years: Sequence[int],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    unit: str,
    taal: str = "nl",
    title: str = "",
) -> dict[str, Any]:
    """Lines of raw values over the years, one per series (area, gemeente, NL)."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": str(name),
            "x": list(years),
            "y": [None if _missing(v) else float(v) for v in values],  # type: ignore[arg-type]
            "line": {"color": SERIES[i % len(SERIES)], "width": 2.5},
            "marker": {"size": 8},
            "connectgaps": False,
        }
        for i, (name, values) in enumerate(series)
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": html.escape(title)} if title else None,
            "height": 320,
            "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 40},
            "xaxis": {"tickmode": "array", "tickvals": list(years), "fixedrange": True},
            "yaxis": {"title": {"text": html.escape(unit)}, "automargin": True, "fixedrange": True},
            "legend": {"orientation": "h", "y": -0.2},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "separators": ".," if taal == "en" else ",.",
        },
    }


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value)
