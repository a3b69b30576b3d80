"""The two commands as users run them: ``python -m bench`` (a quick run of two sections into
a temporary directory) and ``python -m bench.load`` (a few seconds, a handful of users on
loopback, zero errors)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.measure import REPO


def _run(*argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow
def test_quick_bench_of_scoring_and_etl_writes_both_files(shared: Path, tmp_path: Path) -> None:
    done = _run("-m", "bench", "--quick", "--only", "scoring", "etl", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "building a fresh store" in done.stderr and "scoring …" in done.stderr
    data = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    sections = {f["section"] for f in data["figures"]}
    assert sections == {"etl", "scoring"}
    assert all(f["value"] and f["baseline"] for f in data["figures"])
    markdown = (tmp_path / "bench.md").read_text(encoding="utf-8")
    assert data["machine"]["cpu"] in markdown and "Baseline: " in markdown


def test_bench_says_what_to_do_without_the_mirror(tmp_path: Path) -> None:
    done = _run("-m", "bench", "--only", "etl", "--source", str(tmp_path / "nowhere"),
                "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 2
    assert "offline mirror" in done.stderr and "--source" in done.stderr
    assert not (tmp_path / "bench.json").exists()


def test_help_explains_every_option() -> None:
    bench = _run("-m", "bench", "--help").stdout
    for option in ("--out", "--repeat", "--quick", "--only", "--source"):
        assert option in bench
    load = _run("-m", "bench.load", "--help").stdout
    for option in ("--seconds", "--users", "--workers", "--store", "--out", "--max-requests"):
        assert option in load


@pytest.mark.slow
def test_load_for_a_few_seconds_serves_requests_without_errors(store: Path, tmp_path: Path) -> None:
    done = _run("-m", "bench.load", "--seconds", "10", "--users", "4", "--workers", "2",
                "--store", str(store), "--out", str(tmp_path), timeout=90)  # fmt: skip
    result = json.loads((tmp_path / "load.json").read_text(encoding="utf-8"))
    assert done.returncode == 0, (result["error_samples"], done.stderr[-2000:])
    overall = result["overall"]
    assert overall["errors"] == 0 and overall["requests"] > 20
    assert {"page: national map", "controls sync"} <= set(result["per_kind"])
    assert "requests/s" in (tmp_path / "load.md").read_text(encoding="utf-8")
    assert "Shutting down: Master" in (tmp_path / "gunicorn.log").read_text(encoding="utf-8")


def test_load_refuses_a_missing_store(tmp_path: Path) -> None:
    done = _run("-m", "bench.load", "--seconds", "1", "--store", str(tmp_path / "none"),
                "--out", str(tmp_path))  # fmt: skip
    assert done.returncode == 2 and "error:" in done.stderr
