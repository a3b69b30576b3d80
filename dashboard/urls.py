"""The view state of every page as it lives in the URL: parsing, validation and building.

A view is fully described by its path (``/``, ``/gebied/WK036300``, ``/focusgebied/<id>``,
…) and its query string: level, year, measure, selection, language and the what-if
parameters of the scoring, which the view holds as a :class:`layers.config.ScoringConfig` and
the URL names as that class does (``threshold``, ``min_population``, ``reference``,
``max_age``, ``weight_<domain>``; the Dutch keys of earlier versions are still read, see
:data:`LEGACY_KEYS`). :func:`parse_view` turns any query (a ``?a=b`` string or the
keyword arguments Dash Pages hands a layout) into a :class:`ViewState`; it never raises:
unknown keys are ignored and invalid values fall back to their default, so a hand-edited or
malicious URL yields a sensible view. :meth:`ViewState.query` builds the canonical query
(defaults omitted, fixed key order), so the same view always has the same URL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal, NamedTuple
from urllib.parse import parse_qs, urlencode

from dashboard import routes
from etl.schema import CODE_PATTERN
from layers.config import MAX_AGE_RANGE, REFERENCES, ScoringConfig

Taal = Literal["nl", "en"]

NIVEAUS: Final = ("gemeente", "wijk", "buurt")
"""Levels that can be mapped; ``wijk`` is the default (the headline view)."""

DEFAULT_NIVEAU: Final = "wijk"
DEFAULT_MAAT: Final = "stapeling"
MAX_COMPARE: Final = 6
"""How many areas the compare page shows side by side."""

WEIGHT_PREFIX: Final = "weight_"
"""Query key of a domain's weight (:attr:`ScoringConfig.weights`): ``weight_<domain>``."""

SCORING_KEYS: Final = ("threshold", "min_population", "reference", "max_age")
"""The other what-if parameters a URL sets, each under its :class:`ScoringConfig` name.
(``min_coverage`` is part of the recipe, not a what-if choice.)"""

LEGACY_KEYS: Final = {
    "drempel": "threshold",
    "min_inw": "min_population",
    "ref": "reference",
    "max_leeftijd": "max_age",
    "w_": WEIGHT_PREFIX,
}
"""Query keys (``w_`` a prefix) of links shared from earlier versions → today's keys; read,
never written, and a today's key wins over its old spelling."""

CARRIED_KEYS: Final = ("taal", WEIGHT_PREFIX + "*", *SCORING_KEYS, "jaar")
"""Query keys that follow the user from page to page: language, what-if choices, year."""

COMPARE_KEYS: Final = (*CARRIED_KEYS, "codes", "met")
"""Query keys a link into the compare page carries (settings, year and the chosen codes)."""

COMPARE_REFERENCES: Final = ("gemeente", "nl")
"""Reference rows the compare page can set beside the chosen areas (query key ``met``):
the gemeente of each chosen wijk or buurt, and NL."""


class Bounds(NamedTuple):
    """The values a what-if control offers and its URL key accepts: ``low`` to ``high``
    (both included) in steps of ``step``. One declaration for both, so a URL can never ask
    for what the control cannot show."""

    low: float
    high: float
    step: float


WEIGHT_RANGE: Final = Bounds(0.0, 5.0, 0.5)
THRESHOLD_RANGE: Final = Bounds(50.0, 99.0, 1.0)
MIN_POPULATION_RANGE: Final = Bounds(0, 100_000, 50)
MAX_AGE_BOUNDS: Final = Bounds(*MAX_AGE_RANGE, 1)
SCORING_BOUNDS: Final[Mapping[str, Bounds]] = {
    "threshold": THRESHOLD_RANGE,
    "min_population": MIN_POPULATION_RANGE,
    "max_age": MAX_AGE_BOUNDS,
}
"""The numeric :data:`SCORING_KEYS` and the values each accepts."""
YEAR_BOUNDS: Final = Bounds(1990, 2100, 1)
"""Years a URL may ask for (the page then shows the nearest the store has)."""

_MEASURE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_FOCUS_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_DEFAULT_SCORING: Final = ScoringConfig()


