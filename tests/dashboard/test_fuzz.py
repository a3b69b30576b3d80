"""Bad input to the app, fuzzed with hypothesis: URL paths and query parameters (unknown
codes, wrong levels, huge and negative numbers, unicode, script fragments, ``javascript:``
URLs, path traversal, overlong strings) through the HTTP interface.

Dash pages render in the browser, so a URL reaches the server twice: ``GET`` of the path
(which returns the index page) and the router callback with the path and query as the
browser's location holds them, followed by the page's own callbacks. Both are fuzzed here,
the callbacks with the bodies Chromium sends (:mod:`bench.payloads`), with values both
URL-encoded (as a browser sends them) and raw (as a crafted request can). Properties:

- never a 5xx, and every answer parses;
- no fuzzed fragment comes back unescaped in HTML, nor in a prop where it would be markup
  or a link (raw HTML, ``href``/``src`` with ``javascript:``, figure text);
- an unknown path gets the helpful 404 page, an unknown or malformed area or focus-area id
  the helpful "not found" page;
- downloads of any view have a safe file name, and the CSV cells of exported names cannot
  start a spreadsheet formula.

Example counts are bounded so the module runs in well under a minute.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import pandas as pd
import pytest
from dash import Dash
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import payloads
from bench.payloads import Callbacks
from dashboard import downloads, ids
from dashboard.i18n import t
from dashboard.urls import parse_view
from etl import schema
from layers.config import ScoringConfig
from layers.constants import FORMULA_PREFIXES
from layers.export import to_csv
from layers.indicators import SCORED_DOMAINS

ATTACKS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "'; DROP TABLE wijken; --",
    "{{7*7}}${7*7}",
    "%00",
    "\x00",
    "\u202egnp.exe",
    '=HYPERLINK("http://x")',
)
CODES = ("GM0363", "WK036300", "BU03630000", "GM9999", "WK999999", "BU99999999", "NL00",
         "gm0363", " WK036300 ", "WK0363", "GM0363GM0363", "rotterdam-zuid", "xx-yy")  # fmt: skip
NUMBERS = ("0", "-1", "-2022", "2022", "1899", "99999999999999999999", "1e308", "-1e308",
           "nan", "inf", "2022.5", "0x7e6", "１２３", "80", "101", "-50")  # fmt: skip
WORDS = ("gemeente", "wijk", "buurt", "provincie", "land", "en", "nl", "1", "true", "stapeling",
         "samengesteld", "koopwoningen", "score_wonen", "gemeente,wijk")  # fmt: skip
KEYS = ("niveau", "jaar", "maat", "gemeente", "focus", "taal", "codes", "w_onderwijs",
        "w_<script>", "drempel", "min_inw", "ref", "weight_<b>", "threshold",
        "min_population", "reference", "max_age", "x")  # fmt: skip
MARKUP = re.compile(r"[<>\"']")
DANGEROUS_URL = re.compile(r"^[\s\x00-\x1f]*(javascript|vbscript|data)\s*:", re.IGNORECASE)
DANGEROUS_TYPES = {"Script", "Iframe", "ObjectEl", "Embed"}
SAFE_FILE = re.compile(r"^[A-Za-z0-9_-]+(\.codebook)?\.csv$")

single = st.sampled_from(ATTACKS + CODES + NUMBERS + WORDS)
values = st.one_of(
    single,
    single,
    st.text(max_size=24),
    st.text(min_size=300, max_size=2000),
    st.integers().map(str),
    st.tuples(st.text(max_size=5), single, st.text(max_size=5)).map("".join),
)
queries = st.dictionaries(st.sampled_from(KEYS), values, max_size=5)
pages = st.one_of(
    values.map(lambda v: "/gebied/" + v),
    values.map(lambda v: "/focusgebied/" + v),
    values.map(lambda v: "/" + v),
    st.sampled_from(["/", "/vergelijk", "/methode", "/focusgebieden", "/404", "/gebied/"]),
)
DOMAINS = len(SCORED_DOMAINS)
"""One weight control per scored domain: the what-if requests the page sends carry that many."""
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@pytest.fixture(scope="module")
def client(app: Dash) -> Any:
    return app.server.test_client()


@pytest.fixture(scope="module")
def callbacks(client: Any) -> Callbacks:
    return Callbacks(client.get("/_dash-dependencies").get_json())


@pytest.fixture(scope="module")
def known(store: Path) -> frozenset[str]:
    """Every area code and focus-area id the store holds."""
    manifest = schema.read_manifest(store)
    codes: set[str] = set()
    for jaar in manifest.jaren:
        for niveau in schema.NIVEAUS:
            if manifest.has("statistics", jaar, niveau):
                stats = schema.read_statistics(store, jaar, niveau)
                codes |= set(stats[schema.CODE].astype(str))
    codes |= set(schema.read_focusgebieden(store)[schema.FOCUSGEBIED_ID].astype(str))
    return frozenset(codes)


def _url(path: str, query: dict[str, str]) -> str:
    return quote(path, safe="/") + ("?" + urlencode(query) if query else "")


def _risky(*texts: str) -> list[str]:
    """The fuzzed texts that would be markup if reflected raw (long enough to tell)."""
    return [x for x in texts if len(x) >= 4 and MARKUP.search(x)]


def _post(client: Any, body: dict[str, Any]) -> Any:
    r = client.post(payloads.URL, data=json.dumps(body), content_type="application/json")
    assert r.status_code in (200, 204), (r.status_code, r.get_data()[:300], body)
    return json.loads(r.get_data()) if r.status_code == 200 else None


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _figures(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "figure":
                yield value
            else:
                yield from _figures(value)
    elif isinstance(node, list):
        for value in node:
            yield from _figures(value)


def assert_safe(answer: Any, fuzzed: list[str]) -> None:
    """No dangerous component, no dangerous link, no fuzzed markup in raw HTML or figures."""
    if answer is None:
        return
    for component in payloads.components_of(answer):
        props = component["props"]
        assert component["type"] not in DANGEROUS_TYPES, component["type"]
        for name in ("href", "src", "action", "formAction"):
            value = props.get(name)
            assert not (isinstance(value, str) and DANGEROUS_URL.match(value)), (name, value)
        if props.get("dangerously_allow_html"):
            text = " ".join(_strings(props.get("children")))
            assert not any(f in text for f in fuzzed), text[:200]
    for figure in _figures(answer):
        text = " ".join(_strings(figure))
        assert not any(f in text for f in _risky(*fuzzed)), text[:200]


@FUZZ
@given(path=pages, query=queries)
def test_get_of_any_url_returns_the_index_without_reflecting_it(
    client: Any, path: str, query: dict[str, str]
) -> None:
    r = client.get(_url(path, query))
    assert r.status_code < 500
    if r.status_code == 200 and r.mimetype == "text/html":
        body = r.get_data(as_text=True)
        assert '<div id="react-entry-point">' in body
        for text in _risky(path, *query.keys(), *query.values()):
            assert text not in body, text


def _expect_not_found(pathname: str, known: frozenset[str]) -> tuple[str, ...]:
    """The not-found headings the router may show for a path (none: a real page). An area
    or focus-area id gets the area's own page; anything else the site's 404."""
    for prefix in ("/gebied/", "/focusgebied/"):
        if pathname.startswith(prefix):
            rest = unquote(pathname[len(prefix) :])
            ident = rest.strip().upper() if prefix == "/gebied/" else rest.strip().lower()
            if ident in known and "/" not in rest:
                return ()
            if rest and "/" not in rest:
                return ("area.not_found_title",)
            return ("area.not_found_title", "notfound.title")
    if pathname in {"/", "/vergelijk", "/methode", "/focusgebieden"}:
        return ()
    return ("notfound.title",)


@FUZZ
@given(path=pages, query=queries, raw=st.booleans())
def test_router_renders_any_url_safely_and_helpfully(
    client: Any, callbacks: Callbacks, known: frozenset[str], path: str, query: dict[str, str],
    raw: bool,
) -> None:  # fmt: skip
    pathname = path if raw else quote(path, safe="/")
    search = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if raw else (
        "?" + urlencode(query) if query else "")  # fmt: skip
    answer = _post(client, callbacks.router(pathname, search))
    assert answer is not None  # a new page always renders
    assert_safe(answer, [path, *query.values(), *query.keys()])
    expected = _expect_not_found(pathname, known)
    if expected:
        text = json.dumps(payloads.output(answer, payloads.CONTENT, "children"))
        titles = [t(key, taal) for key in expected for taal in ("nl", "en")]
        assert any(title in text for title in titles), (pathname, expected)


@settings(FUZZ, max_examples=25)
@given(query=queries, geokey=st.one_of(st.none(), values, st.just("2022|wijk||o")))
def test_map_callbacks_take_any_query(
    client: Any, callbacks: Callbacks, query: dict[str, str], geokey: str | None
) -> None:
    search = "?" + urlencode(query) if query else ""
    fuzzed = [*query.values()]
    assert_safe(_post(client, callbacks.draw_map(search, geokey)), fuzzed)
    assert_safe(_post(client, callbacks.table_body("map", "/", search)), fuzzed)
    assert_safe(_post(client, callbacks.nav("/", search)), fuzzed)
    assert_safe(_post(client, callbacks.whatif("/", search)), fuzzed)


control_values = st.one_of(
    st.none(),
    values,
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(values, max_size=3),
    st.dictionaries(st.text(max_size=5), values, max_size=2),
)


@FUZZ
@given(
    controls=st.fixed_dictionaries(
        {k: control_values for k in ("niveau", "jaar", "maat", "gemeente", "focus")}
    ),
    changed=st.sampled_from(["niveau", "jaar", "maat", "gemeente", "focus", "search"]),
    search=queries.map(lambda q: "?" + urlencode(q) if q else ""),
    click=st.one_of(st.none(), values, control_values.map(lambda v: {"points": [{"location": v}]})),
    whatif=st.tuples(st.lists(control_values, min_size=DOMAINS, max_size=DOMAINS),
                     control_values, control_values,
                     control_values),
)  # fmt: skip
def test_control_callbacks_take_any_value(
    client: Any, callbacks: Callbacks, controls: dict[str, Any], changed: str, search: str,
    click: Any, whatif: tuple[Any, ...],
) -> None:  # fmt: skip
    fuzzed = [str(v) for v in controls.values()]
    assert_safe(_post(client, callbacks.sync_controls(search, controls, changed)), fuzzed)
    answer = _post(client, callbacks.drill(click, search))
    href = payloads.output(answer or {}, ids.url("map"), "href")
    assert href is None or (href.startswith("/") and not href.startswith("//")), href
    weights, threshold, min_population, reference = whatif
    body = callbacks.whatif("/", search, weights=weights, threshold=threshold,
                            min_population=min_population, reference=reference)  # fmt: skip
    assert_safe(_post(client, body), fuzzed)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(query=queries, fmt=st.sampled_from(["csv", "excel", "codebook"]))
def test_downloads_of_any_view_have_safe_names(
    client: Any, callbacks: Callbacks, query: dict[str, str], fmt: str
) -> None:
    search = "?" + urlencode(query) if query else ""
    answer = _post(client, callbacks.download("/", search, fmt=fmt, clicks=1))
    sent = payloads.output(answer or {}, ids.DOWNLOAD, "data")
    if sent is not None:
        assert SAFE_FILE.match(sent["filename"]), sent["filename"]


def _cells(body: bytes, *, excel: bool) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if excel else ","))


NASTY = ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0",
         "=HYPERLINK(\"http://evil\",\"x\")", "-", "@")  # fmt: skip


@pytest.mark.usefixtures("ctx")
def test_exported_csv_neutralises_formula_injection_in_names() -> None:
    """Names that a spreadsheet would run as formulas are written as text ('…), in the
    app's real export of a map view, in both CSV flavours and the header too."""
    view = parse_view("niveau=gemeente&jaar=2022")
    export = downloads.export_for("/", view)
    assert export is not None
    frame = export.frame.copy()
    names = list(NASTY) + list(frame["naam"].iloc[len(NASTY) :])
    frame["naam"] = pd.Series(names, index=frame.index, dtype="string")
    crafted = downloads.Export(frame, export.jaar, export.niveau, ScoringConfig(), export.name)
    for fmt in ("csv", "excel"):
        body, _ = downloads.content(crafted, fmt)
        rows = _cells(body, excel=fmt == "excel")
        header, data = rows[0], rows[1:]
        column = header.index("naam")
        got = [row[column] for row in data[: len(NASTY)]]
        assert got == ["'" + n for n in NASTY], got
        for row in [header, *data]:
            for cell in row:
                assert not cell.startswith(FORMULA_PREFIXES), cell


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    names=st.lists(st.one_of(st.text(max_size=12), st.sampled_from(NASTY)), min_size=1,
                   max_size=6),
    header=st.one_of(st.text(min_size=1, max_size=8), st.sampled_from(NASTY)),
)  # fmt: skip
def test_to_csv_never_writes_a_cell_that_starts_a_formula(names: list[str], header: str) -> None:
    frame = pd.DataFrame({"code": [f"GM{i:04d}" for i in range(len(names))], "naam": names})
    if header not in frame:
        frame[header] = names
    for excel in (False, True):
        for row in _cells(to_csv(frame, excel=excel), excel=excel):
            for cell in row:
                assert not cell.startswith(FORMULA_PREFIXES), (cell, names)


