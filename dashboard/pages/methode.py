"""The method page (``/methode``): the scoring recipe in plain Dutch and English, every
parameter with its current value, the domains and indicators, the sources with CBS and PDOK
attribution, and the data vintage from the store's manifest."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any
from urllib.parse import urlparse

import dash
from dash import dcc, html

from dashboard import chrome, components, data, ids, routes
from dashboard.i18n import domain_label, fmt_number, join_words, label, t, unit
from dashboard.shell import view_of
from dashboard.urls import ViewState
from etl import schema
from etl.schema import Manifest, StoreError
from layers.config import MAX_AGE_RANGE, ScoringConfig
from layers.indicators import DOMAINS, INDICATORS, SCORED_DOMAINS

ROUTE = routes.METHOD
PATH = ROUTE.path()

PAGE = ROUTE.key
PAGE_URL = ids.url(PAGE)

dash.register_page(__name__, path=PATH, title="Methode — Zicht op Wijken", order=ROUTE.order)

RECIPE = {
    "nl": [
        "Elke indicator wordt zo gericht dat een hogere waarde ongunstiger is (bij een hoger "
        "inkomen of meer koopwoningen telt het omgekeerde).",
        "Ontbrekende en door CBS geheimgehouden waarden blijven leeg; gebieden met minder "
        "inwoners dan het minimum krijgen geen score en worden gemarkeerd, nooit nul.",
        "Per indicator krijgt elk gebied een percentiel (0–100) tussen alle gebieden van "
        "hetzelfde niveau en jaar in Nederland (of, naar keuze, binnen de eigen gemeente).",
        "Elke indicator komt uit de bron die hem meet (CBS Kerncijfers wijken en buurten, "
        "politie 47018NED, RIVM Gezondheidsmonitor 50090NED), uit de recentste uitgave tot en "
        "met het kaartjaar, hoogstens het ingestelde aantal jaren ouder, en wordt op gebiedscode "
        "gekoppeld aan de gebieden van het kaartjaar. Een gebied zonder dezelfde code blijft leeg; "
        "een wijk- of gemeentecijfer wordt nooit uit een onvolledige set buurten opgeteld. Een "
        "uitgave die minder dan de helft van de gebieden dekt (een regionaal uittreksel) telt "
        "niet mee.",
        "Een domeinscore is het gemiddelde percentiel van de indicatoren van dat domein die "
        "de kaart bevat. Een gebied heeft minstens de minimale dekking aan waarden nodig, "
        "anders: onvoldoende gegevens.",
        "Stapeling is het aantal domeinen (0–{domains}) met een score op of boven de drempel: het "
        "kerncijfer van dit dashboard.",
        "De samengestelde score is het gewogen gemiddelde van de domeinscores (standaard "
        "gelijke gewichten; aan te passen onder ‘Weging en drempels aanpassen’).",
        "Focusgebieden en gemeenten worden uit aantallen samengeteld (tellers en noemers "
        "opgeteld), nooit door percentages te middelen, en dan tussen de afzonderlijke "
        "gebieden geplaatst. Elke indicator komt daarbij uit dezelfde bron en editie als bij "
        "de gebieden zelf; de schattingen van RIVM wegen met het aantal inwoners van het "
        "getoonde jaar.",
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
        "Each indicator comes from the source that measures it (CBS Key figures for districts "
        "and neighbourhoods, police 47018NED, RIVM Health Monitor 50090NED), from the most "
        "recent edition up to the map year, at most the chosen number of years older, and is "
        "joined by area code onto the areas of the map year. An area without the same code "
        "stays empty; a district or municipal figure is never summed from an incomplete set of "
        "neighbourhoods. An edition covering fewer than half of the areas (a regional extract) "
        "is not used.",
        "A domain score is the mean percentile of the domain's indicators that the map "
        "carries. An area needs at least the minimum coverage of values, else: insufficient "
        "data.",
        "The stacking count is the number of domains (0–{domains}) scoring at or above the "
        "threshold: the headline figure of this dashboard.",
        "The composite score is the weighted mean of the domain scores (equal weights by "
        "default; adjustable under ‘Adjust weights and thresholds’).",
        "Focus areas and municipalities are aggregated from counts (numerators and "
        "denominators summed), never by averaging percentages, and then placed among the "
        "individual areas. Each indicator comes from the same source and edition as for the "
        "areas themselves; RIVM's estimates are weighed by the inhabitants of the year shown.",
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
    config = view.scoring.for_niveau("wijk")
    try:
        manifest: Manifest | None = data.manifest()
        error = ""
    except StoreError as exc:
        manifest, error = None, str(exc)
    return chrome.shell(
        view,
        PATH,
        html.Div(
            className="method-page",
            children=[
                html.H1(t("method.title", taal)),
                html.H2(t("method.recipe", taal)),
                html.Ol(
                    [
                        html.Li(step.replace("{domains}", str(len(SCORED_DOMAINS))))
                        for step in RECIPE[taal]
                    ]
                ),
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
                html.H3(t("method.source_table", taal)),
                source_table(manifest, taal),
                *view_provenance(view, config),
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
            f"{domain_label(d, taal).lower()} {fmt_number(w, taal)}" for d, w in c.weights
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
            "param": f"{t('whatif.max_age', taal)} ({MAX_AGE_RANGE[0]}–{MAX_AGE_RANGE[1]})",
            "value": fmt_number(config.max_age, taal),
            "default": fmt_number(base.max_age, taal),
        },
        {
            "param": t("method.min_coverage", taal),
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
            "domein": domain_label(i.domain, taal),
            "eenheid": unit(i.unit, taal),
            "richting": direction.get(i.direction, i.direction),
            "definitie": i.definition_en if taal == "en" else i.definition_nl,
            "waarom": why(i.id, i.domain, taal),
            "bron": f"{schema.SOURCES[i.source_id].publisher} {i.table}: {' + '.join(i.stems)}",
        }
        for i in INDICATORS
    ]
    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("domein", t("col.domein", taal)),
        components.Column("eenheid", t("col.eenheid", taal)),
        components.Column("richting", "Richting" if taal == "nl" else "Direction"),
        components.Column("definitie", "Definitie" if taal == "nl" else "Definition"),
        components.Column("waarom", t("method.why", taal)),
        components.Column("bron", "Bron" if taal == "nl" else "Source"),
    ]
    return html.Div(components.table(columns, rows), className="table-wrap")


SOURCES = {
    "nl": (
        "CBS, Kerncijfers Wijken en Buurten (StatLine, tabellen 83765NED t/m 86165NED), "
        "CC BY 4.0 — bron: CBS.",
        "Politie, Geregistreerde misdrijven; soort misdrijf, wijk en buurt (47018NED, in de "
        "catalogus derden van CBS, dataderden.cbs.nl), CC BY 4.0 — bron: Politie, CBS.",
        "RIVM, Gezondheid per wijk en buurt 2020 (50090NED, Gezondheidsmonitor Volwassenen en "
        "Ouderen, indeling 2020, 18 jaar of ouder; catalogus derden van CBS), CC BY 4.0 — "
        "bron: RIVM, GGD'en, CBS.",
        "PDOK, CBS gebiedsindelingen (gegeneraliseerde grenzen van gemeenten, wijken en "
        "buurten), CC BY 4.0 — bron: CBS, Kadaster.",
        "NPLV-focusgebieden: afbakening per gebied met bron en zekerheid (zie de pagina van "
        "elk focusgebied).",
        "Kaarten: SVG-paden van de vereenvoudigde grenzen (RD New), in de browser getekend, "
        "zonder kaarttegels; alles komt van deze server.",
    ),
    "en": (
        "Statistics Netherlands (CBS), Key figures for districts and neighbourhoods (StatLine "
        "tables 83765NED to 86165NED), CC BY 4.0 — source: CBS.",
        "Police, Registered crimes by type, district and neighbourhood (47018NED, in CBS's "
        "third-party catalogue, dataderden.cbs.nl), CC BY 4.0 — source: Politie, CBS.",
        "RIVM, Health per district and neighbourhood 2020 (50090NED, Health Monitor for "
        "adults and the elderly, indeling 2020, aged 18 or over; CBS's third-party "
        "catalogue), CC BY 4.0 — source: RIVM, GGDs, CBS.",
        "PDOK, CBS area boundaries (generalised boundaries of municipalities, districts and "
        "neighbourhoods), CC BY 4.0 — source: CBS, Kadaster.",
        "NPLV focus areas: delineation per area with source and certainty (see each focus "
        "area's page).",
        "Maps: SVG paths of the simplified boundaries (RD New), drawn in the browser without "
        "map tiles; everything comes from this server.",
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


def origin_kind(origin: str, taal: str) -> str:
    """Where a file was read from, as a reader wants to know it: the service's host for a
    download, else whether it was an offline copy of the source or a file of this project
    (never a path on the machine that built the store)."""
    parsed = urlparse(origin)
    if parsed.scheme in ("http", "https") and parsed.hostname:
        return parsed.hostname
    if parsed.scheme in ("", "file") and PurePath(parsed.path).parent.name == "data":
        return t("method.origin_project", taal)
    return t("method.origin_local", taal)


def _geometry(manifest: Manifest, jaar: int, geometry_year: int | None, taal: str) -> str:
    """The boundary year of a KWB year and the levels it draws maps for."""
    drawn = {f.niveau for f in manifest.files if f.jaar == jaar and f.kind == schema.MAP_PATHS}
    if not geometry_year or not drawn:
        return t("method.no_geometry", taal)
    niveaus = [t(f"niveau.{n}", taal).lower() for n in schema.MAP_NIVEAUS if n in drawn]
    return f"{geometry_year} ({t('method.maps_for', taal, niveaus=join_words(niveaus, taal))})"


def vintage(manifest: Manifest, taal: str) -> html.Div:
    """When the store was built, and per year the CBS table, boundaries and retrieval; the
    build's technical notes folded away below."""
    rows = []
    notes = []
    for y in sorted(manifest.years, key=lambda y: y.jaar):
        retrieved = _source_values(manifest, y.jaar, "retrieved")
        origins = _source_values(manifest, y.jaar, "origin")
        kinds = dict.fromkeys(origin_kind(o, taal) for o in origins)
        rows.append(
            {
                "jaar": str(y.jaar),
                "table": f"{y.table} — {y.title}",
                "geometry": _geometry(manifest, y.jaar, y.geometry_year, taal),
                "retrieved": ", ".join(retrieved[:2]),
                "origin": ", ".join(kinds),
            }
        )
        notes += [html.Li(f"{y.jaar}: {w}", lang="en") for w in y.warnings]
    columns = [
        components.Column("jaar", t("col.jaar", taal)),
        components.Column("table", t("method.table", taal)),
        components.Column("geometry", t("method.geometry", taal)),
        components.Column("retrieved", t("method.retrieved", taal)),
        components.Column("origin", t("method.origin", taal)),
    ]
    details = (
        [
            html.Details(
                [html.Summary(t("method.build_notes", taal, n=len(notes))), html.Ul(notes)],
                className="build-notes",
            )
        ]
        if notes
        else []
    )
    return html.Div(
        [
            html.P(t("method.built", taal, built=manifest.built)),
            html.Div(
                components.table(columns, rows, caption=t("method.years_carried", taal)),
                className="table-wrap",
            ),
            *details,
            html.P(dcc.Link(t("nav.map", taal), href=routes.MAP.path())),
        ]
    )