@dataclass(frozen=True)
class ViewState:
    """What a URL asks to see.

    Attributes
    ----------
    niveau
        ``gemeente``, ``wijk`` or ``buurt``: the level drawn on the map.
    jaar
        The KWB year, or ``None`` for the default year of the store.
    maat
        The measure: ``stapeling``, ``samengesteld``, ``score_<domain>`` or an indicator id.
        Checked only for its form here; the page falls back to ``stapeling`` when the year
        does not carry it.
    gemeente
        A gemeente code (``GM0363``) the map is zoomed to, or ``None`` for all NL.
    focus
        Whether focus-area outlines are drawn.
    taal
        ``nl`` (default) or ``en``.
    scoring
        The scoring parameters asked for: the recipe's defaults, with the what-if choices of
        the URL (within :data:`SCORING_BOUNDS` and :data:`WEIGHT_RANGE`). At niveau
        ``gemeente`` it applies as :meth:`ScoringConfig.for_niveau` says.
    codes
        Areas chosen on the compare page, at most :data:`MAX_COMPARE`, in order.
    met
        References the compare page sets beside them (:data:`COMPARE_REFERENCES`).
    """

    niveau: str = DEFAULT_NIVEAU
    jaar: int | None = None
    maat: str = DEFAULT_MAAT
    gemeente: str | None = None
    focus: bool = False
    taal: Taal = "nl"
    scoring: ScoringConfig = _DEFAULT_SCORING
    codes: tuple[str, ...] = ()
    met: tuple[str, ...] = ()

    @property
    def what_if(self) -> bool:
        """Whether the scoring parameters differ from the recipe's defaults."""
        return self.scoring != _DEFAULT_SCORING

    def with_(self, **changes: Any) -> ViewState:
        """Return a copy with some fields changed (values are not re-validated)."""
        return replace(self, **changes)

    def query(self, *, keys: Iterable[str] | None = None) -> str:
        """Return the canonical query string (``?…``, or ``""`` when all are default).

        Parameters
        ----------
        keys
            Only these query keys (e.g. :data:`CARRIED_KEYS` for links to other pages);
            every key when ``None``. ``w_*`` stands for all weights.
        """
        pairs = [(k, v) for k, v in self._pairs() if keys is None or _wanted(k, keys)]
        return "?" + urlencode(pairs, safe=",") if pairs else ""

    def carried(self) -> str:
        """Return the query that links to other pages keep: language and what-if choices."""
        return self.query(keys=CARRIED_KEYS)

    def _pairs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.niveau != DEFAULT_NIVEAU:
            out.append(("niveau", self.niveau))
        if self.jaar is not None:
            out.append(("jaar", str(self.jaar)))
        if self.maat != DEFAULT_MAAT:
            out.append(("maat", self.maat))
        if self.gemeente:
            out.append(("gemeente", self.gemeente))
        if self.focus:
            out.append(("focus", "1"))
        if self.codes:
            out.append(("codes", ",".join(self.codes)))
        if self.met:
            out.append(("met", ",".join(self.met)))
        for domain, weight in sorted(self.scoring.weights):
            if weight != _DEFAULT_SCORING.weight(domain):
                out.append((WEIGHT_PREFIX + domain, _number(weight)))
        for key in SCORING_KEYS:
            value = getattr(self.scoring, key)
            if value != getattr(_DEFAULT_SCORING, key):
                out.append((key, value if isinstance(value, str) else _number(value)))
        if self.taal != "nl":
            out.append(("taal", self.taal))
        return out


def _wanted(key: str, keys: Iterable[str]) -> bool:
    return any(key == k or (k.endswith("*") and key.startswith(k[:-1])) for k in keys)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _first(value: Any) -> str | None:
    """Return the first string of a query value (Dash passes repeated keys as lists)."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text[:200] if text else None


def _float(value: Any, bounds: Bounds) -> float | None:
    text = _first(value)
    if text is None:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(number) or not bounds.low <= number <= bounds.high:
        return None
    return round(number, 2)


def _int(value: Any, bounds: Bounds) -> int | None:
    text = _first(value)
    if text is None or not re.fullmatch(r"\d{1,7}", text):
        return None
    number = int(text)
    return number if bounds.low <= number <= bounds.high else None


def to_mapping(query: Any) -> dict[str, Any]:
    """Turn a query string (``?a=1&b=2``) or a mapping into a plain dict of first values;
    anything else (a crafted request can send any JSON value) counts as no query."""
    if isinstance(query, str):
        try:
            parsed = parse_qs(query.lstrip("?"), keep_blank_values=False, max_num_fields=64)
        except ValueError:  # more fields than allowed
            return {}
        return {k: v[0] for k, v in parsed.items() if v}
    if isinstance(query, Mapping):
        return {str(k): v for k, v in query.items()}
    return {}


def parse_view(query: Mapping[str, Any] | str | None) -> ViewState:
    """Read a :class:`ViewState` from a query; never raises.

    Parameters
    ----------
    query
        A query string (with or without ``?``) or a mapping of query keys to values (lists
        allowed, the first element counts).

    Returns
    -------
    ViewState
        Validated values; anything invalid is replaced by its default.
    """
    q = _current(to_mapping(query))
    niveau = _first(q.get("niveau"))
    jaar = _int(q.get("jaar"), YEAR_BOUNDS)
    maat = _first(q.get("maat"))
    gemeente = _first(q.get("gemeente"))
    taal = _first(q.get("taal"))
    return ViewState(
        niveau=niveau if niveau in NIVEAUS else DEFAULT_NIVEAU,
        jaar=jaar,
        maat=maat if maat and _MEASURE.match(maat) else DEFAULT_MAAT,
        gemeente=gemeente if gemeente and _is_gemeente(gemeente) else None,
        focus=_first(q.get("focus")) in {"1", "true", "ja"},
        taal="en" if taal == "en" else "nl",
        scoring=parse_scoring(q),
        codes=parse_codes(q.get("codes")),
        met=parse_choices(q.get("met"), COMPARE_REFERENCES),
    )


def _current(q: dict[str, Any]) -> dict[str, Any]:
    """The query with the keys of :data:`LEGACY_KEYS` read as today's."""
    out = dict(q)
    for key, value in q.items():
        for old, new in LEGACY_KEYS.items():
            if key == old or (old.endswith("_") and key.startswith(old)):
                out.setdefault(new + key[len(old) :] if old.endswith("_") else new, value)
    return out


