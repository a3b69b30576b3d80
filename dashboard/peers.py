"""The comparable-areas section of the area page: "Overvecht against 10 comparable wijken".

Finds the area's peers in the scores of its year and niveau (:func:`layers.peers.find_peers`:
context only, robustly standardised, weighted), lists them with their distance and
features, sets the area's domain scores against the peers' median and range
(:func:`layers.peers.compare_with_peers`), links to the compare page with the nearest ones,
and offers the peer set with its features and codebook as CSV (through
:mod:`layers.export`, so the file is safe against formula injection). Pure layout: no
callbacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pandas as pd
from dash import dcc, html

from dashboard import areas, components, data, downloads, focusareas, routes
from dashboard.floats import as_float
from dashboard.i18n import column_label, domain_label, fmt_number, label, t, unit
from dashboard.urls import COMPARE_KEYS, MAX_COMPARE, ViewState, area_path
from etl import schema
from layers import constants
from layers.errors import PeerError, UnknownAreaError
from layers.export import codebook_name, data_name, to_csv
from layers.indicators import get_indicator
from layers.peers import PeerSet, codebook_notes, compare_with_peers, peer_frame


def peer_set(p: areas.Profile) -> tuple[pd.DataFrame, PeerSet] | str:
    """The scores of the area's year and niveau and its peers, or why there are none."""
    frame = data.scores(p.jaar, p.niveau, p.config)
    try:
        return frame, data.peers_of(p.jaar, p.niveau, p.config, p.code)
    except (PeerError, UnknownAreaError) as exc:
        return str(exc)


def reference(
    profiles: Sequence[areas.Profile], domains: Sequence[str], taal: str
) -> list[tuple[str, list[float | None]]]:
    """A reference series for a comparison: the median domain scores of the first area's
    peers (empty when it has none), to set beside the areas compared."""
    if not profiles:
        return []
    p = profiles[0]
    result = peer_set(p)
    if isinstance(result, str):
        return []
    frame, found = result
    table = compare_with_peers(frame, found)["peers_mediaan"]
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    name = t("peers.reference", taal, n=len(found.codes), niveaus=niveaus, naam=p.naam)
    cols = [constants.score_column(d) for d in domains]
    return [(name, [as_float(table.get(c)) for c in cols])]


def focus_reference(d: focusareas.Detail, taal: str) -> list[tuple[str, list[float | None]]]:
    """A reference series for a focus area: the median domain scores of the wijken
    comparable to its members (each member's peers, members themselves left out)."""
    frame = data.scores(d.jaar, focusareas.NIVEAU, d.config)
    members = [str(c) for c in d.members.index]
    found: dict[str, None] = {}
    for code in members:
        try:
            found.update(
                dict.fromkeys(data.peers_of(d.jaar, focusareas.NIVEAU, d.config, code).codes)
            )
        except (PeerError, UnknownAreaError):
            continue
    codes = [c for c in found if c not in set(members)]
    if not codes:
        return []
    niveaus = t(f"niveau.{focusareas.NIVEAU}_plural", taal)
    name = t("peers.focus_reference", taal, n=len(codes), niveaus=niveaus)
    block = frame.loc[codes]
    cols = [constants.score_column(x) for x in d.domains]
    return [(name, [as_float(block[c].median()) if c in block else None for c in cols])]


def _features(found: PeerSet, taal: str) -> str:
    return ", ".join(
        f"{label(get_indicator(str(f)), taal).lower()} ×{fmt_number(w, taal, decimals=2)}"
        for f, w in found.method["weight"].items()
    )


def _peer_rows(found: PeerSet, view: ViewState, taal: str) -> list[dict[str, Any]]:
    rows = []
    for code, row in found.peers.iterrows():
        out: dict[str, Any] = {
            "rang": int(row[constants.PEER_RANG]),
            "naam": dcc.Link(
                str(row.get("naam", code)), href=area_path(str(code)) + view.carried()
            ),
            "gemeente": row.get("gemeentenaam"),
            "afstand": fmt_number(row[constants.AFSTAND], taal, decimals=2),
        }
        for f in found.features:
            out[f] = fmt_number(row[f], taal)  # the unit is in the header
        rows.append(out)
    return rows


