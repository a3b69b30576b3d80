"""The replay server: the $filter/$select parser, CBS and WFS answers, faults, log and CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from replay import Fault, ReplayServer
from replay.odata import QueryError, parse_filter, parse_select

ROWS = [
    {"ID": 0, "Code": "GM0363    ", "Soort": "Gemeente  ", "N": 10, "X": None},
    {"ID": 1, "Code": "WK036300  ", "Soort": "Wijk      ", "N": 20, "X": 1.5},
    {"ID": 2, "Code": "BU03630000", "Soort": "Buurt     ", "N": 30, "X": "it's"},
    {"ID": 3, "Code": "WK059900  ", "Soort": "Wijk      ", "N": 40, "X": None},
]


def ids(text: str) -> list[int]:
    predicate = parse_filter(text, ROWS[0].keys())
    return [row["ID"] for row in ROWS if predicate(row)]


def feed(server: ReplayServer, rest: str, **params: str) -> requests.Response:
    return requests.get(
        f"{catalog_url(server, rest)}/ODataFeed/odata/{rest}",
        params={"$format": "json", **params},
        timeout=10,
    )


def catalog_url(server: ReplayServer, rest: str) -> str:
    """The base URL of the catalog that publishes the table ``rest`` starts with: the
    third-party one for tables whose TableInfos name another catalog than CBS."""
    table = rest.split("/", 1)[0]
    info = server.root / "cbs" / table / "TableInfos.json"
    catalog = json.loads(info.read_text())[0].get("Catalog") if info.is_file() else "CBS"
    return server.cbs_url if catalog in (None, "CBS") else server.dataderden_url


def wfs(server: ReplayServer, year: int | str, **params: str) -> requests.Response:
    base = {
        "service": "WFS",
        "version": "2.0.0",
        "request": "GetFeature",
        "typeNames": "gebiedsindelingen:gemeente_gegeneraliseerd",
        "outputFormat": "json",
    }
    return requests.get(f"{server.pdok_url}/{year}/wfs/v1_0", params=base | params, timeout=10)


def mirror(shared: Path, table: str, sub: str = "TypedDataSet") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((shared / "cbs" / table / f"{sub}.json").read_text())
    return rows


# ------------------------------------------------------------------------------ the parser


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Code eq 'GM0363    '", [0]),
        ("Code eq 'GM0363'", []),  # exact: the padding counts
        ("Code ne 'GM0363    '", [1, 2, 3]),
        ("startswith(Code,'WK')", [1, 3]),
        ("startswith(Code, 'WK') eq false", [0, 2]),
        ("endswith(Code,'0000')", [2]),
        ("substringof('0363', Code)", [0, 1, 2]),
        ("startswith(Code,'WK') and N gt 20", [3]),
        ("Soort eq 'Gemeente  ' or Soort eq 'Buurt     '", [0, 2]),
        ("N eq 10 or N eq 20 and Soort eq 'Buurt     '", [0]),  # and binds tighter
        ("(N eq 10 or N eq 20) and Soort eq 'Wijk      '", [1]),
        ("not (N le 20)", [2, 3]),
        ("X eq null", [0, 3]),
        ("X ge 1", [1]),  # None and text never compare as numbers
        ("X eq 'it''s'", [2]),
        ("N eq 1.5e0", None),
    ],
)
def test_filter_selects_rows(text: str, expected: list[int] | None) -> None:
    if expected is None:
        with pytest.raises(QueryError):
            ids(text)
    else:
        assert ids(text) == expected


def test_filter_handles_the_crime_filter_of_the_build() -> None:
    periods = " or ".join(f"Perioden eq '{p}JJ00'" for p in (2022, 2023, 2024, 2025))
    kinds = " or ".join(f"SoortMisdrijf eq '{s.ljust(6)}'" for s in ("0.0.0", "1.4.1"))
    predicate = parse_filter(f"({periods}) and ({kinds})")
    assert predicate({"Perioden": "2025JJ00", "SoortMisdrijf": "0.0.0 "})
    assert not predicate({"Perioden": "2025JJ00", "SoortMisdrijf": "0.0.0"})
    assert not predicate({"Perioden": "2021JJ00", "SoortMisdrijf": "1.4.1 "})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "expected a property name"),
        ("Code eq", "expected a value"),
        ("eq 'x'", "expected a property name"),
        ("Code eq 'x' and", "expected a property name"),
        ("(Code eq 'x'", "expected ')'"),
        ("Code eq 'x')", "unexpected ')'"),
        ("Code eq 'unterminated", "unexpected character"),
        ("Code == 'x'", "unexpected character '='"),
        ("Code eq 'x'; drop", "unexpected character ';'"),
        ("__import__('os').system('x')", "unexpected character '.'"),
        ("Code startswith 'x'", "expected an operator"),
        ("Code eq x", "expected a value"),
        ("Nope eq 'x'", "unknown property 'Nope'"),
        ("startswith('x', Code)", "expected a property name"),
        ("startswith(Code,'x') eq 3", "needs true or false"),
        ("(" * 40 + "N eq 1" + ")" * 40, "nested deeper"),
        ("not " * 40 + "N eq 1", "nested deeper"),
        ("N eq 1 or " * 3000 + "N eq 1", "longer than"),
    ],
)
def test_filter_rejects_malformed_text(text: str, says: str) -> None:
    with pytest.raises(QueryError, match=re.escape(says)):
        parse_filter(text, ROWS[0].keys())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("()', abeqornt CodeN0123.-startswith")), max_size=60))
def test_filter_parser_fails_only_with_query_error(text: str) -> None:
    try:
        predicate = parse_filter(text)
    except QueryError:
        return
    for row in ROWS:  # a parsed filter never raises on a row
        assert predicate(row) in (True, False)


def test_select_parses_known_names_and_refuses_others() -> None:
    assert parse_select("ID, Code", ROWS[0].keys()) == ("ID", "Code")
    with pytest.raises(QueryError, match="unknown property 'Nope'"):
        parse_select("ID,Nope", ROWS[0].keys())
    with pytest.raises(QueryError, match="not a property name"):
        parse_select("ID,,Code", ROWS[0].keys())


# --------------------------------------------------------------------------- CBS answers


def test_root_lists_typed_and_untyped_data_sets(replay: ReplayServer) -> None:
    answer = feed(replay, "85318NED/")
    names = [entry["name"] for entry in answer.json()["value"]]
    assert names == [
        "TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties", "WijkenEnBuurten",
    ]  # fmt: skip
    assert (
        answer.json()["value"][2]["url"]
        == f"{replay.cbs_url}/ODataFeed/odata/85318NED/TypedDataSet"
    )


def test_pages_follow_absolute_next_links_to_every_row(shared: Path) -> None:
    with ReplayServer(shared, page_size=40) as server:
        url: str | None = (
            f"{server.dataderden_url}/ODataFeed/odata/47018NED/TypedDataSet?$format=json"
        )
        rows: list[dict[str, Any]] = []
        while url:
            page = requests.get(url, timeout=10).json()
            rows.extend(page["value"])
            url = page.get("odata.nextLink")
            assert url is None or url.startswith(server.dataderden_url)
        expected = mirror(shared, "47018NED")
        assert rows == expected
        assert server.count(r"TypedDataSet") == -(-len(expected) // 40)


def test_filter_and_select_over_http(replay: ReplayServer, shared: Path) -> None:
    text = (
        "startswith(WijkenEnBuurten,'WK0363A') "
        "and (SoortMisdrijf eq '0.0.0 ' or SoortMisdrijf eq '1.1.1 ')"
    )
    answer = feed(
        replay, "47018NED/TypedDataSet", **{"$filter": text, "$select": "ID,SoortMisdrijf"}
    )
    expected = [
        {"ID": r["ID"], "SoortMisdrijf": r["SoortMisdrijf"]}
        for r in mirror(shared, "47018NED")
        if r["WijkenEnBuurten"].startswith("WK0363A") and r["SoortMisdrijf"] in ("0.0.0 ", "1.1.1 ")
    ]
    assert answer.status_code == 200
    assert expected and answer.json()["value"] == expected


def test_skip_and_top_window_the_rows(replay: ReplayServer, shared: Path) -> None:
    answer = feed(replay, "47018NED/TypedDataSet", **{"$skip": "5", "$top": "3"})
    assert answer.json()["value"] == mirror(shared, "47018NED")[5:8]
    assert "odata.nextLink" not in answer.json()


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"$filter": "Nope eq 'x'"}, "unknown property 'Nope'"),
        ({"$filter": "ID eq 1 or"}, "expected a property name"),
        ({"$select": "Nope"}, "unknown property"),
        ({"$skip": "-1"}, "whole number"),
        ({"$orderby": "ID"}, "$orderby is not supported"),
        ({"$format": "atom"}, "$format=json"),
    ],
)
def test_bad_queries_answer_400_with_a_message(
    replay: ReplayServer, params: dict[str, str], says: str
) -> None:
    answer = feed(replay, "47018NED/TypedDataSet", **params)
    assert answer.status_code == 400
    assert says in answer.json()["odata.error"]["message"]["value"]


@pytest.mark.parametrize(
    "rest",
    [
        "99999NED/",
        "85318NED/NoSuchSubtable",
        "..%2F..%2Fcbs/",
        "85318NED/..%2F85984NED%2FTypedDataSet",
    ],
)
def test_unknown_and_escaping_paths_answer_404(replay: ReplayServer, rest: str) -> None:
    answer = feed(replay, rest)
    assert answer.status_code == 404
    assert "does not exist" in answer.json()["odata.error"]["message"]["value"]


CRIME, RIVM = "47018NED", "50090NED"


def third_party_tables(shared: Path) -> list[str]:
    """Tables of the mirror whose TableInfos name a catalog other than CBS's own."""
    out = []
    for info in sorted((shared / "cbs").glob("*/TableInfos.json")):
        if json.loads(info.read_text())[0].get("Catalog") not in (None, "CBS"):
            out.append(info.parent.name)
    return out


