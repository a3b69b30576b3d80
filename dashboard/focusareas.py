"""The NPLV focus areas as the dashboard shows them: scored groups of wijken.

Each focus area is aggregated from its member wijken, each indicator from the edition the
view takes it from (summed counts, never averaged percentages; RIVM's estimates, published
only as percentages, weighed by inhabitants; :func:`layers.view.score_view_groups`) and
placed among all wijken of NL, so its scores read like a wijk's. :func:`overview` scores
all twenty for a year; :func:`detail` scores one with its gemeente and NL as reference rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pandas as pd

from dashboard import data
from dashboard.i18n import t
from dashboard.urls import ViewState
from etl import schema
from layers.config import ScoringConfig

NIVEAU = "wijk"


def years() -> tuple[int, ...]:
    """Years with wijk statistics and focus-area members."""
    return tuple(j for j in data.years() if data.focus_members(j, NIVEAU))


def year_for(jaar: int | None) -> int | None:
    """The year the focus pages show: the one asked for if possible, else the default year
    of the wijk map if it has focus areas, else the latest year that has them."""
    have = years()
    if not have:
        return None
    if jaar in have:
        return jaar
    default = data.default_year(NIVEAU)
    return default if default in have else have[-1]


def names() -> dict[str, str]:
    """Focus id → display name."""
    frame = data.focus_overview()
    return dict(zip(frame["focusgebied_id"], frame["focusgebied"], strict=True))


def overview(jaar: int, view: ViewState) -> pd.DataFrame:
    """One scored row per focus area, with name, gemeente, zekerheid and source."""
    config = view.scoring.for_niveau(NIVEAU)
    members = data.focus_members(jaar, NIVEAU)
    scores = data.group_scores(jaar, NIVEAU, members, config, names())
    meta = data.focus_overview().set_index("focusgebied_id")
    out = scores.join(
        meta[["gemeente_code", "zekerheid", "bron"]].rename(
            columns={"gemeente_code": "focus_gemeente"}
        ),
        how="left",
    )
    gemeenten = data.statistics(jaar, "gemeente").set_index(schema.CODE)[schema.NAAM]
    out[schema.GEMEENTENAAM] = out["focus_gemeente"].map(gemeenten).fillna(out[schema.GEMEENTENAAM])
    return out


@dataclass(frozen=True)
class Detail:
    """One focus area in one year.

    Attributes
    ----------
    focus_id, naam, jaar
        The focus area and the year.
    gemeente_code, gemeentenaam
        Its gemeente.
    zekerheid, bron
        How certain the delineation is, and its source.
    members
        Scores of its member wijken.
    row, gemeente, nl
        The focus area, its gemeente and NL, each aggregated from wijken.
    config
        The scoring configuration.
    domains
        Scored domains the year carries.
    """

    focus_id: str
    naam: str
    jaar: int
    gemeente_code: str
    gemeentenaam: str
    zekerheid: str
    bron: str
    members: pd.DataFrame
    row: pd.Series
    gemeente: pd.Series | None
    nl: pd.Series | None
    config: ScoringConfig
    domains: tuple[str, ...]


def detail(focus_id: str, jaar: int, view: ViewState) -> Detail | None:
    """Score one focus area with its references; ``None`` when it has no members then."""
    members = data.focus_members(jaar, NIVEAU).get(focus_id)
    if not members:
        return None
    meta = data.focus_overview().set_index("focusgebied_id").loc[focus_id]
    config = view.scoring.for_niveau(NIVEAU)
    stats = data.statistics(jaar, NIVEAU)
    codes = stats[schema.CODE].astype(str)
    gm = str(meta["gemeente_code"])
    groups = {
        focus_id: members,
        gm: codes[codes.map(schema.gemeente_of) == gm].tolist(),
        **data.nl_group(jaar, NIVEAU),
    }
    gemeentenaam = data.area_name(jaar, "gemeente", gm) or gm
    labels = {
        focus_id: str(meta["focusgebied"]),
        gm: gemeentenaam,
        data.NL_GROUP: t("col.nl", view.taal),
    }
    refs = data.group_scores(jaar, NIVEAU, {k: v for k, v in groups.items() if v}, config, labels)
    scores = data.scores(jaar, NIVEAU, config)
    return Detail(
        focus_id=focus_id,
        naam=str(meta["focusgebied"]),
        jaar=jaar,
        gemeente_code=gm,
        gemeentenaam=gemeentenaam,
        zekerheid=str(meta["zekerheid"]),
        bron=str(meta["bron"]),
        members=scores.loc[[c for c in members if c in scores.index]],
        row=cast(pd.Series, refs.loc[focus_id]),
        gemeente=cast(pd.Series, refs.loc[gm]) if gm in refs.index else None,
        nl=data.nl_row(refs, jaar),
        config=config,
        domains=data.scored_domains(jaar, NIVEAU),
    )
