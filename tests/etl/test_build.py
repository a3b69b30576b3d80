"""The whole pipeline on the offline mirror: counts, boundaries, manifest, atomic commits."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pytest

from etl import schema
from etl.__main__ import main
from etl.build import BuildOptions, build, read_focus_definition
from etl.errors import EtlError, SourceFormatError
from etl.settings import Settings

Checksums = Callable[[Path], dict[str, str]]
YEARS = (2017, 2019, 2022, 2024)  # the session store's years (tests/conftest.py)


def _quiet(_: str) -> None:
    return None


def test_counts_are_the_mirrors(store: Path) -> None:
    manifest = schema.read_manifest(store)
    assert manifest.jaren == YEARS
    wijk_2022 = schema.read_statistics(store, 2022, "wijk")
    wijk_2024 = schema.read_statistics(store, 2024, "wijk")
    assert len(wijk_2022) == 3340
    assert len(wijk_2024) == 3393
    assert wijk_2022[schema.CODE].is_unique and wijk_2024[schema.CODE].is_unique
    assert len(schema.read_statistics(store, 2024, "buurt")) == 14574
    assert len(schema.read_statistics(store, 2022, "gemeente")) == 345


@pytest.mark.parametrize("jaar", [2022, 2024])
def test_populated_wijken_have_boundaries(store: Path, jaar: int) -> None:
    wijken = schema.read_statistics(store, jaar, "wijk")
    populated = wijken[wijken[schema.POPULATION].fillna(0) > 0]
    share = populated.geometry.notna().mean()
    assert share >= 0.99, f"{jaar}: only {share:.1%} of populated wijken have a boundary"
    assert wijken.crs == schema.COMPUTE_CRS
    assert wijken.geometry.dropna().is_valid.all()


def test_years_without_boundaries_are_stored_with_a_warning(store: Path) -> None:
    manifest = schema.read_manifest(store)
    for jaar in (2017, 2019):
        info = manifest.year(jaar)
        assert info.geometry_year is None
        assert any("no gemeente, wijk, buurt boundaries" in w for w in info.warnings)
        assert schema.read_statistics(store, jaar, "wijk").geometry.isna().all()
        assert not manifest.has("web", jaar, "wijk")
    assert any("buurt" in w for w in manifest.year(2024).warnings)
    assert manifest.year(2022).warnings == ()


def test_web_geometry_is_valid_wgs84_one_feature_per_code(store: Path) -> None:
    web = schema.read_web_geometry(store, 2022, "wijk")
    assert web.crs == schema.WEB_CRS
    assert web[schema.CODE].is_unique
    assert web.geometry.is_valid.all() and not web.geometry.is_empty.any()
    minx, miny, maxx, maxy = web.total_bounds
    assert 3.0 < minx < maxx < 7.5 and 50.5 < miny < maxy < 53.7


def test_manifest_records_provenance_rows_and_checksums(store: Path) -> None:
    manifest = schema.read_manifest(store)
    for entry in manifest.files:
        data = (store / entry.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.sha256, entry.path
        assert entry.sources and all(s["origin"] and s["source"] for s in entry.sources)
        frame = (
            gpd.read_parquet(store / entry.path) if entry.kind in {"statistics", "web"} else None
        )
        if frame is not None:
            assert len(frame) == entry.rows
    wijk = manifest.entry("statistics", 2017, "wijk")
    assert wijk.columns["HuishOnderOfRondSociaalMinimum"] == "HuishOnderOfRondSociaalMinimum_73"
    assert {s["source"] for s in manifest.entry("statistics", 2022, "wijk").sources} == {
        "85318NED",
        "wijk_gegeneraliseerd",
    }
    on_disk = {
        p.relative_to(store).as_posix()
        for pattern in ("*.parquet", "*/*.json", "*/*.json.br")
        for p in store.glob(f"**/{pattern}")
    }
    assert on_disk == {f.path for f in manifest.files}


def test_map_paths_cover_the_web_geometry_in_screen_units(store: Path) -> None:
    """Every year and niveau with web geometry has a map payload naming the same areas,
    with names from the statistics and boxes inside the payload's bounds."""
    manifest = schema.read_manifest(store)
    webs = [f for f in manifest.files if f.kind == "web"]
    assert webs
    for web_entry in webs:
        path, entry = schema.map_paths_file(store, web_entry.jaar, web_entry.niveau)  # type: ignore[arg-type]
        payload = json.loads(path.read_bytes())
        web = gpd.read_parquet(store / web_entry.path)
        assert payload["codes"] == web[schema.CODE].astype(str).tolist()
        assert entry.rows == len(payload["codes"]) == len(payload["paths"])
        names = schema.read_statistics(store, entry.jaar, entry.niveau).set_index(schema.CODE)  # type: ignore[arg-type]
        assert payload["names"][:5] == names.loc[payload["codes"][:5], schema.NAAM].tolist()
        x0, y0, x1, y1 = payload["bounds"]
        boxes = payload["boxes"]
        assert all(x0 <= b[0] <= b[2] <= x1 and y0 <= b[1] <= b[3] <= y1 for b in boxes)
        assert all(d.startswith("M") and d.endswith("z") for d in payload["paths"])