def test_the_two_catalogs_serve_their_own_tables(replay: ReplayServer, shared: Path) -> None:
    third = third_party_tables(shared)
    assert {CRIME, RIVM} <= set(third)
    for table in sorted(p.name for p in (shared / "cbs").iterdir()):
        own, wrong = (
            (replay.dataderden_url, replay.cbs_url)
            if table in third
            else (replay.cbs_url, replay.dataderden_url)
        )
        right = requests.get(f"{own}/ODataFeed/odata/{table}/?$format=json", timeout=10)
        assert right.status_code == 200, table
        assert all(v["url"].startswith(own) for v in right.json()["value"])
        miss = requests.get(f"{wrong}/ODataFeed/odata/{table}/TableInfos?$format=json", timeout=10)
        assert miss.status_code == 404, table
        assert "does not exist" in miss.json()["odata.error"]["message"]["value"]
    root = requests.get(f"{replay.base_url}/ODataFeed/odata/{CRIME}/?$format=json", timeout=10)
    assert root.status_code == 404


def test_untyped_data_set_replays_the_typed_rows(replay: ReplayServer, shared: Path) -> None:
    answer = feed(replay, "47018NED/UntypedDataSet")
    assert answer.json()["value"] == mirror(shared, "47018NED")[: replay.page_size]
    skipped = feed(replay, "47018NED/UntypedDataSet", **{"$skip": str(replay.page_size)})
    assert (
        skipped.json()["value"]
        == mirror(shared, "47018NED")[replay.page_size :][: replay.page_size]
    )


