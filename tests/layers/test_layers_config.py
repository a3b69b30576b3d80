"""The scoring configuration: defaults, validation, and the round trip through a dict."""

from __future__ import annotations

import dataclasses
import json

import pytest

from layers.config import ScoringConfig
from layers.indicators import SCORED_DOMAINS


def test_defaults_follow_the_recipe() -> None:
    config = ScoringConfig()
    assert config.min_population == 200
    assert config.threshold == 80.0
    assert config.reference == "nl"
    assert config.min_coverage == 0.5
    assert config.weights == tuple((d, 1.0) for d in SCORED_DOMAINS)
    assert all(config.weight(d) == 1.0 for d in SCORED_DOMAINS)


def test_it_is_frozen_and_hashable() -> None:
    config = ScoringConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.threshold = 90.0  # type: ignore[misc]
    assert hash(config) == hash(ScoringConfig())


def test_round_trip_through_json() -> None:
    config = ScoringConfig(
        min_population=50,
        threshold=75,
        weights={d: float(i) for i, d in enumerate(SCORED_DOMAINS)},
        reference="gemeente",
        min_coverage=1.0,
    )
    again = ScoringConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert again == config
    assert again.weights[0] == ("armoede_werk", 0.0)
    assert ScoringConfig.from_dict({}) == ScoringConfig()


def test_replace_validates_and_accepts_a_mapping_of_weights() -> None:
    weights = dict.fromkeys(SCORED_DOMAINS, 1.0) | {"veiligheid": 3.0}
    config = ScoringConfig().replace(weights=weights, threshold=90)
    assert config.weight("veiligheid") == 3.0
    assert config.threshold == 90.0
    with pytest.raises(ValueError, match="Unknown scoring parameters"):
        ScoringConfig().replace(drempel=90)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"min_population": -1}, "min_population must be a whole number"),
        ({"min_population": 2.5}, "min_population must be a whole number"),
        ({"threshold": 120}, "threshold must be a number from 0 to 100"),
        ({"reference": "provincie"}, "reference must be one of nl, gemeente"),
        ({"min_coverage": 0}, "min_coverage must be a share"),
        ({"weights": {"wonen": 1}}, "must name each scored domain"),
        ({"weights": dict.fromkeys(SCORED_DOMAINS, -1)}, "must be a number ≥ 0"),
        ({"weights": dict.fromkeys(SCORED_DOMAINS, 0)}, "At least one domain"),
        ({"weights": "equal"}, "weights must be a mapping"),
        ({"colour": "red"}, "Unknown scoring parameters"),
    ],
)
def test_from_dict_rejects_bad_values(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ScoringConfig.from_dict(data)


def test_weight_of_an_unscored_domain_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="not a scored domain"):
        ScoringConfig().weight("context")


def test_gemeenten_are_always_ranked_among_nl() -> None:
    within = ScoringConfig(reference="gemeente", threshold=70.0)
    assert within.for_niveau("wijk") is within and within.for_niveau("buurt") is within
    assert within.for_niveau("gemeente") == within.replace(reference="nl")
    assert ScoringConfig().for_niveau("gemeente") == ScoringConfig()