DOMAIN_REASONS: dict[str, tuple[str, str]] = {
    "armoede_werk": (
        "Bestaanszekerheid: inkomen, uitkeringen, werk en geldzorgen van de bewoners.",
        "Livelihood security: income, benefits, work and money worries of the residents.",
    ),
    "onderwijs": (
        "Kansen door opleiding: het opleidingsniveau van de bewoners.",
        "Opportunities through education: the residents' level of education.",
    ),
    "gezondheid_zorg": (
        "Hoe gezond bewoners zich voelen en functioneren, en hoeveel zorg zij krijgen.",
        "How healthy residents feel and function, and how much care they receive.",
    ),
    "wonen": (
        "Woningmarkt en woningvoorraad: waarde, eigendom, corporatiebezit, leegstand.",
        "Housing market and stock: value, ownership, housing associations, vacancy.",
    ),
    "veiligheid": (
        "Door de politie geregistreerde criminaliteit per inwoner.",
        "Crime registered by the police per inhabitant.",
    ),
    "context": (
        "Beschrijft het gebied; telt niet mee in de scores.",
        "Describes the area; not part of the scores.",
    ),
}
"""Why the indicators of each domain belong there (the NPLV's five themes)."""

INDICATOR_REASONS: dict[str, tuple[str, str]] = {
    "moeite_rondkomen": (
        "Een directe maat van geldzorgen: hoort bij armoede, niet bij gezondheid, ook al meet "
        "de Gezondheidsmonitor hem.",
        "A direct measure of money worries: it belongs to poverty, not health, even though "
        "the Health Monitor measures it.",
    ),
    "ervaren_gezondheid_goed": (
        "De breedste maat van gezondheid; omgekeerd gescoord (weinig goed = probleem).",
        "The broadest measure of health; scored inverted (few in good health = a problem).",
    ),
    "angst_depressie_hoog": (
        "Psychische klachten, een kernthema van de NPLV-gezondheidslijn.",
        "Mental-health complaints, a core theme of the NPLV health line.",
    ),
    "ernstig_eenzaam": (
        "Eenzaamheid schaadt gezondheid en welzijn; de monitor meet haar per gebied.",
        "Loneliness harms health and well-being; the monitor measures it per area.",
    ),
    "beperkt_gezondheid": (
        "Beperkingen door gezondheid raken werk en meedoen, maar meten gezondheid zelf.",
        "Limitations through health affect work and participation, but measure health itself.",
    ),
    "langdurige_aandoeningen": (
        "Chronische ziekte: de last van ziekte in een gebied.",
        "Chronic illness: the burden of disease in an area.",
    ),
    "jeugdzorg": (
        "Zorggebruik door jongeren: blijft bij gezondheid en zorg.",
        "Care use by young people: stays in health and care.",
    ),
    "wmo_per_1000": (
        "Zorggebruik (maatschappelijke ondersteuning): blijft bij gezondheid en zorg.",
        "Care use (social support): stays in health and care.",
    ),
}
"""Where an indicator's domain needs more than its domain's reason."""