def test_rebuild_is_idempotent_and_keeps_other_years(
    store: Path, shared: Path, tmp_path: Path, checksums: Checksums
) -> None:
    store = Path(shutil.copytree(store, tmp_path / "store"))
    before = checksums(store)
    build(
        BuildOptions(years=(2022,), source=shared, store=store),
        settings=Settings(),
        progress=_quiet,
    )
    after = checksums(store)
    assert set(after) == set(before)
    assert {k: v for k, v in after.items() if k != schema.MANIFEST} == {
        k: v for k, v in before.items() if k != schema.MANIFEST
    }
    assert schema.read_manifest(store).jaren == YEARS


def test_failed_build_leaves_the_previous_store_as_it_was(
    shared: Path, tmp_path: Path, linked_mirror: Path, checksums: Checksums
) -> None:
    store = tmp_path / "store"
    build(
        BuildOptions(years=(2022,), source=shared, store=store),
        settings=Settings(),
        progress=_quiet,
    )
    before = checksums(store)
    mirror = linked_mirror
    broken = mirror / "cbs" / "85984NED" / "TypedDataSet.json"
    text = broken.read_text(encoding="utf-8")
    broken.unlink()
    broken.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated JSON
    with pytest.raises(SourceFormatError, match="TypedDataSet"):
        build(
            BuildOptions(years=(2022, 2024), source=mirror, store=store),
            settings=Settings(),
            progress=_quiet,
        )
    assert checksums(store) == before  # 2022's freshly staged files were removed again


def test_unknown_year_fails_before_touching_anything(tmp_path: Path, shared: Path) -> None:
    store = tmp_path / "store"
    code = main(
        ["build", "--years", "2016", "2022", "--source", str(shared), "--store", str(store)]
    )
    assert code == 2
    assert not store.exists()


def test_cli_unknown_year_message_lists_supported_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--years", "2030", "--store", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert "2030" in err and "2017, 2018" in err and "2025" in err


def test_cli_help_explains_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = capsys.readouterr().out
    for option in ("--years", "--source", "--store", "--raw", "--geometry-fallback",
                   "--no-crime", "--focus", "--quiet"):  # fmt: skip
        assert option in out


