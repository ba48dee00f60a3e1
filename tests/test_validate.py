from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal

from kg import pipeline
from kg.validate import validate
from kg.vocab import CHIP, KG

DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


def default_graph(inputs: list[Path]) -> Graph:
    dataset, _ = pipeline.build(inputs)
    graph = Graph()
    for triple in dataset.default_graph:
        graph.add(triple)
    return graph


def test_validate_seed_graph_conforms(seed_dataset) -> None:  # type: ignore[no-untyped-def]
    graph = Graph()
    for triple in seed_dataset.default_graph:
        graph.add(triple)
    result = validate(graph)
    assert result.conforms, result.report()


@pytest.mark.skipif(not DEV.is_dir(), reason="the shared development texts are not beside this checkout")
@pytest.mark.parametrize("name", sorted(p.name for p in DEV.glob("*.txt")) if DEV.is_dir() else [])
def test_validate_development_graphs_conform(name: str) -> None:
    result = validate(default_graph([DEV / name]))
    assert result.conforms, result.report(name)


def _one_claim_graph(seed_dataset) -> tuple[Graph, object]:  # type: ignore[no-untyped-def]
    graph = Graph()
    for triple in seed_dataset.default_graph:
        graph.add(triple)
    claim = next(graph.subjects(predicate=CHIP.evidence))
    return graph, claim


def test_validate_reports_a_relation_without_claim(seed_dataset) -> None:  # type: ignore[no-untyped-def]
    graph, _ = _one_claim_graph(seed_dataset)
    graph.add((KG.openai, CHIP.acquires, KG.nvidia))
    result = validate(graph)
    assert not result.conforms
    assert any("kg:openai chip:acquires kg:nvidia" in p and "no chip:Claim" in p for p in result.problems)


@pytest.mark.parametrize(
    ("prop", "value", "message"),
    [
        (CHIP.confidence, Literal(1.5), "confidence"),
        (CHIP.evidence, None, "evidence"),  # the evidence no longer spans charStart..charEnd
    ],
)
def test_validate_reports_broken_claims(seed_dataset, prop, value, message) -> None:  # type: ignore[no-untyped-def]
    graph, claim = _one_claim_graph(seed_dataset)
    if value is None:
        value = Literal(str(graph.value(claim, prop)) + " and one more clause")
    graph.set((claim, prop, value))  # type: ignore[arg-type]
    result = validate(graph)
    assert not result.conforms
    assert any(message in p for p in result.problems), result.problems


def test_validate_reports_an_entity_without_label(seed_dataset) -> None:  # type: ignore[no-untyped-def]
    from rdflib.namespace import SKOS

    graph, _ = _one_claim_graph(seed_dataset)
    graph.remove((KG.nvidia, SKOS.prefLabel, None))
    result = validate(graph)
    assert any(p.startswith("kg:nvidia") and "prefLabel" in p for p in result.problems)