def parse_scoring(query: Mapping[str, Any]) -> ScoringConfig:
    """Read the what-if parameters of a query (today's keys; see :func:`parse_view`) into a
    :class:`ScoringConfig`; a value out of bounds takes its default, and weights that are
    all 0 (no composite score) count as not given. Never raises."""
    changes: dict[str, Any] = {}
    for key, bounds in SCORING_BOUNDS.items():
        read = _int if isinstance(getattr(_DEFAULT_SCORING, key), int) else _float
        value = read(query.get(key), bounds)
        if value is not None:
            changes[key] = value
    reference = _first(query.get("reference"))
    if reference in REFERENCES:
        changes["reference"] = reference
    weights = dict(_DEFAULT_SCORING.weights)
    for domain in weights:
        weight = _float(query.get(WEIGHT_PREFIX + domain), WEIGHT_RANGE)
        if weight is not None:
            weights[domain] = weight
    if any(weights.values()):
        changes["weights"] = weights
    return _DEFAULT_SCORING.replace(**changes)


def _is_gemeente(code: str) -> bool:
    return bool(CODE_PATTERN.match(code)) and code.startswith("GM")


def is_code(code: Any) -> bool:
    """Tell whether a value is a valid CBS region code (``GM0363``, ``WK036300``, …)."""
    return isinstance(code, str) and bool(CODE_PATTERN.match(code)) and code != "NL00"


def is_focus_id(value: Any) -> bool:
    """Tell whether a value has the form of a focus-area id (``rotterdam-zuid``)."""
    return isinstance(value, str) and bool(_FOCUS_ID.match(value))


def parse_codes(value: Any, *, limit: int | None = MAX_COMPARE) -> tuple[str, ...]:
    """Read a comma-separated list of area codes: valid, unique, at most ``limit`` (default
    :data:`MAX_COMPARE`; ``None``: all, to tell the user which were left out)."""
    text = _first(value) if not isinstance(value, list | tuple) else ",".join(map(str, value))
    if not text:
        return ()
    out: list[str] = []
    for part in text[:400].split(","):
        code = part.strip().upper()
        if is_code(code) and code not in out:
            out.append(code)
    return tuple(out[:limit])


def parse_choices(value: Any, allowed: Iterable[str]) -> tuple[str, ...]:
    """Read a comma-separated list (or a list) of choices: the known ones, each once, in
    the order of ``allowed``."""
    text = _first(value) if not isinstance(value, list | tuple) else ",".join(map(str, value))
    given = {part.strip() for part in (text or "").split(",")}
    return tuple(c for c in allowed if c in given)


def area_path(code: str) -> str:
    """Return the path of an area page (``/gebied/WK036300``)."""
    return routes.AREA.path(code)


def focus_path(focus_id: str) -> str:
    """Return the path of a focus-area page (``/focusgebied/rotterdam-zuid``)."""
    return routes.FOCUS_AREA.path(focus_id)


def href(path: str, view: ViewState, *, keys: Iterable[str] | None = None, **changes: Any) -> str:
    """Return ``path`` plus the query of ``view`` (with ``changes``), limited to ``keys``."""
    state = view.with_(**changes) if changes else view
    return path + state.query(keys=keys)
