"""The Python API: KnowledgeGraph over Oxigraph, its DataFrames, networkx view, saving and viewing."""

from __future__ import annotations

import datetime
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS, XSD

import kg
from kg import graph as kg_graph
from kg import rdfio
from kg.tables import cell_value
from kg.vocab import BACKGROUND, CHIP, KG

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "query_seed.ttl"
MARKET = FIXTURES / "query_market.trig"

# rdflib 7.6's TriG parser and serializer use rdflib's own deprecated Dataset/ConjunctiveGraph API
pytestmark = pytest.mark.filterwarnings(
    "ignore:(Dataset.[a-z_]+|ConjunctiveGraph) is deprecated:DeprecationWarning"
)


def plain(graph: Graph) -> Graph:
    """The graph with xsd:string literals written plain, as Oxigraph and rdflib disagree only there."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, Literal(str(o)) if isinstance(o, Literal) and o.datatype == XSD.string else o))
    return out


def named(dataset: Dataset, name: URIRef) -> Graph | None:
    return next((g for g in dataset.graphs() if g.identifier == name), None)


@pytest.fixture(scope="module")
def market() -> kg_graph.KnowledgeGraph:
    return kg_graph.load(MARKET)


def test_graph_load_keeps_default_and_background_graphs(market: kg_graph.KnowledgeGraph) -> None:
    assert type(market.rdf.store).__name__ == "OxigraphStore"
    assert len(market) == len(market.rdf.default_graph) == 291
    background = named(market.rdf, BACKGROUND)
    assert background is not None and (KG.nvidia, CHIP.develops, KG.b200) in background
    assert (KG.nvidia, CHIP.develops, KG.b200) not in market.rdf.default_graph
    assert repr(market) == "<KnowledgeGraph: 291 triples, 18 entities, 18 claims, 2 documents>"


def test_graph_wraps_a_memory_dataset_in_oxigraph() -> None:
    memory = rdfio.load(MARKET)
    wrapped = kg_graph.KnowledgeGraph(memory)
    assert type(wrapped.rdf.store).__name__ == "OxigraphStore"
    assert isomorphic(plain(wrapped.rdf.default_graph), memory.default_graph)
    assert len(named(wrapped.rdf, BACKGROUND) or ()) == 4
    triples = Graph()
    triples.add((KG.tsmc, CHIP.fabricatesFor, KG.openai))
    assert len(kg_graph.KnowledgeGraph(triples)) == 1
    assert len(kg_graph.KnowledgeGraph()) == 0


def test_graph_query_binds_keyword_parameters(market: kg_graph.KnowledgeGraph) -> None:
    frame = market.query("fabricators", company="AMD")
    assert set(frame["foundry"]) == {"TSMC", "Samsung"}
    assert set(market.query("SELECT ?c WHERE { ?f chip:fabricatesFor ?c }", f=KG.smic)["c"]) == {"Huawei"}


def test_graph_entities_frame(market: kg_graph.KnowledgeGraph) -> None:
    entities = market.entities().set_index("entity")
    assert len(entities) == 18
    nvidia = entities.loc["NVIDIA"]
    assert nvidia["entity_iri"] == str(KG.nvidia)
    assert nvidia["type"] == "Company" and nvidia["type_iri"] == str(CHIP.Company)
    assert nvidia["label_zh"] == "英伟达"
    assert sorted(nvidia["aliases"].split(" | ")) == ["Nvidia", "英伟达"]
    assert nvidia["wikidata"] == "http://www.wikidata.org/entity/Q182477"
    assert nvidia["mentions"] == 2
    assert str(entities["mentions"].dtype) == "Int64"
    assert set(market.entities(type="Chip")["entity"]) == {"H100", "MI300", "Ascend 910B"}


def test_graph_claims_frame(market: kg_graph.KnowledgeGraph) -> None:
    claims = market.claims()
    assert len(claims) == 18
    assert claims["confidence"].dtype == "float64"
    assert str(claims["char_start"].dtype) == "Int64"
    negated = claims[claims["modality"] == "Negated"]
    assert list(negated["predicate"]) == ["investsIn"]
    assert set(claims["document_iri"]) == {str(KG["doc-market-en"]), str(KG["doc-market-zh"])}
    assert len(market.claims(modality="Reported")) == 2


def test_graph_documents_frame(market: kg_graph.KnowledgeGraph) -> None:
    docs = market.documents().set_index("source")
    assert pd.api.types.is_datetime64_any_dtype(docs["date"])
    assert docs.loc["market_en.txt", "date"] == pd.Timestamp("2025-03-01")
    assert docs.loc["market_zh.txt", "claims"] == 3
    assert docs.loc["market_en.txt", "language"] == "en"


def test_graph_to_networkx_nodes_and_edges(market: kg_graph.KnowledgeGraph) -> None:
    g = market.to_networkx()
    nvidia = g.nodes[str(KG.nvidia)]
    assert nvidia["label"] == "NVIDIA" and nvidia["class"] == "Company" and nvidia["label_zh"] == "英伟达"
    assert "Nvidia" in nvidia["aliases"]
    edges = g.get_edge_data(str(KG.tsmc), str(KG.nvidia))
    ((key, edge),) = edges.items()
    assert key == str(KG["claim-en-1"])
    assert edge["relation"] == "fabricatesFor" and edge["modality"] == "Asserted"
    assert edge["confidence"] == 0.95 and edge["source"] == str(KG["doc-market-en"])
    assert edge["evidence"] == "TSMC manufactures Nvidia's data-center GPUs."
    assert isinstance(edge["char_start"], int)
    assert len(g.get_edge_data(str(KG.nvidia), str(KG.h100))) == 2  # one edge per claim: two documents say it


@pytest.mark.parametrize(
    ("options", "edges", "groq_edge"),
    [
        ({}, 17, False),
        ({"include_negated": True}, 18, True),
        ({"include_background": True}, 19, False),
    ],
)
def test_graph_to_networkx_options(
    market: kg_graph.KnowledgeGraph, options: dict[str, bool], edges: int, groq_edge: bool
) -> None:
    g = market.to_networkx(**options)
    assert g.number_of_edges() == edges
    assert g.has_edge(str(KG.nvidia), str(KG.groq)) is groq_edge
    if options.get("include_background"):
        b200 = g.get_edge_data(str(KG.nvidia), str(KG.b200))
        assert [e["modality"] for e in b200.values()] == ["Background"]
        assert g.nodes[str(KG.b200)]["label"] == "B200"


def test_graph_to_networkx_keeps_relations_without_claims() -> None:
    ds = Dataset()
    ds.add((KG.tsmc, CHIP.fabricatesFor, KG.openai))
    ds.add((KG.tsmc, SKOS.prefLabel, Literal("TSMC", lang="en")))
    ((_, _, data),) = kg_graph.KnowledgeGraph(ds).to_networkx().edges(data=True)
    assert data["relation"] == "fabricatesFor" and data.get("evidence") is None


def test_graph_to_networkx_reads_claims_without_a_source_document() -> None:
    ds = Dataset()
    ds.add((KG.tsmc, CHIP.fabricatesFor, KG.openai))
    for p, o in ((RDF.type, CHIP.Claim), (RDF.subject, KG.tsmc), (RDF.predicate, CHIP.fabricatesFor)):
        ds.add((KG["claim-1"], p, o))
    ds.add((KG["claim-1"], RDF.object, KG.openai))
    ds.add((KG["claim-1"], CHIP.modality, CHIP.Asserted))
    ((_, _, data),) = kg_graph.KnowledgeGraph(ds).to_networkx().edges(data=True)
    assert data.get("source") is None and data.get("source_title") is None and data["modality"] == "Asserted"


def test_graph_query_refuses_service(market: kg_graph.KnowledgeGraph) -> None:
    with pytest.raises(kg.QueryError, match="SERVICE at line 1, column 18 is refused"):
        market.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), (pd.NA, None), (pd.NaT, None), (float("nan"), None), (np.float64("nan"), None),
     (np.int64(3), 3), (np.float32(0.5), 0.5), ("x", "x")],
)  # fmt: skip
def test_graph_cells_become_plain_python_values(value: object, expected: object) -> None:
    got = cell_value(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".ttl"])
def test_graph_save_round_trips(market: kg_graph.KnowledgeGraph, tmp_path: Path, suffix: str) -> None:
    path = market.save(tmp_path / f"graph{suffix}")
    again = kg_graph.load(path)
    assert isomorphic(again.rdf.default_graph, market.rdf.default_graph)
    assert isomorphic(plain(again.rdf.default_graph), rdfio.load(MARKET).default_graph)
    assert "^^xsd:string" not in path.read_text(encoding="utf-8")
    background = named(again.rdf, BACKGROUND)
    assert (background is not None and len(background) == 4) is (suffix != ".ttl")


def test_graph_views_delegate_to_viz(
    monkeypatch: pytest.MonkeyPatch, market: kg_graph.KnowledgeGraph, tmp_path: Path
) -> None:
    calls: list[tuple[str, Any, dict[str, Any]]] = []
    fake = types.ModuleType("kg.viz")
    fake.render_html = lambda g, **kw: calls.append(("render", g, kw)) or "<html>view</html>"  # type: ignore[attr-defined]
    fake.write_html = lambda g, out, **kw: calls.append(("write", out, kw)) or Path(out)  # type: ignore[attr-defined]
    fake.notebook_html = lambda g, **kw: calls.append(("notebook", g, kw)) or "<iframe>view</iframe>"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kg.viz", fake)
    monkeypatch.setattr(kg, "viz", fake, raising=False)
    assert market.to_html(lang="zh") == "<html>view</html>"
    assert market.to_html(tmp_path / "v.html", max_nodes=10) == tmp_path / "v.html"
    shown = market.show()
    assert shown._repr_html_() == "<iframe>view</iframe>"
    assert [c[0] for c in calls] == ["render", "write", "notebook"]
    assert calls[0][1] is market.rdf and calls[0][2] == {"lang": "zh"}
    assert calls[1][2] == {"max_nodes": 10}


def test_graph_repr_html_summarises(market: kg_graph.KnowledgeGraph) -> None:
    html = market._repr_html_()
    assert "<th>claims</th><td>18</td>" in html and "291 triples" in html


def test_graph_extract_wraps_the_pipeline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kg import pipeline

    seen: list[tuple[list[Path], float, object, bool]] = []
    report = pipeline.Report()

    def build(
        paths: list[Path], min_confidence: float = 0.0, published: object = None, strict: bool = True
    ) -> tuple[Dataset, object]:
        seen.append((paths, min_confidence, published, strict))
        return rdfio.load(SEED), report

    monkeypatch.setattr(pipeline, "build", build)
    built = kg_graph.extract(tmp_path, str(tmp_path / "b.txt"), min_confidence=0.5, date="2025-10-14")
    assert seen == [([tmp_path, tmp_path / "b.txt"], 0.5, datetime.date(2025, 10, 14), True)]
    assert built.report is report
    assert set(built.query("fabricators")["foundry"]) == {"TSMC"}


def test_graph_public_names() -> None:
    assert kg.KnowledgeGraph is kg_graph.KnowledgeGraph
    assert kg.extract is kg_graph.extract and kg.load is kg_graph.load


def test_graph_queries_show_each_parameter_default_and_example(market: kg_graph.KnowledgeGraph) -> None:
    frame = market.queries()
    row = frame[(frame["question"] == "fabricators") & (frame["parameter"] == "company")].iloc[0]
    assert (row["kind"], row["default"], row["example"]) == ("iri", "all", "OpenAI")
    assert frame[frame["parameter"].notna()]["example"].notna().all()
    # the example is a value the question accepts
    assert len(market.query("fabricators", company=row["example"])) == 0
    assert len(market.query("fabricators")) == 4


def test_graph_validate_reports_in_python(market: kg_graph.KnowledgeGraph) -> None:
    result = market.validate()
    assert result.conforms, result.report()
    broken = Dataset()
    broken.add((KG.tsmc, CHIP.fabricatesFor, KG.openai))  # a relation with no claim and untyped ends
    bad = kg_graph.KnowledgeGraph(broken).validate()
    assert not bad.conforms and bad.problems
    assert "problem(s) with the aichip-kg contract" in bad.report()
