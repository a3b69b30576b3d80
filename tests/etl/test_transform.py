"""Harmonising CBS rows: stems across years, padding, niveau, suppressed values, validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from etl import schema, transform
from etl.errors import SourceFormatError
from etl.registry import KWB_TABLES, UnknownYearError, kwb_table, stem


def _props(*keys: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"Key": k, "Type": "Topic", "Datatype": t} for k, t in keys]


def _tiny(**overrides: Any) -> dict[str, list[dict[str, Any]]]:
    rows = [
        {"ID": 0, "WijkenEnBuurten": "GM0820    ", "Gemeentenaam_1": "Nuenen   ",
         "SoortRegio_2": "", "AantalInwoners_5": 23000, "Koopwoningen_40": 70},
        {"ID": 1, "WijkenEnBuurten": "WK082001  ", "Gemeentenaam_1": "Nuenen   ",
         "SoortRegio_2": "", "AantalInwoners_5": 5000, "Koopwoningen_40": None},
        {"ID": 2, "WijkenEnBuurten": "BU08200101", "Gemeentenaam_1": "Nuenen   ",
         "SoortRegio_2": "Buurt     ", "AantalInwoners_5": 120, "Koopwoningen_40": 55},
    ]  # fmt: skip
    subtables = {
        "TypedDataSet": rows,
        "DataProperties": _props(
            ("Gemeentenaam_1", "String"),
            ("SoortRegio_2", "String"),
            ("AantalInwoners_5", "Long"),
            ("Koopwoningen_40", "Long"),
        ),
    }
    subtables.update(overrides)
    return subtables


def test_stems_strip_suffix_and_follow_aliases() -> None:
    assert stem("HuishOnderOfRondSociaalMinimum_73") == "HuishOnderOfRondSociaalMinimum"
    assert stem("HuishOnderOfRondSociaalMinimum_80") == "HuishOnderOfRondSociaalMinimum"
    assert stem("GemiddeldeWoningwaarde_35") == "GemiddeldeWOZWaardeVanWoningen"
    assert stem("k_40PersonenMetLaagsteInkomen_67") == "k_40PersonenMetLaagsteInkomen"


def test_recurring_stem_within_a_table_gets_a_counter() -> None:
    names = transform.column_names(["Nederland_17", "BuitenEuropa_19", "Nederland_20"])
    assert names == {
        "Nederland_17": "Nederland",
        "BuitenEuropa_19": "BuitenEuropa",
        "Nederland_20": "Nederland__2",
    }


def test_tiny_frame_strips_padding_and_derives_niveau_from_prefix() -> None:
    frame, columns = transform.kwb_frame(_tiny(), table="T", jaar=2017)
    assert frame[schema.CODE].tolist() == ["BU08200101", "GM0820", "WK082001"]
    assert frame[schema.NIVEAU].tolist() == ["buurt", "gemeente", "wijk"]
    assert frame[schema.GEMEENTENAAM].tolist() == ["Nuenen"] * 3
    assert frame[schema.WIJK_CODE].tolist()[0] == "WK082001"
    assert frame.loc[frame[schema.CODE] == "GM0820", schema.NAAM].item() == "Nuenen"
    assert columns == {"AantalInwoners": "AantalInwoners_5", "Koopwoningen": "Koopwoningen_40"}


def test_suppressed_value_is_nan_not_zero() -> None:
    frame, _ = transform.kwb_frame(_tiny(), table="T", jaar=2017)
    value = frame.loc[frame[schema.CODE] == "WK082001", "Koopwoningen"].item()
    assert pd.isna(value)
    assert frame["Koopwoningen"].dtype == "float64"


def test_untyped_missing_symbols_become_nan_and_garbage_is_refused() -> None:
    rows = _tiny()["TypedDataSet"]
    rows[0] = {**rows[0], "Koopwoningen_40": "       ."}
    frame, _ = transform.kwb_frame(_tiny(TypedDataSet=rows), table="T", jaar=2017)
    assert frame["Koopwoningen"].isna().sum() == 2
    rows[0] = {**rows[0], "Koopwoningen_40": "veel"}
    with pytest.raises(SourceFormatError, match="Koopwoningen_40.*not numbers"):
        transform.kwb_frame(_tiny(TypedDataSet=rows), table="T", jaar=2017)


def test_missing_subtable_is_named() -> None:
    subtables = _tiny()
    del subtables["DataProperties"]
    with pytest.raises(SourceFormatError, match="T has no DataProperties"):
        transform.kwb_frame(subtables, table="T", jaar=2017)


def test_undeclared_column_means_a_changed_schema() -> None:
    rows = [{**r, "NieuweKolom_99": 1} for r in _tiny()["TypedDataSet"]]
    with pytest.raises(SourceFormatError, match="NieuweKolom_99.*schema changed"):
        transform.kwb_frame(_tiny(TypedDataSet=rows), table="T", jaar=2017)


def test_invalid_and_duplicate_codes_are_refused() -> None:
    rows = _tiny()["TypedDataSet"]
    bad = [*rows[:2], {**rows[2], "WijkenEnBuurten": "XX123"}]
    with pytest.raises(SourceFormatError, match="invalid region codes.*XX123"):
        transform.kwb_frame(_tiny(TypedDataSet=bad), table="T", jaar=2017)
    dup = [*rows, {**rows[1], "ID": 3}]
    with pytest.raises(SourceFormatError, match="more than once.*WK082001"):
        transform.kwb_frame(_tiny(TypedDataSet=dup), table="T", jaar=2017)


def test_unknown_year_lists_supported_years() -> None:
    with pytest.raises(UnknownYearError) as info:
        kwb_table(2016)
    for year in KWB_TABLES:
        assert str(year) in str(info.value)


def _mirror(shared: Path, table: str) -> dict[str, Any]:
    folder = shared / "cbs" / table
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def test_harmonised_keys_across_2017_2019_2022_2024(shared: Path) -> None:
    frames = {
        jaar: transform.kwb_frame(_mirror(shared, KWB_TABLES[jaar]), table="t", jaar=jaar)
        for jaar in (2017, 2019, 2022, 2024)
    }
    # Same topic, different suffix per year: one column name.
    sources = {
        jaar: cols.get("HuishOnderOfRondSociaalMinimum") for jaar, (_, cols) in frames.items()
    }
    assert sources[2017] == "HuishOnderOfRondSociaalMinimum_73"
    assert sources[2019] == "HuishOnderOfRondSociaalMinimum_79"
    # Renamed stem: 2017's GemiddeldeWoningwaarde is today's GemiddeldeWOZWaardeVanWoningen.
    assert frames[2017][1]["GemiddeldeWOZWaardeVanWoningen"] == "GemiddeldeWoningwaarde_35"
    assert frames[2022][1]["GemiddeldeWOZWaardeVanWoningen"] == "GemiddeldeWOZWaardeVanWoningen_35"
    assert frames[2022][1]["k_40PersonenMetLaagsteInkomen"] == "k_40PersonenMetLaagsteInkomen_73"
    for frame, _ in frames.values():
        assert "AantalInwoners" in frame
        assert not any(c.rsplit("_", 1)[-1].isdigit() for c in frame.columns if c[0].isupper())
    # A column the 2022 extract lacks is absent, never zero.
    assert "HuishOnderOfRondSociaalMinimum" not in frames[2022][0]
    wijken = {j: int((f[schema.NIVEAU] == "wijk").sum()) for j, (f, _) in frames.items()}
    assert wijken[2022] == 3340
    assert wijken[2024] == 3393


def test_nuenen_rows_of_2017_get_their_niveau_from_the_code(shared: Path) -> None:
    raw = _mirror(shared, "83765NED")
    nuenen = [r for r in raw["TypedDataSet"] if not (r["SoortRegio_2"] or "").strip()]
    assert len(nuenen) == 14
    frame, _ = transform.kwb_frame(raw, table="83765NED", jaar=2017)
    codes = {r["WijkenEnBuurten"].strip() for r in nuenen}
    rows = frame[frame[schema.CODE].isin(codes)]
    assert len(rows) == 14
    assert set(rows[schema.NIVEAU]) == {"gemeente", "wijk", "buurt"}
    assert (rows[schema.GEMEENTE_CODE] == "GM0820").all()
    assert rows[schema.POPULATION].isna().all()  # suppressed in the source: NaN, not 0


def test_crime_frame_keeps_yearly_periods_and_known_types(shared: Path) -> None:
    raw = _mirror(shared, "47018NED")
    frame = transform.crime_frame(raw, table="47018NED")
    assert list(frame.columns) == list(schema.CRIME_COLUMNS)
    wanted = {c for group in schema.CRIME_GROUPS.values() for c in group}
    value_key = next(k for k in raw["TypedDataSet"][0] if k.startswith(schema.CRIME_STEM))
    kept = [
        r
        for r in raw["TypedDataSet"]
        if r["SoortMisdrijf"].strip() in wanted and r["Perioden"].strip().endswith("JJ00")
    ]
    assert kept and len(frame) == len(kept)
    assert set(frame[schema.PERIODE]) == {int(r["Perioden"][:4]) for r in kept}
    assert set(frame[schema.MISDRIJF_SOORT]) == {r["SoortMisdrijf"].strip() for r in kept}
    sample = kept[len(kept) // 2]
    row = frame[
        (frame[schema.CODE] == sample["WijkenEnBuurten"].strip())
        & (frame[schema.PERIODE] == int(sample["Perioden"][:4]))
        & (frame[schema.MISDRIJF_SOORT] == sample["SoortMisdrijf"].strip())
    ]
    assert row[schema.MISDRIJF_AANTAL].item() == sample[value_key]


def _rivm(shared: Path) -> dict[str, Any]:
    return _mirror(shared, schema.RIVM_TABLE)


def _rivm_frame(subtables: dict[str, Any]) -> pd.DataFrame:
    edition = schema.SOURCES[schema.RIVM].editions[0]
    return transform.source_frame(
        subtables,
        table=edition.table,
        periode=edition.periode,
        selection=schema.SOURCES[schema.RIVM].selection,
    )


def test_rivm_frame_selects_adults_and_the_estimate_and_writes_nl01_as_nl00(
    shared: Path,
) -> None:
    raw = _rivm(shared)
    frame = _rivm_frame(raw)
    selection = schema.SOURCES[schema.RIVM].selection
    kept = [r for r in raw["TypedDataSet"] if all(r[d].strip() == k for d, k in selection.items())]
    assert len(frame) == len(kept) < len(raw["TypedDataSet"])  # 65+ rows are left out
    nl = [r for r in kept if r["WijkenEnBuurten"].strip() == schema.RIVM_NL]
    assert len(nl) == 1
    land = frame[frame[schema.CODE] == "NL00"]
    assert land[schema.NIVEAU].tolist() == ["land"]
    assert land["ErvarenGezondheidGoedZeerGoed"].item() == nl[0]["ErvarenGezondheidGoedZeerGoed_4"]
    assert not frame[schema.CODE].str.startswith("NL01").any()
    assert "Gemeentenaam" not in frame and "SoortRegio" not in frame


def test_suppressed_rivm_values_are_missing_in_the_typed_and_the_untyped_set(
    shared: Path,
) -> None:
    raw = _rivm(shared)
    key = "HoogRisicoOpAngstOfDepressie_25"
    typed = _rivm_frame(raw)
    selection = schema.SOURCES[schema.RIVM].selection
    adults = [
        r for r in raw["TypedDataSet"] if all(r[d].strip() == k for d, k in selection.items())
    ]
    suppressed = {r["WijkenEnBuurten"].strip() for r in adults if r[key] is None}
    assert suppressed  # the mirror has suppressed figures (null in the typed set)
    col = typed.set_index(schema.CODE)[stem(key)]
    assert col[col.index.isin(suppressed)].isna().all()
    assert col[~col.index.isin(suppressed)].notna().all()
    # The untyped data set carries text, with '.' where the figure is suppressed.
    untyped_rows = [
        {k: ("." if v is None else str(v)) if k.endswith(tuple("0123456789")) else v
         for k, v in r.items()}
        for r in raw["TypedDataSet"]
    ]  # fmt: skip
    untyped = _rivm_frame({**raw, "TypedDataSet": untyped_rows})
    pd.testing.assert_frame_equal(untyped, typed)


def test_every_mirror_table_is_a_registered_source_edition(shared: Path) -> None:
    for info_file in sorted((shared / "cbs").glob("*/TableInfos.json")):
        table = info_file.parent.name
        info = json.loads(info_file.read_text())[0]
        source = schema.source_of_table(table)
        assert source is not None, table
        third = info.get("Catalog") not in (None, "CBS")
        assert source.catalog == ("dataderden" if third else "opendata"), table
        if third:
            assert source.publisher == info["Catalog"]
        if source.id == schema.RIVM:
            listed = json.loads((info_file.parent / "Perioden.json").read_text())
            periods = {r["Key"] for r in listed}
            assert {e.periode for e in source.editions if e.table == table} <= periods