# Values a browser never sends but a crafted request can: each case names the callback, the
# values of its inputs and state, and (in a comment) where it answered 500 before the fix.
CLICK = {"points": [{"location": "GM0363"}]}
MALFORMED = {
    "area trend: unknown indicator id": (  # gebied.trend_view → layers.get_indicator raises
        "area-trend-graph-wrap", ["<script>alert(1)</script>"], ["/gebied/WK036300", ""]),
    "area trend: pathname not a string": (  # gebied._code_of: int has no startswith
        "area-trend-graph-wrap", ["inwoners"], [5, ""]),
    "focus map: click a string": (  # focusgebieden.open_focus: str has no get
        '{"page":"focus","type":"page-url"}.href', ["x"], ["?jaar=2022"]),
    "map click: search a number": (  # urls.to_mapping: dict(2)
        '{"page":"map","type":"page-url"}.href', [CLICK], [2]),
    "map: search a number": ("map-geokey.data", [5, None, None, None, None, None], ["/", None]),
    "router: shown store a string": (  # shell.keep_page: str has no get
        "_pages_content.children", ["/", "?maat=x"], ["x"]),
    "router: shown search a list": (
        "_pages_content.children", ["/", "?maat=x"], [{"path": "/", "search": ["?taal=en"]}]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_callback_values_give_no_server_error(
    client: Any, callbacks: Callbacks, case: str
) -> None:
    """Values of the wrong type or an indicator the menu does not offer get
    ``PreventUpdate`` (204), a page, or a 400 from the request boundary (a location that is
    not a string), never a 500."""
    needle, inputs, state = MALFORMED[case]
    r = _send(client, json.dumps(callbacks.generic(needle, inputs, state)).encode())
    assert r.status_code in (200, 204, 400), r.status_code


@pytest.mark.parametrize(
    "state",
    ["x", {"sort": None, "desc": None, "page": None}],
    ids=["string", "nulls"],
)
def test_malformed_table_state_gives_no_server_error(
    client: Any, callbacks: Callbacks, state: Any
) -> None:
    """A malformed table state is replaced by the default state (``tables.clean_state``)."""
    _post(client, callbacks.table_body("map", "/", "?jaar=2022", state=state))


FRAMEWORK = {
    "unknown file of a known package": ("GET", "/_dash-component-suites/dash/nope.js"),
    "unknown package": ("GET", "/_dash-component-suites/nope/x.js"),
    "registered source map that is not installed": (
        "GET", "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js.map"),
    "router with a relative pathname": ("POST", ""),
    "callback that does not exist": ("POST", "nonexistent.children"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(FRAMEWORK))
def test_bad_requests_to_dash_routes_get_4xx_not_500(
    client: Any, callbacks: Callbacks, case: str
) -> None:
    """Dash itself would answer these with 500 (DependencyException, FileNotFoundError,
    UnsupportedRelativePath, KeyError); ``create_app`` maps them to 404/400 with a short
    text, leaking nothing."""
    method, target = FRAMEWORK[case]
    if method == "GET":
        r = client.get(target)
    elif target == "":
        r = client.post(payloads.URL, json=callbacks.router("", ""))
    else:
        body = {"output": target, "outputs": {"id": "x", "property": "children"},
                "inputs": [], "changedPropIds": []}  # fmt: skip
        r = client.post(payloads.URL, json=body)
    assert b"Traceback" not in r.get_data()
    assert 400 <= r.status_code < 500, r.status_code


def test_a_key_error_of_our_own_code_stays_a_server_error(store: Any) -> None:
    """Only Dash's "no such callback" becomes a 400; a bug elsewhere is not hidden as one."""
    from dashboard import create_app

    app = create_app(store)

    def broken() -> str:
        raise KeyError("naam")

    app.server.add_url_rule("/_test-broken", "broken", broken)
    assert app.server.test_client().get("/_test-broken").status_code == 500


# Every callback the app registers, fuzzed from its own declaration (``app.callback_map``):
# a callback added later is covered without a change here. Each request has the shape the
# renderer sends (ids expanded as the page would, lists for ``ALL``), with values of the
# wrong type and hostile strings; a second strategy breaks the shape itself.
HOSTILE = (
    "\ud800", "a\udfffb", "\x00", "nul\x00byte", "\u202eRTL\u202c", "\u200b=1+1", "\ufeff=cmd",
    "=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "x" * 70_000, "é" * 3_000, "🏠" * 50, "\r\n\t",
    "?jaar=2022&niveau=gemeente", "/gebied/WK036300", "//evil.example/x", "%", "%zz", "?" * 500,
    "?" + "&".join(f"k{i}=v" for i in range(300)),
)  # fmt: skip
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(HOSTILE), values,
)  # fmt: skip
KEYWORDS = ("points", "location", "sort", "desc", "page", "path", "search", "x", "")
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYWORDS), inner, max_size=3)
    ),
    max_leaves=6,
)
location_values = st.one_of(
    queries.map(lambda q: "?" + urlencode(q) if q else ""),
    pages, values, st.sampled_from(HOSTILE),
)  # fmt: skip
LOCATION = ("pathname", "search", "hash", "href")
wildcard_values = st.sampled_from(["map", "area", "compare", "x", "", 0, 1.5, None])


