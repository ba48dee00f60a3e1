"""Time, numbers and doubt across documents: the seed's facts, conflicts, corroboration, timelines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset

import kg
from kg import cli, pipeline, query, sources, validate
from kg.ingest import make_document

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
PREFIXES = """
PREFIX chip: <https://w3id.org/aichip-kg/ontology#>
PREFIX kg: <https://w3id.org/aichip-kg/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def ask(dataset: Dataset, pattern: str) -> bool:
    return bool(dataset.default_graph.query(PREFIXES + f"ASK {{ {pattern} }}").askAnswer)


@pytest.fixture(scope="module")
def two_sources() -> Dataset:
    dataset, _ = pipeline.build([FIXTURES])
    return dataset


@pytest.mark.parametrize(
    "pattern",
    [
        # NVIDIA's AI-chip market share is at least 0.80, with its evidence
        """?c a chip:QuantityClaim ; rdf:subject kg:nvidia ; rdf:predicate chip:marketShare ; rdf:object ?q ;
              chip:evidence ?e . ?q chip:value 0.8 ; chip:unit "fraction" ; chip:comparator chip:AtLeast .
           FILTER(CONTAINS(?e, "80% 以上"))""",
        # the expected 2026 production start of OpenAI's chip, made by TSMC
        """?c rdf:subject kg:tsmc ; rdf:predicate chip:fabricatesFor ; rdf:object kg:openai ;
              chip:pointInTime "2026"^^xsd:gYear ; chip:evidence ?e . FILTER(CONTAINS(?e, "预计 2026 年"))""",
        # the 10,000 NVIDIA GPUs, since 2020
        """?c rdf:subject kg:openai ; rdf:predicate chip:unitCount ; rdf:object ?q ; chip:startTime "2020"^^xsd:gYear .
           ?q chip:value ?v ; chip:unit "GPU" ; chip:countOf kg:nvidia . FILTER(?v = 10000)""",
        # the team of about 20 people
        """?c rdf:subject kg:openai ; rdf:predicate chip:headcount ; rdf:object ?q .
           ?q chip:value ?v ; chip:unit "person" ; chip:comparator chip:Approximately . FILTER(?v = 20)""",
        # Reuters reports the opening claim
        """?c a chip:Claim ; rdf:subject kg:openai ; rdf:predicate chip:partnersWith ; rdf:object kg:broadcom ;
              chip:modality chip:Reported ; chip:reportedBy kg:reuters""",
        # AMD launched the MI300 last year: 2023 in an article of October 2024
        """?c rdf:subject kg:amd ; rdf:predicate chip:develops ; rdf:object kg:mi300 ;
              chip:pointInTime "2023"^^xsd:gYear""",
        # every claim carries its document's date
        """?c a chip:Claim ; dcterms:date "2024-10-31T16:27:04"^^xsd:dateTime""",
    ],
)
def test_sources_seed_holds_the_dated_and_quantified_facts(seed_dataset: Dataset, pattern: str) -> None:
    assert ask(seed_dataset, pattern)


def test_sources_seed_claims_all_carry_the_document_date(seed_dataset: Dataset) -> None:
    assert not ask(seed_dataset, "?c a chip:Claim . FILTER NOT EXISTS { ?c dcterms:date ?d }")


def test_sources_relative_time_in_an_undated_document_is_left_out() -> None:
    text = "AMD 在去年推出了 MI300 芯片。"
    undated, _ = pipeline.build_documents([make_document(text, "t.txt")])
    dated, _ = pipeline.build_documents([make_document(text, "t.txt", date(2024, 10, 31))])
    assert not ask(undated, "?c chip:pointInTime ?t")
    assert not ask(undated, "?c dcterms:date ?t")
    assert ask(dated, '?c rdf:subject kg:amd ; chip:pointInTime "2023"^^xsd:gYear')


def test_sources_contradictions_across_two_documents(two_sources: Dataset) -> None:
    frame = sources.conflicts(two_sources)
    rows = {row["kind"]: row for row in frame.to_dict(orient="records")}
    assert set(rows) == {"different subject", "different value", "negated"}
    foundry = rows["different subject"]
    assert (foundry["subject"], foundry["rival"], foundry["object"]) == (
        "TSMC",
        "Samsung Electronics",
        "Maia 200",
    )
    assert str(foundry["date"])[:10] == "2025-01-10" and str(foundry["rival_date"])[:10] == "2025-06-01"
    cancelled = rows["negated"]
    assert (cancelled["predicate"], cancelled["modality"], cancelled["rival_detail"]) == (
        "uses",
        "Planned",
        "Cancelled",
    )
    assert "取消" in cancelled["rival_evidence"]
    share = rows["different value"]
    assert (share["subject"], share["object"], share["rival_object"]) == ("NVIDIA", "80%", "90%")
    assert sources.conflicts(two_sources, "英伟达")["kind"].tolist() == ["different value"]


