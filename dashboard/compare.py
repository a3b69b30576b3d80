"""Comparing up to six areas of any level: search, profiles and a side-by-side table.

:func:`search` finds areas by name or code (for the autocomplete); :func:`profiles` scores
each chosen area among the areas of its own level; :func:`table_rows` lays every indicator
out with one column per area.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard import areas, data
from dashboard.floats import as_float
from dashboard.i18n import fmt_number, label, t, unit
from dashboard.urls import MAX_COMPARE, ViewState, is_code
from layers.constants import SAMENGESTELD, STAPELING, pct_column, score_column
from layers.indicators import INDICATORS, SCORED_DOMAINS

MAX_RESULTS = 15


def option(row: Mapping[Hashable, Any], taal: str) -> dict[str, str]:
    """A dropdown option for an area: name, code, level and gemeente."""
    niveau = t(f"niveau.{row['niveau']}", taal)
    gemeente = (
        f" · {row['gemeentenaam']}" if row["niveau"] != "gemeente" and row["gemeentenaam"] else ""
    )
    text = f"{row['naam']} ({row['code']}) · {niveau}{gemeente}"
    # the dropdown filters on ``search`` in the browser too: give it the typed forms as well
    return {"label": text, "value": str(row["code"]), "search": f"{text} {row['needle']}"}


def search(
    text: str | None, jaar: int, taal: str, *, keep: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """Areas whose name, code or known other name contains ``text`` (at least two
    characters; accents, case and punctuation do not matter), best first, then the areas
    already chosen (``keep``) so their labels stay."""
    index = data.search_index(jaar)
    chosen = index[index["code"].isin(keep)]
    out: list[dict[str, str]] = []
    needle = data.fold(text if isinstance(text, str) else "")[:60]
    if len(needle) >= 2:
        hits = index[index["needle"].str.contains(needle, regex=False) & ~index["code"].isin(keep)]
        order = {"gemeente": 0, "wijk": 1, "buurt": 2}
        rank = (
            (hits["code"].str.casefold() != needle).to_numpy(dtype=int) * 4
            + (~hits["needle"].str.startswith(needle)).to_numpy(dtype=int) * 2
            + np.array([order.get(str(n), 3) for n in hits["niveau"]], dtype=int)
        )
        hits = hits.assign(_rank=rank, _neg=-hits["inwoners"]).sort_values(["_rank", "_neg"])
        out += [option(r, taal) for r in hits.head(MAX_RESULTS).to_dict("records")]
    # the chosen areas after the hits: Enter takes the best hit, never removes a chosen area
    return out + [option(r, taal) for r in chosen.to_dict("records")]


def chosen(
    codes: tuple[str, ...], jaar: int, view: ViewState
) -> tuple[list[areas.Profile], list[str]]:
    """Profiles of the chosen areas in a year, and the codes that year does not hold."""
    found: list[areas.Profile] = []
    missing: list[str] = []
    for code in codes[:MAX_COMPARE]:
        p = areas.profile(code, jaar, view) if is_code(code) else None
        if p is None:
            missing.append(code)
        else:
            found.append(p)
    return found, missing


def domains_of(profiles: list[areas.Profile]) -> list[str]:
    """Scored domains carried by at least one of the areas' year and level."""
    have = {d for p in profiles for d in p.domains}
    return [d for d in SCORED_DOMAINS if d in have]


def series_label(p: areas.Profile, taal: str) -> str:
    """An area's label in the comparison, with the level it is scored among (a gemeente
    among gemeenten, a wijk among wijken), so equal names never hide different bases."""
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    return t("compare.series", taal, naam=p.naam, code=p.code, niveaus=niveaus)


def series(profiles: list[areas.Profile], taal: str) -> list[tuple[str, list[float | None]]]:
    """One bar series per area over :func:`domains_of`."""
    domains = domains_of(profiles)
    return [(series_label(p, taal), areas.domain_scores(p.row, domains)) for p in profiles]


def table_rows(profiles: list[areas.Profile], taal: str) -> list[dict[str, Any]]:
    """Rows of the side-by-side table: headline figures, then every carried indicator with
    its value and (percentile)."""
    rows: list[dict[str, Any]] = []
    head: list[tuple[str, str, Callable[[areas.Profile], str]]] = [
        ("col.inwoners", "inwoners", lambda p: fmt_number(p.row.get("inwoners"), taal, decimals=0)),
        ("col.stapeling", STAPELING, lambda p: fmt_number(p.row.get(STAPELING), taal, decimals=0)),
        (
            "col.samengesteld",
            SAMENGESTELD,
            lambda p: fmt_number(p.row.get(SAMENGESTELD), taal, decimals=0),
        ),
    ]
    for key, _, fmt in head:
        rows.append({"indicator": t(key, taal), **{p.code: fmt(p) for p in profiles}})
    for d in domains_of(profiles):
        rows.append(
            {
                "indicator": t("measure.score", taal, domain=data.domain_label(d, taal).lower()),
                **{
                    p.code: fmt_number(p.row.get(score_column(d)), taal, decimals=0)
                    for p in profiles
                },
            }
        )
    for ind in INDICATORS:
        if ind.id == "inwoners" or not any(ind in p.indicators for p in profiles):
            continue
        cells = {}
        for p in profiles:
            if ind not in p.indicators:
                cells[p.code] = t("flag.not_carried", taal)
                continue
            value = fmt_number(p.row.get(ind.id), taal)
            pct = as_float(p.row.get(pct_column(ind.id))) if ind.scored else None
            cells[p.code] = value + (
                f" ({fmt_number(pct, taal, decimals=0)})" if pct is not None else ""
            )
        rows.append({"indicator": label(ind, taal), "eenheid": unit(ind.unit, taal), **cells})
    return rows


def frame(profiles: list[areas.Profile]) -> pd.DataFrame:
    """The chosen areas' score rows, for download."""
    out = pd.DataFrame([p.row for p in profiles])
    out.index.name = "code"
    return out
