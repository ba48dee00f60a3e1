"""Claims built in bulk (issue 11): the same triples as the contract asks, terms shared safely."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from rdflib import RDF, XSD, Dataset, Literal

from kg import rdf
from kg.resolve import Claim
from kg.vocab import CHIP, KG


def _claim(**changes: object) -> Claim:
    fields: dict[str, object] = {
        "subject": "acme",
        "relation": "develops",
        "object": "widget-1",
        "document": "doc-1",
        "evidence": "Acme develops the Widget 1.",
        "start": 0,
        "end": 27,
        "confidence": 0.8,
        "modality": "Asserted",
        "pattern": "en.test",
    }
    fields.update(changes)
    return Claim(**fields)  # type: ignore[arg-type]


def test_claims_in_bulk_are_whole_claim_nodes() -> None:
    dataset = Dataset()
    claims = [_claim(), _claim(start=30, end=50, evidence="It said so again.", source="reuters")]
    rdf.add_claims(dataset, claims)
    graph = dataset.default_graph
    nodes = sorted(graph.subjects(RDF.type, CHIP.Claim))
    assert len(nodes) == 2
    assert (KG.acme, CHIP.develops, KG["widget-1"]) in graph
    starts = sorted(int(graph.value(n, CHIP.charStart).toPython()) for n in nodes)  # type: ignore[union-attr]
    assert starts == [0, 30]
    assert len(list(graph.objects(None, CHIP.reportedBy))) == 1
    assert len(graph) == 1 + 11 + 12


def test_negated_claims_only_leave_out_the_plain_triple() -> None:
    dataset = Dataset()
    rdf.add_claims(dataset, [_claim(modality="Negated")])
    graph = dataset.default_graph
    assert (KG.acme, CHIP.develops, KG["widget-1"]) not in graph
    assert len(list(graph.subjects(RDF.type, CHIP.Claim))) == 1


def test_shared_literals_keep_their_type() -> None:
    # the literal caches are typed: 1 and 1.0 are two lexical forms, a date and a date-time two datatypes
    assert rdf._decimal(1) == Literal(Decimal("1"), datatype=XSD.decimal)
    assert str(rdf._decimal(1.0)) == "1.0"
    assert str(rdf._decimal(1)) == "1"
    assert rdf._date(date(2026, 1, 2)).datatype == XSD.date
    assert rdf._date(datetime(2026, 1, 2)).datatype == XSD.dateTime
    assert rdf._integer(5) == Literal(5, datatype=XSD.integer)
