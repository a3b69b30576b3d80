"""Failures that used to end in a traceback, or in a store with impossible data, end like
every other: `error: …`, exit 2, the store as it was (a full disk, a file-size limit, broken
JSON and geometry, a changed schema, an impossible value)."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from etl.__main__ import main
from tests.etl.conftest import Checksums

REPO = Path(__file__).resolve().parents[2]
JAAR = "2022"
TABLE = "85318NED"


def _replace(path: Path, data: Any) -> None:
    """Replace a (linked) mirror file by new content, leaving ../shared untouched."""
    path.unlink()
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")


def _layer(mirror: Path) -> Path:
    return mirror / "pdok" / "gebiedsindelingen" / JAAR / "wijk_gegeneraliseerd.json"


def _deep_json(mirror: Path) -> None:
    _replace(mirror / "cbs" / TABLE / "TypedDataSet.json", "[" * 200_000 + "]" * 200_000)


def _string_topic(mirror: Path) -> None:
    props_path = mirror / "cbs" / TABLE / "DataProperties.json"
    props = json.loads(props_path.read_text(encoding="utf-8"))
    key = next(p["Key"] for p in props if str(p.get("Key")).startswith("AantalInwoners"))
    for p in props:
        if p.get("Key") == key:
            p["Datatype"] = "String"
    rows_path = mirror / "cbs" / TABLE / "TypedDataSet.json"
    rows = json.loads(rows_path.read_text(encoding="utf-8"))
    for row in rows:
        row[key] = str(row[key])
    _replace(props_path, props)
    _replace(rows_path, rows)


def _first_point(geometry: dict[str, Any]) -> list[float]:
    ring = geometry["coordinates"][0]
    point: list[float] = ring[0][0] if geometry["type"] == "MultiPolygon" else ring[0]
    return point


def _nan_coordinate(mirror: Path) -> None:
    layer = json.loads(_layer(mirror).read_text(encoding="utf-8"))
    _first_point(layer["features"][3]["geometry"])[0] = float("nan")
    _replace(_layer(mirror), json.dumps(layer))  # json writes NaN, as a broken server would


def _unknown_geometry(mirror: Path) -> None:
    layer = json.loads(_layer(mirror).read_text(encoding="utf-8"))
    layer["features"][3]["geometry"] = {"type": "Circle", "coordinates": [155_000, 463_000]}
    _replace(_layer(mirror), layer)


def _missing_crs(mirror: Path) -> None:
    layer = json.loads(_layer(mirror).read_text(encoding="utf-8"))
    del layer["crs"]
    _replace(_layer(mirror), layer)


def _negative_population(mirror: Path) -> None:
    path = mirror / "cbs" / TABLE / "TypedDataSet.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    key = next(k for k in rows[0] if k.startswith("AantalInwoners"))
    rows[3][key] = -1
    _replace(path, rows)


BROKEN: dict[str, tuple[Callable[[Path], None], str]] = {
    "an impossible value (negative population)": (_negative_population, f"Table {TABLE}, key"),
    "JSON nested 200,000 deep": (_deep_json, "is not valid JSON"),
    "a topic's datatype became String": (_string_topic, "the values are text"),
    "a NaN coordinate": (_nan_coordinate, "features cannot be read"),
    "an unknown geometry type": (_unknown_geometry, "Unknown geometry type"),
    "a missing CRS": (_missing_crs, "names no CRS"),
}


@pytest.mark.parametrize(("broken", "said"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_input_ends_in_error_and_exit_2_with_the_store_intact(
    broken: Callable[[Path], None],
    said: str,
    linked_mirror: Path,
    tmp_path: Path,
    checksums: Checksums,
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    args = ["build", "--years", JAAR, "--source", str(linked_mirror), "--store", str(store)]
    assert main([*args, "--no-crime", "--quiet"]) == 0
    before = checksums(store)
    broken(linked_mirror)
    capsys.readouterr()
    assert main([*args, "--no-crime", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and said in err and "Traceback" not in err
    assert checksums(store) == before


def _build(
    store: Path, shared: Path, *years: str, **popen: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", "build", "--years", *years, "--source", str(shared),
         "--store", str(store), "--no-crime", "--quiet"],
        capture_output=True, text=True, cwd=REPO, timeout=300, **popen,
    )  # fmt: skip


def _file_size_limit() -> None:  # runs in the child before exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel kills the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_file_size_limit_ends_in_error_and_exit_2(
    shared: Path, tmp_path: Path, checksums: Checksums
) -> None:
    store = tmp_path / "store"
    assert _build(store, shared, JAAR).returncode == 0
    before = checksums(store)
    done = _build(store, shared, JAAR, "2024", preexec_fn=_file_size_limit)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: writing the store") and "File too large" in done.stderr
    assert "Traceback" not in done.stderr
    assert checksums(store) == before


def test_a_full_disk_ends_in_error_and_exit_2(
    shared: Path, tmp_path: Path, checksums: Checksums
) -> None:
    """A real full disk: a tmpfs just larger than a one-year store, in a private mount
    namespace (needs root; skipped otherwise)."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("a private tmpfs needs unshare and root")
    sized = tmp_path / "sized"
    assert _build(sized, shared, JAAR).returncode == 0
    size = sum(p.stat().st_size for p in sized.rglob("*") if p.is_file()) + 400_000
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (
        f"mount -t tmpfs -o size={size} tmpfs {disk} && "
        f"cp -a {sized} {disk}/store && "
        f"{sys.executable} -m etl build --years {JAAR} 2024 --source {shared} "
        f"--store {disk}/store --no-crime --quiet; echo rc=$?; "
        f"cd {disk}/store && find . -type f ! -name .lock | sort | xargs sha256sum"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=REPO,
        timeout=300,
    )  # fmt: skip
    if "mount" in done.stderr and "rc=" not in done.stdout:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    assert "rc=2" in done.stdout, done.stderr
    assert done.stderr.startswith("error: writing the store") and "No space left" in done.stderr
    after = {
        line.split()[1].removeprefix("./"): line.split()[0]
        for line in done.stdout.splitlines()
        if not line.startswith("rc=")
    }
    assert after == checksums(sized)
