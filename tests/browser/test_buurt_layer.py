"""The real buurt path end to end, on a small buurt layer built in the test.

The mirror has no PDOK buurt boundaries. This module writes one, clearly synthetic in its
shapes but with real codes: the buurten of one gemeente (Utrecht, GM0344, in the KWB 2024
table), each wijk's polygon cut into vertical strips, one per buurt of that wijk. It sits
beside the mirror's real gemeente and wijk layers in a source directory of the mirror's
layout; the real ETL builds a store from it, and the real app serves it to Chromium: the
buurt map of the gemeente, a click into a buurt, and a wijk's page with its buurten.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import box, mapping, shape

from bench.server import threaded
from dashboard import create_app, data
from etl.build import BuildOptions, build
from etl.settings import Settings

from .test_dashboard import MAP, area_point, click_area, wait_map

pytestmark = pytest.mark.browser

GEMEENTE = "GM0344"
JAAR = 2024
LAYERS = Path("pdok") / "gebiedsindelingen" / str(JAAR)


def _buurt_codes(shared: Path) -> dict[str, list[str]]:
    """The buurt codes of the gemeente in the KWB table of the year, per wijk code."""
    rows = json.loads((shared / "cbs" / "85984NED" / "TypedDataSet.json").read_text())
    out: dict[str, list[str]] = {}
    for row in rows:
        code = row["WijkenEnBuurten"].strip()
        if code.startswith("BU" + GEMEENTE[2:]):
            out.setdefault("WK" + code[2:8], []).append(code)
    return out


def _strips(polygon: Any, n: int) -> list[Any]:
    """``polygon`` cut into ``n`` vertical strips of equal width (empty ones dropped)."""
    x0, y0, x1, y1 = polygon.bounds
    width = (x1 - x0) / n
    cut = [shapely.intersection(polygon, box(x0 + i * width, y0, x0 + (i + 1) * width, y1))
           for i in range(n)]  # fmt: skip
    return [c for c in cut if not c.is_empty and c.area > 0]


@pytest.fixture(scope="module")
def buurt_source(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A source directory of the mirror's layout whose PDOK layers include buurten of
    GM0344 (indeling 2024), and the codes of those buurten."""
    src = tmp_path_factory.mktemp("buurt-source")
    for part in ("cbs", "nplv"):
        (src / part).symlink_to(shared / part)
    layers = src / LAYERS
    layers.mkdir(parents=True)
    for name in ("gemeente_gegeneraliseerd.json", "wijk_gegeneraliseerd.json"):
        (layers / name).symlink_to(shared / LAYERS / name)
    wijken = json.loads((shared / LAYERS / "wijk_gegeneraliseerd.json").read_text())
    codes = _buurt_codes(shared)
    features, made = [], set()
    for feature in wijken["features"]:
        wijk = feature["properties"]["statcode"]
        buurten = sorted(codes.get(wijk, []))
        pieces = _strips(shape(feature["geometry"]), len(buurten)) if buurten else []
        for code, piece in zip(buurten, pieces, strict=False):
            made.add(code)
            features.append({
                "type": "Feature",
                "properties": {"statcode": code, "jrstatcode": f"{JAAR}{code}",
                               "statnaam": f"Strook {code[-2:]}", "rubriek": "buurt"},
                "geometry": mapping(piece),
            })  # fmt: skip
    assert len(made) >= 50, "Utrecht has about a hundred buurten in the KWB 2024 table"
    layer = {**{k: v for k, v in wijken.items() if k != "features"}, "features": features}
    layer.update(numberMatched=len(features), numberReturned=len(features))
    (layers / "buurt_gegeneraliseerd.json").write_text(json.dumps(layer))
    return src, made


@pytest.fixture(scope="module")
def buurt_store(
    buurt_source: tuple[Path, set[str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A store of 2024 built by the real ETL from that source."""
    src, _ = buurt_source
    store = tmp_path_factory.mktemp("buurt-store")
    build(BuildOptions(years=(JAAR,), source=src, store=store),
          settings=Settings(raw=store / "raw-unused"), progress=lambda _: None)  # fmt: skip
    return store


@pytest.fixture(scope="module")
def buurt_server(buurt_store: Path) -> Iterator[str]:
    with threaded(create_app(buurt_store).server) as base:
        yield base


def test_the_store_and_the_app_hold_the_buurt_layer(
    buurt_store: Path, buurt_source: tuple[Path, set[str]]
) -> None:
    _, made = buurt_source
    app = create_app(buurt_store)
    with app.server.test_request_context("/"):
        layer = data.web_layer(JAAR, "buurt", GEMEENTE)
        assert layer is not None and set(layer.codes) == made
        wijk = data.web_layer(JAAR, "buurt", wijk="WK034403")
        assert wijk is not None and {c[:8] for c in wijk.codes} == {"BU034403"}
        assert data.web_layer(JAAR, "buurt") is None  # NL's buurten are served per gemeente


def test_buurt_map_hover_drill_down_and_a_wijk_page(
    browser: Any, buurt_server: str, buurt_source: tuple[Path, set[str]]
) -> None:
    _, made = buurt_source
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(buurt_server + f"/?niveau=buurt&gemeente={GEMEENTE}")
    wait_map(page, len(made))
    drawn = page.eval_on_selector_all(f"{MAP} path[data-code]", "ps => ps.map(p => p.dataset.code)")
    assert set(drawn) == made
    code = sorted(made)[len(made) // 2]
    page.mouse.move(*area_point(page, code))
    page.wait_for_function(f"() => document.querySelector('{MAP} .zmap-tip')?.innerText")
    assert page.inner_text(f"{MAP} .zmap-tip")  # the hover names the buurt
    click_area(page, code)
    page.wait_for_url(f"**/gebied/{code}**")
    page.wait_for_selector("h1")
    page.wait_for_function(
        "code => document.querySelector('main').innerText.includes(code)", arg=code
    )
    page.goto(buurt_server + "/gebied/WK034403")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-code^=BU034403]').length > 0"
        " && [...document.querySelectorAll('svg path[data-code^=BU]')]"
        ".every(p => p.dataset.code.startsWith('BU034403'))"
    )
    context.close()
    assert errors == [], errors
