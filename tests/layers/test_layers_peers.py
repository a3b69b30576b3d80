"""Comparable areas: context features only, robust standardisation, weights, missing data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from layers import constants
from layers.config import ScoringConfig
from layers.errors import PeerError, UnknownAreaError
from layers.export import codebook, export_frame
from layers.indicators import get_indicator
from layers.peers import (
    FEATURES,
    compare_with_peers,
    find_peers,
    method_text,
    peer_frame,
    robust_scale,
)
from layers.scoring import score


def _view(**columns: list[float]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    codes = [f"WK0001{i:02d}" for i in range(n)]
    frame = pd.DataFrame(columns, index=pd.Index(codes, name="code"), dtype="float64")
    frame.insert(0, "naam", [f"Wijk {i}" for i in range(n)])
    frame.insert(1, "gemeentenaam", "Gemeente")
    return frame


def test_features_are_context_indicators_only() -> None:
    assert FEATURES
    for feature in FEATURES:
        assert get_indicator(feature.indicator).domain == "context"
    aspects = {f.aspect for f in FEATURES}
    for aspect in aspects:
        total = sum(f.weight for f in FEATURES if f.aspect == aspect)
        assert total == pytest.approx(1.0)


def test_a_problem_indicator_is_refused_as_feature() -> None:
    view = _view(inwoners=[1000, 2000, 3000], bijstand_per_1000=[1, 2, 3])
    with pytest.raises(PeerError, match="bijstand_per_1000.*problem indicators"):
        find_peers(view, "WK000100", features=["inwoners", "bijstand_per_1000"])


def test_nearest_by_weighted_robust_distance_matches_a_direct_computation() -> None:
    rng = np.random.default_rng(7)
    n = 40
    view = _view(
        inwoners=list(rng.integers(300, 50_000, n).astype(float)),
        leeftijd_0_15=list(rng.uniform(5, 30, n)),
        leeftijd_65_plus=list(rng.uniform(5, 40, n)),
    )
    weights = {"inwoners": 1.0, "leeftijd_0_15": 0.5, "leeftijd_65_plus": 0.25}
    target = view.index[3]
    peers = find_peers(view, target, k=5, features=list(weights), weights=weights)
    x = view[list(weights)].copy()
    x["inwoners"] = np.log1p(x["inwoners"])
    q1, q3 = x.quantile(0.25), x.quantile(0.75)
    z = (x - x.median()) / (q3 - q1)
    d = np.sqrt(((z - z.loc[target]) ** 2 * pd.Series(weights)).sum(axis=1)).drop(target)
    expected = d.sort_values().head(5)
    assert peers.codes == list(expected.index)
    np.testing.assert_allclose(peers.peers[constants.AFSTAND], expected.to_numpy())
    assert peers.peers[constants.PEER_RANG].tolist() == [1, 2, 3, 4, 5]
    assert target not in peers.codes
    assert peers.method["weight"].to_dict() == weights


def test_weights_decide_which_aspect_matters() -> None:
    # Area 1 has the target's size, area 2 its age structure.
    view = _view(
        inwoners=[10_000, 10_000, 1_000, 3_000, 30_000],
        leeftijd_65_plus=[20.0, 40.0, 20.0, 30.0, 10.0],
    )
    size = find_peers(view, "WK000100", k=1, weights={"leeftijd_65_plus": 0.01})
    age = find_peers(view, "WK000100", k=1, weights={"inwoners": 0.01})
    assert size.codes == ["WK000101"]
    assert age.codes == ["WK000102"]


def test_a_zero_weight_leaves_a_feature_out() -> None:
    view = _view(inwoners=[1000, 2000, 3000], leeftijd_0_15=[10, 20, 30])
    peers = find_peers(view, "WK000100", weights={"leeftijd_0_15": 0})
    assert peers.features == ["inwoners"]


def test_missing_features_drop_areas_and_features_and_say_so() -> None:
    view = _view(
        inwoners=[1000, 1100, 1200, 5000],
        leeftijd_0_15=[10, np.nan, 12, 30],
        stedelijkheid=[np.nan, 2, 3, 4],
    )
    peers = find_peers(view, "WK000100")
    assert "WK000101" not in peers.codes  # lacks leeftijd_0_15
    assert peers.left_out == 1
    assert peers.searched == 3
    assert peers.dropped["stedelijkheid"] == "missing for WK000100"
    assert peers.dropped["bevolkingsdichtheid"] == "not in this year's data"
    assert "stedelijkheid" not in peers.features
    text = method_text(peers)
    assert "1 areas left out" in text and "stedelijkheid: missing for WK000100" in text


def test_areas_too_small_to_score_are_not_peers() -> None:
    view = _view(inwoners=[1000, 1001, 1500, 4000])
    view[constants.TE_WEINIG_INWONERS] = [False, True, False, False]
    peers = find_peers(view, "WK000100", k=2)
    assert peers.codes == ["WK000102", "WK000103"]


def test_k_is_capped_by_the_areas_available() -> None:
    view = _view(inwoners=[1000, 2000, 3000])
    assert len(find_peers(view, "WK000101", k=10).codes) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"code": "WK999999"}, UnknownAreaError, "WK999999"),
        ({"k": 0}, PeerError, "at least 1"),
        ({"features": ["onbekend"]}, PeerError, "Unknown peer features"),
        ({"weights": {"inwoners": -1.0}}, PeerError, "≥ 0"),
        ({"weights": {"inwoners": float("nan")}}, PeerError, "≥ 0"),
        ({"features": ["leeftijd_0_15"]}, PeerError, "None of the peer features"),
    ],
)
def test_bad_requests_get_clear_errors(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    view = _view(inwoners=[1000, 2000, 3000])
    args: dict[str, object] = {"code": "WK000100", **kwargs}
    with pytest.raises(error, match=match):
        find_peers(view, **args)  # type: ignore[arg-type]


def test_no_other_area_with_every_feature_is_an_error() -> None:
    view = _view(inwoners=[1000, 2000], leeftijd_0_15=[10, np.nan])
    with pytest.raises(PeerError, match="No other area"):
        find_peers(view, "WK000100")


def test_robust_scale_ignores_an_outlier_and_survives_constant_columns() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 1000.0], "b": [5.0] * 5, "c": [1, 1, 1, 1, 9]})
    median, scale = robust_scale(frame.astype("float64"))
    assert median["a"] == 3.0
    assert scale["a"] == 2.0  # IQR (4 − 2), not the outlier-driven standard deviation
    assert scale["b"] == 1.0  # constant: adds nothing
    assert scale["c"] == pytest.approx(np.std([1, 1, 1, 1, 9]))  # IQR 0: standard deviation


def test_compare_with_peers_gives_median_and_range(make_stats) -> None:  # type: ignore[no-untyped-def]
    stats = make_stats(
        6,
        AantalInwoners=[1000, 1100, 1200, 900, 5000, 800],
        PersonenPerSoortUitkeringBijstand=[10, 20, 30, 40, 50, 60],
        k_65JaarOfOuder=[100, 110, 130, 90, 900, 5],
    )
    view = score(stats)
    peers = find_peers(view, view.index[0], k=3)
    table = compare_with_peers(view, peers)
    col = constants.score_column("armoede_werk")
    block = view.loc[peers.codes, col]
    assert table.loc[col, "gebied"] == view.loc[view.index[0], col]
    assert table.loc[col, "peers_mediaan"] == block.median()
    assert table.loc[col, "peers_min"] == block.min()
    assert table.loc[col, "peers_max"] == block.max()
    assert table.loc[col, "peers_n"] == 3
    assert table.loc[constants.score_column("onderwijs"), "peers_n"] == 0


def test_the_peer_set_exports_with_a_codebook(make_stats) -> None:  # type: ignore[no-untyped-def]
    stats = make_stats(5, AantalInwoners=[1000, 1100, 1200, 900, 5000], k_65JaarOfOuder=100)
    view = score(stats)
    peers = find_peers(view, view.index[2], k=2)
    frame = export_frame(peer_frame(view, peers))
    assert frame["code"].tolist() == [view.index[2], *peers.codes]
    assert frame[constants.PEER_RANG].tolist() == [0, 1, 2]
    assert frame[constants.AFSTAND].iloc[0] == 0.0
    assert "leeftijd_65_plus" in frame.columns
    book = codebook(
        list(frame.columns),
        config=ScoringConfig(),
        vintage={"niveau": "wijk"},
        extra={"peers": method_text(peers)},
    )
    described = book[book["kind"] == "column"]["column"].tolist()
    assert described == list(frame.columns)
    assert "robust" in book.set_index("column").loc[constants.AFSTAND, "definition"]
    assert book.set_index("column").loc["peers", "value"].startswith("Nearest 2")
