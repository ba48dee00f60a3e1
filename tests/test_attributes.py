"""Quantities become claims about the right entity; times are chosen per claim and role."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Dataset

from kg import pipeline
from kg.ingest import make_document

PREFIXES = """
PREFIX chip: <https://w3id.org/aichip-kg/ontology#>
PREFIX kg: <https://w3id.org/aichip-kg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def build(text: str, published: date | None = None) -> Dataset:
    dataset, _ = pipeline.build_documents([make_document(text, "t.txt", published)])
    return dataset


def measures(dataset: Dataset) -> set[tuple[str, str, float]]:
    rows = dataset.default_graph.query(
        PREFIXES
        + """SELECT ?s ?p ?v WHERE { ?c a chip:QuantityClaim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?q .
                                     ?q chip:value ?v }"""
    )
    return {(str(s).rsplit("/", 1)[-1], str(p).rsplit("#", 1)[-1], float(v)) for s, p, v in rows}  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Microsoft unveiled the Maia 100 AI accelerator and the Cobalt 100 processor.", set()),
        ("According to Reuters, Nvidia shipped 72 chips to Humain.", {("nvidia", "unitCount", 72.0)}),
        ("xAI runs 100,000 Nvidia Hopper GPUs in Memphis.", {("xai", "unitCount", 100000.0)}),
        ("英伟达的 GPU B200 采用台积电 4NP 工艺制造。", {("b200", "processNode", 4.0)}),
        (
            "The MI300X carries 192GB HBM3 and 5.3TB/s of bandwidth.",
            {("mi300x", "memoryCapacity", 192.0), ("mi300x", "bandwidth", 5.3)},
        ),
        ("Amazon invested $4 billion in Anthropic.", {("amazon", "amount", 4e9)}),
        (
            "H20 是英伟达为中国市场推出的芯片。其 96GB HBM3 显存和 4TB/s 带宽满足推理需求。",
            {("h20", "memoryCapacity", 96.0), ("h20", "bandwidth", 4.0)},
        ),
    ],
)
def test_attributes_quantity_is_about_the_right_entity(
    text: str, expected: set[tuple[str, str, float]]
) -> None:
    assert measures(build(text)) == expected


def test_attributes_quantity_claim_carries_evidence_modality_reporter_and_time() -> None:
    text = "Title\n\nAccording to Reuters, Nvidia will ship 72 chips to Humain next year.\n"
    dataset = build(text, date(2025, 5, 13))
    rows = list(
        dataset.default_graph.query(
            PREFIXES
            + """SELECT ?e ?s ?t ?m ?r ?when WHERE { ?c a chip:QuantityClaim ; chip:evidence ?e ; chip:charStart ?s ;
                     chip:charEnd ?t ; chip:modality ?m ; chip:reportedBy ?r ; chip:pointInTime ?when }"""
        )
    )
    assert len(rows) == 1
    evidence, start, end, modality, reporter, when = rows[0]  # type: ignore[misc]
    assert text[int(start) : int(end)] == str(evidence)
    assert (str(modality).rsplit("#")[-1], str(reporter).rsplit("/")[-1], str(when)) == (
        "Reported",
        "reuters",
        "2026",
    )


def test_attributes_claim_takes_the_nearest_time_of_each_role() -> None:
    dataset = build(
        "2020 年以来，OpenAI 依赖英伟达的 GPU，预计 2026 年开始使用自研芯片。", date(2024, 10, 31)
    )
    rows = dataset.default_graph.query(
        PREFIXES
        + """SELECT ?start ?point WHERE { ?c rdf:subject kg:openai ; rdf:predicate chip:dependsOn ;
               chip:startTime ?start OPTIONAL { ?c chip:pointInTime ?point } }"""
    )
    assert {(str(a), str(b)) for a, b in rows} == {("2020", "2026")}  # type: ignore[misc]
