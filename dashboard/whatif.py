"""The what-if panel: the scoring parameters a user may change, and their round trip.

The panel's controls (a weight per scored domain, the threshold, the minimum population, the
maximum age of the figures and the reference) show the :class:`~layers.config.ScoringConfig`
of the URL (:attr:`dashboard.urls.ViewState.scoring`); :func:`sync` is the body of the one
callback that keeps controls and URL in step. Controls are read like a URL
(:func:`dashboard.urls.parse_scoring`), so a control can never set what a URL could not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components, ids
from dashboard.i18n import fmt_number, label, t
from dashboard.urls import (
    MAX_AGE_BOUNDS,
    MIN_POPULATION_RANGE,
    SCORING_KEYS,
    THRESHOLD_RANGE,
    WEIGHT_PREFIX,
    WEIGHT_RANGE,
    Bounds,
    ViewState,
    parse_scoring,
    parse_view,
)
from layers.config import REFERENCES, ScoringConfig
from layers.indicators import DOMAINS, SCORED_DOMAINS


def panel(view: ViewState, *, hidden: bool = False) -> html.Details:
    """Controls for the scoring parameters: a weight per domain, the threshold, the
    minimum population and the reference; their values come from the URL."""
    taal = view.taal
    scoring = view.scoring
    labels = _domain_labels(taal)
    weight_inputs = [
        components.group(
            ids.weight(d),
            labels[d],
            dcc.Slider(
                id={"type": ids.WHATIF_WEIGHT, "domain": d},
                min=WEIGHT_RANGE.low,
                max=WEIGHT_RANGE.high,
                step=WEIGHT_RANGE.step,
                value=scoring.weight(d),
                marks={i: str(i) for i in range(int(WEIGHT_RANGE.high) + 1)},
                updatemode="mouseup",
            ),
            class_name="field field-weight",
        )
        for d in SCORED_DOMAINS
    ]
    return html.Details(
        id=ids.WHATIF,
        className="whatif no-print" + (" hidden" if hidden else ""),
        open=view.what_if,
        children=[
            html.Summary(
                [
                    t("whatif.title", taal),
                    " ",
                    html.Span(summary(view), id=ids.WHATIF_SUMMARY, className="whatif-summary"),
                ]
            ),
            html.P(t("whatif.help", taal), className="help"),
            html.Fieldset([html.Legend(t("whatif.weights", taal)), *weight_inputs]),
            html.Div(
                className="whatif-row",
                children=[
                    components.field(
                        t("whatif.threshold", taal),
                        _number_input(ids.WHATIF_THRESHOLD, scoring.threshold, THRESHOLD_RANGE),
                    ),
                    components.field(
                        t("whatif.min_population", taal),
                        _number_input(
                            ids.WHATIF_MIN_POPULATION, scoring.min_population, MIN_POPULATION_RANGE
                        ),
                    ),
                    components.field(
                        t("whatif.max_age", taal),
                        _number_input(ids.WHATIF_MAX_AGE, scoring.max_age, MAX_AGE_BOUNDS),
                    ),
                    html.Div(
                        className="field",
                        children=[
                            html.Label(
                                t("whatif.reference", taal), id=ids.label_of(ids.WHATIF_REFERENCE)
                            ),
                            dcc.RadioItems(
                                id=ids.WHATIF_REFERENCE,
                                options=[
                                    {"label": t(f"whatif.reference_{r}", taal), "value": r}
                                    for r in REFERENCES
                                ],
                                value=scoring.reference,
                                inline=True,
                            ),
                        ],
                    ),
                    html.Button(
                        t("whatif.reset", taal),
                        id=ids.WHATIF_RESET,
                        className="button button-secondary",
                        n_clicks=0,
                    ),
                ],
            ),
        ],
    )


def _number_input(control_id: str, value: float, bounds: Bounds) -> dcc.Input:
    """A number box that reports its value when the user is done typing."""
    return dcc.Input(
        id=control_id,
        type="number",
        min=bounds.low,
        max=bounds.high,
        step=bounds.step,
        value=value,
        debounce=True,
    )


def _domain_labels(taal: str) -> dict[str, str]:
    return {d.id: label(d, taal) for d in DOMAINS}


def summary(view: ViewState) -> str:
    """One line saying whether the scoring parameters differ from the defaults."""
    taal, scoring, base = view.taal, view.scoring, ScoringConfig()
    parts = []
    labels = _domain_labels(taal)
    for d, w in scoring.weights:
        if w != base.weight(d):
            parts.append(f"{labels.get(d, d).lower()} ×{fmt_number(w, taal)}")
    for key in SCORING_KEYS:
        value = getattr(scoring, key)
        if value == getattr(base, key):
            continue
        if key == "reference":
            parts.append(t(f"whatif.reference_{value}", taal))
        else:
            parts.append(f"{t(f'whatif.{key}', taal).lower()} {fmt_number(value, taal)}")
    if not parts:
        return f"({t('whatif.summary_default', taal)})"
    return "(" + t("whatif.summary_changed", taal, what="; ".join(parts)) + ")"


def from_controls(
    view: ViewState,
    weights: Sequence[Any],
    threshold: Any,
    min_population: Any,
    reference: Any,
    max_age: Any = None,
) -> ViewState:
    """The view with the what-if controls' values (read like a URL's, so a control can
    never set what a URL could not)."""
    raw = {"threshold": threshold, "min_population": min_population, "reference": reference,
           "max_age": max_age}  # fmt: skip
    for domain, weight in zip(SCORED_DOMAINS, weights, strict=False):
        raw[WEIGHT_PREFIX + domain] = weight
    return view.with_(scoring=parse_scoring(raw))


def control_values(view: ViewState) -> tuple[list[float], float, int, str, int]:
    """The what-if controls' values for a view."""
    c = view.scoring
    return (
        [c.weight(d) for d in SCORED_DOMAINS],
        c.threshold,
        c.min_population,
        c.reference,
        c.max_age,
    )


def _same(a: Any, b: Any) -> bool:
    """Equal as control values (numbers compared as floats)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return bool(a == b)


def sync(
    search: str | None,
    weights: Sequence[Any],
    threshold: Any,
    min_population: Any,
    reference: Any,
    reset: Any,
    trigger: Any,
    max_age: Any = None,
) -> tuple[Any, ...]:
    """Keep the what-if controls and the URL in step (the body of the callback).

    Returns
    -------
    tuple
        (new search or no_update, weights, threshold, minimum population, reference,
        maximum age of the figures, summary text).
    """
    view = parse_view(search or "")
    if trigger == ids.URL:
        w, th, mp, ref, age = control_values(view)
        current = (list(weights), threshold, min_population, reference,
                   ScoringConfig().max_age if max_age is None else max_age)  # fmt: skip
        wanted = (w, th, mp, ref, age)
        if all(_same(a, b) for a, b in zip(current, wanted, strict=True)):
            raise PreventUpdate
        return no_update, w, th, mp, ref, age, summary(view)
    if trigger == ids.WHATIF_RESET:
        new = view.with_(scoring=ScoringConfig())
    else:
        new = from_controls(view, weights, threshold, min_population, reference, max_age)
    w, th, mp, ref, age = control_values(new)
    query = new.query()
    search_out = query if query != (search or "") else no_update
    return search_out, w, th, mp, ref, age, summary(new)