@pytest.fixture(scope="module")
def served(app: Dash, client: Any) -> Dash:
    """The app after its first request (when Dash adds the callbacks of ``dash.callback``
    and of Dash Pages to its table)."""
    client.get("/_dash-dependencies")
    return app


def _server_callbacks(app: Dash) -> list[str]:
    return sorted(k for k, v in app.callback_map.items() if "callback" in v)


def _clientside_outputs(app: Dash) -> list[str]:
    return sorted(k for k, v in app.callback_map.items() if "callback" not in v)


def _parsed(component_id: str) -> Any:
    return json.loads(component_id) if component_id.startswith("{") else component_id


def _wildcards(component_id: Any) -> dict[str, str]:
    if not isinstance(component_id, dict):
        return {}
    return {k: v[0] for k, v in component_id.items() if isinstance(v, list)}


@st.composite
def _request(draw: st.DrawFn, app: Dash, output: str) -> dict[str, Any]:
    """A request for one callback in the renderer's shape, with fuzzed values."""
    entry = app.callback_map[output]
    # One expansion per wildcard key, shared by the whole request (as on a page).
    expansions: dict[str, list[Any]] = {}

    def concrete(component_id: Any) -> list[Any]:
        found = _wildcards(component_id)
        if not found:
            return [component_id]
        pattern = json.dumps(component_id, sort_keys=True)
        names = {k: k if found[k] == "MATCH" else f"{pattern}:{k}" for k in found}
        for name in names.values():
            if name not in expansions:
                size = 1 if name in found else 3  # one MATCH value per request
                expansions[name] = draw(st.lists(wildcard_values, min_size=1, max_size=size))
        many = [n for k, n in names.items() if found[k] != "MATCH"]
        count = min((len(expansions[n]) for n in many), default=1)
        return [{**component_id, **{k: expansions[n][i if n in many else 0]
                                    for k, n in names.items()}}
                for i in range(count)]  # fmt: skip

    def spec(declared: Mapping[str, Any], value: bool) -> Any:
        component_id = _parsed(declared["id"])
        specs = [{"id": cid, "property": declared["property"]} for cid in concrete(component_id)]
        for s in specs:
            if value:
                wanted = location_values if s["property"] in LOCATION else json_values
                if s["property"] == "id":  # the component's own id, as the renderer sends
                    wanted = st.just(s["id"])
                s["value"] = draw(st.one_of(wanted, wanted, wanted, json_values))
        wild = _wildcards(component_id)
        return specs if set(wild.values()) - {"MATCH"} else specs[0]

    pairs = payloads.split_output(output)
    outputs = [spec({"id": json.dumps(i, separators=(",", ":"), sort_keys=True)
                     if isinstance(i, dict) else i, "property": p}, False)
               for i, p in pairs]  # fmt: skip
    inputs = [spec(i, True) for i in entry["inputs"]]
    state = [spec(s, True) for s in entry["state"]]
    first = inputs[0][0] if isinstance(inputs[0], list) and inputs[0] else inputs[0]
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{payloads.sid(first['id'])}.{first['property']}"]
        if isinstance(first, dict) else [],
    }  # fmt: skip


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def _broken(draw: st.DrawFn, app: Dash) -> bytes:
    """A request body whose shape is wrong: not an object, too deep or too big, keys
    missing or of the wrong type, inputs of the wrong length or ids, a clientside output."""
    good = draw(_request(app, draw(st.sampled_from(_server_callbacks(app)))))
    kind = draw(st.sampled_from(BROKEN))
    if kind == "null":
        return b"null"
    if kind == "list":
        return b"[1, 2]"
    if kind == "number":
        return b"5"
    if kind == "string":
        return b'"x"'
    if kind == "deep":
        return ('{"output": "x", "inputs": ' + _deep(100_000) + "}").encode()
    if kind == "not json":
        return b'{"output": '
    if kind == "not utf-8":
        return b'{"output": "\xff\xfe"}'
    if kind == "huge":
        return json.dumps({**good, "pad": "x" * 3_000_000}).encode()
    if kind == "clientside output":
        good["output"] = draw(st.sampled_from(_clientside_outputs(app)))
    elif kind == "without state" and not good["state"]:  # nothing to leave out: one more
        good["state"] = [{"id": "x", "property": "y", "value": 1}]
    elif kind.startswith("without "):
        good.pop(kind.removeprefix("without "))
    elif kind == "short inputs":
        good["inputs"] = good["inputs"][:-1]
    elif kind == "long state":
        good["state"] = [*good["state"], {"id": "x", "property": "y", "value": 1}]
    elif kind == "wrong id":
        good["inputs"][0] = {"id": "nonexistent", "property": "value", "value": 1}
    elif kind == "spec not an object":
        good["inputs"][0] = draw(scalars)
    elif kind == "location not a string":
        specs = [one for s in [*good["inputs"], *good["state"]]
                 for one in (s if isinstance(s, list) else [s])]  # fmt: skip
        located = [one for one in specs if one["property"] in LOCATION]
        if located:
            one = draw(st.sampled_from(located))
            one["value"] = draw(st.one_of(st.integers(), st.lists(st.text(), max_size=2)))
        else:
            good["inputs"][0] = draw(scalars)
    else:  # a key of the wrong type
        key = kind.removeprefix("wrong type ")
        good[key] = draw(scalars.filter(lambda v: not isinstance(v, str)) if key == "output"
                         else scalars)  # fmt: skip
    return json.dumps(good).encode("utf-8", "surrogatepass")


