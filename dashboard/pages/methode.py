"""The method page (``/methode``): the scoring recipe in plain Dutch and English, every
parameter with its current value, the domains and indicators, the sources with CBS and PDOK
attribution, and the data vintage from the store's manifest."""

from __future__ import annotations

from typing import Any

import dash
from dash import dcc, html

from dashboard import components, data, ids
from dashboard.i18n import fmt_number, label, t, unit
from dashboard.shell import view_of
from dashboard.urls import ViewState
from etl.schema import Manifest, StoreError
from layers.config import ScoringConfig
from layers.indicators import DOMAINS, INDICATORS

PATH = "/methode"

PAGE = "method"
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=PATH, title="Methode — Zicht op Wijken", order=3)

RECIPE = {
    "nl": [
        "Elke indicator wordt zo gericht dat een hogere waarde ongunstiger is (bij een hoger "
        "inkomen of meer koopwoningen telt het omgekeerde).",
        "Ontbrekende en door CBS geheimgehouden waarden blijven leeg; gebieden met minder "
        "inwoners dan het minimum krijgen geen score en worden gemarkeerd, nooit nul.",
        "Per indicator krijgt elk gebied een percentiel (0–100) tussen alle gebieden van "
        "hetzelfde niveau en jaar in Nederland (of, naar keuze, binnen de eigen gemeente).",
        "Een domeinscore is het gemiddelde percentiel van de indicatoren van dat domein die "
        "het jaar bevat. Een gebied heeft minstens de minimale dekking aan waarden nodig, "
        "anders: onvoldoende gegevens.",
        "Stapeling is het aantal domeinen (0–5) met een score op of boven de drempel: het "
        "kerncijfer van dit dashboard.",
        "De samengestelde score is het gewogen gemiddelde van de domeinscores (standaard "
        "gelijke gewichten; aan te passen onder ‘Weging en drempels aanpassen’).",
        "Focusgebieden en gemeenten worden uit aantallen samengeteld (tellers en noemers "
        "opgeteld), nooit door percentages te middelen, en dan tussen de afzonderlijke "
        "gebieden geplaatst.",
        "Trends vergelijken ruwe waarden door de jaren, geen rangen.",
        "Vergelijkbare gebieden zijn de 10 gebieden van hetzelfde niveau en jaar die naar "
        "context het dichtst bij liggen: omvang, verstedelijking, leeftijdsopbouw, "
        "huishoudens en woningvoorraad, nooit de probleemindicatoren. Elk kenmerk wordt "
        "robuust gestandaardiseerd ((x − mediaan) ÷ interkwartielafstand; omvang en dichtheid "
        "logaritmisch), elk aspect weegt standaard 1; afstand = √Σ gewicht × z².",
        "Verandering tussen twee jaren geldt alleen voor codes die in beide jaren bestaan: CBS "
        "geeft een gebied een nieuwe code als de grenzen veranderen. Nieuwe en vervallen codes "
        "worden zo getoond, nooit als nul verandering; klassen (gelijk, beter, veel beter, …) "
        "in interkwartielafstanden van het eerste jaar, in de richting van de indicator.",
    ],
    "en": [
        "Every indicator is oriented so that a higher value is less favourable (for a higher "
        "income or more owner-occupied dwellings the reverse counts).",
        "Missing values and values suppressed by CBS stay empty; areas with fewer inhabitants "
        "than the minimum get no score and are flagged, never zero.",
        "For each indicator every area gets a percentile (0–100) among all areas of the same "
        "level and year in the Netherlands (or, optionally, within its own municipality).",
        "A domain score is the mean percentile of the domain's indicators that the year "
        "carries. An area needs at least the minimum coverage of values, else: insufficient "
        "data.",
        "The stacking count is the number of domains (0–5) scoring at or above the threshold: "
        "the headline figure of this dashboard.",
        "The composite score is the weighted mean of the domain scores (equal weights by "
        "default; adjustable under ‘Adjust weights and thresholds’).",
        "Focus areas and municipalities are aggregated from counts (numerators and "
        "denominators summed), never by averaging percentages, and then placed among the "
        "individual areas.",
        "Trends compare raw values over the years, not ranks.",
        "Comparable areas are the 10 areas of the same level and year closest by context: "
        "size, urbanity, age structure, households and housing stock, never the problem "
        "indicators. Each feature is robustly standardised ((x − median) ÷ interquartile "
        "range; size and density on a log scale), each aspect weighs 1 by default; distance "
        "= √Σ weight × z².",
        "Change between two years applies only to codes present in both: CBS gives an area a "
        "new code when its boundaries change. New and gone codes are shown as such, never as "
        "zero change; classes (same, better, much better, …) in interquartile ranges of the "
        "first year, in the indicator's direction.",
    ],
}