def test_sources_graph_with_quantities_and_times_conforms(two_sources: Dataset) -> None:
    result = validate.validate(two_sources.default_graph)
    assert result.conforms, result.report()


def test_sources_cli_conflicts_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.ttl"
    assert cli.main(["extract", str(FIXTURES), "-o", str(out)]) == 0
    capsys.readouterr()
    assert cli.main(["conflicts", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("3 disagreement(s)")
    assert "2025-01-10" in text and "Negated (Cancelled)" in text and "据彭博社报道" in text
    assert cli.main(["conflicts", str(out), "--entity", "Maia 200", "-f", "json"]) == 0
    assert {r["kind"] for r in json.loads(capsys.readouterr().out)} == {"different subject", "negated"}


def test_sources_no_conflicts_in_one_document(seed_dataset: Dataset) -> None:
    assert sources.conflicts(seed_dataset).empty
    assert sources.report(sources.conflicts(seed_dataset)) == "no disagreements between the documents"


def _corroboration(*texts: str) -> dict[str, object]:
    documents = [make_document(t, f"{i}.txt", date(2025, 1, i + 1)) for i, t in enumerate(texts)]
    dataset, _ = pipeline.build_documents(documents)
    frame = kg.KnowledgeGraph(dataset).corroboration(predicate="fabricates")
    row: dict[str, object] = frame.to_dict(orient="records")[0]
    return row


def test_sources_corroboration_counts_independent_sources() -> None:
    independent = _corroboration(
        "Title\nTSMC manufactures the Maia 100 for Microsoft.\n",
        "标题\n台积电代工生产 Maia 100 芯片。\n",
    )
    assert (independent["subject"], independent["object"]) == ("TSMC", "Maia 100")
    assert (independent["sources"], independent["documents"]) == (2, 2)
    assert independent["combined_confidence"] > independent["confidence"]  # type: ignore[operator]
    assert (str(independent["first"])[:10], str(independent["last"])[:10]) == ("2025-01-01", "2025-01-02")
    retold = _corroboration(
        "Title\nAccording to Reuters, TSMC manufactures the Maia 100 for Microsoft.\n",
        "标题\n据路透社报道，台积电代工生产 Maia 100 芯片。\n",
    )
    assert (retold["sources"], retold["documents"]) == (1, 2)  # two articles retelling one Reuters report
    assert retold["combined_confidence"] == retold["confidence"]


def test_sources_timeline_orders_a_companys_facts(two_sources: Dataset) -> None:
    frame = query.run(two_sources, "timeline", {"company": "Microsoft"})
    when = [str(w)[:10] for w in frame["when"]]
    assert when == sorted(when) and when[0] == "2025-01-10" and when[-1] == "2025-06-01"
    assert set(frame["modality"]) >= {"Planned", "Negated"}


def test_sources_quantities_question(two_sources: Dataset) -> None:
    frame = query.run(two_sources, "quantities", {"subject": "NVIDIA"})
    assert sorted(zip(frame["value"], frame["comparator"], strict=True)) == [
        (0.8, "MoreThan"),
        (0.9, "Approximately"),
    ]


def test_sources_networkx_edges_carry_date_time_and_reporter(seed_dataset: Dataset) -> None:
    graph = kg.KnowledgeGraph(seed_dataset).to_networkx()
    edges = [d for _s, _o, d in graph.edges(data=True) if d["relation"] == "partnersWith"]
    assert any(d["reporter"] == str(kg_iri("reuters")) for d in edges)
    fabricates = [d for _s, _o, d in graph.edges(data=True) if d["relation"] == "fabricatesFor"]
    assert {d["time"] for d in fabricates} == {"2026"}
    assert all(str(d["date"]).startswith("2024-10-31") for d in edges + fabricates)


def kg_iri(local: str) -> str:
    return "https://w3id.org/aichip-kg/id/" + local
