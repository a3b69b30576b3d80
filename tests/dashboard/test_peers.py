"""The comparable-areas section of the area page, on the store built from the mirror."""

from __future__ import annotations

import io
import json
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pandas as pd
import pytest
from dash import Dash

from dashboard import areas, data
from dashboard.i18n import domain_label
from dashboard.urls import MAX_COMPARE, ViewState
from layers.config import ScoringConfig
from layers.peers import find_peers

CODE = "WK034403"


def _walk(node: Any) -> list[dict[str, Any]]:
    """Every component (as plotly JSON) under a layout."""
    found = []
    if isinstance(node, dict):
        if "props" in node:
            found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def _page(app: Dash, pages: dict[str, ModuleType], **query: str) -> list[dict[str, Any]]:
    with app.server.test_request_context("/"):
        layout = pages["gebied"].layout(**query).to_plotly_json()
    return _walk(json.loads(json.dumps(layout, default=lambda o: o.to_plotly_json())))


def _expected(app: Dash, code: str) -> tuple[int, list[str]]:
    with app.server.test_request_context("/"):
        jaar, _ = areas.year_for(code, None)
        assert jaar is not None
        p = areas.profile(code, jaar, ViewState())
        assert p is not None
        return jaar, find_peers(data.scores(jaar, p.niveau, p.config), code).codes


def test_the_area_page_lists_the_peers_the_layers_find(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    _, codes = _expected(app, CODE)
    nodes = _page(app, pages, code=CODE)
    links = [n["props"].get("href", "") for n in nodes if n.get("type") == "Link"]
    peer_links = [h.split("?")[0].rsplit("/", 1)[-1] for h in links if h.startswith("/gebied/")]
    # The peers appear in order, each linking to its own area page.
    positions = [peer_links.index(c) for c in codes]
    assert positions == sorted(positions)
    compare = [
        parse_qs(urlparse(h).query)["codes"][0].split(",")
        for h in links
        if h.startswith("/vergelijk") and "codes=" in h
    ]
    assert [CODE, *codes[: MAX_COMPARE - 1]] in compare  # the peers open in the compare page
    text = json.dumps([n["props"].get("children") for n in nodes], default=str)
    assert "vergelijkbare wijken" in text and "interkwartielafstand" in text


def test_the_peer_set_downloads_with_its_features(app: Dash, pages: dict[str, ModuleType]) -> None:
    _, codes = _expected(app, CODE)
    nodes = _page(app, pages, code=CODE)
    hrefs = [
        n["props"]
        for n in nodes
        if n.get("type") == "A" and str(n["props"].get("href", "")).startswith("data:text/csv")
    ]
    csv = next(h for h in hrefs if not h["download"].endswith(".codebook.csv"))
    frame = pd.read_csv(io.StringIO(unquote(csv["href"].split(",", 1)[1])))
    assert frame["code"].tolist() == [CODE, *codes]
    assert frame["peer_rang"].tolist() == list(range(len(codes) + 1))
    book = next(h for h in hrefs if h["download"].endswith(".codebook.csv"))
    described = pd.read_csv(io.StringIO(unquote(book["href"].split(",", 1)[1])))
    assert described.loc[described["kind"] == "column", "column"].tolist() == list(frame.columns)


def test_the_section_speaks_english(app: Dash, pages: dict[str, ModuleType]) -> None:
    nodes = _page(app, pages, code=CODE, taal="en")
    text = json.dumps([n["props"].get("children") for n in nodes], default=str)
    assert "comparable districts" in text and "interquartile range" in text


def test_no_peers_is_said_not_an_error(app: Dash, pages: dict[str, ModuleType]) -> None:
    with app.server.test_request_context("/"):
        counts = {j: len(data.scores(j, "gemeente", ScoringConfig())) for j in data.years()}
    lonely = [j for j, n in counts.items() if n == 1]
    if not lonely:
        pytest.skip("every year of the store has several gemeenten: none is without peers")
    with app.server.test_request_context("/"):
        rows = data.scores(lonely[0], "gemeente", ScoringConfig())
    nodes = _page(app, pages, code=str(rows.index[0]), jaar=str(lonely[0]))
    text = json.dumps([n["props"].get("children") for n in nodes], default=str)
    assert "Geen vergelijkbare gebieden" in text


def test_the_compare_page_sets_the_peers_median_beside_the_areas(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    jaar, codes = _expected(app, CODE)
    with app.server.test_request_context("/"):
        out = pages["vergelijk"].result(ViewState(jaar=jaar, codes=(CODE,)))
    figure = next(
        n["props"]["figure"]
        for n in _walk(
            json.loads(json.dumps(out.to_plotly_json(), default=lambda o: o.to_plotly_json()))
        )
        if n.get("type") == "Graph"
    )
    traces = {trace.get("name"): trace for trace in figure["data"]}
    reference = traces[f"Mediaan van {len(codes)} wijken vergelijkbaar met Wijk 03 Overvecht"]
    with app.server.test_request_context("/"):
        p = areas.profile(CODE, jaar, ViewState())
        assert p is not None
        scores = data.scores(jaar, "wijk", p.config)
    labels = {domain_label(d, "nl"): d for d in p.domains}
    for value, domain in zip(reference["x"], reference["y"], strict=True):
        median = scores.loc[codes, f"score_{labels[domain]}"].median()
        assert value == pytest.approx(median, abs=0.05)  # the chart rounds to one decimal


def test_a_focus_area_is_set_beside_the_wijken_comparable_to_its_members(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    from dashboard import focusareas

    with app.server.test_request_context("/"):
        jaar = focusareas.year_for(None)
        assert jaar is not None
        d = focusareas.detail("utrecht-overvecht", jaar, ViewState())
        assert d is not None
        frame = data.scores(jaar, "wijk", d.config)
        members = list(d.members.index)
        codes = {c for m in members for c in find_peers(frame, m).codes} - set(members)
        out = pages["focusgebied"].layout(focus_id="utrecht-overvecht")
    figure = next(
        n["props"]["figure"]
        for n in _walk(
            json.loads(json.dumps(out.to_plotly_json(), default=lambda o: o.to_plotly_json()))
        )
        if n.get("type") == "Graph"
        and any(t.get("type") == "bar" for t in n["props"]["figure"]["data"])
    )
    traces = {trace.get("name"): trace for trace in figure["data"]}
    name = f"Mediaan van {len(codes)} wijken vergelijkbaar met de wijken van het focusgebied"
    labels = {domain_label(x, "nl"): x for x in d.domains}
    for value, domain in zip(traces[name]["x"], traces[name]["y"], strict=True):
        median = frame.loc[sorted(codes), f"score_{labels[domain]}"].median()
        assert value == pytest.approx(median, abs=0.05)
