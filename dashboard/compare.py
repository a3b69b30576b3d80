"""Comparing up to six areas of any level: search, profiles and a side-by-side table.

:func:`search` finds areas by name or code (for the autocomplete); :func:`profiles` scores
each chosen area among the areas of its own level; :func:`table_rows` lays every indicator
out with one column per area.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dashboard import areas, data
from dashboard.floats import as_float
from dashboard.i18n import column_label, fmt_number, label, t, unit
from dashboard.urls import MAX_COMPARE, ViewState, is_code
from etl import schema
from layers.constants import INWONERS, SAMENGESTELD, STAPELING, pct_column, score_column
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


@dataclass(frozen=True)
class Reference:
    """A reference row beside the compared areas: NL or a gemeente, aggregated from the
    areas of one compared area's level and scored among them (as on the area page).

    Attributes
    ----------
    key
        Its column key in the side-by-side table.
    label
        ``Utrecht (alle wijken)``, ``Nederland (alle buurten)``.
    row
        Its scores, like a row of :func:`dashboard.data.scores`.
    of
        The compared area it was built for (its level and carried indicators apply).
    """

    key: str
    label: str
    row: pd.Series
    of: areas.Profile


def references(profiles: list[areas.Profile], kinds: tuple[str, ...], taal: str) -> list[Reference]:
    """The references asked for (:data:`dashboard.urls.COMPARE_REFERENCES`): the gemeente
    of each chosen wijk or buurt, then NL per level compared; each once."""
    found: dict[str, tuple[pd.Series, areas.Profile]] = {}
    for kind in kinds:
        for p in profiles:
            row, naam = (
                (p.gemeente, p.gemeentenaam) if kind == "gemeente" else (p.nl, t("col.nl", taal))
            )
            if row is not None:
                found.setdefault(areas.group_label(naam, p.niveau, taal), (row, p))
    return [
        Reference(f"ref-{i}", label, row, p) for i, (label, (row, p)) in enumerate(found.items())
    ]


def domains_of(profiles: list[areas.Profile]) -> list[str]:
    """Scored domains carried by at least one of the areas' year and level."""
    have = {d for p in profiles for d in p.domains}
    return [d for d in SCORED_DOMAINS if d in have]


def series_label(p: areas.Profile, taal: str) -> str:
    """An area's label in the comparison, with the level it is scored among (a gemeente
    among gemeenten, a wijk among wijken), so equal names never hide different bases."""
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    return t("compare.series", taal, naam=p.naam, code=p.code, niveaus=niveaus)


def series(
    profiles: list[areas.Profile], taal: str, refs: Sequence[Reference] = ()
) -> list[tuple[str, list[float | None]]]:
    """One bar series per area over :func:`domains_of`, then one per reference."""
    domains = domains_of(profiles)
    return [(series_label(p, taal), areas.domain_scores(p.row, domains)) for p in profiles] + [
        (r.label, areas.domain_scores(r.row, domains)) for r in refs
    ]


def table_rows(
    profiles: list[areas.Profile], taal: str, refs: Sequence[Reference] = ()
) -> list[dict[str, Any]]:
    """Rows of the side-by-side table: headline figures, then every carried indicator with
    its value and (percentile); a column per area (keyed by code), then per reference
    (keyed :attr:`Reference.key`, values without percentile)."""
    # (column key, row, level profile, with percentile)
    cols = [(p.code, p.row, p, True) for p in profiles] + [
        (r.key, r.row, r.of, False) for r in refs
    ]
    rows: list[dict[str, Any]] = []
    for name in (INWONERS, STAPELING, SAMENGESTELD):
        cells = {k: fmt_number(row.get(name), taal, decimals=0) for k, row, _, _ in cols}
        rows.append({"indicator": column_label(name, taal), **cells})
    for d in domains_of(profiles):
        name = column_label(score_column(d), taal)
        cells = {k: fmt_number(row.get(score_column(d)), taal, decimals=0) for k, row, _, _ in cols}
        rows.append({"indicator": name, **cells})
    for ind in INDICATORS:
        if ind.id == "inwoners" or not any(ind in p.indicators for p in profiles):
            continue
        cells = {}
        for k, row, p, with_pct in cols:
            if ind not in p.indicators:
                cells[k] = t("flag.not_carried", taal)
                continue
            value = fmt_number(row.get(ind.id), taal)
            pct = as_float(row.get(pct_column(ind.id))) if ind.scored and with_pct else None
            cells[k] = value + (
                f" ({fmt_number(pct, taal, decimals=0)})" if pct is not None else ""
            )
        rows.append({"indicator": label(ind, taal), "eenheid": unit(ind.unit, taal), **cells})
    return rows


def frame(profiles: list[areas.Profile], refs: Sequence[Reference] = ()) -> pd.DataFrame:
    """The chosen areas' score rows, then those of the references shown beside them, each
    named by its label (``Utrecht (alle wijken)``: NL at two levels are two rows), for
    download."""
    named = [r.row.copy() for r in refs]
    for row, ref in zip(named, refs, strict=True):
        row[schema.NAAM] = ref.label
    out = pd.DataFrame([p.row for p in profiles] + named)
    out.index.name = schema.CODE
    return out
