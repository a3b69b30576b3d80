"""Every output column is declared once (layers/columns.py) and read from there."""

from __future__ import annotations

import pytest

from etl import schema
from layers import columns, constants
from layers.config import ScoringConfig
from layers.export import codebook
from layers.indicators import INDICATORS, SCORED_DOMAINS


def test_every_column_of_a_result_is_declared_with_both_languages() -> None:
    names = [schema.CODE, *constants.IDENTITY, constants.PEER_RANG, constants.AFSTAND]
    names += [constants.N_GEBIEDEN, constants.STAPELING, constants.SAMENGESTELD]
    names += [constants.TE_WEINIG_INWONERS, constants.ONVOLDOENDE_GEGEVENS]
    names += [constants.score_column(d) for d in SCORED_DOMAINS]
    for ind in INDICATORS:  # inhabitants are the base of percentiles and coverage: no own
        names.append(ind.id)
        if ind.id != constants.INWONERS:
            names += [constants.pct_column(ind.id), constants.dekking_column(ind.id)]
    for name in names:
        col = columns.column(name)
        assert col.label_nl and col.label_en, name
        assert bool(col.unit) == bool(col.unit_en), name  # a unit has its English
        assert col.describe(ScoringConfig(), "wijk"), name
    assert columns.ordered(list(reversed(names)))[:3] == [schema.CODE, schema.NAAM, "niveau"]
    with pytest.raises(KeyError, match="not an output column"):
        columns.column("geometry")


def test_kinds_follow_the_registry_and_the_recipe() -> None:
    assert columns.column(constants.STAPELING).kind == "whole"
    assert columns.column(constants.TE_WEINIG_INWONERS).kind == "flag"
    for ind in INDICATORS:
        assert columns.column(ind.id).unit_en == ind.unit_en
        if ind.id != constants.INWONERS:
            assert columns.column(constants.pct_column(ind.id)).kind == "rank"


def test_definitions_name_the_parameters_used() -> None:
    config = ScoringConfig(threshold=70.0, min_population=500, reference="gemeente")
    text = columns.column(constants.STAPELING).describe(config)
    assert "at least 70" in text and f"(0–{len(SCORED_DOMAINS)})" in text
    pct = columns.column(constants.pct_column(INDICATORS[1].id)).describe(config, "wijk")
    assert "among all wijk areas of the year in the same gemeente" in pct


def test_the_codebook_is_written_from_the_declarations() -> None:
    names = [schema.CODE, schema.NAAM, constants.STAPELING, INDICATORS[1].id]
    book = codebook(names, config=ScoringConfig(), vintage={"niveau": "wijk"})
    rows = book[book["kind"] == "column"].set_index("column")
    for name in names:
        col = columns.column(name)
        assert rows.loc[name, "label_nl"] == col.label_nl
        assert rows.loc[name, "unit_en"] == col.unit_en
        assert rows.loc[name, "definition"].startswith(col.describe(ScoringConfig(), "wijk"))
