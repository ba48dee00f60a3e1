"""Parameters bound inside sub-SELECTs on Oxigraph (which does not push an outer VALUES into them)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rdflib import URIRef

from kg import query, rdfio
from kg.query_text import inject_values as _inject_values

MARKET = Path(__file__).parent / "fixtures" / "query_market.trig"
NVIDIA = URIRef("https://w3id.org/aichip-kg/id/nvidia")
BLOCK = "VALUES (?company) { (<https://w3id.org/aichip-kg/id/nvidia>) }"


def test_query_subselect_values_enter_sub_selects_that_project_the_parameter() -> None:
    text = """SELECT ?company ?n WHERE {
  { SELECT ?company (COUNT(?x) AS ?n) WHERE { ?company ?p ?x } GROUP BY ?company }
  { SELECT ?other WHERE { ?other ?p ?company } }
  { SELECT ?company WHERE { ?company ?q ?y } LIMIT 5 }
  { SELECT * WHERE { ?company ?r ?z } }
  { SELECT (?company AS ?c2) WHERE { ?company ?s ?w } }
}"""
    bound, shift = _inject_values(text, {"company": NVIDIA}, into_sub_selects=True)
    assert bound.count(BLOCK) == 2  # the outer group and the first sub-select only
    assert "GROUP BY ?company }" in bound and bound.index(BLOCK, 30) < bound.index("?company ?p ?x")
    assert shift[0] == 1
    assert _inject_values(text, {"company": NVIDIA})[0].count(BLOCK) == 1


@pytest.mark.parametrize(
    ("name", "params", "blocks"),
    [
        ("fabricators", {"company": "NVIDIA"}, 5),
        ("fabricators", {"company": "华为"}, 5),
        ("supply-chain", {"chip": "H100"}, 16),
        ("shared-foundry", {"foundry": "TSMC"}, 3),
        ("shared-foundry", {}, 0),
    ],
)
def test_query_subselect_binding_gives_the_same_rows(name: str, params: dict[str, str], blocks: int) -> None:
    dataset = rdfio.load(MARKET, store="Oxigraph")
    assert query.prepare(dataset, name, params).count("VALUES (") == blocks
    inside = query.run(dataset, name, params)
    outside = query.run(rdfio.load(MARKET), name, params)
    assert len(inside) > 0
    key = list(inside.columns)
    left, right = (f.sort_values(key, na_position="first").reset_index(drop=True) for f in (inside, outside))
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