def layout(shown: dict[str, Any] | None = None, **query: Any) -> Any:
    """The method page for a URL query (the what-if values shown are the URL's)."""
    view = view_of(query)
    taal = view.taal
    config = data.config_for(view, "wijk")
    try:
        manifest: Manifest | None = data.manifest()
        error = ""
    except StoreError as exc:
        manifest, error = None, str(exc)
    return components.shell(
        view,
        PATH,
        html.Div(
            className="method-page",
            children=[
                html.H1(t("method.title", taal)),
                html.H2(t("method.recipe", taal)),
                html.Ol([html.Li(step) for step in RECIPE[taal]]),
                html.H2(t("method.parameters", taal)),
                parameters(config, view),
                html.H2(t("method.domains", taal)),
                html.Ul(
                    [
                        html.Li(
                            f"{label(d, taal)}"
                            + ("" if d.scored else f" — {t('map.direction_neutral', taal)}")
                        )
                        for d in DOMAINS
                    ]
                ),
                html.H2(t("method.indicators", taal)),
                indicators(taal),
                html.H2(t("method.sources", taal)),
                sources(taal),
                html.H2(t("method.vintage", taal)),
                vintage(manifest, taal) if manifest else components.note(error, kind="warning"),
            ],
        ),
        page=PAGE,
    )


def parameters(config: ScoringConfig, view: ViewState) -> html.Div:
    """Every scoring parameter: its current value (from the URL) and its default."""
    taal = view.taal
    base = ScoringConfig()

    def weights(c: ScoringConfig) -> str:
        return ", ".join(
            f"{data.domain_label(d, taal).lower()} {fmt_number(w, taal)}" for d, w in c.weights
        )

    ref = {"nl": t("whatif.reference_nl", taal), "gemeente": t("whatif.reference_gemeente", taal)}
    rows = [
        {
            "param": t("whatif.min_population", taal),
            "value": fmt_number(config.min_population, taal),
            "default": fmt_number(base.min_population, taal),
        },
        {
            "param": t("whatif.threshold", taal),
            "value": fmt_number(config.threshold, taal),
            "default": fmt_number(base.threshold, taal),
        },
        {"param": t("whatif.weights", taal), "value": weights(config), "default": weights(base)},
        {
            "param": t("whatif.reference", taal),
            "value": ref[config.reference],
            "default": ref[base.reference],
        },
        {
            "param": "min_coverage",
            "value": fmt_number(100 * config.min_coverage, taal) + " %",
            "default": fmt_number(100 * base.min_coverage, taal) + " %",
        },
    ]
    columns = [
        components.Column("param", t("method.param", taal)),
        components.Column("value", t("method.value", taal)),
        components.Column("default", t("method.default", taal)),
    ]
    return html.Div(components.table(columns, rows), className="table-wrap")


def indicators(taal: str) -> html.Div:
    """The indicator registry: label, domain, unit, direction, definition and CBS source."""
    direction = {
        "hoger_slechter": t("map.direction_worse", taal),
        "hoger_beter": t("map.direction_better", taal),
        "neutraal": t("map.direction_neutral", taal),
    }
    rows = [
        {
            "indicator": label(i, taal),
            "domein": data.domain_label(i.domain, taal),
            "eenheid": unit(i.unit, taal),
            "richting": direction.get(i.direction, i.direction),
            "definitie": i.definition_en if taal == "en" else i.definition_nl,
            "bron": f"{i.table}: {' + '.join(i.stems)}",
        }
        for i in INDICATORS
    ]
    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("domein", t("col.domein", taal)),
        components.Column("eenheid", t("col.eenheid", taal)),
        components.Column("richting", "Richting" if taal == "nl" else "Direction"),
        components.Column("definitie", "Definitie" if taal == "nl" else "Definition"),
        components.Column("bron", "CBS"),
    ]
    return html.Div(components.table(columns, rows), className="table-wrap")


