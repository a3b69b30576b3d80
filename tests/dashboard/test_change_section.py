"""The change section of the area page: per-indicator change, change map and movers."""

from __future__ import annotations

import json
from types import ModuleType

import pytest
from dash import Dash

from dashboard import areas, data
from dashboard import change as change_section
from dashboard.urls import ViewState
from layers import constants
from layers.change import CLASSES
from layers.config import ScoringConfig

GEMEENTE = "GM0344"


def _layout(app: Dash, pages: dict[str, ModuleType], **query: str) -> str:
    with app.server.test_request_context("/"):
        out = pages["gebied"].layout(**query).to_plotly_json()
    return json.dumps(out, default=lambda o: o.to_plotly_json())


def _profile(app: Dash, code: str) -> areas.Profile:
    with app.server.test_request_context("/"):
        jaar, _ = areas.year_for(code, None)
        assert jaar is not None
        p = areas.profile(code, jaar, ViewState())
    assert p is not None
    return p


def test_a_gemeente_page_shows_a_change_map_and_movers(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    p = _profile(app, GEMEENTE)
    with app.server.test_request_context("/"):
        earlier = change_section.earlier_year(p)
        if earlier is None or data.web_layer(p.jaar, "wijk", GEMEENTE) is None:
            pytest.skip("the store has no earlier edition or no wijk boundaries for this gemeente")
        van, held = earlier
        inds = change_section.shared(p, van, "wijk")
        result = data.change_between(van, p.jaar, "wijk", p.config, inds[0].id)
        section = change_section.section(p, ViewState())
    assert held
    text = json.dumps(section.to_plotly_json(), default=lambda o: o.to_plotly_json())
    assert change_section.MAP_ID in text
    # The legend words the classes by the indicator's direction; new codes are a class.
    words = {"hoger_beter": "beter", "hoger_slechter": "slechter", "neutraal": "hoger"}
    assert words[inds[0].direction] in text
    assert "nieuwe code (grenzen gewijzigd)" in text
    mine = result[result["gemeente_code"] == GEMEENTE]
    both = mine[mine[constants.STATUS] == constants.BEIDE]
    biggest = both[constants.VERSCHIL].abs().idxmax()
    assert str(mine.loc[biggest, "naam"]) in text


def test_the_change_map_classes_follow_the_layers(app: Dash) -> None:
    p = _profile(app, GEMEENTE)
    with app.server.test_request_context("/"):
        earlier = change_section.earlier_year(p)
        if earlier is None:
            pytest.skip("no earlier edition in the store")
        van, _ = earlier
        ind = change_section.shared(p, van, "wijk")[0]
        result = data.change_between(van, p.jaar, "wijk", p.config, ind.id)
    classes = change_section.classification(result, ind, "nl")
    order = [*CLASSES[ind.direction], constants.NIEUW]
    for cls, klasse in zip(classes.classes, result[constants.KLASSE], strict=True):
        if str(klasse) in order:
            assert cls == order.index(str(klasse))
        else:
            assert cls == -1  # unknown (or gone: not on the later map)
    counts = {e.label: e.count for e in classes.entries}
    assert sum(counts.values()) == len(result)


def test_the_area_page_lists_the_change_per_indicator(
    app: Dash, pages: dict[str, ModuleType]
) -> None:
    p = _profile(app, "WK034403")
    with app.server.test_request_context("/"):
        earlier = change_section.earlier_year(p)
    if earlier is None:
        pytest.skip("no earlier edition in the store")
    van, held = earlier
    text = _layout(app, pages, code="WK034403")
    assert f"Verandering sinds {van}" in text
    if held:
        assert "Waarde " + str(van) in text
    else:
        assert "bestaat niet in" in text


def test_an_area_without_an_earlier_code_says_so(app: Dash, pages: dict[str, ModuleType]) -> None:
    with app.server.test_request_context("/"):
        years = data.years()
        later = [j for j in years if j > years[0] and data.has_statistics(j, "wijk")]
        config = ScoringConfig()
        new: list[tuple[int, str]] = []
        for jaar in later:
            earlier = [set(data.scores(j, "wijk", config).index) for j in years if j < jaar]
            seen = set().union(*earlier)
            codes = [c for c in data.scores(jaar, "wijk", config).index if c not in seen]
            new += [(jaar, str(c)) for c in codes[:1]]
    if not new:
        pytest.skip("every wijk code of the store already exists in an earlier year")
    jaar, code = new[0]
    text = _layout(app, pages, code=code, jaar=str(jaar))
    assert "bestaat niet in" in text
