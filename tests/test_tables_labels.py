"""Labels for a long answer, read in one pass on Oxigraph, are the ones `label_of` gives one by one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rdflib import URIRef

from kg import query, rdfio, tables

MARKET = Path(__file__).parent / "fixtures" / "query_market.trig"


def test_tables_labels_of_in_one_pass_match_label_of(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = rdfio.load(MARKET, store="Oxigraph")
    iris = sorted({s for s, _p, _o, _g in dataset.quads((None, None, None, None)) if isinstance(s, URIRef)})
    monkeypatch.setattr(tables, "_ONE_PASS_FROM", 1)
    assert len(iris) > 20
    assert tables.labels_of(dataset, iris) == {iri: tables.label_of(dataset, iri) for iri in iris}


@pytest.mark.parametrize("name", ["claims", "entities", "chip-developers", "documents"])
def test_tables_long_answers_read_the_same_either_way(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    dataset = rdfio.load(MARKET, store="Oxigraph")
    one_by_one = query.run(dataset, name)
    monkeypatch.setattr(tables, "_ONE_PASS_FROM", 1)
    pd.testing.assert_frame_equal(query.run(dataset, name), one_by_one)