def _score_rows(p: areas.Profile, table: pd.DataFrame, taal: str) -> list[dict[str, Any]]:
    rows = []
    for col, row in table.iterrows():
        domain = str(col).removeprefix(constants.SCORE_PREFIX)
        name = column_label(constants.SAMENGESTELD, taal) if col == constants.SAMENGESTELD else None
        if name is None and domain not in p.domains:
            continue
        low, high = (
            fmt_number(row["peers_min"], taal, decimals=0),
            fmt_number(row["peers_max"], taal, decimals=0),
        )
        rows.append(
            {
                "domein": name or domain_label(domain, taal),
                "gebied": fmt_number(row["gebied"], taal, decimals=0),
                "mediaan": fmt_number(row["peers_mediaan"], taal, decimals=0),
                "spreiding": f"{low}–{high}" if row["peers_n"] else t("value.none", taal),
            }
        )
    return rows


def _csv_link(text: str, body: bytes, filename: str) -> html.A:
    href = "data:text/csv;charset=utf-8," + quote(body.decode("utf-8"))
    return html.A(text, href=href, download=filename, className="button button-secondary")


def section(p: areas.Profile, view: ViewState) -> html.Section:
    """The comparable-areas section of an area page."""
    taal = view.taal
    niveaus = t(f"niveau.{p.niveau}_plural", taal)
    result = peer_set(p)
    if isinstance(result, str):
        title = t("peers.title", taal, naam=p.naam, n=0, niveaus=niveaus)
        return html.Section([html.H2(title), components.note(t("peers.none", taal, reason=result))])
    frame, found = result
    title = t("peers.title", taal, naam=p.naam, n=len(found.codes), niveaus=niveaus)
    method = t(
        "peers.method",
        taal,
        features=_features(found, taal),
        searched=fmt_number(found.searched, taal, decimals=0),
        left_out=fmt_number(found.left_out, taal, decimals=0),
        niveaus=niveaus,
    )
    dropped = (
        t(
            "peers.dropped",
            taal,
            features=", ".join(label(get_indicator(f), taal).lower() for f in found.dropped),
        )
        if found.dropped
        else None
    )
    peer_columns = [
        components.Column("rang", t("col.rang", taal), numeric=True),
        components.Column("naam", column_label(schema.NAAM, taal), render=lambda r: r["naam"]),
        components.Column("gemeente", column_label(schema.GEMEENTENAAM, taal)),
        components.Column("afstand", t("col.afstand", taal), numeric=True),
        *[
            components.Column(
                f,
                f"{label(get_indicator(f), taal)} ({unit(get_indicator(f).unit, taal)})",
                numeric=True,
            )
            for f in found.features
        ],
    ]
    score_columns = [
        components.Column("domein", t("col.domein", taal)),
        components.Column("gebied", p.naam, numeric=True),
        components.Column("mediaan", t("col.mediaan", taal), numeric=True),
        components.Column("spreiding", t("col.spreiding", taal), numeric=True),
    ]
    shown = found.codes[: MAX_COMPARE - 1]
    compare = routes.COMPARE.path() + view.with_(codes=(p.code, *shown)).query(keys=COMPARE_KEYS)
    made = data.export_bundle(
        peer_frame(frame, found), p.jaar, p.niveau, p.config, extra=codebook_notes(found)
    )
    name = data_name(downloads.safe_name(f"zicht-op-wijken_{p.code}_{p.jaar}_vergelijkbaar"))
    return html.Section(
        className="peers",
        children=[
            html.H2(title),
            html.P(method, className="help"),
            components.note(dropped) if dropped else None,
            html.H3(t("peers.scores_title", taal), className="h-small"),
            html.Div(
                components.table(
                    score_columns,
                    _score_rows(p, compare_with_peers(frame, found), taal),
                    caption=t("peers.scores_caption", taal),
                ),
                className="table-wrap",
            ),
            html.Div(
                components.table(
                    peer_columns,
                    _peer_rows(found, view, taal),
                    caption=t("peers.list_caption", taal),
                ),
                className="table-wrap",
            ),
            html.Div(
                className="button-row no-print",
                children=[
                    dcc.Link(
                        t("peers.compare", taal, n=len(shown)),
                        href=compare,
                        className="button button-secondary",
                    ),
                    _csv_link(t("peers.download", taal), to_csv(made.data), name),
                    _csv_link(
                        t("download.codebook", taal), to_csv(made.codebook), codebook_name(name)
                    ),
                ],
            ),
        ],
    )
