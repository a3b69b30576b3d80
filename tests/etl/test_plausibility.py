"""Impossible data never reaches the store without a word: each kind is refused with a message
naming table, key, code and value, or stored with a warning the manifest and codebook carry."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import shapely
import shapely.affinity
from shapely.geometry import mapping, shape

from etl import geometry, plausibility, schema, transform
from etl.build import BuildOptions, build
from etl.errors import SourceFormatError
from etl.settings import Settings
from layers.config import ScoringConfig
from layers.export import codebook, vintage

TABLE = "85318NED"  # KWB 2022: gemeenten and wijken
JAAR = 2022


@pytest.fixture(scope="module")
def subtables(shared: Path) -> dict[str, list[dict[str, Any]]]:
    directory = shared / "cbs" / TABLE
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in directory.glob("*.json")}


def _key(subtables: dict[str, list[dict[str, Any]]], stem: str) -> str:
    return next(k for k in subtables["TypedDataSet"][0] if k.rsplit("_", 1)[0] == stem)


def _check(subtables: dict[str, list[dict[str, Any]]]) -> plausibility.Checked:
    frame, columns = transform.kwb_frame(subtables, table=TABLE, jaar=JAAR)
    return plausibility.check_frame(frame, table=TABLE, subtables=subtables, columns=columns)


def _with_value(
    subtables: dict[str, list[dict[str, Any]]], stem: str, value: float
) -> tuple[dict[str, list[dict[str, Any]]], str, str]:
    """A copy of the table with one area's value of a stem replaced; returns it, key, code."""
    changed = copy.deepcopy(subtables)
    key = _key(subtables, stem)
    row = next(r for r in changed["TypedDataSet"] if r["WijkenEnBuurten"].startswith("WK"))
    row[key] = value
    return changed, key, row["WijkenEnBuurten"].strip()


def test_the_real_table_passes_every_check(subtables: dict[str, list[dict[str, Any]]]) -> None:
    checked = _check(subtables)
    keys = [p["Key"] for p in subtables["DataProperties"] if p.get("Unit") in ("%", "aantal")]
    assert keys and all(any(p.startswith(k) for p in checked.passed) for k in keys)
    assert checked.warnings == ()


@pytest.mark.parametrize(
    ("stem", "value", "why"),
    [
        (schema.POPULATION, -5.0, "not at least 0"),
        ("Koopwoningen", 250.0, "not between 0 and 100"),
        ("Koopwoningen", float("inf"), "not finite"),
        (schema.POPULATION, 1e308, "not finite or larger"),
    ],
    ids=["negative population", "share of 250 %", "Infinity", "1e308"],
)
def test_an_impossible_value_is_refused_naming_table_key_code_and_value(
    subtables: dict[str, list[dict[str, Any]]], stem: str, value: float, why: str
) -> None:
    changed, key, code = _with_value(subtables, stem, value)
    with pytest.raises(plausibility.ImplausibleDataError) as caught:
        _check(changed)
    message = str(caught.value)
    assert TABLE in message and key in message and code in message and why in message
    assert f"value {value!r}" in message or f"value {value:g}" in message


def test_negative_amounts_in_euro_are_stored_with_a_warning(
    subtables: dict[str, list[dict[str, Any]]],
) -> None:
    changed, key, code = _with_value(subtables, "GemiddeldeWOZWaardeVanWoningen", -3.0)
    checked = _check(changed)
    assert any(key in w and code in w and "stored as published" in w for w in checked.warnings)


def test_a_declared_key_missing_from_the_data_is_a_warning(
    subtables: dict[str, list[dict[str, Any]]],
) -> None:
    changed = copy.deepcopy(subtables)
    key = _key(subtables, "Koopwoningen")
    for row in changed["TypedDataSet"]:
        del row[key]
    (warning,) = _check(changed).warnings
    assert TABLE in warning and key in warning and "STEM_ALIASES" in warning


def test_a_key_renamed_in_the_data_only_is_refused(
    subtables: dict[str, list[dict[str, Any]]],
) -> None:
    changed = copy.deepcopy(subtables)
    key = _key(subtables, "Koopwoningen")
    for row in changed["TypedDataSet"]:
        row["Koophuizen_40"] = row.pop(key)
    with pytest.raises(SourceFormatError, match="Koophuizen_40"):
        _check(changed)