SOURCES = {
    "nl": (
        "CBS, Kerncijfers Wijken en Buurten (StatLine, tabellen 83765NED t/m 86165NED), "
        "CC BY 4.0 — bron: CBS.",
        "CBS, Geregistreerde misdrijven; soort misdrijf, wijk en buurt (47018NED, cijfers van "
        "de politie), CC BY 4.0 — bron: CBS.",
        "PDOK, CBS gebiedsindelingen (gegeneraliseerde grenzen van gemeenten, wijken en "
        "buurten), CC BY 4.0 — bron: CBS, Kadaster.",
        "NPLV-focusgebieden: afbakening per gebied met bron en zekerheid (zie de pagina van "
        "elk focusgebied).",
        "Kaarten: plotly.js op een lege achtergrond, zonder kaarttegels; alles komt van deze "
        "server.",
    ),
    "en": (
        "Statistics Netherlands (CBS), Key figures for districts and neighbourhoods (StatLine "
        "tables 83765NED to 86165NED), CC BY 4.0 — source: CBS.",
        "CBS, Registered crimes by type, district and neighbourhood (47018NED, police "
        "figures), CC BY 4.0 — source: CBS.",
        "PDOK, CBS area boundaries (generalised boundaries of municipalities, districts and "
        "neighbourhoods), CC BY 4.0 — source: CBS, Kadaster.",
        "NPLV focus areas: delineation per area with source and certainty (see each focus "
        "area's page).",
        "Maps: plotly.js on a blank background, without map tiles; everything comes from this "
        "server.",
    ),
}
"""The sources, with the attribution their licences ask for."""


def sources(taal: str) -> html.Ul:
    """The sources, with the attribution their licences ask for."""
    return html.Ul([html.Li(text) for text in SOURCES["en" if taal == "en" else "nl"]])


def _source_values(manifest: Manifest, jaar: int, key: str) -> list[str]:
    """The distinct values of ``key`` (``retrieved``, ``origin``) over the sources of a
    year's files, sorted."""
    return sorted(
        {s[key] for f in manifest.files if f.jaar == jaar for s in f.sources if s.get(key)}
    )


def vintage(manifest: Manifest, taal: str) -> html.Div:
    """When the store was built, and per year the CBS table, boundaries and retrieval."""
    rows = []
    for y in sorted(manifest.years, key=lambda y: y.jaar):
        retrieved = _source_values(manifest, y.jaar, "retrieved")
        origins = _source_values(manifest, y.jaar, "origin")
        rows.append(
            {
                "jaar": str(y.jaar),
                "table": f"{y.table} — {y.title}",
                "geometry": str(y.geometry_year)
                if y.geometry_year
                else t("method.no_geometry", taal),
                "retrieved": ", ".join(retrieved[:2]),
                "origin": ", ".join(origins[:3]),
                "warnings": " ".join(y.warnings),
            }
        )
    columns = [
        components.Column("jaar", t("col.jaar", taal)),
        components.Column("table", t("method.table", taal)),
        components.Column("geometry", t("method.geometry", taal)),
        components.Column("retrieved", t("method.retrieved", taal)),
        components.Column("origin", t("method.origin", taal)),
        components.Column("warnings", t("method.warnings", taal)),
    ]
    return html.Div(
        [
            html.P(t("method.built", taal, built=manifest.built)),
            html.Div(
                components.table(columns, rows, caption=t("method.years_carried", taal)),
                className="table-wrap",
            ),
            html.P(dcc.Link(t("nav.map", taal), href="/")),
        ]
    )
