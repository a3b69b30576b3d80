"""Comparable areas ("wijken like mine"): the nearest areas of the same view by context only.

An area's peers are the ``k`` areas of the same year and niveau whose *context* is closest:
population size, urbanity, age structure, household composition and housing stock
(:data:`FEATURES`, all context indicators of :mod:`layers.indicators`). Problem indicators
are never features, so the areas can then be compared on exactly those problems
(:func:`compare_with_peers`).

Method, stated once here and shown wherever peers are shown:

1. Each feature is read from the view (the score frame of :func:`layers.scoring.score`);
   sizes and densities are compared on ``log(1 + value)``.
2. Areas lacking a feature, or with too few inhabitants to be scored (``te_weinig_inwoners``),
   are left out of the search and counted; a feature the view does not carry, or that the
   area itself lacks, is dropped and named.
3. Each feature is standardised robustly over the areas searched: ``(x − median) ÷ IQR``
   (interquartile range; the standard deviation where the IQR is 0, else 1).
4. Distance = Euclidean distance of the standardised features, each multiplied by the square
   root of its weight, so ``d² = Σ weight × z²``. Every aspect weighs 1 by default, shared by
   its features. The search is scikit-learn's :class:`~sklearn.neighbors.NearestNeighbors`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
from sklearn.neighbors import NearestNeighbors

from etl import schema
from layers import constants
from layers.errors import PeerError, UnknownAreaError
from layers.indicators import INDICATORS, SCORED_DOMAINS, get_indicator


@dataclass(frozen=True)
class Feature:
    """One context feature of the peer search.

    Attributes
    ----------
    indicator
        Id of a context indicator (:data:`layers.indicators.INDICATORS`).
    aspect
        What it describes: ``omvang``, ``verstedelijking``, ``leeftijd``, ``huishoudens``
        or ``woningen``.
    weight
        Default weight (each aspect sums to 1).
    log
        Whether it is compared on ``log(1 + value)`` (sizes and densities).
    """

    indicator: str
    aspect: str
    weight: float
    log: bool = False


_THIRD = 1.0 / 3.0

FEATURES: Final[tuple[Feature, ...]] = (
    Feature(constants.INWONERS, "omvang", 1.0, log=True),
    Feature("bevolkingsdichtheid", "verstedelijking", _THIRD, log=True),
    Feature("omgevingsadressendichtheid", "verstedelijking", _THIRD, log=True),
    Feature("stedelijkheid", "verstedelijking", _THIRD),
    Feature("leeftijd_0_15", "leeftijd", 0.2),
    Feature("leeftijd_15_25", "leeftijd", 0.2),
    Feature("leeftijd_25_45", "leeftijd", 0.2),
    Feature("leeftijd_45_65", "leeftijd", 0.2),
    Feature("leeftijd_65_plus", "leeftijd", 0.2),
    Feature("eenpersoonshuishoudens", "huishoudens", _THIRD),
    Feature("huishoudens_met_kinderen", "huishoudens", _THIRD),
    Feature("huishoudensgrootte", "huishoudens", _THIRD),
    Feature("woningen_per_1000", "woningen", _THIRD, log=True),
    Feature("meergezinswoningen", "woningen", _THIRD),
    Feature("bouwjaar_vanaf_2000", "woningen", _THIRD),
)
"""The context features and their default weights, in display order."""

_BY_ID: Final[Mapping[str, Feature]] = {f.indicator: f for f in FEATURES}

for _f in FEATURES:  # a problem indicator must never become a feature
    if get_indicator(_f.indicator).scored:
        raise PeerError(f"Peer feature {_f.indicator!r} is a scored problem indicator.")

_SCORED: Final = frozenset(i.id for i in INDICATORS if i.scored)

COMPARED: Final[tuple[str, ...]] = (
    *(constants.score_column(d) for d in SCORED_DOMAINS),
    constants.SAMENGESTELD,
)
"""The score columns :func:`compare_with_peers` compares, in display order."""


@dataclass(frozen=True)
class PeerSet:
    """The comparable areas of one area, with the method that found them.

    Attributes
    ----------
    code
        The area compared.
    peers
        Index ``code`` (nearest first); ``peer_rang`` (1 …), ``afstand``, ``naam``,
        ``gemeentenaam`` and the value of every feature used, in its unit.
    method
        Index feature id; ``aspect``, ``weight``, ``log``, ``median`` and ``scale`` (IQR,
        on the compared scale) of each feature used.
    searched
        Number of areas the search ran over (the area included).
    left_out
        Number of areas of the view left out: a feature missing or too few inhabitants.
    dropped
        Features the view does not carry or the area lacks, with the reason.
    """

    code: str
    peers: pd.DataFrame
    method: pd.DataFrame
    searched: int
    left_out: int
    dropped: Mapping[str, str]

    @property
    def codes(self) -> list[str]:
        """Codes of the peers, nearest first."""
        return [str(c) for c in self.peers.index]

    @property
    def features(self) -> list[str]:
        """Ids of the features used."""
        return [str(f) for f in self.method.index]


def _choose(
    features: Sequence[str] | None, weights: Mapping[str, float] | None
) -> list[tuple[Feature, float]]:
    ids = list(features) if features is not None else [f.indicator for f in FEATURES]
    unknown = [f for f in [*ids, *(weights or {})] if f not in _BY_ID]
    problems = [f for f in unknown if f in _SCORED]
    if problems:
        raise PeerError(
            f"{problems} are problem indicators; peers are found by context only, so the "
            f"problems can be compared: choose from {', '.join(_BY_ID)}."
        )
    if unknown:
        raise PeerError(
            f"Unknown peer features {unknown}; choose from the context features "
            f"{', '.join(_BY_ID)}."
        )
    chosen = []
    for fid in dict.fromkeys(ids):
        w = (weights or {}).get(fid, _BY_ID[fid].weight)
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise PeerError(f"The weight of peer feature {fid!r} must be a number ≥ 0; got {w!r}.")
        if w > 0:
            chosen.append((_BY_ID[fid], float(w)))
    if not chosen:
        raise PeerError("Choose at least one peer feature with a weight above 0.")
    return chosen


def robust_scale(values: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return the median and the robust scale of each column.

    The scale is the interquartile range; where it is 0 or undefined the standard
    deviation, and where that is 0 too, 1 (so a constant column adds nothing).
    """
    median = values.median()
    iqr = values.quantile(0.75) - values.quantile(0.25)
    std = values.std(ddof=0)
    scale = iqr.where(iqr > 0, std).where(lambda s: s > 0, 1.0).fillna(1.0)
    return median, scale