BROKEN = ("null", "list", "number", "string", "deep", "not json", "not utf-8", "huge",
          "clientside output", "without inputs", "without state", "without output",
          "without outputs", "short inputs", "long state", "wrong id", "spec not an object",
          "location not a string", "wrong type output", "wrong type outputs",
          "wrong type inputs", "wrong type state", "wrong type changedPropIds")  # fmt: skip
EVERY_CALLBACK = settings(FUZZ, max_examples=40)


def _send(client: Any, body: bytes) -> Any:
    r = client.post(payloads.URL, data=body, content_type="application/json")
    assert r.status_code < 500, (r.status_code, r.get_data()[:300], body[:300])
    if r.status_code >= 400:
        assert b"Traceback" not in r.get_data() and len(r.get_data()) < 2_000
    return r


def test_every_callback_is_fuzzed(served: Dash) -> None:
    """The callbacks below come from the app itself: a new one is fuzzed automatically."""
    assert len(_server_callbacks(served)) >= 10 and _clientside_outputs(served)


def test_every_callback_takes_any_value(served: Dash, client: Any) -> None:
    """Each server callback, in turn, with values of any type in every input and state;
    some of them get past the request boundary to the callback itself (2xx)."""
    answered: dict[str, list[int]] = {}
    for output in _server_callbacks(served):

        @EVERY_CALLBACK
        @given(body=_request(served, output))
        def run(body: dict[str, Any]) -> None:
            r = _send(client, json.dumps(body).encode("utf-8", "surrogatepass"))
            answered.setdefault(body["output"], []).append(r.status_code)

        run()
    for output in _server_callbacks(served):
        assert any(code < 300 for code in answered[output]), (output, answered[output])


@settings(FUZZ, max_examples=200)
@given(data=st.data())
def test_the_callback_endpoint_answers_any_shape_with_4xx(
    served: Dash, client: Any, data: st.DataObject
) -> None:
    r = _send(client, data.draw(_broken(served)))
    assert 400 <= r.status_code < 500, r.status_code
