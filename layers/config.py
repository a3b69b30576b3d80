"""Every parameter of the scoring recipe in one frozen object.

:class:`ScoringConfig` holds the defaults of the recipe in ``DESIGN.md`` (minimum
population 200, threshold 80, equal weights, reference NL, half of a domain's indicators
present, figures at most 4 years older than the view). The dashboard changes them with
:meth:`ScoringConfig.replace`; every export writes :meth:`ScoringConfig.to_dict` into its
codebook, and :meth:`ScoringConfig.from_dict` reads it back, so any result can be reproduced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from dataclasses import replace as _replace
from typing import Any, Final, Literal, cast, get_args

from layers.constants import DEFAULT_MAX_AGE
from layers.indicators import SCORED_DOMAINS

Reference = Literal["nl", "gemeente"]
"""Against which areas percentiles are ranked: all of NL, or those of the same gemeente."""

REFERENCES: Final[tuple[str, ...]] = get_args(Reference)

Weights = tuple[tuple[str, float], ...]

MAX_AGE_RANGE: Final = (0, 10)
"""The allowed range of :attr:`ScoringConfig.max_age` in years (both ends included)."""

EQUAL_WEIGHTS: Final[Weights] = tuple((d, 1.0) for d in SCORED_DOMAINS)
"""Weight 1 for each of the five scored domains."""


def _weights(value: object) -> Weights:
    """Normalise weights given as a mapping or pairs into pairs in domain order."""
    if isinstance(value, Mapping):
        pairs = list(value.items())
    elif isinstance(value, (tuple, list)):
        try:
            pairs = [(d, w) for d, w in value]
        except (TypeError, ValueError):
            raise ValueError(
                "weights must be a mapping or pairs of (domain, weight), "
                f"e.g. {dict(EQUAL_WEIGHTS)}; got {value!r}."
            ) from None
    else:
        raise ValueError(f"weights must be a mapping of domain → weight; got {value!r}.")
    given = dict(pairs)
    if len(given) != len(pairs) or set(given) != set(SCORED_DOMAINS):
        raise ValueError(
            f"weights must name each scored domain once ({', '.join(SCORED_DOMAINS)}); "
            f"got {[d for d, _ in pairs]}."
        )
    out = []
    for domain in SCORED_DOMAINS:
        w = given[domain]
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise ValueError(f"The weight of {domain!r} must be a number ≥ 0; got {w!r}.")
        out.append((domain, float(w)))
    if sum(w for _, w in out) <= 0:
        raise ValueError("At least one domain needs a weight above 0.")
    return tuple(out)


@dataclass(frozen=True)
class ScoringConfig:
    """Parameters of the scoring recipe.

    Attributes
    ----------
    min_population
        Areas with fewer inhabitants (or an unknown number) get no scores and are flagged
        ``te_weinig_inwoners``; they are also left out of the reference distribution.
    threshold
        A domain counts towards the stacking count when its score is at or above this
        value (0–100; default: the 80th percentile).
    weights
        ``(domain, weight)`` for each of the five scored domains, used by the composite
        score; a mapping is accepted and stored as pairs in domain order. Equal by default.
    reference
        ``"nl"``: percentiles against all areas of the same niveau and year in NL;
        ``"gemeente"``: against those of the same gemeente.
    min_coverage
        Share (0–1] of a domain's carried indicators an area needs, else the domain score
        is missing and the area flagged ``onvoldoende_gegevens``.
    max_age
        For a view of year *Y*, each indicator takes the most recent edition of its source
        from *Y − max_age* up to *Y* (years, within :data:`MAX_AGE_RANGE`); an indicator
        without an edition in that window is not part of the view.
    """

    min_population: int = 200
    threshold: float = 80.0
    weights: Weights = field(default=EQUAL_WEIGHTS)
    reference: Reference = "nl"
    min_coverage: float = 0.5
    max_age: int = DEFAULT_MAX_AGE

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", _weights(self.weights))
        mp = self.min_population
        if isinstance(mp, bool) or not isinstance(mp, int) or mp < 0:
            raise ValueError(f"min_population must be a whole number ≥ 0; got {mp!r}.")
        t = self.threshold
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 <= t <= 100:
            raise ValueError(f"threshold must be a number from 0 to 100; got {t!r}.")
        object.__setattr__(self, "threshold", float(t))
        if self.reference not in REFERENCES:
            raise ValueError(
                f"reference must be one of {', '.join(REFERENCES)}; got {self.reference!r}."
            )
        c = self.min_coverage
        if isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 < c <= 1:
            raise ValueError(f"min_coverage must be a share above 0 and at most 1; got {c!r}.")
        object.__setattr__(self, "min_coverage", float(c))
        a, (low, high) = self.max_age, MAX_AGE_RANGE
        if isinstance(a, bool) or not isinstance(a, int) or not low <= a <= high:
            raise ValueError(f"max_age must be a whole number of years from {low} to {high}; "
                             f"got {a!r}.")  # fmt: skip

    def weight(self, domain: str) -> float:
        """Return the weight of a scored domain.

        Raises
        ------
        KeyError
            For a domain that is not scored, naming the scored ones.
        """
        for d, w in self.weights:
            if d == domain:
                return w
        raise KeyError(f"{domain!r} is not a scored domain; scored: {', '.join(SCORED_DOMAINS)}.")

    def for_niveau(self, niveau: str) -> ScoringConfig:
        """Return the parameters as they apply at a niveau: gemeenten themselves are always
        ranked among all gemeenten of NL (within their own gemeente there is only one), so
        at niveau ``gemeente`` the reference is ``nl``; other niveaus keep it."""
        return self.replace(reference="nl") if niveau == "gemeente" else self

    def replace(self, **changes: Any) -> ScoringConfig:
        """Return a copy with some parameters changed (validated like the constructor)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"Unknown scoring parameters {sorted(unknown)}; known: {_names()}.")
        return _replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as plain JSON data (weights as a mapping)."""
        return {
            "min_population": self.min_population,
            "threshold": self.threshold,
            "weights": dict(self.weights),
            "reference": self.reference,
            "min_coverage": self.min_coverage,
            "max_age": self.max_age,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringConfig:
        """Read parameters written by :meth:`to_dict`; missing ones take their default.

        Raises
        ------
        ValueError
            For an unknown parameter or an invalid value, saying which and why.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"A scoring configuration is a mapping; got {type(data).__name__}.")
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"Unknown scoring parameters {sorted(unknown)}; known: {_names()}.")
        return cls(**cast(dict[str, Any], dict(data)))


def _names() -> str:
    return ", ".join(f.name for f in fields(ScoringConfig))
