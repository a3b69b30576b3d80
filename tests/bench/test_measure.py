"""Measuring: child processes (their own peak memory, not the parent's), growth exponents
and the scale series built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import scale
from bench.measure import child_json, run_child
from bench.scale import exponent


def test_child_peak_memory_is_the_childs_own() -> None:
    ballast = bytearray(300 * 1024 * 1024)  # this process holds 300 MiB
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page
    seconds, peak = run_child(["-c", "x = bytearray(80 * 1024 * 1024); x[::4096] = b'y' * 20480"])
    assert seconds > 0
    assert 80 <= peak < 200, peak  # Linux's ru_maxrss would report the parent's 300+ MiB
    del ballast


def test_child_failure_says_why() -> None:
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_child(["-c", "1 / 0"])
    with pytest.raises(ValueError, match="-m module"):
        run_child(["script.py"])


def test_child_json_reads_the_last_line() -> None:
    assert child_json(["-c", "print('noise'); print('{\"a\": 1}')"]) == {"a": 1}
    with pytest.raises(RuntimeError, match="printed no JSON"):
        child_json(["-c", "print('no json')"])


def test_growth_exponent() -> None:
    assert exponent([100, 1000, 10000], [0.001, 0.01, 0.1]) == pytest.approx(1.0)
    assert exponent([100, 1000], [0.01, 0.01]) == pytest.approx(0.0)
    assert exponent([100, 100], [0.01, 0.02]) != exponent([100, 100], [0.01, 0.02])  # NaN


def test_scale_series_report_areas_times_and_exponents(store: Path) -> None:
    scoring = scale.scoring_series(store, repeat=1)
    assert [f.name.split(":")[0] for f in scoring] == [
        "scoring 2017", "scoring 2019", "scoring 2022", "scoring 2024"
    ]  # fmt: skip
    by_year = {f.name[:12]: f for f in scoring}
    assert "buurt 13,208:" in by_year["scoring 2017"].note
    assert by_year["scoring 2019"].value is None and "not fitted" in by_year["scoring 2019"].note
    assert -1 < by_year["scoring 2024"].value < 2
    maps = scale.map_series(store, repeat=1)
    assert [f.name.split(":")[0] for f in maps] == [
        "map callback, new geometry", "map callback, recolour", "map callback without boundaries"
    ]  # fmt: skip
    assert "2022 wijk 3,340:" in maps[0].note and maps[0].value is not None
    assert maps[2].value is None and "2024 buurt" in maps[2].note
