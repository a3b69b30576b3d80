"""Straightforward implementations the benchmarks compare against.

:func:`score_rows` is the scoring recipe written the obvious way: a Python loop over areas,
pandas comparisons per area for each percentile. It shares only the indicator values with
:func:`layers.scoring.score` and must give the same results; the benchmark checks that.
:func:`naive_map` is the map callback written the obvious way: a fresh
``plotly.express.choropleth_map`` with full-resolution geometry on every change.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.express as px
from plotly.io.json import to_json_plotly

from etl import schema
from layers.config import ScoringConfig
from layers.constants import VALUE_DECIMALS
from layers.indicators import SCORED_DOMAINS, carried, indicator_values


def score_rows(
    stats: pd.DataFrame, *, config: ScoringConfig, crime: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Score areas row by row: percentiles, domain scores, stacking count and composite.

    Returns
    -------
    pandas.DataFrame
        Index ``code``; ``<id>_pct``, ``score_<domain>``, ``stapeling``, ``samengesteld``.
    """
    values = indicator_values(stats, crime=crime)
    inds = [i for i in carried(stats, crime) if i.scored]
    population = pd.Series(stats[schema.POPULATION].to_numpy(), index=values.index)
    oriented = {}
    for ind in inds:
        column = values[ind.id].round(VALUE_DECIMALS)
        if ind.direction == "hoger_beter":
            column = -column
        floor = max(config.min_population, ind.min_population)
        oriented[ind.id] = column.where(population >= floor)
    frame = pd.DataFrame(oriented)
    rows = []
    for code, row in frame.iterrows():
        out: dict[str, float] = {}
        for ind in inds:
            v = row[ind.id]
            reference = frame[ind.id].dropna()
            if pd.isna(v) or reference.empty:
                out[f"{ind.id}_pct"] = np.nan
                continue
            below = (reference < v).sum()
            equal = (reference == v).sum()
            out[f"{ind.id}_pct"] = 100.0 * (below + 0.5 * equal) / len(reference)
        total = weight_sum = 0.0
        stapeling = 0
        scored_any = False
        for domain in SCORED_DOMAINS:
            ids = [i.id for i in inds if i.domain == domain]
            present = [out[f"{i}_pct"] for i in ids if not pd.isna(out[f"{i}_pct"])]
            if not ids or not present or len(present) / len(ids) < config.min_coverage:
                out[f"score_{domain}"] = np.nan
                continue
            s = sum(present) / len(present)
            out[f"score_{domain}"] = s
            scored_any = True
            stapeling += s >= config.threshold
            total += config.weight(domain) * s
            weight_sum += config.weight(domain)
        out["stapeling"] = stapeling if scored_any else np.nan
        out["samengesteld"] = total / weight_sum if weight_sum > 0 else np.nan
        rows.append(pd.Series(out, name=code))
    return pd.DataFrame(rows)


def naive_map(frame: gpd.GeoDataFrame, values: pd.Series, *, title: str = "") -> str:
    """The map callback written the obvious way: a fresh figure on every change.

    ``plotly.express.choropleth_map`` with the full-resolution geometry of the statistics
    file (the areas' boundaries as the store keeps them, no web simplification), converted to
    GeoJSON on every call, and the whole figure serialised as Dash serialises a callback
    response. Nothing is kept in the browser between changes, so a recolour costs as much as
    the first map.

    Parameters
    ----------
    frame
        Areas with ``code``, ``naam`` and full-resolution ``geometry`` in EPSG:4326, held in
        memory (reading and reprojecting once is not counted against the baseline).
    values
        The measure per area, in the order of ``frame``.

    Returns
    -------
    str
        The JSON body Dash would send.
    """
    geojson = frame[[schema.CODE, schema.NAAM, "geometry"]].__geo_interface__
    minx, miny, maxx, maxy = frame.total_bounds
    figure = px.choropleth_map(
        frame,
        geojson=geojson,
        locations=schema.CODE,
        featureidkey=f"properties.{schema.CODE}",
        color=values.to_numpy(dtype=float),
        hover_name=schema.NAAM,
        color_continuous_scale="YlOrRd",
        map_style="white-bg",
        center={"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2},
        zoom=6,
        opacity=0.9,
        title=title,
    )
    return str(to_json_plotly({"multi": True, "response": {"map-graph": {"figure": figure}}}))