# --------------------------------------------------------------------------- WFS answers


def test_wfs_pages_by_start_index_and_caps_count(replay: ReplayServer, shared: Path) -> None:
    whole = json.loads(
        (shared / "pdok/gebiedsindelingen/2022/gemeente_gegeneraliseerd.json").read_text()
    )
    page = wfs(replay, 2022, startIndex="300", count="5000").json()
    assert page["numberMatched"] == 345
    assert page["numberReturned"] == 45
    assert page["features"] == whole["features"][300:]
    assert page["crs"] == whole["crs"]
    first = wfs(replay, 2022, startIndex="0", count="5000").json()
    assert first["numberReturned"] == 345  # fewer than the 1,000 cap


def test_wfs_caps_a_page_at_1000_features(replay: ReplayServer) -> None:
    page = wfs(replay, 2022, typeNames="wijk_gegeneraliseerd", count="5000").json()
    assert (page["numberMatched"], page["numberReturned"]) == (3340, 1000)


@pytest.mark.parametrize(
    ("year", "params", "status"),
    [
        (2019, {}, 404),
        (2022, {"typeNames": "gebiedsindelingen:buurt_gegeneraliseerd"}, 404),
        (2022, {"request": "DescribeFeatureType"}, 400),
        (2022, {"typeNames": "other:wijk_gegeneraliseerd"}, 400),
        (2022, {"outputFormat": "gml3"}, 400),
        (2022, {"startIndex": "x"}, 400),
    ],
)
def test_wfs_refuses_what_it_does_not_serve(
    replay: ReplayServer, year: int, params: dict[str, str], status: int
) -> None:
    answer = wfs(replay, year, **params)
    assert answer.status_code == status
    assert b"ows:ExceptionReport" in answer.content


