"""The SVG map in headless Chromium: keyboard-only drill-down, zoom and reset, and printed
PDFs of the map page and an area page whose maps are not blank (rasterised with pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dashboard import figures

from .test_dashboard import MAP, SHOTS, area_point, choose, wait_map

pytestmark = pytest.mark.browser


def _view_box(page: Any, sel: str = MAP) -> list[float]:
    box = page.get_attribute(f"{sel} svg", "viewBox")
    return [float(v) for v in box.split()]


def _focused(page: Any) -> dict[str, Any]:
    return page.evaluate(
        "() => ({code: document.activeElement.dataset.code || null,"
        " label: document.activeElement.getAttribute('aria-label'),"
        " role: document.activeElement.getAttribute('role')})"
    )


def _tab_into_map(page: Any, sel: str = MAP) -> dict[str, Any]:
    for _ in range(60):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            f"() => !!document.activeElement.closest('{sel}') && "
            "document.activeElement.tagName === 'path'"
        )
        if inside:
            return _focused(page)
    raise AssertionError("Tab never reached an area of the map")


def test_keyboard_only_drill_down(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022")
    wait_map(page, 345)
    first = _tab_into_map(page)
    assert first["code"].startswith("GM") and first["role"] == "link"
    assert ": " in first["label"]  # "name: value"
    seen = {first["code"]}
    for key in ("ArrowRight", "ArrowDown", "ArrowDown", "ArrowLeft", "ArrowUp"):
        page.keyboard.press(key)
        seen.add(_focused(page)["code"])
    assert len(seen) >= 3, seen  # the arrows move between areas
    target = _focused(page)["code"]
    assert page.inner_text(f"{MAP} .zmap-tip")  # focus shows the tooltip too
    page.keyboard.press("Enter")
    page.wait_for_url(f"**gemeente={target}**")
    wait_map(page, None)
    wijk = _tab_into_map(page)
    assert wijk["code"].startswith("WK" + target[2:])
    page.keyboard.press("ArrowRight")
    wijk = _focused(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gebied/{wijk['code']}**")
    page.wait_for_selector("main h1")


def test_a_measure_recolours_before_the_server_answers(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    """The view's colourings arrive beside the map; a change of measure then recolours the
    map, its legend and heading in the browser, and the server's answer adds the hover text."""
    page, _ = checked_page

    def bundle(response: Any) -> bool:
        return "_dash-update-component" in response.url and "map-recolours" in (
            response.request.post_data or ""
        )

    with page.expect_response(bundle):
        page.goto(live_server + "/?jaar=2022")
    wait_map(page, 3340)
    area = f"{MAP} path[data-code='WK034403']"
    fill = page.get_attribute(area, "fill")
    described = page.get_attribute(MAP, "data-described")
    assert described and described.startswith("stapeling")
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route("**/_dash-update-component*", hold)  # the server answers nothing now
    choose(page, "#map-maat", "Koopwoningen (% van woningen)")
    page.wait_for_function(
        f"() => document.querySelector('{MAP}').dataset.painted.startsWith('koopwoningen')"
    )
    assert held, "the change of measure asked the server nothing"
    assert page.get_attribute(area, "fill") != fill
    assert page.get_attribute(MAP, "data-described") == ""  # no stale hover text meanwhile
    # heading and legend follow once the new colours are on screen, still without the server
    page.wait_for_function(
        "() => ['#map-title', '#map-legend'].every("
        "s => document.querySelector(s).innerText.startsWith('Koopwoningen'))"
    )
    assert page.get_attribute(area, "aria-label") == "Wijk 03 Overvecht"
    for route in held:
        route.continue_()
    page.unroute("**/_dash-update-component*", hold)
    page.wait_for_function(
        f"() => document.querySelector('{MAP}').dataset.described.startsWith('koopwoningen')"
    )
    assert page.get_attribute(area, "aria-label").startswith("Wijk 03 Overvecht: ")
    assert "maat=koopwoningen" in page.url


def test_zoom_pan_and_reset(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022")
    wait_map(page, 345)
    home = _view_box(page)
    page.click(f"{MAP} .zmap-zoom_in")
    zoomed = _view_box(page)
    assert zoomed[2] < home[2] * 0.8 and zoomed[3] < home[3] * 0.8
    x, y = area_point(page, "GM0344")
    page.mouse.move(x, y)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(100)
    wheeled = _view_box(page)
    assert wheeled[2] < zoomed[2]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 40, steps=6)
    page.mouse.up()
    panned = _view_box(page)
    assert panned[2] == pytest.approx(wheeled[2]) and panned[0] < wheeled[0]
    assert page.url.endswith("niveau=gemeente") or "gemeente=GM" not in page.url  # no click
    page.click(f"{MAP} .zmap-reset")
    assert _view_box(page) == pytest.approx(home)
    page.click(f"{MAP} .zmap-zoom_out")
    assert _view_box(page)[2] > home[2]


def _hex(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _palette_pixels(pdf: Path, tmp: Path) -> int:
    """Pixels of the PDF's pages (36 dpi) within a small distance of a palette colour."""
    subprocess.run(["pdftoppm", "-r", "36", str(pdf), str(tmp / pdf.stem)], check=True)
    colours = {_hex(c) for c in (*figures.PROBLEM_PALETTE, *figures.NEUTRAL_PALETTE)}
    found = 0
    for image in sorted(tmp.glob(f"{pdf.stem}*.ppm")):
        # P6 header: magic, width, height, maxval, each followed by one whitespace byte.
        fields = image.read_bytes().split(maxsplit=4)
        assert fields[0] == b"P6"
        pixels = fields[4]
        triples = zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=False)
        found += sum(
            1
            for r, g, b in triples
            if any(abs(r - c[0]) + abs(g - c[1]) + abs(b - c[2]) < 18 for c in colours)
        )
    return found


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_map_and_area_pages_print_their_maps(
    checked_page, live_server: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The printed map page and area page carry title, parameters and a map in colour
    (a WebGL map printed as an empty box)."""
    page, _ = checked_page
    for path, sel, name in (
        ("/?niveau=gemeente", MAP, "print-map"),
        ("/gebied/GM0344", "#area-svg", "print-area-utrecht"),
    ):
        page.goto(live_server + path)
        wait_map(page, None, sel=sel)
        page.emulate_media(media="print")
        pdf = tmp_path / f"{name}.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        page.emulate_media(media="screen")
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / pdf.name).write_bytes(pdf.read_bytes())
        coloured = _palette_pixels(pdf, tmp_path)
        assert coloured > 1_000, (path, coloured)  # a 36-dpi A4 page has ~120,000 pixels
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "Stapeling" in text, text[:400]


def test_a_tap_shows_the_tooltip_and_a_second_tap_opens(phone_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page, _ = phone_page
    page.goto(live_server + "/?niveau=gemeente&jaar=2022")
    wait_map(page, 345)
    before = page.url
    x, y = area_point(page, "GM0344")
    page.touchscreen.tap(x, y)
    tip = page.locator(f"{MAP} .zmap-tip")
    tip.wait_for(state="visible")
    assert "Utrecht" in tip.inner_text() and "Tik nogmaals om te openen" in tip.inner_text()
    page.wait_for_timeout(300)
    assert page.url == before  # the first tap only shows what the area is
    page.touchscreen.tap(x, y)
    page.wait_for_url("**gemeente=GM0344**")
