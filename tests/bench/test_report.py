"""The benchmark's records and report: ratios, unmeasurable figures, strict JSON, Markdown
that states the machine and what each baseline is."""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench import report
from bench.measure import Figure, percentile

INFO = {
    "date": "2026-01-01T00:00:00+00:00",
    "cpu": "Test CPU",
    "cores": 2,
    "memory_gib": 24.0,
    "python": "3.11.7",
    "system": "Linux",
}


def test_ratio_is_baseline_over_value_and_absent_without_either() -> None:
    assert Figure("map", "x", 10.0, "ms", 50.0).ratio == 5.0
    assert Figure("map", "x", 10.0, "ms").ratio is None
    assert Figure("map", "x", None, "ms", 50.0).ratio is None
    assert Figure("map", "x", 0.0, "ms", 50.0).ratio is None


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5], 99) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9.1
    assert math.isnan(percentile([], 50))


def test_markdown_groups_sections_under_their_baseline_and_machine() -> None:
    figures = [
        Figure("scoring", "score 2022 wijk", 8.0, "ms", 2400.0, "row by row", 5),
        Figure("map", "first map: bytes", 540_000, "B", 1_300_000, "naive", 5, note="brotli"),
        Figure("map", "buurt map", None, "ms", note="not measurable: no buurt boundaries"),
        Figure("scale", "k | exponent", 0.6, ""),
    ]
    text = report.markdown(figures, INFO, {"scoring": "row-by-row pandas", "map": "naive px"})
    assert "Test CPU (2 cores, 24.0 GiB)" in text
    assert text.index("### scoring") < text.index("### map") < text.index("### scale")
    assert "Baseline: row-by-row pandas." in text and "Baseline: naive px." in text
    assert "| score 2022 wijk | 8 ms | 2,400 ms | 300.0× | row by row | 5 |" in text
    assert "527 KiB" in text and "1.24 MiB" in text and "2.4×" in text
    assert "| buurt map (not measurable: no buurt boundaries) | not measured | – | – |" in text
    assert "k \\| exponent" in text  # a pipe in a name does not break the table


def test_write_gives_strict_json_and_markdown(tmp_path: Path) -> None:
    figures = [Figure("scale", "k", None, "", extra={"points": [[1, math.nan]]})]
    json_path, md_path = report.write(tmp_path / "out", figures, INFO, {"scale": "growth"})
    data = json.loads(json_path.read_text(encoding="utf-8"))  # strict: NaN became null
    assert data["figures"][0]["value"] is None
    assert data["figures"][0]["extra"]["points"] == [[1, None]]
    assert data["baselines"] == {"scale": "growth"} and data["machine"]["cores"] == 2
    assert "### scale" in md_path.read_text(encoding="utf-8")


def test_machine_describes_this_computer() -> None:
    info = report.machine()
    assert info["cores"] and info["python"] and info["date"].endswith("+00:00")
