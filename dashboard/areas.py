"""What an area page says about one gemeente, wijk or buurt: profile, indicators, trends.

:func:`profile` scores the area among all areas of its level and year and places its
gemeente and NL, aggregated from counts (:func:`layers.view.score_view_groups`), among the
same areas, so the three bars of the domain profile are comparable. The other functions
turn a profile into sentences (:func:`stacking_sentences`), indicator rows with flags
(:func:`indicator_rows`) and trend series over the years the code exists (:func:`trend`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from dashboard import data
from dashboard.floats import as_float
from dashboard.i18n import domain_label, fmt_number, join_words, label, t, unit
from dashboard.urls import ViewState
from etl import schema
from layers.config import ScoringConfig
from layers.constants import (
    ONVOLDOENDE_GEGEVENS,
    STAPELING,
    TE_WEINIG_INWONERS,
    pct_column,
    score_column,
)
from layers.indicators import INDICATORS, SCORED_DOMAINS, Indicator

NL: str = data.NL_GROUP


@dataclass(frozen=True)
class Profile:
    """One area in one year, with its gemeente and NL as reference rows.

    Attributes
    ----------
    code, niveau, jaar
        The area.
    row
        Its row of :func:`dashboard.data.scores`.
    gemeente
        Its gemeente aggregated among the areas of the same level (``None`` for a gemeente).
    nl
        NL aggregated among the areas of the same level.
    config
        The scoring configuration.
    indicators
        Indicators the year and level carry.
    domains
        Scored domains the year and level carry.
    """

    code: str
    niveau: str
    jaar: int
    row: pd.Series
    gemeente: pd.Series | None
    nl: pd.Series | None
    config: ScoringConfig
    indicators: tuple[Indicator, ...]
    domains: tuple[str, ...]

    @property
    def naam(self) -> str:
        """The area's name (its code when CBS gives none)."""
        value = self.row.get(schema.NAAM)
        return str(value) if pd.notna(value) else self.code

    @property
    def gemeente_code(self) -> str | None:
        """Code of the area's gemeente."""
        return schema.gemeente_of(self.code)

    @property
    def gemeentenaam(self) -> str:
        """Name of the area's gemeente."""
        value = self.row.get(schema.GEMEENTENAAM)
        return str(value) if pd.notna(value) else (self.gemeente_code or "")


def year_for(code: str, jaar: int | None) -> tuple[int | None, tuple[int, ...]]:
    """The year an area page shows and all years the code exists in.

    The year asked for if the code exists then; else the map's default year for the level
    (the year carrying the most problem domains) if the code exists then; else the latest.
    """
    years = data.area_years(code)
    if not years:
        return None, ()
    if jaar in years:
        return jaar, years
    default = data.default_year(schema.niveau_of(code))
    return (default if default in years else years[-1]), years


def profile(code: str, jaar: int, view: ViewState) -> Profile | None:
    """Score an area and its references; ``None`` when the code is not in that year."""
    niveau = schema.niveau_of(code)
    if not data.has_statistics(jaar, niveau):
        return None
    config = view.scoring.for_niveau(niveau)
    scores = data.scores(jaar, niveau, config)
    if code not in scores.index:
        return None
    row = cast(pd.Series, scores.loc[code])
    stats = data.statistics(jaar, niveau)
    codes = stats[schema.CODE].astype(str)
    groups = data.nl_group(jaar, niveau)
    names = {NL: t("col.nl", view.taal)}
    gm = schema.gemeente_of(code)
    if niveau != "gemeente" and gm:
        groups[gm] = codes[codes.map(schema.gemeente_of) == gm].tolist()
        names[gm] = str(row.get(schema.GEMEENTENAAM) or gm)
    refs = data.group_scores(jaar, niveau, groups, config, names) if groups else pd.DataFrame()
    nl = data.nl_row(refs, jaar)
    return Profile(
        code=code,
        niveau=niveau,
        jaar=jaar,
        row=row,
        gemeente=cast(pd.Series, refs.loc[gm])
        if gm in refs.index and niveau != "gemeente"
        else None,
        nl=nl,
        config=config,
        indicators=data.carried_indicators(jaar, niveau),
        domains=data.scored_domains(jaar, niveau),
    )


def stacked(row: pd.Series, threshold: float) -> list[str]:
    """Ids of the domains on which a row scores at or above the threshold."""
    out = []
    for d in SCORED_DOMAINS:
        value = row.get(score_column(d))
        if value is not None and pd.notna(value) and float(value) >= threshold:
            out.append(d)
    return out