def find_peers(
    view: pd.DataFrame,
    code: str,
    *,
    k: int = 10,
    features: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> PeerSet:
    """Return the ``k`` areas of ``view`` most similar to ``code`` by context.

    Parameters
    ----------
    view
        The areas of one year and niveau, as :func:`layers.scoring.score` returns them
        (index ``code``; the context indicator columns, ``naam``, ``gemeentenaam``).
    code
        The area to find peers for.
    k
        Number of peers (fewer when fewer areas qualify).
    features
        Ids of the features to use (default: all of :data:`FEATURES`); a feature the view
        does not carry is dropped and named in :attr:`PeerSet.dropped`.
    weights
        Feature id → weight, overriding the defaults; 0 leaves a feature out.

    Raises
    ------
    layers.errors.UnknownAreaError
        When ``code`` is not in the view.
    layers.errors.PeerError
        For unknown features, bad weights, ``k < 1``, no usable feature, or no other area
        with every feature.
    """
    if k < 1:
        raise PeerError(f"Ask for at least 1 comparable area; got k={k}.")
    if code not in view.index:
        raise UnknownAreaError(
            f"No area {code!r} in this view ({len(view):,} areas); check the code and that it "
            "exists in this year's indeling (CBS gives an area a new code when its "
            "boundaries change)."
        )
    dropped: dict[str, str] = {}
    used: list[tuple[Feature, float]] = []
    for feat, w in _choose(features, weights):
        values = view[feat.indicator] if feat.indicator in view.columns else None
        if values is None or values.isna().all():
            dropped[feat.indicator] = "not in this year's data"
        elif pd.isna(values.loc[code]):
            dropped[feat.indicator] = f"missing for {code}"
        else:
            used.append((feat, w))
    if not used:
        raise PeerError(
            f"None of the peer features has a value for {code} in this view; dropped: {dropped}."
        )
    ids = [f.indicator for f, _ in used]
    raw = view[ids].astype("float64")
    compared = raw.copy()
    for feat, _ in used:
        if feat.log:
            compared[feat.indicator] = np.log1p(compared[feat.indicator].clip(lower=0))
    eligible = compared.notna().all(axis=1)
    if constants.TE_WEINIG_INWONERS in view.columns:
        eligible &= ~view[constants.TE_WEINIG_INWONERS].fillna(True).astype(bool)
    eligible.loc[code] = True
    pool = compared[eligible]
    if len(pool) < 2:
        raise PeerError(
            f"No other area of this view has every feature ({', '.join(ids)}); choose fewer "
            "features."
        )
    median, scale = robust_scale(pool)
    root = np.sqrt(np.array([w for _, w in used]))
    z = ((pool - median) / scale).to_numpy() * root
    n = min(k + 1, len(pool))
    search = NearestNeighbors(n_neighbors=n).fit(z)
    where = pool.index.get_loc(code)
    dist, pos = search.kneighbors(z[[where]])
    order = [(d, p) for d, p in zip(dist[0], pos[0], strict=True) if p != where][:k]
    peer_codes = pool.index[[p for _, p in order]]
    peers = pd.DataFrame(
        {
            constants.PEER_RANG: np.arange(1, len(order) + 1),
            constants.AFSTAND: [float(d) for d, _ in order],
        },
        index=peer_codes,
    )
    for col in (schema.NAAM, schema.GEMEENTENAAM):
        if col in view.columns:
            peers[col] = view.loc[peer_codes, col].to_numpy()
    peers = peers.join(raw.loc[peer_codes])
    method = pd.DataFrame(
        {
            "aspect": [f.aspect for f, _ in used],
            "weight": [w for _, w in used],
            "log": [f.log for f, _ in used],
            "median": median.to_numpy(),
            "scale": scale.to_numpy(),
        },
        index=pd.Index(ids, name="feature"),
    )
    return PeerSet(
        code=code,
        peers=peers,
        method=method,
        searched=len(pool),
        left_out=int(len(view) - len(pool)),
        dropped=dropped,
    )


def compare_with_peers(view: pd.DataFrame, peers: PeerSet) -> pd.DataFrame:
    """Return the area's domain scores against its peers' median and range.

    Parameters
    ----------
    view
        The view the peers were found in.
    peers
        The result of :func:`find_peers`.

    Returns
    -------
    pandas.DataFrame
        Index :data:`COMPARED` (the score columns the view has); ``gebied`` (the area's
        score), ``peers_mediaan``, ``peers_min``, ``peers_max`` and ``peers_n`` (peers with
        a score), all 0–100 (higher = worse) but the count.
    """
    cols = [c for c in COMPARED if c in view.columns]
    block = view.loc[peers.codes, cols].astype("float64")
    return pd.DataFrame(
        {
            "gebied": view.loc[peers.code, cols].astype("float64").to_numpy(),
            "peers_mediaan": block.median().to_numpy(),
            "peers_min": block.min().to_numpy(),
            "peers_max": block.max().to_numpy(),
            "peers_n": block.notna().sum().to_numpy(),
        },
        index=pd.Index(cols, name="score"),
    )


def peer_frame(view: pd.DataFrame, peers: PeerSet) -> pd.DataFrame:
    """Return the view's rows of the area and its peers, for export.

    The area comes first with ``peer_rang`` 0 and ``afstand`` 0, then the peers nearest
    first; every column of the view is kept (:func:`layers.export.export_frame` orders
    them and :func:`layers.export.codebook` describes them); the view's ``attrs`` (its
    provenance) come along.
    """
    rows = view.loc[[peers.code, *peers.codes]].copy()
    rows.attrs = dict(view.attrs)
    rows.insert(0, constants.PEER_RANG, [0, *peers.peers[constants.PEER_RANG].tolist()])
    rows.insert(1, constants.AFSTAND, [0.0, *peers.peers[constants.AFSTAND].tolist()])
    return rows


def codebook_notes(peers: PeerSet) -> dict[str, object]:
    """What a codebook of a peer export adds: how the peers were found, and each feature's
    weight and transform (``extra`` of :func:`layers.export.bundle`)."""
    return {"peers": method_text(peers), "peer_method": peers.method.to_dict("index")}


def method_text(peers: PeerSet) -> str:
    """One paragraph (English) saying how the peers were found, for codebooks and CLIs."""
    parts = ", ".join(
        f"{fid} ×{row.weight:.2f}{' (log)' if row.log else ''}"
        for fid, row in peers.method.iterrows()
    )
    dropped = "; ".join(f"{f}: {why}" for f, why in peers.dropped.items())
    return (
        f"Nearest {len(peers.peers)} of {peers.searched - 1:,} areas by context only "
        f"(features × weight: {parts}); each feature standardised as (x − median) ÷ IQR over "
        "the areas searched; distance = √Σ weight × z² (scikit-learn NearestNeighbors). "
        f"{peers.left_out:,} areas left out (a feature missing or too few inhabitants)."
        + (f" Features dropped: {dropped}." if dropped else "")
    )
