"""The store proves itself on read: tampered files and manifests are a StoreError, `etl status`
names them, and `etl build` repairs them."""

from __future__ import annotations

import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from etl import integrity, schema
from etl.__main__ import main
from etl.build import BuildOptions, build
from etl.settings import Settings

JAAR = 2022


@pytest.fixture(scope="module")
def built(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of one mirror year without crime, built once; tests work on copies."""
    path = tmp_path_factory.mktemp("integrity") / "store"
    build(
        BuildOptions(years=(JAAR,), source=shared, store=path, crime=False),
        settings=Settings(raw=path.parent / "raw-unused"),
        progress=lambda _: None,
    )
    return path


@pytest.fixture
def store(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(built, copy)
    return copy


def _manifest(store: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((store / schema.MANIFEST).read_text(encoding="utf-8"))
    return data


def _wijk(manifest: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = next(
        f for f in manifest["files"] if f["kind"] == "statistics" and f["niveau"] == "wijk"
    )
    return entry


def _truncate(store: Path) -> None:
    path = store / _wijk(_manifest(store))["path"]
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_a_byte(store: Path) -> None:
    path = store / _wijk(_manifest(store))["path"]
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _rewrite_valid(store: Path) -> None:
    """A valid GeoParquet file with other numbers under the same name."""
    path = store / _wijk(_manifest(store))["path"]
    frame = gpd.read_parquet(path)
    frame[schema.POPULATION] = frame[schema.POPULATION] * 2
    frame.to_parquet(path)


def _traversal(store: Path) -> None:
    manifest = _manifest(store)
    entry = _wijk(manifest)
    shutil.copy(store / entry["path"], store.parent / "outside.parquet")
    entry["path"] = "../outside.parquet"
    (store / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


TAMPER_FILES: dict[str, Callable[[Path], None]] = {
    "truncated": _truncate,
    "bit flipped": _flip_a_byte,
    "valid parquet, other numbers": _rewrite_valid,
    "path leaves the store": _traversal,
}


@pytest.mark.parametrize("tamper", TAMPER_FILES.values(), ids=TAMPER_FILES.keys())
def test_a_damaged_file_is_refused_reported_and_repaired(
    tamper: Callable[[Path], None],
    store: Path,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tamper(store)
    with pytest.raises(schema.StoreError, match=r"python -m etl build --years 2022"):
        schema.read_statistics(store, JAAR, "wijk")
    assert main(["status", "--store", str(store)]) == 1
    out, err = capsys.readouterr()
    assert "DAMAGED" in out and "python -m etl build" in err
    assert main(["build", "--years", str(JAAR), "--source", str(shared), "--store", str(store),
                 "--no-crime", "--quiet"]) == 0  # fmt: skip
    assert main(["status", "--store", str(store)]) == 0
    frame = schema.read_statistics(store, JAAR, "wijk")
    assert len(frame) == _wijk(_manifest(store))["rows"]
    assert not (store.parent / "outside.parquet").exists() or all(
        not f["path"].startswith("..") for f in _manifest(store)["files"]
    )


def test_a_file_altered_in_place_with_its_size_kept_fails_the_hash(store: Path) -> None:
    entry = _wijk(_manifest(store))
    path = store / entry["path"]
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))
    assert path.stat().st_size == entry["size"]
    with pytest.raises(schema.StoreError, match="SHA-256"):
        schema.read_statistics(store, JAAR, "wijk")


BROKEN_MANIFESTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "a list": lambda m: [],
    "no files": lambda m: {k: v for k, v in m.items() if k != "files"},
    "non-numeric row count": lambda m: {
        **m, "files": [{**f, "rows": "many"} for f in m["files"]]
    },
    "files not a list": lambda m: {**m, "files": 3},
}  # fmt: skip


@pytest.mark.parametrize("broken", BROKEN_MANIFESTS.values(), ids=BROKEN_MANIFESTS.keys())
def test_a_broken_manifest_is_a_store_error_with_what_to_do(
    broken: Callable[[dict[str, Any]], Any],
    store: Path,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (store / schema.MANIFEST).write_text(json.dumps(broken(_manifest(store))), encoding="utf-8")
    with pytest.raises(schema.StoreError, match="rebuild the store with `python -m etl build"):
        schema.read_manifest(store)
    assert main(["status", "--store", str(store)]) == 2
    assert capsys.readouterr().err.startswith("error: The store manifest")
    assert main(["build", "--years", str(JAAR), "--source", str(shared), "--store", str(store),
                 "--no-crime", "--quiet"]) == 0  # fmt: skip
    assert main(["status", "--store", str(store)]) == 0


def test_a_manifest_nested_200000_deep_is_a_store_error(store: Path) -> None:
    (store / schema.MANIFEST).write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(schema.StoreError, match="cannot be read"):
        schema.read_manifest(store)


def test_a_manifest_without_sizes_is_still_read(store: Path) -> None:
    manifest = _manifest(store)
    for f in manifest["files"]:
        del f["size"], f["checks"], f["warnings"]
    (store / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert len(schema.read_statistics(store, JAAR, "wijk")) == _wijk(manifest)["rows"]


def test_each_file_is_hashed_once_per_process_and_build(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[Path] = []
    real = integrity.sha256_file

    def counting(path: Path) -> str:
        hashed.append(path)
        return real(path)

    monkeypatch.setattr(integrity, "sha256_file", counting)
    for _ in range(3):
        schema.read_statistics(store, JAAR, "wijk")
    assert len(hashed) == 1
    manifest = _manifest(store)
    manifest["built"] = "2099-01-01T00:00:00+00:00"  # a new build verifies again
    (store / schema.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    schema.read_statistics(store, JAAR, "wijk")
    assert len(hashed) == 2


@pytest.mark.parametrize("rel", ["../x.parquet", "/etc/passwd", "2022/../../x", "", "a\\..\\b"])
def test_paths_that_leave_the_store_are_refused(rel: str, tmp_path: Path) -> None:
    with pytest.raises(integrity.DamagedFileError, match="outside the store"):
        integrity.inside(tmp_path, rel)


def test_a_link_that_leads_out_of_the_store_is_refused(store: Path) -> None:
    entry = _wijk(_manifest(store))
    path = store / entry["path"]
    outside = store.parent / "elsewhere.parquet"
    path.replace(outside)
    path.symlink_to(outside)
    with pytest.raises(schema.StoreError, match="outside the store"):
        schema.read_statistics(store, JAAR, "wijk")


def test_data_files_are_readable_like_the_manifest(store: Path, shared: Path) -> None:
    old = os.umask(0o022)
    try:
        fresh = store.parent / "fresh"
        build(
            BuildOptions(years=(JAAR,), source=shared, store=fresh, crime=False),
            settings=Settings(raw=store.parent / "raw-unused"),
            progress=lambda _: None,
        )
    finally:
        os.umask(old)
    manifest_mode = stat.S_IMODE((fresh / schema.MANIFEST).stat().st_mode)
    assert manifest_mode == 0o644
    for f in _manifest(fresh)["files"]:
        assert stat.S_IMODE((fresh / f["path"]).stat().st_mode) == manifest_mode, f["path"]


def test_a_build_removes_temporary_files_of_killed_builds_only(store: Path, shared: Path) -> None:
    leftovers = [store / ".manifest.json.abc123.tmp", store / "2022" / ".wijk.x9y8z7.tmp"]
    for path in leftovers:
        path.write_bytes(b"half a file")
    others = [store / "notes.tmp", store / "2022" / "keep.txt"]
    for path in others:
        path.write_bytes(b"not a build's")
    build(
        BuildOptions(years=(JAAR,), source=shared, store=store, crime=False),
        settings=Settings(raw=store.parent / "raw-unused"),
        progress=lambda _: None,
    )
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in others)
