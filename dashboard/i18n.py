"""Every text of the interface in Dutch and English, and number formatting per language.

Dutch is the default. :func:`t` looks a key up in :data:`STRINGS` (one row per text, Dutch
then English) and fills ``{placeholders}``; a missing key raises at once in tests rather than
showing a key to users. Labels of domains and indicators come from the registry in
:mod:`layers.indicators` (``label_nl``/``label_en``) and are not repeated here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from layers.columns import column, units_en
from layers.indicators import DOMAINS

STRINGS: Final[Mapping[str, tuple[str, str]]] = {
    # Shell
    "app.title": ("Zicht op Wijken", "Zicht op Wijken"),
    "app.tagline": (
        "Waar problemen zich opstapelen in Nederlandse wijken",
        "Where problems stack up in Dutch neighbourhoods",
    ),
    "nav.map": ("Kaart", "Map"),
    "nav.focus": ("Focusgebieden", "Focus areas"),
    "nav.compare": ("Vergelijken", "Compare"),
    "nav.method": ("Methode", "Method"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.current": (" (huidige pagina)", " (current page)"),
    "nav.skip": ("Naar de inhoud", "Skip to content"),
    "lang.switch": ("English", "Nederlands"),
    "lang.switch_label": ("Switch to English", "Schakel naar Nederlands"),
    "footer.sources": (
        "Bron: CBS Kerncijfers Wijken en Buurten, CBS 47018NED (politie), PDOK CBS "
        "gebiedsindelingen (CC BY 4.0). Bewerking: Zicht op Wijken.",
        "Source: Statistics Netherlands (CBS) Key figures for districts and neighbourhoods, "
        "CBS 47018NED (police), PDOK CBS area boundaries (CC BY 4.0). Processing: Zicht op "
        "Wijken.",
    ),
    "footer.method": ("Hoe de scores zijn berekend", "How the scores are computed"),
    # What-if panel
    "whatif.title": ("Weging en drempels aanpassen", "Adjust weights and thresholds"),
    "whatif.summary_default": ("standaardinstellingen", "default settings"),
    "whatif.summary_changed": ("aangepast: {what}", "changed: {what}"),
    "whatif.weights": ("Gewicht per domein (samengestelde score)", "Weight per domain (composite)"),
    "whatif.threshold": (
        "Drempel voor stapeling (percentiel)",
        "Stacking threshold (percentile)",
    ),
    "whatif.min_population": ("Minimum aantal inwoners", "Minimum population"),
    "whatif.max_age": (
        "Cijfers hoogstens zoveel jaar ouder dan het kaartjaar",
        "Figures at most this many years older than the map year",
    ),
    "whatif.reference": ("Percentielen ten opzichte van", "Percentiles relative to"),
    "whatif.reference_nl": ("heel Nederland", "all of the Netherlands"),
    "whatif.reference_gemeente": ("de eigen gemeente", "the own municipality"),
    "whatif.reset": ("Standaard herstellen", "Restore defaults"),
    "whatif.help": (
        "Wijzigingen gelden direct voor kaart, tabellen en downloads en staan in de URL.",
        "Changes apply at once to maps, tables and downloads, and are kept in the URL.",
    ),
    # Downloads
    "download.title": ("Downloaden", "Download"),
    "download.csv": ("CSV", "CSV"),
    "download.excel": ("CSV voor Excel", "CSV for Excel"),
    "download.codebook": ("Codeboek", "Codebook"),
    "download.help": (
        "De gegevens van deze weergave met de huidige instellingen; het codeboek beschrijft "
        "elke kolom.",
        "The data of this view with the current settings; the codebook describes every column.",
    ),
    "print.button": ("Afdrukken / PDF", "Print / PDF"),
    # Measures
    "measure.stapeling": ("Stapeling (aantal domeinen boven de drempel)", "Stacking count"),
    "measure.group_headline": ("Overzicht", "Overview"),
    "measure.group_domains": ("Domeinscores", "Domain scores"),
    "measure.group_indicators": ("Indicatoren", "Indicators"),
    # Map page
    "map.title": ("Stapeling van problemen", "Stacked problems"),
    "map.lead": (
        "Per gebied het aantal probleemdomeinen waarop het bij de {drempel} % slechtst "
        "scorende van Nederland hoort.",
        "For each area, the number of problem domains on which it is among the worst-scoring "
        "{drempel} % of the Netherlands.",
    ),
    "map.lead_measure": (
        "Per gebied: {maat} ({eenheid}, {richting}).",
        "For each area: {maat} ({eenheid}, {richting}).",
    ),
    "map.lead_click": (
        "Klik op een gemeente voor haar wijken, op een wijk voor haar pagina; onder de kaart "
        "staat dezelfde informatie als tabel.",
        "Click a municipality for its districts, a district for its page; the same "
        "information follows the map as a table.",
    ),
    "map.niveau": ("Niveau", "Level"),
    "map.jaar": ("Jaar", "Year"),
    "map.maat": ("Maat", "Measure"),
    "map.focus": ("Focusgebieden omlijnen", "Outline focus areas"),
    "map.legend": ("Legenda", "Legend"),
    "map.no_data": ("geen gegevens / te weinig inwoners", "no data / too few inhabitants"),
    "map.context": ("overige gebieden, ter oriëntatie", "other areas, for orientation"),
    "map.classes_quantiles": (
        "Klassen: kwintielen (elk ongeveer even veel gebieden)",
        "Classes: quintiles (about equally many areas each)",
    ),
    "map.classes_fixed": ("Vaste klassen 0–{n}", "Fixed classes 0–{n}"),
    "map.classes_few": ("Klassen: de voorkomende waarden", "Classes: the values that occur"),
    "map.direction_worse": ("hoger = ongunstiger", "higher = less favourable"),
    "map.direction_better": ("hoger = gunstiger", "higher = more favourable"),
    "map.direction_neutral": ("geen richting (context)", "no direction (context)"),
    "map.no_boundaries": (
        "Voor {jaar} bevat de gegevensopslag geen grenzen op {niveau}-niveau, dus geen kaart. "
        "De tabel hieronder toont alle gegevens.",
        "For {jaar} the data store holds no {niveau} boundaries, so there is no map. "
        "The table below shows all data.",
    ),
    "map.buurt_needs_gemeente": (
        "Buurtgrenzen van heel Nederland zijn te zwaar voor één kaart: kies een gemeente "
        "(klik op de kaart op gemeenteniveau) om haar buurten te zien. De tabel hieronder "
        "toont alle buurten.",
        "Neighbourhood boundaries of the whole country are too heavy for one map: choose a "
        "municipality (click it on the municipality map) to see its neighbourhoods. The table "
        "below lists all neighbourhoods.",
    ),
    "map.measure_missing": (
        "{jaar} bevat deze maat niet; getoond wordt: {maat}.",
        "{jaar} does not carry this measure; showing: {maat}.",
    ),
    "map.measure_empty": (
        "Geen enkel gebied heeft een waarde voor deze maat in {jaar}.",
        "No area has a value for this measure in {jaar}.",
    ),
    "map.domains_carried": (
        "{jaar} draagt {n} van de {total} probleemdomeinen ({domains}); stapeling telt alleen die.",
        "{jaar} carries {n} of the {total} problem domains ({domains}); stacking counts only "
        "those.",
    ),
    "map.no_domains": (
        "{jaar} bevat geen indicatoren van de probleemdomeinen: stapeling en scores zijn "
        "leeg. Kies een ander jaar of een contextindicator.",
        "{jaar} carries no indicators of the problem domains: stacking and scores are empty. "
        "Choose another year or a context indicator.",
    ),
    "map.focus_unavailable": (
        "Voor {jaar} zijn geen focusgebieden vastgelegd.",
        "No focus areas are defined for {jaar}.",
    ),
    "map.graph_label": (
        "Kaart van {maat} per {niveau}, {jaar}. Een tabel met dezelfde gegevens staat "
        "onder de kaart.",
        "Map of {maat} per {niveau}, {jaar}. A table with the same data follows the map.",
    ),
    "map.zoom_in": ("Inzoomen", "Zoom in"),
    "map.zoom_out": ("Uitzoomen", "Zoom out"),
    "map.reset": ("Hele kaart", "Whole map"),
    "map.tap_again": ("Tik nogmaals om te openen", "Tap again to open"),
    "map.failed": (
        "De kaart kon niet worden geladen; de tabel hieronder toont dezelfde gegevens.",
        "The map could not be loaded; the table below shows the same data.",
    ),
    "map.keys": (
        "Pijltjestoetsen: naar een buurgebied; Enter: openen; + en −: zoomen; 0: hele kaart.",
        "Arrow keys: move to a neighbouring area; Enter: open; + and −: zoom; 0: whole map.",
    ),
    "map.table_title": ("Tabel bij de kaart", "Table of the map"),
    "table.filter": (
        "Zoek in de tabel (naam, code of gemeente)",
        "Search the table (name, code or municipality)",
    ),
    "table.filtered": (
        "{n} van {total} gebieden passen bij ‘{text}’.",
        "{n} of {total} areas match ‘{text}’.",
    ),
    "table.prev": ("Vorige", "Previous"),
    "table.next": ("Volgende", "Next"),
    "map.table_caption": (
        "{n} gebieden, gesorteerd op {maat}. Klik op een kolomkop om te sorteren.",
        "{n} areas, sorted by {maat}. Click a column header to sort.",
    ),
    "map.summary": (
        "{n_stacked} van {n_scored} gescoorde gebieden ({share}) stapelen problemen in "
        "minstens twee domeinen.",
        "{n_stacked} of {n_scored} scored areas ({share}) stack problems in at least two domains.",
    ),
    "map.open_area": ("Open de gebiedspagina van {naam}", "Open the area page of {naam}"),
    "map.all_nl": ("Nederland", "Netherlands"),
    "hover.value": ("Waarde", "Value"),
    "hover.percentile": ("Percentiel", "Percentile"),
    # Levels
    "niveau.land": ("land", "country"),
    "niveau.gemeente": ("gemeente", "municipality"),
    "niveau.wijk": ("wijk", "district"),
    "niveau.buurt": ("buurt", "neighbourhood"),
    "niveau.groep": ("groep", "group"),
    "niveau.gemeente_plural": ("gemeenten", "municipalities"),
    "niveau.wijk_plural": ("wijken", "districts"),
    "niveau.buurt_plural": ("buurten", "neighbourhoods"),
    # Columns
    "col.waarde": ("Waarde", "Value"),
    "col.percentiel": ("Percentiel", "Percentile"),
    "col.indicator": ("Indicator", "Indicator"),
    "col.domein": ("Domein", "Domain"),
    "col.eenheid": ("Eenheid", "Unit"),
    "col.vlaggen": ("Opmerkingen", "Flags"),
    "col.bron": ("Bron en uitgave", "Source and edition"),
    "hover.source": ("Bron", "Source"),
    "map.domain_years": (
        "Kaart {jaar}, per domein het jaar van de cijfers: {parts}.",
        "Map {jaar}, per domain the year of the figures: {parts}.",
    ),
    "map.measure_source": (
        "Bron van {maat}: {bron}; {dekking}.",
        "Source of {maat}: {bron}; {dekking}.",
    ),
    "col.nl": ("Nederland", "Netherlands"),
    "col.zekerheid": ("Afbakening", "Delineation"),
    "col.focusgebied": ("Focusgebied", "Focus area"),
    "col.wijken": ("Wijken", "Districts"),
    "col.jaar": ("Jaar", "Year"),
    # Flags
    "flag.not_carried": ("niet in dit jaar", "not in this year"),
    "area.not_carried": (
        "Niet in de cijfers van {jaar}: {names}.",
        "Not in the {jaar} figures: {names}.",
    ),
    "flag.missing": (
        "geen waarde (ontbreekt of geheimgehouden door CBS)",
        "no value (missing or suppressed by CBS)",
    ),
    "flag.small": ("te weinig inwoners voor een score", "too few inhabitants for a score"),
    "flag.insufficient": ("onvoldoende gegevens", "insufficient data"),
    # Area page
    "area.not_found_title": ("Gebied niet gevonden", "Area not found"),
    "area.not_found": (
        "Er is geen gebied met code {code} in {jaar}. Codes zien eruit als GM0363 "
        "(gemeente), WK036300 (wijk) of BU03630000 (buurt); ze kunnen per jaar verschillen.",
        "There is no area with code {code} in {jaar}. Codes look like GM0363 (municipality), "
        "WK036300 (district) or BU03630000 (neighbourhood); they can differ between years.",
    ),
    "area.year_swapped": (
        "Dit gebied staat niet in de cijfers van {asked}; hieronder {jaar}.",
        "This area is not in the {asked} figures; shown below: {jaar}.",
    ),
    "area.other_years": ("De code bestaat wel in: {years}.", "The code does exist in: {years}."),
    "area.search_hint": (
        "Zoek een gebied op naam via Vergelijken, of begin op de kaart.",
        "Search an area by name on the Compare page, or start from the map.",
    ),
    "area.heading": ("{naam}", "{naam}"),
    "area.subtitle": (
        "{niveau} {code} · {inwoners} inwoners · {jaar}",
        "{niveau} {code} · {inwoners} inhabitants · {jaar}",
    ),
    "area.years": ("Jaar:", "Year:"),
    "year.swapped": (
        "{asked} heeft geen {what}; getoond wordt {jaar} (jaren met {what}: {years}).",
        "{asked} has no {what}; showing {jaar} (years with {what}: {years}).",
    ),
    "year.figures": ("cijfers", "figures"),
    "year.focus_areas": ("focusgebieden", "focus areas"),
    "area.stacking_title": ("Stapeling", "Stacking"),
    "area.stacking_none": (
        "{naam} hoort op geen van de {n} gescoorde domeinen bij de {top} % slechtst "
        "scorende {niveaus} van {ref}.",
        "{naam} is not among the worst-scoring {top} % of {niveaus} of {ref} on any of the "
        "{n} scored domains.",
    ),
    "area.stacking_some": (
        "{naam} hoort op {k} van de {n} gescoorde domeinen bij de {top} % slechtst scorende "
        "{niveaus} van {ref}: {domains}.",
        "{naam} is among the worst-scoring {top} % of {niveaus} of {ref} on {k} of the {n} "
        "scored domains: {domains}.",
    ),
    "area.stacking_unscored": (
        "{naam} heeft geen stapelingsscore: {reason}.",
        "{naam} has no stacking score: {reason}.",
    ),
    "area.stacking_missing_domains": (
        "Niet gescoord in {jaar}: {domains} (het jaar bevat die indicatoren niet).",
        "Not scored in {jaar}: {domains} (the year does not carry those indicators).",
    ),
    "area.ref_nl": ("Nederland", "the Netherlands"),
    "area.ref_partial": (
        "de gebieden die de opslag voor dit jaar bevat ({names})",
        "the areas the store holds for this year ({names})",
    ),
    "map.partial_year": (
        "De opslag bevat voor {jaar} alleen {names}: percentielen en scores zijn ten opzichte "
        "van die gebieden, niet van heel Nederland.",
        "For {jaar} the store holds only {names}: percentiles and scores are relative to those "
        "areas, not to all of the Netherlands.",
    ),
    "area.ref_gemeente": ("de eigen gemeente", "their own municipality"),
    "area.profile_title": ("Domeinprofiel", "Domain profile"),
    "area.profile_help": (
        "Domeinscore 0–100: gemiddeld percentiel van de indicatoren van het domein (hoger = "
        "ongunstiger). De gemeente en Nederland zijn uit aantallen samengeteld en tussen de "
        "{niveaus} geplaatst. De stippellijn is de drempel.",
        "Domain score 0–100: mean percentile of the domain's indicators (higher = less "
        "favourable). The municipality and the Netherlands are aggregated from counts and "
        "placed among the {niveaus}. The dotted line is the threshold.",
    ),
    "area.profile_none": (
        "Geen domeinscores in {jaar}: het jaar bevat geen indicatoren van de probleemdomeinen.",
        "No domain scores in {jaar}: the year carries no indicators of the problem domains.",
    ),
    "area.indicators_title": ("Alle indicatoren", "All indicators"),
    "area.trend_title": ("Ontwikkeling door de jaren", "Trend over the years"),
    "area.trend_help": (
        "Ruwe waarden per jaar (geen rangen), voor de jaren waarin deze code bestaat. "
        "Gebiedsindelingen veranderen: een code kan in een ander jaar een iets ander gebied zijn.",
        "Raw values per year (not ranks), for the years in which this code exists. Boundaries "
        "change: a code may cover a slightly different area in another year.",
    ),
    "area.trend_indicator": ("Indicator", "Indicator"),
    "area.trend_none": (
        "Deze code komt in maar één jaar van de gegevensopslag voor: geen ontwikkeling te tonen.",
        "This code occurs in only one year of the data store: no trend to show.",
    ),
    "area.children_title": ("{niveaus} van {naam}", "{niveaus} of {naam}"),
    "area.children_map_missing": (
        "Voor {jaar} bevat de gegevensopslag geen grenzen van de {niveaus}; de tabel toont ze.",
        "For {jaar} the data store holds no boundaries of the {niveaus}; the table lists them.",
    ),
    "area.on_map": ("Bekijk op de kaart", "View on the map"),
    "area.compare": ("Vergelijk met andere gebieden", "Compare with other areas"),
    "area.focus_member": ("Hoort bij focusgebied ", "Part of focus area "),
    "area.children_missing": (
        "Voor {jaar} bevat de gegevensopslag geen {niveaus}; kies een ander jaar.",
        "For {jaar} the data store holds no {niveaus}; choose another year.",
    ),
    "area.this": ("Dit gebied", "This area"),
    # Focus areas
    "focus.title": ("NPLV-focusgebieden", "NPLV focus areas"),
    "focus.lead": (
        "De twintig stedelijke focusgebieden van het Nationaal Programma Leefbaarheid en "
        "Veiligheid. Elk gebied is samengesteld uit zijn wijken (uit aantallen, niet uit "
        "gemiddelde percentages) en tussen alle wijken van Nederland geplaatst.",
        "The twenty urban focus areas of the National Programme for Liveability and Safety. "
        "Each area is aggregated from its districts (from counts, not averaged percentages) "
        "and placed among all districts of the Netherlands.",
    ),
    "focus.zekerheid_help": (
        "Afbakening ‘bevestigd’: een openbare bron noemt de wijken; ‘onzeker’: de beste lezing "
        "van de bronnen. De wijken per focusgebied staan op de pagina van het gebied.",
        "Delineation ‘confirmed’: a public source names the districts; ‘uncertain’: the best "
        "reading of the sources. Each focus area's page lists its districts.",
    ),
    "focus.table_help": (
        "Klik op een kolomkop om te sorteren; de naam opent de pagina van het gebied.",
        "Click a column header to sort; the name opens the area's page.",
    ),
    "focus.none": (
        "De gegevensopslag bevat voor {jaar} geen focusgebieden op wijkniveau.",
        "The data store holds no focus areas at district level for {jaar}.",
    ),
    "focus.not_found": (
        "Er is geen focusgebied '{id}'. Kies er een uit het overzicht.",
        "There is no focus area '{id}'. Pick one from the overview.",
    ),
    "focus.members_title": ("Wijken van het focusgebied", "Districts of the focus area"),
    "focus.profile_help": (
        "Het focusgebied, zijn gemeente en Nederland, elk samengeteld uit de wijken en "
        "tussen alle wijken van Nederland geplaatst.",
        "The focus area, its municipality and the Netherlands, each aggregated from districts "
        "and placed among all districts of the Netherlands.",
    ),
    "focus.zekerheid_bevestigd": ("bevestigd", "confirmed"),
    "focus.zekerheid_onzeker": ("onzeker", "uncertain"),
    "focus.source": (
        "Afbakening: {zekerheid}. Bron: {bron}.",
        "Delineation: {zekerheid}. Source: {bron}.",
    ),
    "focus.report": ("Samenvatting {naam}, {jaar}", "Summary {naam}, {jaar}"),
    "focus.summary": (
        "{naam} ({gemeente}) telt {inwoners} inwoners in {n} wijk(en). Samengeteld hoort het "
        "gebied op {k} van de {m} gescoorde domeinen bij de {top} % slechtst scorende wijken "
        "van Nederland{domains}.",
        "{naam} ({gemeente}) has {inwoners} inhabitants in {n} district(s). Aggregated, the area "
        "is among the worst-scoring {top} % of districts of the Netherlands on {k} of the {m} "
        "scored domains{domains}.",
    ),
    "focus.small_map": ("Kaart van de focusgebieden", "Map of the focus areas"),
    # Compare
    "compare.title": ("Gebieden vergelijken", "Compare areas"),
    "compare.lead": (
        "Kies tot zes gemeenten, wijken of buurten; zoek op naam of code.",
        "Choose up to six municipalities, districts or neighbourhoods; search by name or code.",
    ),
    "compare.search": ("Zoek gebieden", "Search areas"),
    "compare.placeholder": (
        "Typ een naam of code, bijv. Overvecht of WK0344",
        "Type a name or code",
    ),
    "compare.empty": (
        "Nog niets gekozen. Typ hierboven minstens twee letters.",
        "Nothing chosen yet. Type at least two letters above.",
    ),
    "ref.all_of": ("{naam} (alle {niveaus})", "{naam} (all {niveaus})"),
    "compare.series": ("{naam} ({code}) · onder {niveaus}", "{naam} ({code}) · among {niveaus}"),
    "compare.too_many": (
        "Vergelijken kan met hoogstens {max} gebieden; weggelaten: {codes}.",
        "At most {max} areas can be compared; left out: {codes}.",
    ),
    "compare.missing": (
        "Niet in {jaar}: {codes}.",
        "Not in {jaar}: {codes}.",
    ),
    "compare.with": ("Zet ernaast", "Set beside them"),
    "compare.with_gemeente": (
        "de gemeente van elke gekozen wijk of buurt",
        "the municipality of each chosen district or neighbourhood",
    ),
    "compare.with_nl": ("Nederland", "the Netherlands"),
    "compare.with_help": (
        "Samengesteld uit de gebieden van hetzelfde niveau en onder hen gescoord, zoals op "
        "de gebiedspagina: 'Utrecht (alle wijken)' is niet de gemeente onder gemeenten.",
        "Built from the areas of the same level and scored among them, as on the area page: "
        "'Utrecht (all districts)' is not the municipality among municipalities.",
    ),
    "compare.profiles": ("Domeinprofielen", "Domain profiles"),
    "compare.table": ("Alle indicatoren naast elkaar", "All indicators side by side"),
    "compare.levels_note": (
        "Elk gebied is gescoord tussen de gebieden van zijn eigen niveau.",
        "Each area is scored among the areas of its own level.",
    ),
    "compare.table_caption": (
        "Waarde per gebied, met tussen haakjes het percentiel (hoger = ongunstiger). Elk "
        "gebied is gescoord tussen de gebieden van zijn eigen niveau.",
        "Value per area, with the percentile in brackets (higher = less favourable). Each "
        "area is scored among the areas of its own level.",
    ),
    # Method
    "method.title": ("Methode en bronnen", "Method and sources"),
    "method.recipe": ("Zo wordt gescoord", "How scoring works"),
    "method.parameters": ("Parameters (huidige waarden)", "Parameters (current values)"),
    "method.param": ("Parameter", "Parameter"),
    "method.value": ("Waarde", "Value"),
    "method.default": ("Standaard", "Default"),
    "method.indicators": ("Indicatoren", "Indicators"),
    "method.domains": ("Domeinen", "Domains"),
    "method.sources": ("Bronnen en naamsvermelding", "Sources and attribution"),
    "method.source_table": ("Bronnen per uitgave", "Sources by edition"),
    "method.publisher": ("Uitgever", "Publisher"),
    "method.catalog": ("Catalogus", "Catalogue"),
    "method.editions": ("Uitgaven (jaar → tabel, indeling)", "Editions (year → table, indeling)"),
    "method.selection": ("Selectie", "Selection"),
    "method.in_store": ("In deze gegevensversie", "In this data vintage"),
    "method.why": ("Waarom in dit domein", "Why in this domain"),
    "method.view": (
        "Herkomst per indicator ({niveau} {jaar})",
        "Origin per indicator ({niveau} {jaar})",
    ),
    "method.coverage": ("Dekking", "Coverage"),
    "method.vintage": ("Gegevensversie", "Data vintage"),
    "method.built": ("Opslag gebouwd op {built}.", "Store built on {built}."),
    "method.years_carried": ("Jaren in de opslag", "Years in the store"),
    "method.table": ("Tabel", "Table"),
    "method.geometry": ("Grenzen", "Boundaries"),
    "method.retrieved": ("Opgehaald", "Retrieved"),
    "method.origin": ("Herkomst", "Origin"),
    "method.min_coverage": (
        "Minimaal aandeel van de indicatoren van een domein dat een gebied moet hebben "
        "(anders geen domeinscore)",
        "Minimum share of a domain's indicators an area must have (else no domain score)",
    ),
    "method.origin_local": ("offline kopie van de bron", "offline copy of the source"),
    "method.origin_project": ("bestand van dit project", "file of this project"),
    "method.maps_for": ("kaart voor {niveaus}", "map for {niveaus}"),
    "method.build_notes": (
        "Technische bouwnotities ({n}, Engelstalig, voor beheerders)",
        "Technical build notes ({n}, for maintainers)",
    ),
    "method.carried_years": ("Jaren met gegevens", "Years with data"),
    "method.no_geometry": ("geen", "none"),
    # Empty store and errors
    "store.empty_title": ("Nog geen gegevens", "No data yet"),
    "store.empty": (
        "De gegevensopslag is leeg of onleesbaar, dus er is nog niets te tonen. Bouw hem met:",
        "The data store is empty or unreadable, so there is nothing to show yet. Build it with:",
    ),
    "store.empty_after": (
        "en herlaad deze pagina. Melding van de opslag:",
        "and reload this page. Message from the store:",
    ),
    "notfound.title": ("Pagina niet gevonden", "Page not found"),
    "notfound.body": (
        "Deze pagina bestaat niet. Misschien zoekt u een van deze:",
        "This page does not exist. Perhaps you are looking for one of these:",
    ),
    "notfound.area_hint": (
        "Een gebied vindt u onder {route}, bijvoorbeeld {example} voor Amsterdam.",
        "An area lives at {route}, for example {example} for Amsterdam.",
    ),
    "breadcrumbs": ("Kruimelpad", "Breadcrumbs"),
    "dropdown.select_all": ("Alles kiezen", "Select all"),
    "dropdown.deselect_all": ("Niets kiezen", "Deselect all"),
    "dropdown.selected_count": ("{num_selected} gekozen", "{num_selected} selected"),
    "dropdown.search": ("Zoeken", "Search"),
    "dropdown.clear_search": ("Zoektekst wissen", "Clear search"),
    "dropdown.clear_selection": ("Keuze wissen", "Clear selection"),
    "dropdown.no_options_found": ("Niets gevonden", "No options found"),
    "value.none": ("–", "–"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    # Comparable areas (area page)
    "peers.title": (
        "{naam} tegenover {n} vergelijkbare {niveaus}",
        "{naam} against {n} comparable {niveaus}",
    ),
    "peers.method": (
        "Vergelijkbaar naar context alleen, nooit naar de problemen die worden vergeleken: "
        "{features}. Elk kenmerk is robuust gestandaardiseerd ((x − mediaan) ÷ "
        "interkwartielafstand over {searched} {niveaus}) en gewogen; afstand = √Σ gewicht × z². "
        "{left_out} {niveaus} zonder alle kenmerken of met te weinig inwoners doen niet mee.",
        "Comparable by context only, never by the problems being compared: {features}. Each "
        "feature is robustly standardised ((x − median) ÷ interquartile range over {searched} "
        "{niveaus}) and weighted; distance = √Σ weight × z². {left_out} {niveaus} lacking a "
        "feature or with too few inhabitants are left out.",
    ),
    "peers.dropped": (
        "Niet gebruikt (niet in de gegevens van dit jaar of ontbreekt voor dit gebied): "
        "{features}.",
        "Not used (not in this year's data, or missing for this area): {features}.",
    ),
    "peers.scores_title": (
        "Domeinscores tegenover de vergelijkbare gebieden",
        "Domain scores against the comparable areas",
    ),
    "peers.scores_caption": (
        "Score 0-100, hoger = slechter; mediaan en spreiding (laagste–hoogste) van de "
        "vergelijkbare gebieden.",
        "Score 0-100, higher = worse; median and range (lowest–highest) of the comparable areas.",
    ),
    "peers.list_caption": (
        "Vergelijkbare gebieden, dichtstbijzijnde eerst",
        "Comparable areas, nearest first",
    ),
    "peers.compare": (
        "Open met de {n} meest vergelijkbare in Vergelijken",
        "Open with the {n} most comparable in Compare",
    ),
    "peers.download": (
        "Vergelijkbare gebieden met kenmerken (CSV)",
        "Comparable areas with features (CSV)",
    ),
    "peers.reference": (
        "Mediaan van {n} {niveaus} vergelijkbaar met {naam}",
        "Median of {n} {niveaus} comparable to {naam}",
    ),
    "peers.focus_reference": (
        "Mediaan van {n} {niveaus} vergelijkbaar met de wijken van het focusgebied",
        "Median of {n} {niveaus} comparable to the focus area's districts",
    ),
    "peers.none": ("Geen vergelijkbare gebieden: {reason}", "No comparable areas: {reason}"),
    # Change between editions (area page)
    "change.title": ("Verandering sinds {van}", "Change since {van}"),
    "change.help": (
        "Per indicator de waarde in {tot} en de verandering sinds {van}, alleen voor codes die "
        "in beide jaren bestaan: CBS houdt een code alleen zolang het gebied dezelfde grenzen "
        "heeft. Klassen in interkwartielafstanden van {van} (onder 0,1: gelijk; vanaf 0,5: "
        "veel).",
        "Per indicator the value in {tot} and the change since {van}, only for codes that exist "
        "in both years: CBS keeps a code only while the area keeps its boundaries. Classes in "
        "interquartile ranges of {van} (below 0.1: same; from 0.5: much).",
    ),
    "change.code_new": (
        "De code {code} bestaat niet in {van} (nieuw of gewijzigd gebied): geen verandering te "
        "tonen.",
        "The code {code} does not exist in {van} (a new or changed area): no change to show.",
    ),
    "change.none": (
        "Geen eerder jaar met dezelfde indicatoren voor dit niveau.",
        "No earlier year with the same indicators at this level.",
    ),
    "change.map_title": (
        "{indicator}: verandering {van} → {tot} in de wijken van {gemeente}",
        "{indicator}: change {van} → {tot} in the districts of {gemeente}",
    ),
    "change.legend_subtitle": (
        "in de richting van de indicator ({direction})",
        "in the indicator's direction ({direction})",
    ),
    "change.movers_title": ("Grootste veranderingen", "Biggest changes"),
    "change.col_now": ("Waarde {tot}", "Value {tot}"),
    "change.col_then": ("Waarde {van}", "Value {van}"),
    "change.col_change": ("Verandering", "Change"),
    "change.col_class": ("Klasse", "Class"),
    "change.klasse.veel_beter": ("veel beter", "much better"),
    "change.klasse.beter": ("beter", "better"),
    "change.klasse.gelijk": ("gelijk", "about the same"),
    "change.klasse.slechter": ("slechter", "worse"),
    "change.klasse.veel_slechter": ("veel slechter", "much worse"),
    "change.klasse.veel_lager": ("veel lager", "much lower"),
    "change.klasse.lager": ("lager", "lower"),
    "change.klasse.hoger": ("hoger", "higher"),
    "change.klasse.veel_hoger": ("veel hoger", "much higher"),
    "change.klasse.onbekend": ("onbekend (ontbreekt in een jaar)", "unknown (missing in a year)"),
    "change.klasse.nieuw": ("nieuwe code (grenzen gewijzigd)", "new code (boundaries changed)"),
    "change.klasse.vervallen": ("code vervallen", "code gone"),
    "col.rang": ("Rang", "Rank"),
    "col.afstand": ("Afstand", "Distance"),
    "col.mediaan": ("Mediaan", "Median"),
    "col.spreiding": ("Spreiding", "Range"),
}


_UNITS_EN: Final = units_en()


def column_label(name: str, taal: str) -> str:
    """The label of an output column (``stapeling``, ``inwoners``, ``score_wonen``, …) as
    :mod:`layers.columns` declares it."""
    return column(name).label(taal)


def unit(text: str, taal: str) -> str:
    """A unit of an output column or indicator in a language, as :mod:`layers.columns`
    declares it (other texts stay as they are)."""
    return _UNITS_EN.get(text, text) if taal == "en" else text


def t(key: str, taal: str = "nl", /, **values: Any) -> str:
    """Return the text of ``key`` in ``taal`` (``nl`` or ``en``), with placeholders filled.

    Raises
    ------
    KeyError
        If the key is not in :data:`STRINGS`.
    """
    nl, en = STRINGS[key]
    text = en if taal == "en" else nl
    return text.format(**values) if values else text


def label(obj: Any, taal: str) -> str:
    """Return ``obj.label_en`` or ``obj.label_nl`` (domains and indicators of the registry)."""
    return str(getattr(obj, "label_en" if taal == "en" else "label_nl"))


def domain_label(domain_id: str, taal: str) -> str:
    """The label of a domain of the registry in a language (its id when unknown)."""
    return next((label(d, taal) for d in DOMAINS if d.id == domain_id), domain_id)


def fmt_number(value: Any, taal: str = "nl", *, decimals: int | None = None) -> str:
    """Format a number for display: Dutch ``12.345,6``, English ``12,345.6``; ``–`` when missing.

    Parameters
    ----------
    decimals
        Digits after the decimal point; by default 0 from 100 up, else 1.
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(number):
        return "–"
    if decimals is None:
        decimals = 0 if abs(number) >= 100 or float(number).is_integer() else 1
    text = f"{number:,.{decimals}f}"
    if taal == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_value(value: Any, unit_: str, taal: str = "nl", *, decimals: int | None = None) -> str:
    """Format a value with its unit (``12,3 %``, ``€ 245.000``, ``8,1 per 1 000 inwoners``);
    registry units are translated for English."""
    number = fmt_number(value, taal, decimals=decimals)
    if number == "–" or not unit_:
        return number
    if unit_ in {"%", "procent"}:
        return f"{number} %"
    if unit_ in {"€", "euro", "EUR"}:
        return f"€ {number}"
    return f"{number} {unit(unit_, taal)}"


def fmt_share(part: int, whole: int, taal: str = "nl") -> str:
    """Format ``part / whole`` as a percentage (``12 %``); ``–`` when ``whole`` is 0."""
    if whole <= 0:
        return "–"
    return fmt_number(100 * part / whole, taal, decimals=0) + " %"


def join_words(items: list[str], taal: str = "nl") -> str:
    """Join words as prose: ``a, b en c`` (Dutch) or ``a, b and c`` (English)."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    conj = " and " if taal == "en" else " en "
    if any(conj in item for item in items):  # "armoede en werk en wonen" would be ambiguous
        return "; ".join(items)
    return ", ".join(items[:-1]) + conj + items[-1]