# ------------------------------------------------------------------------ faults and the log


def test_status_fault_is_consumed_per_matching_request(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="status", path=r"TableInfos", times=2, status=503, retry_after=7))
    other = feed(replay, "47018NED/DataProperties")
    first, second, third = (feed(replay, "47018NED/TableInfos") for _ in range(3))
    assert other.status_code == 200
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.headers["Retry-After"] == "7"
    assert replay.count("TableInfos") == 3


def test_always_fault_never_runs_out(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="status", path=r"TableInfos", times=None, status=500))
    assert all(feed(replay, "47018NED/TableInfos").status_code == 500 for _ in range(4))


def test_truncate_sends_a_matching_content_length_and_invalid_json(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="truncate", path=r"DataProperties", keep=0.3))
    answer = feed(replay, "47018NED/DataProperties")
    assert int(answer.headers["Content-Length"]) == len(answer.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.content)


def test_drop_closes_the_connection_mid_body(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="drop", path=r"DataProperties"), Fault(kind="drop", keep=0))
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        feed(replay, "47018NED/DataProperties")
    with pytest.raises(requests.ConnectionError):
        feed(replay, "47018NED/TableInfos")
    assert feed(replay, "47018NED/TableInfos").status_code == 200  # both faults used up


def test_slow_fault_delays_the_answer(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="slow", path=r"TableInfos", delay=2.0))
    with pytest.raises(requests.Timeout):
        requests.get(
            f"{replay.dataderden_url}/ODataFeed/odata/47018NED/TableInfos?$format=json",
            timeout=0.2,
        )


@pytest.mark.parametrize(
    "kwargs",
    [{"kind": "boom"}, {"kind": "status", "times": 0}, {"kind": "drop", "keep": 1.0},
     {"kind": "status", "status": 200}, {"kind": "slow", "path": "("}],
)  # fmt: skip
def test_fault_refuses_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises((ValueError, re.error)):
        Fault(**kwargs)


def test_log_is_complete_under_concurrent_requests(replay: ReplayServer) -> None:
    threads = [
        threading.Thread(target=feed, args=(replay, f"47018NED/TableInfos?n={i}"))
        for i in range(24)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replay.count(r"TableInfos") == 24
    assert len(set(replay.log)) == 24


# ------------------------------------------------------------------------------------- CLI


def test_cli_help_explains_every_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "replay", "--help"], capture_output=True, text=True, check=True
    )
    for option in ("--root", "--host", "--port", "--page-size", "--verbose"):
        assert option in result.stdout


def test_cli_serves_the_mirror_and_prints_the_urls(shared: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "replay", "--root", str(shared), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        urls = dict(line.strip().split("=", 1) for line in lines[1:])
        for setting, table in (("ZICHT_CBS_URL", "85318NED"), ("ZICHT_DATADERDEN_URL", CRIME)):
            listing = requests.get(f"{urls[setting]}/ODataFeed/odata/{table}/?$format=json",
                                   timeout=10)  # fmt: skip
            assert listing.status_code == 200
        base = urls["ZICHT_PDOK_URL"].removesuffix("/cbs/gebiedsindelingen")
        assert urls["ZICHT_CBS_URL"] == base + "/opendata"
        assert urls["ZICHT_DATADERDEN_URL"] == base + "/dataderden"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cli_refuses_a_directory_that_is_no_mirror(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "replay", "--root", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "neither cbs/ nor pdok/" in result.stderr