def stacking_sentences(p: Profile, taal: str) -> list[str]:
    """The stacking count explained in words: which domains, against what, what is missing."""
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    ref = t("area.ref_gemeente" if p.config.reference == "gemeente" else "area.ref_nl", taal)
    if p.config.reference != "gemeente" and not data.covers_nl(p.jaar, p.niveau):
        ref = t("area.ref_partial", taal, names=join_words(data.coverage_names(p.jaar)[:5], taal))
    top = fmt_number(100 - p.config.threshold, taal)
    out = []
    value = p.row.get(STAPELING)
    unscored = value is None or pd.isna(value)
    if bool(p.row.get(TE_WEINIG_INWONERS)):
        out.append(t("area.stacking_unscored", taal, naam=p.naam, reason=t("flag.small", taal)))
    elif unscored:
        reason = (
            t("flag.insufficient", taal) if p.domains else t("area.profile_none", taal, jaar=p.jaar)
        )
        out.append(t("area.stacking_unscored", taal, naam=p.naam, reason=reason))
    else:
        scored = [d for d in p.domains if pd.notna(p.row.get(score_column(d)))]
        hits = stacked(p.row, p.config.threshold)
        names = join_words([domain_label(d, taal).lower() for d in hits], taal)
        key = "area.stacking_some" if hits else "area.stacking_none"
        out.append(
            t(
                key,
                taal,
                naam=p.naam,
                k=len(hits),
                n=len(scored),
                top=top,
                niveaus=niveaus,
                ref=ref,
                domains=names,
            )
        )
    missing = [d for d in SCORED_DOMAINS if d not in p.domains]
    if missing:
        names = join_words([domain_label(d, taal).lower() for d in missing], taal)
        out.append(t("area.stacking_missing_domains", taal, jaar=p.jaar, domains=names))
    if bool(p.row.get(ONVOLDOENDE_GEGEVENS)) and not unscored:  # else it is the reason above
        out.append(t("flag.insufficient", taal).capitalize() + ".")
    return out


def group_label(naam: str, niveau: str, taal: str) -> str:
    """The label of a reference aggregated from the areas of a level and scored among them,
    ``Utrecht (alle wijken)``, so it is not read as the gemeente scored among gemeenten."""
    return t("ref.all_of", taal, naam=naam, niveaus=t(f"niveau.{niveau}_plural", taal))


def profile_series(p: Profile, taal: str) -> list[tuple[str, list[float | None]]]:
    """Bar series of the domain profile: the area, its gemeente and NL."""
    rows: list[tuple[str, pd.Series | None]] = [(p.naam, p.row)]
    if p.gemeente is not None:
        rows.append((group_label(p.gemeentenaam, p.niveau, taal), p.gemeente))
    rows.append((t("col.nl", taal), p.nl))
    return [(name, domain_scores(r, p.domains)) for name, r in rows]


def domain_scores(row: pd.Series | None, domains: Sequence[str]) -> list[float | None]:
    """The scores of a row on each domain (``None`` where missing, all ``None`` without a
    row): one bar series of a domain profile."""
    if row is None:
        return [None] * len(domains)
    return [as_float(row.get(score_column(d))) for d in domains]


def flags(p: Profile, indicator: Indicator, taal: str) -> list[str]:
    """Flags of one indicator for the area: not carried, missing, too few inhabitants."""
    if indicator not in p.indicators:
        return [t("flag.not_carried", taal)]
    value = as_float(p.row.get(indicator.id))
    if value is None:
        return [t("flag.missing", taal)]
    out = []
    if indicator.scored and as_float(p.row.get(pct_column(indicator.id))) is None:
        out.append(t("flag.small", taal))
    return out


def source_text(used: Mapping[str, Any] | None, taal: str) -> str:
    """Where a figure of a view comes from, in a language: ``RIVM 50090NED, 2020 (indeling
    2020)``; empty when unknown."""
    if not used:
        return ""
    indeling = "indeling" if taal == "nl" else "division"
    return f"{used['publisher']} {used['table']}, {used['edition']} ({indeling} {used['indeling']})"


def domain_years_note(jaar: int, niveau: str, config: ScoringConfig, taal: str) -> str:
    """Which domains of a view come from which year, in a language (the map note):
    ``Armoede en werk: 2020, 2022 · Gezondheid en zorg: 2020 · Veiligheid: 2024``."""
    years = data.domain_years(jaar, niveau, config)
    if not years:
        return ""
    parts = [
        f"{domain_label(d, taal)}: {', '.join(str(y) for y in years[d])}"
        for d in SCORED_DOMAINS
        if d in years
    ]
    return t("map.domain_years", taal, jaar=jaar, parts=" · ".join(parts))


