"""Layout pieces shared by the pages: year links, fields, cards, the profile, downloads."""

from __future__ import annotations

from typing import Any

from plotly.io.json import to_json_plotly

from dashboard import components, ids, whatif
from dashboard.i18n import t


def _json(component: Any) -> str:
    """The component tree as Dash sends it."""
    return str(to_json_plotly(component))


def test_year_links_mark_the_current_year() -> None:
    links = components.year_links({2019: "/x?jaar=2019", 2022: "/x?jaar=2022"}, 2022, "en")
    label, other, current = links.children
    assert label.children == t("area.years", "en")
    assert (other.children, other.href) == ("2019", "/x?jaar=2019")
    assert current.children == "2022" and "aria-current" in _json(current)
    assert links.className == "year-links"
    assert components.year_links({}, None, "nl", printed=False).className == ("year-links no-print")


def test_field_labels_its_control() -> None:
    control = components.dropdown("some-id", "en", options=[], value=None)
    field = components.field("Year", control, grow=True)
    label, inner = field.children
    assert field.className == "field field-grow"
    assert (label.htmlFor, label.id) == ("some-id", "some-id-label")
    assert inner is control and control.labels["search"] == "Search"
    assert components.dropdown("x", "nl").labels["search"] != "Search"


def test_card_and_stacking_card() -> None:
    card = components.card("Title", "body", class_name="map-small")
    assert card.className == "card map-small" and card.children[1] == "body"
    assert card.children[0].className == "h-small"
    title, count, *sentences = components.stacking_card(
        "Stacking", 2.0, 5, ["One.", "Two."], "en"
    ).children
    assert title.id == "stacking-title"
    assert [c.children for c in count.children] == ["2", "/ 5"]
    assert [p.children for p in sentences] == ["One.", "Two."]
    unscored = components.stacking_card("S", None, 0, [], "nl").children[1]
    assert [c.children for c in unscored.children] == ["–", ""]


def test_profile_is_a_note_without_domains() -> None:
    assert "Wonen" in _json(
        components.profile(["Wonen"], [("A", [50.0])], threshold=80, taal="nl", jaar=2022)
    )
    note = components.profile([], [], threshold=80, taal="nl", jaar=2017)
    assert note.className == "note note-info" and "2017" in _json(note)


def test_downloads_hold_their_download_component() -> None:
    text = _json(components.downloads("nl", printable=True))
    assert f'"id":"{ids.DOWNLOAD}"' in text and ids.PRINT_BUTTON in text


def test_every_whatif_weight_slider_is_named_by_its_group() -> None:
    from dashboard.urls import parse_view
    from layers.indicators import SCORED_DOMAINS

    panel = whatif.panel(parse_view(""))
    text = _json(panel).replace(" ", "")
    for domain in SCORED_DOMAINS:
        label_id = f"weight-{domain}-label"
        assert f'"aria-labelledby":"{label_id}"' in text
        assert f'"id":"{label_id}"' in text
    assert '"htmlFor":"weight-' not in text  # a label pointing at no element


def _find(node: Any, wanted: Any) -> dict[str, Any]:
    """The props of the component with id ``wanted`` in a layout's JSON form."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == wanted:
            return dict(props)
        for value in node.values():
            found = _find(value, wanted)
            if found:
                return found
    elif isinstance(node, list):
        for item in node:
            found = _find(item, wanted)
            if found:
                return found
    return {}


def test_the_whatif_controls_offer_exactly_what_the_url_accepts() -> None:
    import json

    from dashboard.urls import WEIGHT_PREFIX, ViewState, parse_view
    from layers.config import ScoringConfig
    from layers.indicators import SCORED_DOMAINS

    panel = json.loads(to_json_plotly(whatif.panel(ViewState())))
    domain = SCORED_DOMAINS[0]
    default = ScoringConfig()

    def read(key: str, value: float) -> float:
        scoring = parse_view(f"{key}={value:g}").scoring
        return scoring.weight(domain) if key.startswith(WEIGHT_PREFIX) else getattr(scoring, key)

    controls = {
        WEIGHT_PREFIX + domain: (
            {"type": ids.WHATIF_WEIGHT, "domain": domain},
            default.weight(domain),
        ),
        "threshold": (ids.WHATIF_THRESHOLD, default.threshold),
        "min_population": (ids.WHATIF_MIN_POPULATION, default.min_population),
        "max_age": (ids.WHATIF_MAX_AGE, default.max_age),
    }
    for key, (control, fallback) in controls.items():
        props = _find(panel, control)
        low, high, step = props["min"], props["max"], props["step"]
        for value, accepted in (
            (low, True),
            (high, True),
            (high + step, False),
            (low - step, False),
        ):
            assert read(key, value) == (value if accepted else fallback), (key, value)
