"""The area page's comparable areas and change map in headless Chromium."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/zow-shots")


def test_peers_open_in_compare_and_download(checked_page, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page, _ = checked_page
    page.goto(live_server + "/gebied/WK034403")
    page.wait_for_selector("section.peers h2:has-text('vergelijkbare wijken')")
    rows = page.locator("section.peers table").nth(1).locator("tbody tr")
    assert rows.count() == 10
    first_peer = rows.nth(0).locator("a").inner_text()
    with page.expect_download() as info:
        page.click("section.peers a[download$='vergelijkbaar.csv']")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    peers = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert peers[0]["code"] == "WK034403" and peers[1]["naam"] == first_peer
    page.click("section.peers a:has-text('Vergelijken')")
    page.wait_for_url("**/vergelijk?**codes=WK034403,**")
    page.wait_for_selector(f"#compare-result table >> text={first_peer}")


def test_the_change_map_renders_with_a_better_worse_legend(checked_page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page: Any
    page, _ = checked_page
    page.goto(live_server + "/gebied/GM0344")
    page.wait_for_selector("section.change h2:has-text('Verandering sinds')")
    # the SVG map: drawn, painted with the change classes, one path per wijk
    page.wait_for_function(
        "() => { const e = document.querySelector('#area-change-map-svg');"
        " return !!e && e.dataset.state === 'drawn'"
        " && (e.dataset.painted || '').startsWith('change')"
        " && e.querySelectorAll('path[data-code]').length > 0; }",
        timeout=30_000,
    )
    legend = page.inner_text("section.change .legend")
    assert "beter" in legend and "slechter" in legend and "nieuwe code" in legend
    page.wait_for_timeout(800)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section.change").screenshot(path=str(SHOTS / "area-change-GM0344.png"))
    page.locator("section.peers").screenshot(path=str(SHOTS / "area-peers-GM0344.png"))