def test_a_name_entry_listed_twice_with_two_names_is_refused(
    subtables: dict[str, list[dict[str, Any]]],
) -> None:
    changed = copy.deepcopy(subtables)
    first = changed["WijkenEnBuurten"][5]
    changed["WijkenEnBuurten"].append({**first, "Title": "Elders"})
    with pytest.raises(plausibility.ImplausibleDataError) as caught:
        _check(changed)
    message = str(caught.value)
    assert TABLE in message and first["Key"].strip() in message and "Elders" in message


def test_a_key_declared_twice_is_refused(subtables: dict[str, list[dict[str, Any]]]) -> None:
    changed = copy.deepcopy(subtables)
    topic = next(p for p in changed["DataProperties"] if p["Type"] == "Topic")
    changed["DataProperties"].append(dict(topic))
    with pytest.raises(plausibility.ImplausibleDataError, match=f"declares key {topic['Key']}"):
        _check(changed)


@pytest.fixture(scope="module")
def wijk_layer(shared: Path) -> dict[str, Any]:
    path = shared / "pdok" / "gebiedsindelingen" / str(JAAR) / "wijk_gegeneraliseerd.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_the_real_layer_lies_in_the_netherlands(wijk_layer: dict[str, Any]) -> None:
    frame = geometry.boundaries(wijk_layer, what="PDOK 2022 wijk")
    assert len(frame) == len(wijk_layer["features"])


def test_coordinates_far_outside_the_netherlands_are_refused(wijk_layer: dict[str, Any]) -> None:
    changed = copy.deepcopy(wijk_layer)
    feature = changed["features"][7]
    far = shapely.affinity.translate(shape(feature["geometry"]), 3_000_000, 0)
    feature["geometry"] = mapping(far)
    code = feature["properties"]["statcode"].strip()
    with pytest.raises(plausibility.ImplausibleDataError, match=f"outside the Netherlands.*{code}"):
        geometry.boundaries(changed, what="PDOK 2022 wijk")


def test_two_distant_features_with_one_code_are_refused(wijk_layer: dict[str, Any]) -> None:
    changed = copy.deepcopy(wijk_layer)
    first, last = changed["features"][0], changed["features"][-1]
    last["properties"] = dict(first["properties"])
    code = first["properties"]["statcode"].strip()
    assert shape(first["geometry"]).distance(shape(last["geometry"])) > 10_000
    with pytest.raises(plausibility.ImplausibleDataError, match=f"features have code {code}"):
        geometry.boundaries(changed, what="PDOK 2022 wijk")


def test_warnings_reach_the_manifest_and_the_codebook(shared: Path, tmp_path: Path) -> None:
    """KWB 2019 (84583NED) publishes negative median wealth: stored, with a warning."""
    manifest = build(
        BuildOptions(years=(2019,), source=shared, store=tmp_path / "store", crime=False),
        settings=Settings(raw=tmp_path / "raw-unused"),
        progress=lambda _: None,
    )
    entry = manifest.entry("statistics", 2019, "buurt")
    (warning,) = [w for w in entry.warnings if "MediaanVermogen" in w]
    assert "84583NED" in warning and "stored as published" in warning
    assert entry.checks and warning in manifest.year(2019).warnings
    found = vintage(manifest, jaar=2019, niveau="buurt", crime_periode=None)
    book = codebook([schema.CODE], config=ScoringConfig(), vintage=found)
    rows = book[book["kind"] == "vintage"].set_index("column")["value"]
    assert "MediaanVermogen" in rows["plausibility_warnings"]
    assert json.loads(rows["plausibility_checks"]) == list(entry.checks)


def test_a_key_renamed_in_data_and_metadata_is_reported_against_the_previous_build(
    linked_mirror: Path, tmp_path: Path
) -> None:
    """Renamed in TypedDataSet and DataProperties alike, a topic is a new stem; the build
    compares with what the store held for the same table and says which column went."""
    store = tmp_path / "store"
    options = BuildOptions(years=(JAAR,), source=linked_mirror, store=store, crime=False)
    settings = Settings(raw=tmp_path / "raw-unused")
    build(options, settings=settings, progress=lambda _: None)
    directory = linked_mirror / "cbs" / TABLE
    for name in ("TypedDataSet", "DataProperties"):
        path = directory / f"{name}.json"
        text = path.read_text(encoding="utf-8").replace("Koopwoningen_40", "Koophuizen_40")
        path.unlink()
        path.write_text(text, encoding="utf-8")
    manifest = build(options, settings=settings, progress=lambda _: None)
    (warning,) = [w for w in manifest.year(JAAR).warnings if "previous build" in w]
    assert TABLE in warning and "Koopwoningen (Koopwoningen_40)" in warning
    assert "Koophuizen" in manifest.entry("statistics", JAAR, "wijk").columns