def test_store_environment_variable_is_honoured(
    tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(schema.STORE_ENV, str(tmp_path / "env-store"))
    args = ["build", "--years", "2022", "--source", str(shared), "--no-crime", "--quiet"]
    assert main(args) == 0
    assert schema.read_manifest(tmp_path / "env-store").jaren == (2022,)


def test_geometry_fallback_attaches_other_boundaries_and_reports(
    tmp_path: Path, shared: Path
) -> None:
    manifest = build(
        BuildOptions(years=(2019,), source=shared, store=tmp_path, geometry_fallback=2022),
        settings=Settings(),
        progress=_quiet,
    )
    info = manifest.year(2019)
    assert info.geometry_year == 2022
    assert any("boundaries of 2022 attached; 0 of 99 codes" in w for w in info.warnings)
    assert schema.read_statistics(tmp_path, 2019, "wijk").geometry.notna().all()


def test_focus_definition_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "focus.csv"
    header = ",".join(schema.FOCUS_COLUMNS)
    path.write_text(header + "\na,A,GM0001,2022,wijk,BU00010001,bevestigd,x\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="invalid member codes"):
        read_focus_definition(path)
    path.write_text(header + "\na,A,GM0001,2022,wijk,WK000101,misschien,x\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="zekerheid"):
        read_focus_definition(path)


def test_project_focus_definition_has_twenty_areas() -> None:
    from etl.build import FOCUS_DEFINITION

    frame = read_focus_definition(FOCUS_DEFINITION)
    assert frame[schema.FOCUSGEBIED_ID].nunique() == 20
    assert set(frame[schema.INDELING_JAAR]) == {2022, 2024}


def test_concurrent_build_is_refused(tmp_path: Path, shared: Path) -> None:
    import fcntl

    tmp_path.mkdir(exist_ok=True)
    with (tmp_path / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(EtlError, match="Another build"):
            build(
                BuildOptions(years=(2022,), source=shared, store=tmp_path),
                settings=Settings(),
                progress=_quiet,
            )


def test_manifest_round_trips_through_json(store: Path) -> None:
    data = json.loads((store / schema.MANIFEST).read_text(encoding="utf-8"))
    assert data["schema_version"] == schema.SCHEMA_VERSION
    assert schema.Manifest.from_json(data).to_json() == data
    data["schema_version"] = 0
    with pytest.raises(schema.StoreError, match="rebuild"):
        schema.Manifest.from_json(data)


def test_the_store_keeps_every_source_by_edition_with_period_and_indeling(
    store: Path, shared: Path
) -> None:
    manifest = schema.read_manifest(store)
    stats = [f for f in manifest.files if f.kind == "statistics"]
    assert stats and all(
        (f.source, f.edition, f.periode, f.indeling) == (schema.KWB, f.jaar, str(f.jaar), f.jaar)
        for f in stats
    )
    rows = json.loads((shared / "cbs" / schema.CRIME_TABLE / "TypedDataSet.json").read_text())
    periods = sorted({int(r["Perioden"][:4]) for r in rows})
    crime = sorted(manifest.editions("crime"), key=lambda f: f.edition or 0)
    assert [f.edition for f in crime] == periods  # one file per period
    assert all(f.periode == f"{f.edition}JJ00" and f.indeling == schema.CRIME_INDELING
               for f in crime)  # fmt: skip
    assert sum(f.rows for f in crime) == len(schema.read_crime(store))
    edition = schema.SOURCES[schema.RIVM].editions[0]
    rivm = [f for f in manifest.files if f.kind == schema.RIVM]
    assert {f.niveau for f in rivm} == {"land", "gemeente", "wijk", "buurt"}
    assert all((f.edition, f.periode, f.indeling) == (edition.jaar, edition.periode,
               edition.indeling) for f in rivm)  # fmt: skip
    land = schema.read_source(store, schema.RIVM, edition.jaar, "land")
    assert land[schema.CODE].tolist() == ["NL00"]  # RIVM's NL01


def test_a_manifest_without_editions_still_reads() -> None:
    old = {"path": "2022/wijk.x.parquet", "kind": "statistics", "rows": 3, "sha256": "ab",
           "sources": [], "jaar": 2022, "niveau": "wijk", "columns": {}}  # fmt: skip
    entry = schema.FileEntry.from_json(old)
    assert (entry.source, entry.edition, entry.periode, entry.indeling) == (None,) * 4
    assert schema.FileEntry.from_json(entry.to_json()) == entry