def indicator_rows(p: Profile, taal: str) -> list[dict[str, Any]]:
    """One row per registry indicator (carried or not), grouped by domain, with the source
    and edition each figure comes from; the unit in its own column, so the value cells hold
    numbers only."""
    used = data.provenance(p.jaar, p.niveau, p.config)
    out = []
    for indicator in INDICATORS:
        carried = indicator in p.indicators
        value = as_float(p.row.get(indicator.id)) if carried else None
        pct = (
            as_float(p.row.get(pct_column(indicator.id))) if carried and indicator.scored else None
        )
        out.append(
            {
                "id": indicator.id,
                "domein": domain_label(indicator.domain, taal),
                "indicator": label(indicator, taal),
                "eenheid": unit(indicator.unit, taal),
                "waarde": fmt_number(value, taal) if carried else "",
                "gemeente": _ref_value(p.gemeente, indicator, taal) if carried else "",
                "nl": _ref_value(p.nl, indicator, taal) if carried else "",
                "percentiel": fmt_number(pct, taal, decimals=0) if pct is not None else "",
                "vlaggen": flags(p, indicator, taal),
                "bron": source_text(used.get(indicator.id), taal) if carried else "",
                "carried": carried,
            }
        )
    return out


def _ref_value(row: pd.Series | None, indicator: Indicator, taal: str) -> str:
    if row is None:
        return ""
    return fmt_number(as_float(row.get(indicator.id)), taal)


def trend(
    code: str, indicator: Indicator, years: tuple[int, ...], view: ViewState
) -> tuple[list[int], list[tuple[str, list[float | None]]]]:
    """Raw values of an indicator over its own editions: for each year the code exists, the
    edition of the indicator's source that year's view uses, each edition once, placed at
    the edition's year (a 2024 view showing KWB 2022 adds no point of its own)."""
    series: dict[str, list[float | None]] = {}
    shown: list[int] = []
    names: dict[str, str] = {}
    for jaar in years:
        p = profile(code, jaar, view)
        if p is None or indicator not in p.indicators:
            continue
        used = data.provenance(jaar, p.niveau, p.config).get(indicator.id)
        edition = int(str(used["edition"])) if used else jaar
        if edition in shown:
            continue
        shown.append(edition)
        names.setdefault("area", p.naam)
        if p.naam != code:
            names["area"] = p.naam
        for key, row in (("area", p.row), ("gemeente", p.gemeente), ("nl", p.nl)):
            if row is None:
                continue
            names.setdefault(key, p.gemeentenaam if key == "gemeente" else t("col.nl", view.taal))
            series.setdefault(key, [None] * (len(shown) - 1)).append(
                as_float(row.get(indicator.id))
            )
        for values in series.values():
            values.extend([None] * (len(shown) - len(values)))
    return shown, [(names[k], series[k]) for k in ("area", "gemeente", "nl") if k in series]


def child_niveau(niveau: str) -> str | None:
    """The level one down: wijk for a gemeente, buurt for a wijk, else ``None``."""
    return {"gemeente": "wijk", "wijk": "buurt"}.get(niveau)


def children(p: Profile, view: ViewState) -> pd.DataFrame | None:
    """Scores of the areas one level down: the wijken of a gemeente, the buurten of a wijk."""
    child = child_niveau(p.niveau)
    if child is None or not data.has_statistics(p.jaar, child):
        return None
    scores = data.scores(p.jaar, child, view.scoring.for_niveau(child))
    if child == "wijk":
        return scores[scores[schema.GEMEENTE_CODE] == p.code]
    return scores[scores.index.map(lambda c: schema.wijk_of(str(c)) == p.code)]


def focus_membership(code: str, jaar: int) -> list[tuple[str, str]]:
    """(focus id, name) of the focus areas a wijk (or the wijk of a buurt) belongs to."""
    wijk = code if code.startswith("WK") else schema.wijk_of(code)
    if wijk is None:
        return []
    members = data.focus_members(jaar, "wijk")
    overview = data.focus_overview()
    names = dict(zip(overview["focusgebied_id"], overview["focusgebied"], strict=True))
    return [(fid, str(names.get(fid, fid))) for fid, codes in members.items() if wijk in codes]