def why(indicator_id: str, domain: str, taal: str) -> str:
    """Why an indicator is in its domain, in a language."""
    nl, en = INDICATOR_REASONS.get(indicator_id) or DOMAIN_REASONS.get(domain, ("", ""))
    return en if taal == "en" else nl


def source_table(manifest: Manifest | None, taal: str) -> html.Div:
    """Every source of :data:`etl.schema.SOURCES`: publisher, catalogue, editions with table
    and indeling, the dimension selection, and which editions this store holds."""
    held: dict[str, set[int]] = {}
    for f in manifest.files if manifest else ():
        if f.source and f.edition is not None:
            held.setdefault(f.source, set()).add(f.edition)
    rows = []
    for source in schema.SOURCES.values():
        tables = {e.table for e in source.editions}
        if len(tables) == 1 and len(source.editions) > 1:  # one table, a period per edition
            first, last = source.editions[0], source.editions[-1]
            editions = f"{first.jaar}–{last.jaar} → {first.table}, {first.indeling}"
        else:
            editions = "; ".join(f"{e.jaar} → {e.table}, {e.indeling}" for e in source.editions)
        rows.append(
            {
                "publisher": source.publisher,
                "title": source.title,
                "catalog": f"{source.catalog}.cbs.nl",
                "editions": editions,
                "selection": ", ".join(f"{d} {k}" for d, k in source.selection.items()) or "—",
                "in_store": ", ".join(str(j) for j in sorted(held.get(source.id, ()))) or "—",
            }
        )
    keys = ("publisher", "title", "catalog", "editions", "selection", "in_store")
    texts = ("publisher", "table", "catalog", "editions", "selection", "in_store")
    columns = [
        components.Column(k, t(f"method.{x}", taal)) for k, x in zip(keys, texts, strict=True)
    ]
    return html.Div(components.table(columns, rows), className="table-wrap")


def view_provenance(view: ViewState, config: ScoringConfig) -> list[Any]:
    """Per indicator of the default view: the edition, table, indeling and coverage used."""
    taal = view.taal
    jaar = data.resolve_year(view.jaar, view.niveau)
    if jaar is None:
        return []
    try:
        used = data.provenance(jaar, view.niveau, config)
    except (StoreError, ValueError):
        return []
    by_id = {i.id: i for i in INDICATORS}
    rows = [
        {
            "indicator": label(by_id[k], taal),
            "bron": f"{p['publisher']} {p['table']}",
            "uitgave": f"{p['edition']} ({p['indeling']})",
            "dekking": f"{int(p['matched']):,} / {int(p['areas']):,}",  # type: ignore[call-overload]
        }
        for k, p in used.items()
    ]
    columns = [
        components.Column("indicator", t("col.indicator", taal)),
        components.Column("bron", "Bron" if taal == "nl" else "Source"),
        components.Column("uitgave", t("method.editions", taal)),
        components.Column("dekking", t("method.coverage", taal)),
    ]
    title = t("method.view", taal, niveau=view.niveau, jaar=jaar)
    return [html.H3(title), html.Div(components.table(columns, rows), className="table-wrap")]
