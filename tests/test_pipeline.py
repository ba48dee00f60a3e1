"""The whole extraction on the seed article and tiny texts, read back with SPARQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import pipeline, rdfio
from kg.ingest import make_document
from kg.vocab import BACKGROUND, CHIP, KG

PREFIXES = """
PREFIX chip: <https://w3id.org/aichip-kg/ontology#>
PREFIX kg: <https://w3id.org/aichip-kg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
GOLDEN = Path(__file__).parent / "golden"


def ask(dataset: Dataset, pattern: str) -> bool:
    return bool(dataset.default_graph.query(PREFIXES + f"ASK {{ {pattern} }}").askAnswer)


@pytest.mark.parametrize(
    "pattern",
    [
        "{ kg:openai chip:partnersWith kg:broadcom } UNION { kg:broadcom chip:partnersWith kg:openai }",
        "kg:tsmc chip:fabricatesFor kg:openai",
        "kg:openai chip:dependsOn|chip:customerOf kg:nvidia",
        "kg:amd chip:develops kg:mi300",
        "kg:microsoft chip:develops kg:maia-100",
    ],
)
def test_pipeline_seed_states_the_users_five_facts(seed_dataset: Dataset, pattern: str) -> None:
    assert ask(seed_dataset, pattern)


def test_pipeline_seed_tsmc_claim_is_planned_or_expected_not_asserted(seed_dataset: Dataset) -> None:
    rows = seed_dataset.default_graph.query(
        PREFIXES
        + """SELECT ?m WHERE { ?c a chip:Claim ; rdf:subject kg:tsmc ; rdf:predicate chip:fabricatesFor ;
                              rdf:object kg:openai ; chip:modality ?m }"""
    )
    modalities = {row[0] for row in rows}  # type: ignore[index]
    assert modalities and modalities <= {CHIP.Planned, CHIP.Expected, CHIP.Reported}
    assert CHIP.Asserted not in modalities


def test_pipeline_every_relation_has_evidence_that_slices_the_text(
    seed_dataset: Dataset, seed_text: str
) -> None:
    graph = seed_dataset.default_graph
    claims = list(graph.subjects(predicate=CHIP.evidence))
    assert len(claims) >= 10
    for claim in claims:
        start, end = int(graph.value(claim, CHIP.charStart)), int(graph.value(claim, CHIP.charEnd))  # type: ignore[arg-type]
        assert seed_text[start:end] == str(graph.value(claim, CHIP.evidence))


def test_pipeline_entities_carry_labels_in_both_languages(seed_dataset: Dataset) -> None:
    graph = seed_dataset.default_graph
    assert ask(seed_dataset, 'kg:nvidia skos:prefLabel "NVIDIA"@en ; skos:altLabel "英伟达"@zh')
    assert len(set(graph.objects(KG.nvidia, CHIP.mentionedIn))) == 1


def test_pipeline_background_facts_stay_in_their_named_graph(seed_dataset: Dataset) -> None:
    background = seed_dataset.graph(BACKGROUND)
    assert len(background) > 0
    for s, p, o in background:
        claims = seed_dataset.default_graph.query(
            PREFIXES + "SELECT ?c WHERE { ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }",
            initBindings={"s": s, "p": p, "o": o},
        )
        if (s, p, o) in seed_dataset.default_graph:
            assert len(claims) >= 1  # stated in the text too: it has its own claim


def test_pipeline_navigation_noise_is_not_extracted(seed_dataset: Dataset) -> None:
    assert not ask(seed_dataset, "?x chip:mentionedIn ?d . FILTER(?x = kg:honor || ?x = kg:lenovo)")


def test_pipeline_negated_claim_has_no_plain_triple() -> None:
    dataset, _ = pipeline.build_documents([make_document("寒武纪并未获得华为的投资。", "neg.txt")])
    assert (KG.huawei, CHIP.investsIn, KG.cambricon) not in dataset.default_graph
    assert ask(
        dataset, "?c rdf:subject kg:huawei ; rdf:predicate chip:investsIn ; chip:modality chip:Negated"
    )


def test_pipeline_runs_twice_to_isomorphic_graphs(tmp_path: Path) -> None:
    first, _ = pipeline.build([Path(__file__).parent.parent / "seeds"])
    second, _ = pipeline.build([Path(__file__).parent.parent / "seeds"])
    one, two = Graph(), Graph()
    for triple in first.default_graph:
        one.add(triple)
    for triple in second.default_graph:
        two.add(triple)
    assert isomorphic(one, two)
    assert set(one) == set(two)  # IRIs are deterministic, not only the shape


@pytest.mark.parametrize("name", ["mini.zh", "mini.en"])
def test_pipeline_golden_graphs(name: str) -> None:
    text = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    dataset, _ = pipeline.build_documents([make_document(text, f"{name}.txt")])
    golden = GOLDEN / f"{name}.ttl"
    if os.environ.get("KG_UPDATE_GOLDEN"):
        rdfio.save(dataset, golden)
    expected = Graph().parse(golden)
    actual = Graph()
    for triple in dataset.default_graph:
        actual.add(triple)
    assert isomorphic(actual, expected), f"re-run with KG_UPDATE_GOLDEN=1 if the change to {name} is intended"
